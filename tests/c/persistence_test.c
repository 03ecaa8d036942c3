/* tests/c/persistence_test.c: registers on disk and the whole register as
 * JSON: open options, creating, closing and reopening, the open report, the
 * directory lock, missing and corrupt registers, a torn journal tail,
 * compaction, sync in every durability, save_as, export and import, and
 * misuse (NULL arguments, invalid UTF-8 paths, handles of another kind).
 * Every register lives in a fresh directory under $TMPDIR (or /tmp), removed
 * at the end. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_support.h"

/* ---- the scratch directory ------------------------------------------------ */

static char scratch[512];

static void make_scratch(void) {
  const char *tmp = getenv("TMPDIR");
  snprintf(scratch, sizeof scratch, "%s/kartotek-capi-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  REQUIRE(mkdtemp(scratch) != NULL);
}

/* path_in: `name` under the scratch directory, in a static buffer of its
 * own (one of four, used in turn). */
static const char *path_in(const char *name) {
  static char buffers[4][640];
  static int next = 0;
  char *b = buffers[next];
  next = (next + 1) % 4;
  snprintf(b, sizeof buffers[0], "%s/%s", scratch, name);
  return b;
}

/* remove_tree: removes a directory and what is in it (registers are flat;
 * one level of subdirectories is enough for the scratch directory). */
static void remove_tree(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char child[1024];
  struct stat st;
  if (!d) {
    remove(dir);
    return;
  }
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    snprintf(child, sizeof child, "%s/%s", dir, e->d_name);
    if (stat(child, &st) == 0 && S_ISDIR(st.st_mode)) remove_tree(child);
    else remove(child);
  }
  closedir(d);
  rmdir(dir);
}

/* ---- helpers --------------------------------------------------------------- */

/* open_on_clock: opens (creating) the register at `path` on the test clock
 * (`*clock` must outlive it) with the given durability. */
static kt_register *open_on_clock(const char *path, int64_t *clock, const char *durability) {
  kt_open_options *options = NULL;
  kt_register *reg = NULL;
  REQUIRE(kt_open_options_new(&options) == KT_OK);
  REQUIRE(kt_open_options_set_clock(options, test_clock, clock) == KT_OK);
  REQUIRE(kt_open_options_set_durability(options, durability) == KT_OK);
  REQUIRE(kt_register_open(&reg, path, options) == KT_OK);
  kt_open_options_free(options);
  return reg;
}

/* open_existing: opens the register at `path` without creating it. */
static int open_existing(kt_register **out, const char *path) {
  kt_open_options *options = NULL;
  int rc;
  REQUIRE(kt_open_options_new(&options) == KT_OK);
  REQUIRE(kt_open_options_set_create(options, 0) == KT_OK);
  rc = kt_register_open(out, path, options);
  kt_open_options_free(options);
  return rc;
}

/* report_of: the register's open report (free it with kt_string_free). */
static char *report_of(kt_register *reg) {
  char *report = NULL;
  REQUIRE(kt_register_open_report(&report, reg) == KT_OK);
  return report;
}

/* same_state: whether two registers dump equal state bytes. */
static int same_state(kt_register *a, kt_register *b) {
  unsigned char *x = NULL, *y = NULL;
  size_t nx = 0, ny = 0;
  int same;
  REQUIRE(kt_register_state(&x, &nx, a) == KT_OK);
  REQUIRE(kt_register_state(&y, &ny, b) == KT_OK);
  same = nx == ny && memcmp(x, y, nx) == 0;
  kt_buffer_free(x);
  kt_buffer_free(y);
  return same;
}

/* fill: the first administrator, a technician, two customers (one with a
 * facility and a service object), a contact linked to the first customer
 * and a settings change. Returns the first customer's id. */
static uint64_t fill(kt_register *reg, uint64_t *admin) {
  uint64_t tech = 0, aberg = 0, ostlund = 0, contact = 0, site = 0, pump = 0;
  REQUIRE(kt_register_create_first_administrator(admin, reg, "anna", "Anna Lindqvist") == KT_OK);
  CHECK_OK(kt_user_create(&tech, reg, *admin, "{\"login\":\"tekla\",\"name\":\"Tekla Tekniker\"," KT_TEST_ALL_RIGHTS "}"));
  CHECK_OK(kt_customer_create(&aberg, reg, tech,
                              "{\"number\":\"1001\",\"name\":\"\xC3\x85" "berg & S\xC3\xB6ner Kyl AB\","
                              "\"invoice_address\":{\"street\":\"Storgatan 1\",\"city\":\"G\xC3\xB6teborg\"}}"));
  CHECK_OK(kt_customer_create(&ostlund, reg, tech, "{\"number\":\"1002\",\"name\":\"\xC3\x96stlund VVS\"}"));
  CHECK_OK(kt_customer_update(reg, tech, ostlund, 1, "{\"phone\":\"+46 31 12 34 56\"}"));
  CHECK_OK(kt_contact_create(&contact, reg, tech, "{\"first_name\":\"Lisa\",\"last_name\":\"Kvist\"}"));
  {
    char link[128];
    snprintf(link, sizeof link, "{\"contact\":%llu,\"customer\":%llu,\"role\":\"Ink\xC3\xB6p\"}",
             (unsigned long long)contact, (unsigned long long)aberg);
    CHECK_OK(kt_contact_link(reg, tech, link));
  }
  {
    char facility[128];
    snprintf(facility, sizeof facility, "{\"customer\":%llu,\"name\":\"Verkstan\"}",
             (unsigned long long)aberg);
    CHECK_OK(kt_facility_create(&site, reg, tech, facility));
  }
  {
    char object[128];
    snprintf(object, sizeof object, "{\"facility\":%llu,\"identifier\":\"SN-77\"}",
             (unsigned long long)site);
    CHECK_OK(kt_service_object_create(&pump, reg, tech, object));
  }
  CHECK_OK(kt_customer_delete(reg, *admin, ostlund)); /* retires number 1002 */
  CHECK_OK(kt_settings_update(reg, *admin, "{\"number_prefix\":\"K\"}"));
  return aberg;
}

