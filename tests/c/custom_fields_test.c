/* tests/c/custom_fields_test.c: custom fields through the C API: fields
 * defined, listed (retired ones when asked), updated as patches on a
 * revision, retired and restored by administrators only; values on every
 * kind of record checked on create and update ("custom.<key>"), patched
 * key by key, in history; a change of type that converts every value or
 * changes nothing, with the values that would not convert listed; the
 * custom filters of each match and the custom sort of the customer list,
 * and of the contact, facility and order lists (the order query also as
 * JSON and as a saved filter); searchable fields found by the search text;
 * custom columns in CSV exports and imports. A refused call leaves the
 * register byte for byte as it was. The rules themselves are
 * docs/custom-fields.md's; tests/cpp/custom_fields_test.cpp proves each in
 * the C++ API. */
#include "test_support.h"

/* Some Nordic text, spelt out in UTF-8. */
#define VARME "V\xC3\xA4rme"              /* Värme */
#define VAST "V\xC3\xA4st"                /* Väst */
#define HOG "h\xC3\xB6g"                  /* hög */
#define LAG "l\xC3\xA5g"                  /* låg */
#define ABERG "\xC3\x85" "berg AB"        /* Åberg AB */
#define ANSTALLDA "Anst\xC3\xA4llda"      /* Anställda */

/* fx: a register with its administrator and a staff user with every right
 * (no administrator), and the ids of the records a test makes. */
typedef struct {
  int64_t clock;
  kt_register *reg;
  uint64_t admin, staff;
  uint64_t aberg, berg, ceder;
} fx;

static void setup(fx *s) {
  memset(s, 0, sizeof *s);
  s->reg = test_register(&s->clock, &s->admin);
  CHECK_OK(kt_user_create(&s->staff, s->reg, s->admin,
                          "{\"login\":\"tekla\",\"name\":\"Tekla Tekniker\"," KT_TEST_ALL_RIGHTS "}"));
}

static uint64_t add_customer(fx *s, const char *json) {
  uint64_t id = 0;
  CHECK_OK(kt_customer_create(&id, s->reg, s->staff, json));
  return id;
}

/* define: a field as the administrator defines it. */
static void define(fx *s, const char *json) { CHECK_OK(kt_field_define(s->reg, s->admin, json)); }

/* definition: the definition of field `key` of `kind` as JSON, retired or
 * not (free it), or NULL when there is none. */
static char *definition(fx *s, const char *kind, const char *key) {
  kt_cursor *cursor = NULL;
  char *item = NULL, *found = NULL, pattern[96];
  snprintf(pattern, sizeof pattern, "\"key\":\"%s\",", key);
  CHECK_OK(kt_field_definitions(&cursor, s->reg, s->admin, kind, 1));
  while (kt_cursor_next(&item, cursor) == KT_OK) {
    if (!found && strstr(item, pattern)) found = item;
    else kt_string_free(item);
  }
  kt_cursor_free(cursor);
  return found;
}

static uint64_t field_revision(fx *s, const char *kind, const char *key) {
  char *json = definition(s, kind, key);
  uint64_t revision = json_number(json, "revision");
  kt_string_free(json);
  return revision;
}

/* The customer as JSON (free it). */
static char *customer(fx *s, uint64_t id) {
  char *json = NULL;
  CHECK_OK(kt_customer_get(&json, s->reg, s->admin, id));
  return json;
}

/* set_custom: patches the customer's custom values with `custom_json`. */
static void set_custom(fx *s, uint64_t id, const char *custom_json) {
  char patch[1024];
  snprintf(patch, sizeof patch, "{\"custom\":%s}", custom_json);
  CHECK_OK(kt_customer_update(s->reg, s->staff, id, record_number(kt_customer_get, s->reg, s->admin, id, "revision"),
                              patch));
}

/* ids: the ids of the items of a cursor, as "4,7,9" in `buffer`; frees the
 * cursor (NULL: none). */
static void ids(kt_cursor *cursor, char *buffer, size_t size) {
  char *item = NULL;
  buffer[0] = '\0';
  if (!cursor) return;
  while (kt_cursor_next(&item, cursor) == KT_OK) {
    size_t used = strlen(buffer);
    snprintf(buffer + used, size - used, "%s%llu", used ? "," : "", (unsigned long long)json_number(item, "id"));
    kt_string_free(item);
  }
  kt_cursor_free(cursor);
}

/* The searches of each list: the ids of the page in `buffer`, the number
 * of matches on all pages returned. */
static size_t customers(fx *s, const kt_customer_query *q, char *buffer, size_t size) {
  kt_cursor *cursor = NULL;
  size_t total = 0;
  CHECK_OK(kt_customer_search(&cursor, s->reg, s->staff, q));
  if (cursor) CHECK_OK(kt_cursor_total(&total, cursor));
  ids(cursor, buffer, size);
  return total;
}

static void contacts(fx *s, const kt_contact_query *q, char *buffer, size_t size) {
  kt_cursor *cursor = NULL;
  CHECK_OK(kt_contact_search(&cursor, s->reg, s->staff, q));
  ids(cursor, buffer, size);
}

static void facilities(fx *s, const kt_facility_query *q, char *buffer, size_t size) {
  kt_cursor *cursor = NULL;
  CHECK_OK(kt_facility_search(&cursor, s->reg, s->staff, q));
  ids(cursor, buffer, size);
}

static void orders(fx *s, const kt_order_query *q, char *buffer, size_t size) {
  kt_cursor *cursor = NULL;
  CHECK_OK(kt_order_search(&cursor, s->reg, s->staff, q));
  ids(cursor, buffer, size);
}

/* The fields of the search tests: customers' note (searchable text),
 * employees (integer), signed (date), zone (choice: Syd before Nord) and
 * services (multi_choice), and three customers: Åberg with every value,
 * Berg with others, Cederlund with none. */
static void searched(fx *s) {
  setup(s);
  define(s, "{\"kind\":\"customer\",\"key\":\"note\",\"labels\":[{\"language\":\"sv\",\"text\":\"Anteckning\"}],"
            "\"searchable\":true}");
  define(s, "{\"kind\":\"customer\",\"key\":\"employees\",\"type\":\"integer\","
            "\"labels\":[{\"language\":\"sv\",\"text\":\"" ANSTALLDA "\"},{\"language\":\"en\",\"text\":\"Staff\"}]}");
  define(s, "{\"kind\":\"customer\",\"key\":\"signed\",\"type\":\"date\",\"labels\":[{\"language\":\"sv\",\"text\":\"Avtal\"}]}");
  define(s, "{\"kind\":\"customer\",\"key\":\"zone\",\"type\":\"choice\",\"choices\":[\"Syd\",\"Nord\"],"
            "\"labels\":[{\"language\":\"sv\",\"text\":\"Distrikt\"}]}");
  define(s, "{\"kind\":\"customer\",\"key\":\"services\",\"type\":\"multi_choice\",\"choices\":[\"Kyla\",\"" VARME "\"],"
            "\"labels\":[{\"language\":\"sv\",\"text\":\"Tj\xC3\xA4nster\"}]}");
  s->aberg = add_customer(s, "{\"number\":\"100\",\"name\":\"" ABERG "\",\"custom\":{"
                             "\"note\":\"Nyckel hos \xC3\x96" "berg\",\"employees\":40,\"signed\":\"2025-03-01\","
                             "\"zone\":\"Nord\",\"services\":[\"" VARME "\",\"Kyla\"]}}");
  s->berg = add_customer(s, "{\"number\":\"101\",\"name\":\"Berg AB\",\"custom\":{"
                            "\"note\":\"ring f\xC3\xB6re\",\"employees\":5,\"signed\":\"2026-01-10\","
                            "\"zone\":\"Syd\",\"services\":[\"" VARME "\"]}}");
  s->ceder = add_customer(s, "{\"number\":\"102\",\"name\":\"Cederlund AB\"}");
}

/* ---- definitions --------------------------------------------------------- */

