/* tests/c/duplicates_test.c: duplicates and merging through the C API:
 * Nordic customer names and contacts paired with their score and reasons,
 * the minimum score and the limit; the records an unsaved customer or
 * contact resembles, with nothing saved; customer merges that move
 * facilities, orders and contact links to the kept customer, take the
 * fields named, and leave the old number finding the kept one; contact
 * merges; refused calls (unknown records, names that cannot be taken,
 * malformed JSON, missing rights, bad kinds and scores) with their status
 * and field and the register byte for byte as it was. The rules themselves
 * are docs/duplicates.md's; tests/cpp/duplicates_test.cpp proves each in
 * the C++ API. */
#include "test_support.h"

/* Some Nordic text, spelt out in UTF-8. */
#define SODERSTROM "S\xC3\xB6" "derstr\xC3\xB6m & Co AB" /* Söderström & Co AB */
#define BERGSTROM "Bergstr\xC3\xB6m El AB"               /* Bergström El AB */
#define ORJAN "\xC3\x96rjan"                             /* Örjan */
#define AGREN "\xC3\x85gren"                             /* Ågren */
#define AGREN_ACUTE "Agr\xC3\xA9n"                       /* Agrén */

/* fx: a register with its administrator, a staff user with every right
 * (no administrator), and two cards of one company: Söderström & Co AB
 * (number 100, kept in merges) and Soderstrom och Co (number 200), each
 * with a custom value "tier", and Bergström El AB, which resembles
 * neither. */
typedef struct {
  int64_t clock;
  kt_register *reg;
  uint64_t admin, staff;
  uint64_t keep, removed, other;
} fx;

static uint64_t add_customer(fx *s, const char *json) {
  uint64_t id = 0;
  CHECK_OK(kt_customer_create(&id, s->reg, s->staff, json));
  return id;
}

static uint64_t add_contact(fx *s, const char *json) {
  uint64_t id = 0;
  CHECK_OK(kt_contact_create(&id, s->reg, s->staff, json));
  return id;
}

static uint64_t add_user(fx *s, const char *login, const char *rights) {
  char json[512];
  uint64_t id = 0;
  snprintf(json, sizeof json, "{\"login\":\"%s\",\"name\":\"%s\",\"rights\":[%s]}", login, login, rights);
  CHECK_OK(kt_user_create(&id, s->reg, s->admin, json));
  return id;
}

static void link_contact(fx *s, uint64_t contact, uint64_t customer, const char *role) {
  char json[256];
  snprintf(json, sizeof json, "{\"contact\":%llu,\"customer\":%llu,\"role\":\"%s\"}", (unsigned long long)contact,
           (unsigned long long)customer, role);
  CHECK_OK(kt_contact_link(s->reg, s->staff, json));
}

static void setup(fx *s) {
  memset(s, 0, sizeof *s);
  s->reg = test_register(&s->clock, &s->admin);
  CHECK_OK(kt_user_create(&s->staff, s->reg, s->admin,
                          "{\"login\":\"tekla\",\"name\":\"Tekla Tekniker\"," KT_TEST_ALL_RIGHTS "}"));
  CHECK_OK(kt_field_define(s->reg, s->admin,
                           "{\"kind\":\"customer\",\"key\":\"tier\","
                           "\"labels\":[{\"language\":\"sv\",\"text\":\"Niv\xC3\xA5\"}]}"));
  s->keep = add_customer(s, "{\"number\":\"100\",\"name\":\"" SODERSTROM "\",\"organisation_number\":\"556677-8899\","
                            "\"email\":\"info@soderstrom.se\",\"invoice_address\":{\"street\":\"Storgatan 1\","
                            "\"postal_code\":\"111 22\",\"city\":\"Stockholm\"},\"custom\":{\"tier\":\"A\"}}");
  s->removed = add_customer(s, "{\"number\":\"200\",\"name\":\"Soderstrom och Co\",\"email\":\"faktura@soderstrom.se\","
                               "\"phone\":\"08-123 45 67\",\"invoice_address\":{\"street\":\"Box 12\","
                               "\"postal_code\":\"111 99\",\"city\":\"Stockholm\"},\"custom\":{\"tier\":\"B\"}}");
  s->other = add_customer(s, "{\"number\":\"300\",\"name\":\"" BERGSTROM "\"}");
}

