// src/custom_search.hpp: custom field filters and sorting in the customer,
// contact, facility and order searches (docs/custom-fields.md). Private to
// the library.
#pragma once

#include <string>
#include <vector>

#include "kartotek/custom_fields.hpp"
#include "kartotek/query.hpp"
#include "kartotek/text.hpp"

namespace kartotek::internal {

// CustomSearch: a query's custom filters and custom sort, checked against
// the definitions of one kind of record and prepared for matching.
class CustomSearch {
 public:
  // Throws ValidationError ("custom[i].key", "custom[i].value",
  // "custom_sort") for a key the kind does not define or has retired, a
  // match the type does not allow, or a value of the wrong type.
  CustomSearch(const std::vector<FieldDefinition>& definitions, const TextRules& text, RecordKind kind,
               const std::vector<CustomFilter>& filters, const std::string& sort);

  // True when every filter holds for `values`.
  bool matches(const CustomFields& values) const;

  // Whether the query filters by a custom field.
  bool filters() const noexcept { return !filters_.empty(); }
  // Whether the query sorts by a custom field.
  bool sorts() const noexcept { return sort_ != nullptr; }

  // SortKey: the sort field's value of a record; records without one sort
  // last whichever the direction.
  struct SortKey {
    bool missing = true;
    double number = 0;
    std::string text;
  };
  SortKey sort_key(const CustomFields& values) const;
  // -1, 0 or 1: `a` before, with or after `b` (`descending` reverses all but
  // the missing values, which stay last).
  static int compare(const SortKey& a, const SortKey& b, bool descending);

  // The searchable text-type fields of the kind: true when one holds the
  // folded `needle` (as a prefix or anywhere).
  bool text_hit(const CustomFields& values, const std::string& needle, TextMatch how) const;
  bool has_searchable() const noexcept { return !searchable_.empty(); }

 private:
  struct Filter {
    const FieldDefinition* field;
    CustomMatch match;
    Value value;         // normal form (numbers as double for integer and decimal)
    std::string folded;  // text types: the folded value
  };
  bool holds(const Filter& f, const Value* v) const;

  const TextRules& text_;
  std::vector<Filter> filters_;
  const FieldDefinition* sort_ = nullptr;
  std::vector<const FieldDefinition*> searchable_;
};

}  // namespace kartotek::internal