/* replace_once: a copy of `text` with the first `from` replaced by `to`
 * (free it with free()); REQUIREs that `from` occurs. */
static char *replace_once(const char *text, const char *from, const char *to) {
  const char *at = strstr(text, from);
  size_t head, n;
  char *result;
  REQUIRE(at != NULL);
  head = (size_t)(at - text);
  n = strlen(text) - strlen(from) + strlen(to);
  result = malloc(n + 1);
  REQUIRE(result != NULL);
  memcpy(result, text, head);
  strcpy(result + head, to);
  strcat(result, at + strlen(from));
  return result;
}

/* flip_byte: inverts the byte at `offset` of a file. */
static void flip_byte(const char *file, long offset) {
  FILE *f = fopen(file, "r+b");
  int c;
  REQUIRE(f != NULL);
  REQUIRE(fseek(f, offset, SEEK_SET) == 0);
  c = fgetc(f);
  REQUIRE(c != EOF);
  REQUIRE(fseek(f, offset, SEEK_SET) == 0);
  REQUIRE(fputc(c ^ 0xFF, f) != EOF);
  REQUIRE(fclose(f) == 0);
}

static void append_bytes(const char *file, const char *bytes, size_t n) {
  FILE *f = fopen(file, "ab");
  REQUIRE(f != NULL);
  REQUIRE(fwrite(bytes, 1, n, f) == n);
  REQUIRE(fclose(f) == 0);
}

/* ---- tests ----------------------------------------------------------------- */

static void open_options_check_their_arguments(void) {
  kt_open_options *options = NULL;
  kt_register_options *other = NULL;
  int64_t clock = TEST_CLOCK_START;

  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_open_options_new(NULL));
  CHECK_FAILS(KT_MISUSE, "", "options is NULL", kt_open_options_set_durability(NULL, "sync"));
  CHECK_FAILS(KT_MISUSE, "", "options is NULL", kt_open_options_set_batch_interval_ms(NULL, 10));
  CHECK_FAILS(KT_MISUSE, "", "options is NULL", kt_open_options_set_create(NULL, 1));
  CHECK_FAILS(KT_MISUSE, "", "options is NULL", kt_open_options_set_settings(NULL, "{}"));
  CHECK_FAILS(KT_MISUSE, "", "options is NULL", kt_open_options_set_clock(NULL, test_clock, &clock));

  REQUIRE(kt_open_options_new(&options) == KT_OK);
  CHECK_OK(kt_open_options_set_durability(options, "batch"));
  CHECK_OK(kt_open_options_set_durability(options, "none"));
  CHECK_OK(kt_open_options_set_durability(options, "sync"));
  CHECK_FAILS(KT_INVALID, "durability", "expected one of sync, batch, none",
              kt_open_options_set_durability(options, "fast"));
  CHECK_FAILS(KT_INVALID, "durability", "UTF-8", kt_open_options_set_durability(options, "\xC3\x28"));
  CHECK_FAILS(KT_MISUSE, "", "durability is NULL", kt_open_options_set_durability(options, NULL));
  CHECK_OK(kt_open_options_set_batch_interval_ms(options, 1));
  CHECK_OK(kt_open_options_set_batch_interval_ms(options, UINT32_MAX));
  CHECK_FAILS(KT_INVALID, "batch_interval_ms", "at least 1", kt_open_options_set_batch_interval_ms(options, 0));
  CHECK_OK(kt_open_options_set_create(options, 0));
  CHECK_OK(kt_open_options_set_create(options, 7));
  CHECK_OK(kt_open_options_set_settings(options, "{\"locale\":\"da\"}"));
  CHECK_FAILS(KT_MISUSE, "", "json is NULL", kt_open_options_set_settings(options, NULL));
  CHECK_FAILS(KT_INVALID, "json", "offset", kt_open_options_set_settings(options, "{\"locale\":"));
  CHECK_FAILS(KT_INVALID, "colour", "unknown field", kt_open_options_set_settings(options, "{\"colour\":1}"));
  CHECK_OK(kt_open_options_set_clock(options, test_clock, &clock));
  CHECK_OK(kt_open_options_set_clock(options, NULL, NULL));

  /* Options of the other kind are refused, either way round. */
  REQUIRE(kt_register_options_new(&other) == KT_OK);
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_open_options",
              kt_open_options_set_create((kt_open_options *)(void *)other, 1));
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_register_options",
              kt_register_options_set_clock((kt_register_options *)(void *)options, NULL, NULL));
  kt_error_clear();
  kt_open_options_free((kt_open_options *)(void *)other); /* not freed: the wrong kind */
  CHECK(kt_error_code() == KT_MISUSE);
  CHECK_CONTAINS(kt_error_message(), "kt_open_options_free");
  kt_register_options_free(other);

  /* NULL is a no-op; a double free is detected. */
  kt_error_clear();
  kt_open_options_free(NULL);
  CHECK(kt_error_code() == KT_OK);
  kt_open_options_free(options);
  CHECK(kt_error_code() == KT_OK);
  kt_open_options_free(options);
  CHECK(kt_error_code() == KT_MISUSE);
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_open_options", kt_open_options_set_create(options, 1));
}