/* pairs: what kt_duplicates_find gives, as one JSON array (free it); NULL
 * when the call fails. */
static char *pairs(fx *s, uint64_t actor, const char *kind, int min_score, size_t limit) {
  kt_cursor *cursor = NULL;
  char *all = NULL;
  CHECK_OK(kt_duplicates_find(&cursor, s->reg, actor, kind, min_score, limit));
  if (!cursor) return NULL;
  CHECK_OK(kt_cursor_remaining(&all, cursor));
  kt_cursor_free(cursor);
  return all;
}

/* CHECK_JSON(found, format, ...): the text `found` is exactly the JSON the
 * format gives; frees `found`. */
#define CHECK_JSON(found, ...)                                                                      \
  do {                                                                                              \
    char *found_ = (found);                                                                         \
    char want_[1024];                                                                               \
    snprintf(want_, sizeof want_, __VA_ARGS__);                                                     \
    if (!found_ || strcmp(found_, want_) != 0) {                                                    \
      fprintf(stderr, "%s:%d: got\n  %s\nexpected\n  %s\n", __FILE__, __LINE__, found_ ? found_ : "(null)", \
              want_);                                                                               \
      ++test_failures;                                                                              \
    }                                                                                               \
    kt_string_free(found_);                                                                         \
  } while (0)

#define U(x) ((unsigned long long)(x))

/* The record as JSON (free it), read by the administrator. */
static char *customer(fx *s, uint64_t id) {
  char *json = NULL;
  CHECK_OK(kt_customer_get(&json, s->reg, s->admin, id));
  return json;
}

static char *contact(fx *s, uint64_t id) {
  char *json = NULL;
  CHECK_OK(kt_contact_get(&json, s->reg, s->admin, id));
  return json;
}

/* ---- finding ----------------------------------------------------------------- */

static void nordic_names_pair_with_their_score_and_reasons(void) {
  fx s;
  uint64_t lindqvist, lindkvist, andersson, andersson2;
  kt_cursor *cursor = NULL;
  size_t total = 0;

  setup(&s);
  lindqvist = add_customer(&s, "{\"number\":\"400\",\"name\":\"Lindqvist Bygg AB\"}");
  lindkvist = add_customer(&s, "{\"number\":\"401\",\"name\":\"Lindkvist Bygg AB\"}");
  /* One name, two registered companies: a hint only, below the default. */
  andersson = add_customer(&s, "{\"number\":\"500\",\"name\":\"Andersson Bygg AB\","
                               "\"organisation_number\":\"556123-4567\"}");
  andersson2 = add_customer(&s, "{\"number\":\"501\",\"name\":\"Andersson Bygg AB\","
                                "\"organisation_number\":\"556987-6543\"}");

  /* "Söderström & Co AB" and "Soderstrom och Co" fold to one name;
   * "Lindqvist" and "Lindkvist" differ by one letter of 13. Best first;
   * Bergström El AB is in no pair. */
  CHECK_JSON(pairs(&s, s.staff, "customer", KT_DUPLICATES_MIN_SCORE, KT_DUPLICATES_LIMIT),
             "[{\"kind\":\"customer\",\"first\":%llu,\"second\":%llu,\"score\":60,\"reasons\":[\"same name\"]},"
             "{\"kind\":\"customer\",\"first\":%llu,\"second\":%llu,\"score\":55,\"reasons\":[\"similar name\"]}]",
             U(s.keep), U(s.removed), U(lindqvist), U(lindkvist));

  /* A lower minimum lists the hint, a higher one drops the typo. */
  CHECK_JSON(pairs(&s, s.staff, "customer", 1, SIZE_MAX),
             "[{\"kind\":\"customer\",\"first\":%llu,\"second\":%llu,\"score\":60,\"reasons\":[\"same name\"]},"
             "{\"kind\":\"customer\",\"first\":%llu,\"second\":%llu,\"score\":55,\"reasons\":[\"similar name\"]},"
             "{\"kind\":\"customer\",\"first\":%llu,\"second\":%llu,\"score\":30,"
             "\"reasons\":[\"same name\",\"different organisation numbers\"]}]",
             U(s.keep), U(s.removed), U(lindqvist), U(lindkvist), U(andersson), U(andersson2));
  CHECK_JSON(pairs(&s, s.staff, "customer", 56, KT_DUPLICATES_LIMIT),
             "[{\"kind\":\"customer\",\"first\":%llu,\"second\":%llu,\"score\":60,\"reasons\":[\"same name\"]}]",
             U(s.keep), U(s.removed));

  /* The limit cuts the list after the best; the cursor counts what it holds. */
  CHECK_OK(kt_duplicates_find(&cursor, s.reg, s.staff, "customer", 1, 1));
  CHECK_OK(kt_cursor_total(&total, cursor));
  CHECK(total == 1);
  CHECK(count_items(cursor) == 1);

  /* Found once more with the same organisation number: the scores add up. */
  CHECK_OK(kt_customer_update(s.reg, s.staff, s.removed,
                              record_number(kt_customer_get, s.reg, s.admin, s.removed, "revision"),
                              "{\"organisation_number\":\"5566778899\"}"));
  CHECK_JSON(pairs(&s, s.staff, "customer", 61, KT_DUPLICATES_LIMIT),
             "[{\"kind\":\"customer\",\"first\":%llu,\"second\":%llu,\"score\":100,"
             "\"reasons\":[\"same name\",\"organisation number\"]}]",
             U(s.keep), U(s.removed));

  /* A user who sees no customers is told of no pair. */
  CHECK_JSON(pairs(&s, add_user(&s, "ingen", ""), "customer", 1, SIZE_MAX), "[]");
  kt_register_free(s.reg);
}

