/* tests/c/orders_test.c: orders through the C API: creation and numbering
 * per kind, updates based on a revision, assignment and its notifications,
 * notes, time, files, closing and reopening, deleting, contact orders with
 * new customers and their conversion to sales orders, the order list with
 * every query setter and saved favourites, the to-do list, bookings and
 * reminders, recipients, the article catalogue, and misuse. */
#include <math.h>

#include "test_support.h"

#define SHA256_A "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

/* A staff user with every right (not an administrator). */
static uint64_t add_staff(kt_register *reg, uint64_t admin, const char *login, const char *name) {
  char json[4096];
  uint64_t id = 0;
  snprintf(json, sizeof json, "{\"login\":\"%s\",\"name\":\"%s\"," KT_TEST_ALL_RIGHTS "}", login, name);
  CHECK_OK(kt_user_create(&id, reg, admin, json));
  return id;
}

static uint64_t add_customer(kt_register *reg, uint64_t actor, const char *json) {
  uint64_t id = 0;
  CHECK_OK(kt_customer_create(&id, reg, actor, json));
  return id;
}

static uint64_t add_order(kt_register *reg, uint64_t actor, const char *json) {
  uint64_t id = 0;
  CHECK_OK(kt_order_create(&id, reg, actor, json));
  return id;
}

/* The order as JSON; free with kt_string_free(). */
static char *order_json(kt_register *reg, uint64_t actor, uint64_t order) {
  char *json = NULL;
  CHECK_OK(kt_order_get(&json, reg, actor, order));
  return json;
}

static uint64_t order_number(kt_register *reg, uint64_t actor, uint64_t order, const char *key) {
  return record_number(kt_order_get, reg, actor, order, key);
}

/* The id of the first element of list `list` ("files", "bookings") in an
 * order's JSON. */
static uint64_t first_item_id(const char *json, const char *list) {
  char pattern[64];
  const char *at;
  snprintf(pattern, sizeof pattern, "\"%s\":[", list);
  at = json ? strstr(json, pattern) : NULL;
  return at ? json_number(at, "id") : UINT64_MAX;
}

/* How many of `user`'s notifications are of kind `kind`. */
static size_t notifications_of_kind(kt_register *reg, uint64_t user, const char *kind) {
  kt_cursor *cursor = NULL;
  char *item = NULL;
  char pattern[64];
  size_t n = 0;
  snprintf(pattern, sizeof pattern, "\"kind\":\"%s\"", kind);
  CHECK_OK(kt_notifications(&cursor, reg, user, 100));
  while (kt_cursor_next(&item, cursor) == KT_OK) {
    if (strstr(item, pattern)) ++n;
    kt_string_free(item);
  }
  kt_cursor_free(cursor);
  return n;
}

/* texts: the value of string member `key` of each item of a cursor, joined
 * by '|' into `buffer`; frees the cursor. */
static void texts(kt_cursor *cursor, const char *key, char *buffer, size_t size) {
  char *item = NULL;
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
  buffer[0] = '\0';
  while (kt_cursor_next(&item, cursor) == KT_OK) {
    const char *at = strstr(item, pattern);
    const char *end;
    size_t room;
    REQUIRE(at != NULL);
    at += strlen(pattern);
    end = strchr(at, '"');
    if (buffer[0]) strncat(buffer, "|", size - strlen(buffer) - 1);
    room = size - strlen(buffer) - 1;
    strncat(buffer, at, (size_t)(end - at) < room ? (size_t)(end - at) : room);
    kt_string_free(item);
  }
  kt_cursor_free(cursor);
}

/* search: the subjects of the page `query` gives, and the total. */
static void search(kt_register *reg, uint64_t actor, const kt_order_query *query, char *buffer, size_t size,
                   size_t *total) {
  kt_cursor *cursor = NULL;
  buffer[0] = '\0';
  *total = 0;
  CHECK_OK(kt_order_search(&cursor, reg, actor, query));
  if (!cursor) return;
  CHECK_OK(kt_cursor_total(total, cursor));
  texts(cursor, "subject", buffer, size);
}

/* Each kind numbers its orders on its own; numbers are not reused. */
static void create_number_and_get(void) {
  int64_t clock;
  uint64_t admin, customer, id = 99;
  kt_register *reg = test_register(&clock, &admin);
  char *json = NULL;

  customer = add_customer(reg, admin,
                          "{\"number\":\"1001\",\"name\":\"\xC3\x85" "berg AB\","
                          "\"service_articles\":[{\"article_number\":\"RESA\",\"description\":\"Resekostnad\"}]}");
  CHECK_OK(kt_order_create(&id, reg, admin, "{\"customer\":1,\"subject\":\"Pump l\xC3\xA4" "cker\"}"));
  CHECK(id == 1);
  json = order_json(reg, admin, id);
  CHECK_CONTAINS(json, "{\"id\":1,\"kind\":\"work_order\",\"number\":1,\"customer\":1,\"facility\":null");
  CHECK_CONTAINS(json, "\"subject\":\"Pump l\xC3\xA4" "cker\"");
  CHECK_CONTAINS(json, "\"status\":\"new\""); /* the kind's first status */
  CHECK_CONTAINS(json, "\"closed\":false");
  CHECK_CONTAINS(json, "\"created_by\":1");
  CHECK_CONTAINS(json, "\"created_at\":\"2026-01-05T08:00:");
  CHECK(json_number(json, "revision") == 1);
  kt_string_free(json);

  /* A second work order takes number 2; a service order starts at 1 and
   * gets the customer's service articles. */
  CHECK(order_number(reg, admin, add_order(reg, admin, "{\"customer\":1,\"subject\":\"Two\"}"), "number") == 2);
  id = add_order(reg, admin, "{\"kind\":\"service_order\",\"customer\":1,\"subject\":\"Service\"}");
  json = order_json(reg, admin, id);
  CHECK(json_number(json, "number") == 1);
  CHECK_CONTAINS(json, "\"kind\":\"service_order\"");
  CHECK_CONTAINS(json, "\"article_number\":\"RESA\",\"description\":\"Resekostnad\"");
  kt_string_free(json);

  CHECK_OK(kt_order_get_by_number(&json, reg, admin, "work_order", 2));
  CHECK(json_number(json, "id") == 2);
  kt_string_free(json);
  CHECK_OK(kt_order_get_by_number(&json, reg, admin, "service_order", 1));
  CHECK(json_number(json, "id") == 3);
  kt_string_free(json);
  CHECK_FAILS(KT_NOT_FOUND, "", "quotation", kt_order_get_by_number(&json, reg, admin, "quotation", 1));
  CHECK(json == NULL);
  CHECK_FAILS(KT_INVALID, "kind", "work_order, service_order", kt_order_get_by_number(&json, reg, admin, "order", 1));
  CHECK_FAILS(KT_MISUSE, "", "kind is NULL", kt_order_get_by_number(&json, reg, admin, NULL, 1));
  CHECK_RC(KT_NOT_FOUND, kt_order_get(&json, reg, admin, 77));

  /* Deleting frees no number: the next work order is number 3. */
  CHECK_OK(kt_order_delete(reg, admin, 2));
  CHECK_RC(KT_NOT_FOUND, kt_order_get(&json, reg, admin, 2));
  CHECK_RC(KT_NOT_FOUND, kt_order_delete(reg, admin, 2));
  CHECK(order_number(reg, admin, add_order(reg, admin, "{\"customer\":1,\"subject\":\"Three\"}"), "number") == 3);

  /* Counts know orders. */
  CHECK_OK(kt_register_counts(&json, reg));
  CHECK_CONTAINS(json, "\"orders\":3,");
  kt_string_free(json);

  /* Refused input. */
  CHECK_FAILS(KT_INVALID, "colour", "unknown field", kt_order_create(&id, reg, admin, "{\"customer\":1,\"colour\":\"red\"}"));
  CHECK(id == 0);
  CHECK_FAILS(KT_INVALID, "kind", "contact_order", kt_order_create(&id, reg, admin, "{\"customer\":1,\"kind\":\"order\"}"));
  CHECK_FAILS(KT_INVALID, "json", "offset", kt_order_create(&id, reg, admin, "{\"customer\":1"));
  CHECK_FAILS(KT_INVALID, "json", "UTF-8", kt_order_create(&id, reg, admin, "{\"customer\":1,\"subject\":\"\xC3\"}"));
  CHECK_FAILS(KT_INVALID, "status", "not a status", kt_order_create(&id, reg, admin, "{\"customer\":1,\"status\":\"dreaming\"}"));
  CHECK_RC(KT_NOT_FOUND, kt_order_create(&id, reg, admin, "{\"customer\":9,\"subject\":\"Nobody's\"}"));
  CHECK_RC(KT_INVALID, kt_order_create(&id, reg, admin, "{\"customer\":1,\"closed\":true}"));
  CHECK_RC(KT_INVALID, kt_order_create(&id, reg, admin, "{\"customer\":1,\"number\":40}"));

  /* A customer with orders is not deleted, only deactivated; a deactivated
   * customer gets no new orders, but his orders stay readable. */
  CHECK_FAILS(KT_CONFLICT, "", "order", kt_customer_delete(reg, admin, customer));
  CHECK_OK(kt_customer_deactivate(reg, admin, customer));
  CHECK_FAILS(KT_INVALID, "customer", "deactivated", kt_order_create(&id, reg, admin, "{\"customer\":1,\"subject\":\"Late\"}"));
  json = order_json(reg, admin, 1);
  CHECK(json_number(json, "id") == 1);
  kt_string_free(json);
  CHECK_OK(kt_customer_reactivate(reg, admin, customer));
  CHECK_OK(kt_order_create(&id, reg, admin, "{\"customer\":1,\"subject\":\"Back\"}"));

  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_order_create(NULL, reg, admin, "{\"customer\":1}"));
  CHECK_FAILS(KT_MISUSE, "", "json is NULL", kt_order_create(&id, reg, admin, NULL));
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_order_create(&id, NULL, admin, "{\"customer\":1}"));
  CHECK_RC(KT_PERMISSION_DENIED, kt_order_create(&id, reg, 42, "{\"customer\":1}"));
  kt_register_free(reg);
}

