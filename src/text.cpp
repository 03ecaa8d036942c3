// text.cpp: TextRules and the locale-independent UTF-8 helpers, on ICU.
//
// Threading: a TextRules holds two ICU collators and a folding table, all
// written only in the constructor. Afterwards only const ICU methods are
// called on them (Collator::compareUTF8, Collator::getSortKey), and the ICU
// User Guide ("ICU Architectural Design", section "Thread-safe const APIs",
// docs/userguide/icu/design.md in unicode-org/icu) states that a service
// object is usable concurrently as long as every thread uses only const APIs;
// its "Freezable" section names exactly this use: a Collator set up, then
// "used from many threads for comparing strings and getting sort keys". The
// NFC Normalizer2 is ICU's shared singleton, used through const methods only.
// So no locks or per-thread clones are needed.

#include "kartotek/text.hpp"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/uchar.h>
#include <unicode/ulocdata.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <map>
#include <new>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "kartotek/error.hpp"

namespace kartotek {
namespace {

// ICU fails here only when out of memory or when its data is missing: faults
// of the installation, not of the caller's input.
void check_icu(UErrorCode status, const char* what) {
  if (status == U_MEMORY_ALLOCATION_ERROR) throw std::bad_alloc();
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU ") + what + ": " + u_errorName(status));
}

// ICU measures strings in int32_t.
int32_t icu_length(std::string_view text) {
  if (text.size() > static_cast<std::size_t>(INT32_MAX)) throw std::length_error("text longer than 2 GiB");
  return static_cast<int32_t>(text.size());
}

// Ill-formed sequences become U+FFFD (ICU's documented conversion).
icu::UnicodeString from_utf8(std::string_view text) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), icu_length(text)));
}

void append_utf8(std::string& out, UChar32 c) {
  uint8_t buf[U8_MAX_LENGTH];
  int32_t n = 0;
  U8_APPEND_UNSAFE(buf, n, c);
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

std::string to_utf8(UChar32 c) {
  std::string s;
  append_utf8(s, c);
  return s;
}

const icu::Normalizer2& nfc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
  check_icu(status, "NFC data");
  return *n;
}

// Full default case folding between two NFC passes. The first pass makes
// canonically equivalent inputs identical ("o\u0308" and "ö"); the second
// recomposes what folding decomposed ("ǰ" folds to "j\u030C").
void fold_case_nfc(icu::UnicodeString& s) {
  const icu::Normalizer2& n = nfc();
  UErrorCode status = U_ZERO_ERROR;
  if (!n.isNormalized(s, status)) s = n.normalize(s, status);
  s.foldCase(U_FOLD_CASE_DEFAULT);
  if (!n.isNormalized(s, status)) s = n.normalize(s, status);
  check_icu(status, "normalization");
}

bool is_ascii(std::string_view text) noexcept {
  for (unsigned char b : text)
    if (b >= 0x80) return false;
  return true;
}

// Parses a BCP 47 tag ("sv", "sv-SE", "sv-u-co-trad"); ICU's "sv_SE" form is
// read as "sv-SE". Refuses what ICU has no collation data for: an unknown
// language (ICU would silently fall back to the root collation), a region
// that is not an ISO 3166 code, and a variant that ICU's data does not carry.
// Returns the collator; `locale` receives the parsed locale.
std::unique_ptr<icu::Collator> open_collator(std::string_view id, icu::Locale& locale) {
  const std::string quoted = "\"" + std::string(id) + "\"";
  if (id.empty()) throw ValidationError("locale", "is empty");
  if (id.size() > 100) throw ValidationError("locale", "is too long");
  std::string tag(id);
  for (char& ch : tag)
    if (ch == '_') ch = '-';

  UErrorCode status = U_ZERO_ERROR;
  locale = icu::Locale::forLanguageTag(icu::StringPiece(tag.data(), icu_length(tag)), status);
  if (U_FAILURE(status) || locale.isBogus())
    throw ValidationError("locale", quoted + " is not a well-formed locale identifier");
  if (locale.getLanguage()[0] == '\0') throw ValidationError("locale", quoted + " names no language");

  if (const char* region = locale.getCountry(); region[0] != '\0') {
    bool known = std::strlen(region) == 3;  // UN M.49 area codes ("419") pass as they are
    for (const char* const* iso = icu::Locale::getISOCountries(); !known && *iso; ++iso)
      known = std::strcmp(*iso, region) == 0;
    if (!known) throw ValidationError("locale", quoted + " has an unknown region");
  }

  std::unique_ptr<icu::Collator> collator(icu::Collator::createInstance(locale, status));
  check_icu(status, "collator");
  // U_USING_DEFAULT_WARNING alone does not tell: "en" and "de" get it too, as
  // they use the root collation. The valid locale does: ICU leaves it empty
  // when it knows nothing of the language.
  UErrorCode valid_status = U_ZERO_ERROR;
  const icu::Locale valid = collator->getLocale(ULOC_VALID_LOCALE, valid_status);
  check_icu(valid_status, "collator locale");
  if (valid.getLanguage()[0] == '\0') throw ValidationError("locale", quoted + " is not a locale ICU knows");
  if (locale.getVariant()[0] != '\0' && std::strcmp(locale.getVariant(), valid.getVariant()) != 0)
    throw ValidationError("locale", quoted + " has a variant ICU does not know");
  return collator;
}

