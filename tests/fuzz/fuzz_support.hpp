// tests/fuzz/fuzz_support.hpp: what the fuzz targets and make_seeds share —
// the base register the journal target replays onto, the journal target's
// input format, and how a target reports a broken property.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kartotek/kartotek.hpp"
#include "memory_file_system.hpp"

namespace kartotek::fuzz {

// The fixed time of every fuzz register (a ManualClock that never moves).
Timestamp fuzz_time();

// A directory that exists on disk for the life of the process (removed at
// exit), for Register::open's flock() on <dir>/lock. The snapshot and the
// journal themselves live in a MemoryFileSystem under the same path.
const std::filesystem::path& lock_directory();

// Options for opening a register on `fs`: no durability waits, the fixed
// clock, never create.
OpenOptions memory_open_options(std::shared_ptr<MemoryFileSystem> fs);

// The base register: administrator "admin" (user 1) and customer "K100"
// (customer 1), compacted so that the snapshot holds both and the journal is
// empty. Creates it in `fs` at lock_directory() and returns it open.
// Deterministic: the same bytes every time, so the journal seeds that
// make_seeds writes on top of it replay in the fuzz target.
Register open_base_register(const std::shared_ptr<MemoryFileSystem>& fs);
inline constexpr UserId kBaseAdministrator{1};
inline constexpr CustomerId kBaseCustomer{1};

// ---- the journal target's input ---------------------------------------------
//
// The input is a list of chunks separated by kChunkSeparator. The first byte
// of a chunk says how the rest of it goes into the journal after the header:
//   byte & 3 == 0  framed properly (storage::frame): a record to decode and replay
//   byte & 3 == 1  appended as it is (unframed bytes: frame headers, tails)
//   byte & 3 == 2  framed, then the payload checksum spoilt (the frame header's
//                  own checksum still matches)
//   byte & 3 == 3  framed, then cut to (byte >> 2) 64ths of its length (a torn write)
// Empty chunks are skipped.
inline constexpr std::string_view kChunkSeparator = "|KT|";
enum ChunkKind : unsigned char { framed = 0, raw = 1, bad_checksum = 2, cut = 3 };

// The journal bytes after the header for `input`.
std::string journal_records_from_input(std::string_view input);

// One chunk of `kind` (with `detail` in the upper six bits) holding `bytes`.
std::string chunk(ChunkKind kind, std::string_view bytes, unsigned detail = 0);

// Record payloads of a journal file (its whole frames, in order).
std::vector<std::string> journal_payloads(std::string_view journal_file);

// ---- checks -----------------------------------------------------------------

// A state that loaded must save and load again, giving the same bytes
// (the payload is deterministic). Calls finding() otherwise.
void check_state_round_trip(const Register::Impl& state);

// ---- reporting --------------------------------------------------------------

// Reports a broken property on stderr and aborts, so libFuzzer saves the input.
[[noreturn]] void finding(const std::string& what);

}  // namespace kartotek::fuzz
