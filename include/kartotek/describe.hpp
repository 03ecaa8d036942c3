// kartotek/describe.hpp: one description of each record type's fields, from
// which its history diff, its Value/JSON form and its serialization follow.
// Adding a field to a model type means adding it to the struct and to its
// Describe<> list, nothing else.
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "kartotek/error.hpp"
#include "kartotek/ids.hpp"
#include "kartotek/value.hpp"

namespace kartotek {

// Field: one described member. `since` is the file format version that
// added it: reading a snapshot or journal of an earlier format leaves the
// member at its default (docs/file-formats.md, "Earlier versions").
template <class C, class M>
struct Field {
  std::string_view name;
  M C::*member;
  std::uint32_t since = 1;
};

template <class C, class M>
constexpr Field<C, M> field(std::string_view name, M C::*member, std::uint32_t since = 1) {
  return {name, member, since};
}

// Describe<T>::fields: a tuple of Field<T, M>, in the order of the record's
// JSON form. Specialized next to each model type.
template <class T>
struct Describe;

template <class T>
concept Described = requires { Describe<T>::fields; };

template <Described T, class F>
constexpr void for_each_field(F&& f) {
  std::apply([&](const auto&... fld) { (f(fld), ...); }, Describe<T>::fields);
}

// EnumNames<E>::names: array of {value, name}; names are the JSON spelling.
template <class E>
struct EnumNames;

template <class E>
concept NamedEnum = std::is_enum_v<E> && requires { EnumNames<E>::names; };

template <NamedEnum E>
constexpr std::string_view enum_name(E e) {
  for (const auto& [value, name] : EnumNames<E>::names)
    if (value == e) return name;
  return {};
}

template <NamedEnum E>
constexpr std::optional<E> enum_from_name(std::string_view name) {
  for (const auto& [value, n] : EnumNames<E>::names)
    if (n == name) return value;
  return std::nullopt;
}

template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};
template <class T> struct is_vector : std::false_type {};
template <class T, class A> struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T> struct is_optional_described : std::false_type {};
template <Described T> struct is_optional_described<std::optional<T>> : std::true_type {};
template <class T> struct is_id : std::false_type {};
template <class Tag> struct is_id<Id<Tag>> : std::true_type {};

// ---- to_value --------------------------------------------------------------

// ValueForm: a type that makes its own Value form, reads it back and diffs
// itself (CustomFields), instead of being described field by field.
template <class T>
concept ValueForm = requires(const T& x, const Value& v, const std::string& path) {
  { x.value_form() } -> std::same_as<Value>;
  { T::from_value_form(v, path) } -> std::same_as<T>;
};

template <class T>
Value to_value(const T& x) {
  if constexpr (std::is_same_v<T, Value>) {
    return x;
  } else if constexpr (std::is_same_v<T, bool>) {
    return Value(x);
  } else if constexpr (std::is_integral_v<T>) {
    return Value(static_cast<std::int64_t>(x));
  } else if constexpr (std::is_floating_point_v<T>) {
    return Value(static_cast<double>(x));
  } else if constexpr (std::is_same_v<T, std::string>) {
    return Value(x);
  } else if constexpr (std::is_same_v<T, Timestamp>) {
    return Value(format_timestamp(x));
  } else if constexpr (is_id<T>::value) {
    return x ? Value(static_cast<std::int64_t>(x.value)) : Value();
  } else if constexpr (NamedEnum<T>) {
    return Value(std::string(enum_name(x)));
  } else if constexpr (is_optional<T>::value) {
    return x ? to_value(*x) : Value();
  } else if constexpr (is_vector<T>::value) {
    Value::List list;
    list.reserve(x.size());
    for (const auto& e : x) list.push_back(to_value(e));
    return Value(std::move(list));
  } else if constexpr (ValueForm<T>) {
    return x.value_form();
  } else if constexpr (Described<T>) {
    Value::Object obj;
    // One allocation of the exact size: history keeps these objects for good.
    obj.reserve(std::tuple_size_v<std::remove_cvref_t<decltype(Describe<T>::fields)>>);
    for_each_field<T>([&](const auto& fld) {
      obj.push_back(Member{std::string(fld.name), to_value(x.*(fld.member))});
    });
    return Value(std::move(obj));
  } else {
    static_assert(sizeof(T) == 0, "no Value form for this type");
  }
}

// ---- from_value ------------------------------------------------------------

