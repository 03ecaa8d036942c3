/* tests/c/test_support.h: checks and fixtures shared by the C API's tests.
 * Each test program includes it once; a failed check prints where and why
 * (with the library's last error) and the program exits non-zero at the end. */
#ifndef KT_TEST_SUPPORT_H
#define KT_TEST_SUPPORT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartotek.h"

static int test_failures = 0;

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (!(cond)) {                                                           \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
      ++test_failures;                                                       \
    }                                                                        \
  } while (0)

/* CHECK_RC: the call returns `expected`; on a mismatch prints the status and
 * the last error. */
#define CHECK_RC(expected, call)                                                     \
  do {                                                                               \
    int rc_ = (call);                                                                \
    if (rc_ != (expected)) {                                                         \
      fprintf(stderr, "%s:%d: %s\n  returned %s, expected %s\n  last error: %s (field '%s')\n", \
              __FILE__, __LINE__, #call, kt_status_name(rc_), kt_status_name(expected), \
              kt_error_message(), kt_error_field());                                 \
      ++test_failures;                                                               \
    }                                                                                \
  } while (0)

#define CHECK_OK(call) CHECK_RC(KT_OK, call)

/* CHECK_FAILS: the call returns `expected`, and the last error says so, names
 * `field` ("" for none) and has a message containing `words`. */
#define CHECK_FAILS(expected, field, words, call)                                      \
  do {                                                                                 \
    CHECK_RC(expected, call);                                                          \
    CHECK(kt_error_code() == (expected));                                              \
    if (strcmp(kt_error_field(), (field)) != 0) {                                      \
      fprintf(stderr, "%s:%d: field '%s', expected '%s'\n", __FILE__, __LINE__,        \
              kt_error_field(), (field));                                              \
      ++test_failures;                                                                 \
    }                                                                                  \
    if (!strstr(kt_error_message(), (words))) {                                        \
      fprintf(stderr, "%s:%d: message '%s' lacks '%s'\n", __FILE__, __LINE__,          \
              kt_error_message(), (words));                                            \
      ++test_failures;                                                                 \
    }                                                                                  \
  } while (0)

/* REQUIRE: like CHECK, but a failure ends the program (later steps depend on
 * it). */
