// tests/fuzz/fuzz_snapshot_payload.cpp: a snapshot payload, past the envelope.
//
// The bytes go straight to load_state, skipping the snapshot header and its
// checksums, so that every input reaches the bounded cereal reader and the
// checks of assemble(). Corrupt (or any kartotek::Error) is the expected
// refusal; a crash, a sanitizer report, a leak, a huge allocation or another
// exception is a finding. A state that loads must also save and load again to
// the same bytes.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "register_impl.hpp"

using namespace kartotek;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto clock = std::make_shared<ManualClock>(fuzz::fuzz_time());
  std::string_view payload(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<Register::Impl> state;
  try {
    state = load_state(payload, clock);
  } catch (const Error&) {
    return 0;
  }
  fuzz::check_state_round_trip(*state);
  return 0;
}
