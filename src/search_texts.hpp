// src/search_texts.hpp: the folded names and e-mail addresses of every
// customer and contact person packed into a few long strings, so that a
// search for a part of them scans contiguous memory instead of walking
// records (Register::search_customers). Private to the library.
#pragma once

#include <cstdint>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "register_impl.hpp"
#include "text_scan.hpp"

namespace kartotek::internal {

// TextColumn: the texts of many records in one string. A record's entry is
// a run of pieces, each preceded by '\0'. Stored texts hold no control
// characters, so a needle found in the string lies within one piece, and
// "\0" + needle is found exactly at the start of a piece.
class TextColumn {
 public:
  void reserve(std::size_t entries, std::size_t bytes) {
    starts_.reserve(entries);
    text_.reserve(bytes);
  }

  // Appends the next entry and returns its number.
  template <class... Pieces>
  std::uint32_t push(const Pieces&... pieces) {
    const std::size_t grown = text_.size() + (... + (std::string_view(pieces).size() + 1));
    if (grown > std::numeric_limits<std::uint32_t>::max() || starts_.size() >= kNone)
      throw std::length_error("too much text to keep for searching");
    starts_.push_back(static_cast<std::uint32_t>(text_.size()));
    ((text_.push_back('\0'), text_.append(std::string_view(pieces))), ...);
    return static_cast<std::uint32_t>(starts_.size() - 1);
  }

  // The pieces of entry `e`, each preceded by '\0'.
  std::string_view entry(std::uint32_t e) const {
    const std::size_t end = e + 1 < starts_.size() ? starts_[e + 1] : text_.size();
    return std::string_view(text_).substr(starts_[e], end - starts_[e]);
  }

  // Whether entry `e` consists of exactly `pieces`.
  template <class... Pieces>
  bool holds(std::uint32_t e, const Pieces&... pieces) const {
    std::string_view rest = entry(e);
    auto take = [&rest](std::string_view piece) {
      if (rest.empty() || rest[0] != '\0' || rest.substr(1, piece.size()) != piece) return false;
      rest.remove_prefix(piece.size() + 1);
      return rest.empty() || rest[0] == '\0';
    };
    return (take(std::string_view(pieces)) && ...) && rest.empty();
  }

  std::size_t size() const { return starts_.size(); }
  std::size_t bytes() const { return text_.capacity() + starts_.capacity() * sizeof(std::uint32_t); }

  // Calls hit(entry) once for each entry from entry `from` on with a piece
  // that holds `needle` (that begins with it when `prefix`), in entry order.
  template <class Hit>
  void find(std::string_view needle, bool prefix, Hit&& hit, std::uint32_t from = 0) const {
    if (needle.empty() || needle.find('\0') != std::string_view::npos || from >= starts_.size()) return;
    std::string pattern;
    if (prefix) {
      pattern.reserve(needle.size() + 1);
      pattern.push_back('\0');
      pattern.append(needle);
      needle = pattern;
    }
    // The hits come in order: the entry of each is sought from the last
    // one's on, in steps that double, and then by halves.
    std::size_t e = from;
    const std::string_view text = std::string_view(text_).substr(starts_[from]);
    const std::size_t base = starts_[from];
    scan(text, needle, [&](std::size_t offset) -> std::size_t {
      offset += base;
      std::size_t step = 1;
      while (e + step < starts_.size() && starts_[e + step] <= offset) {
        e += step;
        step *= 2;
      }
      const auto end = starts_.begin() + static_cast<std::ptrdiff_t>(std::min(e + step, starts_.size()));
      e = static_cast<std::size_t>(std::upper_bound(starts_.begin() + static_cast<std::ptrdiff_t>(e), end, offset) -
                                   starts_.begin()) - 1;
      hit(static_cast<std::uint32_t>(e));
      return (e + 1 < starts_.size() ? starts_[e + 1] : text_.size()) - base;  // one hit per entry
    });
  }

