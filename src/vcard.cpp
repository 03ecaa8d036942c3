// src/vcard.cpp: vCards of customers and contact persons (RFC 2426 for 3.0,
// RFC 6350 for 4.0) and QR codes of any text (libqrencode), drawn as SVG or
// as PNG (libpng). What goes where, and why: docs/vcard.md.

#include <png.h>
#include <qrencode.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "register_impl.hpp"

namespace kartotek {

using namespace internal;

namespace {

// ---- vCard content lines ----------------------------------------------------

constexpr std::size_t kLineOctets = 75;  // RFC 2425 5.8.1, RFC 6350 3.2

// Appends `line` with CR LF, folded so that no line exceeds 75 octets: a
// continuation line starts with one space, which counts. A cut never falls
// inside a UTF-8 sequence (RFC 6350 3.2: multi-octet characters stay
// contiguous), so a line may end a few octets short.
void append_folded(std::string& out, std::string_view line) {
  std::size_t room = kLineOctets;
  while (line.size() > room) {
    std::size_t cut = room;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    room = kLineOctets - 1;
  }
  out.append(line);
  out += "\r\n";
}

// How a text value is escaped. Both versions escape backslash, comma and
// line breaks (as \n). A semicolon is escaped everywhere in 3.0 (RFC 2426's
// text-value has no bare ';'), but in 4.0 only inside a structured value
// such as N, ADR or ORG, whose components it separates (RFC 6350's
// "component" against "text").
enum class Escaping { text, component };

// Card: one vCard being written. Each property is left out when its value
// is empty. `field` names the record's field in a ValidationError for text
// that no vCard can hold (invalid UTF-8, control characters), which the
// register never stores but a record made by hand may carry.
class Card {
 public:
  explicit Card(VCardVersion version) : v4_(version == VCardVersion::v4_0) {
    append_folded(out_, "BEGIN:VCARD");
    append_folded(out_, v4_ ? "VERSION:4.0" : "VERSION:3.0");
  }

  bool v4() const { return v4_; }

  // A property whose value is written as given (a URI, a number, a keyword).
  void raw(std::string_view name, std::string_view value) {
    if (value.empty()) return;
    std::string line(name);
    line += ':';
    line += value;
    append_folded(out_, line);
  }

  // A property of one text value.
  void text(std::string_view name, std::string_view value, const char* field) {
    if (value.empty()) return;
    raw(name, escaped(value, Escaping::text, field));
  }

  // A structured property: its components separated by ';'. Left out when
  // every component is empty, unless `always` (N of vCard 3.0).
  void structured(std::string_view name, std::initializer_list<std::pair<std::string_view, const char*>> components,
                  bool always = false) {
    std::string value;
    bool empty = true, first = true;
    for (const auto& [component, field] : components) {
      if (!first) value += ';';
      value += escaped(component, Escaping::component, field);
      empty = empty && component.empty();
      first = false;
    }
    if (empty && !always) return;
    std::string line(name);
    line += ':';
    line += value;
    append_folded(out_, line);
  }

  std::string finish() {
    append_folded(out_, "END:VCARD");
    return std::move(out_);
  }

 private:
  std::string escaped(std::string_view value, Escaping escaping, const char* field) const {
    if (!is_valid_utf8(value)) throw ValidationError(field, "is not valid UTF-8");
    std::string out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
      char ch = value[i];
      switch (ch) {
        case '\\': out += "\\\\"; break;
        case ',': out += "\\,"; break;
        case ';': out += (!v4_ || escaping == Escaping::component) ? "\\;" : ";"; break;
        case '\r':
          if (i + 1 < value.size() && value[i + 1] == '\n') ++i;
          out += "\\n";
          break;
        case '\n': out += "\\n"; break;
        default:
          if ((static_cast<unsigned char>(ch) < 0x20 && ch != '\t') || ch == 0x7f)
            throw ValidationError(field, "contains a control character");
          out += ch;
      }
    }
    return out;
  }

