// src/storage.hpp: the on-disk formats (docs/file-formats.md) and the journal.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "archive.hpp"
#include "kartotek/commands.hpp"
#include "kartotek/history.hpp"
#include "kartotek/io.hpp"
#include "kartotek/storage.hpp"

namespace kartotek {

// JournalRecord: one applied command, as replay needs it.
struct JournalRecord {
  std::uint64_t change = 0;
  Timestamp at{};
  UserId actor;
  Source source = Source::api;
  Command command;
};

template <> struct Describe<JournalRecord> {
  static constexpr auto fields = std::make_tuple(
      field("change", &JournalRecord::change), field("at", &JournalRecord::at),
      field("actor", &JournalRecord::actor), field("source", &JournalRecord::source),
      field("command", &JournalRecord::command));
};

}  // namespace kartotek

namespace kartotek::storage {

inline constexpr std::uint32_t kFormatVersion = kCurrentFormat;  // src/archive.hpp
inline constexpr std::size_t kSnapshotHeader = 32;
inline constexpr std::size_t kJournalHeader = 32;
inline constexpr std::size_t kFrameHeader = 12;

// CRC-32C (Castagnoli) of `data`: with the processor's crc32 instruction
// where it has one (SSE 4.2), otherwise Boost.CRC's table; crc32c_portable
// is always the latter, for the test that holds them to each other.
std::uint32_t crc32c(std::string_view data);
std::uint32_t crc32c_portable(std::string_view data);

// Snapshot file: header (magic, format, payload length, payload CRC, header
// CRC) and the payload. decode_snapshot checks everything before returning
// the payload; it throws Corrupt saying what is wrong.
std::string encode_snapshot(std::string_view payload);
// The same in place: `file` is kSnapshotHeader bytes of room followed by
// the payload, and gets its header written there (no copy of the payload).
void seal_snapshot(std::string& file);
struct SnapshotView {
  std::uint32_t format = 0;
  std::string_view payload;
};
SnapshotView decode_snapshot(std::string_view file);

// Journal file: a header naming the change the journal follows, then frames:
// payload length, CRC of the payload, CRC of those 8 bytes, payload.
std::string encode_journal_header(std::uint64_t base_change);
struct JournalHeader {
  std::uint32_t format = 0;       // the format its records are written in
  std::uint64_t base_change = 0;  // the change the journal follows
};
JournalHeader decode_journal_header(std::string_view file);  // throws Corrupt
std::string frame(std::string_view payload);

// FrameCheck: what read_frame found at an offset of a journal.
struct FrameCheck {
  enum Kind { ok, torn_tail, corrupt } kind = ok;
  std::string_view payload;
  std::size_t next = 0;  // offset after the frame
  std::string reason;
};
// Reads the frame at `pos` (< file.size()). A frame that cannot be whole
// because the file ends (a write that was cut off) is a torn tail; damage that
// a cut-off write cannot explain is corrupt.
FrameCheck read_frame(std::string_view file, std::size_t pos);

std::string encode_record(const JournalRecord& record);
// decode_record: a record written in file format `format`; throws Corrupt.
JournalRecord decode_record(std::string_view payload, std::uint32_t format = kFormatVersion);

// Journal: the open journal file. append() is called under the register's
// write lock; wait_durable() after it is released, so that concurrent writers
// share one sync (group commit).
class Journal {
 public:
  Journal(std::unique_ptr<AppendFile> file, Durability durability, std::chrono::milliseconds interval);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Appends one framed record and returns the journal size after it. On a
  // failed write the file is cut back to its previous size and IoError is
  // thrown; if even that fails, the journal is broken and refuses every
  // later append.
  std::uint64_t append(std::string_view framed);
  // Returns once everything up to `end` is durable (in sync mode; at once in
  // the others). Throws IoError if the sync failed: the journal is then broken.
  void wait_durable(std::uint64_t end);
  // Syncs everything appended so far.
  void sync();
  // Switches to a new file (after compaction). Called under the write lock.
  void replace_file(std::unique_ptr<AppendFile> file);
  // Throws IoError when the journal is broken.
  void check_usable() const;
  // Breaks the journal: every later append refuses with `reason`.
  void set_broken(std::string reason);

 private:
  void sync_loop();
  void sync_up_to(std::unique_lock<std::mutex>& lock, std::uint64_t end);

  std::unique_ptr<AppendFile> file_;
  Durability durability_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t written_ = 0;
  std::uint64_t synced_ = 0;
  bool syncing_ = false;
  bool stopping_ = false;
  std::string broken_;  // why the journal refuses work; empty while usable
  std::thread batch_thread_;
};

}  // namespace kartotek::storage

