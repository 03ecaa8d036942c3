// src/text_scan.cpp: see text_scan.hpp.

#include "text_scan.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define KARTOTEK_SCAN_AVX2 1
#include <immintrin.h>
#endif

namespace kartotek::internal {

namespace {

// From `from` on.
void scan_from(std::string_view text, std::size_t from, std::string_view needle, ScanHit hit, void* context) {
  const char* const base = text.data();
  while (from < text.size() && text.size() - from >= needle.size()) {
    const void* found = ::memmem(base + from, text.size() - from, needle.data(), needle.size());
    if (found == nullptr) return;
    const auto at = static_cast<std::size_t>(static_cast<const char*>(found) - base);
    const std::size_t resume = hit(context, at);
    from = resume > at ? resume : at + 1;
  }
}

#ifdef KARTOTEK_SCAN_AVX2
// The needle's first and last bytes are compared at 32 positions at once;
// where both match, the bytes between. (Needles of two bytes or more.)
__attribute__((target("avx2"))) void scan_avx2(std::string_view text, std::string_view needle, ScanHit hit,
                                               void* context) {
  const char* const t = text.data();
  const std::size_t n = needle.size();
  const __m256i first = _mm256_set1_epi8(needle.front());
  const __m256i last = _mm256_set1_epi8(needle.back());
  std::size_t i = 0;
  while (i + n - 1 + 32 <= text.size()) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(t + i));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(t + i + n - 1));
    auto candidates = static_cast<std::uint32_t>(
        _mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, last))));
    std::size_t next = i + 32;
    while (candidates != 0) {
      const std::size_t at = i + static_cast<std::size_t>(std::countr_zero(candidates));
      candidates &= candidates - 1;
      if (std::memcmp(t + at + 1, needle.data() + 1, n - 2) != 0) continue;
      std::size_t resume = hit(context, at);
      if (resume <= at) resume = at + 1;
      if (resume >= next) {
        next = resume;
        break;
      }
      candidates &= ~std::uint32_t{0} << (resume - i);  // none before where it goes on
    }
    i = next;
  }
  scan_from(text, i, needle, hit, context);
}

bool has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#endif

}  // namespace

void scan_portable(std::string_view text, std::string_view needle, ScanHit hit, void* context) {
  if (needle.empty()) return;
  scan_from(text, 0, needle, hit, context);
}

void scan(std::string_view text, std::string_view needle, ScanHit hit, void* context) {
  if (needle.empty()) return;
#ifdef KARTOTEK_SCAN_AVX2
  if (needle.size() >= 2 && has_avx2()) {
    scan_avx2(text, needle, hit, context);
    return;
  }
#endif
  scan_from(text, 0, needle, hit, context);
}

}  // namespace kartotek::internal
