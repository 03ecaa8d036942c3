// python/src/module.cpp: the kartotek._kartotek extension module. The
// package kartotek (python/kartotek/__init__.py) re-exports it.

#include <pybind11/pybind11.h>

#include <kartotek/rights.hpp>
#include <kartotek/version.hpp>

#include "bindings.hpp"

// Not declared free-threading safe (no py::mod_gil_not_used()): record objects
// are plain C++ structs that Python code mutates without locks.
PYBIND11_MODULE(_kartotek, m) {
  namespace py = pybind11;
  namespace kp = kartotek::python;
  m.doc() = "kartotek's C++ register, bound with pybind11. Use the package kartotek.";

  kp::bind_errors(m);
  kp::declare_records(m);
  kp::declare_register(m);
  kp::define_records(m);
  kp::define_register(m);
  kp::bind_qr(m);

  m.def("version", [] { return std::string(kartotek::version()); },
        "The version of the linked kartotek library, e.g. '0.1.0'.");
  m.attr("HEADER_VERSION") = KARTOTEK_VERSION_STRING;
  m.def(
      "every_right",
      [] {
        py::list out;
        for (auto right : kartotek::every_right()) out.append(std::string(kartotek::enum_name(right)));
        return out;
      },
      "The name of every right (docs/rights.md), e.g. 'customers.view'.");
}
