/* tests/c/transfer_test.c: the CSV import of customers, contacts and
 * facilities (encodings, delimiters, mappings, dry runs, all or nothing,
 * skipped rows, upserts, progress and cancelling), the export of lists as
 * files, the facility search, the lists' columns, and the misuse of all of
 * them. */
#include "test_support.h"

/* import: imports the `size` bytes at `data` and returns the report (free
 * it with kt_string_free()), or NULL when the call failed. */
static char *import(kt_register *reg, uint64_t actor, const char *data, size_t size,
                    const kt_import_options *options) {
  char *report = NULL;
  CHECK_OK(kt_import_csv(&report, reg, actor, data, size, options));
  return report;
}

/* import_text: the same for a file held in a C string. */
static char *import_text(kt_register *reg, uint64_t actor, const char *csv, const kt_import_options *options) {
  return import(reg, actor, csv, strlen(csv), options);
}

/* has_customer: whether a customer with this number exists (for admin). */
static int has_customer(kt_register *reg, uint64_t actor, const char *number) {
  char *json = NULL;
  int rc = kt_customer_get_by_number(&json, reg, actor, number);
  kt_string_free(json);
  return rc == KT_OK;
}

/* customer_json: the customer with this number as JSON (free it), or NULL. */
static char *customer_json(kt_register *reg, uint64_t actor, const char *number) {
  char *json = NULL;
  CHECK_OK(kt_customer_get_by_number(&json, reg, actor, number));
  return json;
}

static void files_in_nordic_encodings_are_read(void) {
  int64_t clock;
  uint64_t admin;
  kt_register *reg = test_register(&clock, &admin);
  char *report, *json;
  /* Excel on a Swedish Windows: Windows-1252, ';', CR LF, Swedish headers. */
  const char cp1252[] =
      "Kundnummer;Namn;Postnummer;Ort\r\n"
      "1001;\xC5sa \xD6" "berg;411 01;G\xF6" "teborg\r\n";
  /* UTF-8 with a byte order mark, ',', the columns' own names. */
  const char bom[] =
      "\xEF\xBB\xBFnumber,name,email\n"
      "1002,S\xC3\xB8ren \xC3\x86r\xC3\xB8,soren@aero.dk\n";

  report = import(reg, admin, cp1252, sizeof cp1252 - 1, NULL);
  CHECK_CONTAINS(report, "\"kind\":\"customers\"");
  CHECK_CONTAINS(report, "\"encoding\":\"windows-1252\"");
  CHECK_CONTAINS(report, "\"delimiter\":\";\"");
  CHECK_CONTAINS(report, "{\"header\":\"Kundnummer\",\"column\":\"number\"}");
  CHECK_CONTAINS(report, "{\"header\":\"Ort\",\"column\":\"invoice_address.city\"}");
  CHECK(json_number(report, "rows") == 1);
  CHECK(json_number(report, "created") == 1);
  CHECK(json_number(report, "change") > 0 && json_number(report, "change") != UINT64_MAX);
  CHECK_CONTAINS(report, "\"problems\":[]");
  CHECK_CONTAINS(report, "\"applied\":true");
  CHECK_CONTAINS(report, "\"cancelled\":false");
  kt_string_free(report);
  json = customer_json(reg, admin, "1001");
  CHECK_CONTAINS(json, "\"name\":\"\xC3\x85sa \xC3\x96" "berg\"");
  CHECK_CONTAINS(json, "\"city\":\"G\xC3\xB6teborg\"");
  kt_string_free(json);

  report = import(reg, admin, bom, sizeof bom - 1, NULL);
  CHECK_CONTAINS(report, "\"encoding\":\"UTF-8 with BOM\"");
  CHECK_CONTAINS(report, "\"delimiter\":\",\"");
  CHECK(json_number(report, "created") == 1);
  kt_string_free(report);
  json = customer_json(reg, admin, "1002");
  CHECK_CONTAINS(json, "\"name\":\"S\xC3\xB8ren \xC3\x86r\xC3\xB8\"");
  CHECK_CONTAINS(json, "\"email\":\"soren@aero.dk\"");
  kt_string_free(json);

  /* The imported records are in history like any other, in one change. */
  {
    kt_history_query *history = NULL;
    kt_cursor *cursor = NULL;
    char *entry = NULL;
    CHECK_OK(kt_history_query_new(&history));
    CHECK_OK(kt_history_query_set_record(history, "customer", 2));
    CHECK_OK(kt_history(&cursor, reg, admin, history));
    CHECK_OK(kt_cursor_next(&entry, cursor));
    CHECK_CONTAINS(entry, "\"source\":\"import\"");
    CHECK_CONTAINS(entry, "\"action\":\"created\"");
    kt_string_free(entry);
    kt_cursor_free(cursor);
    kt_history_query_free(history);
  }
  kt_register_free(reg);
}

