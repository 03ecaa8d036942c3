// vCards of customers and contacts (RFC 2426, RFC 6350) and their QR codes.
// The expected cards are written out by hand from the RFCs and
// docs/vcard.md; the QR codes are read back with zbar, as a phone would.
#include <catch2/catch.hpp>

#include <png.h>
#include <zbar.h>

#include <cstring>
#include <memory>
#include <regex>

#include "test_support.hpp"

using namespace kartotek;
using kartotek::test::Fixture;
using kartotek::test::staff_user;

namespace {

using namespace zbar;  // zbar.h declares its C API in namespace zbar for C++

// A comma, a semicolon and a backslash, between Nordic letters.
const std::string kCompanyName = "Åberg & Söner Kyl, Värme; Ø\\Æ AB";

Customer company() {
  Customer c;
  c.number = "1001";
  c.name = kCompanyName;
  c.organisation_number = "556677-8899";
  c.phone = "+46 (0)31-12 34 56";
  c.email = "info@aberg.se";
  c.website = "www.aberg.se";
  c.invoice_address = {"Ekonomi", "Box 123", "411 01", "Göteborg", "Sverige"};
  c.visiting_address = Address{"", "Hamngatan 5\nPlan 3", "411 10", "Göteborg", ""};
  c.postal_address = c.invoice_address;  // the same: written once
  c.position = GeoPosition{57.70887, 11.97456};
  c.language = "sv";
  c.category = "Kyla";
  c.comments = "Ring före besök; internt.";
  c.cost_center = "K1";
  return c;
}

Customer private_customer() {
  Customer c;
  c.number = "1002";
  c.name = "Ærø, Søren";
  c.kind = CustomerKind::private_person;
  c.phone = "031-12 34 56";
  c.email = "soren@aero.dk";
  c.invoice_address = {"", "Algade 1", "5970", "Ærøskøbing", "Danmark"};
  return c;
}

Contact contact() {
  Contact c;
  c.first_name = "Åsa";
  c.last_name = "Öberg-Ødegård";
  c.title = "Driftchef, kyla; värme";
  c.phone = "+47 22 33 44 55";
  c.mobile = "+46 70-123 45 67";
  c.email = "asa@aberg.se";
  c.comments = "internal";
  return c;
}

// The physical lines of a vCard (without their CR LF).
std::vector<std::string> lines_of(const std::string& card) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < card.size()) {
    auto end = card.find("\r\n", start);
    REQUIRE(end != std::string::npos);  // every line ends in CR LF
    out.push_back(card.substr(start, end - start));
    start = end + 2;
  }
  return out;
}

// Unfolding (RFC 6350 3.2): a CR LF followed by one space goes away.
std::string unfolded(const std::string& card) {
  return std::regex_replace(card, std::regex("\r\n "), "");
}

// ---- reading QR codes back ----------------------------------------------------

struct Gray {
  unsigned width = 0, height = 0;
  std::vector<unsigned char> pixels;  // 0 black, 255 white
};

Gray decode_png(const std::vector<unsigned char>& bytes) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  REQUIRE(png_image_begin_read_from_memory(&image, bytes.data(), bytes.size()));
  image.format = PNG_FORMAT_GRAY;
  Gray gray{image.width, image.height, std::vector<unsigned char>(PNG_IMAGE_SIZE(image))};
  REQUIRE(png_image_finish_read(&image, nullptr, gray.pixels.data(), 0, nullptr));
  return gray;
}

