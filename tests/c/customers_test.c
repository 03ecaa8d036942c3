/* tests/c/customers_test.c: customer commands and reads, customer search
 * with every query setter, and cursors. */
#include "test_support.h"

static uint64_t add_customer(kt_register *reg, uint64_t actor, const char *json) {
  uint64_t id = 0;
  CHECK_OK(kt_customer_create(&id, reg, actor, json));
  return id;
}

static void create_get_and_get_by_number(void) {
  int64_t clock;
  uint64_t admin, id = 99;
  kt_register *reg = test_register(&clock, &admin);
  char *json = NULL;

  CHECK_OK(kt_customer_create(&id, reg, admin,
                              "{\"number\":\" AB-100 \",\"name\":\"\xC3\x85" "berg & S\xC3\xB6ner Kyl AB\","
                              "\"kind\":\"company\",\"invoice_address\":{\"city\":\"G\xC3\xB6teborg\"},"
                              "\"email\":\"info@aberg.se\"}"));
  CHECK(id == 1);
  CHECK_OK(kt_customer_get(&json, reg, admin, id));
  CHECK_CONTAINS(json, "{\"id\":1,\"number\":\"AB-100\",\"name\":\"\xC3\x85" "berg & S\xC3\xB6ner Kyl AB\"");
  CHECK_CONTAINS(json, "\"city\":\"G\xC3\xB6teborg\"");
  CHECK_CONTAINS(json, "\"active\":true");
  CHECK_CONTAINS(json, "\"assigned_technician\":null");
  CHECK_CONTAINS(json, "\"revision\":1");
  kt_string_free(json);

  /* By number: trimmed, ignoring case. */
  CHECK_OK(kt_customer_get_by_number(&json, reg, admin, "  ab-100"));
  CHECK(json_number(json, "id") == 1);
  kt_string_free(json);
  CHECK_FAILS(KT_NOT_FOUND, "", "AB-101", kt_customer_get_by_number(&json, reg, admin, "AB-101"));
  CHECK(json == NULL);
  CHECK_FAILS(KT_INVALID, "number", "UTF-8", kt_customer_get_by_number(&json, reg, admin, "AB\xC0\xAF"));
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 42 does not exist", kt_customer_get(&json, reg, admin, 42));
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 0", kt_customer_get(&json, reg, admin, 0));

  /* Refusals name the field. */
  CHECK_FAILS(KT_CONFLICT, "", "already used", kt_customer_create(&id, reg, admin, "{\"number\":\"ab-100\",\"name\":\"Twin\"}"));
  CHECK(id == 0);
  CHECK_FAILS(KT_INVALID, "name", "required", kt_customer_create(&id, reg, admin, "{\"number\":\"2\"}"));
  CHECK_FAILS(KT_INVALID, "number", "required", kt_customer_create(&id, reg, admin, "{\"name\":\"No number\"}"));
  CHECK_FAILS(KT_INVALID, "invoice_address.zip", "unknown field",
              kt_customer_create(&id, reg, admin, "{\"number\":\"2\",\"name\":\"X\",\"invoice_address\":{\"zip\":\"1\"}}"));
  CHECK_FAILS(KT_INVALID, "kind", "company, private",
              kt_customer_create(&id, reg, admin, "{\"number\":\"2\",\"name\":\"X\",\"kind\":\"person\"}"));
  CHECK_FAILS(KT_INVALID, "email", "not an e-mail", kt_customer_create(&id, reg, admin, "{\"number\":\"2\",\"name\":\"X\",\"email\":\"nope\"}"));
  CHECK_FAILS(KT_INVALID, "id", "kept by the register", kt_customer_create(&id, reg, admin, "{\"id\":7,\"number\":\"2\",\"name\":\"X\"}"));
  CHECK_FAILS(KT_INVALID, "service_articles[0].hours", "time article",
              kt_customer_create(&id, reg, admin, "{\"number\":\"2\",\"name\":\"X\",\"service_articles\":"
                                                  "[{\"article_number\":\"A1\",\"hours\":2}]}"));
  /* Bad JSON and bad UTF-8 never reach the register. */
  CHECK_FAILS(KT_INVALID, "json", "offset", kt_customer_create(&id, reg, admin, "{\"number\":\"2\",\"name\":"));
  CHECK_FAILS(KT_INVALID, "json", "offset", kt_customer_create(&id, reg, admin, "{\"number\":\"2\"} trailing"));
  CHECK_FAILS(KT_INVALID, "json", "duplicate key", kt_customer_create(&id, reg, admin, "{\"name\":\"a\",\"name\":\"b\"}"));
  CHECK_FAILS(KT_INVALID, "json", "UTF-8", kt_customer_create(&id, reg, admin, "{\"number\":\"2\",\"name\":\"\xE2\x82\"}"));
  CHECK_FAILS(KT_INVALID, "json", "", kt_customer_create(&id, reg, admin, ""));
  CHECK_FAILS(KT_INVALID, "", "an object", kt_customer_create(&id, reg, admin, "\"just text\""));
  kt_register_free(reg);
}