static void administrators_define_fields(void) {
  fx s;
  kt_cursor *cursor = NULL;
  char *json = NULL;
  kt_test_state before;

  setup(&s);
  /* Staff read definitions but do not make them. */
  before = register_state(s.reg);
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "administrator",
              kt_field_define(s.reg, s.staff, "{\"kind\":\"customer\",\"key\":\"size\",\"type\":\"integer\","
                                              "\"labels\":[{\"language\":\"sv\",\"text\":\"Storlek\"}]}"));
  /* Refusals name the member at fault. */
  CHECK_FAILS(KT_INVALID, "key", "is not a key",
              kt_field_define(s.reg, s.admin, "{\"key\":\"Storlek\",\"labels\":[{\"language\":\"sv\",\"text\":\"S\"}]}"));
  CHECK_FAILS(KT_INVALID, "kind", "custom fields are defined on",
              kt_field_define(s.reg, s.admin, "{\"kind\":\"user\",\"key\":\"size\","
                                              "\"labels\":[{\"language\":\"sv\",\"text\":\"S\"}]}"));
  CHECK_FAILS(KT_INVALID, "labels", "at least one label", kt_field_define(s.reg, s.admin, "{\"key\":\"size\"}"));
  CHECK_FAILS(KT_INVALID, "labels[1].language", "given twice",
              kt_field_define(s.reg, s.admin, "{\"key\":\"size\",\"labels\":[{\"language\":\"sv\",\"text\":\"S\"},"
                                              "{\"language\":\"sv\",\"text\":\"T\"}]}"));
  CHECK_FAILS(KT_INVALID, "choices", "at least one choice",
              kt_field_define(s.reg, s.admin, "{\"key\":\"zone\",\"type\":\"choice\","
                                              "\"labels\":[{\"language\":\"sv\",\"text\":\"Z\"}]}"));
  CHECK_FAILS(KT_INVALID, "choices", "only choice fields",
              kt_field_define(s.reg, s.admin, "{\"key\":\"n\",\"type\":\"integer\",\"choices\":[\"a\"],"
                                              "\"labels\":[{\"language\":\"sv\",\"text\":\"N\"}]}"));
  CHECK_FAILS(KT_INVALID, "choices[1]", "given twice",
              kt_field_define(s.reg, s.admin, "{\"key\":\"zone\",\"type\":\"choice\",\"choices\":[\"Nord\",\"Nord\"],"
                                              "\"labels\":[{\"language\":\"sv\",\"text\":\"Z\"}]}"));
  CHECK_FAILS(KT_INVALID, "default_value", "whole number",
              kt_field_define(s.reg, s.admin, "{\"key\":\"size\",\"type\":\"integer\",\"default_value\":\"stor\","
                                              "\"labels\":[{\"language\":\"sv\",\"text\":\"S\"}]}"));
  CHECK_FAILS(KT_INVALID, "type", "expected one of text, integer",
              kt_field_define(s.reg, s.admin, "{\"key\":\"size\",\"type\":\"number\","
                                              "\"labels\":[{\"language\":\"sv\",\"text\":\"S\"}]}"));
  CHECK_FAILS(KT_INVALID, "colour", "unknown field",
              kt_field_define(s.reg, s.admin, "{\"key\":\"size\",\"colour\":\"red\","
                                              "\"labels\":[{\"language\":\"sv\",\"text\":\"S\"}]}"));
  CHECK_FAILS(KT_INVALID, "retired", "",
              kt_field_define(s.reg, s.admin, "{\"key\":\"size\",\"retired\":true,"
                                              "\"labels\":[{\"language\":\"sv\",\"text\":\"S\"}]}"));
  CHECK_FAILS(KT_INVALID, "revision", "the register sets it",
              kt_field_define(s.reg, s.admin, "{\"key\":\"size\",\"revision\":3,"
                                              "\"labels\":[{\"language\":\"sv\",\"text\":\"S\"}]}"));
  CHECK_FAILS(KT_INVALID, "json", "", kt_field_define(s.reg, s.admin, "{\"key\":"));
  CHECK_FAILS(KT_INVALID, "json", "UTF-8", kt_field_define(s.reg, s.admin, "{\"key\":\"\xC3\"}"));
  CHECK_UNCHANGED(s.reg, before);

  /* Defined: the register sets the revision; members left out keep their
   * defaults; labels and choices are trimmed. */
  define(&s, "{\"kind\":\"customer\",\"key\":\"zone\",\"type\":\"choice\",\"choices\":[\" Nord \",\"Syd\"],"
             "\"labels\":[{\"language\":\"sv\",\"text\":\" Distrikt \"},{\"language\":\"en\",\"text\":\"Zone\"}],"
             "\"default_value\":\"Syd\",\"display_order\":2}");
  define(&s, "{\"key\":\"employees\",\"type\":\"integer\",\"labels\":[{\"language\":\"sv\",\"text\":\"" ANSTALLDA "\"}],"
             "\"display_order\":1}");
  define(&s, "{\"kind\":\"order\",\"key\":\"zone\",\"labels\":[{\"language\":\"sv\",\"text\":\"Zon\"}]}");
  json = definition(&s, "customer", "zone");
  CHECK_CONTAINS(json, "{\"kind\":\"customer\",\"key\":\"zone\",\"labels\":[{\"language\":\"sv\",\"text\":\"Distrikt\"},"
                       "{\"language\":\"en\",\"text\":\"Zone\"}],\"type\":\"choice\",\"required\":false,"
                       "\"default_value\":\"Syd\",\"choices\":[\"Nord\",\"Syd\"],\"display_order\":2,"
                       "\"searchable\":false,\"retired\":false,\"revision\":1}");
  kt_string_free(json);
  json = definition(&s, "customer", "employees");
  CHECK_CONTAINS(json, "\"type\":\"integer\",\"required\":false,\"default_value\":null,\"choices\":[]");
  kt_string_free(json);
  /* A key is unique per kind; the same key on another kind is another field. */
  before = register_state(s.reg);
  CHECK_FAILS(KT_CONFLICT, "", "already exists",
              kt_field_define(s.reg, s.admin, "{\"key\":\"zone\",\"labels\":[{\"language\":\"sv\",\"text\":\"Z\"}]}"));
  CHECK_UNCHANGED(s.reg, before);

  /* The list: by kind, display order and key; of one kind or of all. */
  CHECK_OK(kt_field_definitions(&cursor, s.reg, s.staff, "customer", 0));
  CHECK_OK(kt_cursor_next(&json, cursor));
  CHECK_CONTAINS(json, "\"key\":\"employees\"");
  kt_string_free(json);
  CHECK_OK(kt_cursor_next(&json, cursor));
  CHECK_CONTAINS(json, "\"key\":\"zone\"");
  kt_string_free(json);
  CHECK_RC(KT_DONE, kt_cursor_next(&json, cursor));
  kt_cursor_free(cursor);
  CHECK_OK(kt_field_definitions(&cursor, s.reg, s.staff, NULL, 0));
  CHECK(count_items(cursor) == 3);
  CHECK_OK(kt_field_definitions(&cursor, s.reg, s.staff, "order", 0));
  CHECK(count_items(cursor) == 1);
  CHECK_OK(kt_field_definitions(&cursor, s.reg, s.staff, "contact", 0));
  CHECK(count_items(cursor) == 0);
  cursor = (kt_cursor *)&s;
  CHECK_FAILS(KT_INVALID, "kind", "customer, contact, facility, service_object, order",
              kt_field_definitions(&cursor, s.reg, s.staff, "user", 0));
  CHECK(cursor == NULL);
  CHECK_FAILS(KT_INVALID, "kind", "customer, contact", kt_field_definitions(&cursor, s.reg, s.staff, "Customer", 0));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "", kt_field_definitions(&cursor, s.reg, 99, NULL, 0));

  /* A customer user reads none: to him no field exists. */
  {
    uint64_t contact = 0, portal = 0, company = add_customer(&s, "{\"number\":\"1\",\"name\":\"Portal AB\"}");
    char link[128];
    CHECK_OK(kt_contact_create(&contact, s.reg, s.staff, "{\"first_name\":\"Ola\",\"last_name\":\"Ek\"}"));
    snprintf(link, sizeof link, "{\"contact\":%llu,\"customer\":%llu}", (unsigned long long)contact,
             (unsigned long long)company);
    CHECK_OK(kt_contact_link(s.reg, s.staff, link));
    CHECK_OK(kt_customer_user_create(&portal, s.reg, s.staff, company, contact, "portal"));
    CHECK_OK(kt_field_definitions(&cursor, s.reg, portal, NULL, 1));
    CHECK(count_items(cursor) == 0);
    CHECK_FAILS(KT_NOT_FOUND, "", "does not exist",
                kt_field_update(s.reg, portal, "customer", "zone", 1, "{\"display_order\":3}"));
  }

  /* Each definition is in the settings' history. */
  {
    kt_history_query *q = NULL;
    char *entry = NULL;
    size_t n = 0;
    CHECK_OK(kt_history_query_new(&q));
    CHECK_OK(kt_history_query_set_record(q, "settings", 1));
    CHECK_OK(kt_history(&cursor, s.reg, s.admin, q));
    while (kt_cursor_next(&entry, cursor) == KT_OK) {
      if (strstr(entry, "\"field\":\"field_definitions\"")) ++n;
      kt_string_free(entry);
    }
    kt_cursor_free(cursor);
    kt_history_query_free(q);
    CHECK(n == 3);
  }
  kt_register_free(s.reg);
}

