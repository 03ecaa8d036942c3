// src/duplicates.cpp: customers and contacts that look like one twice
// (docs/duplicates.md) — their match keys, the score of a pair, and the
// blocking that finds candidate pairs among a million records without
// comparing every pair.
//
// Threading: ICU transliterators are not thread-safe. One prototype is
// made the first time a text needs it, and each call clones its own from
// it (under a mutex) and uses the clone on its thread alone. Texts of Latin
// letters only — nearly every Nordic name — never need one: a table, built
// once and read-only afterwards, folds each of their code points.

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <mutex>
#include <new>
#include <stdexcept>

#include "register_impl.hpp"

namespace kartotek {

using namespace internal;

namespace {

// ---- folding names to ASCII words ----------------------------------------------

// Code points below this (Basic Latin to Latin Extended-B) fold by table.
constexpr UChar32 kTableLimit = 0x250;

std::unique_ptr<icu::Transliterator> ascii_transliterator() {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(
      icu::Transliterator::createInstance("Any-Latin; Latin-ASCII", UTRANS_FORWARD, status));
  if (status == U_MEMORY_ALLOCATION_ERROR) throw std::bad_alloc();
  if (U_FAILURE(status) || !t)
    throw std::runtime_error(std::string("ICU transliterator Any-Latin; Latin-ASCII: ") + u_errorName(status));
  return t;
}

std::mutex prototype_mutex;

std::unique_ptr<icu::Transliterator> clone_transliterator() {
  std::lock_guard lock(prototype_mutex);
  static const std::unique_ptr<icu::Transliterator> prototype = ascii_transliterator();
  std::unique_ptr<icu::Transliterator> clone(prototype->clone());
  if (!clone) throw std::bad_alloc();
  return clone;
}

// Joiners vanish without parting words, so that "A/S", "A.B." and
// "O'Brien" stay one word; every other character that is no letter or digit
// parts words.
bool joiner(UChar32 c) { return c == '.' || c == '/' || c == '\'' || c == 0x2019; }

// The lowercase ASCII letters and digits of `transliterated`.
std::string ascii_alnum(const icu::UnicodeString& transliterated) {
  std::string utf8, out;
  transliterated.toUTF8String(utf8);
  for (char ch : utf8)
    if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z')) out.push_back(ch);
    else if (ch >= 'A' && ch <= 'Z') out.push_back(static_cast<char>(ch - 'A' + 'a'));
  return out;
}

// fold_table()[c]: what code point c < kTableLimit folds to: lowercase ASCII
// letters and digits, " " where it parts words, "" for a joiner.
const std::array<std::string, kTableLimit>& fold_table() {
  static const std::array<std::string, kTableLimit> table = [] {
    std::array<std::string, kTableLimit> t;
    auto translit = ascii_transliterator();  // this thread's own, while the table is built
    for (UChar32 c = 0; c < kTableLimit; ++c) {
      if (joiner(c)) continue;
      if (!u_isalnum(c)) {
        t[static_cast<std::size_t>(c)].push_back(' ');
        continue;
      }
      icu::UnicodeString s(c);
      translit->transliterate(s);
      t[static_cast<std::size_t>(c)] = ascii_alnum(s);
    }
    return t;
  }();
  return table;
}

// Folder: turns text into the lowercase ASCII words match keys are made of
// (ö → o, å → a, æ → ae, ø → o, ß → ss, other scripts transliterated). One
// per call and thread; it reuses its buffers from text to text.
class Folder {
 public:
  // Appends `text` folded to `out`: letters and digits, words parted by spaces.
  void fold(std::string_view text, std::string& out) {
    const auto& table = fold_table();
    const std::size_t start = out.size();
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    const auto n = static_cast<int32_t>(std::min<std::size_t>(text.size(), INT32_MAX));
    for (int32_t i = 0; i < n;) {
      UChar32 c;
      U8_NEXT(s, i, n, c);
      if (c < 0) {
        out.push_back(' ');  // ill-formed: parts words
      } else if (c < kTableLimit) {
        out += table[static_cast<std::size_t>(c)];
      } else {
        out.resize(start);
        out += fold_other(text);
        return;
      }
    }
  }

  // The words of `first` followed by those of `second`, as views into this
  // folder's buffer: valid until its next use.
  std::vector<std::string_view>& words(std::string_view first, std::string_view second = {}) {
    buffer_.clear();
    fold(first, buffer_);
    buffer_.push_back(' ');
    fold(second, buffer_);
    words_.clear();
    std::size_t start = 0;
    while (start < buffer_.size()) {
      std::size_t end = buffer_.find(' ', start);
      if (end == std::string::npos) end = buffer_.size();
      if (end > start) words_.emplace_back(buffer_.data() + start, end - start);
      start = end + 1;
    }
    return words_;
  }