static void update_is_a_patch_based_on_a_revision(void) {
  int64_t clock;
  uint64_t admin, staff = 0;
  kt_register *reg = test_register(&clock, &admin);
  uint64_t id = add_customer(reg, admin, "{\"number\":\"100\",\"name\":\"Ek AB\",\"phone\":\"031-1\","
                                         "\"invoice_address\":{\"street\":\"Storgatan 1\",\"city\":\"Lund\"}}");
  char *json = NULL;

  /* Members not named stay; nested objects are patched member by member. */
  CHECK_OK(kt_customer_update(reg, admin, id, 1, "{\"email\":\"ek@ek.se\",\"invoice_address\":{\"city\":\"Malm\xC3\xB6\"}}"));
  CHECK_OK(kt_customer_get(&json, reg, admin, id));
  CHECK_CONTAINS(json, "\"email\":\"ek@ek.se\"");
  CHECK_CONTAINS(json, "\"phone\":\"031-1\"");
  CHECK_CONTAINS(json, "\"street\":\"Storgatan 1\"");
  CHECK_CONTAINS(json, "\"city\":\"Malm\xC3\xB6\"");
  CHECK(json_number(json, "revision") == 2);
  kt_string_free(json);

  /* The whole record as read is a valid patch (id and revision unchanged). */
  CHECK_OK(kt_customer_get(&json, reg, admin, id));
  CHECK_OK(kt_customer_update(reg, admin, id, 2, json));
  kt_string_free(json);

  /* A stale revision is a conflict; nothing changes. */
  CHECK_FAILS(KT_CONFLICT, "", "revision 1, now 2", kt_customer_update(reg, admin, id, 1, "{\"phone\":\"1\"}"));
  CHECK_FAILS(KT_CONFLICT, "", "revision 0", kt_customer_update(reg, admin, id, 0, "{\"phone\":\"1\"}"));
  /* The patch may not move the update to another record or revision. */
  CHECK_FAILS(KT_INVALID, "id", "differs", kt_customer_update(reg, admin, id, 2, "{\"id\":5,\"phone\":\"1\"}"));
  CHECK_FAILS(KT_INVALID, "revision", "differs", kt_customer_update(reg, admin, id, 2, "{\"revision\":3}"));
  /* Fields the register keeps change only through their own calls. */
  CHECK_FAILS(KT_INVALID, "active", "DeactivateCustomer", kt_customer_update(reg, admin, id, 2, "{\"active\":false}"));
  CHECK_FAILS(KT_INVALID, "assigned_technician", "AssignTechnician",
              kt_customer_update(reg, admin, id, 2, "{\"assigned_technician\":1}"));
  CHECK_FAILS(KT_INVALID, "phone", "not a phone number", kt_customer_update(reg, admin, id, 2, "{\"phone\":\"ring me\"}"));
  CHECK_FAILS(KT_INVALID, "colour", "unknown field", kt_customer_update(reg, admin, id, 2, "{\"colour\":\"red\"}"));
  CHECK_FAILS(KT_INVALID, "json", "UTF-8", kt_customer_update(reg, admin, id, 2, "{\"name\":\"\xF8\"}"));
  CHECK_FAILS(KT_INVALID, "json", "offset", kt_customer_update(reg, admin, id, 2, "{"));
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 77", kt_customer_update(reg, admin, 77, 1, "{}"));

  /* Renumbering needs an administrator. */
  CHECK_OK(kt_user_create(&staff, reg, admin, "{\"login\":\"tekla\",\"name\":\"Tekla\"," KT_TEST_ALL_RIGHTS "}"));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "administrator", kt_customer_update(reg, staff, id, 2, "{\"number\":\"101\"}"));
  CHECK_OK(kt_customer_update(reg, staff, id, 2, "{\"comments\":\"line 1\\nline 2\"}"));
  CHECK_OK(kt_customer_update(reg, admin, id, 3, "{\"number\":\"101\"}"));
  CHECK_OK(kt_customer_get_by_number(&json, reg, staff, "101"));
  CHECK_CONTAINS(json, "\"comments\":\"line 1\\nline 2\"");
  CHECK(json_number(json, "revision") == 4);
  kt_string_free(json);
  kt_register_free(reg);
}

