/* tests/c/basics_test.c: versions, status codes, the last error, returned
 * memory, register options, making and freeing registers, the first
 * administrator, counts and the state dump, and misuse of handles (NULL,
 * freed twice, of another kind). */
#include "test_support.h"

static void versions_agree_with_the_header(void) {
  CHECK(strcmp(kt_version(), KT_VERSION_STRING) == 0);
  CHECK(kt_abi_version() == KT_ABI_VERSION);
}

static void every_status_has_a_name(void) {
  CHECK(strcmp(kt_status_name(KT_OK), "KT_OK") == 0);
  CHECK(strcmp(kt_status_name(KT_DONE), "KT_DONE") == 0);
  CHECK(strcmp(kt_status_name(KT_NOT_FOUND), "KT_NOT_FOUND") == 0);
  CHECK(strcmp(kt_status_name(KT_PERMISSION_DENIED), "KT_PERMISSION_DENIED") == 0);
  CHECK(strcmp(kt_status_name(KT_INVALID), "KT_INVALID") == 0);
  CHECK(strcmp(kt_status_name(KT_CONFLICT), "KT_CONFLICT") == 0);
  CHECK(strcmp(kt_status_name(KT_CORRUPT), "KT_CORRUPT") == 0);
  CHECK(strcmp(kt_status_name(KT_IO), "KT_IO") == 0);
  CHECK(strcmp(kt_status_name(KT_NOMEM), "KT_NOMEM") == 0);
  CHECK(strcmp(kt_status_name(KT_MISUSE), "KT_MISUSE") == 0);
  CHECK(strcmp(kt_status_name(KT_INTERNAL), "KT_INTERNAL") == 0);
  CHECK(strcmp(kt_status_name(42), "KT_UNKNOWN") == 0);
  CHECK(strcmp(kt_status_name(-100), "KT_UNKNOWN") == 0);
}

static void freeing_null_is_a_harmless_no_op(void) {
  kt_error_clear();
  kt_string_free(NULL);
  kt_buffer_free(NULL);
  kt_register_free(NULL);
  kt_register_options_free(NULL);
  kt_cursor_free(NULL);
  kt_customer_query_free(NULL);
  kt_contact_query_free(NULL);
  kt_history_query_free(NULL);
  CHECK(kt_error_code() == KT_OK);
  CHECK(strcmp(kt_error_message(), "") == 0);
  CHECK(strcmp(kt_error_field(), "") == 0);
}

static void a_success_clears_the_last_error_and_clear_resets_it(void) {
  kt_register *reg = NULL;
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_register_new(NULL));
  CHECK(kt_error_code() == KT_MISUSE);
  CHECK_OK(kt_register_new(&reg));
  CHECK(kt_error_code() == KT_OK);
  CHECK(strcmp(kt_error_message(), "") == 0);
  CHECK_RC(KT_MISUSE, kt_register_new_with_options(NULL, NULL));
  kt_error_clear();
  CHECK(kt_error_code() == KT_OK);
  CHECK(strcmp(kt_error_message(), "") == 0);
  kt_register_free(reg);
}