  // Appends `text` folded with its words run together to `out`.
  void append_compact(std::string_view text, std::string& out) {
    buffer_.clear();
    fold(text, buffer_);
    for (char ch : buffer_)
      if (ch != ' ') out.push_back(ch);
  }

 private:
  // Text with letters of other scripts (or decomposed accents): the whole
  // text through the transliterator, then each code point as above.
  std::string fold_other(std::string_view text) {
    if (!translit_) translit_ = clone_transliterator();
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(std::min<std::size_t>(text.size(), INT32_MAX))));
    translit_->transliterate(u);
    const auto& table = fold_table();
    std::string out;
    for (int32_t i = 0; i < u.length();) {
      const UChar32 c = u.char32At(i);
      i += U16_LENGTH(c);
      if (c < kTableLimit) {
        out += table[static_cast<std::size_t>(c)];
      } else if (joiner(c)) {
      } else if (u_isalnum(c)) {
        // A letter no rule spells in ASCII: kept, lowercased, as UTF-8.
        uint8_t buf[U8_MAX_LENGTH];
        int32_t len = 0;
        U8_APPEND_UNSAFE(buf, len, u_tolower(c));
        out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(len));
      } else {
        out.push_back(' ');
      }
    }
    return out;
  }

  std::unique_ptr<icu::Transliterator> translit_;
  std::string buffer_;
  std::vector<std::string_view> words_;
};

// Words a customer's name may carry or leave out without naming another
// company: company forms (Nordic first) and the "& Co" that goes with them.
// Sorted, for binary search.
constexpr std::array<std::string_view, 39> kCompanyWords{
    "ab",        "ag",       "aktiebolag", "aktiebolaget", "amba",           "and",   "ans",   "aps",
    "as",        "asa",      "ay",         "bv",           "cie",            "co",    "corp",  "fmba",
    "gmbh",      "handelsbolag", "hb",     "inc",          "ivs",            "kb",    "kommanditbolag",
    "ky",        "limited",  "llc",        "ltd",          "och",            "og",    "oy",    "oyj",
    "plc",       "sa",       "smba",       "und",          "&",              "company", "incorporated",
    "aktieselskab"};

bool company_word(std::string_view w) {
  static const auto sorted = [] {
    auto a = kCompanyWords;
    std::sort(a.begin(), a.end());
    return a;
  }();
  return std::binary_search(sorted.begin(), sorted.end(), w);
}


std::string digits(std::string_view s) {
  std::string out;
  for (char ch : s)
    if (ch >= '0' && ch <= '9') out.push_back(ch);
  return out;
}

template <class T>
void sort_unique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

template <class T>
bool share(const std::vector<T>& a, const std::vector<T>& b) {  // both sorted
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i < *j) ++i;
    else if (*j < *i) ++j;
    else return true;
  }
  return false;
}

// ---- match keys ----------------------------------------------------------------

// Keys: what a record is matched on. Empty members take no part.
struct Keys {
  std::uint64_t id = 0;
  std::string name;         // folded words run together (a customer's without company forms)
  std::string name_sorted;  // the same words in alphabetical order: "Lind Anna" is "Anna Lind"
  std::string organisation;            // its digits, when there are at least 6
  std::string email;                   // case-folded
  std::vector<std::string> phones;     // the last 8 digits of each number with at least 7
  std::vector<std::string> addresses;  // folded street and postal code of each address
  std::vector<std::uint64_t> customers;  // a contact's customers (that the reader sees)
  bool person = false;                   // a private customer
};

void set_name(Keys& k, std::vector<std::string_view>& words, bool company) {
  if (company && std::any_of(words.begin(), words.end(), [](std::string_view w) { return !company_word(w); }))
    words.erase(std::remove_if(words.begin(), words.end(), company_word), words.end());
  // (a name of company forms only is its own key)
  k.name.clear();
  for (auto w : words) k.name += w;
  std::sort(words.begin(), words.end());
  k.name_sorted.clear();
  for (auto w : words) k.name_sorted += w;
}

void add_phone(Keys& k, std::string_view number) {
  std::string d = digits(number);
  if (d.size() < 7) return;
  k.phones.push_back(d.size() > 8 ? d.substr(d.size() - 8) : d);
}

void set_email(Keys& k, std::string_view email) {
  k.email.clear();
  std::string_view e = trim(email);
  if (e.find('@') != std::string_view::npos) k.email = case_fold(e);
}