static void definitions_change_on_their_revision(void) {
  fx s;
  char *json = NULL;
  kt_test_state before;

  setup(&s);
  define(&s, "{\"key\":\"zone\",\"type\":\"choice\",\"choices\":[\"Nord\",\"Syd\"],"
             "\"labels\":[{\"language\":\"sv\",\"text\":\"Zon\"}]}");
  s.aberg = add_customer(&s, "{\"number\":\"100\",\"name\":\"" ABERG "\",\"custom\":{\"zone\":\"Nord\"}}");

  /* Relabelled, reordered, a choice added, made searchable and required,
   * with a default. */
  CHECK_OK(kt_field_update(s.reg, s.admin, "customer", "zone", 1,
                           "{\"labels\":[{\"language\":\"sv\",\"text\":\"Distrikt\"}],\"display_order\":5,"
                           "\"choices\":[\"Syd\",\"Nord\",\"Mitt\"],\"required\":true,\"default_value\":\"Mitt\"}"));
  json = definition(&s, "customer", "zone");
  CHECK_CONTAINS(json, "\"labels\":[{\"language\":\"sv\",\"text\":\"Distrikt\"}],\"type\":\"choice\",\"required\":true,"
                       "\"default_value\":\"Mitt\",\"choices\":[\"Syd\",\"Nord\",\"Mitt\"],\"display_order\":5,");
  CHECK(json_number(json, "revision") == 2);
  /* The definition as read is a valid patch (and changes nothing). */
  CHECK_OK(kt_field_update(s.reg, s.admin, "customer", "zone", 2, json));
  kt_string_free(json);
  CHECK(field_revision(&s, "customer", "zone") == 2);
  json = customer(&s, s.aberg);
  CHECK_CONTAINS(json, "\"custom\":{\"zone\":\"Nord\"}"); /* the value stays */
  kt_string_free(json);

  before = register_state(s.reg);
  /* On a stale revision, by staff, for a field that does not exist. */
  CHECK_FAILS(KT_CONFLICT, "", "has changed since it was read",
              kt_field_update(s.reg, s.admin, "customer", "zone", 1, "{\"display_order\":1}"));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "administrator",
              kt_field_update(s.reg, s.staff, "customer", "zone", 2, "{\"display_order\":1}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "customer field 'size' does not exist",
              kt_field_update(s.reg, s.admin, "customer", "size", 1, "{\"display_order\":1}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "does not exist",
              kt_field_update(s.reg, s.admin, "contact", "zone", 2, "{\"display_order\":1}"));
  /* What names the field, its type and retirement are not patched. */
  CHECK_FAILS(KT_INVALID, "key", "never changes",
              kt_field_update(s.reg, s.admin, "customer", "zone", 2, "{\"key\":\"district\"}"));
  CHECK_FAILS(KT_INVALID, "kind", "never changes",
              kt_field_update(s.reg, s.admin, "customer", "zone", 2, "{\"kind\":\"order\"}"));
  CHECK_FAILS(KT_INVALID, "type", "does not change here",
              kt_field_update(s.reg, s.admin, "customer", "zone", 2, "{\"type\":\"text\",\"choices\":[]}"));
  CHECK_FAILS(KT_INVALID, "retired", "RetireField",
              kt_field_update(s.reg, s.admin, "customer", "zone", 2, "{\"retired\":true}"));
  CHECK_FAILS(KT_INVALID, "revision", "differs from the revision argument",
              kt_field_update(s.reg, s.admin, "customer", "zone", 2, "{\"revision\":3}"));
  /* Refusals of the rules and of the arguments. */
  CHECK_FAILS(KT_INVALID, "default_value", "not one of the field's choices",
              kt_field_update(s.reg, s.admin, "customer", "zone", 2, "{\"default_value\":\"" VAST "\"}"));
  CHECK_FAILS(KT_INVALID, "labels", "at least one label",
              kt_field_update(s.reg, s.admin, "customer", "zone", 2, "{\"labels\":[]}"));
  CHECK_FAILS(KT_INVALID, "colour", "unknown field",
              kt_field_update(s.reg, s.admin, "customer", "zone", 2, "{\"colour\":1}"));
  CHECK_FAILS(KT_INVALID, "json", "", kt_field_update(s.reg, s.admin, "customer", "zone", 2, "{"));
  CHECK_FAILS(KT_INVALID, "kind", "expected one of customer", kt_field_update(s.reg, s.admin, "article", "zone", 2, "{}"));
  CHECK_FAILS(KT_INVALID, "key", "UTF-8", kt_field_update(s.reg, s.admin, "customer", "\xC3", 2, "{}"));
  CHECK_FAILS(KT_MISUSE, "", "key is NULL", kt_field_update(s.reg, s.admin, "customer", NULL, 2, "{}"));
  CHECK_FAILS(KT_MISUSE, "", "kind is NULL", kt_field_update(s.reg, s.admin, NULL, "zone", 2, "{}"));
  CHECK_FAILS(KT_MISUSE, "", "json is NULL", kt_field_update(s.reg, s.admin, "customer", "zone", 2, NULL));
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_field_update(NULL, s.admin, "customer", "zone", 2, "{}"));
  /* A choice a record holds stays. */
  CHECK_FAILS(KT_CONFLICT, "", "choice 'Nord' of customer field 'zone' is held by 1 record",
              kt_field_update(s.reg, s.admin, "customer", "zone", 2, "{\"choices\":[\"Syd\",\"Mitt\"]}"));
  CHECK_UNCHANGED(s.reg, before);
  /* An unused one goes. */
  CHECK_OK(kt_field_update(s.reg, s.admin, "customer", "zone", 2, "{\"choices\":[\"Syd\",\"Nord\"],\"default_value\":null}"));
  json = definition(&s, "customer", "zone");
  CHECK_CONTAINS(json, "\"default_value\":null,\"choices\":[\"Syd\",\"Nord\"]");
  CHECK(json_number(json, "revision") == 3);
  kt_string_free(json);
  /* Now required: a new customer needs a value. */
  CHECK_FAILS(KT_INVALID, "custom.zone", "required",
              kt_customer_create(&s.berg, s.reg, s.staff, "{\"number\":\"101\",\"name\":\"Berg AB\"}"));
  kt_register_free(s.reg);
}

static void retired_fields_keep_their_values(void) {
  fx s;
  kt_cursor *cursor = NULL;
  char *json = NULL;
  kt_test_state before;

  setup(&s);
  define(&s, "{\"key\":\"zone\",\"type\":\"choice\",\"choices\":[\"Nord\",\"Syd\"],"
             "\"labels\":[{\"language\":\"sv\",\"text\":\"Zon\"}]}");
  define(&s, "{\"key\":\"note\",\"labels\":[{\"language\":\"sv\",\"text\":\"Anteckning\"}]}");
  s.aberg = add_customer(&s, "{\"number\":\"100\",\"name\":\"" ABERG "\",\"custom\":{\"zone\":\"Nord\",\"note\":\"x\"}}");

  before = register_state(s.reg);
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "administrator", kt_field_retire(s.reg, s.staff, "customer", "zone"));
  CHECK_FAILS(KT_NOT_FOUND, "", "customer field 'nothing' does not exist",
              kt_field_retire(s.reg, s.admin, "customer", "nothing"));
  CHECK_FAILS(KT_INVALID, "kind", "expected one of", kt_field_retire(s.reg, s.admin, "users", "zone"));
  CHECK_FAILS(KT_MISUSE, "", "key is NULL", kt_field_retire(s.reg, s.admin, "customer", NULL));
  /* Restoring a field in use changes nothing. */
  CHECK_OK(kt_field_restore(s.reg, s.admin, "customer", "zone"));
  CHECK_UNCHANGED(s.reg, before);

  CHECK_OK(kt_field_retire(s.reg, s.admin, "customer", "zone"));
  CHECK(field_revision(&s, "customer", "zone") == 2);
  before = register_state(s.reg);
  CHECK_OK(kt_field_retire(s.reg, s.admin, "customer", "zone")); /* again: nothing */
  CHECK_UNCHANGED(s.reg, before);
  /* Hidden from the list unless asked for. */
  CHECK_OK(kt_field_definitions(&cursor, s.reg, s.staff, "customer", 0));
  CHECK(count_items(cursor) == 1);
  CHECK_OK(kt_field_definitions(&cursor, s.reg, s.staff, "customer", 1));
  CHECK(count_items(cursor) == 2);
  json = definition(&s, "customer", "zone");
  CHECK_CONTAINS(json, "\"retired\":true");
  kt_string_free(json);
  /* The value stays, takes nothing new, and survives updates that leave
   * it out, whole custom objects included. */
  json = customer(&s, s.aberg);
  CHECK_CONTAINS(json, "\"custom\":{\"note\":\"x\",\"zone\":\"Nord\"}");
  kt_string_free(json);
  before = register_state(s.reg);
  CHECK_FAILS(KT_INVALID, "custom.zone", "the field is retired",
              kt_customer_update(s.reg, s.staff, s.aberg, 1, "{\"custom\":{\"zone\":\"Syd\"}}"));
  CHECK_UNCHANGED(s.reg, before);
  CHECK_OK(kt_customer_update(s.reg, s.staff, s.aberg, 1, "{\"phone\":\"031-12 34 56\"}"));
  CHECK_OK(kt_customer_update(s.reg, s.staff, s.aberg, 2, "{\"custom\":null}"));
  json = customer(&s, s.aberg);
  CHECK_CONTAINS(json, "\"custom\":{\"zone\":\"Nord\"}");
  kt_string_free(json);
  /* Restored: shown and changed again. */
  CHECK_OK(kt_field_restore(s.reg, s.admin, "customer", "zone"));
  CHECK(field_revision(&s, "customer", "zone") == 3);
  CHECK_OK(kt_field_definitions(&cursor, s.reg, s.staff, "customer", 0));
  CHECK(count_items(cursor) == 2);
  set_custom(&s, s.aberg, "{\"zone\":\"Syd\"}");
  json = customer(&s, s.aberg);
  CHECK_CONTAINS(json, "\"custom\":{\"zone\":\"Syd\"}");
  kt_string_free(json);
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "administrator", kt_field_restore(s.reg, s.staff, "customer", "zone"));
  CHECK_FAILS(KT_NOT_FOUND, "", "does not exist", kt_field_restore(s.reg, s.admin, "facility", "zone"));
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_field_restore(NULL, s.admin, "customer", "zone"));
  kt_register_free(s.reg);
}