  bool v4_;
  std::string out_;
};

// The tel URI (RFC 3966) of a number written in international form:
// "+46 (0)31-12 34 56" gives "tel:+46-31-12-34-56" (the trunk prefix "(0)"
// is not dialled from abroad). Empty for a national number, which a tel
// URI can hold only with a phone-context that kartotek does not know.
std::string tel_uri(std::string_view phone) {
  phone = trim(phone);
  if (phone.size() < 2 || phone.front() != '+') return {};
  std::string uri = "tel:+";
  bool separated = false;
  for (std::size_t i = 1; i < phone.size(); ++i) {
    char ch = phone[i];
    if (phone.substr(i, 3) == "(0)") {
      separated = true;
      i += 2;
    } else if (ch >= '0' && ch <= '9') {
      if (separated && uri.size() > 5) uri += '-';
      uri += ch;
      separated = false;
    } else if (ch == ' ' || ch == '-' || ch == '.' || ch == '/' || ch == '(' || ch == ')') {
      separated = true;
    } else {
      return {};
    }
  }
  return uri.size() > 5 ? uri : std::string();
}

// TEL: in 3.0 the number as written; in 4.0 a tel URI when the number is
// international, else (as RFC 6350 allows for compatibility) the text.
void phone(Card& card, std::string_view types3, std::string_view types4, const std::string& number,
           const char* field) {
  if (number.empty()) return;
  if (!card.v4()) return card.text("TEL;TYPE=" + std::string(types3), number, field);
  std::string uri = tel_uri(number);
  if (uri.empty()) return card.text("TEL;TYPE=" + std::string(types4), number, field);
  card.raw("TEL;VALUE=uri;TYPE=" + std::string(types4), uri);
}

void email(Card& card, bool work, const std::string& address) {
  if (card.v4()) card.text(work ? "EMAIL;TYPE=work" : "EMAIL;TYPE=home", address, "email");
  else card.text("EMAIL;TYPE=INTERNET", address, "email");
}

// A website as the URI that URL needs: "www.aberg.se" gets https://.
void website(Card& card, std::string_view site, const char* field) {
  site = trim(site);
  if (site.empty()) return;
  if (!is_valid_utf8(site)) throw ValidationError(field, "is not valid UTF-8");
  if (std::any_of(site.begin(), site.end(), [](char ch) { return static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f; }))
    throw ValidationError(field, "contains a space or a control character");
  card.raw("URL", site.find("://") == std::string_view::npos ? "https://" + std::string(site) : std::string(site));
}

// A degree with at most 6 decimals (about 0.1 m), without trailing zeros.
std::string degrees(double value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 6);
  if (ec != std::errc()) throw std::runtime_error("a coordinate could not be written");
  std::string text(buffer, end);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

// The roles of one address (RFC 2426's ADR types): an invoice or postal
// address is where mail goes, a visiting address where parcels and people
// go; the preferred one is the customer's main address.
enum AddressRole : unsigned { postal = 1, parcel = 2, preferred = 4 };

struct CardAddress {
  const Address* address;
  const char* field;
  unsigned roles;
};

bool blank(const Address& a) {
  return trim(a.care_of).empty() && trim(a.street).empty() && trim(a.postal_code).empty() && trim(a.city).empty() &&
         trim(a.country).empty();
}

// ADR for each of the customer's addresses, in the card's order (invoice,
// visiting, postal); one that equals an earlier one adds its roles to it.
// 4.0 knows only the types work and home, and PREF=1 for the main address.
void addresses(Card& card, const Customer& c, bool work) {
  std::vector<CardAddress> list;
  auto add = [&](const Address* a, const char* field, unsigned roles) {
    if (!a || blank(*a)) return;
    for (auto& known : list)
      if (*known.address == *a) {
        known.roles |= roles;
        return;
      }
    list.push_back({a, field, roles});
  };
  const Address* visiting = c.visiting_address ? &*c.visiting_address : nullptr;
  bool visiting_given = visiting && !blank(*visiting);
  add(&c.invoice_address, "invoice_address", postal | (visiting_given ? 0u : preferred));
  add(visiting, "visiting_address", parcel | preferred);
  add(c.postal_address ? &*c.postal_address : nullptr, "postal_address", postal);

  for (const auto& [a, field, roles] : list) {
    std::string name = "ADR;TYPE=";
    if (card.v4()) {
      name += work ? "work" : "home";
      if (roles & preferred) name += ";PREF=1";
    } else {
      name += work ? "WORK" : "HOME";
      if (roles & postal) name += ",POSTAL";
      if (roles & parcel) name += ",PARCEL";
      if (roles & preferred) name += ",PREF";
    }
    std::string f(field);
    std::string care_of = f + ".care_of", street = f + ".street", city = f + ".city",
                postal_code = f + ".postal_code", country = f + ".country";
    card.structured(name, {{"", ""},
                           {a->care_of, care_of.c_str()},
                           {a->street, street.c_str()},
                           {a->city, city.c_str()},
                           {"", ""},
                           {a->postal_code, postal_code.c_str()},
                           {a->country, country.c_str()}});
  }
}

// A private customer's one name field as N's family and given names:
// "Lind, Anna Maria" as written so, else the last word is the family name
// ("Anna Maria Lind"). FN keeps the name as it is.
std::pair<std::string_view, std::string_view> family_and_given(std::string_view name) {
  name = trim(name);
  if (auto comma = name.find(','); comma != std::string_view::npos)
    return {trim(name.substr(0, comma)), trim(name.substr(comma + 1))};
  auto space = name.find_last_of(" \t");
  if (space == std::string_view::npos) return {name, {}};
  return {trim(name.substr(space + 1)), trim(name.substr(0, space))};
}

}  // namespace