// Fills `k` (reusing its buffers) with the keys of a customer or contact.
void customer_keys(const Customer& c, Folder& folder, Keys& k) {
  k.id = c.id.value;
  k.person = c.kind == CustomerKind::private_person;
  set_name(k, folder.words(c.name), true);
  k.organisation = digits(c.organisation_number);
  if (k.organisation.size() < 6) k.organisation.clear();
  set_email(k, c.email);
  k.phones.clear();
  add_phone(k, c.phone);
  k.addresses.clear();
  auto address = [&](const Address& a) {
    std::string key;
    folder.append_compact(a.street, key);
    if (key.empty()) return;
    key.push_back('|');
    const std::size_t street = key.size();
    folder.append_compact(a.postal_code, key);
    if (key.size() > street) k.addresses.push_back(std::move(key));
  };
  address(c.invoice_address);
  if (c.visiting_address) address(*c.visiting_address);
  if (c.postal_address) address(*c.postal_address);
  sort_unique(k.phones);
  sort_unique(k.addresses);
}

void contact_keys(const Contact& c, Folder& folder, Keys& k) {
  k.id = c.id.value;
  k.person = false;
  set_name(k, folder.words(c.first_name, c.last_name), false);
  k.organisation.clear();
  set_email(k, c.email);
  k.phones.clear();
  add_phone(k, c.phone);
  add_phone(k, c.mobile);
  sort_unique(k.phones);
  k.addresses.clear();
  k.customers.clear();
}

// ---- scores --------------------------------------------------------------------

// Weights: the points each shared key gives (docs/duplicates.md). A similar
// name gives `similar_name` times the names' similarity (0.8 to 1).
struct Weights {
  int same_name;
  int similar_name;
  int organisation;
  int email;
  int phone;
  int address;
  int customer;
  int other_organisation;  // both have one, and they differ
};

constexpr Weights kCustomerWeights{60, 60, 50, 35, 25, 20, 0, -30};
// Two private customers of one name are most often two people ("Anna
// Berg"): the name alone stays below the default minimum of 50, and with a
// shared address, phone, e-mail or identity number it is listed.
constexpr Weights kPersonWeights{45, 45, 50, 35, 25, 20, 0, -30};
// So are two contacts of one name: listed when they share a customer, an
// e-mail or a phone too.
constexpr Weights kContactWeights{45, 45, 0, 50, 30, 0, 20, 0};

const Weights& weights(RecordKind kind) { return kind == RecordKind::customer ? kCustomerWeights : kContactWeights; }

