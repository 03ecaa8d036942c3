// kartotek/duplicates.hpp: customers and contacts that look like the same
// company or person twice — the pairs Register::find_duplicates reports and
// the candidates Register::similar_customers and similar_contacts give for a
// record not yet saved. Finding duplicates only warns; MergeCustomers and
// MergeContacts (commands.hpp) join them. Rules: docs/duplicates.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "kartotek/describe.hpp"
#include "kartotek/history.hpp"
#include "kartotek/ids.hpp"

namespace kartotek {

// DuplicatePair: two records of `kind` (customer or contact) that may be
// one. `first` < `second` are their ids; for the candidates of an unsaved
// record (Register::similar_customers, similar_contacts) `first` is 0, the
// record not yet saved, and `second` the record it resembles. `score` lies
// between 0 and 100: the sum of the weights of the `reasons`, in the order
// they are weighed ("same name", "similar name", "organisation number",
// "email", "phone", "address", "customer", "different organisation numbers";
// docs/duplicates.md has the weights).
struct DuplicatePair {
  RecordKind kind = RecordKind::customer;
  std::uint64_t first = 0;
  std::uint64_t second = 0;
  int score = 0;
  std::vector<std::string> reasons;

  friend bool operator==(const DuplicatePair&, const DuplicatePair&) = default;
};

template <> struct Describe<DuplicatePair> {
  static constexpr auto fields = std::make_tuple(
      field("kind", &DuplicatePair::kind), field("first", &DuplicatePair::first),
      field("second", &DuplicatePair::second), field("score", &DuplicatePair::score),
      field("reasons", &DuplicatePair::reasons));
};

// DuplicateQuery: which pairs Register::find_duplicates lists: those of
// `kind` (customer or contact) scoring at least `min_score` (1 to 100), the
// best first, at most `limit` of them.
struct DuplicateQuery {
  RecordKind kind = RecordKind::customer;
  int min_score = 50;
  std::size_t limit = 1000;

  friend bool operator==(const DuplicateQuery&, const DuplicateQuery&) = default;
};

template <> struct Describe<DuplicateQuery> {
  static constexpr auto fields =
      std::make_tuple(field("kind", &DuplicateQuery::kind), field("min_score", &DuplicateQuery::min_score),
                      field("limit", &DuplicateQuery::limit));
};

}  // namespace kartotek