// Code points the folding table covers: the Latin blocks, combining marks
// and fullwidth ASCII. Everything below kFastLimit is also in the fast path.
constexpr std::array<std::pair<UChar32, UChar32>, 9> kFoldBlocks{{
    {0x0000, 0x036F},  // ASCII, Latin-1, Latin Extended-A/B, IPA, modifiers, combining marks
    {0x1AB0, 0x1AFF},  // Combining Diacritical Marks Extended
    {0x1DC0, 0x1DFF},  // Combining Diacritical Marks Supplement
    {0x1E00, 0x1EFF},  // Latin Extended Additional
    {0x20D0, 0x20FF},  // Combining Diacritical Marks for Symbols
    {0x2C60, 0x2C7F},  // Latin Extended-C
    {0xA720, 0xA7FF},  // Latin Extended-D
    {0xAB30, 0xAB6F},  // Latin Extended-E
    {0xFF00, 0xFF5F},  // fullwidth ASCII
}};
constexpr UChar32 kFastLimit = 0x300;
constexpr uint32_t kFoldCategories = U_GC_L_MASK | U_GC_MN_MASK | U_GC_ME_MASK | U_GC_CF_MASK;

}  // namespace

struct TextRules::Impl {
  std::string locale;
  std::unique_ptr<icu::Collator> collator;          // tertiary, canonical closure on
  std::unique_ptr<icu::Collator> numeric_collator;  // same, digits compared by value

  // The locale's letter folding: a folded code point -> its group's
  // representative (UTF-8; empty when the collation ignores it at primary
  // strength). Code points not present map to themselves.
  std::unordered_map<UChar32, std::string> letters;

  // fast[c]: fold() of the single code point c < kFastLimit. Valid for c in a
  // longer text because fast_ok[c] says that c and the start of its case
  // folding have a normalization boundary before them, so NFC and the table
  // act on each code point alone (a text mixing only such code points folds
  // to the concatenation of their folds).
  std::vector<std::string> fast;
  std::vector<bool> fast_ok;
  std::array<char, 128> ascii{};  // fast[b] as one byte, when ascii_direct
  bool ascii_direct = false;

  void build_fold_table(const icu::Locale& where);
  void build_fast_path();
  std::string fold_general(std::string_view utf8) const;
  std::string collation_key(const icu::Collator& c, std::string_view utf8) const;
};