std::string vcard(const Customer& c, VCardVersion version) {
  Card card(version);
  const bool company = c.kind == CustomerKind::company;
  if (card.v4()) card.raw("KIND", company ? "org" : "individual");
  card.text("FN", c.name, "name");
  if (company) {
    // 3.0 requires N; a company has no person's name, so its components
    // stay empty and ORG carries the name (RFC 2426 3.1.2, 3.5.5).
    if (!card.v4()) card.structured("N", {{"", "name"}, {"", "name"}, {"", "name"}, {"", "name"}, {"", "name"}}, true);
    card.structured("ORG", {{c.name, "name"}});
  } else {
    auto [family, given] = family_and_given(c.name);
    card.structured("N", {{family, "name"}, {given, "name"}, {"", "name"}, {"", "name"}, {"", "name"}}, true);
  }
  phone(card, company ? "WORK,VOICE" : "HOME,VOICE", company ? "work,voice" : "home,voice", c.phone, "phone");
  email(card, company, c.email);
  website(card, c.website, "website");
  addresses(card, c, company);
  if (c.position) {
    const auto& p = *c.position;
    if (card.v4()) card.raw("GEO", "geo:" + degrees(p.latitude) + "," + degrees(p.longitude));
    else card.raw("GEO", degrees(p.latitude) + ";" + degrees(p.longitude));
  }
  if (card.v4()) card.text("LANG", c.language, "language");
  return card.finish();
}

std::string vcard(const Contact& c, const std::vector<std::string>& organisations, VCardVersion version) {
  Card card(version);
  // A contact person of a company is reached at work; one of no company is
  // a private person.
  const bool work = !organisations.empty() && !organisations.front().empty();
  if (card.v4()) card.raw("KIND", "individual");
  std::string first(trim(c.first_name)), last(trim(c.last_name));
  card.text("FN", first.empty() || last.empty() ? first + last : first + " " + last, "first_name");
  card.structured("N", {{last, "last_name"}, {first, "first_name"}, {"", ""}, {"", ""}, {"", ""}}, true);
  if (work) card.structured("ORG", {{organisations.front(), "organisations[0]"}});
  card.text("TITLE", c.title, "title");
  phone(card, work ? "WORK,VOICE" : "HOME,VOICE", work ? "work,voice" : "home,voice", c.phone, "phone");
  phone(card, "CELL", "cell", c.mobile, "mobile");
  email(card, work, c.email);
  return card.finish();
}