/* ---- values on records --------------------------------------------------- */

static void records_carry_checked_values(void) {
  fx s;
  char *json = NULL;
  uint64_t id = 0, contact = 0, facility = 0, object = 0, order = 0;
  kt_test_state before;

  setup(&s);
  define(&s, "{\"key\":\"employees\",\"type\":\"integer\",\"labels\":[{\"language\":\"sv\",\"text\":\"A\"}]}");
  define(&s, "{\"key\":\"vip\",\"type\":\"boolean\",\"labels\":[{\"language\":\"sv\",\"text\":\"V\"}]}");
  define(&s, "{\"key\":\"zone\",\"type\":\"choice\",\"choices\":[\"Nord\",\"Syd\"],\"default_value\":\"Syd\","
             "\"labels\":[{\"language\":\"sv\",\"text\":\"Z\"}]}");
  define(&s, "{\"key\":\"services\",\"type\":\"multi_choice\",\"choices\":[\"Kyla\",\"" VARME "\",\"Ventilation\"],"
             "\"labels\":[{\"language\":\"sv\",\"text\":\"T\"}]}");
  define(&s, "{\"key\":\"portal\",\"type\":\"url\",\"labels\":[{\"language\":\"sv\",\"text\":\"P\"}]}");
  define(&s, "{\"key\":\"note\",\"labels\":[{\"language\":\"sv\",\"text\":\"N\"}]}");

  /* Created with values in their normal form; the default for the one
   * left out. */
  s.aberg = add_customer(&s, "{\"number\":\"100\",\"name\":\"" ABERG "\",\"custom\":{\"employees\":12,\"vip\":true,"
                             "\"services\":[\"Ventilation\",\"Kyla\",\"Kyla\"],\"portal\":\" https://aberg.se \","
                             "\"note\":\"  \"}}");
  json = customer(&s, s.aberg);
  CHECK_CONTAINS(json, "\"custom\":{\"employees\":12,\"portal\":\"https://aberg.se\","
                       "\"services\":[\"Kyla\",\"Ventilation\"],\"vip\":true,\"zone\":\"Syd\"}}");
  kt_string_free(json);

  /* Refused values name "custom.<key>" and change nothing. */
  before = register_state(s.reg);
  CHECK_FAILS(KT_INVALID, "custom.employees", "whole number",
              kt_customer_create(&id, s.reg, s.staff, "{\"number\":\"101\",\"name\":\"B\",\"custom\":{\"employees\":\"tolv\"}}"));
  CHECK(id == 0);
  CHECK_FAILS(KT_INVALID, "custom.nothing", "no such custom field of customers",
              kt_customer_create(&id, s.reg, s.staff, "{\"number\":\"101\",\"name\":\"B\",\"custom\":{\"nothing\":1}}"));
  CHECK_FAILS(KT_INVALID, "custom", "expected an object",
              kt_customer_create(&id, s.reg, s.staff, "{\"number\":\"101\",\"name\":\"B\",\"custom\":[1]}"));
  CHECK_FAILS(KT_INVALID, "custom.zone", "not one of the field's choices",
              kt_customer_update(s.reg, s.staff, s.aberg, 1, "{\"custom\":{\"zone\":\"" VAST "\"}}"));
  CHECK_FAILS(KT_INVALID, "custom.services", "not one of the field's choices",
              kt_customer_update(s.reg, s.staff, s.aberg, 1, "{\"custom\":{\"services\":[\"Kyla\",\"El\"]}}"));
  CHECK_FAILS(KT_INVALID, "custom.vip", "true or false",
              kt_customer_update(s.reg, s.staff, s.aberg, 1, "{\"custom\":{\"vip\":\"ja\"}}"));
  CHECK_FAILS(KT_INVALID, "custom.portal", "http or https",
              kt_customer_update(s.reg, s.staff, s.aberg, 1, "{\"custom\":{\"portal\":\"ftp://aberg.se\"}}"));
  CHECK_FAILS(KT_CONFLICT, "", "has changed since it was read",
              kt_customer_update(s.reg, s.staff, s.aberg, 7, "{\"custom\":{\"employees\":13}}"));
  CHECK_UNCHANGED(s.reg, before);

  /* An update patches the values key by key: the others stay, null
   * removes one. */
  CHECK_OK(kt_customer_update(s.reg, s.staff, s.aberg, 1, "{\"custom\":{\"employees\":14,\"zone\":\"Nord\"}}"));
  CHECK_OK(kt_customer_update(s.reg, s.staff, s.aberg, 2, "{\"custom\":{\"vip\":null,\"portal\":null}}"));
  json = customer(&s, s.aberg);
  CHECK_CONTAINS(json, "\"custom\":{\"employees\":14,\"services\":[\"Kyla\",\"Ventilation\"],\"zone\":\"Nord\"}}");
  /* The customer as read is a valid patch. */
  CHECK_OK(kt_customer_update(s.reg, s.staff, s.aberg, 3, json));
  kt_string_free(json);
  CHECK(record_number(kt_customer_get, s.reg, s.admin, s.aberg, "revision") == 3);

  /* History records each value as its own field. */
  {
    kt_history_query *q = NULL;
    kt_cursor *cursor = NULL;
    char *entry = NULL;
    int created = 0, changed = 0, removed = 0;
    CHECK_OK(kt_history_query_new(&q));
    CHECK_OK(kt_history_query_set_record(q, "customer", s.aberg));
    CHECK_OK(kt_history(&cursor, s.reg, s.admin, q));
    while (kt_cursor_next(&entry, cursor) == KT_OK) {
      if (strstr(entry, "\"field\":\"custom.employees\",\"old_value\":12,\"new_value\":14")) ++changed;
      if (strstr(entry, "\"field\":\"custom.vip\",\"old_value\":true,\"new_value\":null")) ++removed;
      if (strstr(entry, "\"action\":\"created\"")) ++created;
      kt_string_free(entry);
    }
    kt_cursor_free(cursor);
    kt_history_query_free(q);
    CHECK(created == 1 && changed == 1 && removed == 1);
  }

  /* Every other kind of record carries values the same way. */
  define(&s, "{\"kind\":\"contact\",\"key\":\"badge\",\"type\":\"integer\",\"labels\":[{\"language\":\"sv\",\"text\":\"B\"}]}");
  define(&s, "{\"kind\":\"facility\",\"key\":\"floor\",\"type\":\"integer\",\"labels\":[{\"language\":\"sv\",\"text\":\"V\"}]}");
  define(&s, "{\"kind\":\"service_object\",\"key\":\"serial\",\"required\":true,"
             "\"labels\":[{\"language\":\"sv\",\"text\":\"Serienummer\"}]}");
  define(&s, "{\"kind\":\"order\",\"key\":\"priority\",\"type\":\"choice\",\"choices\":[\"" HOG "\",\"" LAG "\"],"
             "\"labels\":[{\"language\":\"sv\",\"text\":\"Prioritet\"}]}");
  CHECK_OK(kt_contact_create(&contact, s.reg, s.staff, "{\"last_name\":\"Ek\",\"custom\":{\"badge\":7}}"));
  json = NULL;
  CHECK_OK(kt_contact_get(&json, s.reg, s.staff, contact));
  CHECK_CONTAINS(json, "\"custom\":{\"badge\":7}}");
  kt_string_free(json);
  CHECK_FAILS(KT_INVALID, "custom.badge", "whole number",
              kt_contact_update(s.reg, s.staff, contact, 1, "{\"custom\":{\"badge\":1.5}}"));
  {
    char text[256];
    snprintf(text, sizeof text, "{\"customer\":%llu,\"name\":\"Lagret\",\"custom\":{\"floor\":-1}}",
             (unsigned long long)s.aberg);
    CHECK_OK(kt_facility_create(&facility, s.reg, s.staff, text));
    CHECK_OK(kt_facility_update(s.reg, s.staff, facility, 1, "{\"custom\":{\"floor\":2}}"));
    json = NULL;
    CHECK_OK(kt_facility_get(&json, s.reg, s.staff, facility));
    CHECK_CONTAINS(json, "\"custom\":{\"floor\":2}}");
    kt_string_free(json);
    /* A required field needs a value on create and keeps it on update. */
    snprintf(text, sizeof text, "{\"facility\":%llu,\"identifier\":\"VP-1\"}", (unsigned long long)facility);
    CHECK_FAILS(KT_INVALID, "custom.serial", "required", kt_service_object_create(&object, s.reg, s.staff, text));
    snprintf(text, sizeof text, "{\"facility\":%llu,\"identifier\":\"VP-1\",\"custom\":{\"serial\":\"SN 4711\"}}",
             (unsigned long long)facility);
    CHECK_OK(kt_service_object_create(&object, s.reg, s.staff, text));
    CHECK_FAILS(KT_INVALID, "custom.serial", "required",
                kt_service_object_update(s.reg, s.staff, object, 1, "{\"custom\":{\"serial\":null}}"));
    json = NULL;
    CHECK_OK(kt_service_object_get(&json, s.reg, s.staff, object));
    CHECK_CONTAINS(json, "\"custom\":{\"serial\":\"SN 4711\"}}");
    kt_string_free(json);
    snprintf(text, sizeof text, "{\"customer\":%llu,\"subject\":\"Service\",\"custom\":{\"priority\":\"" HOG "\"}}",
             (unsigned long long)s.aberg);
    CHECK_OK(kt_order_create(&order, s.reg, s.staff, text));
    CHECK_OK(kt_order_update(s.reg, s.staff, order, 1, "{\"custom\":{\"priority\":\"" LAG "\"}}"));
    json = NULL;
    CHECK_OK(kt_order_get(&json, s.reg, s.staff, order));
    CHECK_CONTAINS(json, "\"custom\":{\"priority\":\"" LAG "\"}}");
    kt_string_free(json);
    CHECK_FAILS(KT_INVALID, "custom.priority", "not one of the field's choices",
                kt_order_update(s.reg, s.staff, order, 2, "{\"custom\":{\"priority\":\"mellan\"}}"));
  }
  kt_register_free(s.reg);
}

