// kartotek/custom_fields.hpp: fields the group defines on customers,
// contacts, facilities, service objects and orders, and the values records
// carry for them. Rules: docs/custom-fields.md.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "kartotek/clock.hpp"
#include "kartotek/describe.hpp"
#include "kartotek/error.hpp"
#include "kartotek/ids.hpp"
#include "kartotek/value.hpp"

namespace kartotek {

// FieldType: what a custom field holds, and the Value form of its values.
// New types go at the end: the numbers are stored.
enum class FieldType : std::uint8_t {
  text,          // text
  integer,       // a whole number (integer)
  decimal,       // a number (decimal)
  date,          // "YYYY-MM-DD" (text)
  boolean,       // true or false
  choice,        // one of the field's choices (text)
  multi_choice,  // some of the field's choices (list of text, in the choices' order)
  email,         // an e-mail address (text)
  phone,         // a phone number (text)
  url,           // an http or https address (text)
};

template <> struct EnumNames<FieldType> {
  static constexpr std::array<std::pair<FieldType, std::string_view>, 10> names{{
      {FieldType::text, "text"}, {FieldType::integer, "integer"}, {FieldType::decimal, "decimal"},
      {FieldType::date, "date"}, {FieldType::boolean, "boolean"}, {FieldType::choice, "choice"},
      {FieldType::multi_choice, "multi_choice"}, {FieldType::email, "email"}, {FieldType::phone, "phone"},
      {FieldType::url, "url"}}};
};

// FieldLabel: what a field is called in one language (sv, da, nb, fi, en …).
struct FieldLabel {
  std::string language;
  std::string text;
  friend bool operator==(const FieldLabel&, const FieldLabel&) = default;
};

template <> struct Describe<FieldLabel> {
  static constexpr auto fields =
      std::make_tuple(field("language", &FieldLabel::language), field("text", &FieldLabel::text));
};

// FieldDefinition: one custom field of one kind of record (customer,
// contact, facility, service_object or order). `key` is unique per kind and
// never changes; `revision` is kept by the register. A retired field is
// hidden and refuses new values, but records keep theirs and restoring it
// shows them again.
struct FieldDefinition {
  RecordKind kind = RecordKind::customer;
  std::string key;
  std::vector<FieldLabel> labels;
  FieldType type = FieldType::text;
  bool required = false;
  Value default_value;  // null: none
  std::vector<std::string> choices;
  std::int32_t display_order = 0;
  bool searchable = false;
  bool retired = false;
  std::uint64_t revision = 0;

  friend bool operator==(const FieldDefinition&, const FieldDefinition&) = default;
};

template <> struct Describe<FieldDefinition> {
  static constexpr auto fields = std::make_tuple(
      field("kind", &FieldDefinition::kind), field("key", &FieldDefinition::key),
      field("labels", &FieldDefinition::labels), field("type", &FieldDefinition::type),
      field("required", &FieldDefinition::required), field("default_value", &FieldDefinition::default_value),
      field("choices", &FieldDefinition::choices), field("display_order", &FieldDefinition::display_order),
      field("searchable", &FieldDefinition::searchable), field("retired", &FieldDefinition::retired),
      field("revision", &FieldDefinition::revision));
};

// CustomFields: the custom field values of one record, by key. Its Value
// (and JSON) form is an object {key: value}; history records each key that
// changes as its own field, "custom.<key>".
class CustomFields {
 public:
  CustomFields() = default;

  // The value of `key`, or nullptr.
  const Value* find(std::string_view key) const noexcept {
    auto it = lower(key);
    return it != values_.end() && it->key == key ? &it->value : nullptr;
  }
  // Sets `key` (a null value removes it).
  void set(std::string key, Value value) {
    auto it = lower(key);
    bool present = it != values_.end() && it->key == key;
    if (value.is_null()) {
      if (present) values_.erase(it);
    } else if (present) {
      it->value = std::move(value);
    } else {
      values_.insert(it, Member{std::move(key), std::move(value)});
    }
  }
  void erase(std::string_view key) {
    auto it = lower(key);
    if (it != values_.end() && it->key == key) values_.erase(it);
  }
  const std::vector<Member>& values() const noexcept { return values_; }
  bool empty() const noexcept { return values_.empty(); }
  std::size_t size() const noexcept { return values_.size(); }