// ---- Register ----------------------------------------------------------------

std::string Register::customer_vcard(UserId actor, CustomerId customer, VCardVersion version) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  auto it = impl_->customers.find(customer.value);
  if (it == impl_->customers.end() || !a.sees(it->record))
    throw NotFound("customer " + std::to_string(customer.value) + " does not exist");
  return vcard(it->record, version);
}

// The contact's companies are those of his links that the actor sees
// (sees_link: the customer side decides), private customers left out: a
// person is no organisation.
std::string Register::contact_vcard(UserId actor, ContactId contact, VCardVersion version) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  auto it = impl_->contacts.find(contact.value);
  if (it == impl_->contacts.end() || !a.sees(it->record))
    throw NotFound("contact " + std::to_string(contact.value) + " does not exist");
  std::vector<std::string> organisations;
  auto [lb, ub] = impl_->links.get<by_contact>().equal_range(std::make_tuple(contact.value));
  for (auto link = lb; link != ub; ++link) {
    if (!a.sees_link(link->link)) continue;
    const Customer& customer = impl_->customers.find(link->customer())->record;
    if (customer.kind == CustomerKind::company) organisations.push_back(customer.name);
  }
  return vcard(it->record, organisations, version);
}

// ---- QR codes ------------------------------------------------------------------