/* ---- changes of type ----------------------------------------------------- */

static void a_change_of_type_converts_every_value_or_none(void) {
  fx s;
  kt_cursor *cursor = NULL;
  char *json = NULL;
  char expected[256];
  kt_test_state before;

  setup(&s);
  define(&s, "{\"key\":\"size\",\"labels\":[{\"language\":\"sv\",\"text\":\"Storlek\"}]}");
  s.aberg = add_customer(&s, "{\"number\":\"100\",\"name\":\"" ABERG "\",\"custom\":{\"size\":\" 12 \"}}");
  s.berg = add_customer(&s, "{\"number\":\"101\",\"name\":\"Berg AB\",\"custom\":{\"size\":\"stor\"}}");
  s.ceder = add_customer(&s, "{\"number\":\"102\",\"name\":\"Cederlund AB\"}");

  /* "stor" is no number: listed with its record and reason. */
  CHECK_OK(kt_field_type_conversions(&cursor, s.reg, s.admin, "customer", "size", "integer", NULL));
  CHECK_OK(kt_cursor_next(&json, cursor));
  snprintf(expected, sizeof expected, "{\"kind\":\"customer\",\"record\":%llu,\"value\":\"stor\",\"reason\":\"",
           (unsigned long long)s.berg);
  CHECK_CONTAINS(json, expected);
  CHECK_CONTAINS(json, "not a number");
  kt_string_free(json);
  CHECK_RC(KT_DONE, kt_cursor_next(&json, cursor));
  kt_cursor_free(cursor);
  /* So the change is refused whole, naming it, and nothing changes. */
  before = register_state(s.reg);
  snprintf(expected, sizeof expected, "1 value does not convert, the first customer %llu's \"stor\"",
           (unsigned long long)s.berg);
  CHECK_FAILS(KT_CONFLICT, "", expected, kt_field_change_type(s.reg, s.admin, "customer", "size", 1, "integer", NULL));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "administrator",
              kt_field_change_type(s.reg, s.staff, "customer", "size", 1, "integer", NULL));
  cursor = (kt_cursor *)&s;
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "administrator",
              kt_field_type_conversions(&cursor, s.reg, s.staff, "customer", "size", "integer", NULL));
  CHECK(cursor == NULL);
  CHECK_FAILS(KT_CONFLICT, "", "has changed", kt_field_change_type(s.reg, s.admin, "customer", "size", 8, "integer", NULL));
  CHECK_FAILS(KT_NOT_FOUND, "", "does not exist",
              kt_field_change_type(s.reg, s.admin, "customer", "nothing", 1, "integer", NULL));
  CHECK_FAILS(KT_NOT_FOUND, "", "does not exist",
              kt_field_type_conversions(&cursor, s.reg, s.admin, "contact", "size", "integer", NULL));
  /* Choices: for the choice types only, as a JSON array of texts. */
  CHECK_FAILS(KT_INVALID, "choices", "a choice field needs at least one choice",
              kt_field_change_type(s.reg, s.admin, "customer", "size", 1, "choice", NULL));
  CHECK_FAILS(KT_INVALID, "choices", "only choice fields have choices",
              kt_field_change_type(s.reg, s.admin, "customer", "size", 1, "integer", "[\"a\"]"));
  CHECK_FAILS(KT_INVALID, "choices", "offset", kt_field_change_type(s.reg, s.admin, "customer", "size", 1, "choice", "[\"a\""));
  CHECK_FAILS(KT_INVALID, "choices", "expected a list",
              kt_field_change_type(s.reg, s.admin, "customer", "size", 1, "choice", "\"a\""));
  CHECK_FAILS(KT_INVALID, "choices[1]", "expected text",
              kt_field_change_type(s.reg, s.admin, "customer", "size", 1, "choice", "[\"a\",2]"));
  CHECK_FAILS(KT_INVALID, "choices", "UTF-8", kt_field_change_type(s.reg, s.admin, "customer", "size", 1, "choice", "[\"\xC3\"]"));
  CHECK_FAILS(KT_INVALID, "type", "expected one of text, integer, decimal, date, boolean, choice, multi_choice",
              kt_field_change_type(s.reg, s.admin, "customer", "size", 1, "number", NULL));
  CHECK_FAILS(KT_INVALID, "type", "expected one of",
              kt_field_type_conversions(&cursor, s.reg, s.admin, "customer", "size", "number", NULL));
  CHECK_FAILS(KT_INVALID, "kind", "expected one of", kt_field_change_type(s.reg, s.admin, "orders", "size", 1, "text", NULL));
  CHECK_FAILS(KT_MISUSE, "", "type is NULL", kt_field_change_type(s.reg, s.admin, "customer", "size", 1, NULL, NULL));
  CHECK_FAILS(KT_MISUSE, "", "out is NULL",
              kt_field_type_conversions(NULL, s.reg, s.admin, "customer", "size", "integer", NULL));
  CHECK_UNCHANGED(s.reg, before);

  /* To a choice with both values among the choices: nothing in the way. */
  CHECK_OK(kt_field_type_conversions(&cursor, s.reg, s.admin, "customer", "size", "choice", "[\"12\",\"stor\"]"));
  CHECK(count_items(cursor) == 0);
  CHECK_OK(kt_field_type_conversions(&cursor, s.reg, s.admin, "customer", "size", "choice", "[\"12\"]"));
  CHECK(count_items(cursor) == 1);

  /* Once every value is a number, the change converts them all. */
  CHECK_OK(kt_customer_update(s.reg, s.staff, s.berg, 1, "{\"custom\":{\"size\":\"40\"}}"));
  CHECK_OK(kt_field_type_conversions(&cursor, s.reg, s.admin, "customer", "size", "integer", NULL));
  CHECK(count_items(cursor) == 0);
  CHECK_OK(kt_field_change_type(s.reg, s.admin, "customer", "size", 1, "integer", NULL));
  json = definition(&s, "customer", "size");
  CHECK_CONTAINS(json, "\"type\":\"integer\"");
  CHECK(json_number(json, "revision") == 2);
  kt_string_free(json);
  json = customer(&s, s.aberg);
  CHECK_CONTAINS(json, "\"custom\":{\"size\":12}}");
  kt_string_free(json);
  json = customer(&s, s.berg);
  CHECK_CONTAINS(json, "\"custom\":{\"size\":40}}");
  kt_string_free(json);
  json = customer(&s, s.ceder);
  CHECK_CONTAINS(json, "\"custom\":{}}");
  kt_string_free(json);
  /* The conversion is in each record's history. */
  {
    kt_history_query *q = NULL;
    char *entry = NULL;
    int converted = 0;
    CHECK_OK(kt_history_query_new(&q));
    CHECK_OK(kt_history_query_set_record(q, "customer", s.aberg));
    CHECK_OK(kt_history(&cursor, s.reg, s.admin, q));
    while (kt_cursor_next(&entry, cursor) == KT_OK) {
      if (strstr(entry, "\"field\":\"custom.size\",\"old_value\":\"12\",\"new_value\":12")) ++converted;
      kt_string_free(entry);
    }
    kt_cursor_free(cursor);
    kt_history_query_free(q);
    CHECK(converted == 1);
  }
  /* Numbers become text again, and the old revision is stale. */
  CHECK_FAILS(KT_CONFLICT, "", "has changed", kt_field_change_type(s.reg, s.admin, "customer", "size", 1, "text", NULL));
  CHECK_OK(kt_field_change_type(s.reg, s.admin, "customer", "size", 2, "text", NULL));
  json = customer(&s, s.aberg);
  CHECK_CONTAINS(json, "\"custom\":{\"size\":\"12\"}}");
  kt_string_free(json);
  /* A choice becomes a multi-choice of one. */
  CHECK_OK(kt_field_change_type(s.reg, s.admin, "customer", "size", 3, "choice", "[\"12\",\"40\"]"));
  CHECK_OK(kt_field_change_type(s.reg, s.admin, "customer", "size", 4, "multi_choice", "[\"40\",\"12\"]"));
  json = customer(&s, s.berg);
  CHECK_CONTAINS(json, "\"custom\":{\"size\":[\"40\"]}}");
  kt_string_free(json);
  json = definition(&s, "customer", "size");
  CHECK_CONTAINS(json, "\"type\":\"multi_choice\",\"required\":false,\"default_value\":null,\"choices\":[\"40\",\"12\"]");
  kt_string_free(json);
  kt_register_free(s.reg);
}

