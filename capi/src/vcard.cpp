// capi/src/vcard.cpp: vCards of customers and contact persons, and QR codes
// drawn as SVG and PNG (kartotek/vcard.hpp); each crosses as a byte buffer.

#include "internal.hpp"

using namespace kartotek;
using namespace kartotek::capi;

namespace {

// NULL: the default, vCard 4.0.
VCardVersion version_arg(const char* version) {
  return version ? enum_arg<VCardVersion>(version, "version") : VCardVersion::v4_0;
}

QrOptions qr_options_arg(int module_size, int margin, const char* level) {
  QrOptions options;
  options.module_size = module_size;
  options.margin = margin;
  if (level) options.level = enum_arg<QrErrorCorrection>(level, "level");
  return options;
}

// The bytes a QR code holds. They are not checked as UTF-8: a QR code
// holds any bytes (a vCard's are UTF-8).
std::string_view text_bytes_arg(const void* text, size_t size) {
  if (!text && size) misuse("text is NULL");
  return text ? std::string_view(static_cast<const char*>(text), size) : std::string_view();
}

}  // namespace

extern "C" {

int kt_customer_vcard(unsigned char** out, size_t* out_size, kt_register* reg, uint64_t actor, uint64_t customer,
                      const char* version) {
  return buffer_result(out, out_size, [&] {
    auto& r = live(reg, "reg").reg;
    return r.customer_vcard(actor_arg(actor), id_arg<CustomerTag>(customer), version_arg(version));
  });
}

int kt_contact_vcard(unsigned char** out, size_t* out_size, kt_register* reg, uint64_t actor, uint64_t contact,
                     const char* version) {
  return buffer_result(out, out_size, [&] {
    auto& r = live(reg, "reg").reg;
    return r.contact_vcard(actor_arg(actor), id_arg<ContactTag>(contact), version_arg(version));
  });
}

int kt_qr_svg(unsigned char** out, size_t* out_size, const void* text, size_t size, int module_size, int margin,
              const char* level) {
  return buffer_result(out, out_size, [&] {
    auto bytes = text_bytes_arg(text, size);
    return qr_svg(bytes, qr_options_arg(module_size, margin, level));
  });
}

int kt_qr_png(unsigned char** out, size_t* out_size, const void* text, size_t size, int module_size, int margin,
              const char* level) {
  return buffer_result(out, out_size, [&] {
    auto bytes = text_bytes_arg(text, size);
    return qr_png(bytes, qr_options_arg(module_size, margin, level));
  });
}

}  // extern "C"
