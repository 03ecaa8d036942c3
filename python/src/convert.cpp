// python/src/convert.cpp: Value <-> Python and timestamps <-> datetime.
//
// The datetime C API (PyDateTimeAPI) is a static of each translation unit
// that includes <datetime.h>, so every use of it lives in this file.

#include "convert.hpp"

#include <datetime.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <unordered_map>

#include <pybind11/gil_safe_call_once.h>

namespace kartotek::python {

namespace {

using namespace std::chrono;

constexpr int kMaxDepth = 64;  // as deep as parse_json() accepts

void ensure_datetime_api() {
  if (!PyDateTimeAPI) {
    PyDateTime_IMPORT;
    if (!PyDateTimeAPI) throw py::error_already_set();
  }
}

std::unordered_map<PyTypeObject*, ToValue>& value_forms() {
  // Holds borrowed type pointers only: nothing to release at exit.
  static std::unordered_map<PyTypeObject*, ToValue> forms;
  return forms;
}

// collections.abc.Mapping and Sequence, looked up once.
struct Abc {
  py::object mapping;
  py::object sequence;
};

const Abc& abc() {
  PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<Abc> storage;
  return storage
      .call_once_and_store_result([] {
        py::module_ m = py::module_::import("collections.abc");
        return Abc{m.attr("Mapping"), m.attr("Sequence")};
      })
      .get_stored();
}

bool is_instance(py::handle h, const py::object& cls) {
  int r = PyObject_IsInstance(h.ptr(), cls.ptr());
  if (r < 0) throw py::error_already_set();
  return r == 1;
}

std::string type_name(py::handle h) { return py::str(py::type::handle_of(h).attr("__qualname__")); }

[[noreturn]] void refuse(const std::string& path, const std::string& expected, py::handle h) {
  throw ValidationError(path, "expected " + expected + ", not " + type_name(h));
}

std::string child(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

// UTF-8 of a str; lone surrogates (which UTF-8 cannot carry) are refused.
std::string utf8(py::handle h, const std::string& path) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(h.ptr(), &size);
  if (!data) {
    PyErr_Clear();
    throw ValidationError(path, "is not valid text (it holds a lone surrogate)");
  }
  return std::string(data, static_cast<std::size_t>(size));
}

Value to_value_rec(py::handle h, const std::string& path, int depth) {
  if (depth > kMaxDepth)
    throw ValidationError(path, "nested deeper than " + std::to_string(kMaxDepth) + " levels");
  if (h.is_none()) return Value();
  if (PyBool_Check(h.ptr())) return Value(h.ptr() == Py_True);
  if (PyLong_Check(h.ptr())) {
    int overflow = 0;
    long long i = PyLong_AsLongLongAndOverflow(h.ptr(), &overflow);
    if (overflow != 0) throw ValidationError(path, "integer out of range");
    if (i == -1 && PyErr_Occurred()) throw py::error_already_set();
    return Value(static_cast<std::int64_t>(i));
  }
  if (PyFloat_Check(h.ptr())) return Value(PyFloat_AsDouble(h.ptr()));
  if (PyUnicode_Check(h.ptr())) return Value(utf8(h, path));
  ensure_datetime_api();
  // Timestamps are text in a Value (ISO 8601 UTC), as in the JSON form.
  if (PyDate_Check(h.ptr())) return Value(format_timestamp(py_to_timestamp(h, path)));
  auto& forms = value_forms();
  if (auto it = forms.find(Py_TYPE(h.ptr())); it != forms.end()) return it->second(h);
  if (PyDict_Check(h.ptr()) || is_instance(h, abc().mapping)) {
    Value::Object obj;
    for (auto item : py::reinterpret_borrow<py::object>(h).attr("items")()) {
      auto pair = py::reinterpret_borrow<py::tuple>(item);
      py::handle key = pair[0];
      if (!PyUnicode_Check(key.ptr())) refuse(path, "text keys", key);
      std::string k = utf8(key, path);
      obj.push_back(Member{k, to_value_rec(pair[1], child(path, k), depth + 1)});
    }
    return Value(std::move(obj));
  }
  if (PyList_Check(h.ptr()) || PyTuple_Check(h.ptr()) ||
      (is_instance(h, abc().sequence) && !PyBytes_Check(h.ptr()) &&
       !PyByteArray_Check(h.ptr()))) {
    Value::List list;
    std::size_t i = 0;
    for (auto e : py::reinterpret_borrow<py::iterable>(h)) {
      list.push_back(to_value_rec(e, path + "[" + std::to_string(i) + "]", depth + 1));
      ++i;
    }
    return Value(std::move(list));
  }
  if (PyIndex_Check(h.ptr())) {  // integers of other libraries (numpy.int64 …)
    py::object i = py::reinterpret_steal<py::object>(PyNumber_Index(h.ptr()));
    if (!i) throw py::error_already_set();
    return to_value_rec(i, path, depth);
  }
  refuse(path, "a value of the register (None, bool, int, float, str, datetime, list, dict or record)", h);
}

}  // namespace

void register_value_form(PyTypeObject* type, ToValue to_value) { value_forms()[type] = to_value; }

py::object timestamp_to_py(Timestamp t) {
  ensure_datetime_api();
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss<microseconds> hms{t - day};
  PyObject* dt = PyDateTimeAPI->DateTime_FromDateAndTime(
      static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
      static_cast<int>(static_cast<unsigned>(ymd.day())), static_cast<int>(hms.hours().count()),
      static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
      static_cast<int>(hms.subseconds().count()), PyDateTime_TimeZone_UTC,
      PyDateTimeAPI->DateTimeType);
  if (!dt) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(dt);
}

Timestamp py_to_timestamp(py::handle h, const std::string& path) {
  ensure_datetime_api();
  if (PyDateTime_Check(h.ptr())) {
    py::object tz = py::reinterpret_borrow<py::object>(h).attr("tzinfo");
    py::object offset = tz.is_none() ? py::object(py::none())
                                     : py::reinterpret_borrow<py::object>(h).attr("utcoffset")();
    if (offset.is_none())
      throw ValidationError(path, "a datetime without a time zone names no instant; give one "
                                  "with tzinfo (datetime.timezone.utc)");
    auto local = sys_days{year_month_day{year{PyDateTime_GET_YEAR(h.ptr())},
                                         month{static_cast<unsigned>(PyDateTime_GET_MONTH(h.ptr()))},
                                         day{static_cast<unsigned>(PyDateTime_GET_DAY(h.ptr()))}}} +
                 hours{PyDateTime_DATE_GET_HOUR(h.ptr())} + minutes{PyDateTime_DATE_GET_MINUTE(h.ptr())} +
                 seconds{PyDateTime_DATE_GET_SECOND(h.ptr())} +
                 microseconds{PyDateTime_DATE_GET_MICROSECOND(h.ptr())};
    auto shift = days{PyDateTime_DELTA_GET_DAYS(offset.ptr())} +
                 seconds{PyDateTime_DELTA_GET_SECONDS(offset.ptr())} +
                 microseconds{PyDateTime_DELTA_GET_MICROSECONDS(offset.ptr())};
    return Timestamp{local - shift};
  }
  if (PyDate_Check(h.ptr())) {
    return Timestamp{sys_days{year_month_day{year{PyDateTime_GET_YEAR(h.ptr())},
                                            month{static_cast<unsigned>(PyDateTime_GET_MONTH(h.ptr()))},
                                            day{static_cast<unsigned>(PyDateTime_GET_DAY(h.ptr()))}}}};
  }
  if (PyUnicode_Check(h.ptr())) {
    try {
      return parse_timestamp(utf8(h, path));
    } catch (const ValidationError& e) {
      throw ValidationError(path, e.what());
    }
  }
  refuse(path, "a datetime, a date or an ISO 8601 string", h);
}

std::chrono::microseconds py_to_duration(py::handle h, const std::string& path) {
  ensure_datetime_api();
  if (PyDelta_Check(h.ptr())) {
    return days{PyDateTime_DELTA_GET_DAYS(h.ptr())} + seconds{PyDateTime_DELTA_GET_SECONDS(h.ptr())} +
           microseconds{PyDateTime_DELTA_GET_MICROSECONDS(h.ptr())};
  }
  if ((PyLong_Check(h.ptr()) || PyFloat_Check(h.ptr())) && !PyBool_Check(h.ptr())) {
    double s = PyFloat_AsDouble(h.ptr());
    if (s == -1.0 && PyErr_Occurred()) throw py::error_already_set();
    double us = std::round(s * 1e6);
    if (!std::isfinite(us) || std::fabs(us) > 9.2e18)
      throw ValidationError(path, "is not a duration the clock can move by");
    return microseconds{static_cast<std::int64_t>(us)};
  }
  refuse(path, "a timedelta or a number of seconds", h);
}

py::object value_to_py(const Value& v, Form form) {
  return std::visit(
      [form](const auto& x) -> py::object {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return py::none();
        } else if constexpr (std::is_same_v<T, bool>) {
          return py::bool_(x);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return py::int_(x);
        } else if constexpr (std::is_same_v<T, double>) {
          if (form == Form::json && !std::isfinite(x)) return py::none();  // as to_json writes it
          return py::float_(x);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return py::str(x);
        } else if constexpr (std::is_same_v<T, Value::List>) {
          py::list list;
          for (const auto& e : x) list.append(value_to_py(e, form));
          return list;
        } else {
          py::dict dict;
          for (const auto& m : x) dict[py::str(m.key)] = value_to_py(m.value, form);
          return dict;
        }
      },
      v.storage());
}

Value py_to_value(py::handle h, const std::string& path) { return to_value_rec(h, path, 0); }

}  // namespace kartotek::python
