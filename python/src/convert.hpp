// python/src/convert.hpp: conversions between kartotek's C++ values and
// Python objects, shared by every part of the extension.
//
// Two forms of a value exist in Python:
//  - the native form, returned by attributes: ids are ints (0 for "no id
//    yet", as in C++), timestamp fields are timezone-aware
//    `datetime.datetime` objects in UTC, nested records are objects of the
//    bound classes; a Value (history's old and new values) is plain Python
//    data, its timestamps ISO 8601 text as in C++;
//  - the JSON form, returned by to_dict(): exactly what json.loads() makes of
//    the record's JSON text (timestamps as ISO 8601 strings, non-finite
//    numbers as None).
//
// Every conversion from Python goes through kartotek::Value and from_value(),
// so a value set on an attribute, passed to a keyword constructor or read by
// from_dict() is checked by the same rules, and a refused value raises
// kartotek.ValidationError naming the field ("invoice_address.city").
//
// All functions here need the GIL.
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>  // in every part: casters must agree across the module

#include <chrono>
#include <optional>
#include <string>
#include <type_traits>

#include <kartotek/kartotek.hpp>

namespace kartotek::python {

namespace py = pybind11;

enum class Form { native, json };

// ---- timestamps ------------------------------------------------------------

// A timezone-aware datetime in UTC.
py::object timestamp_to_py(Timestamp t);
// From an aware datetime, a date (midnight UTC) or an ISO 8601 string
// ("2026-11-23T09:30:00Z", "2026-11-23"). A naive datetime is refused: it
// names no instant. Throws ValidationError naming `path`.
Timestamp py_to_timestamp(py::handle h, const std::string& path);
// From a timedelta or a number of seconds.
std::chrono::microseconds py_to_duration(py::handle h, const std::string& path);

// ---- Value -------------------------------------------------------------------

py::object value_to_py(const Value& v, Form form);
// None, bool, int, float, str, datetime/date, sequences, mappings with text
// keys, and objects of the bound record classes (as their Value form).
Value py_to_value(py::handle h, const std::string& path);

// Objects of the bound record classes convert to Values through these; each
// record class registers its own when it is bound.
using ToValue = Value (*)(py::handle);
void register_value_form(PyTypeObject* type, ToValue to_value);

// ---- typed fields ----------------------------------------------------------

template <class T> struct is_timestamp : std::is_same<T, Timestamp> {};

// to_py: a field's native Python form. Nested records become objects of their
// bound class (copies).
template <class T>
py::object to_py(const T& x) {
  if constexpr (std::is_same_v<T, Value>) {
    return value_to_py(x, Form::native);
  } else if constexpr (Described<T>) {
    return py::cast(x);
  } else if constexpr (is_optional<T>::value) {
    return x ? to_py(*x) : py::object(py::none());
  } else if constexpr (is_vector<T>::value) {
    py::list list;
    for (const auto& e : x) list.append(to_py(e));
    return list;
  } else if constexpr (is_timestamp<T>::value) {
    return timestamp_to_py(x);
  } else if constexpr (is_id<T>::value) {
    return py::int_(x.value);  // 0: no id yet (the JSON form writes null)
  } else {
    return value_to_py(to_value(x), Form::native);
  }
}

// from_py: reads `h` into a fresh T (so an assigned mapping replaces the whole
// nested record rather than patching it). `path` names the field for errors.
template <class T>
T from_py(py::handle h, const std::string& path) {
  if constexpr (Described<T>) {
    if (py::isinstance<T>(h)) return h.cast<const T&>();
  }
  T out{};
  from_value(py_to_value(h, path), out, path);
  return out;
}

// The Python name of an enum value; ValidationError naming `path` otherwise.
template <NamedEnum E>
E enum_arg(const std::string& name, const std::string& path) {
  if (auto e = enum_from_name<E>(name)) return *e;
  Value v(name);
  E out{};
  from_value(v, out, path);  // throws, listing the accepted names
  return out;
}

}  // namespace kartotek::python
