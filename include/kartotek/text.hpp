// kartotek/text.hpp: Unicode rules for matching and sorting names, bound to a
// locale (ICU). Compiled in src/text.cpp.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace kartotek {

// TextRules: how the register's locale compares text.
//
// fold() gives the match key used for search: two strings match where their
// folded forms match. Folding ignores case and, for accented letters, follows
// the locale's collation at primary strength: in Swedish "ö" is its own letter
// (so "sodergren" does not find "Södergren"), in English it is an "o" with an
// accent (so it does). The key is valid UTF-8; prefix and substring relations
// between folded strings are what search uses.
//
// sort_key() gives bytes whose memcmp order is the locale's collation order
// (Swedish: "Zetterberg" < "Åberg" < "Ängström" < "Östlund"; Danish: Z < Æ < Ø
// < Å). compare() orders two strings the same way.
//
// A TextRules object is immutable after construction and safe to use from
// several threads at once.
class TextRules {
 public:
  // Throws ValidationError (field "locale") for a locale ICU does not know.
  explicit TextRules(std::string_view locale);
  ~TextRules();
  TextRules(const TextRules&) = delete;
  TextRules& operator=(const TextRules&) = delete;

  const std::string& locale() const noexcept;

  std::string fold(std::string_view utf8) const;
  std::string sort_key(std::string_view utf8) const;
  // Numbers inside the text compare by value ("K2" < "K10"); for customer numbers.
  std::string numeric_sort_key(std::string_view utf8) const;
  int compare(std::string_view a, std::string_view b) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values
// above U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

// case_fold: full Unicode case folding and NFC, the same in every locale. Keys
// that must not depend on the locale (customer numbers, logins) use it.
std::string case_fold(std::string_view utf8);

// Number of Unicode code points in well-formed UTF-8 text.
std::size_t code_point_count(std::string_view utf8) noexcept;

// `text` without leading and trailing Unicode white space.
std::string_view trim(std::string_view utf8) noexcept;

}  // namespace kartotek
