// kartotek/query.hpp: searches and lists: what to match, filter, sort and page.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kartotek/customer.hpp"
#include "kartotek/describe.hpp"
#include "kartotek/ids.hpp"

namespace kartotek {

// TextMatch: how search text matches a field. Matching ignores case and follows
// the register's locale (TextRules::fold).
enum class TextMatch : std::uint8_t { prefix, substring };

template <> struct EnumNames<TextMatch> {
  static constexpr std::array<std::pair<TextMatch, std::string_view>, 2> names{{
      {TextMatch::prefix, "prefix"}, {TextMatch::substring, "substring"}}};
};

// Where customer search text is looked for.
enum SearchIn : std::uint8_t {
  search_name = 1,           // the customer's name
  search_contact_name = 2,   // first, last or full name of a linked contact person
  search_email = 4,          // the customer's e-mail or a linked contact person's
  search_custom = 8,         // the customer's searchable custom fields of text types
  search_everywhere = 15,
};

// Columns a customer list sorts by. Text columns sort by the locale's
// collation, the number column with numbers inside compared by value.
enum class CustomerColumn : std::uint8_t {
  number, name, kind, organisation_number, category, email, phone,
  city, postal_code, active, technician, created_at,
};

template <> struct EnumNames<CustomerColumn> {
  static constexpr std::array<std::pair<CustomerColumn, std::string_view>, 12> names{{
      {CustomerColumn::number, "number"}, {CustomerColumn::name, "name"},
      {CustomerColumn::kind, "kind"},
      {CustomerColumn::organisation_number, "organisation_number"},
      {CustomerColumn::category, "category"}, {CustomerColumn::email, "email"},
      {CustomerColumn::phone, "phone"}, {CustomerColumn::city, "city"},
      {CustomerColumn::postal_code, "postal_code"}, {CustomerColumn::active, "active"},
      {CustomerColumn::technician, "technician"}, {CustomerColumn::created_at, "created_at"}}};
};

// CustomerQuery: empty text matches every customer; the filters narrow it.
// Results are ordered by `sort` (ties by id) and cut to [offset, offset+limit).
struct CustomerQuery {
  std::string text;
  TextMatch match = TextMatch::substring;
  std::uint8_t search_in = search_everywhere;
  std::optional<bool> active;
  std::optional<CustomerKind> kind;
  std::optional<std::string> category;       // equal after folding
  std::optional<UserId> technician;          // assigned to this user
  bool unassigned_only = false;              // no technician assigned
  std::vector<CustomFilter> custom;          // each must hold
  CustomerColumn sort = CustomerColumn::name;
  std::string custom_sort;                   // a custom field's key: sorts by it instead of `sort`
  bool descending = false;
  std::size_t offset = 0;
  std::size_t limit = 50;
};

enum class ContactColumn : std::uint8_t { last_name, first_name, email, category, created_at };

template <> struct EnumNames<ContactColumn> {
  static constexpr std::array<std::pair<ContactColumn, std::string_view>, 5> names{{
      {ContactColumn::last_name, "last_name"}, {ContactColumn::first_name, "first_name"},
      {ContactColumn::email, "email"}, {ContactColumn::category, "category"},
      {ContactColumn::created_at, "created_at"}}};
};

// ContactQuery: contacts by all or part of the last name (empty: every contact).
struct ContactQuery {
  std::string last_name;
  TextMatch match = TextMatch::substring;
  std::optional<bool> active;
  std::optional<std::string> category;
  std::optional<CustomerId> customer;  // only contact persons of this customer
  std::vector<CustomFilter> custom;    // each must hold
  ContactColumn sort = ContactColumn::last_name;  // ties by first name, then id
  std::string custom_sort;             // a custom field's key: sorts by it instead of `sort`
  bool descending = false;
  std::size_t offset = 0;
  std::size_t limit = 50;
};

// Page: one page of a result and the size of the whole result.
template <class T>
struct Page {
  std::vector<T> items;
  std::size_t total = 0;
};

}  // namespace kartotek
