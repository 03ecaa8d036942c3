// tests/fuzz/fuzz_snapshot_file.cpp: a whole snapshot file — the envelope
// (mark, version, length, checksums) checked by decode_snapshot, then the
// payload by load_state, as Register::open reads it. Most mutations fail a
// checksum, so this target is cheap and mostly proves the envelope checks;
// fuzz_snapshot_payload goes deeper into the payload.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "register_impl.hpp"
#include "storage.hpp"

using namespace kartotek;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto clock = std::make_shared<ManualClock>(fuzz::fuzz_time());
  std::string_view file(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<Register::Impl> state;
  try {
    storage::SnapshotView view = storage::decode_snapshot(file);
    state = load_state(view.payload, clock);
  } catch (const Error&) {
    return 0;
  }
  fuzz::check_state_round_trip(*state);
  return 0;
}
