/* tests/c/contacts_test.c: contact persons, their links to customers, the
 * lists of both sides, and contact search with every query setter. */
#include "test_support.h"

static uint64_t add_contact(kt_register *reg, uint64_t actor, const char *json) {
  uint64_t id = 0;
  CHECK_OK(kt_contact_create(&id, reg, actor, json));
  return id;
}

static void contacts_are_created_updated_and_deleted(void) {
  int64_t clock;
  uint64_t admin, id = 5;
  kt_register *reg = test_register(&clock, &admin);
  char *json = NULL;

  CHECK_OK(kt_contact_create(&id, reg, admin, "{\"first_name\":\" Lisa \",\"last_name\":\"Kvist\",\"mobile\":\"070-1\"}"));
  CHECK(id == 1);
  CHECK_OK(kt_contact_get(&json, reg, admin, id));
  CHECK_CONTAINS(json, "{\"id\":1,\"first_name\":\"Lisa\",\"last_name\":\"Kvist\"");
  CHECK_CONTAINS(json, "\"revision\":1");
  kt_string_free(json);
  CHECK_FAILS(KT_INVALID, "last_name", "first or a last name", kt_contact_create(&id, reg, admin, "{\"title\":\"CEO\"}"));
  CHECK(id == 0);
  CHECK_FAILS(KT_INVALID, "json", "UTF-8", kt_contact_create(&id, reg, admin, "{\"last_name\":\"\xC3\xC3\"}"));
  CHECK_FAILS(KT_INVALID, "age", "unknown field", kt_contact_create(&id, reg, admin, "{\"last_name\":\"A\",\"age\":3}"));
  CHECK_RC(KT_MISUSE, kt_contact_create(NULL, reg, admin, "{}"));

  CHECK_OK(kt_contact_update(reg, admin, 1, 1, "{\"title\":\"Inköpare\",\"email\":\"lisa@kvist.se\"}"));
  CHECK_OK(kt_contact_get(&json, reg, admin, 1));
  CHECK_CONTAINS(json, "\"mobile\":\"070-1\"");
  CHECK_CONTAINS(json, "\"email\":\"lisa@kvist.se\"");
  CHECK(json_number(json, "revision") == 2);
  kt_string_free(json);
  CHECK_FAILS(KT_CONFLICT, "", "revision 1, now 2", kt_contact_update(reg, admin, 1, 1, "{\"title\":\"x\"}"));
  CHECK_FAILS(KT_INVALID, "id", "differs", kt_contact_update(reg, admin, 1, 2, "{\"id\":2}"));
  CHECK_FAILS(KT_INVALID, "mobile", "phone number", kt_contact_update(reg, admin, 1, 2, "{\"mobile\":\"abc\"}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "contact 8", kt_contact_update(reg, admin, 8, 1, "{}"));
  CHECK_FAILS(KT_INVALID, "json", "offset", kt_contact_update(reg, admin, 1, 2, "nope"));

  CHECK_OK(kt_contact_delete(reg, admin, 1));
  CHECK_FAILS(KT_NOT_FOUND, "", "contact 1 does not exist", kt_contact_get(&json, reg, admin, 1));
  CHECK(json == NULL);
  CHECK_FAILS(KT_NOT_FOUND, "", "contact 1", kt_contact_delete(reg, admin, 1));
  CHECK_RC(KT_MISUSE, kt_contact_delete(NULL, admin, 1));
  CHECK_RC(KT_MISUSE, kt_contact_get(NULL, reg, admin, 1));
  kt_register_free(reg);
}

static void links_join_contacts_and_customers(void) {
  int64_t clock;
  uint64_t admin, customer = 0, other = 0;
  kt_register *reg = test_register(&clock, &admin);
  kt_cursor *cursor = NULL;
  char *item = NULL;
  size_t total = 0;
  uint64_t lisa, anders;

  CHECK_OK(kt_customer_create(&customer, reg, admin, "{\"number\":\"1\",\"name\":\"Ek AB\"}"));
  CHECK_OK(kt_customer_create(&other, reg, admin, "{\"number\":\"2\",\"name\":\"Ask AB\"}"));
  lisa = add_contact(reg, admin, "{\"first_name\":\"Lisa\",\"last_name\":\"\xC3\x96" "berg\"}");
  anders = add_contact(reg, admin, "{\"first_name\":\"Anders\",\"last_name\":\"Andersson\"}");

  CHECK_OK(kt_contact_link(reg, admin, "{\"contact\":1,\"customer\":1,\"role\":\"Ink\xC3\xB6p\",\"send_work_orders\":true}"));
  CHECK_OK(kt_contact_link(reg, admin, "{\"contact\":2,\"customer\":1}"));
  CHECK_OK(kt_contact_link(reg, admin, "{\"contact\":1,\"customer\":2,\"role\":\"VD\"}"));
  CHECK_FAILS(KT_CONFLICT, "", "already a contact person", kt_contact_link(reg, admin, "{\"contact\":1,\"customer\":1}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 9", kt_contact_link(reg, admin, "{\"contact\":1,\"customer\":9}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "contact 9", kt_contact_link(reg, admin, "{\"contact\":9,\"customer\":1}"));
  CHECK_FAILS(KT_INVALID, "contact", "required", kt_contact_link(reg, admin, "{\"customer\":1}"));
  CHECK_FAILS(KT_INVALID, "customer", "required", kt_contact_link(reg, admin, "{\"contact\":1}"));
  CHECK_FAILS(KT_INVALID, "contact", "positive id", kt_contact_link(reg, admin, "{\"contact\":-1,\"customer\":1}"));
  CHECK_FAILS(KT_INVALID, "contact", "positive id", kt_contact_link(reg, admin, "{\"contact\":0,\"customer\":1}"));
  CHECK_FAILS(KT_INVALID, "json", "offset", kt_contact_link(reg, admin, "{\"contact\":1,"));
  CHECK_RC(KT_MISUSE, kt_contact_link(NULL, admin, "{}"));

  /* The customer's contact persons, by last name, with each link. */
  CHECK_OK(kt_customer_contacts(&cursor, reg, admin, customer));
  CHECK_OK(kt_cursor_total(&total, cursor));
  CHECK(total == 2);
  CHECK_OK(kt_cursor_next(&item, cursor));
  CHECK_CONTAINS(item, "{\"link\":{\"contact\":2,\"customer\":1,\"role\":\"\"");
  CHECK_CONTAINS(item, "\"contact\":{\"id\":2,\"first_name\":\"Anders\"");
  kt_string_free(item);
  CHECK_OK(kt_cursor_next(&item, cursor));
  CHECK_CONTAINS(item, "\"role\":\"Ink\xC3\xB6p\",\"send_service_protocol\":false,\"send_work_orders\":true");
  kt_string_free(item);
  CHECK_RC(KT_DONE, kt_cursor_next(&item, cursor));
  kt_cursor_free(cursor);
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 9", kt_customer_contacts(&cursor, reg, admin, 9));
  CHECK(cursor == NULL);
  CHECK_RC(KT_MISUSE, kt_customer_contacts(NULL, reg, admin, customer));

  /* The contact's customers, in customer id order. */
  CHECK_OK(kt_contact_links(&cursor, reg, admin, lisa));
  CHECK_OK(kt_cursor_next(&item, cursor));
  CHECK(strcmp(item, "{\"contact\":1,\"customer\":1,\"role\":\"Ink\xC3\xB6p\",\"send_service_protocol\":false,"
                     "\"send_work_orders\":true}") == 0);
  kt_string_free(item);
  CHECK_OK(kt_cursor_next(&item, cursor));
  CHECK_CONTAINS(item, "\"customer\":2,\"role\":\"VD\"");
  kt_string_free(item);
  kt_cursor_free(cursor);
  CHECK_FAILS(KT_NOT_FOUND, "", "contact 9", kt_contact_links(&cursor, reg, admin, 9));
  CHECK_RC(KT_MISUSE, kt_contact_links(&cursor, NULL, admin, lisa));

  /* A link update is a patch of role and flags. */
  CHECK_OK(kt_contact_link_update(reg, admin, lisa, customer, "{\"send_service_protocol\":true}"));
  CHECK_OK(kt_contact_links(&cursor, reg, admin, lisa));
  CHECK_OK(kt_cursor_next(&item, cursor));
  CHECK_CONTAINS(item, "\"role\":\"Ink\xC3\xB6p\",\"send_service_protocol\":true,\"send_work_orders\":true");
  kt_string_free(item);
  kt_cursor_free(cursor);
  CHECK_FAILS(KT_INVALID, "customer", "differs", kt_contact_link_update(reg, admin, lisa, customer, "{\"customer\":2}"));
  CHECK_FAILS(KT_INVALID, "contact", "differs", kt_contact_link_update(reg, admin, lisa, customer, "{\"contact\":2}"));
  CHECK_FAILS(KT_INVALID, "role", "control character", kt_contact_link_update(reg, admin, lisa, customer, "{\"role\":\"a\\u0001\"}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "not linked", kt_contact_link_update(reg, admin, anders, other, "{}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "contact 9", kt_contact_link_update(reg, admin, 9, other, "{}"));
  CHECK_RC(KT_MISUSE, kt_contact_link_update(reg, admin, lisa, customer, NULL));

  CHECK_OK(kt_contact_unlink(reg, admin, lisa, other));
  CHECK_FAILS(KT_NOT_FOUND, "", "not linked", kt_contact_unlink(reg, admin, lisa, other));
  CHECK_RC(KT_MISUSE, kt_contact_unlink(NULL, admin, lisa, other));
  CHECK_OK(kt_contact_links(&cursor, reg, admin, lisa));
  CHECK(count_items(cursor) == 1);

  /* Deleting a contact removes his links. */
  CHECK_OK(kt_contact_delete(reg, admin, lisa));
  CHECK_OK(kt_customer_contacts(&cursor, reg, admin, customer));
  CHECK(count_items(cursor) == 1);
  kt_register_free(reg);
}

/* last_names: the "last_name" of each contact of a search, joined by '|'. */
static void last_names(kt_register *reg, uint64_t actor, const kt_contact_query *query, char *buffer,
                       size_t size, size_t *total) {
  kt_cursor *cursor = NULL;
  char *item = NULL;
  buffer[0] = '\0';
  CHECK_OK(kt_contact_search(&cursor, reg, actor, query));
  CHECK_OK(kt_cursor_total(total, cursor));
  while (kt_cursor_next(&item, cursor) == KT_OK) {
    const char *name = strstr(item, "\"last_name\":\"") + 13;
    size_t length = (size_t)(strchr(name, '"') - name);
    if (buffer[0]) strncat(buffer, "|", size - strlen(buffer) - 1);
    strncat(buffer, name, length < size - strlen(buffer) - 1 ? length : size - strlen(buffer) - 1);
    kt_string_free(item);
  }
  kt_cursor_free(cursor);
}

static void contact_search_filters_sorts_and_pages(void) {
  int64_t clock;
  uint64_t admin, customer = 0;
  kt_register *reg = test_register(&clock, &admin);
  kt_contact_query *q = NULL;
  char found[256];
  size_t total = 0;

  add_contact(reg, admin, "{\"first_name\":\"Lisa\",\"last_name\":\"\xC3\x96" "berg\",\"category\":\"Ink\xC3\xB6p\",\"email\":\"b@x.se\"}");
  add_contact(reg, admin, "{\"first_name\":\"Bo\",\"last_name\":\"Berglund\",\"email\":\"a@x.se\"}");
  add_contact(reg, admin, "{\"first_name\":\"Ada\",\"last_name\":\"Berglund\",\"active\":false}");
  add_contact(reg, admin, "{\"first_name\":\"Cid\",\"last_name\":\"Zorn\",\"category\":\"ink\xC3\xB6p\"}");
  CHECK_OK(kt_customer_create(&customer, reg, admin, "{\"number\":\"1\",\"name\":\"Ek AB\"}"));
  CHECK_OK(kt_contact_link(reg, admin, "{\"contact\":4,\"customer\":1}"));

  last_names(reg, admin, NULL, found, sizeof found, &total);
  CHECK(strcmp(found, "Berglund|Berglund|Zorn|\xC3\x96" "berg") == 0);
  CHECK(total == 4);

  REQUIRE(kt_contact_query_new(&q) == KT_OK);
  CHECK_OK(kt_contact_query_set_last_name(q, "berg"));
  last_names(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Berglund|Berglund|\xC3\x96" "berg") == 0);
  CHECK_OK(kt_contact_query_set_match(q, "prefix"));
  last_names(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Berglund|Berglund") == 0);
  CHECK_FAILS(KT_INVALID, "match", "prefix, substring", kt_contact_query_set_match(q, "exact"));
  CHECK_FAILS(KT_INVALID, "last_name", "UTF-8", kt_contact_query_set_last_name(q, "\xFE"));
  CHECK_OK(kt_contact_query_set_last_name(q, NULL));

  CHECK_OK(kt_contact_query_set_active(q, 0));
  last_names(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Berglund") == 0);
  CHECK_FAILS(KT_INVALID, "active", "KT_ANY", kt_contact_query_set_active(q, -2));
  CHECK_OK(kt_contact_query_set_active(q, KT_ANY));
  CHECK_OK(kt_contact_query_set_category(q, "INK\xC3\x96P"));
  last_names(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Zorn|\xC3\x96" "berg") == 0);
  CHECK_FAILS(KT_INVALID, "category", "UTF-8", kt_contact_query_set_category(q, "\xC3"));
  CHECK_OK(kt_contact_query_set_category(q, NULL));
  CHECK_OK(kt_contact_query_set_customer(q, customer));
  last_names(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Zorn") == 0);
  CHECK_OK(kt_contact_query_set_customer(q, 0));

  CHECK_OK(kt_contact_query_set_sort(q, "first_name", 0));
  last_names(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Berglund|Berglund|Zorn|\xC3\x96" "berg") == 0); /* Ada, Bo, Cid, Lisa */
  CHECK_OK(kt_contact_query_set_sort(q, "email", 1));
  last_names(reg, admin, q, found, sizeof found, &total);
  CHECK(strncmp(found, "\xC3\x96" "berg|Berglund", strlen("\xC3\x96" "berg|Berglund")) == 0);
  CHECK_FAILS(KT_INVALID, "sort", "last_name", kt_contact_query_set_sort(q, "phone", 0));
  CHECK_OK(kt_contact_query_set_sort(q, "last_name", 0));
  CHECK_OK(kt_contact_query_set_page(q, 2, 1));
  last_names(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "Zorn") == 0 && total == 4);
  CHECK_OK(kt_contact_query_set_page(q, 3, SIZE_MAX));
  last_names(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "\xC3\x96" "berg") == 0);
  CHECK_OK(kt_contact_query_set_page(q, 0, 0));
  {
    kt_cursor *cursor = NULL;
    CHECK_FAILS(KT_INVALID, "limit", "at least 1", kt_contact_search(&cursor, reg, admin, q));
    CHECK_RC(KT_MISUSE, kt_contact_search(NULL, reg, admin, q));
  }

  CHECK_RC(KT_MISUSE, kt_contact_query_new(NULL));
  CHECK_RC(KT_MISUSE, kt_contact_query_set_last_name(NULL, "x"));
  CHECK_RC(KT_MISUSE, kt_contact_query_set_match(NULL, "prefix"));
  CHECK_RC(KT_MISUSE, kt_contact_query_set_active(NULL, 1));
  CHECK_RC(KT_MISUSE, kt_contact_query_set_category(NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_contact_query_set_customer(NULL, 0));
  CHECK_RC(KT_MISUSE, kt_contact_query_set_sort(NULL, "email", 0));
  CHECK_RC(KT_MISUSE, kt_contact_query_set_page(NULL, 0, 1));
  kt_contact_query_free(q);
  kt_register_free(reg);
}

int main(void) {
  contacts_are_created_updated_and_deleted();
  links_join_contacts_and_customers();
  contact_search_filters_sorts_and_pages();
  return test_exit("contacts");
}