/* ---- searches ------------------------------------------------------------ */

static void customers_are_filtered_and_sorted_by_custom_fields(void) {
  fx s;
  kt_customer_query *q = NULL;
  kt_cursor *cursor = NULL;
  char found[256];
  size_t total;

  searched(&s);
  REQUIRE(kt_customer_query_new(&q) == KT_OK);
  CHECK_OK(kt_customer_query_set_sort(q, "number", 0));

  /* equals: a choice ignoring case, a multi-choice holding it, a number,
   * a date, and no value. */
  CHECK_OK(kt_customer_query_add_custom_filter(q, "zone", "equals", "\"nord\""));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.aberg);
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "services", "equals", "\"" VARME "\""));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.aberg, s.berg);
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "services", "equals", "\"kyla\""));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.aberg);
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "employees", "equals", "40"));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.aberg);
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "signed", "equals", "\"2026-01-10\""));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.berg);
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "zone", "equals", NULL));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.ceder);
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "note", "equals", "null"));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.ceder);
  CHECK_OK(kt_customer_query_clear_custom_filters(q));

  /* contains: text holding the text, as the locale folds it. */
  CHECK_OK(kt_customer_query_add_custom_filter(q, "note", "contains", "\"\xC3\xB6" "berg\""));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.aberg);
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "note", "contains", "\"RING\""));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.berg);
  CHECK_OK(kt_customer_query_clear_custom_filters(q));

  /* at_least, at_most: inclusive bounds; every filter must hold. */
  CHECK_OK(kt_customer_query_add_custom_filter(q, "employees", "at_least", "5"));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.aberg, s.berg);
  CHECK_OK(kt_customer_query_add_custom_filter(q, "employees", "at_most", "10"));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.berg);
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "employees", "at_least", "5.5"));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.aberg);
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "signed", "at_most", "\"2025-12-31\""));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.aberg);
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "signed", "at_least", "\"2025-03-01\""));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.aberg, s.berg);
  /* Custom filters and the other filters narrow together. */
  CHECK_OK(kt_customer_query_set_text(q, "berg ab"));
  CHECK_OK(kt_customer_query_set_search_in(q, KT_SEARCH_NAME));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "zone", "equals", "\"Syd\""));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.berg);
  CHECK_OK(kt_customer_query_set_text(q, NULL));
  CHECK_OK(kt_customer_query_set_search_in(q, KT_SEARCH_EVERYWHERE));
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK(customers(&s, q, found, sizeof found) == 3);

  /* Filters the definitions do not allow are refused by the search, naming
   * the filter and its part; a refused argument leaves the query as it was. */
  CHECK_OK(kt_customer_query_add_custom_filter(q, "nothing", "equals", "\"x\""));
  CHECK_FAILS(KT_INVALID, "custom[0].key", "no such custom field of customers",
              kt_customer_search(&cursor, s.reg, s.staff, q));
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "employees", "contains", "\"4\""));
  CHECK_FAILS(KT_INVALID, "custom[0].match", "contains is for text fields",
              kt_customer_search(&cursor, s.reg, s.staff, q));
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "note", "at_least", "\"a\""));
  CHECK_FAILS(KT_INVALID, "custom[0].match", "integer, decimal and date",
              kt_customer_search(&cursor, s.reg, s.staff, q));
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "employees", "at_least", "5"));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "employees", "at_most", "\"many\""));
  CHECK_FAILS(KT_INVALID, "custom[1].value", "expected a whole number", kt_customer_search(&cursor, s.reg, s.staff, q));
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "zone", "equals", "\"" VAST "\""));
  CHECK_FAILS(KT_INVALID, "custom[0].value", "not one of the field's choices",
              kt_customer_search(&cursor, s.reg, s.staff, q));
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "signed", "at_most", "\"2025-02-30\""));
  CHECK_FAILS(KT_INVALID, "custom[0].value", "not a date", kt_customer_search(&cursor, s.reg, s.staff, q));
  CHECK(cursor == NULL);
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "zone", "equals", "\"Syd\""));
  CHECK_FAILS(KT_INVALID, "match", "expected one of equals, contains, at_least, at_most",
              kt_customer_query_add_custom_filter(q, "zone", "near", "\"Syd\""));
  CHECK_FAILS(KT_INVALID, "value", "offset", kt_customer_query_add_custom_filter(q, "zone", "equals", "Syd"));
  CHECK_FAILS(KT_INVALID, "value", "UTF-8", kt_customer_query_add_custom_filter(q, "zone", "equals", "\"\xC3\""));
  CHECK_FAILS(KT_INVALID, "key", "UTF-8", kt_customer_query_add_custom_filter(q, "\xC3", "equals", "1"));
  CHECK_FAILS(KT_MISUSE, "", "key is NULL", kt_customer_query_add_custom_filter(q, NULL, "equals", "1"));
  CHECK_FAILS(KT_MISUSE, "", "match is NULL", kt_customer_query_add_custom_filter(q, "zone", NULL, "1"));
  customers(&s, q, found, sizeof found); /* only the filter on Syd */
  CHECK_IDS(found, s.berg);
  CHECK_OK(kt_customer_query_clear_custom_filters(q));

  /* The custom sort: by value, those without one last either way. */
  CHECK_OK(kt_customer_query_set_custom_sort(q, "employees", 0));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.berg, s.aberg, s.ceder);
  CHECK_OK(kt_customer_query_set_custom_sort(q, "employees", 1));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.aberg, s.berg, s.ceder);
  CHECK_OK(kt_customer_query_set_custom_sort(q, "zone", 0)); /* the choices' order: Syd, Nord */
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.berg, s.aberg, s.ceder);
  CHECK_OK(kt_customer_query_set_custom_sort(q, "signed", 1));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.berg, s.aberg, s.ceder);
  CHECK_OK(kt_customer_query_set_custom_sort(q, "note", 0));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.aberg, s.berg, s.ceder);
  /* A page of it, with the total of all. */
  CHECK_OK(kt_customer_query_set_page(q, 1, 1));
  total = customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.berg);
  CHECK(total == 3);
  CHECK_OK(kt_customer_query_set_page(q, 0, 50));
  /* NULL: the column again, in the direction given. */
  CHECK_OK(kt_customer_query_set_custom_sort(q, NULL, 1));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.ceder, s.berg, s.aberg);
  CHECK_OK(kt_customer_query_set_custom_sort(q, "nothing", 0));
  CHECK_FAILS(KT_INVALID, "custom_sort", "no such custom field", kt_customer_search(&cursor, s.reg, s.staff, q));
  CHECK_FAILS(KT_INVALID, "key", "UTF-8", kt_customer_query_set_custom_sort(q, "\xC3", 0));
  CHECK_OK(kt_customer_query_set_custom_sort(q, NULL, 0));

  /* Searchable text fields are found by the search text. */
  CHECK_OK(kt_customer_query_set_text(q, "nyckel"));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.aberg);
  CHECK_OK(kt_customer_query_set_search_in(q, KT_SEARCH_NAME | KT_SEARCH_CONTACT_NAME | KT_SEARCH_EMAIL));
  CHECK(customers(&s, q, found, sizeof found) == 0);
  CHECK_OK(kt_customer_query_set_search_in(q, KT_SEARCH_CUSTOM));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.aberg);
  CHECK_OK(kt_field_update(s.reg, s.admin, "customer", "note", 1, "{\"searchable\":false}"));
  CHECK(customers(&s, q, found, sizeof found) == 0);

  /* A retired field may not be searched by; restored, it may again. */
  CHECK_OK(kt_customer_query_set_text(q, NULL));
  CHECK_OK(kt_field_retire(s.reg, s.admin, "customer", "zone"));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "zone", "equals", "\"Nord\""));
  CHECK_FAILS(KT_INVALID, "custom[0].key", "retired", kt_customer_search(&cursor, s.reg, s.staff, q));
  CHECK_OK(kt_customer_query_clear_custom_filters(q));
  CHECK_OK(kt_customer_query_set_custom_sort(q, "zone", 0));
  CHECK_FAILS(KT_INVALID, "custom_sort", "retired", kt_customer_search(&cursor, s.reg, s.staff, q));
  CHECK_OK(kt_field_restore(s.reg, s.admin, "customer", "zone"));
  CHECK_OK(kt_customer_query_add_custom_filter(q, "zone", "equals", "\"nord\""));
  customers(&s, q, found, sizeof found);
  CHECK_IDS(found, s.aberg);

  /* Misuse of the query objects. */
  CHECK_RC(KT_MISUSE, kt_customer_query_add_custom_filter(NULL, "zone", "equals", NULL));
  CHECK_RC(KT_MISUSE, kt_customer_query_clear_custom_filters(NULL));
  CHECK_RC(KT_MISUSE, kt_customer_query_set_custom_sort(NULL, NULL, 0));
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_customer_query",
              kt_customer_query_add_custom_filter((kt_customer_query *)s.reg, "zone", "equals", NULL));
  kt_customer_query_free(q);
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_customer_query", kt_customer_query_clear_custom_filters(q));
  kt_register_free(s.reg);
}