// Optimal string alignment distance (Damerau–Levenshtein where no part is
// edited twice) of a and b, or bound + 1 when it exceeds bound. Only the
// diagonal band of width 2·bound + 1 is computed.
std::size_t osa_distance(std::string_view a, std::string_view b, std::size_t bound) {
  const std::size_t la = a.size(), lb = b.size(), inf = bound + 1;
  if ((la > lb ? la - lb : lb - la) > bound) return inf;
  // Three rows; each row writes its band and the cell on either side of it
  // (inf), which is all the next two rows read.
  thread_local std::vector<std::size_t> rows;
  rows.assign(3 * (lb + 2), inf);
  std::size_t* two = rows.data();     // row i - 2
  std::size_t* one = two + (lb + 2);  // row i - 1
  std::size_t* cur = one + (lb + 2);  // row i
  for (std::size_t j = 0; j <= lb && j <= bound; ++j) one[j] = j;
  for (std::size_t i = 1; i <= la; ++i) {
    const std::size_t lo = i > bound ? i - bound : 1;
    const std::size_t hi = std::min(lb, i + bound);
    cur[0] = i <= bound ? i : inf;
    cur[lo - 1] = lo == 1 ? cur[0] : inf;
    cur[hi + 1] = inf;
    std::size_t best = cur[0];
    for (std::size_t j = lo; j <= hi; ++j) {
      std::size_t v = std::min({one[j] + 1, cur[j - 1] + 1, one[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, two[j - 2] + 1);
      cur[j] = std::min(v, inf);
      best = std::min(best, cur[j]);
    }
    if (best > bound) return inf;
    std::swap(two, one);
    std::swap(one, cur);
  }
  return std::min(one[lb], inf);
}

// 1 − distance / longer length when that is at least 0.8, else 0. Names
// whose numbers differ are never similar: "Brf Ängsbacken 12" and "Brf
// Ängsbacken 14" are two housing cooperatives, not a typo.
double similarity(std::string_view a, std::string_view b) {
  const std::size_t longer = std::max(a.size(), b.size());
  const std::size_t bound = longer / 5;  // 1 − d/m ≥ 0.8 ⇔ 5d ≤ m
  if (longer == 0 || (a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > bound) return 0;
  auto digit = [](char ch) { return ch >= '0' && ch <= '9'; };
  auto i = a.begin(), j = b.begin();
  for (;; ++i, ++j) {
    i = std::find_if(i, a.end(), digit);
    j = std::find_if(j, b.end(), digit);
    if (i == a.end() || j == b.end()) {
      if (i != a.end() || j != b.end()) return 0;
      break;
    }
    if (*i != *j) return 0;
  }
  const std::size_t d = osa_distance(a, b, bound);
  if (d > bound) return 0;
  return 1.0 - static_cast<double>(d) / static_cast<double>(longer);
}

// The score of two records (0 to 100), and why.
int score(const Keys& a, const Keys& b, const Weights& kind_weights, std::vector<std::string>& reasons) {
  const Weights& w = a.person || b.person ? kPersonWeights : kind_weights;
  int total = 0;
  auto add = [&](int points, const char* reason) {
    total += points;
    reasons.emplace_back(reason);
  };
  if (!a.name.empty() && !b.name.empty()) {
    if (a.name == b.name || a.name_sorted == b.name_sorted) {
      add(w.same_name, "same name");
    } else {
      double s = similarity(a.name, b.name);
      if (a.name_sorted != a.name || b.name_sorted != b.name) s = std::max(s, similarity(a.name_sorted, b.name_sorted));
      if (s > 0) add(static_cast<int>(std::lround(w.similar_name * s)), "similar name");
    }
  }
  if (w.organisation && !a.organisation.empty() && !b.organisation.empty()) {
    if (a.organisation == b.organisation) add(w.organisation, "organisation number");
    else add(w.other_organisation, "different organisation numbers");
  }
  if (w.email && !a.email.empty() && a.email == b.email) add(w.email, "email");
  if (w.phone && share(a.phones, b.phones)) add(w.phone, "phone");
  if (w.address && share(a.addresses, b.addresses)) add(w.address, "address");
  if (w.customer && share(a.customers, b.customers)) add(w.customer, "customer");
  return std::clamp(total, 0, 100);
}

// ---- candidate pairs -----------------------------------------------------------

// Records sharing a key, beyond this many, are not paired by that key (an
// e-mail every customer of a chain shares says nothing, nor does a name a
// thousand records carry); nor are names with this many records paired
// with their neighbours.
constexpr std::size_t kMaxBlock = 1000;
// Sorted-neighbourhood window: each name is paired with the next ones in
// alphabetical order, and in the order of the names read backwards.
constexpr std::size_t kWindow = 4;

std::uint64_t fnv1a(std::string_view s, std::size_t skip) {
  std::uint64_t h = 14695981039346656037ull;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == skip) continue;
    h ^= static_cast<unsigned char>(s[i]);
    h *= 1099511628211ull;
  }
  return h;
}

void check_min_score(int min_score) {
  if (min_score < 1 || min_score > 100) throw ValidationError("min_score", "must lie between 1 and 100");
}

// Pairs: collects the pairs that score at least `min_score`, each once.
class Pairs {
 public:
  Pairs(const std::vector<Keys>& keys, RecordKind kind, int min_score)
      : keys_(keys), kind_(kind), weights_(weights(kind)), min_score_(min_score) {}

  void consider(std::size_t i, std::size_t j) {
    if (i == j) return;
    reasons_.clear();
    const int s = score(keys_[i], keys_[j], weights_, reasons_);
    if (s < min_score_) return;
    DuplicatePair p;
    p.kind = kind_;
    p.first = std::min(keys_[i].id, keys_[j].id);
    p.second = std::max(keys_[i].id, keys_[j].id);
    p.score = s;
    p.reasons = reasons_;
    found_.push_back(std::move(p));
  }

  // Every pair among records sharing a key: `keyed` holds (key, record);
  // groups above `cap` are skipped. `differ` leaves out pairs of equal names
  // (already paired by the name itself).
  void blocks(std::vector<std::pair<std::string_view, std::uint32_t>>& keyed, std::size_t cap, bool differ = false) {
    std::sort(keyed.begin(), keyed.end());
    for (std::size_t b = 0; b < keyed.size();) {
      std::size_t e = b + 1;
      while (e < keyed.size() && keyed[e].first == keyed[b].first) ++e;
      if (e - b <= cap)
        for (std::size_t i = b; i < e; ++i)
          for (std::size_t j = i + 1; j < e; ++j)
            if (!differ || keys_[keyed[i].second].name != keys_[keyed[j].second].name)
              consider(keyed[i].second, keyed[j].second);
      b = e;
    }
  }

  // Best first, then by ids; each pair once; at most `limit`.
  std::vector<DuplicatePair> take(std::size_t limit) {
    auto order = [](const DuplicatePair& x, const DuplicatePair& y) {
      return std::make_tuple(-x.score, x.first, x.second) < std::make_tuple(-y.score, y.first, y.second);
    };
    std::sort(found_.begin(), found_.end(), order);
    found_.erase(std::unique(found_.begin(), found_.end(),
                             [](const DuplicatePair& x, const DuplicatePair& y) {
                               return x.first == y.first && x.second == y.second;
                             }),
                 found_.end());
    if (found_.size() > limit) found_.resize(limit);
    return std::move(found_);
  }

 private:
  const std::vector<Keys>& keys_;
  RecordKind kind_;
  const Weights& weights_;
  int min_score_;
  std::vector<std::string> reasons_;
  std::vector<DuplicatePair> found_;
};

// The candidate pairs of `keys`, blocked (docs/duplicates.md):
//  1. records with the same name, every pair (however many share it);
//  2. records with the same words in another order; the same organisation
//     number, e-mail, phone or address (groups up to kMaxBlock);
//  3. names next to each other in alphabetical order, and read backwards
//     (kWindow neighbours), for typos;
//  4. names one deletion apart (a typo, a letter too many or too few, two
//     letters swapped), found by the hashes of each name with one letter
//     deleted — so no single typo is missed, however large the register.
// Sorting makes it O(n log n) but for the pairs it finds.
std::vector<DuplicatePair> find_pairs(const std::vector<Keys>& keys, RecordKind kind, int min_score,
                                      std::size_t limit) {
  Pairs pairs(keys, kind, min_score);
  using Keyed = std::vector<std::pair<std::string_view, std::uint32_t>>;

  // A name, same or similar, is worth at most its weight: records whose
  // name alone cannot reach `min_score` are paired by name only through
  // another key they share (below). Private persons weigh less than
  // companies, so many "Anna Andersson" are not paired with each other
  // unless asked for with a lower minimum.
  const bool plain_by_name = weights(kind).same_name >= min_score;
  const bool person_by_name = kPersonWeights.same_name >= min_score;
  auto by_name_alone = [&](const Keys& k) { return k.person ? person_by_name : plain_by_name; };

  // Names: groups of records with one name, in alphabetical order.
  Keyed by_name;
  for (std::uint32_t i = 0; i < keys.size(); ++i)
    if (!keys[i].name.empty() && by_name_alone(keys[i])) by_name.emplace_back(keys[i].name, i);
  std::sort(by_name.begin(), by_name.end());
  struct Group {
    std::string_view name;
    std::size_t begin, end;  // in by_name
  };
  // Every pair of a record of [b, e) and one of [c, f) (each pair once when
  // the ranges are one); none for a range over kMaxBlock records.
  auto each_pair = [&](std::size_t b, std::size_t e, std::size_t c, std::size_t f) {
    if (e - b > kMaxBlock || f - c > kMaxBlock) return;
    for (std::size_t i = b; i < e; ++i)
      for (std::size_t j = (b == c ? i + 1 : c); j < f; ++j) pairs.consider(by_name[i].second, by_name[j].second);
  };
  std::vector<Group> groups;
  for (std::size_t b = 0; b < by_name.size();) {
    std::size_t e = b + 1;
    while (e < by_name.size() && by_name[e].first == by_name[b].first) ++e;
    groups.push_back({by_name[b].first, b, e});
    each_pair(b, e, b, e);
    b = e;
  }
  auto cross = [&](const Group& g, const Group& h) { each_pair(g.begin, g.end, h.begin, h.end); };

  // Names with the same words in another order ("Lind Anna", "Anna Lind").
  Keyed keyed;
  for (std::uint32_t i = 0; i < keys.size(); ++i)
    if (!keys[i].name_sorted.empty() && by_name_alone(keys[i])) keyed.emplace_back(keys[i].name_sorted, i);
  pairs.blocks(keyed, kMaxBlock, true);

  // The other keys.
  keyed.clear();
  for (std::uint32_t i = 0; i < keys.size(); ++i)
    if (!keys[i].organisation.empty()) keyed.emplace_back(keys[i].organisation, i);
  pairs.blocks(keyed, kMaxBlock);
  keyed.clear();
  for (std::uint32_t i = 0; i < keys.size(); ++i)
    if (!keys[i].email.empty()) keyed.emplace_back(keys[i].email, i);
  pairs.blocks(keyed, kMaxBlock);
  keyed.clear();
  for (std::uint32_t i = 0; i < keys.size(); ++i)
    for (const auto& p : keys[i].phones) keyed.emplace_back(p, i);
  pairs.blocks(keyed, kMaxBlock);
  keyed.clear();
  for (std::uint32_t i = 0; i < keys.size(); ++i)
    for (const auto& a : keys[i].addresses) keyed.emplace_back(a, i);
  pairs.blocks(keyed, kMaxBlock);
  // Contact persons of one customer (the key: the bytes of its id).
  keyed.clear();
  for (std::uint32_t i = 0; i < keys.size(); ++i)
    for (const auto& c : keys[i].customers)
      keyed.emplace_back(std::string_view(reinterpret_cast<const char*>(&c), sizeof c), i);
  pairs.blocks(keyed, kMaxBlock);

  // Neighbours in alphabetical order, and read backwards.
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (std::size_t h = g + 1; h < groups.size() && h <= g + kWindow; ++h) cross(groups[g], groups[h]);
  std::vector<std::pair<std::string, std::uint32_t>> backwards;
  backwards.reserve(groups.size());
  for (std::uint32_t g = 0; g < groups.size(); ++g)
    backwards.emplace_back(std::string(groups[g].name.rbegin(), groups[g].name.rend()), g);
  std::sort(backwards.begin(), backwards.end());
  for (std::size_t x = 0; x < backwards.size(); ++x)
    for (std::size_t y = x + 1; y < backwards.size() && y <= x + kWindow; ++y)
      cross(groups[backwards[x].second], groups[backwards[y].second]);
  backwards = {};

  // One deletion apart: each name (of 4 letters or more: shorter ones are
  // never similar enough) and each of its one-letter deletions, hashed;
  // names sharing a hash are paired. A hash and the group's number share
  // one 64-bit word, the number in the low bits.
  const int group_bits = std::max(1, static_cast<int>(std::bit_width(groups.size())));
  const std::uint64_t group_mask = (std::uint64_t{1} << group_bits) - 1;
  std::vector<std::uint64_t> deletions;
  for (std::uint64_t g = 0; g < groups.size(); ++g) {
    const std::string_view name = groups[g].name;
    if (name.size() < 4) continue;
    deletions.push_back((fnv1a(name, name.size()) & ~group_mask) | g);
    for (std::size_t k = 0; k < name.size(); ++k)
      if (k == 0 || name[k] != name[k - 1])  // deleting either of two equal letters gives one name
        deletions.push_back((fnv1a(name, k) & ~group_mask) | g);
  }
  std::sort(deletions.begin(), deletions.end());
  deletions.erase(std::unique(deletions.begin(), deletions.end()), deletions.end());
  for (std::size_t b = 0; b < deletions.size();) {
    std::size_t e = b + 1;
    while (e < deletions.size() && (deletions[e] & ~group_mask) == (deletions[b] & ~group_mask)) ++e;
    if (e - b <= kMaxBlock)
      for (std::size_t i = b; i < e; ++i)
        for (std::size_t j = i + 1; j < e; ++j)
          cross(groups[deletions[i] & group_mask], groups[deletions[j] & group_mask]);
    b = e;
  }
  return pairs.take(limit);
}

}  // namespace

