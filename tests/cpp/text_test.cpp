// Text rules: locale folding for search, collation for sorting, UTF-8 helpers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "kartotek/error.hpp"
#include "kartotek/text.hpp"

using namespace kartotek;

namespace {

int sign(int v) { return (v > 0) - (v < 0); }

// Bytewise order, as std::string compares.
int key_order(const std::string& a, const std::string& b) { return sign(a.compare(b)); }

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

std::string utf8(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (c >> 18));
    s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
  return s;
}

// Each neighbouring pair must be strictly ordered by compare() and by the
// bytes of sort_key().
void check_ascending(const TextRules& rules, const std::vector<std::string>& names) {
  for (std::size_t i = 0; i + 1 < names.size(); ++i) {
    INFO(names[i] << " < " << names[i + 1]);
    CHECK(rules.compare(names[i], names[i + 1]) == -1);
    CHECK(rules.compare(names[i + 1], names[i]) == 1);
    CHECK(key_order(rules.sort_key(names[i]), rules.sort_key(names[i + 1])) == -1);
  }
}

}  // namespace

TEST_CASE("Swedish sorts Z before Å, Ä and Ö", "[text]") {
  TextRules sv("sv");
  check_ascending(sv, {"Zetterberg", "Åberg", "Ängström", "Östlund"});

  std::vector<std::string> names{"Östlund", "Ängström", "Zetterberg", "Åberg"};
  std::sort(names.begin(), names.end(),
            [&](const std::string& a, const std::string& b) { return sv.sort_key(a) < sv.sort_key(b); });
  CHECK(names == std::vector<std::string>{"Zetterberg", "Åberg", "Ängström", "Östlund"});
}

TEST_CASE("Danish sorts Z before Æ, Ø and Å", "[text]") {
  TextRules da("da");
  check_ascending(da, {"Zealand", "Ærø", "Østerbro", "Århus"});
}

TEST_CASE("English sorts Å, Ä and Ö among the A and O names", "[text]") {
  TextRules en("en");
  check_ascending(en, {"Åberg", "Ängström", "Nilsson", "Östlund", "Zetterberg"});
}

TEST_CASE("compare and sort keys agree, and equal text gives equal keys", "[text]") {
  const std::vector<std::string> names{"", "a", "A", "å", "Å", "aa", "Aa", "ab", "o\xCC\x88", "ö", "Ö",
                                       "ø", "ae", "æ", "K2", "K10", "van Dijk", "Van Dijk", "O'Brien"};
  for (const char* locale : {"sv", "da", "en"}) {
    TextRules rules(locale);
    for (const auto& a : names)
      for (const auto& b : names) {
        INFO(locale << ": '" << a << "' vs '" << b << "'");
        CHECK(rules.compare(a, b) == key_order(rules.sort_key(a), rules.sort_key(b)));
      }
    CHECK(rules.sort_key("Östlund") == rules.sort_key("Östlund"));
    // Canonically equivalent spellings are the same text.
    CHECK(rules.sort_key("O\xCC\x88stlund") == rules.sort_key("Östlund"));
    CHECK(rules.compare("O\xCC\x88stlund", "Östlund") == 0);
  }
}

TEST_CASE("sort keys carry no terminator and no zero byte", "[text]") {
  TextRules sv("sv");
  for (const char* s : {"", "a", "Åberg", "Zetterberg 12"}) {
    const std::string key = sv.sort_key(s);
    CHECK(key.find('\0') == std::string::npos);
    CHECK(sv.numeric_sort_key(s).find('\0') == std::string::npos);
  }
  CHECK_FALSE(sv.sort_key("a").empty());
}

TEST_CASE("numeric sort keys compare numbers by value", "[text]") {
  TextRules sv("sv");
  CHECK(sv.numeric_sort_key("K2") < sv.numeric_sort_key("K10"));
  CHECK(sv.numeric_sort_key("K10") < sv.numeric_sort_key("K100"));
  CHECK(sv.numeric_sort_key("K00007") < sv.numeric_sort_key("K00010"));
  // The plain key compares digit by digit.
  CHECK(sv.sort_key("K10") < sv.sort_key("K2"));
}

TEST_CASE("in Swedish ö is its own letter, in English and German an accented o", "[text]") {
  TextRules sv("sv"), en("en"), de("de");
  CHECK(sv.fold("Södergren") != sv.fold("Sodergren"));
  CHECK(sv.fold("Södergren") == sv.fold("SÖDERGREN"));
  CHECK(sv.fold("ÅSA") == sv.fold("åsa"));
  CHECK(sv.fold("Åsa") != sv.fold("Asa"));
  CHECK(sv.fold("Ängström") != sv.fold("Angstrom"));
  CHECK(sv.fold("Södergren") == "södergren");
  CHECK(en.fold("Södergren") == en.fold("sodergren"));
  CHECK(en.fold("Södergren") == "sodergren");
  CHECK(de.fold("Södergren") == de.fold("sodergren"));
  CHECK(en.fold("Ångström") == "angstrom");
}

