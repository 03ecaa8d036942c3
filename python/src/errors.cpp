// python/src/errors.cpp: kartotek::Error -> the exceptions of kartotek._errors.

#include <pybind11/gil_safe_call_once.h>
#include <pybind11/pybind11.h>

#include <exception>
#include <string>

#include <kartotek/error.hpp>

#include "bindings.hpp"

namespace kartotek::python {

namespace {

// The module that defines the exception classes, imported once.
py::object errors_module() {
  PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<py::object> storage;
  return storage.call_once_and_store_result([] { return py::module_::import("kartotek._errors"); })
      .get_stored();
}

const char* class_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::not_found: return "NotFound";
    case ErrorCode::permission_denied: return "PermissionDenied";
    case ErrorCode::validation: return "ValidationError";
    case ErrorCode::conflict: return "Conflict";
    case ErrorCode::corrupt: return "CorruptError";
    case ErrorCode::io: return "IoError";
  }
  return "Error";
}

// Sets the Python error for `e`. Every path sets one: if making the exception
// object fails, that failure is the error raised.
void set_error(const Error& e) {
  try {
    py::object cls = errors_module().attr(class_name(e.code()));
    py::object exc;
    if (const auto* v = dynamic_cast<const ValidationError*>(&e))
      exc = cls(e.what(), py::arg("field") = v->field());
    else
      exc = cls(e.what());
    PyErr_SetObject(cls.ptr(), exc.ptr());
  } catch (py::error_already_set& failure) {
    failure.restore();
  } catch (const std::exception& failure) {
    PyErr_SetString(PyExc_RuntimeError, failure.what());
  }
}

}  // namespace

void bind_errors(py::module_& m) {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      set_error(e);
    }
    // Anything else propagates to pybind11's own translators.
  });

  // Throws the C++ exception of `code` (an ErrorCode's name): the tests reach
  // every branch of the translator with it, including corrupt and io, which
  // a register in memory never throws.
  m.def(
      "_raise_error",
      [](const std::string& code, const std::string& message, const std::string& field) {
        if (code == "not_found") throw NotFound(message);
        if (code == "permission_denied") throw PermissionDenied(message);
        if (code == "validation") throw ValidationError(field, message);
        if (code == "conflict") throw Conflict(message);
        if (code == "corrupt") throw Corrupt(message);
        if (code == "io") throw IoError(message);
        throw py::value_error("unknown error code '" + code + "'");
      },
      py::arg("code"), py::arg("message"), py::arg("field") = "",
      "Internal, for tests: raises the kartotek::Error of `code`.");
}

}  // namespace kartotek::python
