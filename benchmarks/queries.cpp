// benchmarks/queries.cpp

#include "queries.hpp"

#include <algorithm>
#include <string_view>

namespace bench {

QueryCounts QueryCounts::for_size(std::size_t customers, bool smoke) {
  QueryCounts c;
  if (smoke) return {500, 50, 10, 20, 200, 20};
  if (customers >= 500000) c.substrings = 10;
  else if (customers >= 50000) c.substrings = 20;
  return c;
}

namespace {

// Byte offsets of the code points of UTF-8 `s`, plus s.size().
std::vector<std::size_t> code_points(std::string_view s) {
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xc0) != 0x80) at.push_back(i);
  at.push_back(s.size());
  return at;
}

// Code points [from, from + n) of `s` (clamped).
std::string slice(std::string_view s, std::size_t from, std::size_t n) {
  auto at = code_points(s);
  std::size_t count = at.size() - 1;
  from = std::min(from, count);
  n = std::min(n, count - from);
  return std::string(s.substr(at[from], at[from + n] - at[from]));
}

std::size_t length(std::string_view s) { return code_points(s).size() - 1; }

std::vector<std::string_view> words(std::string_view s, std::string_view separators) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = s.find_first_of(separators, i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// Part of a word of `text`: `min`–`max` letters from a random place in a
// random word of at least `min` letters (the whole text when none is).
std::string fragment(Random& rng, std::string_view text, std::string_view separators, std::size_t min,
                     std::size_t max) {
  std::vector<std::string_view> candidates;
  for (auto w : words(text, separators))
    if (length(w) >= min) candidates.push_back(w);
  if (candidates.empty()) return std::string(text);
  std::string_view w = candidates[rng.below(candidates.size())];
  std::size_t n = std::min(rng.between(min, max), length(w));
  return slice(w, rng.below(length(w) - n + 1), n);
}

}  // namespace

Queries make_queries(const DataSet& data, const QueryCounts& counts, std::uint64_t seed) {
  Random rng(seed ^ 0x9e37a5b1c0de0001ULL);
  Queries q;
  const std::size_t n = data.customers.size();
  for (std::size_t i = 0; i < counts.lookups; ++i) {
    std::size_t index = rng.below(n);
    bool missing = rng.chance(0.1);
    std::string number = customer_number(missing ? n + index : index);
    if (rng.chance(0.25)) number[0] = 'k';
    q.numbers.push_back(std::move(number));
    q.ids.push_back(kartotek::CustomerId{rng.chance(0.1) ? n + 1 + rng.below(n) : 1 + rng.below(n)});
  }
  for (std::size_t i = 0; i < counts.prefixes; ++i)
    q.name_prefixes.push_back(slice(data.customers[rng.below(n)].name, 0, rng.between(2, 5)));
  for (std::size_t i = 0; i < counts.substrings; ++i) {
    q.name_parts.push_back(fragment(rng, data.customers[rng.below(n)].name, " &,", 3, 6));
    if (!data.contacts.empty()) {
      const auto& c = data.contacts[rng.below(data.contacts.size())];
      q.contact_parts.push_back(fragment(rng, rng.chance(0.5) ? c.last_name : c.first_name, " ", 3, 6));
    } else {
      q.contact_parts.push_back(fragment(rng, data.customers[rng.below(n)].name, " ", 3, 6));
    }
    std::string_view email;
    while (email.empty()) {
      bool contact = !data.contacts.empty() && rng.chance(0.3);
      email = contact ? std::string_view(data.contacts[rng.below(data.contacts.size())].email)
                      : std::string_view(data.customers[rng.below(n)].email);
    }
    q.email_parts.push_back(fragment(rng, email, ".@-", 4, 8));
    switch (i % 3) {
      case 0: q.everywhere.push_back(q.name_parts.back()); break;
      case 1: q.everywhere.push_back(q.contact_parts.back()); break;
      default: q.everywhere.push_back(q.email_parts.back()); break;
    }
  }
  for (std::size_t i = 0; i < counts.technicians; ++i)
    q.technicians.push_back(kartotek::UserId{2 + rng.below(data.technicians.size())});

  std::vector<std::size_t> orders(n, 0);
  for (const auto& o : data.orders) ++orders[o.customer.value - 1];
  std::vector<std::size_t> with_orders, with_pages;
  for (std::size_t i = 0; i < n; ++i) {
    if (orders[i] > 0) with_orders.push_back(i);
    if (orders[i] > kOrderPage) with_pages.push_back(i);
  }
  for (std::size_t i = 0; i < counts.order_lists; ++i) {
    if (!with_orders.empty())
      q.order_customers.push_back(kartotek::CustomerId{with_orders[rng.below(with_orders.size())] + 1});
    if (!with_pages.empty()) {
      const std::size_t c = with_pages[rng.below(with_pages.size())];
      q.paged_customers.push_back(kartotek::CustomerId{c + 1});
      q.page_offsets.push_back(kOrderPage * rng.between(1, (orders[c] - 1) / kOrderPage));
    }
  }
  for (std::size_t i = 0; i < counts.agreement_lists; ++i)
    q.agreement_levels.emplace_back(kAgreementLevels[rng.below(std::size(kAgreementLevels))]);
  return q;
}

}  // namespace bench