TEST_CASE("Swedish folds letters its collation does not tell apart", "[text]") {
  TextRules sv("sv");
  CHECK(sv.fold("André") == sv.fold("andre"));
  CHECK(sv.fold("É") == "e");
  CHECK(sv.fold("Çelik") == "celik");
  // ø and æ are the Swedish ö and ä.
  CHECK(sv.fold("Møller") == sv.fold("Möller"));
  CHECK(sv.fold("Sæther") == sv.fold("Säther"));
  CHECK(sv.fold("Møller") == "möller");
}

TEST_CASE("Danish keeps æ, ø and å apart from ae, o and a", "[text]") {
  TextRules da("da");
  CHECK(da.fold("Ærø") == "ærø");
  CHECK(da.fold("Æbelø") != da.fold("Aebelo"));
  CHECK(da.fold("Østerbro") != da.fold("Osterbro"));
  CHECK(da.fold("Århus") != da.fold("Arhus"));
  CHECK(da.fold("ÅRHUS") == da.fold("århus"));
  // Danish collation puts ö with ø and ä with æ.
  CHECK(da.fold("Öster") == da.fold("Øster"));
  CHECK(da.fold("Jäger") == da.fold("Jæger"));
  CHECK(da.fold("Öster") == "øster");
  CHECK(da.fold("Émile") == "emile");
}

TEST_CASE("folding ignores case, folds ß to ss and treats decomposed as precomposed", "[text]") {
  for (const char* locale : {"sv", "da", "en", "de"}) {
    TextRules rules(locale);
    INFO(locale);
    CHECK(rules.fold("Straße") == rules.fold("STRASSE"));
    CHECK(rules.fold("Straße") == "strasse");
    CHECK(rules.fold("So\xCC\x88" "dergren") == rules.fold("Södergren"));  // o + U+0308
    CHECK(rules.fold("A\xCC\x8A" "berg") == rules.fold("åberg"));        // A + U+030A
    CHECK(rules.fold("Nilsson") == "nilsson");
    CHECK(rules.fold("") == "");
  }
}

TEST_CASE("a folded prefix of a name is a prefix of the folded name", "[text]") {
  for (const char* locale : {"sv", "da", "en"}) {
    TextRules rules(locale);
    INFO(locale);
    CHECK(starts_with(rules.fold("Åberg"), rules.fold("åb")));
    CHECK(starts_with(rules.fold("Östlund"), rules.fold("ÖST")));
    CHECK(starts_with(rules.fold("Ängström"), rules.fold("Ä")));
  }
  TextRules sv("sv");
  CHECK_FALSE(starts_with(sv.fold("Åberg"), sv.fold("ab")));
}

TEST_CASE("folding character by character and folding through ICU agree", "[text]") {
  // A CJK character sends any text through the general ICU path; without it
  // text below U+0300 takes the per-character path.
  const std::string cjk = "\xE4\xB8\x80";
  for (const char* locale : {"sv", "da", "en"}) {
    TextRules rules(locale);
    for (char32_t c = 1; c < 0x300; ++c) {
      const std::string s = "x" + utf8(c) + "Y" + utf8(c);
      INFO(locale << " U+" << std::hex << static_cast<unsigned>(c));
      CHECK(rules.fold(s) + cjk == rules.fold(s + cjk));
    }
  }
}

TEST_CASE("folded text is valid UTF-8, also from ill-formed input", "[text]") {
  TextRules sv("sv");
  for (const std::string& s : {std::string("Bj\xF6rk"), std::string("\xC0\xAF"), std::string("ab\xE2\x82"),
                              std::string("\xED\xA0\x80z"), std::string("Ö\xFF")}) {
    CHECK(is_valid_utf8(sv.fold(s)));
    CHECK(is_valid_utf8(case_fold(s)));
  }
  CHECK(is_valid_utf8(sv.fold("ǅemal İnce ŉ ﬁ Ǆ")));
}

