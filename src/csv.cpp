// src/csv.cpp: CSV decoding, delimiter detection and parsing (src/csv.hpp).
// The parsing itself is libcsv's; ICU converts Windows-1252.

#include "csv.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <memory>

#include <csv.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "kartotek/error.hpp"
#include "kartotek/text.hpp"

namespace kartotek::csv {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// The offset of the first byte that is not part of valid UTF-8.
std::size_t first_invalid_utf8(std::string_view s) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto length = static_cast<std::int32_t>(s.size());
  std::int32_t i = 0;
  while (i < length) {
    std::int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) return static_cast<std::size_t>(start);
  }
  return s.size();
}

}  // namespace

Text decode(std::string_view bytes) {
  if (bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF')))
    throw ValidationError("file", "is UTF-16; save it as CSV in UTF-8 or Windows-1252");
  if (bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
    std::string_view rest = bytes.substr(kUtf8Bom.size());
    if (!is_valid_utf8(rest))
      throw ValidationError("file", "starts with a UTF-8 byte order mark but byte " +
                                        std::to_string(kUtf8Bom.size() + first_invalid_utf8(rest) + 1) +
                                        " is not UTF-8");
    return {std::string(rest), "UTF-8 with BOM"};
  }
  if (is_valid_utf8(bytes)) return {std::string(bytes), "UTF-8"};
  icu::UnicodeString text(bytes.data(), static_cast<std::int32_t>(bytes.size()), "windows-1252");
  if (text.isBogus()) throw ValidationError("file", "could not be read as Windows-1252");
  std::string utf8;
  text.toUTF8String(utf8);
  return {std::move(utf8), "windows-1252"};
}

char detect_delimiter(std::string_view utf8) {
  constexpr std::array<char, 3> candidates{',', ';', '\t'};
  constexpr std::size_t kLines = 20;
  // Per candidate, its count on each of the first lines, outside quotes.
  std::array<std::vector<std::size_t>, 3> counts;
  std::array<std::size_t, 3> line{};
  bool quoted = false;
  std::size_t lines = 0;
  for (std::size_t i = 0; i < utf8.size() && lines < kLines; ++i) {
    char ch = utf8[i];
    if (ch == '"') quoted = !quoted;  // a doubled quote toggles twice
    if (quoted) continue;
    if (ch == '\n' || ch == '\r') {
      if (ch == '\r' && i + 1 < utf8.size() && utf8[i + 1] == '\n') ++i;
      for (std::size_t c = 0; c < candidates.size(); ++c) counts[c].push_back(line[c]);
      line = {};
      ++lines;
      continue;
    }
    for (std::size_t c = 0; c < candidates.size(); ++c)
      if (ch == candidates[c]) ++line[c];
  }
  if (lines < kLines && std::any_of(line.begin(), line.end(), [](std::size_t n) { return n > 0; }))
    for (std::size_t c = 0; c < candidates.size(); ++c) counts[c].push_back(line[c]);
  // A candidate that splits every line the same way beats one that does not;
  // among equals, more fields win; ties go to the earlier candidate.
  int best = -1;
  bool best_even = false;
  std::size_t best_fields = 0;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    const auto& v = counts[c];
    if (v.empty() || v.front() == 0) continue;
    bool even = std::all_of(v.begin(), v.end(), [&](std::size_t n) { return n == v.front(); });
    std::size_t fields = v.front();
    if (best < 0 || (even && !best_even) || (even == best_even && fields > best_fields)) {
      best = static_cast<int>(c);
      best_even = even;
      best_fields = fields;
    }
  }
  return best < 0 ? ',' : candidates[static_cast<std::size_t>(best)];
}

namespace {

// What libcsv's callbacks fill in. The callbacks run inside C code, so they
// must not throw: a failure is kept and rethrown once csv_parse returns.
struct Collector {
  const std::function<void(Record&&)>* on_record = nullptr;
  Record current;
  std::size_t records = 0;
  std::exception_ptr failure;
};

extern "C" void on_field(void* data, std::size_t length, void* collector) {
  auto& c = *static_cast<Collector*>(collector);
  if (c.failure) return;
  try {
    c.current.fields.emplace_back(static_cast<const char*>(data), data ? length : 0);
  } catch (...) {
    c.failure = std::current_exception();
  }
}

extern "C" void on_record_end(int, void* collector) {
  auto& c = *static_cast<Collector*>(collector);
  if (c.failure) return;
  try {
    c.current.number = ++c.records;
    Record done = std::move(c.current);
    c.current = Record{};
    (*c.on_record)(std::move(done));
  } catch (...) {
    c.failure = std::current_exception();
  }
}

// No character counts as padding: spaces around unquoted fields are data.
extern "C" int never_space(unsigned char) { return 0; }

}  // namespace

void parse(std::string_view utf8, char delimiter, const std::function<void(Record&&)>& on_record,
           const std::function<void(std::size_t)>& on_progress) {
  csv_parser parser;
  // Not CSV_STRICT: a quote inside an unquoted field (37°36'37.8"N) is taken
  // as a character, as spreadsheets do. A quote still open at the end is
  // checked below (libcsv checks it only in strict mode).
  if (csv_init(&parser, 0) != 0) throw std::bad_alloc();
  std::unique_ptr<csv_parser, void (*)(csv_parser*)> owned(&parser, [](csv_parser* p) { csv_free(p); });
  csv_set_delim(&parser, static_cast<unsigned char>(delimiter));
  csv_set_space_func(&parser, never_space);
  Collector c;
  c.on_record = &on_record;
  auto refuse = [&] {
    int error = csv_error(&parser);
    if (error == CSV_ENOMEM || error == CSV_ETOOBIG) throw std::bad_alloc();
    throw ValidationError("record " + std::to_string(c.records + 1),
                          "is not valid CSV: a quoted field is never closed");
  };
  // In pieces, so that a failure in a callback stops the work soon.
  constexpr std::size_t kChunk = 1 << 16;
  for (std::size_t pos = 0; pos < utf8.size(); pos += kChunk) {
    std::size_t n = std::min(kChunk, utf8.size() - pos);
    std::size_t done = csv_parse(&parser, utf8.data() + pos, n, on_field, on_record_end, &c);
    if (c.failure) std::rethrow_exception(c.failure);
    if (done != n) refuse();
    if (on_progress) on_progress(pos + n);
  }
  // A quoted field still open when the text ends would otherwise swallow
  // the rest of the file as one field. (`quoted` and `pstate` are libcsv's
  // public parser state; 2 is its FIELD_BEGUN: after a closing quote it is
  // 3, FIELD_MIGHT_HAVE_ENDED.)
  constexpr int kFieldBegun = 2;
  if (parser.quoted && parser.pstate == kFieldBegun) refuse();
  if (csv_fini(&parser, on_field, on_record_end, &c) != 0) {
    if (c.failure) std::rethrow_exception(c.failure);
    refuse();
  }
  if (c.failure) std::rethrow_exception(c.failure);
}

}  // namespace kartotek::csv