  // The entries of [first, last) (sorted by their first piece, bytewise)
  // whose first piece begins with `prefix`.
  std::pair<const std::uint32_t*, const std::uint32_t*> with_prefix(const std::uint32_t* first,
                                                                    const std::uint32_t* last,
                                                                    std::string_view prefix) const {
    auto piece = [this](std::uint32_t e) {
      std::string_view s = entry(e).substr(1);
      return s.substr(0, s.find('\0'));
    };
    const auto lo = std::lower_bound(first, last, prefix, [&](std::uint32_t e, std::string_view p) { return piece(e) < p; });
    const auto hi = std::partition_point(lo, last, [&](std::uint32_t e) { return piece(e).substr(0, prefix.size()) == prefix; });
    return {lo, hi};
  }

  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

 private:
  std::string text_;
  std::vector<std::uint32_t> starts_;  // where each entry begins in text_
};

// The texts of one kind of record: an entry per record in each column, the
// row it was made from (null once the record changed or went: its texts
// are then garbage) and each record's entry by id.
template <class Row>
struct RecordTexts {
  TextColumn names;
  TextColumn emails;
  std::vector<const Row*> rows;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> entries;  // (id, entry), by id
  std::vector<std::uint32_t> by_id;  // entry of each id while ids are dense enough, else empty
  std::size_t dead = 0;              // entries without a row

  std::uint32_t entry_of(std::uint64_t id) const {
    if (!by_id.empty()) return id < by_id.size() ? by_id[id] : TextColumn::kNone;
    auto it = std::lower_bound(entries.begin(), entries.end(), id,
                               [](const auto& e, std::uint64_t v) { return e.first < v; });
    return it != entries.end() && it->first == id ? it->second : TextColumn::kNone;
  }
  std::size_t bytes() const {
    return names.bytes() + emails.bytes() + rows.capacity() * sizeof(const Row*) +
           entries.capacity() * sizeof(entries[0]) + by_id.capacity() * sizeof(std::uint32_t);
  }
};

// SearchTexts: the customers' names and e-mail addresses, and the contact
// persons' names (first, last, "first last") and e-mail addresses.
// Customers' entries [0, ordered) are in the order of the by_name_order
// index (name collation key, then id) as it was when they were last built,
// so that the matches of a search come out sorted by name; a customer who
// changed since has a new entry after them, which a search sorts in.
//
// They are made by the first search and kept up to date by reading the
// history entries written since the last search (every change of a record
// writes one); they are built anew when rows may have moved without a
// history entry (Impl::row_epoch) or when many entries have gone stale.
struct SearchTexts {
  std::mutex mutex;  // one search at a time uses and refreshes them
  bool built = false;
  std::uint64_t sequence = 0;  // the last history entry they reflect
  std::uint64_t epoch = 0;     // Impl::row_epoch when they were brought up to date
  RecordTexts<CustomerRow> customers;
  std::uint32_t ordered = 0;  // customers' entries in name order
  // The entries [0, ordered) sorted by folded name, bytewise: those whose
  // name begins with a prefix are a range of it.
  std::vector<std::uint32_t> by_folded_name;
  RecordTexts<ContactRow> contacts;
  // The customers each contact person was linked to when his entry was
  // made: entry e's are linked[linked_at[e]] up to linked[linked_at[e + 1]].
  std::vector<std::uint32_t> linked_at{0};
  std::vector<std::uint64_t> linked;

  std::size_t bytes() const {
    return customers.bytes() + contacts.bytes() + by_folded_name.capacity() * sizeof(std::uint32_t) +
           linked_at.capacity() * sizeof(std::uint32_t) +
           linked.capacity() * sizeof(std::uint64_t);
  }
};

// The register's search texts, made empty by the first call. Called under
// the register's lock (shared or exclusive).
SearchTexts& search_texts(const Register::Impl& r);

// Brings `texts` up to date with `r`. Called under the register's lock and
// texts.mutex.
void refresh(SearchTexts& texts, const Register::Impl& r);

}  // namespace kartotek::internal
