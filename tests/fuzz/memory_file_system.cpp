// tests/fuzz/memory_file_system.cpp: MemoryFileSystem.

#include "memory_file_system.hpp"

#include "kartotek/error.hpp"

namespace kartotek::fuzz {

namespace {

// An open file shares its content with the file system until the name is
// renamed over or removed; the mutex is the file system's.
class MemoryAppendFile final : public AppendFile {
 public:
  MemoryAppendFile(std::mutex& mutex, std::shared_ptr<std::string> content)
      : mutex_(mutex), content_(std::move(content)) {}

  void append(std::string_view data) override {
    std::lock_guard lock(mutex_);
    content_->append(data);
  }
  void sync() override {}
  void truncate(std::uint64_t size) override {
    std::lock_guard lock(mutex_);
    content_->resize(static_cast<std::size_t>(size));
  }
  std::uint64_t size() const override {
    std::lock_guard lock(mutex_);
    return content_->size();
  }

 private:
  std::mutex& mutex_;
  std::shared_ptr<std::string> content_;
};

}  // namespace

bool MemoryFileSystem::exists(const std::filesystem::path& path) {
  std::lock_guard lock(mutex_);
  return files_.count(path.string()) != 0 || directories_.count(path.string()) != 0;
}

void MemoryFileSystem::create_directory(const std::filesystem::path& path) {
  std::lock_guard lock(mutex_);
  directories_.insert(path.string());
}

std::string MemoryFileSystem::read(const std::filesystem::path& path) {
  std::lock_guard lock(mutex_);
  auto it = files_.find(path.string());
  if (it == files_.end()) throw IoError("cannot open " + path.string() + ": no such file (in memory)");
  return *it->second;
}

void MemoryFileSystem::write_synced(const std::filesystem::path& path, std::string_view data) {
  std::lock_guard lock(mutex_);
  files_[path.string()] = std::make_shared<std::string>(data);
}

std::unique_ptr<AppendFile> MemoryFileSystem::open_append(const std::filesystem::path& path) {
  std::lock_guard lock(mutex_);
  auto& content = files_[path.string()];
  if (!content) content = std::make_shared<std::string>();
  return std::make_unique<MemoryAppendFile>(mutex_, content);
}

void MemoryFileSystem::rename(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::lock_guard lock(mutex_);
  auto it = files_.find(from.string());
  if (it == files_.end()) throw IoError("cannot rename " + from.string() + ": no such file (in memory)");
  Content content = std::move(it->second);
  files_.erase(it);
  files_[to.string()] = std::move(content);
}

void MemoryFileSystem::remove(const std::filesystem::path& path) {
  std::lock_guard lock(mutex_);
  files_.erase(path.string());
}

void MemoryFileSystem::sync_directory(const std::filesystem::path&) {}

void MemoryFileSystem::put(const std::filesystem::path& path, std::string data) {
  std::lock_guard lock(mutex_);
  files_[path.string()] = std::make_shared<std::string>(std::move(data));
}

}  // namespace kartotek::fuzz
