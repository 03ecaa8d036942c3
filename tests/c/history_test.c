/* tests/c/history_test.c: the history of one record and of all records,
 * within time ranges. The test clock makes each command one second later
 * than the one before, from 2026-01-05T08:00:01Z on. */
#include "test_support.h"

static size_t entries(kt_register *reg, uint64_t actor, const kt_history_query *query, char **first) {
  kt_cursor *cursor = NULL;
  size_t n = 0;
  char *item = NULL;
  if (first) *first = NULL;
  CHECK_OK(kt_history(&cursor, reg, actor, query));
  while (kt_cursor_next(&item, cursor) == KT_OK) {
    if (n == 0 && first) *first = item;
    else kt_string_free(item);
    ++n;
  }
  kt_cursor_free(cursor);
  return n;
}

static void history_of_a_record_and_of_all(void) {
  int64_t clock;
  uint64_t admin, customer = 0, contact = 0;
  kt_register *reg = test_register(&clock, &admin);              /* 08:00:01 */
  kt_history_query *q = NULL;
  char *first = NULL;

  CHECK_OK(kt_customer_create(&customer, reg, admin, "{\"number\":\"1\",\"name\":\"Ek AB\"}")); /* :02 */
  CHECK_OK(kt_customer_update(reg, admin, customer, 1, "{\"name\":\"Ek & Ask AB\",\"phone\":\"1\"}")); /* :03 */
  CHECK_OK(kt_contact_create(&contact, reg, admin, "{\"last_name\":\"Kvist\"}")); /* :04 */
  CHECK_OK(kt_contact_link(reg, admin, "{\"contact\":1,\"customer\":1}")); /* :05 */
  CHECK_OK(kt_settings_update(reg, admin, "{\"number_max_length\":10}")); /* :06 */

  /* Everything, oldest first: the administrator's creation comes first. */
  CHECK(entries(reg, admin, NULL, &first) == 8);
  CHECK_CONTAINS(first, "{\"sequence\":1,\"change\":1,\"at\":\"2026-01-05T08:00:01.000000Z\",\"actor\":1,"
                        "\"source\":\"system\",\"record\":{\"kind\":\"user\",\"id\":1},\"action\":\"created\"");
  kt_string_free(first);

  REQUIRE(kt_history_query_new(&q) == KT_OK);
  CHECK(entries(reg, admin, q, NULL) == 8); /* a new query asks for everything */

  /* One record: created, two changed fields, linked. */
  CHECK_OK(kt_history_query_set_record(q, "customer", customer));
  CHECK(entries(reg, admin, q, &first) == 4);
  CHECK_CONTAINS(first, "\"action\":\"created\",\"field\":\"\",\"old_value\":null,\"new_value\":{\"id\":1,");
  kt_string_free(first);
  CHECK_OK(kt_history_query_set_record(q, "contact", contact));
  CHECK(entries(reg, admin, q, NULL) == 2);
  CHECK_OK(kt_history_query_set_record(q, "settings", 1));
  CHECK(entries(reg, admin, q, &first) == 1);
  CHECK_CONTAINS(first, "\"field\":\"number_max_length\",\"old_value\":20,\"new_value\":10");
  kt_string_free(first);
  CHECK_OK(kt_history_query_set_record(q, "facility", 1));
  CHECK(entries(reg, admin, q, NULL) == 0);
  CHECK_FAILS(KT_INVALID, "kind", "customer, contact, facility, service_object, user, settings, user_group, order, article",
              kt_history_query_set_record(q, "invoice", 1));
  CHECK_FAILS(KT_INVALID, "kind", "UTF-8", kt_history_query_set_record(q, "\xE0\x80\x80", 1));

  /* Time ranges: [from, to). */
  CHECK_OK(kt_history_query_set_record(q, "customer", customer));
  CHECK_OK(kt_history_query_set_from(q, "2026-01-05T08:00:03Z"));
  CHECK(entries(reg, admin, q, &first) == 3);
  CHECK_CONTAINS(first, "\"action\":\"changed\",\"field\":\"name\",\"old_value\":\"Ek AB\",\"new_value\":\"Ek & Ask AB\"");
  kt_string_free(first);
  CHECK_OK(kt_history_query_set_to(q, "2026-01-05T08:00:05.000000Z"));
  CHECK(entries(reg, admin, q, NULL) == 2);
  CHECK_OK(kt_history_query_set_record(q, NULL, 0)); /* every record again, same range */
  CHECK(entries(reg, admin, q, NULL) == 3);
  CHECK_OK(kt_history_query_set_from(q, NULL));
  CHECK(entries(reg, admin, q, NULL) == 5);
  CHECK_OK(kt_history_query_set_to(q, NULL));
  CHECK_OK(kt_history_query_set_from(q, "2026-01-06"));
  CHECK(entries(reg, admin, q, NULL) == 0);
  CHECK_OK(kt_history_query_set_from(q, "2026-01-05"));
  CHECK(entries(reg, admin, q, NULL) == 8);

  CHECK_FAILS(KT_INVALID, "from", "not a timestamp", kt_history_query_set_from(q, "yesterday"));
  CHECK_FAILS(KT_INVALID, "to", "not a timestamp", kt_history_query_set_to(q, "2026-13-01"));
  CHECK_FAILS(KT_INVALID, "to", "UTF-8", kt_history_query_set_to(q, "2026\xFF"));

  /* Misuse. */
  {
    kt_cursor *cursor = NULL;
    CHECK_FAILS(KT_PERMISSION_DENIED, "", "unknown user 9", kt_history(&cursor, reg, 9, q));
    CHECK(cursor == NULL);
    CHECK_RC(KT_MISUSE, kt_history(NULL, reg, admin, q));
    CHECK_RC(KT_MISUSE, kt_history(&cursor, NULL, admin, q));
  }
  CHECK_RC(KT_MISUSE, kt_history_query_new(NULL));
  CHECK_RC(KT_MISUSE, kt_history_query_set_record(NULL, "customer", 1));
  CHECK_RC(KT_MISUSE, kt_history_query_set_from(NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_history_query_set_to(NULL, NULL));
  kt_history_query_free(q);
  kt_register_free(reg);
}

int main(void) {
  history_of_a_record_and_of_all();
  return test_exit("history");
}