static void a_register_created_closed_and_reopened_keeps_its_records(void) {
  const char *path = path_in("created");
  int64_t clock = 0;
  kt_register *reg = NULL, *again = NULL, *copy = NULL;
  uint64_t admin = 0, aberg = 0;
  int persistent = -1;
  char *report = NULL, *json = NULL, *before = NULL;

  clock = TEST_CLOCK_START;
  reg = open_on_clock(path, &clock, "sync");
  report = report_of(reg);
  CHECK_CONTAINS(report, "\"created\":true");
  CHECK_CONTAINS(report, "\"snapshot_format\":8");
  CHECK_CONTAINS(report, "\"replayed\":0");
  CHECK_CONTAINS(report, "\"cut_tail\":\"\"");
  kt_string_free(report);
  CHECK_OK(kt_register_is_persistent(&persistent, reg));
  CHECK(persistent == 1);

  aberg = fill(reg, &admin);
  CHECK_OK(kt_customer_get(&before, reg, admin, aberg));
  /* A copy in memory with the same history, to compare states with. */
  CHECK_OK(kt_register_export_json(&json, reg, admin));
  CHECK_OK(kt_register_import_json(&copy, json, NULL));
  kt_string_free(json);
  kt_register_free(reg);
  CHECK(kt_error_code() == KT_OK);

  /* Reopened without creating: the journal is replayed. */
  CHECK_OK(open_existing(&again, path));
  REQUIRE(again != NULL);
  report = report_of(again);
  CHECK_CONTAINS(report, "{\"created\":false,\"snapshot_format\":8,\"snapshot_change\":0,\"replayed\":");
  CHECK(json_number(report, "replayed") >= 10);
  CHECK_CONTAINS(report, "\"skipped\":0,\"cut_tail\":\"\",\"upgraded_from\":0}");
  kt_string_free(report);
  CHECK_OK(kt_customer_get(&json, again, admin, aberg));
  CHECK(json && before && strcmp(json, before) == 0);
  CHECK_CONTAINS(json, "G\xC3\xB6teborg");
  kt_string_free(json);
  CHECK(same_state(again, copy));
  CHECK_OK(kt_register_counts(&json, again));
  CHECK_CONTAINS(json, "\"customers\":1,\"contacts\":1,\"facilities\":1,\"service_objects\":1,\"users\":2");
  kt_string_free(json);

  /* Commands after the reopen go on in the same journal. */
  CHECK_OK(kt_customer_update(again, admin, aberg, 1, "{\"email\":\"info@aberg.se\"}"));
  kt_register_free(again);
  CHECK_OK(open_existing(&again, path));
  CHECK_OK(kt_customer_get(&json, again, admin, aberg));
  CHECK_CONTAINS(json, "info@aberg.se");
  CHECK(json_number(json, "revision") == 2);
  kt_string_free(json);
  kt_register_free(again);
  kt_register_free(copy);
  kt_string_free(before);
}