static void contacts_pair_on_names_emails_and_customers(void) {
  fx s;
  uint64_t orjan, orjan2, per, per2, eva, eva2;

  setup(&s);
  orjan = add_contact(&s, "{\"first_name\":\"" ORJAN "\",\"last_name\":\"" AGREN "\"}");
  orjan2 = add_contact(&s, "{\"first_name\":\"Orjan\",\"last_name\":\"" AGREN_ACUTE "\"}");
  per = add_contact(&s, "{\"first_name\":\"Per\",\"last_name\":\"Olsson\",\"email\":\"per.olsson@example.se\"}");
  per2 = add_contact(&s, "{\"first_name\":\"P.\",\"last_name\":\"Olsson\",\"email\":\"Per.Olsson@example.se\"}");
  eva = add_contact(&s, "{\"first_name\":\"Eva\",\"last_name\":\"Sj\xC3\xB6" "berg\"}");
  eva2 = add_contact(&s, "{\"first_name\":\"Eva\",\"last_name\":\"Sj\xC3\xB6" "borg\"}");

  /* A name alone (45) is below 50: Örjan Ågren twice is listed from 45,
   * Eva Sjöberg and Eva Sjöborg (0.9 of 45) not even then ... */
  CHECK_JSON(pairs(&s, s.staff, "contact", KT_DUPLICATES_MIN_SCORE, KT_DUPLICATES_LIMIT),
             "[{\"kind\":\"contact\",\"first\":%llu,\"second\":%llu,\"score\":50,\"reasons\":[\"email\"]}]",
             U(per), U(per2));
  CHECK_JSON(pairs(&s, s.staff, "contact", 45, KT_DUPLICATES_LIMIT),
             "[{\"kind\":\"contact\",\"first\":%llu,\"second\":%llu,\"score\":50,\"reasons\":[\"email\"]},"
             "{\"kind\":\"contact\",\"first\":%llu,\"second\":%llu,\"score\":45,\"reasons\":[\"same name\"]}]",
             U(per), U(per2), U(orjan), U(orjan2));
  /* ... and contact persons of one customer above it (0.9 of 45, and 20). */
  link_contact(&s, eva, s.other, "VD");
  link_contact(&s, eva2, s.other, "Ekonomi");
  CHECK_JSON(pairs(&s, s.staff, "contact", 60, KT_DUPLICATES_LIMIT),
             "[{\"kind\":\"contact\",\"first\":%llu,\"second\":%llu,\"score\":61,"
             "\"reasons\":[\"similar name\",\"customer\"]}]",
             U(eva), U(eva2));
  kt_register_free(s.reg);
}