static void contacts_facilities_and_orders_filter_and_sort_alike(void) {
  fx s;
  kt_contact_query *cq = NULL;
  kt_facility_query *fq = NULL;
  kt_order_query *oq = NULL;
  kt_cursor *cursor = NULL;
  char found[256], text[256];
  uint64_t ek = 0, al = 0, plan3 = 0, plan1 = 0, low = 0, high = 0, plain = 0;

  searched(&s);
  define(&s, "{\"kind\":\"contact\",\"key\":\"badge\",\"type\":\"integer\",\"labels\":[{\"language\":\"sv\",\"text\":\"B\"}]}");
  CHECK_OK(kt_contact_create(&ek, s.reg, s.staff, "{\"last_name\":\"Ek\",\"custom\":{\"badge\":7}}"));
  CHECK_OK(kt_contact_create(&al, s.reg, s.staff, "{\"first_name\":\"Eva\",\"last_name\":\"Al\"}"));
  REQUIRE(kt_contact_query_new(&cq) == KT_OK);
  CHECK_OK(kt_contact_query_add_custom_filter(cq, "badge", "at_least", "1"));
  contacts(&s, cq, found, sizeof found);
  CHECK_IDS(found, ek);
  CHECK_OK(kt_contact_query_clear_custom_filters(cq));
  CHECK_OK(kt_contact_query_add_custom_filter(cq, "badge", "equals", NULL));
  contacts(&s, cq, found, sizeof found);
  CHECK_IDS(found, al);
  CHECK_OK(kt_contact_query_add_custom_filter(cq, "zone", "equals", "\"Syd\"")); /* a customer's field */
  CHECK_FAILS(KT_INVALID, "custom[1].key", "no such custom field of contacts",
              kt_contact_search(&cursor, s.reg, s.staff, cq));
  CHECK_OK(kt_contact_query_clear_custom_filters(cq));
  contacts(&s, cq, found, sizeof found); /* by last name */
  CHECK_IDS(found, al, ek);
  CHECK_OK(kt_contact_query_set_custom_sort(cq, "badge", 1));
  contacts(&s, cq, found, sizeof found); /* without a badge, last */
  CHECK_IDS(found, ek, al);
  CHECK_OK(kt_contact_query_set_custom_sort(cq, NULL, 0));
  contacts(&s, cq, found, sizeof found);
  CHECK_IDS(found, al, ek);
  CHECK_FAILS(KT_INVALID, "match", "expected one of", kt_contact_query_add_custom_filter(cq, "badge", "", "1"));
  CHECK_RC(KT_MISUSE, kt_contact_query_add_custom_filter(NULL, "badge", "equals", "1"));
  CHECK_RC(KT_MISUSE, kt_contact_query_clear_custom_filters(NULL));
  CHECK_RC(KT_MISUSE, kt_contact_query_set_custom_sort(NULL, "badge", 0));
  kt_contact_query_free(cq);

  /* Facilities; a searchable field is found by the search text too. */
  define(&s, "{\"kind\":\"facility\",\"key\":\"floor\",\"type\":\"integer\",\"labels\":[{\"language\":\"sv\",\"text\":\"V\"}]}");
  define(&s, "{\"kind\":\"facility\",\"key\":\"location\",\"searchable\":true,"
             "\"labels\":[{\"language\":\"sv\",\"text\":\"Plats\"}]}");
  snprintf(text, sizeof text, "{\"customer\":%llu,\"name\":\"Plan 3\",\"custom\":{\"floor\":3,\"location\":\"K\xC3\xA4llaren\"}}",
           (unsigned long long)s.aberg);
  CHECK_OK(kt_facility_create(&plan3, s.reg, s.staff, text));
  snprintf(text, sizeof text, "{\"customer\":%llu,\"name\":\"Plan 1\",\"custom\":{\"floor\":1}}", (unsigned long long)s.aberg);
  CHECK_OK(kt_facility_create(&plan1, s.reg, s.staff, text));
  REQUIRE(kt_facility_query_new(&fq) == KT_OK);
  CHECK_OK(kt_facility_query_add_custom_filter(fq, "floor", "at_most", "2"));
  facilities(&s, fq, found, sizeof found);
  CHECK_IDS(found, plan1);
  CHECK_OK(kt_facility_query_clear_custom_filters(fq));
  CHECK_OK(kt_facility_query_add_custom_filter(fq, "location", "contains", "\"k\xC3\xA4ll\""));
  facilities(&s, fq, found, sizeof found);
  CHECK_IDS(found, plan3);
  CHECK_OK(kt_facility_query_clear_custom_filters(fq));
  CHECK_OK(kt_facility_query_set_text(fq, "k\xC3\xA4llar"));
  facilities(&s, fq, found, sizeof found);
  CHECK_IDS(found, plan3);
  CHECK_OK(kt_facility_query_set_text(fq, NULL));
  facilities(&s, fq, found, sizeof found); /* by name */
  CHECK_IDS(found, plan1, plan3);
  CHECK_OK(kt_facility_query_set_custom_sort(fq, "floor", 1));
  facilities(&s, fq, found, sizeof found);
  CHECK_IDS(found, plan3, plan1);
  CHECK_OK(kt_facility_query_set_custom_sort(fq, "location", 0)); /* Plan 1 has none: last */
  facilities(&s, fq, found, sizeof found);
  CHECK_IDS(found, plan3, plan1);
  CHECK_OK(kt_facility_query_set_custom_sort(fq, "employees", 0)); /* a customer's field */
  CHECK_FAILS(KT_INVALID, "custom_sort", "no such custom field",
              kt_facility_search(&cursor, s.reg, s.staff, fq));
  CHECK_RC(KT_MISUSE, kt_facility_query_add_custom_filter(NULL, "floor", "equals", "1"));
  CHECK_RC(KT_MISUSE, kt_facility_query_clear_custom_filters(NULL));
  CHECK_RC(KT_MISUSE, kt_facility_query_set_custom_sort(NULL, "floor", 0));
  kt_facility_query_free(fq);

  /* Orders; the query also as JSON and as a saved filter. */
  define(&s, "{\"kind\":\"order\",\"key\":\"priority\",\"type\":\"choice\",\"choices\":[\"" HOG "\",\"" LAG "\"],"
             "\"labels\":[{\"language\":\"sv\",\"text\":\"Prioritet\"}]}");
  snprintf(text, sizeof text, "{\"customer\":%llu,\"subject\":\"A\",\"custom\":{\"priority\":\"" LAG "\"}}",
           (unsigned long long)s.aberg);
  CHECK_OK(kt_order_create(&low, s.reg, s.staff, text));
  snprintf(text, sizeof text, "{\"customer\":%llu,\"subject\":\"B\",\"custom\":{\"priority\":\"" HOG "\"}}",
           (unsigned long long)s.aberg);
  CHECK_OK(kt_order_create(&high, s.reg, s.staff, text));
  snprintf(text, sizeof text, "{\"customer\":%llu,\"subject\":\"C\"}", (unsigned long long)s.aberg);
  CHECK_OK(kt_order_create(&plain, s.reg, s.staff, text));
  REQUIRE(kt_order_query_new(&oq) == KT_OK);
  CHECK_OK(kt_order_query_add_custom_filter(oq, "priority", "equals", "\"H\xC3\x96G\""));
  orders(&s, oq, found, sizeof found);
  CHECK_IDS(found, high);
  CHECK_OK(kt_order_query_clear_custom_filters(oq));
  orders(&s, oq, found, sizeof found); /* newest first */
  CHECK_IDS(found, plain, high, low);
  CHECK_OK(kt_order_query_set_custom_sort(oq, "priority", 0)); /* the choices' order, none last */
  orders(&s, oq, found, sizeof found);
  CHECK_IDS(found, high, low, plain);
  CHECK_OK(kt_order_query_set_custom_sort(oq, "priority", 1));
  orders(&s, oq, found, sizeof found);
  CHECK_IDS(found, low, high, plain);
  /* A closed order still comes after the open ones. */
  CHECK_OK(kt_order_close(s.reg, s.staff, low));
  orders(&s, oq, found, sizeof found);
  CHECK_IDS(found, high, plain, low);
  CHECK_OK(kt_order_query_set_custom_sort(oq, NULL, 0));
  /* The JSON form carries the filters and the sort. */
  CHECK_OK(kt_order_query_set_json(oq, "{\"custom\":[{\"key\":\"priority\",\"match\":\"equals\",\"value\":\"" LAG "\"}]}"));
  orders(&s, oq, found, sizeof found);
  CHECK_IDS(found, low);
  CHECK_OK(kt_order_query_set_json(oq, "{\"custom\":[{\"key\":\"priority\",\"match\":\"equals\",\"value\":null}],"
                                       "\"custom_sort\":\"priority\"}"));
  orders(&s, oq, found, sizeof found);
  CHECK_IDS(found, plain);
  CHECK_FAILS(KT_INVALID, "custom[0].match", "expected one of equals",
              kt_order_query_set_json(oq, "{\"custom\":[{\"key\":\"priority\",\"match\":\"near\"}],\"custom_sort\":\"\"}"));
  orders(&s, oq, found, sizeof found); /* unchanged */
  CHECK_IDS(found, plain);
  CHECK_OK(kt_order_query_set_json(oq, "{\"custom\":[],\"custom_sort\":\"priority\",\"descending\":true}"));
  orders(&s, oq, found, sizeof found);
  CHECK_IDS(found, high, plain, low);
  /* The setters add to what JSON set; a saved filter keeps both. */
  CHECK_OK(kt_order_query_add_custom_filter(oq, "priority", "equals", "\"" HOG "\""));
  CHECK_OK(kt_order_filter_save(s.reg, s.staff, "Br\xC3\xA5" "dskande", oq));
  kt_order_query_free(oq);
  {
    char *item = NULL;
    const char *query_member;
    CHECK_OK(kt_order_filters(&cursor, s.reg, s.staff));
    CHECK_OK(kt_cursor_next(&item, cursor));
    CHECK_CONTAINS(item, "\"custom\":[{\"key\":\"priority\",\"match\":\"equals\",\"value\":\"" HOG "\"}],"
                         "\"custom_sort\":\"priority\"");
    kt_cursor_free(cursor);
    query_member = item ? strstr(item, "\"query\":") : NULL;
    REQUIRE(query_member != NULL);
    REQUIRE(kt_order_query_new(&oq) == KT_OK);
    {
      /* The saved "query" object, up to the item's closing brace. */
      char saved[1024];
      size_t n = strlen(query_member + 8);
      REQUIRE(n > 1 && n < sizeof saved);
      memcpy(saved, query_member + 8, n - 1);
      saved[n - 1] = '\0';
      CHECK_OK(kt_order_query_set_json(oq, saved));
    }
    kt_string_free(item);
    orders(&s, oq, found, sizeof found);
    CHECK_IDS(found, high);
  }
  CHECK_OK(kt_order_query_add_custom_filter(oq, "nothing", "equals", "1"));
  CHECK_FAILS(KT_INVALID, "custom[1].key", "no such custom field of orders", kt_order_search(&cursor, s.reg, s.staff, oq));
  CHECK_RC(KT_MISUSE, kt_order_query_add_custom_filter(NULL, "priority", "equals", "1"));
  CHECK_RC(KT_MISUSE, kt_order_query_clear_custom_filters(NULL));
  CHECK_RC(KT_MISUSE, kt_order_query_set_custom_sort(NULL, NULL, 0));
  kt_order_query_free(oq);
  kt_register_free(s.reg);
}