// Groups the table's code points by their primary-strength sort key: two
// code points fold alike exactly when the locale's collation cannot tell them
// apart at primary strength. Each group's representative is, in order of
// preference: a plain ASCII letter ("é" -> "e"); a letter of the locale's
// main alphabet (exemplar set: Swedish "ö" for {ö, ø, ô, œ, …}, Danish "ø"
// for {ø, ö, …}); an ASCII digraph for a ligature the collation expands
// ("æ" -> "ae" in English, "þ" -> "th" in Swedish); the lowest code point.
// Only code points that case folding and NFC leave unchanged are grouped:
// fold() applies the table after those steps, so no others reach it.
void TextRules::Impl::build_fold_table(const icu::Locale& where) {
  std::unique_ptr<icu::Collator> primary(collator->clone());
  if (!primary) throw std::bad_alloc();
  primary->setStrength(icu::Collator::PRIMARY);
  auto primary_key = [&](const icu::UnicodeString& s) {
    std::array<uint8_t, 64> buf;
    int32_t n = primary->getSortKey(s, buf.data(), static_cast<int32_t>(buf.size()));
    std::string k(static_cast<std::size_t>(n), '\0');
    if (n <= static_cast<int32_t>(buf.size()))
      std::memcpy(k.data(), buf.data(), k.size());
    else
      primary->getSortKey(s, reinterpret_cast<uint8_t*>(k.data()), n);
    return k;
  };

  std::map<std::string, std::vector<UChar32>> groups;  // members ascending
  for (auto [first, last] : kFoldBlocks) {
    for (UChar32 c = first; c <= last; ++c) {
      if ((U_GET_GC_MASK(c) & kFoldCategories) == 0) continue;
      icu::UnicodeString one(c);
      icu::UnicodeString folded(one);
      fold_case_nfc(folded);
      if (folded != one) continue;
      groups[primary_key(one)].push_back(c);
    }
  }

  icu::UnicodeSet alphabet;
  UErrorCode status = U_ZERO_ERROR;
  if (ULocaleData* data = ulocdata_open(where.getName(), &status); U_SUCCESS(status)) {
    USet* set = ulocdata_getExemplarSet(data, nullptr, 0, ULOCDATA_ES_STANDARD, &status);
    if (U_SUCCESS(status) && set) alphabet = *icu::UnicodeSet::fromUSet(set);
    if (set) uset_close(set);
    ulocdata_close(data);
  }
  // Without an exemplar set the representative is still well defined (lowest
  // code point), only less natural.

  std::map<std::string, std::string> digraphs;
  for (char a = 'a'; a <= 'z'; ++a)
    for (char b = 'a'; b <= 'z'; ++b) {
      const char pair[2] = {a, b};
      digraphs.emplace(primary_key(icu::UnicodeString(pair, 2, icu::UnicodeString::kInvariant)),
                       std::string(pair, 2));
    }

  const std::string ignorable = primary_key(icu::UnicodeString());
  for (const auto& group : groups) {
    // Named parts, not a structured binding: lambdas below capture them.
    const auto& k = group.first;
    const auto& members = group.second;
    std::string rep;
    if (k != ignorable) {
      auto pick = [&](auto&& accept) {
        for (UChar32 c : members)
          if (accept(c)) return to_utf8(c);
        return std::string();
      };
      rep = pick([](UChar32 c) { return c >= 'a' && c <= 'z'; });
      if (rep.empty()) rep = pick([&](UChar32 c) { return alphabet.contains(c); });
      if (rep.empty())
        if (auto d = digraphs.find(k); d != digraphs.end()) rep = d->second;
      if (rep.empty()) rep = to_utf8(members.front());
    }
    for (UChar32 c : members)
      if (rep != to_utf8(c)) letters.emplace(c, rep);
  }
}

void TextRules::Impl::build_fast_path() {
  const icu::Normalizer2& n = nfc();
  fast.resize(kFastLimit);
  fast_ok.resize(kFastLimit);
  for (UChar32 c = 0; c < kFastLimit; ++c) {
    icu::UnicodeString folded(c);
    fold_case_nfc(folded);
    fast_ok[c] = n.hasBoundaryBefore(c) && folded.length() > 0 && n.hasBoundaryBefore(folded.char32At(0));
    fast[c] = fold_general(to_utf8(c));
  }
  ascii_direct = true;
  for (int b = 0; b < 128; ++b) {
    if (!fast_ok[b] || fast[b].size() != 1) ascii_direct = false;
    ascii[b] = fast[b].empty() ? '\0' : fast[b][0];
  }
}

std::string TextRules::Impl::fold_general(std::string_view utf8) const {
  icu::UnicodeString s = from_utf8(utf8);
  fold_case_nfc(s);
  std::string out;
  out.reserve(utf8.size());
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (auto it = letters.find(c); it != letters.end())
      out += it->second;
    else
      append_utf8(out, c);
  }
  return out;
}