std::vector<DuplicatePair> Register::find_duplicates(UserId actor, const DuplicateQuery& query) const {
  std::shared_lock lock(impl_->mutex);
  const Register::Impl& r = *impl_;
  const Access a(r, r.actor(actor));
  if (query.kind != RecordKind::customer && query.kind != RecordKind::contact)
    throw ValidationError("kind", "duplicates are found among customers and among contacts");
  check_min_score(query.min_score);
  if (query.limit == 0) throw ValidationError("limit", "must be at least 1");
  Folder folder;
  std::vector<Keys> keys;
  if (query.kind == RecordKind::customer) {
    for (const auto& row : r.customers)
      if (a.sees(row.record)) customer_keys(row.record, folder, keys.emplace_back());
  } else {
    for (const auto& row : r.contacts) {
      if (!a.sees(row.record)) continue;
      Keys& k = keys.emplace_back();
      contact_keys(row.record, folder, k);
      auto [lb, ub] = r.links.get<by_contact>().equal_range(std::make_tuple(row.id()));
      for (auto it = lb; it != ub; ++it)
        if (a.sees_link(it->link)) k.customers.push_back(it->customer());
    }
  }
  return find_pairs(keys, query.kind, query.min_score, query.limit);
}

// SimilarIndex: the folded names and hashed keys of every customer (or
// contact), kept between calls of similar_customers (similar_contacts), so
// that a call folds no stored name. The first call builds it; a later call
// reads the history entries written since the last one (every change of a
// record writes one) and folds again the records they name. Each call then
// scans the compact names and key hashes; the few records that may score
// are scored from their records, as find_duplicates would.
struct internal::SimilarIndex {
  struct Slot {
    std::uint64_t id = 0;
    std::uint64_t revision = 0;
    std::uint32_t text = 0;  // offset of the name, then the sorted name, in `text`
    std::uint32_t name = 0;
    std::uint32_t sorted = 0;
    std::uint32_t hashes = 0;  // offset of the key hashes in `hashes`
    std::uint32_t hash_count = 0;
  };
  bool built = false;
  std::uint64_t sequence = 0;  // of the last history entry when last brought up to date
  std::vector<Slot> slots;     // by id; a deleted record's slot has no name and no hashes
  std::string text;
  std::vector<std::uint64_t> hashes;
  std::size_t garbage = 0;  // bytes of `text` and `hashes` no slot points to any more