static void an_unsaved_record_gets_what_it_resembles_and_nothing_is_saved(void) {
  fx s;
  uint64_t orjan;
  kt_cursor *cursor = NULL;
  char *all = NULL, *as_read = NULL;
  kt_test_state before;

  setup(&s);
  orjan = add_contact(&s, "{\"first_name\":\"" ORJAN "\",\"last_name\":\"" AGREN "\",\"email\":\"orjan@example.se\"}");
  before = register_state(s.reg);

  /* A customer typed in again: found by its name and organisation number. */
  CHECK_OK(kt_customer_similar(&cursor, s.reg, s.staff,
                               "{\"name\":\"Soderstrom och Co\",\"organisation_number\":\"5566778899\"}",
                               KT_DUPLICATES_MIN_SCORE));
  REQUIRE(cursor);
  CHECK_OK(kt_cursor_remaining(&all, cursor));
  kt_cursor_free(cursor);
  CHECK_JSON(all,
             "[{\"kind\":\"customer\",\"first\":0,\"second\":%llu,\"score\":100,"
             "\"reasons\":[\"same name\",\"organisation number\"]},"
             "{\"kind\":\"customer\",\"first\":0,\"second\":%llu,\"score\":60,\"reasons\":[\"same name\"]}]",
             U(s.keep), U(s.removed));

  /* A customer as read (being edited) is not its own duplicate. */
  as_read = customer(&s, s.keep);
  CHECK_OK(kt_customer_similar(&cursor, s.reg, s.staff, as_read, 1));
  kt_string_free(as_read);
  REQUIRE(cursor);
  CHECK_OK(kt_cursor_remaining(&all, cursor));
  kt_cursor_free(cursor);
  CHECK_JSON(all, "[{\"kind\":\"customer\",\"first\":0,\"second\":%llu,\"score\":60,\"reasons\":[\"same name\"]}]",
             U(s.removed));

  /* A contact, his name spelt without the Nordic letters, and his e-mail. */
  CHECK_OK(kt_contact_similar(&cursor, s.reg, s.staff,
                              "{\"first_name\":\"orjan\",\"last_name\":\"agren\",\"email\":\"Orjan@Example.se\"}", 50));
  REQUIRE(cursor);
  CHECK_OK(kt_cursor_remaining(&all, cursor));
  kt_cursor_free(cursor);
  CHECK_JSON(all,
             "[{\"kind\":\"contact\",\"first\":0,\"second\":%llu,\"score\":95,\"reasons\":[\"same name\",\"email\"]}]",
             U(orjan));
  /* His name alone is below the default minimum: it may be another person. */
  CHECK_OK(kt_contact_similar(&cursor, s.reg, s.staff, "{\"first_name\":\"orjan\",\"last_name\":\"agren\"}", 50));
  CHECK(count_items(cursor) == 0);
  CHECK_OK(kt_contact_similar(&cursor, s.reg, s.staff, "{\"first_name\":\"Anna\",\"last_name\":\"Berg\"}", 1));
  CHECK(count_items(cursor) == 0);

  /* Refused candidates, as a create refuses them; NULL left behind. */
  cursor = (kt_cursor *)&s;
  CHECK_FAILS(KT_INVALID, "json", "offset", kt_customer_similar(&cursor, s.reg, s.staff, "{\"name\":", 50));
  CHECK(cursor == NULL);
  CHECK_FAILS(KT_INVALID, "invoice_address.town", "unknown field",
              kt_customer_similar(&cursor, s.reg, s.staff, "{\"invoice_address\":{\"town\":\"Lund\"}}", 50));
  CHECK_FAILS(KT_INVALID, "json", "UTF-8", kt_customer_similar(&cursor, s.reg, s.staff, "{\"name\":\"\xff\"}", 50));
  CHECK_FAILS(KT_INVALID, "last_name", "expected text",
              kt_contact_similar(&cursor, s.reg, s.staff, "{\"last_name\":7}", 50));
  CHECK_FAILS(KT_INVALID, "min_score", "between 1 and 100",
              kt_customer_similar(&cursor, s.reg, s.staff, "{\"name\":\"Soderstrom\"}", 0));
  CHECK_FAILS(KT_INVALID, "min_score", "between 1 and 100",
              kt_contact_similar(&cursor, s.reg, s.staff, "{\"last_name\":\"Agren\"}", 101));
  CHECK_FAILS(KT_MISUSE, "", "json is NULL", kt_customer_similar(&cursor, s.reg, s.staff, NULL, 50));
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_contact_similar(NULL, s.reg, s.staff, "{}", 50));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "unknown user", kt_customer_similar(&cursor, s.reg, 99, "{}", 50));

  /* Asking saved nothing. */
  CHECK_UNCHANGED(s.reg, before);
  kt_register_free(s.reg);
}