TEST_CASE("an unknown or malformed locale is refused with field locale", "[text][validation]") {
  for (const char* bad : {"xx-bogus", "xx", "", "sv--SE", "sv-", "s", "123", "root", "und", "x-private",
                          "sv-bogus", "sv-QQ", "sv@collation=trad", "sv SE"}) {
    INFO("'" << bad << "'");
    try {
      TextRules rules(bad);
      FAIL("accepted");
    } catch (const ValidationError& e) {
      CHECK(e.field() == "locale");
    }
  }
  for (const char* good : {"sv", "da", "en", "de", "nb", "nn", "fi", "is", "sv-SE", "sv_SE", "da-DK", "en-US",
                           "sv-u-co-trad"}) {
    INFO(good);
    CHECK_NOTHROW(TextRules(good));
  }
  CHECK(TextRules("sv-SE").locale() == "sv-SE");
}

TEST_CASE("UTF-8 validity rejects overlongs, surrogates, truncation and values above U+10FFFF", "[text]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("Åsa Öberg"));
  CHECK(is_valid_utf8("\xF0\x9F\x98\x80"));             // U+1F600
  CHECK(is_valid_utf8(std::string_view("a\0b", 3)));    // U+0000 is a character
  CHECK(is_valid_utf8("\xEF\xBF\xBF"));                 // U+FFFF, a noncharacter but well-formed
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));                // overlong "/"
  CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));            // overlong "/"
  CHECK_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));        // overlong "/"
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));            // U+D800
  CHECK_FALSE(is_valid_utf8("\xED\xBF\xBF"));            // U+DFFF
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));        // U+110000
  CHECK_FALSE(is_valid_utf8("\xC3"));                    // truncated "Ã"
  CHECK_FALSE(is_valid_utf8("ab\xE2\x82"));              // truncated "€"
  CHECK_FALSE(is_valid_utf8("\x80"));                    // lone continuation byte
  CHECK_FALSE(is_valid_utf8("\xFF"));
  CHECK_FALSE(is_valid_utf8("Bj\xF6rk"));                // Latin-1, not UTF-8
}

TEST_CASE("trim removes Unicode white space, NBSP and ideographic space included", "[text]") {
  const std::string text = "\xC2\xA0 \t\xE3\x80\x80" "Åsa Berg\xE2\x80\x83\n\xC2\xA0";
  const std::string_view trimmed = trim(text);
  CHECK(trimmed == "Åsa Berg");
  CHECK(trimmed.data() == text.data() + 7);  // a view into the input
  CHECK(trim("  ") == "");
  CHECK(trim("") == "");
  CHECK(trim("Åsa") == "Åsa");
  CHECK(trim("\xE2\x80\x8B" "a") == "\xE2\x80\x8B" "a");  // zero-width space is not white space
}

TEST_CASE("code points are counted, not bytes", "[text]") {
  CHECK(code_point_count("Åsa") == 3);
  CHECK(code_point_count("ÅÄÖ123") == 6);
  CHECK(code_point_count("") == 0);
  CHECK(code_point_count("\xF0\x9F\x98\x80") == 1);
  CHECK(code_point_count("o\xCC\x88") == 2);
}

TEST_CASE("case_fold ignores case in every locale and keeps accents", "[text]") {
  CHECK(case_fold("AB-100") == "ab-100");
  CHECK(case_fold("Straße") == case_fold("STRASSE"));
  CHECK(case_fold("ÖBERG") == "öberg");
  CHECK(case_fold("O\xCC\x88" "berg") == "öberg");
  CHECK(case_fold("öberg") != case_fold("oberg"));
}

TEST_CASE("folding and sorting from several threads give the single-thread results", "[text][threads]") {
  TextRules sv("sv");
  const std::vector<std::string> names{"Zetterberg", "Åberg",  "Ängström", "Östlund", "Södergren", "André",
                                       "Straße",     "Møller", "O\xCC\x88stlund", "Jürgen 一", "K10", "K2"};
  std::vector<std::string> folds, keys, numeric_keys;
  std::vector<int> orders;
  for (const auto& a : names) {
    folds.push_back(sv.fold(a));
    keys.push_back(sv.sort_key(a));
    numeric_keys.push_back(sv.numeric_sort_key(a));
    for (const auto& b : names) orders.push_back(sv.compare(a, b));
  }

  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 300; ++round) {
        std::size_t o = 0;
        for (std::size_t i = 0; i < names.size(); ++i) {
          if (sv.fold(names[i]) != folds[i]) ++mismatches[t];
          if (sv.sort_key(names[i]) != keys[i]) ++mismatches[t];
          if (sv.numeric_sort_key(names[i]) != numeric_keys[i]) ++mismatches[t];
          for (const auto& b : names)
            if (sv.compare(names[i], b) != orders[o++]) ++mismatches[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(mismatches == std::vector<int>(4, 0));
}