static void every_durability_keeps_what_was_synced_or_closed(void) {
  static const char *const modes[] = {"sync", "batch", "none"};
  size_t i;
  for (i = 0; i < 3; ++i) {
    char name[32];
    const char *path;
    int64_t clock = TEST_CLOCK_START;
    kt_register *reg = NULL, *again = NULL;
    kt_open_options *options = NULL;
    uint64_t admin = 0, customer = 0;
    char *json = NULL;

    snprintf(name, sizeof name, "durability-%s", modes[i]);
    path = path_in(name);
    REQUIRE(kt_open_options_new(&options) == KT_OK);
    CHECK_OK(kt_open_options_set_durability(options, modes[i]));
    CHECK_OK(kt_open_options_set_batch_interval_ms(options, 5));
    CHECK_OK(kt_open_options_set_clock(options, test_clock, &clock));
    CHECK_OK(kt_open_options_set_settings(options, "{\"auto_number\":true,\"number_prefix\":\"D\"}"));
    REQUIRE(kt_register_open(&reg, path, options) == KT_OK);
    kt_open_options_free(options); /* the register does not need them */
    REQUIRE(kt_register_create_first_administrator(&admin, reg, "admin", "Ada Admin") == KT_OK);
    CHECK_OK(kt_customer_create(&customer, reg, admin, "{\"name\":\"Kyl & Frys\"}"));
    CHECK_OK(kt_register_sync(reg));
    CHECK_OK(kt_customer_update(reg, admin, customer, 1, "{\"phone\":\"08-1\"}"));
    kt_register_free(reg); /* closing syncs the rest */

    REQUIRE(open_existing(&again, path) == KT_OK);
    CHECK_OK(kt_customer_get(&json, again, admin, customer));
    CHECK_CONTAINS(json, "\"number\":\"D1\"");
    CHECK_CONTAINS(json, "\"phone\":\"08-1\"");
    CHECK_CONTAINS(json, "\"created_at\":\"2026-01-05T08:00:02.000000Z\"");
    kt_string_free(json);
    CHECK_OK(kt_settings_get(&json, again, admin));
    CHECK_CONTAINS(json, "\"number_prefix\":\"D\"");
    kt_string_free(json);
    kt_register_free(again);
  }
}

static void an_open_register_locks_its_directory(void) {
  const char *path = path_in("locked");
  int64_t clock = TEST_CLOCK_START;
  kt_register *first = NULL, *second = (kt_register *)&clock, *memory = NULL;
  uint64_t admin = 0;

  first = open_on_clock(path, &clock, "sync");
  CHECK_FAILS(KT_CONFLICT, "", "already open", kt_register_open(&second, path, NULL));
  CHECK(second == NULL);
  /* save_as into the open register's directory is refused too. */
  memory = test_register(&clock, &admin);
  CHECK_FAILS(KT_CONFLICT, "", "already open", kt_register_save_as(memory, path));
  kt_register_free(memory);

  kt_register_free(first); /* releases the lock */
  CHECK_OK(kt_register_open(&second, path, NULL));
  kt_register_free(second);
}

static void a_missing_register_is_not_found_unless_created(void) {
  const char *path = path_in("missing");
  const char *file = path_in("plain-file");
  kt_register *reg = (kt_register *)&path;
  struct stat st;
  FILE *f;

  CHECK_FAILS(KT_NOT_FOUND, "", "no register at", open_existing(&reg, path));
  CHECK(reg == NULL);
  CHECK(stat(path, &st) != 0); /* nothing was made */

  /* An empty directory holds no register either. */
  REQUIRE(mkdir(path, 0755) == 0);
  CHECK_FAILS(KT_NOT_FOUND, "", "no register at", open_existing(&reg, path));
  CHECK(reg == NULL);

  /* Creating needs the parent to exist: the system refuses (KT_IO). */
  CHECK_FAILS(KT_IO, "", "cannot create directory", kt_register_open(&reg, path_in("no/such/parent"), NULL));
  CHECK(reg == NULL);
  /* A plain file is no directory. */
  f = fopen(file, "wb");
  REQUIRE(f != NULL);
  fclose(f);
  CHECK_RC(KT_IO, kt_register_open(&reg, file, NULL));
  CHECK(reg == NULL);

  /* With create (the default) the empty directory gets a register. */
  CHECK_OK(kt_register_open(&reg, path, NULL));
  kt_register_free(reg);
}

static void a_new_registers_unknown_locale_is_refused(void) {
  kt_open_options *options = NULL;
  kt_register *reg = (kt_register *)&options;
  REQUIRE(kt_open_options_new(&options) == KT_OK);
  CHECK_OK(kt_open_options_set_settings(options, "{\"locale\":\"xx-bogus-locale\"}"));
  CHECK_FAILS(KT_INVALID, "locale", "locale", kt_register_open(&reg, path_in("bogus-locale"), options));
  CHECK(reg == NULL);
  kt_open_options_free(options);
}