static void options_refuse_bad_settings_and_misuse(void) {
  kt_register_options *options = NULL;
  kt_register *reg = (kt_register *)&options; /* junk: must be overwritten with NULL */
  int64_t clock = TEST_CLOCK_START;

  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_register_options_new(NULL));
  CHECK_FAILS(KT_MISUSE, "", "options is NULL", kt_register_options_set_settings(NULL, "{}"));
  CHECK_FAILS(KT_MISUSE, "", "options is NULL", kt_register_options_set_clock(NULL, test_clock, &clock));
  REQUIRE(kt_register_options_new(&options) == KT_OK);
  CHECK_FAILS(KT_MISUSE, "", "json is NULL", kt_register_options_set_settings(options, NULL));
  CHECK_FAILS(KT_INVALID, "json", "json", kt_register_options_set_settings(options, "{\"locale\":"));
  CHECK_FAILS(KT_INVALID, "json", "UTF-8", kt_register_options_set_settings(options, "{\"locale\":\"\xC3\x28\"}"));
  CHECK_FAILS(KT_INVALID, "colour", "unknown field", kt_register_options_set_settings(options, "{\"colour\":1}"));
  CHECK_FAILS(KT_INVALID, "auto_number", "true or false",
              kt_register_options_set_settings(options, "{\"auto_number\":\"yes\"}"));
  CHECK_FAILS(KT_INVALID, "", "an object", kt_register_options_set_settings(options, "[1,2]"));
  CHECK_OK(kt_register_options_set_clock(options, NULL, NULL));

  /* An unknown locale is refused when the register is made. */
  CHECK_OK(kt_register_options_set_settings(options, "{\"locale\":\"xx-bogus-locale\"}"));
  CHECK_FAILS(KT_INVALID, "locale", "locale", kt_register_new_with_options(&reg, options));
  CHECK(reg == NULL);

  /* A settings patch keeps the members it does not name. */
  CHECK_OK(kt_register_options_set_settings(options, "{\"locale\":\"da\",\"auto_number\":true}"));
  CHECK_OK(kt_register_options_set_settings(options, "{\"number_prefix\":\"K\"}"));
  CHECK_OK(kt_register_options_set_clock(options, test_clock, &clock));
  CHECK_OK(kt_register_new_with_options(&reg, options));
  kt_register_options_free(options); /* the register does not need the options */
  {
    uint64_t admin = 0, customer = 0;
    char *settings = NULL, *json = NULL;
    CHECK_OK(kt_register_create_first_administrator(&admin, reg, "admin", "Ada Admin"));
    CHECK_OK(kt_settings_get(&settings, reg, admin));
    CHECK_CONTAINS(settings, "\"locale\":\"da\"");
    CHECK_CONTAINS(settings, "\"auto_number\":true");
    CHECK_CONTAINS(settings, "\"number_prefix\":\"K\"");
    kt_string_free(settings);
    CHECK_OK(kt_customer_create(&customer, reg, admin, "{\"name\":\"Numbered\"}"));
    CHECK_OK(kt_customer_get(&json, reg, admin, customer));
    CHECK_CONTAINS(json, "\"number\":\"K1\"");
    /* The clock given in the options stamps the records. */
    CHECK_CONTAINS(json, "\"created_at\":\"2026-01-05T08:00:02.000000Z\"");
    kt_string_free(json);
  }
  kt_register_free(reg);

  /* Without options: the defaults. */
  CHECK_OK(kt_register_new_with_options(&reg, NULL));
  {
    uint64_t admin = 0;
    char *settings = NULL;
    CHECK_OK(kt_register_create_first_administrator(&admin, reg, "admin", "Ada Admin"));
    CHECK_OK(kt_settings_get(&settings, reg, admin));
    CHECK_CONTAINS(settings, "\"locale\":\"sv\"");
    kt_string_free(settings);
  }
  kt_register_free(reg);
}

static void freeing_twice_is_detected_without_touching_memory(void) {
  kt_register *reg = NULL;
  kt_register_options *options = NULL;
  kt_customer_query *customers = NULL;
  kt_contact_query *contacts = NULL;
  kt_history_query *history = NULL;
  kt_cursor *cursor = NULL;
  uint64_t admin = 0;
  char *json = NULL;

  REQUIRE(kt_register_new(&reg) == KT_OK);
  REQUIRE(kt_register_create_first_administrator(&admin, reg, "admin", "Ada Admin") == KT_OK);
  REQUIRE(kt_user_list(&cursor, reg, admin) == KT_OK);
  REQUIRE(kt_register_options_new(&options) == KT_OK);
  REQUIRE(kt_customer_query_new(&customers) == KT_OK);
  REQUIRE(kt_contact_query_new(&contacts) == KT_OK);
  REQUIRE(kt_history_query_new(&history) == KT_OK);

  kt_error_clear();
  kt_register_free(reg);
  CHECK(kt_error_code() == KT_OK);
  kt_register_free(reg);
  CHECK(kt_error_code() == KT_MISUSE);
  CHECK_CONTAINS(kt_error_message(), "kt_register_free");
  CHECK_CONTAINS(kt_error_message(), "not a live kt_register");

  /* Using the freed register is refused, not a crash. */
  CHECK_FAILS(KT_MISUSE, "", "reg is not a live kt_register", kt_customer_get(&json, reg, admin, 1));
  CHECK(json == NULL);
  CHECK_RC(KT_MISUSE, kt_register_create_first_administrator(&admin, reg, "x", "y"));

  /* The cursor holds copies: it outlives its register. */
  {
    char *user = NULL;
    CHECK_OK(kt_cursor_next(&user, cursor));
    CHECK_CONTAINS(user, "\"login\":\"admin\"");
    kt_string_free(user);
  }

  kt_cursor_free(cursor);
  kt_error_clear();
  kt_cursor_free(cursor);
  CHECK(kt_error_code() == KT_MISUSE);
  CHECK_CONTAINS(kt_error_message(), "kt_cursor_free");
  CHECK_FAILS(KT_MISUSE, "", "cursor is not a live kt_cursor", kt_cursor_next(&json, cursor));

  kt_register_options_free(options);
  kt_error_clear();
  kt_register_options_free(options);
  CHECK(kt_error_code() == KT_MISUSE);
  CHECK_RC(KT_MISUSE, kt_register_options_set_clock(options, NULL, NULL));

  kt_customer_query_free(customers);
  kt_error_clear();
  kt_customer_query_free(customers);
  CHECK(kt_error_code() == KT_MISUSE);
  CHECK_RC(KT_MISUSE, kt_customer_query_set_text(customers, "x"));

  kt_contact_query_free(contacts);
  kt_error_clear();
  kt_contact_query_free(contacts);
  CHECK(kt_error_code() == KT_MISUSE);

  kt_history_query_free(history);
  kt_error_clear();
  kt_history_query_free(history);
  CHECK(kt_error_code() == KT_MISUSE);
}