/* Updates are patches based on a revision; notes, time and files have calls
 * of their own; a closed order is not changed until it is reopened. */
static void update_notes_time_files_close_and_reopen(void) {
  int64_t clock;
  uint64_t admin, order;
  kt_register *reg = test_register(&clock, &admin);
  kt_history_query *history = NULL;
  kt_cursor *cursor = NULL;
  unsigned char *before = NULL, *after = NULL;
  size_t before_size = 0, after_size = 0;
  char *json = NULL;
  uint64_t file;

  add_customer(reg, admin, "{\"number\":\"1001\",\"name\":\"Ek AB\"}");
  order = add_order(reg, admin, "{\"customer\":1,\"subject\":\"Kylrum\"}");

  CHECK_OK(kt_order_update(reg, admin, order, 1,
                           "{\"description\":\"Kompressorn g\xC3\xA5r varm\",\"status\":\"in_progress\","
                           "\"planned\":\"2026-01-12T07:30:00Z\",\"customer_order_number\":\"PO-7\"}"));
  json = order_json(reg, admin, order);
  CHECK_CONTAINS(json, "\"description\":\"Kompressorn g\xC3\xA5r varm\",\"status\":\"in_progress\","
                       "\"planned\":\"2026-01-12T07:30:00.000000Z\"");
  CHECK_CONTAINS(json, "\"customer_order_number\":\"PO-7\"");
  CHECK_CONTAINS(json, "\"subject\":\"Kylrum\""); /* not in the patch: kept */
  CHECK(json_number(json, "revision") == 2);
  kt_string_free(json);

  /* A stale revision, and patches that touch what the register keeps. */
  CHECK_FAILS(KT_CONFLICT, "", "revision 1, now 2", kt_order_update(reg, admin, order, 1, "{\"subject\":\"Old\"}"));
  CHECK_FAILS(KT_INVALID, "id", "differs", kt_order_update(reg, admin, order, 2, "{\"id\":5}"));
  CHECK_FAILS(KT_INVALID, "revision", "differs", kt_order_update(reg, admin, order, 2, "{\"revision\":7}"));
  CHECK_RC(KT_INVALID, kt_order_update(reg, admin, order, 2, "{\"number\":9}"));
  CHECK_RC(KT_INVALID, kt_order_update(reg, admin, order, 2, "{\"closed\":true}"));
  CHECK_RC(KT_INVALID, kt_order_update(reg, admin, order, 2, "{\"notes\":[{\"text\":\"forged\"}]}"));
  CHECK_FAILS(KT_INVALID, "status", "not a status", kt_order_update(reg, admin, order, 2, "{\"status\":\"dreaming\"}"));
  CHECK_FAILS(KT_INVALID, "lines[0].hours", "", kt_order_update(reg, admin, order, 2, "{\"lines\":[{\"hours\":\"two\"}]}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "order 9", kt_order_update(reg, admin, 9, 1, "{}"));
  CHECK_FAILS(KT_INVALID, "json", "offset", kt_order_update(reg, admin, order, 2, "{"));
  CHECK(order_number(reg, admin, order, "revision") == 2);

  /* A line: ids are the register's. */
  CHECK_OK(kt_order_update(reg, admin, order, 2,
                           "{\"lines\":[{\"article_number\":\"K-12\",\"description\":\"Fl\xC3\xA4kt\",\"quantity\":2,"
                           "\"unit\":\"st\",\"price\":480.5}]}"));
  json = order_json(reg, admin, order);
  CHECK_CONTAINS(json, "\"lines\":[{\"id\":1,\"article_number\":\"K-12\",\"description\":\"Fl\xC3\xA4kt\","
                       "\"quantity\":2.0,\"unit\":\"st\",\"price\":480.5");
  kt_string_free(json);

  /* Notes and time. */
  CHECK_OK(kt_order_add_note(reg, admin, order, "Ringde kunden"));
  CHECK_OK(kt_order_add_time(reg, admin, order, 1.5, "Fels\xC3\xB6kning"));
  CHECK_OK(kt_order_add_time(reg, admin, order, 0.25, NULL));
  CHECK_FAILS(KT_INVALID, "hours", "", kt_order_add_time(reg, admin, order, 0, "nothing"));
  CHECK_FAILS(KT_INVALID, "hours", "", kt_order_add_time(reg, admin, order, -1, "negative"));
  CHECK_FAILS(KT_INVALID, "hours", "finite", kt_order_add_time(reg, admin, order, NAN, "NaN"));
  CHECK_FAILS(KT_INVALID, "text", "UTF-8", kt_order_add_note(reg, admin, order, "\xE2\x82"));
  CHECK_FAILS(KT_MISUSE, "", "text is NULL", kt_order_add_note(reg, admin, order, NULL));
  json = order_json(reg, admin, order);
  CHECK_CONTAINS(json, "\"notes\":[{\"at\":\"2026-01-05T08:00:");
  CHECK_CONTAINS(json, "\"author\":1,\"text\":\"Ringde kunden\"}]");
  CHECK_CONTAINS(json, "\"user\":1,\"hours\":1.5,\"text\":\"Fels\xC3\xB6kning\"}");
  CHECK_CONTAINS(json, "\"hours\":0.25,\"text\":\"\"}]");
  kt_string_free(json);

  /* Files: metadata only. */
  CHECK_OK(kt_order_add_file(reg, admin, order,
                             "{\"name\":\"kompressor.jpg\",\"size\":48213,\"sha256\":\"" SHA256_A "\","
                             "\"media_type\":\"image/jpeg\"}"));
  json = order_json(reg, admin, order);
  CHECK_CONTAINS(json, "\"name\":\"kompressor.jpg\",\"size\":48213,\"sha256\":\"" SHA256_A "\","
                       "\"media_type\":\"image/jpeg\",\"uploaded_by\":1,\"uploaded_at\":\"2026-01-05T08:00:");
  file = first_item_id(json, "files");
  CHECK(file != UINT64_MAX && file != 0);
  kt_string_free(json);
  CHECK_FAILS(KT_INVALID, "file.sha256", "hexadecimal",
              kt_order_add_file(reg, admin, order, "{\"name\":\"x.pdf\",\"size\":1,\"sha256\":\"not hex\"}"));
  CHECK_FAILS(KT_INVALID, "file.size", "non-negative", kt_order_add_file(reg, admin, order, "{\"name\":\"x.pdf\",\"size\":-1}"));
  CHECK_RC(KT_NOT_FOUND, kt_order_remove_file(reg, admin, order, 99));
  CHECK_OK(kt_order_remove_file(reg, admin, order, (uint32_t)file));
  json = order_json(reg, admin, order);
  CHECK_CONTAINS(json, "\"files\":[]");
  kt_string_free(json);
  CHECK_RC(KT_NOT_FOUND, kt_order_remove_file(reg, admin, order, (uint32_t)file));

  /* Closed: archived, not changed; refused commands change nothing at all. */
  CHECK_OK(kt_order_close(reg, admin, order));
  json = order_json(reg, admin, order);
  CHECK_CONTAINS(json, "\"closed\":true,\"closed_at\":\"2026-01-05T08:00:");
  kt_string_free(json);
  CHECK_OK(kt_register_state(&before, &before_size, reg));
  CHECK_RC(KT_CONFLICT, kt_order_update(reg, admin, order, order_number(reg, admin, order, "revision"),
                                        "{\"subject\":\"Closed\"}"));
  CHECK_RC(KT_CONFLICT, kt_order_add_time(reg, admin, order, 1, "late"));
  CHECK_RC(KT_CONFLICT, kt_order_assign(reg, admin, order, &admin, 1));
  CHECK_RC(KT_CONFLICT, kt_order_add_file(reg, admin, order, "{\"name\":\"y.pdf\",\"size\":1,\"sha256\":\"" SHA256_A "\"}"));
  CHECK_RC(KT_CONFLICT, kt_order_update(reg, admin, order, 1, "{\"subject\":\"Stale\"}"));
  CHECK_FAILS(KT_INVALID, "text", "required", kt_order_add_note(reg, admin, order, "  "));
  CHECK_OK(kt_register_state(&after, &after_size, reg));
  CHECK(before_size == after_size && memcmp(before, after, before_size) == 0);
  kt_buffer_free(before);
  kt_buffer_free(after);
  /* ... but notes may still be added. */
  CHECK_OK(kt_order_add_note(reg, admin, order, "Arkiverad"));

  CHECK_OK(kt_order_reopen(reg, admin, order));
  json = order_json(reg, admin, order);
  CHECK_CONTAINS(json, "\"closed\":false,\"closed_at\":null");
  CHECK_CONTAINS(json, "\"text\":\"Arkiverad\"");
  kt_string_free(json);
  CHECK_OK(kt_order_update(reg, admin, order, order_number(reg, admin, order, "revision"), "{\"subject\":\"Kylrum 2\"}"));
  CHECK_RC(KT_NOT_FOUND, kt_order_close(reg, admin, 9));
  CHECK_RC(KT_NOT_FOUND, kt_order_reopen(reg, admin, 9));

  /* Every change is in the order's history. */
  REQUIRE(kt_history_query_new(&history) == KT_OK);
  CHECK_OK(kt_history_query_set_record(history, "order", order));
  CHECK_OK(kt_history(&cursor, reg, admin, history));
  CHECK_OK(kt_cursor_remaining(&json, cursor));
  CHECK_CONTAINS(json, "\"record\":{\"kind\":\"order\",\"id\":1},\"action\":\"created\"");
  CHECK_CONTAINS(json, "\"field\":\"subject\",\"old_value\":\"Kylrum\",\"new_value\":\"Kylrum 2\"");
  kt_string_free(json);
  kt_cursor_free(cursor);
  kt_history_query_free(history);

  CHECK_RC(KT_MISUSE, kt_order_update(NULL, admin, order, 1, "{}"));
  CHECK_RC(KT_MISUSE, kt_order_add_note(NULL, admin, order, "x"));
  CHECK_RC(KT_MISUSE, kt_order_add_time(NULL, admin, order, 1, "x"));
  CHECK_RC(KT_MISUSE, kt_order_add_file(NULL, admin, order, "{}"));
  CHECK_FAILS(KT_MISUSE, "", "json is NULL", kt_order_add_file(reg, admin, order, NULL));
  CHECK_RC(KT_MISUSE, kt_order_remove_file(NULL, admin, order, 1));
  CHECK_RC(KT_MISUSE, kt_order_close(NULL, admin, order));
  CHECK_RC(KT_MISUSE, kt_order_reopen(NULL, admin, order));
  CHECK_RC(KT_MISUSE, kt_order_delete(NULL, admin, order));
  CHECK_RC(KT_MISUSE, kt_order_get(NULL, reg, admin, order));
  kt_register_free(reg);
}

/* Assignment notifies whoever is assigned or taken off; a customer's
 * technician is assigned to his new orders; assign-self reaches only the
 * actor himself. */
static void assignment_and_notifications(void) {
  int64_t clock;
  uint64_t admin, tina, olle, selfish, order, auto_order, users[2];
  kt_register *reg = test_register(&clock, &admin);
  kt_cursor *cursor = NULL;
  char *json = NULL;

  tina = add_staff(reg, admin, "tina", "Tina");
  olle = add_staff(reg, admin, "olle", "Olle");
  CHECK_OK(kt_user_create(&selfish, reg, admin,
                          "{\"login\":\"sam\",\"name\":\"Sam\",\"rights\":[\"customers.view\",\"orders.view\","
                          "\"orders.assign_self\"]}"));
  add_customer(reg, admin, "{\"number\":\"1001\",\"name\":\"Ek AB\"}");
  order = add_order(reg, admin, "{\"customer\":1,\"subject\":\"Larm\"}");
  CHECK(notifications_of_kind(reg, tina, "order_assigned") == 0);

  users[0] = tina;
  users[1] = olle;
  CHECK_OK(kt_order_assign(reg, admin, order, users, 2));
  json = order_json(reg, admin, order);
  CHECK_CONTAINS(json, "\"assigned\":[2,3]");
  kt_string_free(json);
  CHECK(notifications_of_kind(reg, tina, "order_assigned") == 1);
  CHECK(notifications_of_kind(reg, olle, "order_assigned") == 1);
  CHECK_OK(kt_notifications(&cursor, reg, tina, 10));
  CHECK_OK(kt_cursor_remaining(&json, cursor));
  CHECK_CONTAINS(json, "\"kind\":\"order_assigned\",\"subject\":{\"kind\":\"order\",\"id\":1}");
  CHECK_CONTAINS(json, "Larm"); /* she sees it: the text names it */
  kt_string_free(json);
  kt_cursor_free(cursor);

  /* Olle taken off: he hears so; Tina, still on, hears nothing new. */
  CHECK_OK(kt_order_assign(reg, admin, order, &tina, 1));
  CHECK(notifications_of_kind(reg, olle, "order_unassigned") == 1);
  CHECK(notifications_of_kind(reg, tina, "order_assigned") == 1);
  CHECK(notifications_of_kind(reg, tina, "order_unassigned") == 0);

  /* Nobody: NULL with a count of 0 is allowed. */
  CHECK_OK(kt_order_assign(reg, admin, order, NULL, 0));
  json = order_json(reg, admin, order);
  CHECK_CONTAINS(json, "\"assigned\":[]");
  kt_string_free(json);
  CHECK(notifications_of_kind(reg, tina, "order_unassigned") == 1);

  /* Assign-self: himself yes, somebody else no. */
  CHECK_RC(KT_PERMISSION_DENIED, kt_order_assign(reg, selfish, order, &tina, 1));
  CHECK_OK(kt_order_assign(reg, selfish, order, &selfish, 1));
  CHECK_OK(kt_order_assign(reg, selfish, order, NULL, 0));

  CHECK_RC(KT_NOT_FOUND, kt_order_assign(reg, admin, 9, &tina, 1));
  users[0] = 77;
  CHECK_FAILS(KT_INVALID, "users", "no active staff user", kt_order_assign(reg, admin, order, users, 1));
  CHECK_FAILS(KT_MISUSE, "", "users is NULL", kt_order_assign(reg, admin, order, NULL, 1));
  CHECK_RC(KT_MISUSE, kt_order_assign(NULL, admin, order, &tina, 1));

  /* The customer's technician is assigned to every new order. */
  CHECK_OK(kt_customer_assign_technician(reg, admin, 1, olle));
  auto_order = add_order(reg, admin, "{\"kind\":\"quotation\",\"customer\":1,\"subject\":\"Offert\"}");
  json = order_json(reg, admin, auto_order);
  CHECK_CONTAINS(json, "\"assigned\":[3]");
  kt_string_free(json);
  CHECK(notifications_of_kind(reg, olle, "order_assigned") == 2);
  kt_register_free(reg);
}

/* Contact orders may name a new customer and facility; one that led to a
 * sale becomes a sales order, and the two stay linked and undeletable. */
static void contact_orders_and_sales_orders(void) {
  int64_t clock;
  uint64_t admin, contact_order = 0, again = 0, sales = 0, work, id = 5;
  kt_register *reg = test_register(&clock, &admin);
  char *json = NULL;

  add_customer(reg, admin, "{\"number\":\"1001\",\"name\":\"Ek AB\"}");
  CHECK_OK(kt_contact_order_create(&contact_order, reg, admin,
                                   "{\"subject\":\"Ny kylanl\xC3\xA4ggning\",\"planned\":\"2026-01-20\"}",
                                   "{\"number\":\"2001\",\"name\":\"Nya Kyl AB\",\"email\":\"info@nyakyl.se\"}",
                                   "{\"name\":\"Lager\"}"));
  json = order_json(reg, admin, contact_order);
  CHECK_CONTAINS(json, "\"kind\":\"contact_order\",\"number\":1,\"customer\":2,\"facility\":1");
  kt_string_free(json);
  CHECK_OK(kt_customer_get(&json, reg, admin, 2));
  CHECK_CONTAINS(json, "\"name\":\"Nya Kyl AB\"");
  CHECK_CONTAINS(json, "\"email\":\"info@nyakyl.se\"");
  kt_string_free(json);
  CHECK_OK(kt_facility_get(&json, reg, admin, 1));
  CHECK_CONTAINS(json, "\"customer\":2,\"name\":\"Lager\"");
  kt_string_free(json);

  /* The same names again (other case): the customer and facility found are
   * used, nothing new is made. */
  CHECK_OK(kt_contact_order_create(&again, reg, admin, "{\"subject\":\"Uppf\xC3\xB6ljning\"}",
                                   "{\"name\":\"nya kyl ab\"}", "{\"name\":\"LAGER\"}"));
  json = order_json(reg, admin, again);
  CHECK_CONTAINS(json, "\"number\":2,\"customer\":2,\"facility\":1");
  kt_string_free(json);
  CHECK_OK(kt_register_counts(&json, reg));
  CHECK_CONTAINS(json, "{\"customers\":2,\"contacts\":0,\"facilities\":1,");
  kt_string_free(json);

  /* By customer id, with no new records: NULL for both. */
  CHECK_OK(kt_contact_order_create(&id, reg, admin, "{\"customer\":1,\"subject\":\"Prospekt\"}", NULL, NULL));
  CHECK(order_number(reg, admin, id, "number") == 3);

  /* Refused: another kind, no subject, bad texts named by argument. */
  CHECK_FAILS(KT_INVALID, "kind", "kt_order_create",
              kt_contact_order_create(&id, reg, admin, "{\"kind\":\"work_order\",\"customer\":1}", NULL, NULL));
  CHECK(id == 0);
  CHECK_FAILS(KT_INVALID, "subject", "required", kt_contact_order_create(&id, reg, admin, "{\"customer\":1}", NULL, NULL));
  CHECK_FAILS(KT_INVALID, "new_customer", "offset",
              kt_contact_order_create(&id, reg, admin, "{\"subject\":\"X\"}", "{\"name\":", NULL));
  CHECK_FAILS(KT_INVALID, "new_customer.colour", "unknown field",
              kt_contact_order_create(&id, reg, admin, "{\"subject\":\"X\"}", "{\"colour\":1}", NULL));
  CHECK_FAILS(KT_INVALID, "new_facility", "UTF-8",
              kt_contact_order_create(&id, reg, admin, "{\"subject\":\"X\",\"customer\":1}", NULL, "{\"name\":\"\xFF\"}"));
  CHECK_FAILS(KT_MISUSE, "", "json is NULL", kt_contact_order_create(&id, reg, admin, NULL, NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_contact_order_create(NULL, reg, admin, "{\"subject\":\"X\",\"customer\":1}", NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_contact_order_create(&id, NULL, admin, "{\"subject\":\"X\",\"customer\":1}", NULL, NULL));

  /* Converted: a sales order with the contact order's content, linked both
   * ways; the contact order is closed. */
  CHECK_OK(kt_order_update(reg, admin, contact_order, 1,
                           "{\"lines\":[{\"article_number\":\"KYL-1\",\"description\":\"Kylaggregat\",\"price\":89000}]}"));
  CHECK_OK(kt_order_convert_to_sales_order(&sales, reg, admin, contact_order));
  json = order_json(reg, admin, sales);
  CHECK_CONTAINS(json, "\"kind\":\"sales_order\",\"number\":1,\"customer\":2,\"facility\":1");
  CHECK_CONTAINS(json, "\"subject\":\"Ny kylanl\xC3\xA4ggning\"");
  CHECK_CONTAINS(json, "\"article_number\":\"KYL-1\",\"description\":\"Kylaggregat\"");
  CHECK(json_number(json, "origin") == contact_order);
  kt_string_free(json);
  json = order_json(reg, admin, contact_order);
  CHECK_CONTAINS(json, "\"closed\":true");
  CHECK(json_number(json, "sales_order") == sales);
  kt_string_free(json);
  CHECK_RC(KT_CONFLICT, kt_order_convert_to_sales_order(&id, reg, admin, contact_order));
  CHECK(id == 0);
  CHECK_RC(KT_CONFLICT, kt_order_delete(reg, admin, contact_order));
  CHECK_RC(KT_CONFLICT, kt_order_delete(reg, admin, sales));

  /* Only contact orders convert. */
  work = add_order(reg, admin, "{\"customer\":1,\"subject\":\"Service\"}");
  CHECK_FAILS(KT_INVALID, "order", "contact order", kt_order_convert_to_sales_order(&id, reg, admin, work));
  CHECK_RC(KT_NOT_FOUND, kt_order_convert_to_sales_order(&id, reg, admin, 99));
  CHECK_RC(KT_MISUSE, kt_order_convert_to_sales_order(NULL, reg, admin, contact_order));
  CHECK_RC(KT_MISUSE, kt_order_convert_to_sales_order(&id, NULL, admin, contact_order));
  kt_register_free(reg);
}

/* The order list: every filter, sorts with closed orders last, pages and
 * totals; favourites saved per user. */
static void search_filters_sorts_pages_and_favourites(void) {
  int64_t clock;
  uint64_t admin, tina, olle;
  kt_register *reg = test_register(&clock, &admin);
  kt_order_query *q = NULL, *from_favourite = NULL;
  kt_cursor *cursor = NULL;
  char found[512], *item = NULL;
  size_t total = 0;
  int i;

  tina = add_staff(reg, admin, "tina", "Tina");
  olle = add_staff(reg, admin, "olle", "Olle");
  add_customer(reg, admin, "{\"number\":\"1001\",\"name\":\"\xC3\x85" "berg AB\"}");
  add_customer(reg, admin, "{\"number\":\"1002\",\"name\":\"Berg El\"}");
  add_order(reg, admin, "{\"customer\":1,\"subject\":\"W1\",\"planned\":\"2026-02-01T09:00:00Z\"}");
  add_order(reg, admin, "{\"customer\":2,\"subject\":\"W2\",\"planned\":\"2026-01-20T09:00:00Z\",\"status\":\"in_progress\"}");
  add_order(reg, admin, "{\"kind\":\"service_order\",\"customer\":1,\"subject\":\"S1\"}");
  add_order(reg, admin, "{\"customer\":1,\"subject\":\"W3\",\"planned\":\"2026-03-01T09:00:00Z\"}");
  add_order(reg, admin, "{\"kind\":\"contact_order\",\"customer\":1,\"subject\":\"C1\",\"planned\":\"2026-01-10T09:00:00Z\"}");
  add_order(reg, admin, "{\"kind\":\"contact_order\",\"customer\":2,\"subject\":\"C2\"}");
  add_order(reg, admin, "{\"kind\":\"contact_order\",\"customer\":1,\"subject\":\"C3\",\"planned\":\"2026-01-08T09:00:00Z\"}");
  CHECK_OK(kt_order_assign(reg, admin, 1, &tina, 1));
  CHECK_OK(kt_order_assign(reg, admin, 5, &tina, 1));
  CHECK_OK(kt_order_close(reg, admin, 4));

  /* Defaults (NULL query): every order, the first 10. */
  search(reg, admin, NULL, found, sizeof found, &total);
  CHECK(total == 7);
  CHECK(strlen(found) == 7 * 2 + 6);

  REQUIRE(kt_order_query_new(&q) == KT_OK);
  CHECK_OK(kt_order_query_set_kind(q, "work_order"));
  CHECK_OK(kt_order_query_set_sort(q, "number", 0));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "W1|W2|W3") == 0 && total == 3);
  /* Closed orders come last whatever the direction. */
  CHECK_OK(kt_order_query_set_sort(q, "number", 1));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "W2|W1|W3") == 0);
  CHECK_OK(kt_order_query_set_sort(q, "planned", 0));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "W2|W1|W3") == 0);
  CHECK_FAILS(KT_INVALID, "sort", "customer_order_number", kt_order_query_set_sort(q, "colour", 0));
  CHECK_FAILS(KT_INVALID, "kind", "sales_order", kt_order_query_set_kind(q, "orders"));

  /* Contact orders by default: by planned date, undated last (reversed,
   * still last); or by number when the settings say so. */
  CHECK_OK(kt_order_query_set_kind(q, "contact_order"));
  CHECK_OK(kt_order_query_set_sort(q, NULL, 0));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "C3|C1|C2") == 0);
  CHECK_OK(kt_order_query_set_sort(q, NULL, 1));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "C1|C3|C2") == 0);
  CHECK_OK(kt_settings_update(reg, admin, "{\"contact_orders_by_number\":true}"));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "C3|C2|C1") == 0);
  CHECK_OK(kt_order_query_set_sort(q, NULL, 0));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "C1|C2|C3") == 0);
  CHECK_OK(kt_settings_update(reg, admin, "{\"contact_orders_by_number\":false}"));
  CHECK_OK(kt_order_query_set_kind(q, NULL));

  /* Customer, status, assignment. */
  CHECK_OK(kt_order_query_set_sort(q, "subject", 0));
  CHECK_OK(kt_order_query_set_customer(q, 2));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "C2|W2") == 0);
  CHECK_OK(kt_order_query_set_customer(q, 0));
  CHECK_OK(kt_order_query_set_status(q, "in_progress"));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "W2") == 0);
  CHECK_FAILS(KT_INVALID, "status", "UTF-8", kt_order_query_set_status(q, "\xC0\x80"));
  CHECK_OK(kt_order_query_set_status(q, NULL));
  CHECK_OK(kt_order_query_set_assigned_to_me(q, 1));
  search(reg, tina, q, found, sizeof found, &total);
  CHECK(strcmp(found, "C1|W1") == 0);
  search(reg, olle, q, found, sizeof found, &total);
  CHECK(strcmp(found, "") == 0 && total == 0);
  CHECK_OK(kt_order_query_set_assigned_to_me(q, 0));
  CHECK_OK(kt_order_query_set_assigned_to(q, tina));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "C1|W1") == 0);
  CHECK_OK(kt_order_query_set_assigned_to(q, 0));

  /* The planned range [from, to) leaves out undated orders. */
  CHECK_OK(kt_order_query_set_planned_from(q, "2026-01-09"));
  CHECK_OK(kt_order_query_set_planned_to(q, "2026-02-01T09:00:00Z"));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "C1|W2") == 0);
  CHECK_OK(kt_order_query_set_planned_to(q, NULL));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "C1|W1|W2|W3") == 0);
  CHECK_OK(kt_order_query_set_planned_from(q, NULL));
  CHECK_FAILS(KT_INVALID, "planned_from", "", kt_order_query_set_planned_from(q, "9 januari"));
  CHECK_FAILS(KT_INVALID, "planned_to", "", kt_order_query_set_planned_to(q, "2026-13-01"));

  /* Open or closed. */
  CHECK_OK(kt_order_query_set_closed(q, 1));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "W3") == 0);
  CHECK_OK(kt_order_query_set_closed(q, 0));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(total == 6 && !strstr(found, "W3"));
  CHECK_FAILS(KT_INVALID, "closed", "KT_ANY", kt_order_query_set_closed(q, 2));
  CHECK_OK(kt_order_query_set_closed(q, KT_ANY));

  /* Pages: the cursor holds one page, the total counts all. */
  CHECK_OK(kt_order_query_set_page(q, 1, 2));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "C2|C3") == 0 && total == 7);
  CHECK_OK(kt_order_query_set_page(q, 0, total)); /* "view all" */
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "C1|C2|C3|S1|W1|W2|W3") == 0);
  CHECK_OK(kt_order_query_set_page(q, 6, SIZE_MAX));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "W3") == 0);
  CHECK_OK(kt_order_query_set_page(q, 0, 0));
  cursor = (kt_cursor *)&total;
  CHECK_FAILS(KT_INVALID, "limit", "", kt_order_search(&cursor, reg, admin, q));
  CHECK(cursor == NULL);

  /* The whole query as JSON, over the current values; a refused member
   * leaves it unchanged. */
  CHECK_OK(kt_order_query_set_json(q, "{\"kind\":\"contact_order\",\"closed\":false,\"sort\":\"subject\","
                                      "\"descending\":true,\"limit\":2}"));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "C3|C2") == 0 && total == 3);
  CHECK_FAILS(KT_INVALID, "colour", "unknown field", kt_order_query_set_json(q, "{\"limit\":5,\"colour\":1}"));
  CHECK_FAILS(KT_INVALID, "planned_from", "", kt_order_query_set_json(q, "{\"planned_from\":\"soon\"}"));
  search(reg, admin, q, found, sizeof found, &total);
  CHECK(strcmp(found, "C3|C2") == 0);

  /* Favourites: saved per user, by name, replaced by name. */
  CHECK_OK(kt_order_filter_save(reg, tina, "S\xC3\xA4ljare", q));
  CHECK_OK(kt_order_query_set_json(q, "{\"kind\":null,\"closed\":null,\"sort\":null,\"descending\":false,"
                                      "\"assigned_to_me\":true,\"limit\":10}"));
  CHECK_OK(kt_order_filter_save(reg, tina, "Mina", q));
  CHECK_OK(kt_order_filter_save(reg, tina, "Mina", q));
  CHECK_OK(kt_order_filter_save(reg, olle, "Allt", NULL));
  CHECK_OK(kt_order_filters(&cursor, reg, tina));
  CHECK_OK(kt_cursor_total(&total, cursor));
  CHECK(total == 2);
  texts(cursor, "name", found, sizeof found);
  CHECK(strcmp(found, "Mina|S\xC3\xA4ljare") == 0);
  CHECK_OK(kt_order_filters(&cursor, reg, admin));
  CHECK(count_items(cursor) == 0); /* nobody reads another's */

  /* A saved filter's "query" drives a search. */
  CHECK_OK(kt_order_filters(&cursor, reg, tina));
  for (i = 0; i < 2; ++i) {
    REQUIRE(kt_cursor_next(&item, cursor) == KT_OK);
    if (strstr(item, "\"name\":\"S\xC3\xA4ljare\"")) break;
    kt_string_free(item);
    item = NULL;
  }
  kt_cursor_free(cursor);
  REQUIRE(item != NULL);
  {
    char *query = strstr(item, "\"query\":");
    REQUIRE(query != NULL);
    query += strlen("\"query\":");
    query[strlen(query) - 1] = '\0'; /* the filter object's closing brace */
    CHECK(json_number(item, "owner") == tina);
    REQUIRE(kt_order_query_new(&from_favourite) == KT_OK);
    CHECK_OK(kt_order_query_set_json(from_favourite, query));
  }
  kt_string_free(item);
  search(reg, tina, from_favourite, found, sizeof found, &total);
  CHECK(strcmp(found, "C3|C2") == 0 && total == 3);
  kt_order_query_free(from_favourite);

  CHECK_OK(kt_order_filter_delete(reg, tina, "S\xC3\xA4ljare"));
  CHECK_OK(kt_order_filters(&cursor, reg, tina));
  CHECK(count_items(cursor) == 1);
  CHECK_RC(KT_NOT_FOUND, kt_order_filter_delete(reg, tina, "S\xC3\xA4ljare"));
  CHECK_RC(KT_NOT_FOUND, kt_order_filter_delete(reg, tina, "Allt")); /* Olle's */
  CHECK_FAILS(KT_INVALID, "name", "required", kt_order_filter_save(reg, tina, "", q));
  CHECK_FAILS(KT_INVALID, "name", "UTF-8", kt_order_filter_save(reg, tina, "\xED\xA0\x80", q));
  CHECK_FAILS(KT_MISUSE, "", "name is NULL", kt_order_filter_save(reg, tina, NULL, q));
  CHECK_FAILS(KT_MISUSE, "", "name is NULL", kt_order_filter_delete(reg, tina, NULL));
  CHECK_RC(KT_MISUSE, kt_order_filter_save(NULL, tina, "x", q));
  CHECK_RC(KT_MISUSE, kt_order_filter_delete(NULL, tina, "x"));
  CHECK_RC(KT_MISUSE, kt_order_filters(NULL, reg, tina));
  CHECK_RC(KT_MISUSE, kt_order_filters(&cursor, NULL, tina));

  /* Misuse of the query object. */
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_order_query_new(NULL));
  CHECK_RC(KT_MISUSE, kt_order_query_set_kind(NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_order_query_set_customer(NULL, 0));
  CHECK_RC(KT_MISUSE, kt_order_query_set_status(NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_order_query_set_assigned_to_me(NULL, 0));
  CHECK_RC(KT_MISUSE, kt_order_query_set_assigned_to(NULL, 0));
  CHECK_RC(KT_MISUSE, kt_order_query_set_planned_from(NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_order_query_set_planned_to(NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_order_query_set_closed(NULL, KT_ANY));
  CHECK_RC(KT_MISUSE, kt_order_query_set_sort(NULL, NULL, 0));
  CHECK_RC(KT_MISUSE, kt_order_query_set_page(NULL, 0, 10));
  CHECK_RC(KT_MISUSE, kt_order_query_set_json(NULL, "{}"));
  CHECK_FAILS(KT_MISUSE, "", "json is NULL", kt_order_query_set_json(q, NULL));
  CHECK_RC(KT_MISUSE, kt_order_search(NULL, reg, admin, q));
  CHECK_RC(KT_MISUSE, kt_order_search(&cursor, NULL, admin, q));
  {
    /* A query of another kind is no order query. */
    kt_customer_query *other = NULL;
    REQUIRE(kt_customer_query_new(&other) == KT_OK);
    CHECK_FAILS(KT_MISUSE, "", "not a live kt_order_query",
                kt_order_search(&cursor, reg, admin, (const kt_order_query *)(const void *)other));
    kt_customer_query_free(other);
  }
  kt_order_query_free(q);
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_order_query", kt_order_search(&cursor, reg, admin, q));
  CHECK(cursor == NULL);
  kt_order_query_free(q); /* a second free is detected, not done */
  CHECK(kt_error_code() == KT_MISUSE);
  kt_order_query_free(NULL);
  kt_register_free(reg);
}

/* Bookings fill the to-do list, notify whom they are for, and raise one
 * reminder each when due. */
static void todo_bookings_and_reminders(void) {
  int64_t clock;
  uint64_t admin, tina, olle, order, work;
  kt_register *reg = test_register(&clock, &admin);
  kt_cursor *cursor = NULL;
  char found[512], *json = NULL, patch[1024];
  size_t total = 0;
  uint64_t booking;

  tina = add_staff(reg, admin, "tina", "Tina");
  olle = add_staff(reg, admin, "olle", "Olle");
  add_customer(reg, admin, "{\"number\":\"1001\",\"name\":\"Ek AB\"}");
  order = add_order(reg, admin, "{\"kind\":\"contact_order\",\"customer\":1,\"subject\":\"Offert kyl\","
                                "\"planned\":\"2026-01-10T09:00:00Z\"}");
  work = add_order(reg, admin, "{\"customer\":1,\"subject\":\"Arbete\"}");
  CHECK_OK(kt_order_assign(reg, admin, order, &tina, 1));
  CHECK_OK(kt_order_assign(reg, admin, work, &tina, 1));

  /* Two bookings for Tina: one due already (the clock stands at
   * 2026-01-05T08:00), one next month. Each notifies her. */
  snprintf(patch, sizeof patch,
           "{\"bookings\":[{\"kind\":\"phone\",\"when\":\"2026-01-05T07:00:00Z\",\"user\":%llu,\"text\":\"Ring Lisa\"},"
           "{\"kind\":\"meeting\",\"when\":\"2026-02-02T10:00:00Z\",\"user\":%llu,\"text\":\"M\xC3\xB6te\"}]}",
           (unsigned long long)tina, (unsigned long long)tina);
  CHECK_OK(kt_order_update(reg, admin, order, order_number(reg, admin, order, "revision"), patch));
  CHECK(notifications_of_kind(reg, tina, "booking") == 2);
  CHECK_FAILS(KT_INVALID, "bookings[0].kind", "digital",
              kt_order_update(reg, admin, order, order_number(reg, admin, order, "revision"),
                              "{\"bookings\":[{\"kind\":\"fax\"}]}"));

  /* Her to-do list: the open contact order and both bookings, by date; the
   * work order is no to-do item. */
  CHECK_OK(kt_todo(&cursor, reg, tina));
  CHECK_OK(kt_cursor_total(&total, cursor));
  CHECK(total == 3);
  texts(cursor, "text", found, sizeof found);
  CHECK(strcmp(found, "Ring Lisa|Offert kyl|M\xC3\xB6te") == 0);
  CHECK_OK(kt_todo(&cursor, reg, tina));
  CHECK_OK(kt_cursor_next(&json, cursor));
  CHECK_CONTAINS(json, "{\"when\":\"2026-01-05T07:00:00.000000Z\",\"order\":1,\"booking\":");
  kt_string_free(json);
  CHECK_OK(kt_cursor_next(&json, cursor));
  CHECK_CONTAINS(json, "\"order\":1,\"booking\":0,\"text\":\"Offert kyl\"");
  kt_string_free(json);
  kt_cursor_free(cursor);
  CHECK_OK(kt_todo(&cursor, reg, olle));
  CHECK(count_items(cursor) == 0);

  /* Due at a moment: hers; an administrator sees everyone's. */
  CHECK_OK(kt_due_reminders(&cursor, reg, tina, "2026-01-06"));
  CHECK_OK(kt_cursor_remaining(&json, cursor));
  CHECK_CONTAINS(json, "[{\"order\":1,\"booking\":{\"id\":");
  CHECK_CONTAINS(json, "\"text\":\"Ring Lisa\",\"done\":false,\"reminded\":false},\"activity\":null}]");
  kt_string_free(json);
  kt_cursor_free(cursor);
  CHECK_OK(kt_due_reminders(&cursor, reg, tina, "2026-03-01T00:00:00Z"));
  CHECK(count_items(cursor) == 2);
  CHECK_OK(kt_due_reminders(&cursor, reg, admin, "2026-03-01T00:00:00.5Z"));
  CHECK(count_items(cursor) == 2);
  CHECK_OK(kt_due_reminders(&cursor, reg, olle, "2026-03-01"));
  CHECK(count_items(cursor) == 0);
  CHECK_OK(kt_due_reminders(&cursor, reg, tina, "2026-01-01"));
  CHECK(count_items(cursor) == 0);
  CHECK_FAILS(KT_INVALID, "now", "", kt_due_reminders(&cursor, reg, tina, "tomorrow"));
  CHECK(cursor == NULL);
  CHECK_FAILS(KT_MISUSE, "", "now is NULL", kt_due_reminders(&cursor, reg, tina, NULL));

  /* Raised once: a "reminder" for the booking due, none for the other,
   * none the second time. */
  CHECK(notifications_of_kind(reg, tina, "reminder") == 0);
  CHECK_OK(kt_reminders_raise(reg, admin));
  CHECK(notifications_of_kind(reg, tina, "reminder") == 1);
  CHECK_OK(kt_reminders_raise(reg, admin));
  CHECK(notifications_of_kind(reg, tina, "reminder") == 1);
  json = order_json(reg, admin, order);
  CHECK_CONTAINS(json, "\"text\":\"Ring Lisa\",\"done\":false,\"reminded\":true}");
  CHECK_CONTAINS(json, "\"text\":\"M\xC3\xB6te\",\"done\":false,\"reminded\":false}");
  booking = first_item_id(json, "bookings");
  kt_string_free(json);
  CHECK_RC(KT_PERMISSION_DENIED, kt_reminders_raise(reg, tina));

  /* Done, a booking leaves the to-do list and is no longer due. */
  snprintf(patch, sizeof patch,
           "{\"bookings\":[{\"id\":%llu,\"kind\":\"phone\",\"when\":\"2026-01-05T07:00:00Z\",\"user\":%llu,"
           "\"text\":\"Ring Lisa\",\"done\":true,\"reminded\":true},"
           "{\"id\":%llu,\"kind\":\"meeting\",\"when\":\"2026-02-02T10:00:00Z\",\"user\":%llu,\"text\":\"M\xC3\xB6te\"}]}",
           (unsigned long long)booking, (unsigned long long)tina, (unsigned long long)booking + 1,
           (unsigned long long)tina);
  CHECK_OK(kt_order_update(reg, admin, order, order_number(reg, admin, order, "revision"), patch));
  CHECK_OK(kt_todo(&cursor, reg, tina));
  texts(cursor, "text", found, sizeof found);
  CHECK(strcmp(found, "Offert kyl|M\xC3\xB6te") == 0);
  CHECK_OK(kt_due_reminders(&cursor, reg, tina, "2026-03-01"));
  CHECK(count_items(cursor) == 1);

  CHECK_RC(KT_MISUSE, kt_todo(NULL, reg, tina));
  CHECK_RC(KT_MISUSE, kt_todo(&cursor, NULL, tina));
  CHECK_RC(KT_MISUSE, kt_due_reminders(NULL, reg, tina, "2026-01-01"));
  CHECK_RC(KT_MISUSE, kt_due_reminders(&cursor, NULL, tina, "2026-01-01"));
  CHECK_RC(KT_MISUSE, kt_reminders_raise(NULL, admin));
  CHECK_RC(KT_PERMISSION_DENIED, kt_todo(&cursor, reg, 99));
  kt_register_free(reg);
}

/* Work orders go to contacts flagged "send work orders", service protocols
 * to those flagged "send service protocol"; flagged contacts without an
 * e-mail address are listed apart. */
static void recipients_of_work_and_service_orders(void) {
  int64_t clock;
  uint64_t admin, contact = 0, work, service, quotation;
  kt_register *reg = test_register(&clock, &admin);
  char *json = NULL;

  add_customer(reg, admin, "{\"number\":\"1001\",\"name\":\"Ek AB\"}");
  CHECK_OK(kt_contact_create(&contact, reg, admin, "{\"first_name\":\"Lisa\",\"last_name\":\"Kvist\",\"email\":\"lisa@ek.se\"}"));
  CHECK_OK(kt_contact_create(&contact, reg, admin, "{\"first_name\":\"Per\",\"last_name\":\"Ek\"}"));
  CHECK_OK(kt_contact_create(&contact, reg, admin, "{\"first_name\":\"Eva\",\"last_name\":\"Ljung\",\"email\":\"eva@ek.se\"}"));
  CHECK_OK(kt_contact_create(&contact, reg, admin, "{\"first_name\":\"Bo\",\"last_name\":\"Tyst\",\"email\":\"bo@ek.se\"}"));
  CHECK_OK(kt_contact_link(reg, admin, "{\"contact\":1,\"customer\":1,\"send_work_orders\":true}"));
  CHECK_OK(kt_contact_link(reg, admin, "{\"contact\":2,\"customer\":1,\"send_work_orders\":true,\"send_service_protocol\":true}"));
  CHECK_OK(kt_contact_link(reg, admin, "{\"contact\":3,\"customer\":1,\"send_service_protocol\":true}"));
  CHECK_OK(kt_contact_link(reg, admin, "{\"contact\":4,\"customer\":1}"));
  work = add_order(reg, admin, "{\"customer\":1,\"subject\":\"Arbete\",\"contact\":4}");
  service = add_order(reg, admin, "{\"kind\":\"service_order\",\"customer\":1,\"subject\":\"Service\"}");
  quotation = add_order(reg, admin, "{\"kind\":\"quotation\",\"customer\":1,\"subject\":\"Offert\"}");

  CHECK_OK(kt_order_recipients(&json, reg, admin, work));
  CHECK_CONTAINS(json, "{\"to\":[{\"contact\":1,\"name\":\"");
  CHECK_CONTAINS(json, "\"email\":\"lisa@ek.se\"}],\"without_email\":[{\"contact\":2,");
  CHECK(!strstr(json, "eva@ek.se") && !strstr(json, "bo@ek.se"));
  kt_string_free(json);
  CHECK_OK(kt_order_recipients(&json, reg, admin, service));
  CHECK_CONTAINS(json, "{\"to\":[{\"contact\":3,");
  CHECK_CONTAINS(json, "\"email\":\"eva@ek.se\"}],\"without_email\":[{\"contact\":2,");
  CHECK(!strstr(json, "lisa@ek.se"));
  kt_string_free(json);
  CHECK_FAILS(KT_INVALID, "kind", "only work orders and service orders", kt_order_recipients(&json, reg, admin, quotation));
  CHECK(json == NULL);
  CHECK_RC(KT_NOT_FOUND, kt_order_recipients(&json, reg, admin, 99));
  CHECK_RC(KT_MISUSE, kt_order_recipients(NULL, reg, admin, work));
  CHECK_RC(KT_MISUSE, kt_order_recipients(&json, NULL, admin, work));

  /* A contact an order names is not deleted. */
  CHECK_RC(KT_CONFLICT, kt_contact_delete(reg, admin, 4));
  kt_register_free(reg);
}

/* The catalogue: administrators keep it; lines naming an article take its
 * name, unit, price and time flag. */
static void article_catalogue(void) {
  int64_t clock;
  uint64_t admin, tina, article = 0, filter = 0, other = 0, order;
  kt_register *reg = test_register(&clock, &admin);
  kt_cursor *cursor = NULL;
  char found[256], *json = NULL;

  tina = add_staff(reg, admin, "tina", "Tina");
  CHECK_OK(kt_article_create(&article, reg, admin,
                             "{\"number\":\"T1\",\"name\":\"Arbetstid\",\"unit\":\"h\",\"price\":650,\"time_article\":true}"));
  CHECK(article == 1);
  CHECK_OK(kt_article_create(&filter, reg, admin, "{\"number\":\"F-20\",\"name\":\"Filter\",\"unit\":\"st\",\"price\":129.5}"));
  CHECK_FAILS(KT_CONFLICT, "", "", kt_article_create(&other, reg, admin, "{\"number\":\"t1\",\"name\":\"Copy\"}"));
  CHECK(other == 0);
  CHECK_RC(KT_PERMISSION_DENIED, kt_article_create(&other, reg, tina, "{\"number\":\"X\",\"name\":\"X\"}"));
  CHECK_FAILS(KT_INVALID, "price", "a number", kt_article_create(&other, reg, admin, "{\"number\":\"X\",\"price\":\"dear\"}"));

  CHECK_OK(kt_article_get_by_number(&json, reg, tina, "t1"));
  CHECK_CONTAINS(json, "{\"id\":1,\"number\":\"T1\",\"name\":\"Arbetstid\",\"unit\":\"h\",\"price\":650.0,"
                       "\"time_article\":true,\"created_at\":\"2026-01-05T08:00:");
  CHECK(json_number(json, "revision") == 1);
  kt_string_free(json);
  CHECK_FAILS(KT_NOT_FOUND, "", "Z9", kt_article_get_by_number(&json, reg, admin, "Z9"));
  CHECK_FAILS(KT_MISUSE, "", "number is NULL", kt_article_get_by_number(&json, reg, admin, NULL));

  /* The list goes by number. */
  CHECK_OK(kt_article_list(&cursor, reg, tina));
  texts(cursor, "number", found, sizeof found);
  CHECK(strcmp(found, "F-20|T1") == 0);

  /* Update: a patch on a revision. */
  CHECK_OK(kt_article_update(reg, admin, article, 1, "{\"price\":700}"));
  CHECK_FAILS(KT_CONFLICT, "", "revision 1, now 2", kt_article_update(reg, admin, article, 1, "{\"price\":710}"));
  CHECK_FAILS(KT_INVALID, "id", "differs", kt_article_update(reg, admin, article, 2, "{\"id\":2}"));
  CHECK_RC(KT_CONFLICT, kt_article_update(reg, admin, article, 2, "{\"number\":\"f-20\"}"));
  CHECK_RC(KT_PERMISSION_DENIED, kt_article_update(reg, tina, article, 2, "{\"price\":1}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "article 9", kt_article_update(reg, admin, 9, 1, "{}"));
  CHECK_OK(kt_article_get_by_number(&json, reg, admin, "T1"));
  CHECK_CONTAINS(json, "\"price\":700.0");
  CHECK(json_number(json, "revision") == 2);
  kt_string_free(json);

  /* A line naming it takes what it leaves empty. */
  add_customer(reg, admin, "{\"number\":\"1001\",\"name\":\"Ek AB\"}");
  order = add_order(reg, admin, "{\"customer\":1,\"subject\":\"Service\","
                                "\"lines\":[{\"article_number\":\"T1\",\"hours\":2}]}");
  json = order_json(reg, admin, order);
  CHECK_CONTAINS(json, "\"article_number\":\"T1\",\"description\":\"Arbetstid\",\"quantity\":1.0,\"unit\":\"h\","
                       "\"price\":700.0,\"time_article\":true,\"hours\":2.0,\"date\":\"2026-01-05T08:00:");
  kt_string_free(json);

  CHECK_RC(KT_PERMISSION_DENIED, kt_article_delete(reg, tina, filter));
  CHECK_OK(kt_article_delete(reg, admin, filter));
  CHECK_FAILS(KT_NOT_FOUND, "", "article 2", kt_article_delete(reg, admin, filter));
  CHECK_OK(kt_article_list(&cursor, reg, admin));
  CHECK(count_items(cursor) == 1);

  CHECK_RC(KT_MISUSE, kt_article_create(NULL, reg, admin, "{}"));
  CHECK_RC(KT_MISUSE, kt_article_create(&other, NULL, admin, "{}"));
  CHECK_RC(KT_MISUSE, kt_article_update(NULL, admin, article, 2, "{}"));
  CHECK_RC(KT_MISUSE, kt_article_delete(NULL, admin, article));
  CHECK_RC(KT_MISUSE, kt_article_list(NULL, reg, admin));
  CHECK_RC(KT_MISUSE, kt_article_list(&cursor, NULL, admin));
  CHECK_RC(KT_MISUSE, kt_article_get_by_number(NULL, reg, admin, "T1"));
  kt_register_free(reg);
}

/* A customer user sees his customer's orders and files error reports for
 * it, nothing else. */
static void customer_users_file_error_reports(void) {
  int64_t clock;
  uint64_t admin, contact = 0, portal = 0, report = 0, id = 0;
  kt_register *reg = test_register(&clock, &admin);
  kt_cursor *cursor = NULL;
  char *json = NULL;
  size_t total = 0;

  add_customer(reg, admin, "{\"number\":\"1001\",\"name\":\"Ek AB\"}");
  add_customer(reg, admin, "{\"number\":\"1002\",\"name\":\"Ask AB\"}");
  CHECK_OK(kt_contact_create(&contact, reg, admin, "{\"first_name\":\"Lisa\",\"last_name\":\"Kvist\"}"));
  CHECK_OK(kt_contact_link(reg, admin, "{\"contact\":1,\"customer\":1}"));
  CHECK_OK(kt_customer_user_create(&portal, reg, admin, 1, contact, "lisa"));
  add_order(reg, admin, "{\"customer\":1,\"subject\":\"Theirs\"}");
  add_order(reg, admin, "{\"kind\":\"contact_order\",\"customer\":1,\"subject\":\"Internal\"}");
  add_order(reg, admin, "{\"customer\":2,\"subject\":\"Another's\"}");

  CHECK_OK(kt_order_create(&report, reg, portal, "{\"kind\":\"error_report\",\"customer\":1,\"subject\":\"Larmet tjuter\"}"));
  json = order_json(reg, admin, report);
  CHECK_CONTAINS(json, "\"kind\":\"error_report\",\"number\":1,\"customer\":1");
  CHECK(json_number(json, "created_by") == portal);
  kt_string_free(json);
  CHECK_RC(KT_PERMISSION_DENIED, kt_order_create(&id, reg, portal, "{\"customer\":1,\"subject\":\"Work\"}"));
  CHECK(kt_order_create(&id, reg, portal, "{\"kind\":\"error_report\",\"customer\":2,\"subject\":\"X\"}") < 0);
  CHECK_RC(KT_PERMISSION_DENIED, kt_order_add_note(reg, portal, report, "More"));

  /* He sees his customer's orders but its contact orders. */
  CHECK_OK(kt_order_search(&cursor, reg, portal, NULL));
  CHECK_OK(kt_cursor_total(&total, cursor));
  CHECK(total == 2);
  kt_cursor_free(cursor);
  CHECK_RC(KT_NOT_FOUND, kt_order_get(&json, reg, portal, 2));
  CHECK_RC(KT_NOT_FOUND, kt_order_get(&json, reg, portal, 3));
  kt_register_free(reg);
}

int main(void) {
  create_number_and_get();
  update_notes_time_files_close_and_reopen();
  assignment_and_notifications();
  contact_orders_and_sales_orders();
  search_filters_sorts_pages_and_favourites();
  todo_bookings_and_reminders();
  recipients_of_work_and_service_orders();
  article_catalogue();
  customer_users_file_error_reports();
  return test_exit("orders");
}
