// tests/fuzz/fuzz_support.cpp: the base register, the journal target's input
// format, reporting.

#include "fuzz_support.hpp"

#include <cstdio>
#include <cstdlib>
#include <system_error>

#include "register_impl.hpp"
#include "storage.hpp"

namespace kartotek::fuzz {

Timestamp fuzz_time() { return parse_timestamp("2026-11-23T10:00:00Z"); }

namespace {

std::filesystem::path make_lock_directory() {
  std::error_code ec;
  auto base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string pattern = (base / "kartotek-fuzz-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) finding("cannot create a lock directory under " + base.string());
  std::filesystem::path dir = pattern;
  static std::filesystem::path removed_at_exit;
  removed_at_exit = dir;
  std::atexit([] {
    std::error_code ignored;
    std::filesystem::remove_all(removed_at_exit, ignored);
  });
  return dir;
}

}  // namespace

const std::filesystem::path& lock_directory() {
  static const std::filesystem::path dir = make_lock_directory();
  return dir;
}

OpenOptions memory_open_options(std::shared_ptr<MemoryFileSystem> fs) {
  OpenOptions options;
  options.durability = Durability::none;
  options.create = false;
  options.clock = std::make_shared<ManualClock>(fuzz_time());
  options.file_system = std::move(fs);
  return options;
}

Register open_base_register(const std::shared_ptr<MemoryFileSystem>& fs) {
  fs->create_directory(lock_directory());
  OpenOptions options = memory_open_options(fs);
  options.create = true;
  Register reg = Register::open(lock_directory(), options);
  UserId admin = reg.create_first_administrator("admin", "Ada Admin");
  Customer c;
  c.number = "K100";
  c.name = "Åberg & Söner Kyl AB";
  c.invoice_address = {"", "Kungsgatan 1", "411 19", "Göteborg", "SE"};
  c.email = "info@aberg-kyl.se";
  CustomerId customer = reg.apply(admin, CreateCustomer{c});
  if (admin != kBaseAdministrator || customer != kBaseCustomer)
    finding("the base register did not get the ids the seeds assume");
  reg.compact();
  return reg;
}

std::string chunk(ChunkKind kind, std::string_view bytes, unsigned detail) {
  std::string out(1, static_cast<char>((detail << 2) | kind));
  out.append(bytes);
  return out;
}

std::string journal_records_from_input(std::string_view input) {
  std::string out;
  while (!input.empty()) {
    auto end = input.find(kChunkSeparator);
    std::string_view part = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + kChunkSeparator.size());
    if (part.empty()) continue;
    auto control = static_cast<unsigned char>(part[0]);
    std::string_view bytes = part.substr(1);
    switch (control & 3) {
      case framed:
        out += storage::frame(bytes);
        break;
      case raw:
        out.append(bytes);
        break;
      case bad_checksum: {
        // Spoil the payload checksum (bytes 4-7) and make the header checksum
        // (bytes 8-11) match again, so read_frame gets as far as the payload.
        std::string f = storage::frame(bytes);
        f[4] = static_cast<char>(f[4] ^ 0x01);
        std::uint32_t crc = storage::crc32c(std::string_view(f).substr(0, 8));
        for (int i = 0; i < 4; ++i) f[8 + static_cast<std::size_t>(i)] = static_cast<char>((crc >> (8 * i)) & 0xff);
        out += f;
        break;
      }
      case cut: {
        std::string f = storage::frame(bytes);
        out.append(f, 0, f.size() * (control >> 2) / 64);
        break;
      }
    }
  }
  return out;
}

std::vector<std::string> journal_payloads(std::string_view journal_file) {
  std::vector<std::string> payloads;
  std::size_t pos = storage::kJournalHeader;
  while (pos < journal_file.size()) {
    auto f = storage::read_frame(journal_file, pos);
    if (f.kind != storage::FrameCheck::ok) finding("journal_payloads: " + f.reason);
    payloads.emplace_back(f.payload);
    pos = f.next;
  }
  return payloads;
}

void check_state_round_trip(const Register::Impl& state) {
  static const auto clock = std::make_shared<ManualClock>(fuzz_time());
  std::string saved = state_payload(state);
  std::unique_ptr<Register::Impl> again;
  try {
    again = load_state(saved, clock);
  } catch (const Error& e) {
    finding(std::string("a state that loaded does not load again once saved: ") + e.what());
  }
  if (state_payload(*again) != saved) finding("a saved state loads back to a different state");
}

void finding(const std::string& what) {
  std::fprintf(stderr, "\n==kartotek fuzz== FINDING: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace kartotek::fuzz
