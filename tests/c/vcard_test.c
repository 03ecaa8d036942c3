/* tests/c/vcard_test.c: vCards of customers and contact persons (both
 * versions, Nordic letters, escaping, rights) and QR codes as SVG and PNG,
 * their options and refusals, and the misuse of all of them. */
#include "test_support.h"

/* CHECK_BUFFER: a returned buffer holds exactly `expected` (a C string), and
 * a NUL after it that the size does not count. */
#define CHECK_BUFFER(buffer, size, expected)                                                  \
  do {                                                                                        \
    const char *e_ = (expected);                                                              \
    if (!(buffer) || (size) != strlen(e_) || memcmp((buffer), e_, (size)) != 0 ||             \
        (buffer)[(size)] != '\0') {                                                           \
      fprintf(stderr, "%s:%d: buffer of %zu bytes:\n%s\nexpected %zu bytes:\n%s\n", __FILE__, \
              __LINE__, (size_t)(size), (buffer) ? (const char *)(buffer) : "(null)",         \
              strlen(e_), e_);                                                                \
      ++test_failures;                                                                        \
    }                                                                                         \
  } while (0)

static void vcards_of_customers_and_contacts(void) {
  int64_t clock;
  uint64_t admin, customer = 0, person = 0, other = 0, viewer = 0;
  kt_register *reg = test_register(&clock, &admin);
  unsigned char *card = NULL;
  size_t size = 99;

  /* "Öberg; Kyl, AB" in UTF-8, with a semicolon and a comma to escape. */
  CHECK_OK(kt_customer_create(&customer, reg, admin,
                              "{\"number\":\"1\",\"name\":\"\xC3\x96" "berg; Kyl, AB\","
                              "\"phone\":\"+46 8 12 34\",\"email\":\"info@oberg.se\","
                              "\"invoice_address\":{\"street\":\"Storgatan 1\",\"postal_code\":\"111 22\","
                              "\"city\":\"Stockholm\"},\"comments\":\"internal\"}"));
  CHECK_OK(kt_customer_vcard(&card, &size, reg, admin, customer, "3.0"));
  CHECK_BUFFER(card, size,
               "BEGIN:VCARD\r\n"
               "VERSION:3.0\r\n"
               "FN:\xC3\x96" "berg\\; Kyl\\, AB\r\n"
               "N:;;;;\r\n"
               "ORG:\xC3\x96" "berg\\; Kyl\\, AB\r\n"
               "TEL;TYPE=WORK,VOICE:+46 8 12 34\r\n"
               "EMAIL;TYPE=INTERNET:info@oberg.se\r\n"
               "ADR;TYPE=WORK,POSTAL,PREF:;;Storgatan 1;Stockholm;;111 22;\r\n"
               "END:VCARD\r\n");
  kt_buffer_free(card);

  /* NULL: version 4.0. */
  CHECK_OK(kt_customer_vcard(&card, &size, reg, admin, customer, NULL));
  CHECK_BUFFER(card, size,
               "BEGIN:VCARD\r\n"
               "VERSION:4.0\r\n"
               "KIND:org\r\n"
               "FN:\xC3\x96" "berg; Kyl\\, AB\r\n"
               "ORG:\xC3\x96" "berg\\; Kyl\\, AB\r\n"
               "TEL;VALUE=uri;TYPE=work,voice:tel:+46-8-12-34\r\n"
               "EMAIL;TYPE=work:info@oberg.se\r\n"
               "ADR;TYPE=work;PREF=1:;;Storgatan 1;Stockholm;;111 22;\r\n"
               "END:VCARD\r\n");
  kt_buffer_free(card);
  CHECK_OK(kt_customer_vcard(&card, &size, reg, admin, customer, "4.0"));
  CHECK_CONTAINS((const char *)card, "\r\nVERSION:4.0\r\n");
  kt_buffer_free(card);

  /* A contact person: his company is his ORG, a private customer is not. */
  CHECK_OK(kt_customer_create(&other, reg, admin, "{\"number\":\"0\",\"name\":\"Lind, Per\",\"kind\":\"private\"}"));
  CHECK_OK(kt_contact_create(&person, reg, admin,
                             "{\"first_name\":\"\xC3\x85sa\",\"last_name\":\"\xC3\x98stergaard\","
                             "\"title\":\"Driftchef\",\"mobile\":\"070-123 45 67\"}"));
  CHECK_OK(kt_contact_link(reg, admin, "{\"contact\":1,\"customer\":2,\"role\":\"\"}"));
  CHECK_OK(kt_contact_link(reg, admin, "{\"contact\":1,\"customer\":1,\"role\":\"Ink\xC3\xB6pare\"}"));
  CHECK_OK(kt_contact_vcard(&card, &size, reg, admin, person, "4.0"));
  CHECK_BUFFER(card, size,
               "BEGIN:VCARD\r\n"
               "VERSION:4.0\r\n"
               "KIND:individual\r\n"
               "FN:\xC3\x85sa \xC3\x98stergaard\r\n"
               "N:\xC3\x98stergaard;\xC3\x85sa;;;\r\n"
               "ORG:\xC3\x96" "berg\\; Kyl\\, AB\r\n"
               "TITLE:Driftchef\r\n"
               "TEL;TYPE=cell:070-123 45 67\r\n"
               "END:VCARD\r\n");
  kt_buffer_free(card);

  /* What the actor may not see does not exist; a contact's companies are
   * those he sees. */
  CHECK_OK(kt_user_create(&viewer, reg, admin,
                          "{\"login\":\"vera\",\"name\":\"Vera\",\"rights\":[\"contacts.view\"]}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 1 does not exist",
              kt_customer_vcard(&card, &size, reg, viewer, customer, NULL));
  CHECK(card == NULL && size == 0);
  CHECK_OK(kt_contact_vcard(&card, &size, reg, viewer, person, "3.0"));
  CHECK(strstr((const char *)card, "ORG:") == NULL);
  CHECK_CONTAINS((const char *)card, "\r\nTEL;TYPE=CELL:070-123 45 67\r\n");
  kt_buffer_free(card);
  CHECK_FAILS(KT_NOT_FOUND, "", "contact 9", kt_contact_vcard(&card, &size, reg, admin, 9, NULL));
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 9", kt_customer_vcard(&card, &size, reg, admin, 9, NULL));
  CHECK_RC(KT_PERMISSION_DENIED, kt_customer_vcard(&card, &size, reg, 77, customer, NULL));

  /* Refused arguments. */
  CHECK_FAILS(KT_INVALID, "version", "3.0, 4.0", kt_customer_vcard(&card, &size, reg, admin, customer, "2.1"));
  CHECK(card == NULL && size == 0);
  CHECK_FAILS(KT_INVALID, "version", "UTF-8", kt_contact_vcard(&card, &size, reg, admin, person, "\xC3"));
  CHECK_RC(KT_MISUSE, kt_customer_vcard(NULL, &size, reg, admin, customer, NULL));
  CHECK_RC(KT_MISUSE, kt_customer_vcard(&card, NULL, reg, admin, customer, NULL));
  CHECK_RC(KT_MISUSE, kt_contact_vcard(&card, &size, NULL, admin, person, NULL));
  CHECK(card == NULL);
  kt_register_free(reg);
}

static void qr_codes_as_svg_and_png(void) {
  static const char text[] = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:\xC3\x85sa \xC3\x98stergaard\r\nEND:VCARD\r\n";
  static const unsigned char signature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  unsigned char *out = NULL, *small = NULL;
  size_t size = 0, small_size = 0;
  char *too_long;

  CHECK_OK(kt_qr_svg(&out, &size, text, sizeof text - 1, 8, 4, NULL));
  REQUIRE(out != NULL);
  CHECK(out[size] == '\0' && strlen((const char *)out) == size);
  CHECK(strncmp((const char *)out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44) == 0);
  /* Its 58 bytes need version 4 at level medium (which holds 62): 33
   * modules, and 2 x 4 of margin. */
  CHECK_CONTAINS((const char *)out, "width=\"328\" height=\"328\" viewBox=\"0 0 41 41\"");
  CHECK_CONTAINS((const char *)out, "shape-rendering=\"crispEdges\"");
  CHECK_CONTAINS((const char *)out, "<path fill=\"#000\" d=\"M4 4h7v1h-7z");
  kt_buffer_free(out);

  CHECK_OK(kt_qr_png(&out, &size, text, sizeof text - 1, 8, 4, "high"));
  REQUIRE(out != NULL && size > sizeof signature);
  CHECK(memcmp(out, signature, sizeof signature) == 0);
  CHECK(out[size] == '\0');
  /* Fewer pixels, fewer bytes. */
  CHECK_OK(kt_qr_png(&small, &small_size, text, sizeof text - 1, 1, 0, "low"));
  CHECK(small_size < size);
  kt_buffer_free(small);
  kt_buffer_free(out);

  /* Refusals: each names its argument and leaves NULL behind. */
  out = (unsigned char *)"x";
  CHECK_FAILS(KT_INVALID, "level", "low, medium, quartile, high",
              kt_qr_svg(&out, &size, text, sizeof text - 1, 8, 4, "best"));
  CHECK(out == NULL && size == 0);
  CHECK_FAILS(KT_INVALID, "module_size", "between 1 and 32", kt_qr_png(&out, &size, "x", 1, 0, 4, NULL));
  CHECK_FAILS(KT_INVALID, "module_size", "between 1 and 32", kt_qr_png(&out, &size, "x", 1, 33, 4, NULL));
  CHECK_FAILS(KT_INVALID, "margin", "between 0 and 16", kt_qr_svg(&out, &size, "x", 1, 8, -1, NULL));
  CHECK_FAILS(KT_INVALID, "margin", "between 0 and 16", kt_qr_svg(&out, &size, "x", 1, 8, 17, NULL));
  CHECK_FAILS(KT_INVALID, "text", "empty", kt_qr_svg(&out, &size, "", 0, 8, 4, NULL));
  CHECK_FAILS(KT_INVALID, "text", "empty", kt_qr_png(&out, &size, NULL, 0, 8, 4, NULL));
  CHECK_RC(KT_MISUSE, kt_qr_png(&out, &size, NULL, 3, 8, 4, NULL));
  CHECK_RC(KT_MISUSE, kt_qr_svg(NULL, &size, "x", 1, 8, 4, NULL));
  CHECK_RC(KT_MISUSE, kt_qr_png(&out, NULL, "x", 1, 8, 4, NULL));

  too_long = (char *)malloc(2332);
  REQUIRE(too_long != NULL);
  memset(too_long, 'x', 2332);
  CHECK_FAILS(KT_INVALID, "text", "at most 2331", kt_qr_png(&out, &size, too_long, 2332, 8, 4, NULL));
  CHECK_FAILS(KT_INVALID, "text", "at most 2331", kt_qr_svg(&out, &size, too_long, 2332, 8, 4, "medium"));
  CHECK_OK(kt_qr_svg(&out, &size, too_long, 2332, 1, 4, "low"));
  kt_buffer_free(out);
  /* Bytes that are not UTF-8 are bytes like any others. */
  CHECK_OK(kt_qr_png(&out, &size, "\xff\x00\xfe", 3, 2, 4, NULL));
  kt_buffer_free(out);
  free(too_long);
}

int main(void) {
  vcards_of_customers_and_contacts();
  qr_codes_as_svg_and_png();
  return test_exit("vcard_test");
}