// from_value: reads `v` into `out`; `path` names the field for errors. Members
// missing from an object keep the value `out` already has, so a partial object
// works as a patch over an existing record. Unknown members are refused, so
// a misspelt field never passes silently.
template <class T>
void from_value(const Value& v, T& out, const std::string& path) {
  auto fail = [&](const char* expected) {
    throw ValidationError(path, std::string("expected ") + expected);
  };
  if constexpr (std::is_same_v<T, Value>) {
    out = v;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!v.is<bool>()) fail("true or false");
    out = v.as<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    if (!v.is<std::int64_t>()) fail("an integer");
    auto i = v.as<std::int64_t>();
    if constexpr (std::is_unsigned_v<T>) {
      if (i < 0) fail("a non-negative integer");
    }
    if (static_cast<std::int64_t>(static_cast<T>(i)) != i) fail("a smaller integer");
    out = static_cast<T>(i);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (v.is<double>()) out = static_cast<T>(v.as<double>());
    else if (v.is<std::int64_t>()) out = static_cast<T>(v.as<std::int64_t>());
    else fail("a number");
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!v.is<std::string>()) fail("text");
    out = v.as<std::string>();
  } else if constexpr (std::is_same_v<T, Timestamp>) {
    if (v.is<std::string>()) {
      try {
        out = parse_timestamp(v.as<std::string>());
      } catch (const ValidationError& e) {
        throw ValidationError(path, e.what());
      }
    } else fail("a timestamp");
  } else if constexpr (is_id<T>::value) {
    if (v.is_null()) { out = T{}; return; }
    // Ids start at 1; "none" is null, never 0.
    if (!v.is<std::int64_t>() || v.as<std::int64_t>() <= 0) fail("a positive id or null");
    out = T{static_cast<std::uint64_t>(v.as<std::int64_t>())};
  } else if constexpr (NamedEnum<T>) {
    if (!v.is<std::string>()) fail("a name");
    auto e = enum_from_name<T>(v.as<std::string>());
    if (!e) {
      std::string names;
      for (const auto& [value, name] : EnumNames<T>::names)
        names += (names.empty() ? "" : ", ") + std::string(name);
      throw ValidationError(path, "expected one of " + names);
    }
    out = *e;
  } else if constexpr (is_optional<T>::value) {
    if (v.is_null()) { out.reset(); return; }
    // Into a copy, so a refused value leaves `out` as it was.
    typename T::value_type inner = out ? *out : typename T::value_type{};
    from_value(v, inner, path);
    out = std::move(inner);
  } else if constexpr (is_vector<T>::value) {
    if (!v.is<Value::List>()) fail("a list");
    const auto& list = v.as<Value::List>();
    T result;
    result.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      typename T::value_type e{};
      from_value(list[i], e, path + "[" + std::to_string(i) + "]");
      result.push_back(std::move(e));
    }
    out = std::move(result);
  } else if constexpr (ValueForm<T>) {
    out = T::from_value_form(v, path);
  } else if constexpr (Described<T>) {
    if (!v.is<Value::Object>()) fail("an object");
    for (const auto& m : v.as<Value::Object>()) {
      bool known = false;
      for_each_field<T>([&](const auto& fld) {
        if (!known && fld.name == m.key) {
          known = true;
          from_value(m.value, out.*(fld.member), path.empty() ? m.key : path + "." + m.key);
        }
      });
      if (!known)
        throw ValidationError(path.empty() ? m.key : path + "." + m.key, "unknown field");
    }
  } else {
    static_assert(sizeof(T) == 0, "no Value form for this type");
  }
}

// ---- diff ------------------------------------------------------------------

// FieldChange: one field whose value differs; `field` is a dotted path
// ("name", "invoice_address.city").
struct FieldChange {
  std::string field;
  Value old_value;
  Value new_value;
};

// diff: the changed fields between two versions of a record. Nested described
// structs are compared field by field; an optional struct that appears or
// disappears, a list, and a plain value are compared whole.
template <class T>
void diff(const T& before, const T& after, const std::string& path,
          std::vector<FieldChange>& out) {
  if constexpr (ValueForm<T>) {
    T::diff(before, after, path, out);
  } else if constexpr (Described<T>) {
    for_each_field<T>([&](const auto& fld) {
      diff(before.*(fld.member), after.*(fld.member),
           path.empty() ? std::string(fld.name) : path + "." + std::string(fld.name), out);
    });
  } else if constexpr (is_optional_described<T>::value) {
    if (before && after) diff(*before, *after, path, out);
    else if (before || after) out.push_back({path, to_value(before), to_value(after)});
  } else {
    if (!(before == after)) out.push_back({path, to_value(before), to_value(after)});
  }
}

template <Described T>
std::vector<FieldChange> diff(const T& before, const T& after) {
  std::vector<FieldChange> out;
  diff(before, after, std::string(), out);
  return out;
}

// ---- serialization ---------------------------------------------------------

// Every described type serializes its fields in description order (cereal
// finds this by argument-dependent lookup). An archive that reads an earlier
// format (one with format()) skips the fields added after it.
template <class Archive, Described T>
void serialize(Archive& ar, T& x) {
  for_each_field<T>([&](const auto& fld) {
    if constexpr (requires { ar.format(); }) {
      if (fld.since > ar.format()) return;
    }
    ar(x.*(fld.member));
  });
}

}  // namespace kartotek