/* ---- merging customers ---------------------------------------------------------- */

static void a_customer_merge_moves_references_and_keeps_the_old_number(void) {
  fx s;
  uint64_t facility = 0, order = 0, only_removed, both, fresh = 0;
  char json[512], *found = NULL;
  kt_cursor *cursor = NULL;
  size_t n = 0;

  setup(&s);
  only_removed = add_contact(&s, "{\"first_name\":\"" ORJAN "\",\"last_name\":\"" AGREN "\"}");
  both = add_contact(&s, "{\"first_name\":\"Lena\",\"last_name\":\"Ek\"}");
  link_contact(&s, only_removed, s.removed, "Ink\xC3\xB6p");
  link_contact(&s, both, s.removed, "Ekonomi");
  link_contact(&s, both, s.keep, "VD");
  snprintf(json, sizeof json, "{\"customer\":%llu,\"name\":\"Lagret\"}", U(s.removed));
  CHECK_OK(kt_facility_create(&facility, s.reg, s.staff, json));
  snprintf(json, sizeof json, "{\"customer\":%llu,\"facility\":%llu,\"contact\":%llu,\"subject\":\"Service\"}",
           U(s.removed), U(facility), U(only_removed));
  CHECK_OK(kt_order_create(&order, s.reg, s.staff, json));

  CHECK_OK(kt_customers_merge(s.reg, s.staff, s.keep, s.removed, NULL));

  /* The removed card is gone; what named it names the kept one. */
  CHECK_FAILS(KT_NOT_FOUND, "", "does not exist", kt_customer_get(&found, s.reg, s.admin, s.removed));
  CHECK(record_number(kt_facility_get, s.reg, s.admin, facility, "customer") == s.keep);
  CHECK(record_number(kt_order_get, s.reg, s.admin, order, "customer") == s.keep);
  CHECK(record_number(kt_order_get, s.reg, s.admin, order, "facility") == facility);
  CHECK_OK(kt_contact_links(&cursor, s.reg, s.admin, only_removed));
  REQUIRE(cursor);
  CHECK_OK(kt_cursor_remaining(&found, cursor));
  kt_cursor_free(cursor);
  CHECK_JSON(found,
             "[{\"contact\":%llu,\"customer\":%llu,\"role\":\"Ink\xC3\xB6p\",\"send_service_protocol\":false,"
             "\"send_work_orders\":false}]",
             U(only_removed), U(s.keep));
  /* A contact of both keeps the kept customer's link, with its role. */
  CHECK_OK(kt_contact_links(&cursor, s.reg, s.admin, both));
  REQUIRE(cursor);
  CHECK_OK(kt_cursor_remaining(&found, cursor));
  kt_cursor_free(cursor);
  CHECK_JSON(found,
             "[{\"contact\":%llu,\"customer\":%llu,\"role\":\"VD\",\"send_service_protocol\":false,"
             "\"send_work_orders\":false}]",
             U(both), U(s.keep));
  CHECK_OK(kt_customer_facilities(&cursor, s.reg, s.admin, s.keep));
  CHECK(count_items(cursor) == 1);

  /* Fields not named keep the kept card's values, even an empty phone;
   * custom values it lacks it would take, its own it keeps. */
  found = customer(&s, s.keep);
  CHECK_CONTAINS(found, "\"number\":\"100\"");
  CHECK_CONTAINS(found, "\"email\":\"info@soderstrom.se\"");
  CHECK_CONTAINS(found, "\"phone\":\"\"");
  CHECK_CONTAINS(found, "\"street\":\"Storgatan 1\"");
  CHECK_CONTAINS(found, "\"custom\":{\"tier\":\"A\"}");
  kt_string_free(found);

  /* The old number finds the kept customer, and is never handed out again. */
  CHECK_OK(kt_customer_get_by_number(&found, s.reg, s.staff, "200"));
  CHECK(json_number(found, "id") == s.keep);
  CHECK_CONTAINS(found, "\"number\":\"100\"");
  kt_string_free(found);
  CHECK_FAILS(KT_CONFLICT, "", "200",
              kt_customer_create(&fresh, s.reg, s.staff, "{\"number\":\"200\",\"name\":\"Ny\"}"));
  CHECK(fresh == 0);

  /* History: the merge on the kept card, source "merge". */
  {
    kt_history_query *q = NULL;
    CHECK_OK(kt_history_query_new(&q));
    CHECK_OK(kt_history_query_set_record(q, "customer", s.keep));
    CHECK_OK(kt_history(&cursor, s.reg, s.admin, q));
    kt_history_query_free(q);
  }
  REQUIRE(cursor);
  CHECK_OK(kt_cursor_remaining(&found, cursor));
  kt_cursor_free(cursor);
  snprintf(json, sizeof json,
           "\"source\":\"merge\",\"record\":{\"kind\":\"customer\",\"id\":%llu},\"action\":\"linked\","
           "\"field\":\"merged\"",
           U(s.keep));
  CHECK_CONTAINS(found, json);
  CHECK_CONTAINS(found, "\"field\":\"facilities\"");
  CHECK_CONTAINS(found, "\"field\":\"orders\"");
  kt_string_free(found);

  /* Merges chain: the kept customer merged into another takes both numbers along. */
  CHECK_OK(kt_customers_merge(s.reg, s.staff, s.other, s.keep, NULL));
  for (n = 0; n < 3; ++n) {
    static const char *const numbers[] = {"100", " 200 ", "300"};
    CHECK_OK(kt_customer_get_by_number(&found, s.reg, s.staff, numbers[n]));
    CHECK(json_number(found, "id") == s.other);
    kt_string_free(found);
  }
  kt_register_free(s.reg);
}

