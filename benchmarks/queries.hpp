// benchmarks/queries.hpp: the deterministic query lists every engine runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data_set.hpp"
#include "kartotek/ids.hpp"

namespace bench {

// QueryCounts: how many queries of each kind a list holds. Full scans
// (substring searches) get fewer at large sizes so that a run stays within
// minutes; the figure is per query either way.
struct QueryCounts {
  std::size_t lookups = 20000;
  std::size_t prefixes = 400;
  std::size_t substrings = 40;
  std::size_t technicians = 200;
  std::size_t order_lists = 2000;  // of each page
  std::size_t agreement_lists = 200;

  static QueryCounts for_size(std::size_t customers, bool smoke);
};

// A customer card lists ten orders at a time (docs/orders.md).
inline constexpr std::size_t kOrderPage = 10;

// Queries: what a user types, as typed (mixed case, Nordic letters); each
// engine folds it the way it does.
struct Queries {
  std::vector<std::string> numbers;          // 1 in 10 does not exist, 1 in 4 in lower case
  std::vector<kartotek::CustomerId> ids;     // 1 in 10 does not exist
  std::vector<std::string> name_prefixes;    // the first 2–5 letters of a customer's name
  std::vector<std::string> name_parts;       // 3–6 letters from inside a customer's name
  std::vector<std::string> contact_parts;    // part of a contact person's first or last name
  std::vector<std::string> email_parts;      // part of a customer's or contact's e-mail
  std::vector<std::string> everywhere;       // a mix of the three above
  std::vector<kartotek::UserId> technicians;
  // Customers whose orders a customer card lists: the first page for
  // customers with orders, and a later page (page_offsets, multiples of
  // kOrderPage) for customers with more than one page of them.
  std::vector<kartotek::CustomerId> order_customers;
  std::vector<kartotek::CustomerId> paged_customers;
  std::vector<std::size_t> page_offsets;
  std::vector<std::string> agreement_levels;  // values of the custom field avtalsniva
};

Queries make_queries(const DataSet& data, const QueryCounts& counts, std::uint64_t seed);

}  // namespace bench