#define REQUIRE(cond)                                                            \
  do {                                                                           \
    if (!(cond)) {                                                               \
      fprintf(stderr, "%s:%d: REQUIRE(%s) failed; last error: %s\n", __FILE__,   \
              __LINE__, #cond, kt_error_message());                              \
      exit(1);                                                                   \
    }                                                                            \
  } while (0)

#define CHECK_CONTAINS(text, part)                                                     \
  do {                                                                                 \
    const char *t_ = (text);                                                           \
    if (!t_ || !strstr(t_, (part))) {                                                  \
      fprintf(stderr, "%s:%d: '%s' lacks '%s'\n", __FILE__, __LINE__, t_ ? t_ : "(null)", \
              (part));                                                                 \
      ++test_failures;                                                                 \
    }                                                                                  \
  } while (0)

/* test_exit: the program's exit status; prints a summary. */
static inline int test_exit(const char *suite) {
  if (test_failures) {
    fprintf(stderr, "%s: %d check(s) failed\n", suite, test_failures);
    return 1;
  }
  printf("%s: all checks passed\n", suite);
  return 0;
}

/* json_number: the integer after the first `"key":` in compact JSON (the
 * library writes no spaces), or UINT64_MAX when the key is absent or not a
 * number. Top-level keys of a record come before nested ones of the same
 * name only where the schema says so; the tests use it for "id" and
 * "revision", which appear once per record. */
static inline uint64_t json_number(const char *json, const char *key) {
  char pattern[64];
  const char *at;
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  at = json ? strstr(json, pattern) : NULL;
  if (!at) return UINT64_MAX;
  at += strlen(pattern);
  if (*at < '0' || *at > '9') return UINT64_MAX;
  return strtoull(at, NULL, 10);
}

/* kt_test_get_fn: a read of one record as JSON (kt_order_get,
 * kt_activity_get ...). */
typedef int (*kt_test_get_fn)(char **out, kt_register *reg, uint64_t actor, uint64_t id);

/* record_number: json_number(`key`) of the record `get` reads (its
 * "revision", "owner" ...); UINT64_MAX when the read fails. */
static inline uint64_t record_number(kt_test_get_fn get, kt_register *reg, uint64_t actor, uint64_t id,
                                     const char *key) {
  char *json = NULL;
  uint64_t n;
  CHECK_OK(get(&json, reg, actor, id));
  n = json_number(json, key);
  kt_string_free(json);
  return n;
}

/* Every right (kt_rights_all()), as a member of a user's JSON: a staff user
 * who may do everything but what only administrators do. */
#define KT_TEST_ALL_RIGHTS \
  "\"rights\":[" \
  "\"customers.view\",\"customers.view_assigned\",\"customers.edit\"," \
  "\"customers.edit_assigned\",\"customers.create\",\"customers.delete\"," \
  "\"customers.upload\",\"customers.create_customer_users\"," \
  "\"customers.change_customer_user_rights\",\"customers.delete_customer_users\"," \
  "\"customers.assign\",\"customers.delete_files\",\"contact_orders.view\"," \
  "\"contact_orders.view_assigned\",\"contact_orders.edit\"," \
  "\"contact_orders.create\",\"contact_orders.delete\",\"contact_orders.assign\"," \
  "\"contact_orders.assign_self\",\"contact_orders.delete_files\"," \
  "\"facilities.view\",\"facilities.view_assigned\",\"facilities.edit\"," \
  "\"facilities.edit_assigned\",\"facilities.create\",\"facilities.delete\"," \
  "\"facilities.upload\",\"facilities.delete_files\",\"service_objects.view\"," \
  "\"service_objects.view_assigned\",\"service_objects.edit\"," \
  "\"service_objects.edit_assigned\",\"service_objects.create\"," \
  "\"service_objects.delete\",\"service_objects.upload\"," \
  "\"service_objects.delete_files\",\"orders.view\",\"orders.view_assigned\"," \
  "\"orders.edit\",\"orders.edit_assigned\",\"orders.create\",\"orders.delete\"," \
  "\"orders.upload\",\"orders.assign\",\"orders.assign_self\"," \
  "\"orders.delete_files\",\"contacts.view\",\"contacts.view_assigned\"," \
  "\"contacts.edit\",\"contacts.edit_assigned\",\"contacts.create\"," \
  "\"contacts.delete\",\"contacts.upload\",\"contacts.delete_files\"" \
  "]"

/* A clock for the tests: starts at 2026-01-05T08:00:00Z and moves one
 * second each time the register reads it. The payload is the int64_t
 * holding the time. */
#define TEST_CLOCK_START INT64_C(1767600000000000)

static inline int64_t test_clock(void *payload) {
  int64_t *now = (int64_t *)payload;
  *now += INT64_C(1000000);
  return *now;
}

/* test_register: a register on the test clock (`*clock` must outlive it)
 * with its first administrator in `*admin`. */
static inline kt_register *test_register(int64_t *clock, uint64_t *admin) {
  kt_register_options *options = NULL;
  kt_register *reg = NULL;
  *clock = TEST_CLOCK_START;
  REQUIRE(kt_register_options_new(&options) == KT_OK);
  REQUIRE(kt_register_options_set_clock(options, test_clock, clock) == KT_OK);
  REQUIRE(kt_register_new_with_options(&reg, options) == KT_OK);
  kt_register_options_free(options);
  REQUIRE(kt_register_create_first_administrator(admin, reg, "admin", "Ada Admin") == KT_OK);
  return reg;
}

/* count_items: takes every item of a cursor and frees it; returns how many. */
static inline size_t count_items(kt_cursor *cursor) {
  size_t n = 0;
  char *item = NULL;
  while (kt_cursor_next(&item, cursor) == KT_OK) {
    ++n;
    kt_string_free(item);
  }
  kt_cursor_free(cursor);
  return n;
}

/* A list of ids as "1,2,3", as the suites write the ids of a page. */
static inline const char *id_list(char *buffer, size_t size, int count, const uint64_t *values) {
  int i;
  buffer[0] = '\0';
  for (i = 0; i < count; ++i) {
    size_t used = strlen(buffer);
    snprintf(buffer + used, size - used, "%s%llu", i ? "," : "", (unsigned long long)values[i]);
  }
  return buffer;
}

/* CHECK_IDS(found, 1, 2, 3): the text `found` lists exactly these ids. */
#define CHECK_IDS(found, ...)                                                              \
  do {                                                                                     \
    const uint64_t want_[] = {__VA_ARGS__};                                                \
    char expected_[256];                                                                   \
    id_list(expected_, sizeof expected_, (int)(sizeof want_ / sizeof want_[0]), want_);    \
    if (strcmp((found), expected_) != 0) {                                                 \
      fprintf(stderr, "%s:%d: ids '%s', expected '%s'\n", __FILE__, __LINE__, (found),     \
              expected_);                                                                  \
      ++test_failures;                                                                     \
    }                                                                                      \
  } while (0)

/* The register's state, to compare before and after refused calls; free
 * with kt_buffer_free() (CHECK_UNCHANGED does). */
typedef struct {
  unsigned char *bytes;
  size_t size;
} kt_test_state;

static inline kt_test_state register_state(kt_register *reg) {
  kt_test_state st = {NULL, 0};
  CHECK_OK(kt_register_state(&st.bytes, &st.size, reg));
  return st;
}

/* CHECK_UNCHANGED(reg, before): the register's state is still `before` (freed here). */
#define CHECK_UNCHANGED(reg, before)                                                               \
  do {                                                                                             \
    kt_test_state after_ = register_state(reg);                                                    \
    CHECK(after_.size == (before).size && memcmp(after_.bytes, (before).bytes, after_.size) == 0); \
    kt_buffer_free(after_.bytes);                                                                  \
    kt_buffer_free((before).bytes);                                                                \
  } while (0)

#endif /* KT_TEST_SUPPORT_H */
