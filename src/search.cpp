// src/search.cpp: customer, contact and facility search — match, filter, sort, page.

#include <algorithm>
#include <bit>
#include <mutex>

#include "custom_search.hpp"
#include "register_impl.hpp"
#include "search_texts.hpp"

namespace kartotek {

using namespace internal;

namespace {

bool matches(const std::string& haystack, const std::string& needle, TextMatch how) {
  if (how == TextMatch::prefix) return haystack.compare(0, needle.size(), needle) == 0;
  return haystack.find(needle) != std::string::npos;
}

void check_paging(std::size_t limit) {
  if (limit == 0) throw ValidationError("limit", "must be at least 1");
}

std::string folded_filter(const TextRules& text, const std::optional<std::string>& value,
                          const char* field) {
  if (!value) return {};
  check_text(field, *value, 200);
  return text.fold(trim(*value));
}

// Puts the (key, row) pairs of [offset, offset + limit) in `less` order and
// into the page; the page's total is all of them.
template <class Keyed, class Less, class Record>
void cut_page(std::vector<Keyed>& keyed, Less less, std::size_t offset, std::size_t limit, Page<Record>& page) {
  page.total = keyed.size();
  if (offset >= keyed.size()) return;
  auto end = keyed.begin() + static_cast<std::ptrdiff_t>(offset + std::min(keyed.size() - offset, limit));
  std::partial_sort(keyed.begin(), end, keyed.end(), less);
  for (auto it = keyed.begin() + static_cast<std::ptrdiff_t>(offset); it != end; ++it)
    page.items.push_back(it->second->record);
}

// Sorts `rows` by `key` (computed once per row), ties by id, and cuts the page.
template <class Row, class Key, class Record>
void sort_and_page(std::vector<const Row*>& rows, Key key, bool descending, std::size_t offset,
                   std::size_t limit, Page<Record>& page) {
  using K = decltype(key(*rows.front()));
  std::vector<std::pair<K, const Row*>> keyed;
  keyed.reserve(rows.size());
  for (const Row* r : rows) keyed.emplace_back(key(*r), r);
  auto less = [descending](const auto& a, const auto& b) {
    if (a.first != b.first) return descending ? b.first < a.first : a.first < b.first;
    return a.second->id() < b.second->id();
  };
  cut_page(keyed, less, offset, limit, page);
}

// Sorts `rows` by a custom field (ties by id; records without a value last)
// and cuts the page.
template <class Row, class Record>
void sort_by_custom(std::vector<const Row*>& rows, const CustomSearch& custom, bool descending, std::size_t offset,
                    std::size_t limit, Page<Record>& page) {
  std::vector<std::pair<CustomSearch::SortKey, const Row*>> keyed;
  keyed.reserve(rows.size());
  for (const Row* r : rows) keyed.emplace_back(custom.sort_key(r->record.custom), r);
  auto less = [descending](const auto& a, const auto& b) {
    int c = CustomSearch::compare(a.first, b.first, descending);
    if (c != 0) return c < 0;
    return a.second->id() < b.second->id();
  };
  cut_page(keyed, less, offset, limit, page);
}

// The page of the customers whose entries `hits` marks, by name (ties by
// id): entries [0, ordered) are in that order already; the few after them
// are sorted here and merged in. `counted`: no filter, every hit counts,
// so that the walk stops when the page is full.
template <class Passes>
void page_in_name_order(const RecordTexts<CustomerRow>& found, std::uint32_t ordered,
                        const std::vector<std::uint64_t>& hits, Passes& passes, bool counted,
                        std::size_t offset, std::size_t limit, Page<Customer>& page) {
  auto by_name = [](const CustomerRow* a, const CustomerRow* b) {
    return a->name_order != b->name_order ? a->name_order < b->name_order : a->id() < b->id();
  };
  std::vector<const CustomerRow*> later;  // the hits after the ordered entries
  std::size_t ordered_hits = 0;
  for (std::size_t w = 0; w < hits.size(); ++w)
    for (std::uint64_t bits = hits[w]; bits != 0; bits &= bits - 1) {
      const std::size_t e = w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
      if (e < ordered) ++ordered_hits;
      else if (counted || passes(*found.rows[e])) later.push_back(found.rows[e]);
    }
  std::sort(later.begin(), later.end(), by_name);

  std::size_t position = 0;
  auto take = [&](const CustomerRow* row) {
    if (position >= offset && page.items.size() < limit) page.items.push_back(row->record);
    ++position;
  };
  auto next_later = later.begin();
  const std::size_t ordered_words = (ordered + 63) / 64;
  for (std::size_t w = 0; w < ordered_words && w < hits.size(); ++w) {
    if (counted && page.items.size() == limit) break;
    std::uint64_t bits = hits[w];
    if (w == ordered_words - 1 && ordered % 64 != 0) bits &= (std::uint64_t{1} << (ordered % 64)) - 1;
    for (; bits != 0; bits &= bits - 1) {
      const CustomerRow* row = found.rows[w * 64 + static_cast<std::size_t>(std::countr_zero(bits))];
      if (!counted && !passes(*row)) continue;
      while (next_later != later.end() && by_name(*next_later, row)) take(*next_later++);
      take(row);
    }
  }
  while (next_later != later.end() && !(counted && page.items.size() == limit)) take(*next_later++);
  page.total = counted ? ordered_hits + later.size() : position;
}

}  // namespace

Page<Customer> Register::search_customers(UserId actor, const CustomerQuery& query) const {
  std::shared_lock lock(impl_->mutex);
  const auto& r = *impl_;
  const Access access(r, r.actor(actor));
  check_paging(query.limit);
  // The actor's scope narrows the query: nothing without a grant, his own
  // customers under "view only assigned" (through the technician index).
  CustomerQuery q = query;
  const auto scope = access.customer_scope();
  if (scope == Access::Scope::none) return {};
  if (scope == Access::Scope::assigned) {
    if (q.unassigned_only || (q.technician && *q.technician != access.user().id)) return {};
    q.technician = access.user().id;
  }
  const bool own_only = scope == Access::Scope::own;
  check_text("text", q.text, 200);
  const std::string needle = r.text->fold(trim(q.text));
  const std::string category = folded_filter(*r.text, q.category, "category");
  const CustomSearch custom(r.field_definitions, *r.text, RecordKind::customer, q.custom, q.custom_sort);

  auto passes_filters = [&](const CustomerRow& row) {
    const Customer& c = row.record;
    if (own_only && !access.sees(c)) return false;
    if (!custom.matches(c.custom)) return false;
    if (q.active && c.active != *q.active) return false;
    if (q.kind && c.kind != *q.kind) return false;
    if (q.category && r.text->fold(c.category) != category) return false;
    if (q.technician && c.assigned_technician != q.technician) return false;
    if (q.unassigned_only && c.assigned_technician) return false;
    return true;
  };

  Page<Customer> page;
  std::vector<const CustomerRow*> rows;

  // Sorted by name without search text: the index that is already in that
  // order (a technician's list by the technician index). With no filter
  // beyond the technician, its ranks give the total and the page's first
  // row at once; otherwise it is walked.
  if (needle.empty() && q.sort == CustomerColumn::name && !custom.sorts()) {
    const bool counted = !own_only && !custom.filters() && !q.active && !q.kind && !q.category;
    auto ranked = [&](const auto& index, auto first, auto last) {
      const std::size_t from = index.rank(first), to = index.rank(last);
      page.total = to - from;
      if (q.offset >= page.total) return;
      const std::size_t count = std::min<std::size_t>(q.limit, page.total - q.offset);
      page.items.reserve(count);
      if (q.descending)
        for (auto it = std::make_reverse_iterator(index.nth(to - q.offset)); page.items.size() < count; ++it)
          page.items.push_back(it->record);
      else
        for (auto it = index.nth(from + q.offset); page.items.size() < count; ++it) page.items.push_back(it->record);
    };
    auto walk = [&](auto first, auto last) {
      auto visit = [&](const CustomerRow& row) {
        if (!passes_filters(row)) return;
        if (page.total >= q.offset && page.items.size() < q.limit) page.items.push_back(row.record);
        ++page.total;
      };
      if (q.descending)
        for (auto it = std::make_reverse_iterator(last); it != std::make_reverse_iterator(first); ++it) visit(*it);
      else
        for (auto it = first; it != last; ++it) visit(*it);
    };
    if (q.technician || q.unassigned_only) {
      auto tech = q.technician ? q.technician->value : 0;
      const auto& idx = r.customers.get<by_technician>();
      auto [lb, ub] = idx.equal_range(std::make_tuple(tech));
      if (counted) ranked(idx, lb, ub);
      else walk(lb, ub);
    } else {
      const auto& idx = r.customers.get<by_name_order>();
      if (counted) ranked(idx, idx.begin(), idx.end());
      else walk(idx.begin(), idx.end());
    }
    return page;
  }

  if (needle.empty()) {
    for (const auto& row : r.customers)
      if (passes_filters(row)) rows.push_back(&row);
  } else {
    // The packed texts give the entries of the customers found, as bits;
    // a customer found several ways is one bit.
    auto& texts = search_texts(r);
    std::lock_guard texts_lock(texts.mutex);
    refresh(texts, r);
    const auto& found = texts.customers;
    std::vector<std::uint64_t> hits((found.rows.size() + 63) / 64);
    auto mark = [&](std::uint32_t e) {
      if (e != TextColumn::kNone && found.rows[e] != nullptr) hits[e / 64] |= std::uint64_t{1} << (e % 64);
    };
    const bool prefix = q.match == TextMatch::prefix;
    if ((q.search_in & search_name) && prefix) {
      // A range of the names in folded order, then the customers changed since.
      auto [lo, hi] = found.names.with_prefix(texts.by_folded_name.data(),
                                              texts.by_folded_name.data() + texts.by_folded_name.size(), needle);
      for (; lo != hi; ++lo) mark(*lo);
      found.names.find(needle, prefix, mark, texts.ordered);
    } else if (q.search_in & search_name) {
      found.names.find(needle, prefix, mark);
    }
    if (q.search_in & search_email) found.emails.find(needle, prefix, mark);
    auto contact_hit = [&](std::uint32_t e) {
      if (texts.contacts.rows[e] == nullptr) return;
      for (auto i = texts.linked_at[e]; i < texts.linked_at[e + 1]; ++i) mark(found.entry_of(texts.linked[i]));
    };
    if (q.search_in & search_contact_name) texts.contacts.names.find(needle, prefix, contact_hit);
    if (q.search_in & search_email) texts.contacts.emails.find(needle, prefix, contact_hit);
    if ((q.search_in & search_custom) && custom.has_searchable())
      for (const auto& row : r.customers)
        if (custom.text_hit(row.record.custom, needle, q.match)) mark(found.entry_of(row.id()));

    if (q.sort == CustomerColumn::name && !q.descending && !custom.sorts()) {
      page_in_name_order(found, texts.ordered, hits, passes_filters,
                         !own_only && !custom.filters() && !q.active && !q.kind && !q.category &&
                             !q.technician && !q.unassigned_only,
                         q.offset, q.limit, page);
      return page;
    }
    for (std::size_t w = 0; w < hits.size(); ++w)
      for (std::uint64_t bits = hits[w]; bits != 0; bits &= bits - 1) {
        const CustomerRow& row = *found.rows[w * 64 + static_cast<std::size_t>(std::countr_zero(bits))];
        if (passes_filters(row)) rows.push_back(&row);
      }
  }

  if (custom.sorts()) {
    sort_by_custom(rows, custom, q.descending, q.offset, q.limit, page);
    return page;
  }

  auto text_key = [&](const std::string& s) { return r.text->sort_key(s); };
  switch (q.sort) {
    case CustomerColumn::number:
      sort_and_page(rows, [](const CustomerRow& x) { return x.number_order; }, q.descending, q.offset, q.limit, page);
      break;
    case CustomerColumn::name:
      sort_and_page(rows, [](const CustomerRow& x) { return std::string_view(x.name_order); }, q.descending, q.offset,
                    q.limit, page);
      break;
    case CustomerColumn::kind:
      sort_and_page(rows, [](const CustomerRow& x) { return std::make_pair(x.record.kind, std::string_view(x.name_order)); },
                    q.descending, q.offset, q.limit, page);
      break;
    case CustomerColumn::organisation_number:
      sort_and_page(rows, [&](const CustomerRow& x) { return r.text->numeric_sort_key(x.record.organisation_number); },
                    q.descending, q.offset, q.limit, page);
      break;
    case CustomerColumn::category:
      sort_and_page(rows, [&](const CustomerRow& x) { return text_key(x.record.category); }, q.descending, q.offset, q.limit, page);
      break;
    case CustomerColumn::email:
      sort_and_page(rows, [&](const CustomerRow& x) { return text_key(x.record.email); }, q.descending, q.offset, q.limit, page);
      break;
    case CustomerColumn::phone:
      sort_and_page(rows, [&](const CustomerRow& x) { return r.text->numeric_sort_key(x.record.phone); },
                    q.descending, q.offset, q.limit, page);
      break;
    case CustomerColumn::city:
      sort_and_page(rows, [&](const CustomerRow& x) { return text_key(x.record.invoice_address.city); },
                    q.descending, q.offset, q.limit, page);
      break;
    case CustomerColumn::postal_code:
      sort_and_page(rows, [&](const CustomerRow& x) { return r.text->numeric_sort_key(x.record.invoice_address.postal_code); },
                    q.descending, q.offset, q.limit, page);
      break;
    case CustomerColumn::active:
      sort_and_page(rows, [](const CustomerRow& x) { return std::make_pair(!x.record.active, std::string_view(x.name_order)); },
                    q.descending, q.offset, q.limit, page);
      break;
    case CustomerColumn::technician:
      // By the technician's name; customers without one come first.
      sort_and_page(rows, [&](const CustomerRow& x) {
        std::string key;
        if (x.record.assigned_technician) {
          auto it = r.users.find(x.record.assigned_technician->value);
          if (it != r.users.end()) key = "\x01" + text_key(it->record.name);
        }
        return std::make_pair(key, x.name_order);
      }, q.descending, q.offset, q.limit, page);
      break;
    case CustomerColumn::created_at:
      sort_and_page(rows, [](const CustomerRow& x) { return x.record.created_at; }, q.descending, q.offset, q.limit, page);
      break;
  }
  return page;
}

Page<Contact> Register::search_contacts(UserId actor, const ContactQuery& q) const {
  std::shared_lock lock(impl_->mutex);
  const auto& r = *impl_;
  const Access access(r, r.actor(actor));
  check_paging(q.limit);
  const auto scope = access.contact_scope();
  if (scope == Access::Scope::none) return {};
  const bool assigned_only = scope == Access::Scope::assigned;
  // The contact persons of a customer he may not see are none of his business.
  if (q.customer) {
    auto c = r.customers.find(q.customer->value);
    if (c == r.customers.end() || !access.sees(c->record)) return {};
  }
  check_text("last_name", q.last_name, 200);
  const std::string needle = r.text->fold(trim(q.last_name));
  const std::string category = folded_filter(*r.text, q.category, "category");
  const CustomSearch custom(r.field_definitions, *r.text, RecordKind::contact, q.custom, q.custom_sort);

  auto passes = [&](const ContactRow& row) {
    const Contact& c = row.record;
    if (!custom.matches(c.custom)) return false;
    if (!needle.empty() && !matches(row.last_name_key, needle, q.match)) return false;
    if (assigned_only && !access.sees(c)) return false;
    if (q.active && c.active != *q.active) return false;
    if (q.category && r.text->fold(c.category) != category) return false;
    if (q.customer &&
        r.links.find(std::make_tuple(q.customer->value, c.id.value)) == r.links.end())
      return false;
    return true;
  };

  std::vector<const ContactRow*> rows;
  if (q.customer) {
    auto [lb, ub] = r.links.get<by_customer>().equal_range(std::make_tuple(q.customer->value));
    for (auto it = lb; it != ub; ++it) {
      const auto& row = *r.contacts.find(it->contact());
      if (passes(row)) rows.push_back(&row);
    }
  } else if (!needle.empty() && q.match == TextMatch::prefix) {
    auto& idx = r.contacts.get<by_name>();
    for (auto it = idx.lower_bound(needle); it != idx.end() && matches(it->last_name_key, needle, q.match); ++it)
      if (passes(*it)) rows.push_back(&*it);
  } else {
    for (const auto& row : r.contacts)
      if (passes(row)) rows.push_back(&row);
  }

  Page<Contact> page;
  if (custom.sorts()) {
    sort_by_custom(rows, custom, q.descending, q.offset, q.limit, page);
    return page;
  }
  auto text_key = [&](const std::string& s) { return r.text->sort_key(s); };
  switch (q.sort) {
    case ContactColumn::last_name:
      sort_and_page(rows, [](const ContactRow& x) { return std::make_pair(x.last_name_order, x.first_name_order); },
                    q.descending, q.offset, q.limit, page);
      break;
    case ContactColumn::first_name:
      sort_and_page(rows, [](const ContactRow& x) { return std::make_pair(x.first_name_order, x.last_name_order); },
                    q.descending, q.offset, q.limit, page);
      break;
    case ContactColumn::email:
      sort_and_page(rows, [&](const ContactRow& x) { return text_key(x.record.email); }, q.descending, q.offset, q.limit, page);
      break;
    case ContactColumn::category:
      sort_and_page(rows, [&](const ContactRow& x) { return std::make_pair(text_key(x.record.category), x.last_name_order); },
                    q.descending, q.offset, q.limit, page);
      break;
    case ContactColumn::created_at:
      sort_and_page(rows, [](const ContactRow& x) { return x.record.created_at; }, q.descending, q.offset, q.limit, page);
      break;
  }
  return page;
}

Page<Facility> Register::search_facilities(UserId actor, const FacilityQuery& q) const {
  std::shared_lock lock(impl_->mutex);
  const auto& r = *impl_;
  const Access access(r, r.actor(actor));
  check_paging(q.limit);
  check_text("text", q.text, 200);
  const std::string needle = r.text->fold(trim(q.text));
  const CustomSearch custom(r.field_definitions, *r.text, RecordKind::facility, q.custom, q.custom_sort);
  auto passes = [&](const FacilityRow& row) {
    const Facility& f = row.record;
    if (q.active && f.active != *q.active) return false;
    if (!needle.empty() && r.text->fold(f.name).find(needle) == std::string::npos &&
        r.text->fold(f.number).find(needle) == std::string::npos &&
        !custom.text_hit(f.custom, needle, TextMatch::substring))
      return false;
    if (!custom.matches(f.custom)) return false;
    return access.sees(f);
  };
  std::vector<const FacilityRow*> rows;
  if (q.customer) {
    auto [lb, ub] = r.facilities.get<by_customer>().equal_range(std::make_tuple(q.customer->value));
    for (auto it = lb; it != ub; ++it)
      if (passes(*it)) rows.push_back(&*it);
  } else {
    for (const auto& row : r.facilities)
      if (passes(row)) rows.push_back(&row);
  }
  Page<Facility> page;
  if (custom.sorts()) {
    sort_by_custom(rows, custom, q.descending, q.offset, q.limit, page);
    return page;
  }
  auto text_key = [&](const std::string& s) { return r.text->sort_key(s); };
  switch (q.sort) {
    case FacilityColumn::name:
      sort_and_page(rows, [&](const FacilityRow& x) { return text_key(x.record.name); }, q.descending, q.offset,
                    q.limit, page);
      break;
    case FacilityColumn::number:
      sort_and_page(rows, [&](const FacilityRow& x) { return r.text->numeric_sort_key(x.record.number); },
                    q.descending, q.offset, q.limit, page);
      break;
    case FacilityColumn::city:
      sort_and_page(rows, [&](const FacilityRow& x) { return text_key(x.record.address.city); }, q.descending,
                    q.offset, q.limit, page);
      break;
    case FacilityColumn::customer:
      sort_and_page(rows, [&](const FacilityRow& x) { return r.customers.find(x.customer())->number_order; },
                    q.descending, q.offset, q.limit, page);
      break;
    case FacilityColumn::created_at:
      sort_and_page(rows, [](const FacilityRow& x) { return x.record.created_at; }, q.descending, q.offset, q.limit,
                    page);
      break;
  }
  return page;
}

}  // namespace kartotek