static void a_handle_of_another_kind_is_refused(void) {
  kt_customer_query *query = NULL;
  kt_register *reg = NULL;
  char *json = NULL;
  int not_a_handle = 0;

  REQUIRE(kt_customer_query_new(&query) == KT_OK);
  REQUIRE(kt_register_new(&reg) == KT_OK);
  /* A query where a register belongs, and the reverse. */
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_register", kt_customer_get(&json, (kt_register *)query, 1, 1));
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_customer_query",
              kt_customer_query_set_text((kt_customer_query *)reg, "x"));
  /* Freeing through the wrong function leaves both alone. */
  kt_error_clear();
  kt_register_free((kt_register *)query);
  CHECK(kt_error_code() == KT_MISUSE);
  kt_cursor_free((kt_cursor *)&not_a_handle);
  CHECK(kt_error_code() == KT_MISUSE);
  CHECK_OK(kt_customer_query_set_text(query, "still alive"));
  kt_customer_query_free(query);
  kt_register_free(reg);
}

static void null_arguments_are_misuse(void) {
  kt_register *reg = NULL;
  uint64_t admin = 0;
  uint64_t id = 77;
  size_t total = 5;
  char *json = (char *)"junk";
  kt_cursor *cursor = (kt_cursor *)&admin;

  REQUIRE(kt_register_new(&reg) == KT_OK);
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_register_create_first_administrator(NULL, reg, "a", "b"));
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_register_create_first_administrator(&id, NULL, "a", "b"));
  CHECK(id == 0); /* out-parameters are cleared on failure */
  CHECK_FAILS(KT_MISUSE, "", "login is NULL", kt_register_create_first_administrator(&id, reg, NULL, "b"));
  CHECK_FAILS(KT_MISUSE, "", "name is NULL", kt_register_create_first_administrator(&id, reg, "a", NULL));
  CHECK_OK(kt_register_create_first_administrator(&admin, reg, "admin", "Ada Admin"));

  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_customer_get(NULL, reg, admin, 1));
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_customer_get(&json, NULL, admin, 1));
  CHECK(json == NULL);
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_customer_search(NULL, reg, admin, NULL));
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_customer_search(&cursor, NULL, admin, NULL));
  CHECK(cursor == NULL);
  CHECK_FAILS(KT_MISUSE, "", "json is NULL", kt_customer_create(&id, reg, admin, NULL));
  CHECK_FAILS(KT_MISUSE, "", "json is NULL", kt_customer_update(reg, admin, 1, 1, NULL));
  CHECK_FAILS(KT_MISUSE, "", "number is NULL", kt_customer_get_by_number(&json, reg, admin, NULL));
  CHECK_FAILS(KT_MISUSE, "", "cursor is NULL", kt_cursor_next(&json, NULL));
  CHECK_FAILS(KT_MISUSE, "", "cursor is NULL", kt_cursor_total(&total, NULL));
  CHECK(total == 0);
  CHECK_FAILS(KT_MISUSE, "", "cursor is NULL", kt_cursor_remaining(&json, NULL));
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_register_counts(&json, NULL));
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_register_counts(NULL, reg));
  kt_register_free(reg);
}

