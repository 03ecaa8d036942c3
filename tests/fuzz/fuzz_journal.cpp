// tests/fuzz/fuzz_journal.cpp: journal replay through Register::open.
//
// The snapshot is always the base register (fuzz_support.hpp); the journal is
// its header followed by records built from the input (the chunk format in
// fuzz_support.hpp): properly framed records reach decode_record and replay,
// raw and damaged chunks reach read_frame's torn-tail and corrupt cases. All
// files live in a MemoryFileSystem.
//
// Besides "no crash", the promises of docs/file-formats.md are checked:
//  - a refused open throws Corrupt and leaves both files as they were;
//  - a register that opened (its torn tail cut) opens again with the same
//    state, replaying the same records, with nothing left to cut;
//  - a command applied after such an open survives the next open;
//  - the register exports to JSON, and that document imports to the same
//    state (every record came through a validated command, so nothing in it
//    may be beyond the JSON form).

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "storage.hpp"

using namespace kartotek;

namespace {

std::string* base_snapshot = nullptr;
std::string* base_journal = nullptr;  // the header alone

std::string state_of(const Register& reg) {
  std::ostringstream out(std::ios::binary);
  reg.write_state(out);
  return std::move(out).str();
}

std::string describe(const OpenReport& r) {
  return "replayed " + std::to_string(r.replayed) + ", skipped " + std::to_string(r.skipped) + ", cut '" +
         r.cut_tail + "'";
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto fs = std::make_shared<fuzz::MemoryFileSystem>();
  { Register base = fuzz::open_base_register(fs); }
  base_snapshot = new std::string(fs->read(fuzz::lock_directory() / "snapshot"));
  base_journal = new std::string(fs->read(fuzz::lock_directory() / "journal"));
  if (base_journal->size() != storage::kJournalHeader) fuzz::finding("the base register's journal is not empty");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& dir = fuzz::lock_directory();
  std::string journal =
      *base_journal + fuzz::journal_records_from_input(std::string_view(reinterpret_cast<const char*>(data), size));
  auto fs = std::make_shared<fuzz::MemoryFileSystem>();
  fs->create_directory(dir);
  fs->put(dir / "snapshot", *base_snapshot);
  fs->put(dir / "journal", journal);

  OpenReport first;
  std::string state;
  bool appended = false;
  try {
    Register reg = Register::open(dir, fuzz::memory_open_options(fs));
    first = reg.open_report();
    state = state_of(reg);
    // Appending after a cut tail must leave a journal that replays whole.
    try {
      Contact k;
      k.first_name = "Lena";
      k.last_name = "Söderström";
      reg.apply(fuzz::kBaseAdministrator, CreateContact{k});
      appended = true;
      state = state_of(reg);
    } catch (const Error&) {
      // The replayed commands may have removed or demoted the administrator.
    }
  } catch (const Error& e) {
    if (e.code() != ErrorCode::corrupt)
      fuzz::finding(std::string("open refused a damaged journal with an error other than Corrupt: ") + e.what());
    if (fs->read(dir / "journal") != journal) fuzz::finding("a refused open changed the journal");
    if (fs->read(dir / "snapshot") != *base_snapshot) fuzz::finding("a refused open changed the snapshot");
    return 0;
  }

  std::string exported;
  try {
    Register again = Register::open(dir, fuzz::memory_open_options(fs));
    const OpenReport& second = again.open_report();
    if (!second.cut_tail.empty())
      fuzz::finding("the second open cut a tail again (first open: " + describe(first) + "; second: " +
                    describe(second) + ")");
    if (second.skipped != first.skipped || second.replayed != first.replayed + (appended ? 1 : 0))
      fuzz::finding("the second open replayed different records (first open: " + describe(first) +
                    "; second: " + describe(second) + ")");
    if (state_of(again) != state) fuzz::finding("the register opened again to a different state");
    try {
      exported = again.export_json(fuzz::kBaseAdministrator);
    } catch (const PermissionDenied&) {
      return 0;  // the replayed commands deactivated or demoted the administrator
    }
  } catch (const Error& e) {
    fuzz::finding(std::string("a register that opened does not open again or export: ") + e.what());
  }
  try {
    Register imported = Register::import_json(exported, std::make_shared<ManualClock>(fuzz::fuzz_time()));
    if (state_of(imported) != state) fuzz::finding("the exported document imports to a different state");
  } catch (const Error& e) {
    fuzz::finding(std::string("the exported document of a replayed register does not import: ") + e.what());
  }
  return 0;
}