static void options_shape_the_import(void) {
  int64_t clock;
  uint64_t admin;
  kt_register *reg = test_register(&clock, &admin);
  kt_import_options *options = NULL;
  char *report, *json;
  const char *file =
      "number;name;email\n"
      "2001;Ek AB;ek@ek.se\n"
      "2002;Ask AB;not-an-email\n"
      "2003;Alm AB;\n";
  char counts_before[256], *counts = NULL;

  CHECK_OK(kt_import_options_new(&options));

  /* A dry run checks and reports, and changes nothing. */
  CHECK_OK(kt_register_counts(&counts, reg));
  snprintf(counts_before, sizeof counts_before, "%s", counts);
  kt_string_free(counts);
  CHECK_OK(kt_import_options_set_dry_run(options, 1));
  report = import_text(reg, admin, "number;name\n2001;Ek AB\n2003;Alm AB\n", options);
  CHECK_CONTAINS(report, "\"dry_run\":true");
  CHECK_CONTAINS(report, "\"applied\":false");
  CHECK(json_number(report, "created") == 2);
  CHECK(json_number(report, "change") == 0);
  kt_string_free(report);
  CHECK(!has_customer(reg, admin, "2001"));
  CHECK_OK(kt_register_counts(&counts, reg));
  CHECK(strcmp(counts, counts_before) == 0);
  kt_string_free(counts);
  CHECK_OK(kt_import_options_set_dry_run(options, 0));

  /* All or nothing: one bad row, and no row is imported; the problem names
   * the row as a spreadsheet numbers it, the header and the value. */
  report = import_text(reg, admin, file, options);
  CHECK(json_number(report, "rows") == 3);
  CHECK_CONTAINS(report, "\"applied\":false");
  CHECK_CONTAINS(report, "\"problems\":[{\"row\":3,\"column\":\"email\",\"value\":\"not-an-email\",\"reason\":");
  CHECK_CONTAINS(report, "e-mail");
  kt_string_free(report);
  CHECK(!has_customer(reg, admin, "2001"));
  CHECK(!has_customer(reg, admin, "2003"));

  /* Skipping bad rows: the good ones are imported, the bad one reported. */
  CHECK_OK(kt_import_options_set_skip_bad_rows(options, 1));
  report = import_text(reg, admin, file, options);
  CHECK(json_number(report, "created") == 2);
  CHECK(json_number(report, "skipped") == 1);
  CHECK_CONTAINS(report, "\"row\":3");
  CHECK_CONTAINS(report, "\"applied\":true");
  kt_string_free(report);
  CHECK(has_customer(reg, admin, "2001"));
  CHECK(!has_customer(reg, admin, "2002"));
  CHECK(has_customer(reg, admin, "2003"));
  CHECK_OK(kt_import_options_set_skip_bad_rows(options, 0));

  /* Without upsert a number in use is a bad row; with it, the row updates
   * the columns the file has and keeps the rest. */
  report = import_text(reg, admin, "number;name;Ort\n2001;Ek AB;Ume\xC3\xA5\n", options);
  CHECK(json_number(report, "created") == 0);
  CHECK_CONTAINS(report, "\"problems\":[{\"row\":2,");
  CHECK_CONTAINS(report, "\"applied\":false");
  kt_string_free(report);
  CHECK_OK(kt_import_options_set_upsert(options, 1));
  report = import_text(reg, admin, "number;name;Ort\n2001;Ek AB;Ume\xC3\xA5\n2004;Lind AB;Lule\xC3\xA5\n", options);
  CHECK(json_number(report, "updated") == 1);
  CHECK(json_number(report, "created") == 1);
  kt_string_free(report);
  json = customer_json(reg, admin, "2001");
  CHECK_CONTAINS(json, "\"email\":\"ek@ek.se\"");
  CHECK_CONTAINS(json, "\"city\":\"Ume\xC3\xA5\"");
  CHECK(json_number(json, "revision") == 2);
  kt_string_free(json);
  CHECK_OK(kt_import_options_set_upsert(options, 0));

  /* A mapping reads a header as a column, or not at all; the delimiter can
   * be given. The report says how each header was read. */
  CHECK_OK(kt_import_options_map_column(options, "Kund", "number"));
  CHECK_OK(kt_import_options_map_column(options, "F\xC3\xB6retag", "name"));
  CHECK_OK(kt_import_options_map_column(options, "Skr\xC3\xA4p", "phone"));
  CHECK_OK(kt_import_options_map_column(options, "Skr\xC3\xA4p", "")); /* replaces the mapping */
  CHECK_OK(kt_import_options_set_delimiter(options, '\t'));
  report = import_text(reg, admin, "Kund\tF\xC3\xB6retag\tSkr\xC3\xA4p\n3001\tGran AB\tx y z\n", options);
  CHECK_CONTAINS(report, "\"delimiter\":\"\\t\"");
  CHECK_CONTAINS(report, "{\"header\":\"Kund\",\"column\":\"number\"}");
  CHECK_CONTAINS(report, "{\"header\":\"Skr\xC3\xA4p\",\"column\":\"\"}");
  CHECK(json_number(report, "created") == 1);
  kt_string_free(report);
  json = customer_json(reg, admin, "3001");
  CHECK_CONTAINS(json, "\"name\":\"Gran AB\"");
  CHECK_CONTAINS(json, "\"phone\":\"\"");
  kt_string_free(json);
  CHECK_OK(kt_import_options_set_delimiter(options, 0));
  kt_import_options_free(options);
  kt_register_free(reg);
}