static void the_first_administrator_comes_once(void) {
  kt_register *reg = NULL;
  uint64_t admin = 0, again = 5;
  char *json = NULL;

  REQUIRE(kt_register_new(&reg) == KT_OK);
  /* No users yet: nobody can read. */
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "unknown user 1", kt_settings_get(&json, reg, 1));
  CHECK_FAILS(KT_INVALID, "login", "required", kt_register_create_first_administrator(&admin, reg, "  ", "Ada"));
  CHECK_FAILS(KT_INVALID, "login", "UTF-8", kt_register_create_first_administrator(&admin, reg, "\xFF", "Ada"));
  CHECK_FAILS(KT_INVALID, "name", "UTF-8", kt_register_create_first_administrator(&admin, reg, "ada", "\xED\xA0\x80"));
  CHECK_FAILS(KT_INVALID, "login", "spaces", kt_register_create_first_administrator(&admin, reg, "a b", "Ada"));
  CHECK_OK(kt_register_create_first_administrator(&admin, reg, "ada", "Ada Admin"));
  CHECK(admin == 1);
  CHECK_FAILS(KT_CONFLICT, "", "already has users", kt_register_create_first_administrator(&again, reg, "bo", "Bo"));
  CHECK(again == 0);
  CHECK_OK(kt_user_get(&json, reg, admin, admin));
  CHECK_CONTAINS(json, "\"administrator\":true");
  kt_string_free(json);
  kt_register_free(reg);
}

static void counts_and_state(void) {
  int64_t clock_a, clock_b;
  uint64_t admin_a, admin_b, id = 0;
  kt_register *a = test_register(&clock_a, &admin_a);
  kt_register *b = test_register(&clock_b, &admin_b);
  unsigned char *state_a = NULL, *state_b = NULL, *after = NULL;
  size_t size_a = 0, size_b = 1, size_after = 0;
  char *counts = NULL;

  CHECK_OK(kt_customer_create(&id, a, admin_a, "{\"number\":\"1\",\"name\":\"Ek AB\"}"));
  CHECK_OK(kt_customer_create(&id, b, admin_b, "{\"number\":\"1\",\"name\":\"Ek AB\"}"));
  CHECK_OK(kt_register_counts(&counts, a));
  CHECK(strcmp(counts, "{\"customers\":1,\"contacts\":0,\"facilities\":0,\"service_objects\":0,"
                       "\"users\":1,\"history_entries\":2,\"orders\":0,\"activities\":0}") == 0);
  kt_string_free(counts);

  /* Equal registers dump equal bytes. */
  CHECK_OK(kt_register_state(&state_a, &size_a, a));
  CHECK_OK(kt_register_state(&state_b, &size_b, b));
  CHECK(size_a > 0 && size_a == size_b);
  CHECK(memcmp(state_a, state_b, size_a) == 0);

  /* A refused command leaves the register exactly as it was. */
  CHECK_RC(KT_CONFLICT, kt_customer_create(&id, a, admin_a, "{\"number\":\"1\",\"name\":\"Again\"}"));
  CHECK_RC(KT_INVALID, kt_customer_create(&id, a, admin_a, "{\"number\":\"2\",\"name\":\"\"}"));
  CHECK_OK(kt_register_state(&after, &size_after, a));
  CHECK(size_after == size_a && memcmp(after, state_a, size_a) == 0);
  kt_buffer_free(after);

  CHECK_FAILS(KT_MISUSE, "", "out_size is NULL", kt_register_state(&after, NULL, a));
  CHECK(after == NULL);
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_register_state(NULL, &size_after, a));
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_register_state(&after, &size_after, NULL));
  CHECK(size_after == 0);

  kt_buffer_free(state_a);
  kt_buffer_free(state_b);
  kt_register_free(a);
  kt_register_free(b);
}

static void an_unknown_or_deactivated_actor_is_refused(void) {
  int64_t clock;
  uint64_t admin, staff = 0, id = 0;
  kt_register *reg = test_register(&clock, &admin);
  kt_cursor *cursor = NULL;
  char *json = NULL;

  CHECK_OK(kt_user_create(&staff, reg, admin, "{\"login\":\"tekla\",\"name\":\"Tekla\"," KT_TEST_ALL_RIGHTS "}"));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "unknown user 0",
              kt_customer_create(&id, reg, 0, "{\"number\":\"1\",\"name\":\"X\"}"));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "unknown user 99", kt_customer_get(&json, reg, 99, 1));
  CHECK(json == NULL);
  CHECK_OK(kt_user_update(reg, admin, staff, 1, "{\"active\":false}"));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "deactivated", kt_customer_search(&cursor, reg, staff, NULL));
  CHECK(cursor == NULL);
  kt_register_free(reg);
}

int main(void) {
  versions_agree_with_the_header();
  every_status_has_a_name();
  freeing_null_is_a_harmless_no_op();
  a_success_clears_the_last_error_and_clear_resets_it();
  options_refuse_bad_settings_and_misuse();
  freeing_twice_is_detected_without_touching_memory();
  a_handle_of_another_kind_is_refused();
  null_arguments_are_misuse();
  the_first_administrator_comes_once();
  counts_and_state();
  an_unknown_or_deactivated_actor_is_refused();
  return test_exit("basics");
}