namespace {

struct QrCodeFree {
  void operator()(QRcode* code) const noexcept { QRcode_free(code); }
};
using QrCodePtr = std::unique_ptr<QRcode, QrCodeFree>;

// The bytes a QR code of version 40 holds in 8-bit mode, by level (ISO/IEC
// 18004, table 7).
constexpr std::size_t kCapacity[] = {2953, 2331, 1663, 1273};

constexpr int kMaxModuleSize = 32;
constexpr int kMaxMargin = 16;

std::size_t level_index(QrErrorCorrection level) {
  auto i = static_cast<std::size_t>(level);
  if (i >= std::size(kCapacity)) throw ValidationError("level", "expected one of low, medium, quartile, high");
  return i;
}

[[noreturn]] void too_long(std::size_t size, QrErrorCorrection level) {
  throw ValidationError("text", "is too long for a QR code: " + std::to_string(size) + " bytes, at most " +
                                    std::to_string(kCapacity[level_index(level)]) + " at error correction level " +
                                    std::string(enum_name(level)));
}

// The QR code of `text` in 8-bit mode, the smallest version that holds it.
QrCodePtr encode(std::string_view text, const QrOptions& options) {
  if (options.module_size < 1 || options.module_size > kMaxModuleSize)
    throw ValidationError("module_size", "must lie between 1 and " + std::to_string(kMaxModuleSize));
  if (options.margin < 0 || options.margin > kMaxMargin)
    throw ValidationError("margin", "must lie between 0 and " + std::to_string(kMaxMargin));
  std::size_t level = level_index(options.level);
  if (text.empty()) throw ValidationError("text", "is empty: a QR code holds at least one byte");
  if (text.size() > kCapacity[level]) too_long(text.size(), options.level);
  static constexpr QRecLevel levels[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
  errno = 0;
  QrCodePtr code(QRcode_encodeData(static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()),
                                   0, levels[level]));
  if (!code) {
    int error = errno;
    if (error == ENOMEM) throw std::bad_alloc();
    if (error == ERANGE) too_long(text.size(), options.level);
    throw std::runtime_error("libqrencode could not encode the text: " + std::string(std::strerror(error)));
  }
  return code;
}

bool dark(const QRcode& code, int x, int y) { return code.data[y * code.width + x] & 1; }

// ---- PNG -----------------------------------------------------------------------

// Where libpng's output and its last error go.
struct PngSink {
  std::vector<unsigned char> bytes;
  bool out_of_memory = false;
  char error[160] = {};
};

// libpng reports errors by longjmp. The callbacks below keep no object with
// a destructor alive when they jump, and write_png keeps none in its frame.
void png_append(png_structp png, png_bytep data, std::size_t size) {
  auto* sink = static_cast<PngSink*>(png_get_io_ptr(png));
  try {
    sink->bytes.insert(sink->bytes.end(), data, data + size);
  } catch (...) {
    sink->out_of_memory = true;
  }
  if (sink->out_of_memory) png_error(png, "out of memory");
}

void png_no_flush(png_structp) {}

[[noreturn]] void png_fail(png_structp png, png_const_charp message) {
  auto* sink = static_cast<PngSink*>(png_get_error_ptr(png));
  std::snprintf(sink->error, sizeof sink->error, "%s", message ? message : "unknown error");
  png_longjmp(png, 1);
}

void png_ignore_warning(png_structp, png_const_charp) {}

// Writes the code as a 1-bit grayscale PNG into `sink` (false when libpng
// failed; sink.error says why). `row` holds one row of pixels.
bool write_png(PngSink& sink, const QRcode& code, const QrOptions& options, png_bytep row) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, png_fail, png_ignore_warning);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  const int modules = code.width + 2 * options.margin;
  const auto pixels = static_cast<png_uint_32>(modules * options.module_size);
  png_set_write_fn(png, &sink, png_append, png_no_flush);
  png_set_IHDR(png, info, pixels, pixels, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int my = 0; my < modules; ++my) {
    std::memset(row, 0xff, (pixels + 7) / 8);  // white: 1
    for (int mx = 0; mx < modules; ++mx) {
      int x = mx - options.margin, y = my - options.margin;
      if (x < 0 || y < 0 || x >= code.width || y >= code.width || !dark(code, x, y)) continue;
      for (int p = mx * options.module_size; p < (mx + 1) * options.module_size; ++p)
        row[p / 8] &= static_cast<png_byte>(~(0x80u >> (p % 8)));
    }
    for (int i = 0; i < options.module_size; ++i) png_write_row(png, row);
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

std::string qr_svg(std::string_view text, const QrOptions& options) {
  QrCodePtr code = encode(text, options);
  const int width = code->width, margin = options.margin;
  const std::string modules = std::to_string(width + 2 * margin);
  const std::string pixels = std::to_string((width + 2 * margin) * options.module_size);
  // Each run of dark modules in a row is one rectangle of the path.
  std::string path;
  for (int y = 0; y < width; ++y)
    for (int x = 0; x < width;) {
      if (!dark(*code, x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < width && dark(*code, x + run, y)) ++run;
      path += "M" + std::to_string(x + margin) + " " + std::to_string(y + margin) + "h" + std::to_string(run) +
              "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + pixels + "\" height=\"" + pixels +
         "\" viewBox=\"0 0 " + modules + " " + modules + "\" shape-rendering=\"crispEdges\">\n"
         "<rect width=\"" + modules + "\" height=\"" + modules + "\" fill=\"#fff\"/>\n"
         "<path fill=\"#000\" d=\"" + path + "\"/>\n"
         "</svg>\n";
}

std::vector<unsigned char> qr_png(std::string_view text, const QrOptions& options) {
  QrCodePtr code = encode(text, options);
  const auto pixels = static_cast<std::size_t>((code->width + 2 * options.margin) * options.module_size);
  std::vector<png_byte> row((pixels + 7) / 8);
  PngSink sink;
  if (!write_png(sink, *code, options, row.data())) {
    if (sink.out_of_memory || !sink.error[0]) throw std::bad_alloc();
    throw std::runtime_error(std::string("libpng could not write the QR code: ") + sink.error);
  }
  return std::move(sink.bytes);
}

}  // namespace kartotek