static void deactivate_reactivate_assign_and_delete(void) {
  int64_t clock;
  uint64_t admin, tech = 0, idle = 0;
  kt_register *reg = test_register(&clock, &admin);
  uint64_t id = add_customer(reg, admin, "{\"number\":\"1\",\"name\":\"Ek AB\"}");
  uint64_t facility = 0;
  char *json = NULL;

  CHECK_OK(kt_customer_deactivate(reg, admin, id));
  CHECK_OK(kt_customer_deactivate(reg, admin, id)); /* repeating changes nothing */
  CHECK_OK(kt_customer_get(&json, reg, admin, id));
  CHECK_CONTAINS(json, "\"active\":false");
  CHECK(json_number(json, "revision") == 2);
  kt_string_free(json);
  CHECK_OK(kt_customer_reactivate(reg, admin, id));
  CHECK_OK(kt_customer_get(&json, reg, admin, id));
  CHECK_CONTAINS(json, "\"active\":true");
  kt_string_free(json);
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 9", kt_customer_deactivate(reg, admin, 9));
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 9", kt_customer_reactivate(reg, admin, 9));
  CHECK_RC(KT_MISUSE, kt_customer_deactivate(NULL, admin, id));
  CHECK_RC(KT_MISUSE, kt_customer_reactivate(NULL, admin, id));

  CHECK_OK(kt_user_create(&tech, reg, admin, "{\"login\":\"tekla\",\"name\":\"Tekla\"," KT_TEST_ALL_RIGHTS "}"));
  CHECK_OK(kt_user_create(&idle, reg, admin, "{\"login\":\"ivar\",\"name\":\"Ivar\",\"active\":false}"));
  CHECK_OK(kt_customer_assign_technician(reg, admin, id, tech));
  CHECK_OK(kt_customer_get(&json, reg, admin, id));
  CHECK(json_number(json, "assigned_technician") == tech);
  kt_string_free(json);
  CHECK_FAILS(KT_INVALID, "technician", "deactivated", kt_customer_assign_technician(reg, admin, id, idle));
  CHECK_FAILS(KT_NOT_FOUND, "", "user 50", kt_customer_assign_technician(reg, admin, id, 50));
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 9", kt_customer_assign_technician(reg, admin, 9, tech));
  CHECK_OK(kt_customer_assign_technician(reg, admin, id, 0));
  CHECK_OK(kt_customer_get(&json, reg, admin, id));
  CHECK_CONTAINS(json, "\"assigned_technician\":null");
  kt_string_free(json);
  CHECK_RC(KT_MISUSE, kt_customer_assign_technician(NULL, admin, id, 0));

  /* The C++ API throws Conflict here; it must come back as a status code. */
  CHECK_OK(kt_facility_create(&facility, reg, admin, "{\"customer\":1,\"name\":\"Plant\"}"));
  CHECK_FAILS(KT_CONFLICT, "", "1 facility is linked to it", kt_customer_delete(reg, admin, id));
  CHECK_OK(kt_facility_delete(reg, admin, facility));
  CHECK_OK(kt_customer_delete(reg, admin, id));
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 1", kt_customer_get(&json, reg, admin, id));
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 1", kt_customer_delete(reg, admin, id));
  CHECK_RC(KT_MISUSE, kt_customer_delete(NULL, admin, id));
  /* Its number is retired. */
  CHECK_FAILS(KT_CONFLICT, "", "never used again", kt_customer_create(&id, reg, admin, "{\"number\":\"1\",\"name\":\"New\"}"));
  kt_register_free(reg);
}

