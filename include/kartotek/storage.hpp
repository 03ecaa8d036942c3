// kartotek/storage.hpp: options and reports of a register kept on disk.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kartotek/clock.hpp"
#include "kartotek/describe.hpp"
#include "kartotek/io.hpp"
#include "kartotek/settings.hpp"

namespace kartotek {

// Durability: when an acknowledged command is on stable storage.
//  sync  — before apply() returns (fdatasync per commit; concurrent writers
//          share one sync: group commit);
//  batch — within `batch_interval` after apply() returns (a crash may lose the
//          commands of the last interval, never part of one);
//  none  — when the operating system writes it back (tests, bulk loads).
enum class Durability : std::uint8_t { sync, batch, none };

template <> struct EnumNames<Durability> {
  static constexpr std::array<std::pair<Durability, std::string_view>, 3> names{{
      {Durability::sync, "sync"}, {Durability::batch, "batch"}, {Durability::none, "none"}}};
};

struct OpenOptions {
  Durability durability = Durability::sync;
  std::chrono::milliseconds batch_interval{100};
  // Create the register when the directory holds none.
  bool create = true;
  // Settings of a newly created register.
  Settings settings;
  std::shared_ptr<const Clock> clock;          // default: SystemClock
  std::shared_ptr<FileSystem> file_system;     // default: posix_file_system()
};

// OpenReport: what opening found.
struct OpenReport {
  bool created = false;
  std::uint32_t snapshot_format = 0;
  std::uint64_t snapshot_change = 0;   // last change contained in the snapshot
  std::uint64_t replayed = 0;          // journal records applied
  std::uint64_t skipped = 0;           // journal records already in the snapshot
  // A torn or corrupt last journal record that was cut off, with its offset
  // and reason; empty when the journal ended cleanly.
  std::string cut_tail;
  // The file format the register was written in when older than the current
  // one, which opening rewrote it in (as a compaction does); else 0.
  std::uint32_t upgraded_from = 0;
};

}  // namespace kartotek