  std::string_view name_of(const Slot& s) const { return std::string_view(text).substr(s.text, s.name); }
  std::string_view sorted_of(const Slot& s) const {
    return std::string_view(text).substr(s.text + s.name, s.sorted);
  }
};

struct internal::SimilarIndexes {
  std::mutex mutex;
  SimilarIndex customers;
  SimilarIndex contacts;
};

namespace {

// The hashes of a record's keys other than the name, each tagged with what
// it is, sorted.
void key_hashes(const Keys& k, std::vector<std::uint64_t>& out) {
  out.clear();
  auto add = [&](char tag, std::string_view key) {
    std::uint64_t h = fnv1a(key, key.size());
    out.push_back((h ^ static_cast<std::uint64_t>(static_cast<unsigned char>(tag))) * 1099511628211ull);
  };
  if (!k.organisation.empty()) add('o', k.organisation);
  if (!k.email.empty()) add('e', k.email);
  for (const auto& p : k.phones) add('p', p);
  for (const auto& a : k.addresses) add('a', a);
  sort_unique(out);
}

// Whether the names of `a` and (name, sorted) could give a same or similar
// name: the name test of score(), on the folded names alone.
bool names_match(const Keys& a, std::string_view name, std::string_view sorted) {
  if (a.name.empty() || name.empty()) return false;
  if (a.name == name || a.name_sorted == sorted) return true;
  if (similarity(a.name, name) > 0) return true;
  return (a.name_sorted != a.name || sorted != name) && similarity(a.name_sorted, sorted) > 0;
}

template <class T>
bool share_any(const std::vector<T>& a, const T* b, std::size_t nb) {  // both sorted
  std::size_t j = 0;
  for (auto i = a.begin(); i != a.end() && j < nb;) {
    if (*i < b[j]) ++i;
    else if (b[j] < *i) ++j;
    else return true;
  }
  return false;
}

// Appends the keys of `record` to `index` as slot `slot`.
template <class Record, class FillKeys>
void fold_into(SimilarIndex& index, SimilarIndex::Slot& slot, const Record& record, FillKeys& fill_keys, Keys& keys,
               std::vector<std::uint64_t>& hashes) {
  fill_keys(record, keys);
  key_hashes(keys, hashes);
  slot.revision = record.revision;
  slot.text = static_cast<std::uint32_t>(index.text.size());
  slot.hashes = static_cast<std::uint32_t>(index.hashes.size());
  index.text.append(keys.name);
  index.text.append(keys.name_sorted);
  slot.name = static_cast<std::uint32_t>(keys.name.size());
  slot.sorted = static_cast<std::uint32_t>(keys.name_sorted.size());
  index.hashes.insert(index.hashes.end(), hashes.begin(), hashes.end());
  slot.hash_count = static_cast<std::uint32_t>(hashes.size());
  if (index.text.size() > UINT32_MAX || index.hashes.size() > UINT32_MAX)
    throw std::length_error("too many names to keep for similar records");
}

// Builds `index` anew from `store`, reusing the keys of records whose
// revision it holds (and leaving out what no slot uses).
template <class Store, class FillKeys>
void rebuild(SimilarIndex& index, const Store& store, FillKeys& fill_keys) {
  SimilarIndex next;
  next.slots.reserve(store.size());
  next.text.reserve(index.text.size() - std::min(index.text.size(), index.garbage) + 64);
  next.hashes.reserve(index.hashes.size() + 16);
  Keys keys;
  std::vector<std::uint64_t> hashes;
  auto old = index.slots.begin();
  for (const auto& row : store) {  // by id, as the slots
    while (old != index.slots.end() && old->id < row.id()) ++old;
    SimilarIndex::Slot slot;
    slot.id = row.id();
    if (old != index.slots.end() && old->id == row.id() && old->revision == row.record.revision) {
      slot = *old;
      slot.text = static_cast<std::uint32_t>(next.text.size());
      slot.hashes = static_cast<std::uint32_t>(next.hashes.size());
      next.text.append(index.name_of(*old));
      next.text.append(index.sorted_of(*old));
      next.hashes.insert(next.hashes.end(), index.hashes.begin() + old->hashes,
                         index.hashes.begin() + old->hashes + old->hash_count);
    } else {
      fold_into(next, slot, row.record, fill_keys, keys, hashes);
    }
    next.slots.push_back(slot);
  }
  next.built = true;
  next.sequence = index.sequence;
  index = std::move(next);
}

// Brings `index` up to date with `store`, whose records of `kind` changed
// as `history` says.
template <class Store, class FillKeys>
void refresh(SimilarIndex& index, const Store& store, const HistoryLog& history, RecordKind kind,
             FillKeys fill_keys) {
  const std::uint64_t last = history.last_sequence();
  if (index.built && last == index.sequence) return;
  std::vector<std::uint64_t> changed;
  bool incremental = index.built && last > index.sequence;
  if (incremental) {
    const std::size_t most = index.slots.size() / 8 + 64;  // beyond that, building anew is as quick
    for (std::size_t i = history.after(index.sequence); i < history.size(); ++i) {
      const HistoryRowView row = history[i];
      if (row.kind() != kind) continue;
      changed.push_back(row.record_id());
      if (changed.size() > most) {
        incremental = false;
        break;
      }
    }
  }
  if (!incremental) {
    rebuild(index, store, fill_keys);
    index.sequence = last;
    return;
  }
  sort_unique(changed);
  Keys keys;
  std::vector<std::uint64_t> hashes;
  for (const std::uint64_t id : changed) {
    auto slot = std::lower_bound(index.slots.begin(), index.slots.end(), id,
                                 [](const SimilarIndex::Slot& s, std::uint64_t v) { return s.id < v; });
    const bool held = slot != index.slots.end() && slot->id == id;
    if (held) index.garbage += slot->name + slot->sorted + slot->hash_count * sizeof(std::uint64_t);
    const auto row = store.find(id);
    if (row == store.end()) {  // deleted: nothing to match
      if (held) *slot = SimilarIndex::Slot{id, 0, 0, 0, 0, 0, 0};
      continue;
    }
    SimilarIndex::Slot fresh;
    fresh.id = id;
    fold_into(index, fresh, row->record, fill_keys, keys, hashes);
    if (held) *slot = fresh;
    else index.slots.insert(slot, fresh);
  }
  index.sequence = last;
  if (index.garbage > (index.text.size() + index.hashes.size() * sizeof(std::uint64_t)) / 2) {
    rebuild(index, store, fill_keys);
    index.sequence = last;
  }
}

// The records of `store` the reader sees that resemble `candidate`: those
// `index` says may score, scored from their records.
template <class Store, class FillKeys>
std::vector<DuplicatePair> similar(const Store& store, SimilarIndex& index, const HistoryLog& history,
                                   const Access& a, RecordKind kind, const Keys& candidate, int min_score,
                                   FillKeys fill_keys) {
  check_min_score(min_score);
  refresh(index, store, history, kind, fill_keys);
  std::vector<std::uint64_t> wanted;
  key_hashes(candidate, wanted);
  std::vector<DuplicatePair> out;
  std::vector<std::string> reasons;
  Keys keys;
  for (const auto& slot : index.slots) {
    if (slot.id == candidate.id) continue;
    if (!share_any(wanted, index.hashes.data() + slot.hashes, slot.hash_count) &&
        !names_match(candidate, index.name_of(slot), index.sorted_of(slot)))
      continue;
    const auto row = store.find(slot.id);
    if (row == store.end() || !a.sees(row->record)) continue;
    reasons.clear();
    fill_keys(row->record, keys);
    const int s = score(candidate, keys, weights(kind), reasons);
    if (s >= min_score) out.push_back({kind, 0, slot.id, s, reasons});
  }
  std::sort(out.begin(), out.end(), [](const DuplicatePair& x, const DuplicatePair& y) {
    return x.score != y.score ? x.score > y.score : x.second < y.second;
  });
  return out;
}

internal::SimilarIndexes& similar_indexes(const Register::Impl& r) {
  std::lock_guard lock(r.similar_mutex);
  if (!r.similar_indexes) r.similar_indexes = std::make_shared<internal::SimilarIndexes>();
  return *r.similar_indexes;
}

}  // namespace