/* ---- import and export --------------------------------------------------- */

static void custom_fields_are_csv_columns(void) {
  fx s;
  kt_export_options *eo = NULL;
  kt_import_options *io = NULL;
  unsigned char *file = NULL;
  size_t size = 0;
  char *report = NULL, *json = NULL;
  kt_test_state before;
  const char *csv =
      "Kundnummer;Namn;" ANSTALLDA ";signed;custom.services;zone\n"
      "200;Dahl AB;12;2026-05-01;Kyla|" VARME ";Syd\n"
      "201;Ek AB;tolv;2026-05-01;;Syd\n"
      "202;Fors AB;3;2026-13-01;;\n"
      "203;Gran AB;3;;Kyla;" VAST "\n";

  searched(&s);
  /* The default columns, then one per field in use, in display order. */
  REQUIRE(kt_export_options_new(&eo) == KT_OK);
  CHECK_OK(kt_export_options_set_format(eo, "csv"));
  CHECK_OK(kt_customer_export(&file, &size, s.reg, s.admin, NULL, eo));
  CHECK_CONTAINS((const char *)file, ",custom.employees,custom.note,custom.services,custom.signed,custom.zone\r\n");
  CHECK_CONTAINS((const char *)file, ",40,Nyckel hos \xC3\x96" "berg,Kyla|" VARME ",2025-03-01,Nord\r\n");
  kt_buffer_free(file);
  /* A retired field is left out; named, it is written. */
  CHECK_OK(kt_field_retire(s.reg, s.admin, "customer", "note"));
  CHECK_OK(kt_customer_export(&file, &size, s.reg, s.admin, NULL, eo));
  CHECK_CONTAINS((const char *)file, ",custom.employees,custom.services,custom.signed,custom.zone\r\n");
  kt_buffer_free(file);
  CHECK_OK(kt_export_options_add_column(eo, "number"));
  CHECK_OK(kt_export_options_add_column(eo, "custom.employees"));
  CHECK_OK(kt_export_options_add_column(eo, "custom.note"));
  CHECK_OK(kt_customer_export(&file, &size, s.reg, s.admin, NULL, eo));
  CHECK(file && strncmp((const char *)file, "number,custom.employees,custom.note\r\n", 37) == 0);
  CHECK_CONTAINS((const char *)file, "\r\n101,5,ring f\xC3\xB6re\r\n");
  CHECK_CONTAINS((const char *)file, "\r\n102,,\r\n");
  kt_buffer_free(file);
  CHECK_OK(kt_field_restore(s.reg, s.admin, "customer", "note"));
  /* The list's query filters the export. */
  {
    kt_customer_query *q = NULL;
    REQUIRE(kt_customer_query_new(&q) == KT_OK);
    CHECK_OK(kt_customer_query_add_custom_filter(q, "zone", "equals", "\"Syd\""));
    CHECK_OK(kt_customer_export(&file, &size, s.reg, s.admin, q, eo));
    CHECK_CONTAINS((const char *)file, "\r\n101,5,ring f\xC3\xB6re\r\n");
    CHECK(!strstr((const char *)file, "\r\n100,"));
    kt_buffer_free(file);
    kt_customer_query_free(q);
  }
  CHECK_OK(kt_export_options_add_column(eo, "custom.nothing"));
  file = (unsigned char *)&s;
  CHECK_FAILS(KT_INVALID, "columns", "'custom.nothing' is not a column of customers",
              kt_customer_export(&file, &size, s.reg, s.admin, NULL, eo));
  CHECK(file == NULL && size == 0);
  kt_export_options_free(eo);

  /* Imported by a label, by the key and by "custom.<key>"; each bad cell
   * reported with its row and header, and nothing applied. */
  before = register_state(s.reg);
  report = NULL;
  CHECK_OK(kt_import_csv(&report, s.reg, s.staff, csv, strlen(csv), NULL));
  CHECK_CONTAINS(report, "{\"header\":\"" ANSTALLDA "\",\"column\":\"custom.employees\"}");
  CHECK_CONTAINS(report, "{\"header\":\"signed\",\"column\":\"custom.signed\"}");
  CHECK_CONTAINS(report, "{\"header\":\"custom.services\",\"column\":\"custom.services\"}");
  CHECK_CONTAINS(report, "{\"header\":\"zone\",\"column\":\"custom.zone\"}");
  CHECK_CONTAINS(report, "{\"row\":3,\"column\":\"" ANSTALLDA "\",\"value\":\"tolv\",\"reason\":\"");
  CHECK_CONTAINS(report, "{\"row\":4,\"column\":\"signed\",\"value\":\"2026-13-01\",\"reason\":\"");
  CHECK_CONTAINS(report, "{\"row\":5,\"column\":\"zone\",\"value\":\"" VAST "\",\"reason\":\"");
  CHECK_CONTAINS(report, "not one of the field's choices");
  CHECK(json_number(report, "skipped") == 3);
  CHECK_CONTAINS(report, "\"applied\":false");
  kt_string_free(report);
  CHECK_UNCHANGED(s.reg, before);
  /* With the bad rows skipped, the good one is imported with its values. */
  REQUIRE(kt_import_options_new(&io) == KT_OK);
  CHECK_OK(kt_import_options_set_skip_bad_rows(io, 1));
  CHECK_OK(kt_import_csv(&report, s.reg, s.staff, csv, strlen(csv), io));
  CHECK(json_number(report, "created") == 1);
  kt_string_free(report);
  CHECK_OK(kt_customer_get_by_number(&json, s.reg, s.staff, "200"));
  CHECK_CONTAINS(json, "\"custom\":{\"employees\":12,\"services\":[\"Kyla\",\"" VARME "\"],\"signed\":\"2026-05-01\","
                       "\"zone\":\"Syd\"}}");
  kt_string_free(json);
  /* A mapping may name a custom column. */
  CHECK_OK(kt_import_options_map_column(io, "Personal", "custom.employees"));
  CHECK_OK(kt_import_csv(&report, s.reg, s.staff, "number;name;Personal\n300;Holm AB;7\n",
                         strlen("number;name;Personal\n300;Holm AB;7\n"), io));
  CHECK(json_number(report, "created") == 1);
  kt_string_free(report);
  CHECK_OK(kt_customer_get_by_number(&json, s.reg, s.staff, "300"));
  CHECK_CONTAINS(json, "\"custom\":{\"employees\":7}}");
  kt_string_free(json);
  CHECK_OK(kt_import_options_map_column(io, "Personal", "custom.nothing"));
  CHECK_FAILS(KT_INVALID, "mapping", "'custom.nothing' is not an importable column of customers",
              kt_import_csv(&report, s.reg, s.staff, "number;name;Personal\n301;Ask AB;7\n",
                            strlen("number;name;Personal\n301;Ask AB;7\n"), io));
  kt_import_options_free(io);
  kt_register_free(s.reg);
}

int main(void) {
  administrators_define_fields();
  definitions_change_on_their_revision();
  retired_fields_keep_their_values();
  records_carry_checked_values();
  a_change_of_type_converts_every_value_or_none();
  customers_are_filtered_and_sorted_by_custom_fields();
  contacts_facilities_and_orders_filter_and_sort_alike();
  custom_fields_are_csv_columns();
  return test_exit("custom_fields_test");
}