static void a_corrupt_snapshot_is_refused_naming_the_file(void) {
  const char *path = path_in("corrupt");
  const char *snapshot = path_in("corrupt/snapshot");
  int64_t clock = TEST_CLOCK_START;
  kt_register *reg = NULL;
  uint64_t admin = 0;

  reg = open_on_clock(path, &clock, "sync");
  fill(reg, &admin);
  CHECK_OK(kt_register_compact(reg)); /* the records are in the snapshot now */
  kt_register_free(reg);

  flip_byte(snapshot, 40); /* inside the payload */
  reg = (kt_register *)&clock;
  CHECK_FAILS(KT_CORRUPT, "", snapshot, open_existing(&reg, path));
  CHECK(reg == NULL);
  CHECK_CONTAINS(kt_error_message(), "checksum");
  /* Refused again: the file was left as it was. */
  CHECK_FAILS(KT_CORRUPT, "", snapshot, kt_register_open(&reg, path, NULL));
  flip_byte(snapshot, 40);
  CHECK_OK(open_existing(&reg, path));
  kt_register_free(reg);

  /* A damaged header too. */
  flip_byte(snapshot, 2);
  CHECK_FAILS(KT_CORRUPT, "", snapshot, open_existing(&reg, path));
  flip_byte(snapshot, 2);
}

static void a_torn_journal_tail_is_cut_and_reported(void) {
  const char *path = path_in("torn");
  const char *journal = path_in("torn/journal");
  int64_t clock = TEST_CLOCK_START;
  kt_register *reg = NULL;
  uint64_t admin = 0, customer = 0;
  char *report = NULL, *json = NULL;

  reg = open_on_clock(path, &clock, "sync");
  REQUIRE(kt_register_create_first_administrator(&admin, reg, "admin", "Ada Admin") == KT_OK);
  CHECK_OK(kt_customer_create(&customer, reg, admin, "{\"number\":\"7\",\"name\":\"Ek AB\"}"));
  kt_register_free(reg);

  append_bytes(journal, "\x05\x00", 2); /* less than a frame header: a write cut off */
  REQUIRE(open_existing(&reg, path) == KT_OK);
  report = report_of(reg);
  CHECK(json_number(report, "replayed") == 2);
  CHECK(!strstr(report, "\"cut_tail\":\"\""));
  kt_string_free(report);
  CHECK_OK(kt_customer_get(&json, reg, admin, customer));
  CHECK_CONTAINS(json, "Ek AB");
  kt_string_free(json);
  kt_register_free(reg);

  /* Cut for good: the next open finds a clean end. */
  REQUIRE(open_existing(&reg, path) == KT_OK);
  report = report_of(reg);
  CHECK_CONTAINS(report, "\"cut_tail\":\"\"");
  kt_string_free(report);
  kt_register_free(reg);
}

static void compaction_leaves_nothing_to_replay(void) {
  const char *path = path_in("compacted");
  int64_t clock = TEST_CLOCK_START;
  kt_register *reg = NULL, *again = NULL, *copy = NULL;
  uint64_t admin = 0, aberg = 0, later = 0;
  char *report = NULL, *json = NULL;

  reg = open_on_clock(path, &clock, "sync");
  aberg = fill(reg, &admin);
  CHECK_OK(kt_register_compact(reg));
  CHECK_OK(kt_register_compact(reg)); /* twice is harmless */
  /* Commands go on after compaction, into the new journal. */
  CHECK_OK(kt_customer_create(&later, reg, admin, "{\"number\":\"1003\",\"name\":\"Lind & Co\"}"));
  CHECK_OK(kt_register_export_json(&json, reg, admin));
  CHECK_OK(kt_register_import_json(&copy, json, NULL));
  kt_string_free(json);
  kt_register_free(reg);

  REQUIRE(open_existing(&again, path) == KT_OK);
  report = report_of(again);
  CHECK(json_number(report, "snapshot_change") >= 10);
  CHECK(json_number(report, "replayed") == 1);
  CHECK_CONTAINS(report, "\"created\":false");
  kt_string_free(report);
  CHECK(same_state(again, copy));
  CHECK_OK(kt_customer_get(&json, again, admin, aberg));
  CHECK_CONTAINS(json, "\"number\":\"1001\"");
  kt_string_free(json);
  CHECK_OK(kt_customer_get(&json, again, admin, later));
  CHECK_CONTAINS(json, "Lind & Co");
  kt_string_free(json);

  /* Compacted again and reopened: the snapshot holds everything. */
  CHECK_OK(kt_register_compact(again));
  kt_register_free(again);
  REQUIRE(open_existing(&again, path) == KT_OK);
  report = report_of(again);
  CHECK(json_number(report, "replayed") == 0);
  kt_string_free(report);
  CHECK(same_state(again, copy));
  kt_register_free(again);
  kt_register_free(copy);
}

static void a_register_in_memory_reports_nothing_and_syncs_nothing(void) {
  int64_t clock = 0;
  uint64_t admin = 0;
  kt_register *reg = test_register(&clock, &admin);
  int persistent = -1;
  char *report = NULL;

  CHECK_OK(kt_register_is_persistent(&persistent, reg));
  CHECK(persistent == 0);
  CHECK_OK(kt_register_open_report(&report, reg));
  CHECK(report && strcmp(report, "{\"created\":false,\"snapshot_format\":0,\"snapshot_change\":0,"
                                 "\"replayed\":0,\"skipped\":0,\"cut_tail\":\"\",\"upgraded_from\":0}") == 0);
  kt_string_free(report);
  CHECK_OK(kt_register_compact(reg));
  CHECK_OK(kt_register_sync(reg));
  kt_register_free(reg);
}

