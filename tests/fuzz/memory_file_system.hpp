// tests/fuzz/memory_file_system.hpp: a FileSystem held in memory, so that a
// fuzz target can open a register once per input without touching the disk
// for the snapshot and the journal.
//
// Register::open still takes its directory lock with flock() on
// <dir>/lock on the real file system (the lock is not part of FileSystem), so
// the directory given to open() must exist on disk; see fuzz_support.hpp.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "kartotek/io.hpp"

namespace kartotek::fuzz {

// MemoryFileSystem: files are strings keyed by their path as given (no
// normalisation: the register always builds paths as <dir>/<name>). Every
// member is safe to call from several threads; an AppendFile stays valid
// after its file is renamed over or removed (it then writes to a detached
// copy, as an open POSIX file descriptor would).
class MemoryFileSystem final : public FileSystem {
 public:
  bool exists(const std::filesystem::path& path) override;
  void create_directory(const std::filesystem::path& path) override;
  std::string read(const std::filesystem::path& path) override;
  void write_synced(const std::filesystem::path& path, std::string_view data) override;
  std::unique_ptr<AppendFile> open_append(const std::filesystem::path& path) override;
  void rename(const std::filesystem::path& from, const std::filesystem::path& to) override;
  void remove(const std::filesystem::path& path) override;
  void sync_directory(const std::filesystem::path& path) override;

  // Sets a file's content directly (no sync is modelled; everything is durable).
  void put(const std::filesystem::path& path, std::string data);

 private:
  using Content = std::shared_ptr<std::string>;
  std::mutex mutex_;
  std::set<std::string> directories_;
  std::map<std::string, Content> files_;
};

}  // namespace kartotek::fuzz
