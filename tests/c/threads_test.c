/* tests/c/threads_test.c: one register used from several threads at once:
 * writers and readers in parallel, editors racing on one record (no update
 * is lost: each either lands or gets KT_CONFLICT), and a last error that
 * belongs to each thread. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdatomic.h>

#include "test_support.h"

enum { WRITERS = 4, PER_WRITER = 150, READERS = 2, EDITORS = 4, EDITS = 100 };

static kt_register *reg;
static uint64_t admin;
static atomic_int writers_left = WRITERS;
static atomic_int thread_failures = 0;

#define THREAD_CHECK(cond)                                                             \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      fprintf(stderr, "%s:%d: THREAD_CHECK(%s) failed; last error: %s\n", __FILE__,   \
              __LINE__, #cond, kt_error_message());                                    \
      atomic_fetch_add(&thread_failures, 1);                                           \
    }                                                                                  \
  } while (0)

static void *writer(void *arg) {
  int w = (int)(intptr_t)arg;
  int i;
  char json[160], expected[64];
  for (i = 0; i < PER_WRITER; ++i) {
    uint64_t id = 0, twin = 0;
    snprintf(json, sizeof json, "{\"number\":\"W%d-%d\",\"name\":\"%s %d\"}", w, i,
             i % 2 ? "\xC3\x96stlund" : "\xC3\x85" "berg", w * 1000 + i);
    THREAD_CHECK(kt_customer_create(&id, reg, admin, json) == KT_OK);
    THREAD_CHECK(kt_customer_update(reg, admin, id, 1, "{\"phone\":\"08-1\"}") == KT_OK);
    if (i % 10 == 0) THREAD_CHECK(kt_customer_deactivate(reg, admin, id) == KT_OK);
    /* This thread's failure, and only it, is in this thread's last error. */
    THREAD_CHECK(kt_customer_create(&twin, reg, admin, json) == KT_CONFLICT);
    snprintf(expected, sizeof expected, "'W%d-%d'", w, i);
    THREAD_CHECK(kt_error_code() == KT_CONFLICT);
    THREAD_CHECK(strstr(kt_error_message(), expected) != NULL);
    THREAD_CHECK(strcmp(kt_error_field(), "") == 0);
  }
  atomic_fetch_sub(&writers_left, 1);
  return NULL;
}

static void *reader(void *arg) {
  kt_customer_query *query = NULL;
  (void)arg;
  THREAD_CHECK(kt_customer_query_new(&query) == KT_OK);
  THREAD_CHECK(kt_customer_query_set_page(query, 0, 10000) == KT_OK);
  while (atomic_load(&writers_left) > 0) {
    kt_cursor *cursor = NULL;
    char *item = NULL, *json = NULL;
    size_t total = 0, n = 0;
    THREAD_CHECK(kt_customer_search(&cursor, reg, admin, query) == KT_OK);
    THREAD_CHECK(kt_cursor_total(&total, cursor) == KT_OK);
    while (kt_cursor_next(&item, cursor) == KT_OK) {
      /* Every record is complete: a reader never sees half a command. */
      THREAD_CHECK(json_number(item, "revision") >= 1);
      THREAD_CHECK(strstr(item, "\"number\":\"") != NULL);
      kt_string_free(item);
      ++n;
    }
    THREAD_CHECK(n == total);
    kt_cursor_free(cursor);

    THREAD_CHECK(kt_customer_get(&json, reg, admin, 999999) == KT_NOT_FOUND);
    THREAD_CHECK(json == NULL);
    THREAD_CHECK(strstr(kt_error_message(), "999999") != NULL);

    THREAD_CHECK(kt_history(&cursor, reg, admin, NULL) == KT_OK);
    kt_cursor_free(cursor);
  }
  kt_customer_query_free(query);
  return NULL;
}

static uint64_t contested;
static atomic_int edits_landed = 0;
static atomic_int edits_refused = 0;

/* editor: reads the contested customer and updates it based on the revision
 * it read; when another editor got there first the update is refused. */
static void *editor(void *arg) {
  int e = (int)(intptr_t)arg;
  int i;
  char patch[64];
  for (i = 0; i < EDITS; ++i) {
    char *json = NULL;
    uint64_t revision;
    int rc;
    THREAD_CHECK(kt_customer_get(&json, reg, admin, contested) == KT_OK);
    revision = json_number(json, "revision");
    kt_string_free(json);
    snprintf(patch, sizeof patch, "{\"comments\":\"editor %d, edit %d\"}", e, i);
    rc = kt_customer_update(reg, admin, contested, revision, patch);
    if (rc == KT_OK) {
      atomic_fetch_add(&edits_landed, 1);
    } else {
      THREAD_CHECK(rc == KT_CONFLICT);
      THREAD_CHECK(strstr(kt_error_message(), "has changed since it was read") != NULL);
      atomic_fetch_add(&edits_refused, 1);
    }
  }
  return NULL;
}

int main(void) {
  pthread_t threads[WRITERS + READERS + EDITORS];
  int t;
  char *json = NULL, *counts = NULL;

  REQUIRE(kt_register_new(&reg) == KT_OK);
  REQUIRE(kt_register_create_first_administrator(&admin, reg, "admin", "Ada Admin") == KT_OK);
  REQUIRE(kt_customer_create(&contested, reg, admin, "{\"number\":\"C\",\"name\":\"Contested\"}") == KT_OK);

  for (t = 0; t < WRITERS; ++t) REQUIRE(pthread_create(&threads[t], NULL, writer, (void *)(intptr_t)t) == 0);
  for (t = 0; t < READERS; ++t) REQUIRE(pthread_create(&threads[WRITERS + t], NULL, reader, NULL) == 0);
  for (t = 0; t < EDITORS; ++t)
    REQUIRE(pthread_create(&threads[WRITERS + READERS + t], NULL, editor, (void *)(intptr_t)t) == 0);
  for (t = 0; t < WRITERS + READERS + EDITORS; ++t) pthread_join(threads[t], NULL);

  CHECK(atomic_load(&thread_failures) == 0);
  /* Every update landed or was refused; none was lost. */
  CHECK(atomic_load(&edits_landed) + atomic_load(&edits_refused) == EDITORS * EDITS);
  CHECK(atomic_load(&edits_landed) >= 1);
  CHECK_OK(kt_customer_get(&json, reg, admin, contested));
  CHECK(json_number(json, "revision") == (uint64_t)(1 + atomic_load(&edits_landed)));
  kt_string_free(json);

  CHECK_OK(kt_register_counts(&counts, reg));
  {
    char expected[64];
    snprintf(expected, sizeof expected, "{\"customers\":%d,", WRITERS * PER_WRITER + 1);
    CHECK(strncmp(counts, expected, strlen(expected)) == 0);
  }
  kt_string_free(counts);
  /* The main thread's last error is its own: untouched by the threads. */
  CHECK(kt_error_code() == KT_OK);
  kt_register_free(reg);
  printf("threads: %d edits landed, %d refused as conflicts\n", atomic_load(&edits_landed),
         atomic_load(&edits_refused));
  return test_exit("threads");
}