static void export_then_import_gives_the_same_document(void) {
  int64_t clock = 0, import_clock = TEST_CLOCK_START + INT64_C(3600000000);
  uint64_t admin = 0, aberg = 0, tech = 0, created = 0;
  kt_register *reg = NULL, *imported = NULL, *again = NULL;
  kt_register_options *options = NULL;
  char *first = NULL, *second = NULL, *third = NULL, *json = NULL;
  int persistent = -1;

  reg = test_register(&clock, &admin);
  CHECK_OK(kt_user_create(&tech, reg, admin, "{\"login\":\"tekla\",\"name\":\"Tekla\"," KT_TEST_ALL_RIGHTS "}"));
  CHECK_OK(kt_customer_create(&aberg, reg, tech, "{\"number\":\"1001\",\"name\":\"\xC3\x85" "berg AB\"}"));
  CHECK_OK(kt_customer_update(reg, tech, aberg, 1, "{\"phone\":\"031-1\"}"));

  CHECK_OK(kt_register_export_json(&first, reg, admin));
  CHECK_CONTAINS(first, "{\"format\":\"kartotek-register\",\"version\":1,\"settings\":{");
  CHECK_CONTAINS(first, "\xC3\x85" "berg AB");
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "administrator", kt_register_export_json(&json, reg, tech));
  CHECK(json == NULL);
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "", kt_register_export_json(&json, reg, 99));

  /* Imported on a clock of its own; its export is the same document. */
  REQUIRE(kt_register_options_new(&options) == KT_OK);
  CHECK_OK(kt_register_options_set_clock(options, test_clock, &import_clock));
  CHECK_OK(kt_register_import_json(&imported, first, options));
  kt_register_options_free(options);
  REQUIRE(imported != NULL);
  CHECK_OK(kt_register_is_persistent(&persistent, imported));
  CHECK(persistent == 0);
  CHECK_OK(kt_register_export_json(&second, imported, admin));
  CHECK(first && second && strcmp(first, second) == 0);
  CHECK(same_state(reg, imported));

  /* The imported register goes on: new ids, numbers and times follow. */
  CHECK_OK(kt_customer_create(&created, imported, tech, "{\"number\":\"1002\",\"name\":\"Ny AB\"}"));
  CHECK(created == aberg + 1);
  CHECK_OK(kt_customer_get(&json, imported, tech, created));
  CHECK_CONTAINS(json, "\"created_at\":\"2026-01-05T09:00:01.000000Z\"");
  kt_string_free(json);

  /* Without options: the system clock; the document is the same. */
  CHECK_OK(kt_register_import_json(&again, second, NULL));
  CHECK_OK(kt_register_export_json(&third, again, admin));
  CHECK(third && strcmp(first, third) == 0);

  kt_string_free(first);
  kt_string_free(second);
  kt_string_free(third);
  kt_register_free(again);
  kt_register_free(imported);
  kt_register_free(reg);
}

static void import_refuses_bad_documents(void) {
  int64_t clock = 0;
  uint64_t admin = 0, customer = 0, facility = 0;
  kt_register *reg = test_register(&clock, &admin), *imported = NULL;
  char *doc = NULL, *bad = NULL;

  CHECK_OK(kt_customer_create(&customer, reg, admin, "{\"number\":\"1001\",\"name\":\"Ek AB\"}"));
  CHECK_OK(kt_facility_create(&facility, reg, admin, "{\"customer\":1,\"name\":\"Verkstan\"}"));
  CHECK_OK(kt_register_export_json(&doc, reg, admin));
  REQUIRE(doc != NULL);

#define CHECK_IMPORT_FAILS(status, field, words, json)                  \
  do {                                                                   \
    imported = (kt_register *)&clock;                                    \
    CHECK_FAILS(status, field, words, kt_register_import_json(&imported, json, NULL)); \
    CHECK(imported == NULL);                                             \
  } while (0)

  CHECK_IMPORT_FAILS(KT_INVALID, "json", "offset", "{\"format\":");
  CHECK_IMPORT_FAILS(KT_INVALID, "json", "offset", "");
  CHECK_IMPORT_FAILS(KT_INVALID, "json", "UTF-8", "{\"format\":\"\xFF\"}");
  CHECK_IMPORT_FAILS(KT_INVALID, "", "JSON object", "[1,2]");
  CHECK_IMPORT_FAILS(KT_INVALID, "format", "kartotek-register", "{}");
  CHECK_IMPORT_FAILS(KT_INVALID, "format", "kartotek-register", "{\"format\":\"something-else\",\"version\":1}");
  CHECK_IMPORT_FAILS(KT_INVALID, "version", "expected 1", "{\"format\":\"kartotek-register\",\"version\":2}");
  CHECK_IMPORT_FAILS(KT_INVALID, "settings", "missing", "{\"format\":\"kartotek-register\",\"version\":1}");

  /* A member of a record of the wrong type, or unknown: named by its path. */
  bad = replace_once(doc, "\"name\":\"Ek AB\"", "\"name\":17");
  CHECK_IMPORT_FAILS(KT_INVALID, "customers[0].name", "", bad);
  free(bad);
  bad = replace_once(doc, "\"name\":\"Ek AB\"", "\"name\":\"Ek AB\",\"colour\":\"red\"");
  CHECK_IMPORT_FAILS(KT_INVALID, "customers[0].colour", "unknown field", bad);
  free(bad);

  /* Records that contradict each other: a facility of a missing customer. */
  bad = replace_once(doc, "\"customer\":1,\"name\":\"Verkstan\"", "\"customer\":9,\"name\":\"Verkstan\"");
  CHECK_IMPORT_FAILS(KT_CORRUPT, "", "missing customer", bad);
  free(bad);
#undef CHECK_IMPORT_FAILS

  /* The unchanged document still imports. */
  CHECK_OK(kt_register_import_json(&imported, doc, NULL));
  kt_register_free(imported);
  kt_string_free(doc);
  kt_register_free(reg);
}

