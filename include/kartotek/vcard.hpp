// kartotek/vcard.hpp: a customer's or a contact person's contact data as a
// vCard, and QR codes that a phone's camera reads (docs/vcard.md).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kartotek/contact.hpp"
#include "kartotek/customer.hpp"
#include "kartotek/describe.hpp"

namespace kartotek {

// VCardVersion: vCard 3.0 (RFC 2426) or 4.0 (RFC 6350). Phones read both;
// 3.0 is the one older address books know.
enum class VCardVersion : std::uint8_t { v3_0, v4_0 };

template <> struct EnumNames<VCardVersion> {
  static constexpr std::array<std::pair<VCardVersion, std::string_view>, 2> names{{
      {VCardVersion::v3_0, "3.0"},
      {VCardVersion::v4_0, "4.0"},
  }};
};

// vcard: the customer's main contact data as a vCard of `version`: name
// (FN, N, ORG for a company), phone, e-mail, website, addresses and geo
// position, with empty fields left out. Internal fields (number, comments,
// category, articles …) are never in it. UTF-8, CR LF line ends, lines
// folded at 75 octets without splitting a character. docs/vcard.md says
// what each property holds.
std::string vcard(const Customer& customer, VCardVersion version);

// vcard: a contact person as a vCard. `organisations` are the names of the
// companies he is the contact person of; the first becomes ORG (a phone's
// contact has one company).
std::string vcard(const Contact& contact, const std::vector<std::string>& organisations,
                  VCardVersion version);

// QrErrorCorrection: how much of a QR code may be damaged and still read:
// about 7, 15, 25 or 30 % of its modules. More correction, less capacity.
enum class QrErrorCorrection : std::uint8_t { low, medium, quartile, high };

template <> struct EnumNames<QrErrorCorrection> {
  static constexpr std::array<std::pair<QrErrorCorrection, std::string_view>, 4> names{{
      {QrErrorCorrection::low, "low"},
      {QrErrorCorrection::medium, "medium"},
      {QrErrorCorrection::quartile, "quartile"},
      {QrErrorCorrection::high, "high"},
  }};
};

// QrOptions: how a QR code is drawn. `module_size` (1 to 32) is the side
// of one module in pixels (the PNG's, and the SVG's width and height);
// `margin` (0 to 16) the quiet zone around the code in modules: readers
// expect 4.
struct QrOptions {
  int module_size = 8;
  int margin = 4;
  QrErrorCorrection level = QrErrorCorrection::medium;
};

// qr_svg: `text` (its bytes, in the QR code's 8-bit mode; a vCard is UTF-8)
// as a QR code in an SVG document: one path of the dark modules on a white
// square, the viewBox in modules. Throws ValidationError for an empty text
// or one too long for a QR code at options.level (field "text"), and for
// options out of range (field "module_size", "margin"). Thread-safe.
std::string qr_svg(std::string_view text, const QrOptions& options = {});

// qr_png: the same QR code as a PNG image (1-bit grayscale, dark modules
// black), the bytes of the file. Throws as qr_svg does. Thread-safe.
std::vector<unsigned char> qr_png(std::string_view text, const QrOptions& options = {});

}  // namespace kartotek
