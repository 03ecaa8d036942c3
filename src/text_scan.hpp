// src/text_scan.hpp: finding every occurrence of a short needle in a long
// text, as fast as the processor allows. Private to the library.
#pragma once

#include <cstddef>
#include <string_view>

namespace kartotek::internal {

// Called with the offset of an occurrence; returns the offset to go on
// from (past the occurrence: at least offset + 1).
using ScanHit = std::size_t (*)(void* context, std::size_t offset);

// Reports the occurrences of `needle` (not empty) in `text` in order, each
// that starts at or after the offset the previous report returned. On x86-64
// processors with AVX2 it compares 32 positions at a time by the needle's
// first and last byte and checks only those where both match; elsewhere it
// is memmem's loop (scan_portable).
void scan(std::string_view text, std::string_view needle, ScanHit hit, void* context);
void scan_portable(std::string_view text, std::string_view needle, ScanHit hit, void* context);

template <class F>
void scan(std::string_view text, std::string_view needle, F&& hit) {
  scan(text, needle, [](void* f, std::size_t offset) { return (*static_cast<F*>(f))(offset); }, &hit);
}

}  // namespace kartotek::internal