static void save_as_writes_a_register_that_opens(void) {
  const char *saved = path_in("saved");
  const char *saved_again = path_in("saved-from-disk");
  const char *occupied = path_in("occupied");
  int64_t clock = TEST_CLOCK_START, clock2 = TEST_CLOCK_START;
  uint64_t admin = 0, aberg = 0;
  kt_register *reg = NULL, *opened = NULL, *disk = NULL, *reopened = NULL;
  char *report = NULL, *json = NULL;

  {
    /* A register in memory, filled, then saved. */
    kt_register_options *options = NULL;
    REQUIRE(kt_register_options_new(&options) == KT_OK);
    REQUIRE(kt_register_options_set_clock(options, test_clock, &clock) == KT_OK);
    REQUIRE(kt_register_new_with_options(&reg, options) == KT_OK);
    kt_register_options_free(options);
  }
  aberg = fill(reg, &admin);
  CHECK_OK(kt_register_save_as(reg, saved));
  CHECK_FAILS(KT_CONFLICT, "", "already exists", kt_register_save_as(reg, saved));

  REQUIRE(open_existing(&opened, saved) == KT_OK);
  report = report_of(opened);
  CHECK_CONTAINS(report, "\"created\":false");
  CHECK(json_number(report, "snapshot_change") >= 10);
  CHECK(json_number(report, "replayed") == 0);
  kt_string_free(report);
  CHECK(same_state(reg, opened));
  CHECK_OK(kt_customer_get(&json, opened, admin, aberg));
  CHECK_CONTAINS(json, "\xC3\x85" "berg & S\xC3\xB6ner Kyl AB");
  kt_string_free(json);

  /* The register in memory stays in memory; changes to it do not reach the
   * saved one. */
  CHECK_OK(kt_customer_update(reg, admin, aberg, 1, "{\"phone\":\"1\"}"));
  CHECK(!same_state(reg, opened));
  kt_register_free(opened);

  /* A register on disk saves as well, while it is open. */
  disk = open_on_clock(occupied, &clock2, "sync");
  fill(disk, &admin);
  CHECK_OK(kt_register_save_as(disk, saved_again));
  REQUIRE(open_existing(&reopened, saved_again) == KT_OK);
  CHECK(same_state(disk, reopened));
  kt_register_free(reopened);
  /* Into a directory that holds a register: refused. */
  CHECK_FAILS(KT_CONFLICT, "", "already exists", kt_register_save_as(reg, saved_again));
  kt_register_free(disk);
  kt_register_free(reg);
}

