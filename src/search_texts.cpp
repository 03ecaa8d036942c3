// src/search_texts.cpp: building the search texts and keeping them up to
// date from the history.

#include "search_texts.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace kartotek::internal {

namespace {

// Adds a record's entry to the texts; `r` gives a contact person's links.
void add_entry(SearchTexts& t, const Register::Impl&, const CustomerRow& row) {
  t.customers.names.push(row.name_key);
  t.customers.emails.push(row.email_key);
  t.customers.rows.push_back(&row);
}

void add_entry(SearchTexts& t, const Register::Impl& r, const ContactRow& row) {
  t.contacts.names.push(row.first_name_key, row.last_name_key, row.full_name_key);
  t.contacts.emails.push(row.email_key);
  t.contacts.rows.push_back(&row);
  auto [lb, ub] = r.links.get<by_contact>().equal_range(std::make_tuple(row.id()));
  for (auto it = lb; it != ub; ++it) t.linked.push_back(it->customer());
  if (t.linked.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("too many links to keep for searching");
  t.linked_at.push_back(static_cast<std::uint32_t>(t.linked.size()));
}

RecordTexts<CustomerRow>& texts_of(SearchTexts& t, const CustomerRow*) { return t.customers; }
RecordTexts<ContactRow>& texts_of(SearchTexts& t, const ContactRow*) { return t.contacts; }

// Whether entry `e` still holds what `row` would give it.
bool same_entry(const SearchTexts& t, const Register::Impl&, std::uint32_t e, const CustomerRow& row) {
  return t.customers.names.holds(e, row.name_key) && t.customers.emails.holds(e, row.email_key);
}

bool same_entry(const SearchTexts& t, const Register::Impl& r, std::uint32_t e, const ContactRow& row) {
  if (!t.contacts.names.holds(e, row.first_name_key, row.last_name_key, row.full_name_key) ||
      !t.contacts.emails.holds(e, row.email_key))
    return false;
  auto [lb, ub] = r.links.get<by_contact>().equal_range(std::make_tuple(row.id()));
  auto held = t.linked.begin() + t.linked_at[e];
  const auto held_end = t.linked.begin() + t.linked_at[e + 1];
  for (auto it = lb; it != ub; ++it, ++held)
    if (held == held_end || *held != it->customer()) return false;
  return held == held_end;
}

// A table of entries by id, when the ids are dense enough for one.
template <class Row>
void index_by_id(RecordTexts<Row>& t) {
  t.by_id.clear();
  const std::uint64_t top = t.entries.empty() ? 0 : t.entries.back().first;
  if (top > 2 * t.entries.size() + 4096) return;
  t.by_id.assign(static_cast<std::size_t>(top) + 1, TextColumn::kNone);
  for (const auto& [id, e] : t.entries) t.by_id[static_cast<std::size_t>(id)] = e;
}

template <class Row, class Rows>
void build(SearchTexts& t, const Register::Impl& r, const Rows& rows, std::size_t count, std::size_t name_bytes,
           std::size_t email_bytes) {
  auto& texts = texts_of(t, static_cast<const Row*>(nullptr));
  texts = RecordTexts<Row>{};
  texts.names.reserve(count, name_bytes);
  texts.emails.reserve(count, email_bytes);
  texts.rows.reserve(count);
  texts.entries.reserve(count);
  for (const Row& row : rows) {
    texts.entries.emplace_back(row.id(), static_cast<std::uint32_t>(texts.rows.size()));
    add_entry(t, r, row);
  }
  std::sort(texts.entries.begin(), texts.entries.end());
  index_by_id(texts);
}

void build_all(SearchTexts& t, const Register::Impl& r) {
  std::size_t names = 0, emails = 0;
  for (const auto& row : r.customers) {
    names += row.name_key.size() + 1;
    emails += row.email_key.size() + 1;
  }
  build<CustomerRow>(t, r, r.customers.get<by_name_order>(), r.customers.size(), names, emails);
  t.ordered = static_cast<std::uint32_t>(t.customers.rows.size());
  t.by_folded_name.clear();
  t.by_folded_name.reserve(t.ordered);
  for (const auto& row : r.customers.get<by_name>()) t.by_folded_name.push_back(t.customers.entry_of(row.id()));
  names = emails = 0;
  for (const auto& row : r.contacts) {
    names += row.first_name_key.size() + row.last_name_key.size() + row.full_name_key.size() + 3;
    emails += row.email_key.size() + 1;
  }
  t.linked_at.assign(1, 0);
  t.linked.clear();
  t.linked_at.reserve(r.contacts.size() + 1);
  t.linked.reserve(r.links.size());
  build<ContactRow>(t, r, r.contacts, r.contacts.size(), names, emails);
}

// Gives each record of `ids` (sorted, unique) that changed a new entry, or
// none when it is gone.
template <class Row, class Store>
void update(SearchTexts& t, const Register::Impl& r, const Store& store, const std::vector<std::uint64_t>& ids) {
  auto& texts = texts_of(t, static_cast<const Row*>(nullptr));
  std::vector<std::pair<std::uint64_t, std::uint32_t>> added;
  auto retire = [&texts](std::uint32_t e) {
    if (texts.rows[e] == nullptr) return;
    texts.rows[e] = nullptr;
    ++texts.dead;
  };
  for (const std::uint64_t id : ids) {
    auto held = std::lower_bound(texts.entries.begin(), texts.entries.end(), id,
                                 [](const auto& e, std::uint64_t v) { return e.first < v; });
    const bool has = held != texts.entries.end() && held->first == id;
    const auto row = store.find(id);
    if (row == store.end()) {  // gone: its (id, entry) stays, pointing to a dead entry
      if (has) retire(held->second);
      continue;
    }
    if (has && texts.rows[held->second] == &*row && same_entry(t, r, held->second, *row)) continue;
    if (has) retire(held->second);
    const auto entry = static_cast<std::uint32_t>(texts.rows.size());
    add_entry(t, r, *row);
    if (has) held->second = entry;
    else added.emplace_back(id, entry);
    if (!texts.by_id.empty() && id < texts.by_id.size()) texts.by_id[static_cast<std::size_t>(id)] = entry;
  }
  if (!added.empty()) {
    const auto middle = static_cast<std::ptrdiff_t>(texts.entries.size());
    texts.entries.insert(texts.entries.end(), added.begin(), added.end());
    std::inplace_merge(texts.entries.begin(), texts.entries.begin() + middle, texts.entries.end());
    index_by_id(texts);
  }
}

}  // namespace

SearchTexts& search_texts(const Register::Impl& r) {
  std::lock_guard lock(r.search_mutex);
  if (!r.search_texts) r.search_texts = std::make_shared<SearchTexts>();
  return *r.search_texts;
}

void refresh(SearchTexts& t, const Register::Impl& r) {
  const std::uint64_t last = r.history.last_sequence();
  const bool current = t.built && t.epoch == r.row_epoch;
  if (current && last == t.sequence) return;

  bool incremental = current && last > t.sequence;
  std::vector<std::uint64_t> customers, contacts;
  if (incremental) {
    // Beyond this many changes, building anew is about as quick.
    const std::size_t most = (r.customers.size() + r.contacts.size()) / 16 + 64;
    for (std::size_t i = r.history.after(t.sequence); i < r.history.size(); ++i) {
      const HistoryRowView row = r.history[i];
      if (row.kind() == RecordKind::customer) customers.push_back(row.record_id());
      else if (row.kind() == RecordKind::contact) contacts.push_back(row.record_id());
      else continue;
      if (customers.size() + contacts.size() > most) {
        incremental = false;
        break;
      }
    }
  }
  if (incremental) {
    for (auto* ids : {&customers, &contacts}) {
      std::sort(ids->begin(), ids->end());
      ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
    }
    update<CustomerRow>(t, r, r.customers, customers);
    update<ContactRow>(t, r, r.contacts, contacts);
    // Customers out of name order are sorted by every search that finds
    // them, and stale texts are scanned for nothing: past a sixteenth of
    // the entries, build anew.
    const std::size_t unordered = t.customers.rows.size() - t.ordered;
    if (unordered > t.ordered / 16 + 64 || t.customers.dead > t.customers.rows.size() / 4 + 64 ||
        t.contacts.dead > t.contacts.rows.size() / 4 + 64)
      incremental = false;
  }
  if (!incremental) build_all(t, r);
  t.built = true;
  t.sequence = last;
  t.epoch = r.row_epoch;
}

}  // namespace kartotek::internal