static void contacts_and_facilities_are_imported(void) {
  int64_t clock;
  uint64_t admin;
  kt_register *reg = test_register(&clock, &admin);
  kt_import_options *options = NULL;
  kt_cursor *cursor = NULL;
  char *report, *item = NULL;

  report = import_text(reg, admin, "Kundnummer;Namn\n1001;Ek AB\n1002;Ask AB\n", NULL);
  kt_string_free(report);
  CHECK_OK(kt_import_options_new(&options));

  /* A contact is linked to every customer the '|'-separated numbers name. */
  CHECK_OK(kt_import_options_set_kind(options, "contacts"));
  report = import_text(reg, admin,
                       "F\xC3\xB6rnamn;Efternamn;email;customer_number;role\n"
                       "Lisa;Kvist;lisa@kvist.se;1001|1002;Ink\xC3\xB6p\n",
                       options);
  CHECK_CONTAINS(report, "\"kind\":\"contacts\"");
  CHECK(json_number(report, "created") == 1);
  kt_string_free(report);
  CHECK_OK(kt_contact_links(&cursor, reg, admin, 1));
  CHECK(count_items(cursor) == 2);
  CHECK_OK(kt_customer_contacts(&cursor, reg, admin, 1));
  CHECK_OK(kt_cursor_next(&item, cursor));
  CHECK_CONTAINS(item, "\"role\":\"Ink\xC3\xB6p\"");
  CHECK_CONTAINS(item, "\"first_name\":\"Lisa\"");
  kt_string_free(item);
  kt_cursor_free(cursor);

  /* A facility belongs to the customer its number names. */
  CHECK_OK(kt_import_options_set_kind(options, "facilities"));
  report = import_text(reg, admin,
                       "customer_number;name;number;address.street\n"
                       "1001;Verkstan;F-1;Storgatan 1\n"
                       "1002;Lagret;F-2;Hamnv\xC3\xA4gen 4\n",
                       options);
  CHECK_CONTAINS(report, "\"kind\":\"facilities\"");
  CHECK(json_number(report, "created") == 2);
  kt_string_free(report);
  CHECK_OK(kt_customer_facilities(&cursor, reg, admin, 2));
  CHECK_OK(kt_cursor_next(&item, cursor));
  CHECK_CONTAINS(item, "\"name\":\"Lagret\"");
  CHECK_CONTAINS(item, "\"street\":\"Hamnv\xC3\xA4gen 4\"");
  kt_string_free(item);
  kt_cursor_free(cursor);

  /* A facility of an unknown customer is a bad row. */
  report = import_text(reg, admin, "customer_number;name\n9999;Ladan\n", options);
  CHECK_CONTAINS(report, "\"problems\":[{\"row\":2,");
  CHECK_CONTAINS(report, "\"applied\":false");
  kt_string_free(report);
  kt_import_options_free(options);
  kt_register_free(reg);
}

/* Progress: counts the calls of each phase; cancels at call `cancel_at`
 * (0: never). */
struct progress {
  int calls;
  int reading;
  int rows;
  int records;
  int cancel_at;
  uint64_t last_done;
  uint64_t last_total;
};

static int on_progress(const char *phase, uint64_t done, uint64_t total, void *payload) {
  struct progress *p = (struct progress *)payload;
  ++p->calls;
  if (strcmp(phase, "reading") == 0) ++p->reading;
  else if (strcmp(phase, "rows") == 0) ++p->rows;
  else if (strcmp(phase, "records") == 0) ++p->records;
  p->last_done = done;
  p->last_total = total;
  return p->cancel_at == 0 || p->calls < p->cancel_at;
}

/* A callback that calls into the register it reports on: while the import
 * applies rows, or the export writes records, the register is locked, and
 * the call is refused rather than waiting for ever. */
struct reentry {
  kt_register *reg;
  uint64_t actor;
  const char *phase;
  int calls;
  int refused;
};

static int call_back_in(const char *phase, uint64_t done, uint64_t total, void *payload) {
  struct reentry *r = (struct reentry *)payload;
  char *json = NULL;
  (void)done;
  (void)total;
  if (strcmp(phase, r->phase) != 0) return 1;
  ++r->calls;
  if (kt_customer_get_by_number(&json, r->reg, r->actor, "4001") == KT_CONFLICT) ++r->refused;
  kt_string_free(json);
  return 1;
}