static void paths_must_be_utf8_and_arguments_present(void) {
  kt_register *reg = NULL;
  kt_open_options *options = NULL;
  kt_customer_query *query = NULL;
  int64_t clock = 0;
  uint64_t admin = 0;
  kt_register *memory = test_register(&clock, &admin);
  char *json = NULL;
  int flag = 0;

  CHECK_FAILS(KT_INVALID, "path", "UTF-8", kt_register_open(&reg, "/tmp/kartotek-\xC3\x28", NULL));
  CHECK(reg == NULL);
  CHECK_FAILS(KT_INVALID, "path", "UTF-8", kt_register_open(&reg, "/tmp/\xED\xA0\x80", NULL)); /* surrogate */
  CHECK_FAILS(KT_INVALID, "path", "empty", kt_register_open(&reg, "", NULL));
  CHECK_FAILS(KT_INVALID, "path", "UTF-8", kt_register_save_as(memory, "/tmp/kartotek-\xFF"));
  CHECK_FAILS(KT_INVALID, "path", "empty", kt_register_save_as(memory, ""));

  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_register_open(NULL, path_in("x"), NULL));
  CHECK_FAILS(KT_MISUSE, "", "path is NULL", kt_register_open(&reg, NULL, NULL));
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_register_open_report(NULL, memory));
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_register_open_report(&json, NULL));
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_register_is_persistent(NULL, memory));
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_register_is_persistent(&flag, NULL));
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_register_compact(NULL));
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_register_sync(NULL));
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_register_save_as(NULL, path_in("y")));
  CHECK_FAILS(KT_MISUSE, "", "path is NULL", kt_register_save_as(memory, NULL));
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_register_export_json(NULL, memory, admin));
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_register_export_json(&json, NULL, admin));
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_register_import_json(NULL, "{}", NULL));
  CHECK_FAILS(KT_MISUSE, "", "json is NULL", kt_register_import_json(&reg, NULL, NULL));

  /* Handles of another kind. */
  REQUIRE(kt_customer_query_new(&query) == KT_OK);
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_register", kt_register_compact((kt_register *)(void *)query));
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_open_options",
              kt_register_open(&reg, path_in("z"), (const kt_open_options *)(void *)query));
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_register_options",
              kt_register_import_json(&reg, "{}", (const kt_register_options *)(void *)query));
  kt_customer_query_free(query);
  REQUIRE(kt_open_options_new(&options) == KT_OK);
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_register_options",
              kt_register_import_json(&reg, "{}", (const kt_register_options *)(void *)options));
  kt_open_options_free(options);
  CHECK(reg == NULL);

  /* A freed register on disk is refused like one in memory. */
  reg = NULL;
  REQUIRE(kt_register_open(&reg, path_in("freed"), NULL) == KT_OK);
  kt_register_free(reg);
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_register", kt_register_sync(reg));
  kt_register_free(memory);
}

static void close_releases_the_lock_and_refuses_commands(void) {
  const char *path = path_in("closed");
  int64_t clock = TEST_CLOCK_START;
  kt_register *reg = NULL, *other = NULL, *memory = NULL;
  uint64_t admin = 0, customer = 0, refused = 0;
  int closed = -1;
  char *json = NULL;

  reg = open_on_clock(path, &clock, "none");
  REQUIRE(reg != NULL);
  REQUIRE(kt_register_create_first_administrator(&admin, reg, "admin", "Ada Admin") == KT_OK);
  CHECK_OK(kt_customer_create(&customer, reg, admin, "{\"number\":\"1\",\"name\":\"\xC3\x85" "berg AB\"}"));
  CHECK_OK(kt_register_is_closed(&closed, reg));
  CHECK(closed == 0);
  CHECK_RC(KT_CONFLICT, open_existing(&other, path));

  CHECK_OK(kt_register_close(reg));
  CHECK_OK(kt_register_close(reg)); /* twice is fine */
  CHECK_OK(kt_register_is_closed(&closed, reg));
  CHECK(closed == 1);
  CHECK_OK(kt_customer_get(&json, reg, admin, customer)); /* reads answer from memory */
  CHECK_CONTAINS(json, "\xC3\x85" "berg AB");
  kt_string_free(json);
  CHECK_FAILS(KT_CONFLICT, "", "closed", kt_customer_create(&refused, reg, admin, "{\"number\":\"2\"}"));
  CHECK_FAILS(KT_CONFLICT, "", "closed", kt_register_compact(reg));

  /* Another handle opens it now, with the change made before closing. */
  CHECK_OK(open_existing(&other, path));
  REQUIRE(other != NULL);
  CHECK_OK(kt_customer_get(&json, other, admin, customer));
  CHECK_CONTAINS(json, "\xC3\x85" "berg AB");
  kt_string_free(json);
  kt_register_free(other);
  kt_register_free(reg);

  REQUIRE(kt_register_new(&memory) == KT_OK);
  CHECK_OK(kt_register_close(memory));
  CHECK_FAILS(KT_CONFLICT, "", "closed", kt_register_create_first_administrator(&admin, memory, "a", "A"));
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_register_is_closed(NULL, memory));
  kt_register_free(memory);
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_register_close(NULL));
}

int main(void) {
  make_scratch();
  open_options_check_their_arguments();
  a_register_created_closed_and_reopened_keeps_its_records();
  every_durability_keeps_what_was_synced_or_closed();
  an_open_register_locks_its_directory();
  a_missing_register_is_not_found_unless_created();
  a_new_registers_unknown_locale_is_refused();
  a_corrupt_snapshot_is_refused_naming_the_file();
  a_torn_journal_tail_is_cut_and_reported();
  compaction_leaves_nothing_to_replay();
  a_register_in_memory_reports_nothing_and_syncs_nothing();
  export_then_import_gives_the_same_document();
  import_refuses_bad_documents();
  save_as_writes_a_register_that_opens();
  paths_must_be_utf8_and_arguments_present();
  close_releases_the_lock_and_refuses_commands();
  remove_tree(scratch);
  return test_exit("persistence");
}