  // The ValueForm hooks of describe.hpp.
  Value value_form() const { return Value(Value::Object(values_.begin(), values_.end())); }
  static CustomFields from_value_form(const Value& v, const std::string& path);
  static void diff(const CustomFields& before, const CustomFields& after, const std::string& path,
                   std::vector<FieldChange>& out);

  friend bool operator==(const CustomFields&, const CustomFields&) = default;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(values_);
  }

 private:
  std::vector<Member>::iterator lower(std::string_view key) {
    return std::lower_bound(values_.begin(), values_.end(), key,
                            [](const Member& m, std::string_view k) { return m.key < k; });
  }
  std::vector<Member>::const_iterator lower(std::string_view key) const {
    return std::lower_bound(values_.begin(), values_.end(), key,
                            [](const Member& m, std::string_view k) { return m.key < k; });
  }

  std::vector<Member> values_;  // sorted by key, no nulls
};

inline CustomFields CustomFields::from_value_form(const Value& v, const std::string& path) {
  if (v.is_null()) return {};
  if (!v.is<Value::Object>()) throw ValidationError(path, "expected an object of custom field values");
  CustomFields out;
  for (const auto& m : v.as<Value::Object>()) {
    if (out.find(m.key)) throw ValidationError(path + "." + m.key, "is given twice");
    out.set(m.key, m.value);
  }
  return out;
}

inline void CustomFields::diff(const CustomFields& before, const CustomFields& after, const std::string& path,
                               std::vector<FieldChange>& out) {
  auto b = before.values_.begin(), a = after.values_.begin();
  while (b != before.values_.end() || a != after.values_.end()) {
    if (a == after.values_.end() || (b != before.values_.end() && b->key < a->key)) {
      out.push_back({path + "." + b->key, b->value, Value()});
      ++b;
    } else if (b == before.values_.end() || a->key < b->key) {
      out.push_back({path + "." + a->key, Value(), a->value});
      ++a;
    } else {
      if (!(b->value == a->value)) out.push_back({path + "." + a->key, b->value, a->value});
      ++a;
      ++b;
    }
  }
}

// CustomMatch: how a search filter compares a custom field's value.
//   equals    the same value (text types ignore case as search does; a
//             multi_choice field equals a choice it holds; null: no value)
//   contains  text types: the value holds the text
//   at_least, at_most  integer, decimal and date fields: a bound, inclusive
enum class CustomMatch : std::uint8_t { equals, contains, at_least, at_most };

template <> struct EnumNames<CustomMatch> {
  static constexpr std::array<std::pair<CustomMatch, std::string_view>, 4> names{{
      {CustomMatch::equals, "equals"}, {CustomMatch::contains, "contains"},
      {CustomMatch::at_least, "at_least"}, {CustomMatch::at_most, "at_most"}}};
};

// CustomFilter: one condition on custom field `key` of the listed kind of
// record. A search's filters must all hold; a filter on a key the kind does
// not define (or has retired) is refused with a ValidationError.
struct CustomFilter {
  std::string key;
  CustomMatch match = CustomMatch::equals;
  Value value;

  friend bool operator==(const CustomFilter&, const CustomFilter&) = default;
};

template <> struct Describe<CustomFilter> {
  static constexpr auto fields = std::make_tuple(
      field("key", &CustomFilter::key), field("match", &CustomFilter::match), field("value", &CustomFilter::value));
};

// FieldConversion: one stored value that a change of a field's type
// (ChangeFieldType) cannot convert: whose it is, the value and why.
struct FieldConversion {
  RecordKind kind = RecordKind::customer;
  std::uint64_t record = 0;
  Value value;
  std::string reason;

  friend bool operator==(const FieldConversion&, const FieldConversion&) = default;
};

template <> struct Describe<FieldConversion> {
  static constexpr auto fields =
      std::make_tuple(field("kind", &FieldConversion::kind), field("record", &FieldConversion::record),
                      field("value", &FieldConversion::value), field("reason", &FieldConversion::reason));
};

}  // namespace kartotek