static void a_customer_merge_takes_the_fields_it_names(void) {
  fx s;
  char *found = NULL;

  setup(&s);
  CHECK_OK(kt_customers_merge(s.reg, s.staff, s.keep, s.removed,
                              "[\"phone\",\"invoice_address\",\"custom.tier\"]"));
  found = customer(&s, s.keep);
  CHECK_CONTAINS(found, "\"phone\":\"08-123 45 67\"");
  CHECK_CONTAINS(found, "\"street\":\"Box 12\"");
  CHECK_CONTAINS(found, "\"postal_code\":\"111 99\"");
  CHECK_CONTAINS(found, "\"custom\":{\"tier\":\"B\"}");
  /* Not named: the kept card's. */
  CHECK_CONTAINS(found, "\"email\":\"info@soderstrom.se\"");
  CHECK_CONTAINS(found, "\"name\":\"" SODERSTROM "\"");
  kt_string_free(found);
  kt_register_free(s.reg);
}

static void refused_calls_change_nothing(void) {
  fx s;
  uint64_t editor, deleter, contact_a, contact_b;
  kt_cursor *cursor = NULL;
  kt_test_state before;

  setup(&s);
  editor = add_user(&s, "redaktor", "\"customers.view\",\"customers.edit\",\"contacts.view\",\"contacts.edit\"");
  deleter = add_user(&s, "raderare", "\"customers.view\",\"customers.delete\"");
  contact_a = add_contact(&s, "{\"first_name\":\"Lena\",\"last_name\":\"Ek\"}");
  contact_b = add_contact(&s, "{\"first_name\":\"LENA\",\"last_name\":\"EK\"}");

  before = register_state(s.reg);
  /* Records that are not there. */
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 999", kt_customers_merge(s.reg, s.staff, s.keep, 999, NULL));
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 999", kt_customers_merge(s.reg, s.staff, 999, s.removed, NULL));
  CHECK_FAILS(KT_NOT_FOUND, "", "contact 999", kt_contacts_merge(s.reg, s.staff, contact_a, 999, NULL));
  /* Names the merge does not take, each named by its place. */
  CHECK_FAILS(KT_INVALID, "take[0]", "no field of a customer",
              kt_customers_merge(s.reg, s.staff, s.keep, s.removed, "[\"colour\"]"));
  CHECK_FAILS(KT_INVALID, "take[1]", "kept by the register",
              kt_customers_merge(s.reg, s.staff, s.keep, s.removed, "[\"email\",\"number\"]"));
  CHECK_FAILS(KT_INVALID, "take[0]", "custom.<key>",
              kt_customers_merge(s.reg, s.staff, s.keep, s.removed, "[\"custom\"]"));
  CHECK_FAILS(KT_INVALID, "take[0]", "no custom field",
              kt_customers_merge(s.reg, s.staff, s.keep, s.removed, "[\"custom.zone\"]"));
  CHECK_FAILS(KT_INVALID, "take[0]", "kept by the register",
              kt_contacts_merge(s.reg, s.staff, contact_a, contact_b, "[\"emails_restricted\"]"));
  /* Malformed take: not JSON, not an array, not texts, not UTF-8. */
  CHECK_FAILS(KT_INVALID, "take", "offset", kt_customers_merge(s.reg, s.staff, s.keep, s.removed, "[\"email\""));
  CHECK_FAILS(KT_INVALID, "take", "expected a list",
              kt_customers_merge(s.reg, s.staff, s.keep, s.removed, "{\"email\":true}"));
  CHECK_FAILS(KT_INVALID, "take[1]", "expected text",
              kt_customers_merge(s.reg, s.staff, s.keep, s.removed, "[\"email\",7]"));
  CHECK_FAILS(KT_INVALID, "take", "UTF-8", kt_customers_merge(s.reg, s.staff, s.keep, s.removed, "[\"\xff\"]"));
  CHECK_FAILS(KT_INVALID, "take", "offset", kt_contacts_merge(s.reg, s.staff, contact_a, contact_b, "mobile"));
  /* One record twice. */
  CHECK_FAILS(KT_INVALID, "remove", "is the customer kept", kt_customers_merge(s.reg, s.staff, s.keep, s.keep, NULL));
  CHECK_FAILS(KT_INVALID, "remove", "is the contact kept",
              kt_contacts_merge(s.reg, s.staff, contact_a, contact_a, NULL));
  /* Rights: editing alone or deleting alone is not enough. */
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "customers.delete",
              kt_customers_merge(s.reg, editor, s.keep, s.removed, NULL));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "customers.edit",
              kt_customers_merge(s.reg, deleter, s.keep, s.removed, NULL));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "contacts.delete",
              kt_contacts_merge(s.reg, editor, contact_a, contact_b, NULL));
  CHECK_FAILS(KT_NOT_FOUND, "", "contact", kt_contacts_merge(s.reg, deleter, contact_a, contact_b, NULL));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "unknown user", kt_customers_merge(s.reg, 99, s.keep, s.removed, NULL));
  CHECK_FAILS(KT_MISUSE, "", "reg", kt_customers_merge(NULL, s.staff, s.keep, s.removed, NULL));
  /* Finding: bad kinds, scores and limits; NULL left behind. */
  cursor = (kt_cursor *)&s;
  CHECK_FAILS(KT_INVALID, "kind", "expected one of customer, contact",
              kt_duplicates_find(&cursor, s.reg, s.staff, "order", 50, 10));
  CHECK(cursor == NULL);
  CHECK_FAILS(KT_INVALID, "kind", "expected one of customer, contact",
              kt_duplicates_find(&cursor, s.reg, s.staff, "customers", 50, 10));
  CHECK_FAILS(KT_INVALID, "min_score", "between 1 and 100",
              kt_duplicates_find(&cursor, s.reg, s.staff, "customer", 0, 10));
  CHECK_FAILS(KT_INVALID, "min_score", "between 1 and 100",
              kt_duplicates_find(&cursor, s.reg, s.staff, "contact", 101, 10));
  CHECK_FAILS(KT_INVALID, "min_score", "between 1 and 100",
              kt_duplicates_find(&cursor, s.reg, s.staff, "customer", -1, 10));
  CHECK_FAILS(KT_INVALID, "limit", "at least 1", kt_duplicates_find(&cursor, s.reg, s.staff, "customer", 50, 0));
  CHECK_FAILS(KT_MISUSE, "", "kind", kt_duplicates_find(&cursor, s.reg, s.staff, NULL, 50, 10));
  CHECK_FAILS(KT_MISUSE, "", "out", kt_duplicates_find(NULL, s.reg, s.staff, "customer", 50, 10));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "unknown user", kt_duplicates_find(&cursor, s.reg, 99, "customer", 50, 10));
  CHECK_UNCHANGED(s.reg, before);

  /* Into a deactivated customer: reactivate it first. */
  CHECK_OK(kt_customer_deactivate(s.reg, s.staff, s.keep));
  before = register_state(s.reg);
  CHECK_FAILS(KT_INVALID, "keep", "deactivated", kt_customers_merge(s.reg, s.staff, s.keep, s.removed, NULL));
  CHECK_UNCHANGED(s.reg, before);
  CHECK_OK(kt_customer_reactivate(s.reg, s.staff, s.keep));

  /* A field made required since: found only once references have moved,
   * and still nothing changed. */
  CHECK_OK(kt_field_define(s.reg, s.admin, "{\"kind\":\"customer\",\"key\":\"size\","
                                           "\"labels\":[{\"language\":\"sv\",\"text\":\"Storlek\"}]}"));
  CHECK_OK(kt_field_update(s.reg, s.admin, "customer", "size", 1, "{\"required\":true}"));
  before = register_state(s.reg);
  CHECK_FAILS(KT_INVALID, "custom.size", "required", kt_customers_merge(s.reg, s.staff, s.keep, s.removed, NULL));
  CHECK_UNCHANGED(s.reg, before);
  kt_register_free(s.reg);
}