std::vector<DuplicatePair> Register::similar_customers(UserId actor, const Customer& candidate, int min_score) const {
  std::shared_lock lock(impl_->mutex);
  const Register::Impl& r = *impl_;
  const Access a(r, r.actor(actor));
  Folder folder;
  Keys keys;
  customer_keys(candidate, folder, keys);
  auto& indexes = similar_indexes(r);
  std::lock_guard index_lock(indexes.mutex);
  return similar(r.customers, indexes.customers, r.history, a, RecordKind::customer, keys, min_score,
                 [&](const Customer& c, Keys& k) { customer_keys(c, folder, k); });
}

std::vector<DuplicatePair> Register::similar_contacts(UserId actor, const Contact& candidate, int min_score) const {
  std::shared_lock lock(impl_->mutex);
  const Register::Impl& r = *impl_;
  const Access a(r, r.actor(actor));
  Folder folder;
  Keys keys;
  contact_keys(candidate, folder, keys);
  auto& indexes = similar_indexes(r);
  std::lock_guard index_lock(indexes.mutex);
  return similar(r.contacts, indexes.contacts, r.history, a, RecordKind::contact, keys, min_score,
                 [&](const Contact& c, Keys& k) { contact_keys(c, folder, k); });
}

}  // namespace kartotek
