// tests/fuzz/fuzz_json_import.cpp: Register::import_json on any bytes.
//
// ValidationError and Corrupt (any kartotek::Error) are the expected
// refusals. A document that imports must round-trip: its binary state loads,
// and when it has an active administrator, export_json → import_json →
// export_json gives the same document and the same state (the promise of
// Register::import_json).

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "register_impl.hpp"

using namespace kartotek;

namespace {

std::string state_of(const Register& reg) {
  std::ostringstream out(std::ios::binary);
  reg.write_state(out);
  return std::move(out).str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto clock = std::make_shared<ManualClock>(fuzz::fuzz_time());
  std::string_view json(reinterpret_cast<const char*>(data), size);
  std::optional<Register> imported;
  try {
    imported.emplace(Register::import_json(json, clock));
  } catch (const Error&) {
    return 0;
  }

  std::string state = state_of(*imported);
  std::unique_ptr<Register::Impl> loaded;
  try {
    loaded = load_state(state, clock);
  } catch (const Error& e) {
    fuzz::finding(std::string("an imported register's state does not load: ") + e.what());
  }
  UserId admin;
  for (const auto& row : loaded->users)
    if (row.record.administrator && row.record.active) {
      admin = row.record.id;
      break;
    }
  if (!admin) return 0;  // only an administrator may export

  std::string exported;
  try {
    exported = imported->export_json(admin);
  } catch (const Error& e) {
    fuzz::finding(std::string("an imported register does not export: ") + e.what());
  }
  try {
    Register again = Register::import_json(exported, clock);
    if (again.export_json(admin) != exported) fuzz::finding("export → import → export changed the document");
    if (state_of(again) != state) fuzz::finding("export → import changed the state");
  } catch (const Error& e) {
    fuzz::finding(std::string("an exported document does not import: ") + e.what());
  }
  return 0;
}
