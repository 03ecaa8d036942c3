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

  // Defined after Member: the variant's members need Member complete.
  Value();
  Value(std::nullptr_t);
  Value(bool b);
  Value(std::int64_t i);
  Value(double d);
  Value(std::string s);
  Value(const char* s);
  Value(List l);
  Value(Object o);

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

inline Value::Value() = default;
inline Value::Value(std::nullptr_t) {}
inline Value::Value(bool b) : v_(b) {}
inline Value::Value(std::int64_t i) : v_(i) {}
inline Value::Value(double d) : v_(d) {}
inline Value::Value(std::string s) : v_(std::move(s)) {}
inline Value::Value(const char* s) : v_(std::string(s)) {}
inline Value::Value(List l) : v_(std::move(l)) {}
inline Value::Value(Object o) : v_(std::move(o)) {}

// to_json: compact JSON text of `v`. Decimals that are not finite become null.
std::string to_json(const Value& v);

// parse_json: the Value of JSON text. Throws ValidationError naming the
// offset on malformed JSON, invalid UTF-8, duplicate keys, integers beyond
// 64 bits or nesting deeper than 64 levels.
Value parse_json(std::string_view json);

// format_timestamp / parse_timestamp: ISO 8601 UTC with microseconds, for
// the years 0000 to 9999 (kMinTimestamp..kMaxTimestamp); both throw
// ValidationError outside them. parse_timestamp accepts
// "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" and "YYYY-MM-DD"; it throws
// ValidationError otherwise.
inline constexpr Timestamp kMinTimestamp{std::chrono::microseconds{-62167219200LL * 1000000}};
inline constexpr Timestamp kMaxTimestamp{std::chrono::microseconds{253402300800LL * 1000000 - 1}};
inline constexpr bool in_timestamp_range(Timestamp t) noexcept {
  return t >= kMinTimestamp && t <= kMaxTimestamp;
}
std::string format_timestamp(Timestamp t);
Timestamp parse_timestamp(std::string_view text);

}  // namespace kartotek