/* names: the "name" of each item of a search, joined by '|'. */
static void names(kt_cursor *cursor, char *buffer, size_t size) {
  char *item = NULL;
  buffer[0] = '\0';
  while (kt_cursor_next(&item, cursor) == KT_OK) {
    const char *name = strstr(item, "\"name\":\"");
    const char *end;
    REQUIRE(name != NULL);
    name += 8;
    end = strchr(name, '"');
    if (buffer[0]) strncat(buffer, "|", size - strlen(buffer) - 1);
    strncat(buffer, name, (size_t)(end - name) < size - strlen(buffer) - 1 ? (size_t)(end - name)
                                                                            : size - strlen(buffer) - 1);
    kt_string_free(item);
  }
}

static void search(kt_register *reg, uint64_t actor, const kt_customer_query *query, char *buffer,
                   size_t size, size_t *total) {
  kt_cursor *cursor = NULL;
  CHECK_OK(kt_customer_search(&cursor, reg, actor, query));
  CHECK_OK(kt_cursor_total(total, cursor));
  names(cursor, buffer, size);
  kt_cursor_free(cursor);
}

static void search_matches_filters_sorts_and_pages(void) {
  int64_t clock;
  uint64_t admin, tech = 0;
  kt_register *reg = test_register(&clock, &admin);
  kt_customer_query *q = NULL;
  char found[512];
  size_t total = 0;
  uint64_t contact = 0;

  CHECK_OK(kt_user_create(&tech, reg, admin, "{\"login\":\"tekla\",\"name\":\"Tekla\"," KT_TEST_ALL_RIGHTS "}"));
  add_customer(reg, admin, "{\"number\":\"K10\",\"name\":\"\xC3\x96stlund VVS\",\"category\":\"VVS\",\"email\":\"o@vvs.se\"}");
  add_customer(reg, admin, "{\"number\":\"K2\",\"name\":\"Zetterberg El\",\"category\":\"el\"}");
  add_customer(reg, admin, "{\"number\":\"K3\",\"name\":\"\xC3\x85" "berg Kyl\",\"kind\":\"private\",\"category\":\"vvs\"}");
  add_customer(reg, admin, "{\"number\":\"K1\",\"name\":\"Berg & Son\"}");
  CHECK_OK(kt_customer_deactivate(reg, admin, 4));
  CHECK_OK(kt_customer_assign_technician(reg, admin, 2, tech));
  CHECK_OK(kt_contact_create(&contact, reg, admin, "{\"first_name\":\"Lisa\",\"last_name\":\"Kvist\",\"email\":\"lisa@kvist.se\"}"));
  CHECK_OK(kt_contact_link(reg, admin, "{\"contact\":1,\"customer\":2}"));

  /* Defaults (NULL query): every customer by name, in Swedish order. */
  search(reg, admin, NULL, found, sizeof found, &total);
  CHECK(strcmp(found, "Berg & Son|Zetterberg El|\xC3\x85" "berg Kyl|\xC3\x96stlund VVS") == 0);
  CHECK(total == 4);

  REQUIRE(kt_customer_query_new(&q) == KT_OK);
  CHECK_OK(kt_customer_query_set_text(q, "berg"));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Berg & Son|Zetterberg El|\xC3\x85" "berg Kyl") == 0);
  CHECK_OK(kt_customer_query_set_match(q, "prefix"));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Berg & Son") == 0);
  CHECK_OK(kt_customer_query_set_match(q, "substring"));
  CHECK_FAILS(KT_INVALID, "match", "prefix, substring", kt_customer_query_set_match(q, "fuzzy"));
  CHECK_FAILS(KT_MISUSE, "", "match is NULL", kt_customer_query_set_match(q, NULL));

  /* Where the text is looked for. */
  CHECK_OK(kt_customer_query_set_text(q, "kvist"));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Zetterberg El") == 0);
  CHECK_OK(kt_customer_query_set_search_in(q, KT_SEARCH_NAME));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "") == 0 && total == 0);
  /* A linked contact person's e-mail counts as the customer's. */
  CHECK_OK(kt_customer_query_set_search_in(q, KT_SEARCH_NAME | KT_SEARCH_EMAIL));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Zetterberg El") == 0);
  CHECK_OK(kt_customer_query_set_search_in(q, KT_SEARCH_CONTACT_NAME));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Zetterberg El") == 0);
  CHECK_OK(kt_customer_query_set_text(q, "vvs.se"));
  CHECK_OK(kt_customer_query_set_search_in(q, KT_SEARCH_EMAIL));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "\xC3\x96stlund VVS") == 0);
  CHECK_FAILS(KT_INVALID, "search_in", "non-zero", kt_customer_query_set_search_in(q, 0));
  CHECK_FAILS(KT_INVALID, "search_in", "non-zero", kt_customer_query_set_search_in(q, 16));
  CHECK_OK(kt_customer_query_set_search_in(q, KT_SEARCH_EVERYWHERE));
  CHECK_FAILS(KT_INVALID, "text", "UTF-8", kt_customer_query_set_text(q, "\xC3"));
  CHECK_OK(kt_customer_query_set_text(q, NULL)); /* every customer again */

  /* Filters. */
  CHECK_OK(kt_customer_query_set_active(q, 0));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Berg & Son") == 0);
  CHECK_OK(kt_customer_query_set_active(q, 1));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(total == 3);
  CHECK_FAILS(KT_INVALID, "active", "KT_ANY", kt_customer_query_set_active(q, 2));
  CHECK_OK(kt_customer_query_set_active(q, KT_ANY));
  CHECK_OK(kt_customer_query_set_kind(q, "private"));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "\xC3\x85" "berg Kyl") == 0);
  CHECK_FAILS(KT_INVALID, "kind", "company, private", kt_customer_query_set_kind(q, "Private"));
  CHECK_OK(kt_customer_query_set_kind(q, NULL));
  CHECK_OK(kt_customer_query_set_category(q, "VVS"));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "\xC3\x85" "berg Kyl|\xC3\x96stlund VVS") == 0);
  CHECK_FAILS(KT_INVALID, "category", "UTF-8", kt_customer_query_set_category(q, "\x80"));
  CHECK_OK(kt_customer_query_set_category(q, NULL));
  CHECK_OK(kt_customer_query_set_technician(q, tech));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Zetterberg El") == 0);
  CHECK_OK(kt_customer_query_set_technician(q, 0));
  CHECK_OK(kt_customer_query_set_unassigned_only(q, 1));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(total == 3 && !strstr(found, "Zetterberg"));
  CHECK_OK(kt_customer_query_set_unassigned_only(q, 0));

  /* Sorting: numbers compare by value (K2 < K10). */
  CHECK_OK(kt_customer_query_set_sort(q, "number", 0));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Berg & Son|Zetterberg El|\xC3\x85" "berg Kyl|\xC3\x96stlund VVS") == 0);
  CHECK_OK(kt_customer_query_set_sort(q, "number", 1));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "\xC3\x96stlund VVS|\xC3\x85" "berg Kyl|Zetterberg El|Berg & Son") == 0);
  CHECK_FAILS(KT_INVALID, "sort", "created_at", kt_customer_query_set_sort(q, "colour", 0));
  CHECK_FAILS(KT_MISUSE, "", "sort is NULL", kt_customer_query_set_sort(q, NULL, 0));

  /* Paging: the cursor holds one page, the total counts them all. */
  CHECK_OK(kt_customer_query_set_sort(q, "name", 0));
  CHECK_OK(kt_customer_query_set_page(q, 1, 2));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Zetterberg El|\xC3\x85" "berg Kyl") == 0);
  CHECK(total == 4);
  CHECK_OK(kt_customer_query_set_page(q, 10, 2));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "") == 0 && total == 4);
  /* A page reaching past SIZE_MAX means "all the rest". */
  CHECK_OK(kt_customer_query_set_page(q, 1, SIZE_MAX));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Zetterberg El|\xC3\x85" "berg Kyl|\xC3\x96stlund VVS") == 0);
  CHECK_OK(kt_customer_query_set_sort(q, "created_at", 1));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "\xC3\x85" "berg Kyl|Zetterberg El|\xC3\x96stlund VVS") == 0);
  CHECK_OK(kt_customer_query_set_page(q, 0, 0));
  {
    kt_cursor *cursor = (kt_cursor *)&total;
    CHECK_FAILS(KT_INVALID, "limit", "at least 1", kt_customer_search(&cursor, reg, admin, q));
    CHECK(cursor == NULL);
  }

  /* Misuse of the query object. */
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_customer_query_new(NULL));
  CHECK_RC(KT_MISUSE, kt_customer_query_set_text(NULL, "x"));
  CHECK_RC(KT_MISUSE, kt_customer_query_set_match(NULL, "prefix"));
  CHECK_RC(KT_MISUSE, kt_customer_query_set_search_in(NULL, 1));
  CHECK_RC(KT_MISUSE, kt_customer_query_set_active(NULL, 1));
  CHECK_RC(KT_MISUSE, kt_customer_query_set_kind(NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_customer_query_set_category(NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_customer_query_set_technician(NULL, 0));
  CHECK_RC(KT_MISUSE, kt_customer_query_set_unassigned_only(NULL, 0));
  CHECK_RC(KT_MISUSE, kt_customer_query_set_sort(NULL, "name", 0));
  CHECK_RC(KT_MISUSE, kt_customer_query_set_page(NULL, 0, 1));
  kt_customer_query_free(q);
  {
    kt_cursor *cursor = NULL;
    CHECK_FAILS(KT_MISUSE, "", "query is not a live kt_customer_query", kt_customer_search(&cursor, reg, admin, q));
  }
  kt_register_free(reg);
}

static void cursors_return_each_item_once(void) {
  int64_t clock;
  uint64_t admin;
  kt_register *reg = test_register(&clock, &admin);
  kt_cursor *cursor = NULL;
  char *item = (char *)"junk";
  char *rest = NULL;
  size_t total = 0;

  add_customer(reg, admin, "{\"number\":\"1\",\"name\":\"A\"}");
  add_customer(reg, admin, "{\"number\":\"2\",\"name\":\"B\"}");
  add_customer(reg, admin, "{\"number\":\"3\",\"name\":\"C\"}");

  CHECK_OK(kt_customer_search(&cursor, reg, admin, NULL));
  CHECK_OK(kt_cursor_total(&total, cursor));
  CHECK(total == 3);
  CHECK_OK(kt_cursor_next(&item, cursor));
  CHECK(json_number(item, "id") == 1);
  kt_string_free(item);
  /* The rest as one array; afterwards the cursor is at its end. */
  CHECK_OK(kt_cursor_remaining(&rest, cursor));
  CHECK(rest[0] == '[' && rest[1] == '{');
  CHECK_CONTAINS(rest, "\"name\":\"B\"");
  CHECK_CONTAINS(rest, "\"name\":\"C\"");
  CHECK(!strstr(rest, "\"name\":\"A\""));
  kt_string_free(rest);
  CHECK_RC(KT_DONE, kt_cursor_next(&item, cursor));
  CHECK(item == NULL);
  CHECK(kt_error_code() == KT_OK); /* KT_DONE is no error */
  CHECK_RC(KT_DONE, kt_cursor_next(&item, cursor));
  CHECK_OK(kt_cursor_remaining(&rest, cursor));
  CHECK(strcmp(rest, "[]") == 0);
  kt_string_free(rest);
  CHECK_OK(kt_cursor_total(&total, cursor)); /* still the size of the result */
  CHECK(total == 3);
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_cursor_next(NULL, cursor));
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_cursor_total(NULL, cursor));
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_cursor_remaining(NULL, cursor));
  kt_cursor_free(cursor);

  /* A cursor is a snapshot: later changes do not show in it. */
  CHECK_OK(kt_customer_search(&cursor, reg, admin, NULL));
  add_customer(reg, admin, "{\"number\":\"4\",\"name\":\"D\"}");
  CHECK(count_items(cursor) == 3);
  kt_register_free(reg);
}

int main(void) {
  create_get_and_get_by_number();
  update_is_a_patch_based_on_a_revision();
  deactivate_reactivate_assign_and_delete();
  search_matches_filters_sorts_and_pages();
  cursors_return_each_item_once();
  return test_exit("customers");
}
