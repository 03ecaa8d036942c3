// python/src/bindings.hpp: the parts of the kartotek._kartotek module.
//
// Each part first declares its classes (declare_*), and only when every class
// of the module exists are methods defined (define_*): a .def that mentions a
// class not yet registered loses that type in signatures and stubs.
#pragma once

#include <pybind11/pybind11.h>

namespace kartotek::python {

namespace py = pybind11;

// Records and commands (records.cpp): one class per described type.
void declare_records(py::module_& m);
void define_records(py::module_& m);

// Register, clocks, pages and the other results of reads (register.cpp).
void declare_register(py::module_& m);
void define_register(py::module_& m);

// qr_svg and qr_png (vcard.cpp); the vCards are reads of Register.
void bind_qr(py::module_& m);

// The translator from kartotek::Error to the exceptions of kartotek._errors
// (errors.cpp).
void bind_errors(py::module_& m);

}  // namespace kartotek::python
