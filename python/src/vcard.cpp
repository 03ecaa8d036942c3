// python/src/vcard.cpp: qr_svg and qr_png, the QR codes of a text (a vCard
// from Register.customer_vcard or contact_vcard). Drawing a code runs with
// the GIL released; the text is a copy by then.

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "bindings.hpp"
#include "convert.hpp"

namespace kartotek::python {

namespace {

using namespace pybind11::literals;

QrOptions qr_options(int module_size, int margin, const std::string& level) {
  QrOptions options;
  options.module_size = module_size;
  options.margin = margin;
  options.level = enum_arg<QrErrorCorrection>(level, "level");
  return options;
}

}  // namespace

void bind_qr(py::module_& m) {
  m.def(
      "qr_svg",
      [](const std::string& text, int module_size, int margin, const std::string& level) {
        QrOptions options = qr_options(module_size, margin, level);
        py::gil_scoped_release nogil;
        return qr_svg(text, options);
      },
      "text"_a, py::kw_only(), "module_size"_a = 8, "margin"_a = 4, "level"_a = "medium",
      "`text` (its UTF-8 bytes; or bytes) as a QR code in an SVG document: the dark modules as one "
      "path on a white square, the viewBox in modules, `module_size` (1 to 32) pixels per module "
      "for its width and height, `margin` (0 to 16) modules of quiet zone, error correction "
      "`level` 'low', 'medium', 'quartile' or 'high'. Raises ValidationError (field 'text') for "
      "an empty text or one longer than a QR code holds (2331 bytes at 'medium').");
  m.def(
      "qr_png",
      [](const std::string& text, int module_size, int margin, const std::string& level) {
        QrOptions options = qr_options(module_size, margin, level);
        std::vector<unsigned char> png;
        {
          py::gil_scoped_release nogil;
          png = qr_png(text, options);
        }
        return py::bytes(reinterpret_cast<const char*>(png.data()), png.size());
      },
      "text"_a, py::kw_only(), "module_size"_a = 8, "margin"_a = 4, "level"_a = "medium",
      "The QR code of qr_svg() as the bytes of a PNG image (1-bit grayscale, `module_size` pixels "
      "per module).");
}

}  // namespace kartotek::python
