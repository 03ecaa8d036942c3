// src/posix_file_system.cpp: FileSystem on POSIX calls, with every failure an
// IoError naming the path and the system's reason.

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kartotek/error.hpp"
#include "kartotek/io.hpp"

namespace kartotek {

namespace {

[[noreturn]] void fail(const char* what, const std::filesystem::path& path) {
  throw IoError(std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

void write_all(int fd, std::string_view data, const std::filesystem::path& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write", path);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

class PosixAppendFile final : public AppendFile {
 public:
  explicit PosixAppendFile(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("cannot open", path_);
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
      ::close(fd_);
      fail("cannot stat", path_);
    }
    size_ = static_cast<std::uint64_t>(st.st_size);
  }
  ~PosixAppendFile() override { ::close(fd_); }

  void append(std::string_view data) override {
    write_all(fd_, data, path_);
    size_ += data.size();
  }
  void sync() override {
    if (::fdatasync(fd_) != 0) fail("cannot sync", path_);
  }
  void truncate(std::uint64_t size) override {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) fail("cannot truncate", path_);
    size_ = size;
  }
  std::uint64_t size() const override { return size_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

class PosixFileSystem final : public FileSystem {
 public:
  bool exists(const std::filesystem::path& path) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) return true;
    if (errno == ENOENT) return false;
    fail("cannot stat", path);
  }
  void create_directory(const std::filesystem::path& path) override {
    if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) fail("cannot create directory", path);
  }
  std::string read(const std::filesystem::path& path) override {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) fail("cannot open", path);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) fail("cannot stat", path);
    std::string data;
    data.resize(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::read(fd.get(), data.data() + done, data.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        fail("cannot read", path);
      }
      if (n == 0) break;  // the file shrank while we read: take what is there
      done += static_cast<std::size_t>(n);
    }
    data.resize(done);
    return data;
  }
  void write_synced(const std::filesystem::path& path, std::string_view data) override {
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd.get() < 0) fail("cannot create", path);
    write_all(fd.get(), data, path);
    if (::fsync(fd.get()) != 0) fail("cannot sync", path);
  }
  std::unique_ptr<AppendFile> open_append(const std::filesystem::path& path) override {
    return std::make_unique<PosixAppendFile>(path);
  }
  void rename(const std::filesystem::path& from, const std::filesystem::path& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) fail("cannot rename", from);
  }
  void remove(const std::filesystem::path& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail("cannot remove", path);
  }
  void sync_directory(const std::filesystem::path& path) override {
    Fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) fail("cannot open directory", path);
    if (::fsync(fd.get()) != 0) fail("cannot sync directory", path);
  }
};

}  // namespace

std::shared_ptr<FileSystem> posix_file_system() {
  static auto fs = std::make_shared<PosixFileSystem>();
  return fs;
}

}  // namespace kartotek
