// Finding needles in packed text (src/text_scan.hpp): the vectorised scan
// reports exactly what memmem's loop reports, resuming where it is told to.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "text_scan.hpp"

using namespace kartotek::internal;

namespace {

// Offsets reported when every report goes on `skip` bytes after its
// occurrence (or from the occurrence itself, which must still advance).
template <class Scan>
std::vector<std::size_t> occurrences(Scan scan_with, const std::string& text, const std::string& needle,
                                     std::size_t skip) {
  std::vector<std::size_t> out;
  auto hit = [&](std::size_t offset) {
    out.push_back(offset);
    return offset + skip;
  };
  scan_with(text, needle, [](void* f, std::size_t offset) { return (*static_cast<decltype(hit)*>(f))(offset); },
            &hit);
  return out;
}

}  // namespace

TEST_CASE("the fast scan finds what memmem finds", "[search]") {
  std::mt19937 rng(42);
  const std::string alphabet("ab\0ö", 5);  // 'ö' is two bytes
  for (int round = 0; round < 400; ++round) {
    std::string text;
    const std::size_t length = rng() % 300;
    for (std::size_t i = 0; i < length; ++i) text.push_back(alphabet[rng() % alphabet.size()]);
    std::string needle;
    const std::size_t n = 1 + rng() % 5;
    for (std::size_t i = 0; i < n; ++i) needle.push_back(alphabet[rng() % alphabet.size()]);
    if (round % 7 == 0 && text.size() > 10) needle = text.substr(rng() % (text.size() - 5), n);
    for (std::size_t skip : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{40}}) {
      INFO("round " << round << " skip " << skip);
      const auto want = occurrences(scan_portable, text, needle, skip);
      CHECK(occurrences(static_cast<void (*)(std::string_view, std::string_view, ScanHit, void*)>(scan), text,
                        needle, skip) == want);
      // memmem's loop itself, checked by brute force.
      std::vector<std::size_t> brute;
      for (std::size_t at = 0; at + needle.size() <= text.size();) {
        if (text.compare(at, needle.size(), needle) == 0) {
          brute.push_back(at);
          at = std::max(at + skip, at + 1);
        } else {
          ++at;
        }
      }
      CHECK(want == brute);
    }
  }
  // Occurrences in every position of a long text.
  std::string text(1000, 'x');
  for (std::size_t at = 0; at < 990; at += 37) text.replace(at, 3, "abc");
  const auto want = occurrences(scan_portable, text, "abc", 1);
  CHECK(want.size() == 27);
  CHECK(occurrences(static_cast<void (*)(std::string_view, std::string_view, ScanHit, void*)>(scan), text, "abc",
                    1) == want);
}
