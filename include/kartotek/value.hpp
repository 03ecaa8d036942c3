// kartotek/value.hpp: a typed value tree. History records old and new values
// as Values, and a record's JSON form is the JSON text of its Value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "kartotek/clock.hpp"

namespace kartotek {

struct Member;

// Value: null, boolean, integer, decimal, text, list or object — exactly what
// JSON holds, so a Value survives a trip through its JSON text unchanged.
// Timestamps are text in ISO 8601 UTC ("2026-11-23T09:30:00.000000Z").
// Objects keep their members in declaration order (the order a record's
// fields are described in), so the JSON form is stable.
class Value {
 public:
  using List = std::vector<Value>;
  using Object = std::vector<Member>;
  // New alternatives go at the end: the index is part of stored history.
  using Storage = std::variant<std::monostate, bool, std::int64_t, double, std::string, List, Object>;

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  Value(std::int64_t i) : v_(i) {}
  Value(double d) : v_(d) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(List l) : v_(std::move(l)) {}
  Value(Object o) : v_(std::move(o)) {}

  bool is_null() const noexcept { return std::holds_alternative<std::monostate>(v_); }
  template <class T> bool is() const noexcept { return std::holds_alternative<T>(v_); }
  template <class T> const T& as() const { return std::get<T>(v_); }
  template <class T> T& as() { return std::get<T>(v_); }
  const Storage& storage() const noexcept { return v_; }

  // The member named `key` of an object, or nullptr (also when not an object).
  const Value* find(std::string_view key) const noexcept;

  friend bool operator==(const Value&, const Value&);

  template <class Archive>
  void serialize(Archive& ar) { ar(v_); }

 private:
  Storage v_;
};

struct Member {
  std::string key;
  Value value;
  friend bool operator==(const Member&, const Member&) = default;

  template <class Archive>
  void serialize(Archive& ar) { ar(key, value); }
};

// to_json: compact JSON text of `v`. Decimals that are not finite become null.
std::string to_json(const Value& v);

// parse_json: the Value of JSON text. Throws ValidationError naming the
// offset on malformed JSON, invalid UTF-8, duplicate keys, integers beyond
// 64 bits or nesting deeper than 64 levels.
Value parse_json(std::string_view json);

// format_timestamp / parse_timestamp: ISO 8601 UTC with microseconds.
// parse_timestamp accepts "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" and "YYYY-MM-DD";
// it throws ValidationError otherwise.
std::string format_timestamp(Timestamp t);
Timestamp parse_timestamp(std::string_view text);

}  // namespace kartotek