/* ---- merging contacts ----------------------------------------------------------- */

static void a_contact_merge_moves_links_and_orders_to_the_kept_contact(void) {
  fx s;
  uint64_t lena, twin, order = 0;
  char json[512], *found = NULL;
  kt_cursor *cursor = NULL;

  setup(&s);
  lena = add_contact(&s, "{\"first_name\":\"Lena\",\"last_name\":\"Ek\",\"email\":\"lena@example.se\"}");
  twin = add_contact(&s, "{\"first_name\":\"Lena\",\"last_name\":\"Eek\",\"email\":\"lena.eek@example.se\","
                         "\"mobile\":\"070-765 43 21\"}");
  link_contact(&s, lena, s.keep, "VD");
  link_contact(&s, twin, s.keep, "Kass\xC3\xB6r");
  link_contact(&s, twin, s.other, "Ink\xC3\xB6p");
  snprintf(json, sizeof json, "{\"customer\":%llu,\"contact\":%llu,\"subject\":\"Offert\"}", U(s.other), U(twin));
  CHECK_OK(kt_order_create(&order, s.reg, s.staff, json));

  CHECK_OK(kt_contacts_merge(s.reg, s.staff, lena, twin, "[\"mobile\"]"));

  CHECK_FAILS(KT_NOT_FOUND, "", "does not exist", kt_contact_get(&found, s.reg, s.admin, twin));
  CHECK(record_number(kt_order_get, s.reg, s.admin, order, "contact") == lena);
  /* His links: the one to the other customer moved, the kept contact's link to Söderström stayed. */
  CHECK_OK(kt_contact_links(&cursor, s.reg, s.admin, lena));
  REQUIRE(cursor);
  CHECK_OK(kt_cursor_remaining(&found, cursor));
  kt_cursor_free(cursor);
  CHECK_JSON(found,
             "[{\"contact\":%llu,\"customer\":%llu,\"role\":\"VD\",\"send_service_protocol\":false,"
             "\"send_work_orders\":false},"
             "{\"contact\":%llu,\"customer\":%llu,\"role\":\"Ink\xC3\xB6p\",\"send_service_protocol\":false,"
             "\"send_work_orders\":false}]",
             U(lena), U(s.keep), U(lena), U(s.other));
  found = contact(&s, lena);
  CHECK_CONTAINS(found, "\"mobile\":\"070-765 43 21\""); /* taken */
  CHECK_CONTAINS(found, "\"email\":\"lena@example.se\"");  /* kept */
  CHECK_CONTAINS(found, "\"last_name\":\"Ek\"");
  kt_string_free(found);
  /* Merged, the pair is gone. */
  CHECK_JSON(pairs(&s, s.staff, "contact", 1, SIZE_MAX), "[]");
  kt_register_free(s.reg);
}

int main(void) {
  nordic_names_pair_with_their_score_and_reasons();
  contacts_pair_on_names_emails_and_customers();
  an_unsaved_record_gets_what_it_resembles_and_nothing_is_saved();
  a_customer_merge_moves_references_and_keeps_the_old_number();
  a_customer_merge_takes_the_fields_it_names();
  refused_calls_change_nothing();
  a_contact_merge_moves_links_and_orders_to_the_kept_contact();
  return test_exit("duplicates_test");
}