static void progress_is_reported_and_can_cancel(void) {
  int64_t clock;
  uint64_t admin;
  kt_register *reg = test_register(&clock, &admin);
  kt_import_options *import_options = NULL;
  kt_export_options *export_options = NULL;
  struct progress seen = {0, 0, 0, 0, 0, 0, 0};
  const char *file = "number;name\n4001;Ek AB\n4002;Ask AB\n4003;Alm AB\n";
  char *report = NULL;
  unsigned char *bytes = NULL;
  size_t size = 7;

  CHECK_OK(kt_import_options_new(&import_options));
  CHECK_OK(kt_import_options_set_progress(import_options, on_progress, &seen));
  report = import_text(reg, admin, file, import_options);
  CHECK_CONTAINS(report, "\"applied\":true");
  kt_string_free(report);
  CHECK(seen.calls > 0);
  CHECK(seen.reading > 0);
  CHECK(seen.rows > 0);
  CHECK(seen.last_done == seen.last_total);

  /* Returning 0 cancels: nothing is applied, and the report says so. */
  memset(&seen, 0, sizeof seen);
  seen.cancel_at = 1;
  report = import_text(reg, admin, "number;name\n4004;Gran AB\n4005;Lind AB\n", import_options);
  CHECK(seen.calls == 1);
  CHECK_CONTAINS(report, "\"cancelled\":true");
  CHECK_CONTAINS(report, "\"applied\":false");
  kt_string_free(report);
  CHECK(!has_customer(reg, admin, "4004"));

  /* Without a callback again, the import goes through. */
  CHECK_OK(kt_import_options_set_progress(import_options, NULL, &seen));
  memset(&seen, 0, sizeof seen);
  report = import_text(reg, admin, "number;name\n4004;Gran AB\n", import_options);
  CHECK_CONTAINS(report, "\"applied\":true");
  kt_string_free(report);
  CHECK(seen.calls == 0);
  kt_import_options_free(import_options);

  /* An export reports the records it writes; cancelled, it is KT_CONFLICT
   * and returns nothing. */
  CHECK_OK(kt_export_options_new(&export_options));
  CHECK_OK(kt_export_options_set_progress(export_options, on_progress, &seen));
  CHECK_OK(kt_customer_export(&bytes, &size, reg, admin, NULL, export_options));
  kt_buffer_free(bytes);
  CHECK(seen.records > 0);
  CHECK(seen.last_done == 4 && seen.last_total == 4);
  memset(&seen, 0, sizeof seen);
  seen.cancel_at = 1;
  CHECK_RC(KT_CONFLICT, kt_customer_export(&bytes, &size, reg, admin, NULL, export_options));
  CHECK(bytes == NULL && size == 0);
  CHECK(seen.calls == 1);

  /* Calling the same register from the callback is KT_CONFLICT. */
  {
    struct reentry reentry = {NULL, 0, "records", 0, 0};
    reentry.reg = reg;
    reentry.actor = admin;
    CHECK_OK(kt_export_options_set_progress(export_options, call_back_in, &reentry));
    CHECK_OK(kt_customer_export(&bytes, &size, reg, admin, NULL, export_options));
    kt_buffer_free(bytes);
    CHECK(reentry.calls > 0 && reentry.refused == reentry.calls);
    CHECK_OK(kt_import_options_new(&import_options));
    reentry.phase = "rows";
    reentry.calls = reentry.refused = 0;
    CHECK_OK(kt_import_options_set_progress(import_options, call_back_in, &reentry));
    report = import_text(reg, admin, "number;name\n4006;Tall AB\n", import_options);
    CHECK_CONTAINS(report, "\"applied\":true");
    kt_string_free(report);
    CHECK(reentry.calls > 0 && reentry.refused == reentry.calls);
    kt_import_options_free(import_options);
  }
  kt_export_options_free(export_options);
  kt_register_free(reg);
}

