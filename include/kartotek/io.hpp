// kartotek/io.hpp: the file operations a persistent register performs. The
// register does all its I/O through a FileSystem, so tests can inject failing
// writes, short writes and failing syncs; PosixFileSystem is the real one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace kartotek {

// AppendFile: a file open for appending. Every member throws IoError on
// failure.
class AppendFile {
 public:
  virtual ~AppendFile() = default;
  // Writes all of `data` at the end of the file (a short write is an error).
  virtual void append(std::string_view data) = 0;
  // Makes everything appended so far durable (fdatasync).
  virtual void sync() = 0;
  // Cuts the file to `size` bytes.
  virtual void truncate(std::uint64_t size) = 0;
  virtual std::uint64_t size() const = 0;
};

// FileSystem: the operations on paths. Every member throws IoError on failure.
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual bool exists(const std::filesystem::path& path) = 0;
  virtual void create_directory(const std::filesystem::path& path) = 0;
  // The whole content of a file.
  virtual std::string read(const std::filesystem::path& path) = 0;
  // Creates or truncates `path`, writes `data` and syncs the file.
  virtual void write_synced(const std::filesystem::path& path, std::string_view data) = 0;
  virtual std::unique_ptr<AppendFile> open_append(const std::filesystem::path& path) = 0;
  // Atomically replaces `to` with `from`.
  virtual void rename(const std::filesystem::path& from, const std::filesystem::path& to) = 0;
  virtual void remove(const std::filesystem::path& path) = 0;
  // Makes the directory's entries (creations, renames) durable.
  virtual void sync_directory(const std::filesystem::path& path) = 0;
};

// The operating system's file system (POSIX).
std::shared_ptr<FileSystem> posix_file_system();

}  // namespace kartotek