// The text zbar reads from the image, as raw bytes (no guessed encoding).
std::string scan(const Gray& gray) {
  std::unique_ptr<zbar_image_scanner_t, void (*)(zbar_image_scanner_t*)> scanner(zbar_image_scanner_create(),
                                                                                 zbar_image_scanner_destroy);
  zbar_image_scanner_set_config(scanner.get(), ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config(scanner.get(), ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config(scanner.get(), ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
  std::unique_ptr<zbar_image_t, void (*)(zbar_image_t*)> image(zbar_image_create(), zbar_image_destroy);
  zbar_image_set_format(image.get(), zbar_fourcc('Y', '8', '0', '0'));
  zbar_image_set_size(image.get(), gray.width, gray.height);
  zbar_image_set_data(image.get(), gray.pixels.data(), gray.pixels.size(), nullptr);
  REQUIRE(zbar_scan_image(scanner.get(), image.get()) == 1);
  const zbar_symbol_t* symbol = zbar_image_first_symbol(image.get());
  REQUIRE(symbol);
  CHECK(zbar_symbol_get_type(symbol) == ZBAR_QRCODE);
  return std::string(zbar_symbol_get_data(symbol), zbar_symbol_get_data_length(symbol));
}

using Matrix = std::vector<std::vector<bool>>;  // [y][x], true: dark

// The modules of a PNG drawn `module_size` pixels per module.
Matrix modules_of_png(const Gray& gray, unsigned module_size) {
  REQUIRE(gray.width == gray.height);
  REQUIRE(gray.width % module_size == 0);
  unsigned n = gray.width / module_size;
  Matrix m(n, std::vector<bool>(n));
  for (unsigned y = 0; y < gray.height; ++y)
    for (unsigned x = 0; x < gray.width; ++x) {
      unsigned char p = gray.pixels[y * gray.width + x];
      REQUIRE((p == 0 || p == 255));
      bool dark = p == 0;
      if (x % module_size == 0 && y % module_size == 0) m[y / module_size][x / module_size] = dark;
      else REQUIRE(m[y / module_size][x / module_size] == dark);  // a module is one square
    }
  return m;
}

// The modules of an SVG as qr_svg draws them: the viewBox in modules and
// one path of rectangles "M x y h n v1 h-n z".
Matrix modules_of_svg(const std::string& svg) {
  std::smatch box;
  REQUIRE(std::regex_search(svg, box, std::regex("viewBox=\"0 0 (\\d+) (\\d+)\"")));
  REQUIRE(box[1] == box[2]);
  auto n = std::stoul(box[1]);
  Matrix m(n, std::vector<bool>(n));
  std::smatch path;
  REQUIRE(std::regex_search(svg, path, std::regex("<path fill=\"#000\" d=\"([^\"]*)\"/>")));
  std::string d = path[1];
  std::regex rect("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
  std::size_t covered = 0;
  for (auto it = std::sregex_iterator(d.begin(), d.end(), rect); it != std::sregex_iterator(); ++it) {
    auto x = std::stoul((*it)[1]), y = std::stoul((*it)[2]), w = std::stoul((*it)[3]);
    REQUIRE((*it)[4] == (*it)[3]);
    for (auto i = x; i < x + w; ++i) m.at(y).at(i) = true;
    covered += static_cast<std::size_t>(it->length());
  }
  REQUIRE(covered == d.size());  // nothing in the path but such rectangles
  return m;
}

// An image of a module matrix, `scale` pixels per module.
Gray raster(const Matrix& m, unsigned scale) {
  Gray g;
  g.width = g.height = static_cast<unsigned>(m.size()) * scale;
  g.pixels.assign(std::size_t{g.width} * g.height, 255);
  for (unsigned y = 0; y < g.height; ++y)
    for (unsigned x = 0; x < g.width; ++x)
      if (m[y / scale][x / scale]) g.pixels[y * g.width + x] = 0;
  return g;
}

}  // namespace

TEST_CASE("a company's vCard 3.0: empty N, ORG, work types, escaping, no internal fields", "[vcard]") {
  CHECK(vcard(company(), VCardVersion::v3_0) ==
        "BEGIN:VCARD\r\n"
        "VERSION:3.0\r\n"
        "FN:Åberg & Söner Kyl\\, Värme\\; Ø\\\\Æ AB\r\n"
        "N:;;;;\r\n"
        "ORG:Åberg & Söner Kyl\\, Värme\\; Ø\\\\Æ AB\r\n"
        "TEL;TYPE=WORK,VOICE:+46 (0)31-12 34 56\r\n"
        "EMAIL;TYPE=INTERNET:info@aberg.se\r\n"
        "URL:https://www.aberg.se\r\n"
        "ADR;TYPE=WORK,POSTAL:;Ekonomi;Box 123;Göteborg;;411 01;Sverige\r\n"
        "ADR;TYPE=WORK,PARCEL,PREF:;;Hamngatan 5\\nPlan 3;Göteborg;;411 10;\r\n"
        "GEO:57.70887;11.97456\r\n"
        "END:VCARD\r\n");
}

TEST_CASE("a company's vCard 4.0: KIND org, tel URI, geo URI, LANG, semicolons bare outside structured values",
          "[vcard]") {
  CHECK(vcard(company(), VCardVersion::v4_0) ==
        "BEGIN:VCARD\r\n"
        "VERSION:4.0\r\n"
        "KIND:org\r\n"
        "FN:Åberg & Söner Kyl\\, Värme; Ø\\\\Æ AB\r\n"
        "ORG:Åberg & Söner Kyl\\, Värme\\; Ø\\\\Æ AB\r\n"
        "TEL;VALUE=uri;TYPE=work,voice:tel:+46-31-12-34-56\r\n"
        "EMAIL;TYPE=work:info@aberg.se\r\n"
        "URL:https://www.aberg.se\r\n"
        "ADR;TYPE=work:;Ekonomi;Box 123;Göteborg;;411 01;Sverige\r\n"
        "ADR;TYPE=work;PREF=1:;;Hamngatan 5\\nPlan 3;Göteborg;;411 10;\r\n"
        "GEO:geo:57.70887,11.97456\r\n"
        "LANG:sv\r\n"
        "END:VCARD\r\n");
}

TEST_CASE("a private customer's vCard: N from the name, home types, a national number as text", "[vcard]") {
  CHECK(vcard(private_customer(), VCardVersion::v3_0) ==
        "BEGIN:VCARD\r\n"
        "VERSION:3.0\r\n"
        "FN:Ærø\\, Søren\r\n"
        "N:Ærø;Søren;;;\r\n"
        "TEL;TYPE=HOME,VOICE:031-12 34 56\r\n"
        "EMAIL;TYPE=INTERNET:soren@aero.dk\r\n"
        "ADR;TYPE=HOME,POSTAL,PREF:;;Algade 1;Ærøskøbing;;5970;Danmark\r\n"
        "END:VCARD\r\n");
  CHECK(vcard(private_customer(), VCardVersion::v4_0) ==
        "BEGIN:VCARD\r\n"
        "VERSION:4.0\r\n"
        "KIND:individual\r\n"
        "FN:Ærø\\, Søren\r\n"
        "N:Ærø;Søren;;;\r\n"
        "TEL;TYPE=home,voice:031-12 34 56\r\n"
        "EMAIL;TYPE=home:soren@aero.dk\r\n"
        "ADR;TYPE=home;PREF=1:;;Algade 1;Ærøskøbing;;5970;Danmark\r\n"
        "END:VCARD\r\n");

  Customer c = private_customer();
  c.name = "Anna Maria Lind";
  CHECK(vcard(c, VCardVersion::v3_0).find("\r\nN:Lind;Anna Maria;;;\r\n") != std::string::npos);
  c.name = "Cher";
  CHECK(vcard(c, VCardVersion::v3_0).find("\r\nN:Cher;;;;\r\n") != std::string::npos);
}

TEST_CASE("a contact's vCard: N, the first organisation as ORG, TITLE, work phone and mobile", "[vcard]") {
  const std::vector<std::string> organisations{kCompanyName, "Beta AB"};
  CHECK(vcard(contact(), organisations, VCardVersion::v3_0) ==
        "BEGIN:VCARD\r\n"
        "VERSION:3.0\r\n"
        "FN:Åsa Öberg-Ødegård\r\n"
        "N:Öberg-Ødegård;Åsa;;;\r\n"
        "ORG:Åberg & Söner Kyl\\, Värme\\; Ø\\\\Æ AB\r\n"
        "TITLE:Driftchef\\, kyla\\; värme\r\n"
        "TEL;TYPE=WORK,VOICE:+47 22 33 44 55\r\n"
        "TEL;TYPE=CELL:+46 70-123 45 67\r\n"
        "EMAIL;TYPE=INTERNET:asa@aberg.se\r\n"
        "END:VCARD\r\n");
  CHECK(vcard(contact(), organisations, VCardVersion::v4_0) ==
        "BEGIN:VCARD\r\n"
        "VERSION:4.0\r\n"
        "KIND:individual\r\n"
        "FN:Åsa Öberg-Ødegård\r\n"
        "N:Öberg-Ødegård;Åsa;;;\r\n"
        "ORG:Åberg & Söner Kyl\\, Värme\\; Ø\\\\Æ AB\r\n"
        "TITLE:Driftchef\\, kyla; värme\r\n"
        "TEL;VALUE=uri;TYPE=work,voice:tel:+47-22-33-44-55\r\n"
        "TEL;VALUE=uri;TYPE=cell:tel:+46-70-123-45-67\r\n"
        "EMAIL;TYPE=work:asa@aberg.se\r\n"
        "END:VCARD\r\n");
}

TEST_CASE("a contact of no company is a private person: no ORG, home types", "[vcard]") {
  Contact c;
  c.last_name = "Østergaard";
  c.phone = "+45 12 34 56 78";
  c.email = "ost@example.dk";
  CHECK(vcard(c, {}, VCardVersion::v4_0) ==
        "BEGIN:VCARD\r\n"
        "VERSION:4.0\r\n"
        "KIND:individual\r\n"
        "FN:Østergaard\r\n"
        "N:Østergaard;;;;\r\n"
        "TEL;VALUE=uri;TYPE=home,voice:tel:+45-12-34-56-78\r\n"
        "EMAIL;TYPE=home:ost@example.dk\r\n"
        "END:VCARD\r\n");
}

TEST_CASE("empty fields are left out, and a minimal company is FN, N and ORG", "[vcard]") {
  Customer c;
  c.name = "Å";
  c.visiting_address = Address{};  // present but blank: no ADR
  CHECK(vcard(c, VCardVersion::v3_0) == "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Å\r\nN:;;;;\r\nORG:Å\r\nEND:VCARD\r\n");
  CHECK(vcard(c, VCardVersion::v4_0) == "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Å\r\nORG:Å\r\nEND:VCARD\r\n");
}

TEST_CASE("line breaks of every kind are escaped as one, and a website keeps its scheme", "[vcard]") {
  Customer c;
  c.name = "A\r\nB\rC\nD";
  c.website = "http://example.se/a,b;c";
  auto card = vcard(c, VCardVersion::v3_0);
  CHECK(card.find("\r\nFN:A\\nB\\nC\\nD\r\n") != std::string::npos);
  CHECK(card.find("\r\nURL:http://example.se/a,b;c\r\n") != std::string::npos);  // a URI is not text
}

TEST_CASE("long lines fold at 75 octets, never inside a UTF-8 character, and unfold to the value", "[vcard]") {
  SECTION("the 75th octet would split an Å: the line ends one octet early") {
    Customer c;
    c.name = std::string(71, 'a') + "Åbcd";
    // "FN:" and 71 letters are 74 octets; Å takes the 75th and 76th.
    CHECK(vcard(c, VCardVersion::v4_0) ==
          "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\n"
          "FN:" + std::string(71, 'a') + "\r\n Åbcd\r\n"
          "ORG:" + std::string(71, 'a') + "\r\n Åbcd\r\n"
          "END:VCARD\r\n");
  }
  SECTION("a long Nordic name over several lines") {
    Customer c;
    c.name = "Ångström Ålesund Ærøskøbing Örebro Østersund Åbo Kylteknik, Värmepumpar och Ventilation "
             "Aktiebolag i Skåne, Jämtland och på Åland; med filialer i Æbeltoft och Tønsberg";
    c.kind = CustomerKind::private_person;
    for (auto version : {VCardVersion::v3_0, VCardVersion::v4_0}) {
      auto card = vcard(c, version);
      auto lines = lines_of(card);
      std::size_t continuations = 0;
      for (const auto& line : lines) {
        CHECK(line.size() <= 75);
        CHECK(is_valid_utf8(line));  // no character cut in two
        if (line.front() == ' ') {
          ++continuations;
          CHECK(line[1] != ' ');  // one space only: the fold's own
        }
      }
      CHECK(continuations >= 4);
      std::string fn = version == VCardVersion::v3_0
                           ? "FN:Ångström Ålesund Ærøskøbing Örebro Østersund Åbo Kylteknik\\, Värmepumpar och "
                             "Ventilation Aktiebolag i Skåne\\, Jämtland och på Åland\\; med filialer i Æbeltoft "
                             "och Tønsberg\r\n"
                           : "FN:Ångström Ålesund Ærøskøbing Örebro Østersund Åbo Kylteknik\\, Värmepumpar och "
                             "Ventilation Aktiebolag i Skåne\\, Jämtland och på Åland; med filialer i Æbeltoft "
                             "och Tønsberg\r\n";
      CHECK(unfolded(card).find("\r\n" + fn) != std::string::npos);
    }
  }
}

TEST_CASE("text no vCard can hold is refused, naming the field", "[vcard][validation]") {
  Customer c;
  c.name = "Bad\x01name";
  CHECK_THROWS_MATCHES(vcard(c, VCardVersion::v4_0), ValidationError,
                       Catch::Matchers::Predicate<ValidationError>([](const ValidationError& e) {
                         return e.field() == "name";
                       }));
  c.name = "ok";
  c.invoice_address.city = "\xff";
  CHECK_THROWS_MATCHES(vcard(c, VCardVersion::v3_0), ValidationError,
                       Catch::Matchers::Predicate<ValidationError>([](const ValidationError& e) {
                         return e.field() == "invoice_address.city";
                       }));
}

TEST_CASE("the register's vCards: by the actor's sight, a contact's ORG his first visible company", "[vcard][rights]") {
  Fixture f;
  auto beta = f.add_customer("900", "Beta AB");  // a lower id than Åberg's
  Customer priv = private_customer();
  auto soren = f.reg.apply(f.staff, CreateCustomer{priv});
  auto aberg = f.reg.apply(f.staff, CreateCustomer{company()});
  Contact person = contact();
  auto asa = f.reg.apply(f.staff, CreateContact{person});
  f.reg.apply(f.staff, LinkContact{{asa, soren, "", false, false}});
  f.reg.apply(f.staff, LinkContact{{asa, aberg, "Inköpare", true, false}});
  f.reg.apply(f.staff, LinkContact{{asa, beta, "", false, false}});

  CHECK(f.reg.customer_vcard(f.staff, aberg, VCardVersion::v3_0) == vcard(company(), VCardVersion::v3_0));
  CHECK(f.reg.customer_vcard(f.staff, aberg) == vcard(company(), VCardVersion::v4_0));  // 4.0 by default
  // Beta comes first by id; the private customer is no organisation.
  CHECK(f.reg.contact_vcard(f.staff, asa) == vcard(contact(), {"Beta AB", kCompanyName}, VCardVersion::v4_0));
  CHECK_THROWS_AS(f.reg.customer_vcard(f.staff, CustomerId{999}), NotFound);
  CHECK_THROWS_AS(f.reg.contact_vcard(f.staff, ContactId{999}), NotFound);

  // Sees only customers assigned to him, and every contact.
  auto viewer = f.reg.apply(f.admin, CreateUser{staff_user(
                                         "vera", "Vera", {Right::customers_view_assigned, Right::contacts_view})});
  CHECK_THROWS_AS(f.reg.customer_vcard(viewer, aberg), NotFound);
  CHECK(f.reg.contact_vcard(viewer, asa, VCardVersion::v3_0) == vcard(contact(), {}, VCardVersion::v3_0));
  f.reg.apply(f.admin, AssignTechnician{aberg, viewer});
  CHECK(f.reg.customer_vcard(viewer, aberg, VCardVersion::v3_0) == vcard(company(), VCardVersion::v3_0));
  CHECK(f.reg.contact_vcard(viewer, asa) == vcard(contact(), {kCompanyName}, VCardVersion::v4_0));

  // No sight of contacts: his card is not found, as if he did not exist.
  auto blind = f.reg.apply(f.admin, CreateUser{staff_user("bo", "Bo", {Right::customers_view})});
  CHECK_THROWS_AS(f.reg.contact_vcard(blind, asa), NotFound);
  CHECK_THROWS_AS(f.reg.customer_vcard(UserId{999}, aberg), PermissionDenied);
}

TEST_CASE("a vCard with Nordic letters read back from the PNG QR code is the same bytes", "[vcard][qr]") {
  const std::string card = vcard(company(), VCardVersion::v3_0);
  for (auto level : {QrErrorCorrection::low, QrErrorCorrection::high}) {
    QrOptions options;
    options.level = level;
    auto png = qr_png(card, options);
    REQUIRE(png.size() > 8);
    CHECK(std::memcmp(png.data(), "\x89PNG\r\n\x1a\n", 8) == 0);
    Gray gray = decode_png(png);
    CHECK(scan(gray) == card);
  }
}

TEST_CASE("the SVG QR code has the PNG's modules and reads back as the same bytes", "[vcard][qr]") {
  const std::string card = vcard(contact(), {kCompanyName}, VCardVersion::v4_0);
  QrOptions options;
  options.module_size = 3;
  options.margin = 2;
  auto svg = qr_svg(card, options);
  CHECK(svg.find("shape-rendering=\"crispEdges\"") != std::string::npos);
  Matrix from_svg = modules_of_svg(svg);
  Matrix from_png = modules_of_png(decode_png(qr_png(card, options)), 3);
  CHECK(from_svg == from_png);
  auto n = from_svg.size();
  CHECK(svg.find("width=\"" + std::to_string(n * 3) + "\" height=\"" + std::to_string(n * 3) + "\"") !=
        std::string::npos);
  // The quiet zone is empty, and a QR code is 21 + 4k modules wide.
  CHECK((n - 4) % 4 == 1);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j : {std::size_t{0}, std::size_t{1}, n - 2, n - 1}) {
      CHECK_FALSE(from_svg[i][j]);
      CHECK_FALSE(from_svg[j][i]);
    }
  // Readers want a quiet zone of 4 modules: the margin of 2 padded to 4.
  Matrix padded(n + 4, std::vector<bool>(n + 4));
  for (std::size_t y = 0; y < n; ++y)
    for (std::size_t x = 0; x < n; ++x) padded[y + 2][x + 2] = from_svg[y][x];
  CHECK(scan(raster(padded, 4)) == card);
}

TEST_CASE("QR codes: too long a text, an empty one and options out of range are refused", "[vcard][qr][validation]") {
  auto field_is = [](const char* name) {
    return Catch::Matchers::Predicate<ValidationError>(
        [name](const ValidationError& e) { return e.field() == name; }, std::string("field ") + name);
  };
  std::string at_most(2331, 'x');
  CHECK_NOTHROW(qr_svg(at_most));  // version 40 at level medium
  CHECK_THROWS_MATCHES(qr_svg(at_most + "x"), ValidationError, field_is("text"));
  CHECK_THROWS_MATCHES(qr_png(at_most + "x"), ValidationError, field_is("text"));
  CHECK_THROWS_WITH(qr_png(at_most + "x"), Catch::Contains("at most 2331"));
  QrOptions low;
  low.level = QrErrorCorrection::low;
  CHECK_NOTHROW(qr_png(at_most + "x", low));
  CHECK_THROWS_MATCHES(qr_svg(std::string(1274, 'x'), {8, 4, QrErrorCorrection::high}), ValidationError,
                       field_is("text"));
  CHECK_THROWS_MATCHES(qr_svg(""), ValidationError, field_is("text"));
  CHECK_THROWS_MATCHES(qr_png("x", {0, 4, QrErrorCorrection::medium}), ValidationError, field_is("module_size"));
  CHECK_THROWS_MATCHES(qr_png("x", {33, 4, QrErrorCorrection::medium}), ValidationError, field_is("module_size"));
  CHECK_THROWS_MATCHES(qr_svg("x", {8, -1, QrErrorCorrection::medium}), ValidationError, field_is("margin"));
  CHECK_THROWS_MATCHES(qr_svg("x", {8, 17, QrErrorCorrection::medium}), ValidationError, field_is("margin"));
  CHECK_THROWS_MATCHES(qr_svg("x", {8, 4, static_cast<QrErrorCorrection>(9)}), ValidationError, field_is("level"));
}

TEST_CASE("a QR code holds any bytes, NUL included", "[vcard][qr]") {
  const std::string bytes("a\0b\xff\xfe", 5);
  CHECK(scan(decode_png(qr_png(bytes))) == bytes);
}