static void lists_are_exported(void) {
  int64_t clock;
  uint64_t admin, contact = 0, order = 0;
  kt_register *reg = test_register(&clock, &admin);
  kt_export_options *options = NULL;
  kt_customer_query *query = NULL;
  kt_contact_query *contacts = NULL;
  kt_order_query *orders = NULL;
  unsigned char *bytes = NULL;
  size_t size = 0;
  char *report;

  report = import_text(reg, admin,
                       "Kundnummer;Namn;E-post\n"
                       "1001;\xC3\x85sa \xC3\x96" "berg;asa@oberg.se\n"
                       "1002;Ek AB;ek@ek.se\n",
                       NULL);
  kt_string_free(report);
  CHECK_OK(kt_contact_create(&contact, reg, admin, "{\"first_name\":\"Lisa\",\"last_name\":\"Kvist\"}"));
  CHECK_OK(kt_order_create(&order, reg, admin, "{\"customer\":1,\"subject\":\"Pump l\xC3\xA4" "cker\"}"));

  /* Excel's CSV: a byte order mark, ';', UTF-8; NUL-terminated. */
  CHECK_OK(kt_customer_export(&bytes, &size, reg, admin, NULL, NULL));
  REQUIRE(bytes != NULL);
  CHECK(size > 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF);
  CHECK(bytes[size] == '\0' && strlen((const char *)bytes) == size);
  CHECK(strchr((const char *)bytes, ';') != NULL);
  CHECK_CONTAINS((const char *)bytes, "\r\n");
  CHECK_CONTAINS((const char *)bytes, "\xC3\x85sa \xC3\x96" "berg");
  CHECK_CONTAINS((const char *)bytes, "Ek AB");
  kt_buffer_free(bytes);

  /* JSON with chosen columns, of a query's matches. */
  CHECK_OK(kt_export_options_new(&options));
  CHECK_OK(kt_export_options_set_format(options, "json"));
  CHECK_OK(kt_export_options_add_column(options, "number"));
  CHECK_OK(kt_export_options_add_column(options, "email"));
  CHECK_OK(kt_customer_query_new(&query));
  CHECK_OK(kt_customer_query_set_sort(query, "number", 1));
  CHECK_OK(kt_customer_export(&bytes, &size, reg, admin, query, options));
  REQUIRE(bytes != NULL);
  CHECK(bytes[0] == '[' && strlen((const char *)bytes) == size);
  {
    const char *ek = strstr((const char *)bytes, "{\"number\":\"1002\",\"email\":\"ek@ek.se\"}");
    const char *asa = strstr((const char *)bytes, "{\"number\":\"1001\",\"email\":\"asa@oberg.se\"}");
    CHECK(ek && asa && ek < asa); /* sorted by number, descending */
  }
  kt_buffer_free(bytes);
  /* The query's page applies. */
  CHECK_OK(kt_customer_query_set_page(query, 0, 1));
  CHECK_OK(kt_customer_export(&bytes, &size, reg, admin, query, options));
  CHECK_CONTAINS((const char *)bytes, "{\"number\":\"1002\",");
  CHECK(bytes && !strstr((const char *)bytes, "1001"));
  kt_buffer_free(bytes);

  /* Plain CSV; back to the default columns. */
  CHECK_OK(kt_export_options_set_format(options, "csv"));
  CHECK_OK(kt_export_options_clear_columns(options));
  CHECK_OK(kt_export_options_add_column(options, "name"));
  CHECK_OK(kt_customer_export(&bytes, &size, reg, admin, query, options));
  CHECK(bytes && strcmp((const char *)bytes, "name\r\nEk AB\r\n") == 0);
  CHECK(size == 13);
  kt_buffer_free(bytes);
  CHECK_OK(kt_export_options_clear_columns(options));
  CHECK_OK(kt_customer_export(&bytes, &size, reg, admin, NULL, options));
  CHECK(bytes && strncmp((const char *)bytes, "number,", 7) == 0 && bytes[0] != 0xEF);
  kt_buffer_free(bytes);

  /* Contacts and orders. */
  CHECK_OK(kt_contact_query_new(&contacts));
  CHECK_OK(kt_contact_export(&bytes, &size, reg, admin, contacts, options));
  CHECK_CONTAINS((const char *)bytes, "Kvist");
  kt_buffer_free(bytes);
  CHECK_OK(kt_contact_export(&bytes, &size, reg, admin, NULL, NULL));
  CHECK_CONTAINS((const char *)bytes, "Lisa");
  kt_buffer_free(bytes);
  CHECK_OK(kt_order_query_new(&orders));
  CHECK_OK(kt_order_query_set_customer(orders, 1));
  CHECK_OK(kt_order_export(&bytes, &size, reg, admin, orders, options));
  CHECK_CONTAINS((const char *)bytes, "Pump l\xC3\xA4" "cker");
  kt_buffer_free(bytes);
  CHECK_OK(kt_order_query_set_customer(orders, 2));
  CHECK_OK(kt_order_export(&bytes, &size, reg, admin, orders, options));
  CHECK(bytes && !strstr((const char *)bytes, "Pump"));
  kt_buffer_free(bytes);
  CHECK_OK(kt_order_export(&bytes, &size, reg, admin, NULL, NULL));
  CHECK_CONTAINS((const char *)bytes, "Pump l\xC3\xA4" "cker");
  kt_buffer_free(bytes);

  /* Refused: an unknown column, a page of 0, a bad format, misuse. */
  CHECK_OK(kt_export_options_add_column(options, "shoe_size"));
  CHECK_RC(KT_INVALID, kt_customer_export(&bytes, &size, reg, admin, NULL, options));
  CHECK_CONTAINS(kt_error_message(), "shoe_size");
  CHECK(bytes == NULL && size == 0);
  CHECK_OK(kt_export_options_clear_columns(options));
  CHECK_OK(kt_customer_query_set_page(query, 0, 0));
  CHECK_FAILS(KT_INVALID, "limit", "at least 1", kt_customer_export(&bytes, &size, reg, admin, query, options));
  CHECK_FAILS(KT_INVALID, "format", "expected one of excel, csv, json", kt_export_options_set_format(options, "xlsx"));
  CHECK_FAILS(KT_INVALID, "column", "UTF-8", kt_export_options_add_column(options, "\xC3("));
  CHECK_RC(KT_MISUSE, kt_export_options_add_column(options, NULL));
  CHECK_RC(KT_MISUSE, kt_export_options_set_format(NULL, "csv"));
  CHECK_RC(KT_MISUSE, kt_export_options_clear_columns(NULL));
  CHECK_RC(KT_MISUSE, kt_export_options_set_progress(NULL, NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_export_options_new(NULL));
  CHECK_RC(KT_MISUSE, kt_customer_export(NULL, &size, reg, admin, NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_customer_export(&bytes, NULL, reg, admin, NULL, NULL));
  CHECK(bytes == NULL);
  CHECK_RC(KT_MISUSE, kt_customer_export(&bytes, &size, NULL, admin, NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_contact_export(&bytes, &size, NULL, admin, NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_facility_export(&bytes, &size, NULL, admin, NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_order_export(&bytes, &size, NULL, admin, NULL, NULL));
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_customer_query",
              kt_customer_export(&bytes, &size, reg, admin, (const kt_customer_query *)contacts, NULL));
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_export_options",
              kt_customer_export(&bytes, &size, reg, admin, NULL, (const kt_export_options *)query));
  CHECK_RC(KT_PERMISSION_DENIED, kt_customer_export(&bytes, &size, reg, 99, NULL, NULL));
  CHECK(bytes == NULL && size == 0);

  kt_order_query_free(orders);
  kt_contact_query_free(contacts);
  kt_customer_query_free(query);
  kt_export_options_free(options);
  kt_error_clear();
  kt_export_options_free(options);
  CHECK(kt_error_code() == KT_MISUSE);
  kt_export_options_free(NULL);
  kt_register_free(reg);
}

/* facility_names: the names of a facility search's items, joined by '|'. */
static void facility_names(kt_register *reg, uint64_t actor, const kt_facility_query *query, char *buffer,
                           size_t size, size_t *total) {
  kt_cursor *cursor = NULL;
  char *item = NULL;
  buffer[0] = '\0';
  CHECK_OK(kt_facility_search(&cursor, reg, actor, query));
  CHECK_OK(kt_cursor_total(total, cursor));
  while (kt_cursor_next(&item, cursor) == KT_OK) {
    const char *name = strstr(item, "\"name\":\"") + 8;
    size_t length = (size_t)(strchr(name, '"') - name);
    if (buffer[0]) strncat(buffer, "|", size - strlen(buffer) - 1);
    strncat(buffer, name, length < size - strlen(buffer) - 1 ? length : size - strlen(buffer) - 1);
    kt_string_free(item);
  }
  kt_cursor_free(cursor);
}

static void facilities_are_searched_and_exported(void) {
  int64_t clock;
  uint64_t admin, id = 0;
  kt_register *reg = test_register(&clock, &admin);
  kt_facility_query *query = NULL;
  kt_export_options *options = NULL;
  kt_cursor *cursor = NULL;
  unsigned char *bytes = NULL;
  size_t size = 0, total = 0;
  char names[256];

  CHECK_OK(kt_customer_create(&id, reg, admin, "{\"number\":\"1\",\"name\":\"Ek AB\"}"));
  CHECK_OK(kt_customer_create(&id, reg, admin, "{\"number\":\"2\",\"name\":\"Ask AB\"}"));
  CHECK_OK(kt_facility_create(&id, reg, admin, "{\"customer\":1,\"name\":\"Verkstan\",\"number\":\"F-2\",\"address\":{\"city\":\"Ume\xC3\xA5\"}}"));
  CHECK_OK(kt_facility_create(&id, reg, admin, "{\"customer\":1,\"name\":\"Lagret\",\"number\":\"F-1\",\"address\":{\"city\":\"Lule\xC3\xA5\"}}"));
  CHECK_OK(kt_facility_create(&id, reg, admin, "{\"customer\":2,\"name\":\"\xC3\x85kern\",\"number\":\"A-9\"}"));

  /* Defaults: every facility, by name (Swedish order: Å after Z). */
  facility_names(reg, admin, NULL, names, sizeof names, &total);
  CHECK(strcmp(names, "Lagret|Verkstan|\xC3\x85kern") == 0);
  CHECK(total == 3);

  CHECK_OK(kt_facility_query_new(&query));
  CHECK_OK(kt_facility_query_set_text(query, "f-"));
  facility_names(reg, admin, query, names, sizeof names, &total);
  CHECK(strcmp(names, "Lagret|Verkstan") == 0);
  CHECK_OK(kt_facility_query_set_text(query, "verk"));
  facility_names(reg, admin, query, names, sizeof names, &total);
  CHECK(strcmp(names, "Verkstan") == 0);
  CHECK_OK(kt_facility_query_set_text(query, NULL));
  CHECK_OK(kt_facility_query_set_customer(query, 2));
  facility_names(reg, admin, query, names, sizeof names, &total);
  CHECK(strcmp(names, "\xC3\x85kern") == 0);
  CHECK_OK(kt_facility_query_set_customer(query, 0));
  CHECK_OK(kt_facility_query_set_sort(query, "number", 1));
  facility_names(reg, admin, query, names, sizeof names, &total);
  CHECK(strcmp(names, "Verkstan|Lagret|\xC3\x85kern") == 0);
  CHECK_OK(kt_facility_query_set_sort(query, "city", 0));
  facility_names(reg, admin, query, names, sizeof names, &total);
  CHECK_CONTAINS(names, "Lagret|Verkstan");
  CHECK_OK(kt_facility_query_set_sort(query, "customer", 1));
  facility_names(reg, admin, query, names, sizeof names, &total);
  CHECK(strncmp(names, "\xC3\x85kern|", 7) == 0); /* customer 2 before customer 1 */
  CHECK_OK(kt_facility_query_set_sort(query, "created_at", 0));
  CHECK_OK(kt_facility_query_set_page(query, 1, 1));
  facility_names(reg, admin, query, names, sizeof names, &total);
  CHECK(strcmp(names, "Lagret") == 0);
  CHECK(total == 3);
  CHECK_OK(kt_facility_query_set_page(query, 0, 50));
  CHECK_OK(kt_facility_query_set_active(query, 0));
  facility_names(reg, admin, query, names, sizeof names, &total);
  CHECK(total == 0);
  CHECK_OK(kt_facility_query_set_active(query, 1));
  facility_names(reg, admin, query, names, sizeof names, &total);
  CHECK(total == 3);
  CHECK_OK(kt_facility_query_set_active(query, KT_ANY));

  CHECK_FAILS(KT_INVALID, "sort", "expected one of", kt_facility_query_set_sort(query, "size", 0));
  CHECK_FAILS(KT_INVALID, "active", "KT_ANY", kt_facility_query_set_active(query, 2));
  CHECK_FAILS(KT_INVALID, "text", "UTF-8", kt_facility_query_set_text(query, "\xFF"));
  CHECK_RC(KT_MISUSE, kt_facility_query_set_text(NULL, "x"));
  CHECK_RC(KT_MISUSE, kt_facility_query_set_customer(NULL, 1));
  CHECK_RC(KT_MISUSE, kt_facility_query_set_active(NULL, 1));
  CHECK_RC(KT_MISUSE, kt_facility_query_set_sort(NULL, "name", 0));
  CHECK_RC(KT_MISUSE, kt_facility_query_set_page(NULL, 0, 1));
  CHECK_RC(KT_MISUSE, kt_facility_query_new(NULL));
  CHECK_RC(KT_MISUSE, kt_facility_search(NULL, reg, admin, query));
  CHECK_RC(KT_MISUSE, kt_facility_search(&cursor, NULL, admin, query));
  CHECK(cursor == NULL);
  CHECK_RC(KT_PERMISSION_DENIED, kt_facility_search(&cursor, reg, 99, query));

  /* The facility export takes the same query. */
  CHECK_OK(kt_export_options_new(&options));
  CHECK_OK(kt_export_options_set_format(options, "csv"));
  CHECK_OK(kt_export_options_add_column(options, "name"));
  CHECK_OK(kt_export_options_add_column(options, "number"));
  CHECK_OK(kt_facility_query_set_sort(query, "number", 0));
  CHECK_OK(kt_facility_export(&bytes, &size, reg, admin, query, options));
  CHECK(bytes && strcmp((const char *)bytes, "name,number\r\n\xC3\x85kern,A-9\r\nLagret,F-1\r\nVerkstan,F-2\r\n") == 0);
  kt_buffer_free(bytes);
  CHECK_OK(kt_facility_export(&bytes, &size, reg, admin, NULL, NULL));
  CHECK(size > 3 && bytes[0] == 0xEF);
  CHECK_CONTAINS((const char *)bytes, "Verkstan");
  kt_buffer_free(bytes);
  CHECK_OK(kt_facility_query_set_page(query, 0, 0));
  CHECK_FAILS(KT_INVALID, "limit", "at least 1", kt_facility_search(&cursor, reg, admin, query));

  kt_export_options_free(options);
  kt_facility_query_free(query);
  kt_error_clear();
  kt_facility_query_free(query);
  CHECK(kt_error_code() == KT_MISUSE);
  kt_facility_query_free(NULL);
  kt_register_free(reg);
}

static void columns_are_listed(void) {
  char *json = NULL;

  CHECK_OK(kt_list_columns(&json, "customers"));
  CHECK(json && json[0] == '[');
  CHECK_CONTAINS(json, "\"name\":\"number\"");
  CHECK_CONTAINS(json, "\"Kundnummer\"");
  CHECK_CONTAINS(json, "\"name\":\"invoice_address.city\"");
  CHECK_CONTAINS(json, "\"importable\":");
  CHECK_CONTAINS(json, "\"exported\":");
  CHECK_CONTAINS(json, "\"description\":");
  kt_string_free(json);
  CHECK_OK(kt_list_columns(&json, "contacts"));
  CHECK_CONTAINS(json, "\"name\":\"first_name\"");
  CHECK_CONTAINS(json, "\"name\":\"customer_number\"");
  kt_string_free(json);
  CHECK_OK(kt_list_columns(&json, "facilities"));
  CHECK_CONTAINS(json, "\"name\":\"address.street\"");
  kt_string_free(json);
  CHECK_OK(kt_list_columns(&json, "orders"));
  CHECK_CONTAINS(json, "\"name\":\"number\"");
  kt_string_free(json);
  CHECK_FAILS(KT_INVALID, "list", "expected one of customers, contacts, facilities, orders",
              kt_list_columns(&json, "invoices"));
  CHECK(json == NULL);
  CHECK_FAILS(KT_INVALID, "list", "UTF-8", kt_list_columns(&json, "\xC0\xAF"));
  CHECK_RC(KT_MISUSE, kt_list_columns(&json, NULL));
  CHECK_RC(KT_MISUSE, kt_list_columns(NULL, "customers"));
}

static void imports_refuse_what_they_cannot_read(void) {
  int64_t clock;
  uint64_t admin, viewer = 0;
  kt_register *reg = test_register(&clock, &admin);
  kt_import_options *options = NULL;
  kt_export_options *wrong = NULL;
  char *report = NULL;
  const char utf16[] = "\xFF\xFEn\0u\0m\0\n\0";
  const char *shoes = "Skostorlek;Namn\n42;Ek\n";
  const char *twice = "name;name\nEk;Ek\n";
  const char *open_quote = "number;name\n1;\"Ek\n";

  CHECK_OK(kt_import_options_new(&options));
  /* The options' setters. */
  CHECK_FAILS(KT_INVALID, "kind", "exported, not imported", kt_import_options_set_kind(options, "orders"));
  CHECK_FAILS(KT_INVALID, "kind", "expected one of customers, contacts, facilities",
              kt_import_options_set_kind(options, "kunder"));
  CHECK_FAILS(KT_INVALID, "kind", "UTF-8", kt_import_options_set_kind(options, "\xE2\x82"));
  CHECK_RC(KT_MISUSE, kt_import_options_set_kind(options, NULL));
  CHECK_FAILS(KT_INVALID, "delimiter", "expected", kt_import_options_set_delimiter(options, '|'));
  CHECK_FAILS(KT_INVALID, "header", "UTF-8", kt_import_options_map_column(options, "Ort\xED\xA0\x80", "invoice_address.city"));
  CHECK_FAILS(KT_INVALID, "column", "UTF-8", kt_import_options_map_column(options, "Ort", "\xF8\x88\x80\x80\x80"));
  CHECK_RC(KT_MISUSE, kt_import_options_map_column(options, NULL, "name"));
  CHECK_RC(KT_MISUSE, kt_import_options_map_column(options, "Namn", NULL));
  CHECK_RC(KT_MISUSE, kt_import_options_set_kind(NULL, "customers"));
  CHECK_RC(KT_MISUSE, kt_import_options_set_dry_run(NULL, 1));
  CHECK_RC(KT_MISUSE, kt_import_options_set_skip_bad_rows(NULL, 1));
  CHECK_RC(KT_MISUSE, kt_import_options_set_upsert(NULL, 1));
  CHECK_RC(KT_MISUSE, kt_import_options_map_column(NULL, "a", "b"));
  CHECK_RC(KT_MISUSE, kt_import_options_set_delimiter(NULL, ';'));
  CHECK_RC(KT_MISUSE, kt_import_options_set_progress(NULL, NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_import_options_new(NULL));
  CHECK_OK(kt_import_options_set_kind(options, "customers"));
  CHECK_OK(kt_import_options_set_delimiter(options, ';'));
  CHECK_OK(kt_import_options_set_delimiter(options, ','));
  CHECK_OK(kt_import_options_set_delimiter(options, 0));

  /* A mapping to a column the list lacks is refused by the import. */
  CHECK_OK(kt_import_options_map_column(options, "Skostorlek", "shoe_size"));
  CHECK_RC(KT_INVALID, kt_import_csv(&report, reg, admin, shoes, strlen(shoes), options));
  CHECK_CONTAINS(kt_error_message(), "shoe_size");
  CHECK(report == NULL);
  kt_import_options_free(options);

  /* Files refused as a whole: UTF-16, a header twice, an open quote. */
  CHECK_FAILS(KT_INVALID, "file", "UTF-16", kt_import_csv(&report, reg, admin, utf16, sizeof utf16 - 1, NULL));
  CHECK_RC(KT_INVALID, kt_import_csv(&report, reg, admin, twice, strlen(twice), NULL));
  CHECK_RC(KT_INVALID, kt_import_csv(&report, reg, admin, open_quote, strlen(open_quote), NULL));
  CHECK_CONTAINS(kt_error_message(), "record 2");
  CHECK(report == NULL);

  CHECK_FAILS(KT_INVALID, "file", "empty", kt_import_csv(&report, reg, admin, NULL, 0, NULL));

  /* Options the import refuses: a mapping of a header the file lacks, an
   * upsert of contacts (they have no number to match by). */
  CHECK_OK(kt_import_options_new(&options));
  CHECK_OK(kt_import_options_map_column(options, "Kundnr", "number"));
  CHECK_FAILS(KT_INVALID, "mapping", "Kundnr", kt_import_csv(&report, reg, admin, "name\nEk\n", 8, options));
  kt_import_options_free(options);
  CHECK_OK(kt_import_options_new(&options));
  CHECK_OK(kt_import_options_set_kind(options, "contacts"));
  CHECK_OK(kt_import_options_set_upsert(options, 1));
  CHECK_FAILS(KT_INVALID, "upsert", "contacts", kt_import_csv(&report, reg, admin, "last_name\nEk\n", 13, options));
  CHECK(report == NULL);
  kt_import_options_free(options);

  /* The bytes are not taken as UTF-8 text: a NUL inside is data, not an
   * end (here it makes the file no valid CSV of names, so it is the
   * library, not the boundary, that decides). */
  {
    const char with_nul[] = "number;name\n5001;E\0k\n";
    int rc = kt_import_csv(&report, reg, admin, with_nul, sizeof with_nul - 1, NULL);
    CHECK(rc == KT_OK || rc == KT_INVALID);
    kt_string_free(report);
  }

  /* Misuse: NULL out, register, data; options of another kind. */
  CHECK_RC(KT_MISUSE, kt_import_csv(NULL, reg, admin, "a\n", 2, NULL));
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_import_csv(&report, NULL, admin, "a\n", 2, NULL));
  CHECK_FAILS(KT_MISUSE, "", "data is NULL", kt_import_csv(&report, reg, admin, NULL, 2, NULL));
  CHECK(report == NULL);
  CHECK_OK(kt_export_options_new(&wrong));
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_import_options",
              kt_import_csv(&report, reg, admin, "name\nEk\n", 8, (const kt_import_options *)wrong));
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_import_options",
              kt_import_options_set_upsert((kt_import_options *)wrong, 1));
  kt_export_options_free(wrong);
  kt_error_clear();
  kt_import_options_free(options); /* freed already */
  CHECK(kt_error_code() == KT_MISUSE);
  kt_import_options_free(NULL);

  /* Rights: the upload right is needed, and an active user. */
  CHECK_OK(kt_user_create(&viewer, reg, admin,
                          "{\"login\":\"vera\",\"name\":\"Vera\",\"rights\":[\"customers.view\",\"customers.create\"]}"));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "customers.upload",
              kt_import_csv(&report, reg, viewer, "name\nEk\n", 8, NULL));
  CHECK_RC(KT_PERMISSION_DENIED, kt_import_csv(&report, reg, 99, "name\nEk\n", 8, NULL));
  CHECK(report == NULL);
  CHECK(!has_customer(reg, admin, "1"));
  kt_register_free(reg);
}

int main(void) {
  files_in_nordic_encodings_are_read();
  options_shape_the_import();
  contacts_and_facilities_are_imported();
  progress_is_reported_and_can_cancel();
  lists_are_exported();
  facilities_are_searched_and_exported();
  columns_are_listed();
  imports_refuse_what_they_cannot_read();
  return test_exit("transfer_test");
}