std::string TextRules::Impl::collation_key(const icu::Collator& c, std::string_view utf8) const {
  const icu::UnicodeString s = from_utf8(utf8);
  std::array<uint8_t, 256> buf;
  int32_t n = c.getSortKey(s, buf.data(), static_cast<int32_t>(buf.size()));
  // ICU sort keys end in one zero byte and hold no other (they "can be
  // compared using strcmp()", coll.h); the terminator is not part of the key.
  if (n <= 0) return {};
  std::string out(static_cast<std::size_t>(n), '\0');
  if (n <= static_cast<int32_t>(buf.size()))
    std::memcpy(out.data(), buf.data(), out.size());
  else
    c.getSortKey(s, reinterpret_cast<uint8_t*>(out.data()), n);
  out.pop_back();
  return out;
}

TextRules::TextRules(std::string_view locale) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  icu::Locale where;
  m.locale = std::string(locale);
  m.collator = open_collator(locale, where);

  UErrorCode status = U_ZERO_ERROR;
  // Canonically equivalent spellings ("o\u0308", "ö") must get equal keys
  // even when not in FCD form.
  m.collator->setAttribute(UCOL_NORMALIZATION_MODE, UCOL_ON, status);
  m.numeric_collator.reset(m.collator->clone());
  if (!m.numeric_collator) throw std::bad_alloc();
  m.numeric_collator->setAttribute(UCOL_NUMERIC_COLLATION, UCOL_ON, status);
  check_icu(status, "collator attributes");

  m.build_fold_table(where);
  m.build_fast_path();
}

TextRules::~TextRules() = default;

const std::string& TextRules::locale() const noexcept { return impl_->locale; }

std::string TextRules::fold(std::string_view utf8) const {
  const Impl& m = *impl_;
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t n = icu_length(utf8);
  std::string out;
  out.reserve(utf8.size());
  for (int32_t i = 0; i < n;) {
    if (s[i] < 0x80 && m.ascii_direct) {
      out.push_back(m.ascii[s[i++]]);
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0 || c >= kFastLimit || !m.fast_ok[c]) return m.fold_general(utf8);
    out += m.fast[c];
  }
  return out;
}

std::string TextRules::sort_key(std::string_view utf8) const { return impl_->collation_key(*impl_->collator, utf8); }

std::string TextRules::numeric_sort_key(std::string_view utf8) const {
  return impl_->collation_key(*impl_->numeric_collator, utf8);
}

int TextRules::compare(std::string_view a, std::string_view b) const {
  UErrorCode status = U_ZERO_ERROR;
  const UCollationResult r = impl_->collator->compareUTF8(icu::StringPiece(a.data(), icu_length(a)),
                                                          icu::StringPiece(b.data(), icu_length(b)), status);
  check_icu(status, "compare");
  return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

bool is_valid_utf8(std::string_view text) noexcept {
  if (text.size() > static_cast<std::size_t>(INT32_MAX)) return false;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto n = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(s, i, n, c);  // negative for overlongs, surrogates, > U+10FFFF, truncation
    if (c < 0) return false;
  }
  return true;
}

std::string case_fold(std::string_view utf8) {
  if (is_ascii(utf8)) {
    std::string out(utf8);
    for (char& ch : out)
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return out;
  }
  icu::UnicodeString s = from_utf8(utf8);
  fold_case_nfc(s);
  std::string out;
  s.toUTF8String(out);
  return out;
}

std::size_t code_point_count(std::string_view utf8) noexcept {
  // Well-formed UTF-8 has exactly one non-continuation byte per code point.
  std::size_t count = 0;
  for (unsigned char b : utf8)
    if ((b & 0xC0) != 0x80) ++count;
  return count;
}

std::string_view trim(std::string_view utf8) noexcept {
  if (utf8.size() > static_cast<std::size_t>(INT32_MAX)) return utf8;
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto n = static_cast<int32_t>(utf8.size());
  int32_t begin = 0;
  while (begin < n) {
    int32_t next = begin;
    UChar32 c;
    U8_NEXT(s, next, n, c);
    if (c < 0 || !u_isUWhiteSpace(c)) break;
    begin = next;
  }
  int32_t end = n;
  while (end > begin) {
    int32_t prev = end;
    UChar32 c;
    U8_PREV(s, begin, prev, c);
    if (c < 0 || !u_isUWhiteSpace(c)) break;
    end = prev;
  }
  return utf8.substr(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin));
}

}  // namespace kartotek
