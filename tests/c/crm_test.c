/* tests/c/crm_test.c: the CRM through the C API: every kind of activity made
 * from JSON, refusals that name their field and change nothing, notes of a
 * private customer, restricted e-mails, meetings reassigned all or none,
 * the activity list with every query setter (kinds, statuses, owner,
 * customer, contact with his companies' notes, time range, order, page, the
 * query as JSON), the journal's and files' rights, reminders on customers,
 * linked employees, and the history of an activity. The rules themselves
 * are docs/crm.md's; tests/cpp/crm_test.cpp proves each in the C++ API. */
#include "test_support.h"

#define SHA256_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/* Who may see and edit customers and contacts, and who may only look. */
#define SEE "\"customers.view\",\"contacts.view\""
#define SEE_AND_EDIT SEE ",\"customers.edit\",\"contacts.edit\""

/* crm: a register with an administrator, a staff user with every right, a
 * colleague who sees and edits customers and contacts, a viewer who only
 * sees them; a company and a private customer; a contact person of the
 * company. */
typedef struct {
  int64_t clock;
  kt_register *reg;
  uint64_t admin, staff, colleague, viewer;
  uint64_t company, person, contact;
} crm;

static uint64_t add_user(kt_register *reg, uint64_t admin, const char *login, const char *name,
                         const char *rights) {
  char json[4096];
  uint64_t id = 0;
  snprintf(json, sizeof json, "{\"login\":\"%s\",\"name\":\"%s\",\"rights\":[%s]}", login, name, rights);
  CHECK_OK(kt_user_create(&id, reg, admin, json));
  return id;
}

static void crm_setup(crm *s) {
  char json[4096];
  memset(s, 0, sizeof *s);
  s->reg = test_register(&s->clock, &s->admin);
  snprintf(json, sizeof json, "{\"login\":\"tekla\",\"name\":\"Tekla Tekniker\"," KT_TEST_ALL_RIGHTS "}");
  CHECK_OK(kt_user_create(&s->staff, s->reg, s->admin, json));
  s->colleague = add_user(s->reg, s->admin, "kollega", "Karl Kollega", SEE_AND_EDIT);
  s->viewer = add_user(s->reg, s->admin, "tittare", "Tilda Tittare", SEE);
  CHECK_OK(kt_customer_create(&s->company, s->reg, s->staff,
                              "{\"number\":\"100\",\"name\":\"S\xC3\xB6" "derstr\xC3\xB6m & Co AB\"}"));
  CHECK_OK(kt_customer_create(&s->person, s->reg, s->staff,
                              "{\"number\":\"200\",\"name\":\"\xC3\x85sa \xC3\x96" "berg\",\"kind\":\"private\"}"));
  CHECK_OK(kt_contact_create(&s->contact, s->reg, s->staff,
                             "{\"first_name\":\"\xC3\x96rjan\",\"last_name\":\"\xC3\x85gren\","
                             "\"email\":\"orjan@example.se\"}"));
  snprintf(json, sizeof json, "{\"contact\":%llu,\"customer\":%llu,\"role\":\"VD\"}",
           (unsigned long long)s->contact, (unsigned long long)s->company);
  CHECK_OK(kt_contact_link(s->reg, s->staff, json));
}

/* The clock's next reading: 2026-<month>-<day>T<hour>:00:00Z. */
static void set_clock(crm *s, int month, int day, int hour) {
  static const int days_before[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  int64_t seconds = INT64_C(1767225600) + (int64_t)(days_before[month - 1] + day - 1) * 86400 + hour * 3600;
  s->clock = seconds * 1000000 - 1000000; /* test_clock adds a second before it answers */
}

/* add: creates an activity from JSON in which "%C" stands for the company's
 * id, "%P" the private customer's, "%K" the contact's; returns its id. */
static uint64_t add(crm *s, uint64_t actor, const char *pattern) {
  char json[4096];
  size_t n = 0;
  uint64_t id = 0;
  for (; *pattern && n + 24 < sizeof json; ++pattern) {
    uint64_t value = 0;
    if (pattern[0] == '%' && (pattern[1] == 'C' || pattern[1] == 'P' || pattern[1] == 'K')) {
      value = pattern[1] == 'C' ? s->company : pattern[1] == 'P' ? s->person : s->contact;
      n += (size_t)snprintf(json + n, sizeof json - n, "%llu", (unsigned long long)value);
      ++pattern;
    } else {
      json[n++] = *pattern;
    }
  }
  json[n] = '\0';
  CHECK_OK(kt_activity_create(&id, s->reg, actor, json));
  return id;
}

/* The activity as JSON; free with kt_string_free(). */
static char *activity(crm *s, uint64_t actor, uint64_t id) {
  char *json = NULL;
  CHECK_OK(kt_activity_get(&json, s->reg, actor, id));
  return json;
}

static uint64_t activity_number(crm *s, uint64_t actor, uint64_t id, const char *key) {
  return record_number(kt_activity_get, s->reg, actor, id, key);
}

/* ids: the ids of the items of a cursor, as "4,7,9" in `buffer`; frees
 * the cursor. */
static void ids(kt_cursor *cursor, char *buffer, size_t size) {
  char *item = NULL;
  buffer[0] = '\0';
  while (kt_cursor_next(&item, cursor) == KT_OK) {
    size_t used = strlen(buffer);
    snprintf(buffer + used, size - used, "%s%llu", used ? "," : "", (unsigned long long)json_number(item, "id"));
    kt_string_free(item);
  }
  kt_cursor_free(cursor);
}

/* search: the ids of the page `query` gives the actor, as ids() writes
 * them; returns the number of matches on all pages. */
static size_t search(crm *s, uint64_t actor, const kt_activity_query *query, char *buffer, size_t size) {
  kt_cursor *cursor = NULL;
  size_t total = 0;
  CHECK_OK(kt_activity_search(&cursor, s->reg, actor, query));
  if (cursor) CHECK_OK(kt_cursor_total(&total, cursor));
  ids(cursor, buffer, size);
  return total;
}

/* Each kind from JSON: the register fills in what it keeps. */
static void each_kind_is_made_from_json(void) {
  crm s;
  uint64_t note, meeting, task, email, journal, file, reminder, id = 7;
  char *json = NULL;

  crm_setup(&s);
  note = add(&s, s.colleague, "{\"kind\":\"note\",\"customer\":%C,\"text\":\"Vill ha offert p\xC3\xA5 ny v\xC3\xA4rmepump.\"}");
  json = activity(&s, s.staff, note);
  CHECK_CONTAINS(json, "\"kind\":\"note\",\"customer\":1,\"contact\":null,\"owner\":3,\"at\":\"2026-01-05T08:00:");
  CHECK_CONTAINS(json, "\"text\":\"Vill ha offert p\xC3\xA5 ny v\xC3\xA4rmepump.\"");
  CHECK_CONTAINS(json, "\"file\":null,\"done\":false,\"reminded\":false,\"created_by\":3,\"created_at\":\"2026-01-05T08:00:");
  CHECK(json_number(json, "revision") == 1);
  kt_string_free(json);

  meeting = add(&s, s.staff, "{\"kind\":\"meeting\",\"contact\":%K,\"at\":\"2026-02-10T10:00:00Z\","
                             "\"end\":\"2026-02-10T11:00:00Z\",\"subject\":\"Genomg\xC3\xA5ng\",\"participants\":[3,2,3]}");
  json = activity(&s, s.staff, meeting);
  CHECK_CONTAINS(json, "\"customer\":null,\"contact\":1,\"owner\":2,\"at\":\"2026-02-10T10:00:00.000000Z\","
                       "\"end\":\"2026-02-10T11:00:00.000000Z\",\"subject\":\"Genomg\xC3\xA5ng\"");
  CHECK_CONTAINS(json, "\"participants\":[2,3]"); /* the actor owns it; participants sorted, once each */
  kt_string_free(json);

  task = add(&s, s.staff, "{\"kind\":\"task\",\"customer\":%C,\"at\":\"2026-02-01\",\"subject\":\"Skicka offert\"}");
  json = activity(&s, s.staff, task);
  CHECK_CONTAINS(json, "\"at\":\"2026-02-01T00:00:00.000000Z\"");
  CHECK_CONTAINS(json, "\"status\":\"open\""); /* the settings' first task status */
  kt_string_free(json);

  email = add(&s, s.staff, "{\"kind\":\"email\",\"contact\":%K,\"subject\":\"V\xC3\xA4rmepump\","
                           "\"text\":\"Hej,\\nv\xC3\xA4rmepumpen l\xC3\xA5ter igen.\",\"sender\":\" orjan@example.se \","
                           "\"recipients\":[\"service@example.se\"]}");
  json = activity(&s, s.viewer, email);
  CHECK_CONTAINS(json, "\"kind\":\"email\",\"customer\":null,\"contact\":1,\"owner\":null,");
  CHECK_CONTAINS(json, "\"text\":\"Hej,\\nv\xC3\xA4rmepumpen l\xC3\xA5ter igen.\"");
  CHECK_CONTAINS(json, "\"sender\":\"orjan@example.se\",\"recipients\":[\"service@example.se\"]");
  kt_string_free(json);

  journal = add(&s, s.colleague, "{\"kind\":\"journal\",\"customer\":%C,\"at\":\"2026-01-20\","
                                 "\"text\":\"Besiktning utan anm\xC3\xA4rkning.\"}");
  json = activity(&s, s.staff, journal);
  CHECK_CONTAINS(json, "\"kind\":\"journal\",\"customer\":1,\"contact\":null,\"owner\":3,"
                       "\"at\":\"2026-01-20T00:00:00.000000Z\"");
  kt_string_free(json);

  file = add(&s, s.staff, "{\"kind\":\"file\",\"customer\":%C,\"file\":{\"name\":\" avtal.pdf \",\"size\":2048,"
                          "\"sha256\":\"" SHA256_B "\",\"media_type\":\"application/pdf\"}}");
  json = activity(&s, s.staff, file);
  CHECK_CONTAINS(json, "\"owner\":2,");
  CHECK_CONTAINS(json, "\"file\":{\"id\":0,\"name\":\"avtal.pdf\",\"size\":2048,\"sha256\":\"" SHA256_B "\","
                       "\"media_type\":\"application/pdf\",\"uploaded_by\":2,\"uploaded_at\":\"2026-01-05T08:00:");
  kt_string_free(json);

  reminder = add(&s, s.staff, "{\"kind\":\"reminder\",\"customer\":%C,\"at\":\"2026-02-01T09:00:00Z\",\"owner\":3,"
                              "\"subject\":\"Ring om avtalet\"}");
  json = activity(&s, s.staff, reminder);
  CHECK_CONTAINS(json, "\"kind\":\"reminder\",\"customer\":1,\"contact\":null,\"owner\":3,"
                       "\"at\":\"2026-02-01T09:00:00.000000Z\"");
  CHECK_CONTAINS(json, "\"subject\":\"Ring om avtalet\"");
  CHECK_CONTAINS(json, "\"done\":false,\"reminded\":false");
  kt_string_free(json);

  /* "kind" defaults to a note. */
  id = add(&s, s.staff, "{\"customer\":%C,\"text\":\"Utan sort.\"}");
  json = activity(&s, s.staff, id);
  CHECK_CONTAINS(json, "\"kind\":\"note\"");
  kt_string_free(json);
  CHECK(id == 8 && note == 1 && meeting == 2 && task == 3 && email == 4 && journal == 5 && file == 6 &&
        reminder == 7);

  CHECK_OK(kt_register_counts(&json, s.reg));
  CHECK_CONTAINS(json, "\"activities\":8}");
  kt_string_free(json);

  /* Refused JSON and misuse. */
  CHECK_FAILS(KT_INVALID, "colour", "unknown field", kt_activity_create(&id, s.reg, s.staff, "{\"customer\":1,\"colour\":1}"));
  CHECK(id == 0);
  CHECK_FAILS(KT_INVALID, "kind", "note, meeting, task, email, journal, file, reminder",
              kt_activity_create(&id, s.reg, s.staff, "{\"kind\":\"fax\",\"customer\":1}"));
  CHECK_FAILS(KT_INVALID, "json", "offset", kt_activity_create(&id, s.reg, s.staff, "{\"customer\":1"));
  CHECK_FAILS(KT_INVALID, "json", "UTF-8", kt_activity_create(&id, s.reg, s.staff, "{\"text\":\"\xC3\"}"));
  CHECK_RC(KT_NOT_FOUND, kt_activity_create(&id, s.reg, s.staff, "{\"customer\":99,\"text\":\"x\"}"));
  CHECK_RC(KT_PERMISSION_DENIED, kt_activity_create(&id, s.reg, 99, "{\"customer\":1,\"text\":\"x\"}"));
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_activity_create(NULL, s.reg, s.staff, "{}"));
  CHECK_FAILS(KT_MISUSE, "", "json is NULL", kt_activity_create(&id, s.reg, s.staff, NULL));
  CHECK_FAILS(KT_MISUSE, "", "reg is NULL", kt_activity_create(&id, NULL, s.staff, "{}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "activity 99", kt_activity_get(&json, s.reg, s.staff, 99));
  CHECK(json == NULL);
  CHECK_RC(KT_MISUSE, kt_activity_get(NULL, s.reg, s.staff, note));
  CHECK_RC(KT_MISUSE, kt_activity_get(&json, NULL, s.staff, note));
  kt_register_free(s.reg);
}

/* Activities the rules refuse: the field named, a word of the reason, the
 * JSON. */
static const struct {
  const char *field, *words, *json;
} refused[] = {
    {"at", "required", "{\"kind\":\"meeting\",\"contact\":1,\"subject\":\"Utan tid\"}"},
    {"end", "before", "{\"kind\":\"meeting\",\"contact\":1,\"subject\":\"M\",\"at\":\"2026-02-10T10:00:00Z\","
                      "\"end\":\"2026-02-10T09:00:00Z\"}"},
    {"subject", "not used by a note", "{\"kind\":\"note\",\"customer\":1,\"text\":\"x\",\"subject\":\"Nej\"}"},
    {"text", "required", "{\"kind\":\"note\",\"customer\":1,\"text\":\"  \"}"},
    {"customer", "one customer or on one contact", "{\"kind\":\"note\",\"customer\":1,\"contact\":1,\"text\":\"x\"}"},
    {"status", "not a task status",
     "{\"kind\":\"task\",\"customer\":1,\"at\":\"2026-02-01\",\"subject\":\"x\",\"status\":\"ok\xC3\xA4nd\"}"},
    {"participants[0]", "no active staff user",
     "{\"kind\":\"meeting\",\"contact\":1,\"at\":\"2026-02-10T10:00:00Z\",\"subject\":\"M\",\"participants\":[99]}"},
    {"contact", "linked to a contact",
     "{\"kind\":\"email\",\"customer\":1,\"sender\":\"a@b.se\",\"recipients\":[\"c@d.se\"]}"},
    {"recipients[1]", "", "{\"kind\":\"email\",\"contact\":1,\"sender\":\"a@b.se\",\"recipients\":[\"c@d.se\",\"@\"]}"},
    {"owner", "not used",
     "{\"kind\":\"email\",\"contact\":1,\"owner\":2,\"sender\":\"a@b.se\",\"recipients\":[\"c@d.se\"]}"},
    {"file.sha256", "hexadecimal", "{\"kind\":\"file\",\"customer\":1,\"file\":{\"name\":\"x.pdf\",\"sha256\":\"abc\"}}"},
    {"customer", "on a customer", "{\"kind\":\"reminder\",\"contact\":1,\"at\":\"2026-02-01\",\"subject\":\"x\"}"},
    {"done", "not used", "{\"kind\":\"note\",\"customer\":1,\"text\":\"x\",\"done\":true}"},
    {"id", "from the register", "{\"customer\":1,\"text\":\"x\",\"id\":4}"},
    {"revision", "the register sets it", "{\"customer\":1,\"text\":\"x\",\"revision\":3}"},
};

/* A value the rules refuse is KT_INVALID naming its field, and the register
 * stays as it was, byte for byte; updates are patches on a revision. */
static void refusals_name_the_field_and_change_nothing(void) {
  crm s;
  uint64_t task, note, id;
  kt_test_state before;
  char *json = NULL;
  size_t i;

  crm_setup(&s);
  task = add(&s, s.staff, "{\"kind\":\"task\",\"customer\":%C,\"at\":\"2026-02-01\",\"subject\":\"Uppgift\"}");
  note = add(&s, s.staff, "{\"kind\":\"note\",\"contact\":%K,\"text\":\"F\xC3\xB6redrar telefon.\"}");

  before = register_state(s.reg);
  for (i = 0; i < sizeof refused / sizeof refused[0]; ++i) {
    id = 5;
    CHECK_FAILS(KT_INVALID, refused[i].field, refused[i].words, kt_activity_create(&id, s.reg, s.staff, refused[i].json));
    CHECK(id == 0);
  }

  /* Updates that are refused change nothing either. */
  CHECK_FAILS(KT_INVALID, "kind", "never changes", kt_activity_update(s.reg, s.staff, task, 1, "{\"kind\":\"meeting\"}"));
  CHECK_FAILS(KT_INVALID, "customer", "stays on its record",
              kt_activity_update(s.reg, s.staff, task, 1, "{\"customer\":2}"));
  CHECK_FAILS(KT_INVALID, "status", "not a task status", kt_activity_update(s.reg, s.staff, task, 1, "{\"status\":\"x\"}"));
  CHECK_FAILS(KT_INVALID, "id", "differs", kt_activity_update(s.reg, s.staff, task, 1, "{\"id\":9}"));
  CHECK_FAILS(KT_INVALID, "revision", "differs", kt_activity_update(s.reg, s.staff, task, 1, "{\"revision\":9}"));
  CHECK_FAILS(KT_INVALID, "at", "the register sets it",
              kt_activity_update(s.reg, s.staff, note, 1, "{\"at\":\"2020-01-01\"}"));
  CHECK_FAILS(KT_CONFLICT, "", "revision 2, now 1", kt_activity_update(s.reg, s.staff, task, 2, "{\"subject\":\"x\"}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "activity 99", kt_activity_update(s.reg, s.staff, 99, 1, "{}"));
  CHECK_FAILS(KT_INVALID, "json", "offset", kt_activity_update(s.reg, s.staff, task, 1, "{"));
  CHECK_FAILS(KT_MISUSE, "", "json is NULL", kt_activity_update(s.reg, s.staff, task, 1, NULL));
  CHECK_RC(KT_MISUSE, kt_activity_update(NULL, s.staff, task, 1, "{}"));
  CHECK_RC(KT_MISUSE, kt_activity_delete(NULL, s.staff, task));
  CHECK_FAILS(KT_NOT_FOUND, "", "activity 99", kt_activity_delete(s.reg, s.staff, 99));
  CHECK_UNCHANGED(s.reg, before);

  /* A patch: named members change, the rest stay; the revision moves on. */
  CHECK_OK(kt_activity_update(s.reg, s.staff, task, 1, "{\"status\":\"done\",\"text\":\"Skickad.\"}"));
  json = activity(&s, s.staff, task);
  CHECK_CONTAINS(json, "\"subject\":\"Uppgift\",\"text\":\"Skickad.\",\"status\":\"done\"");
  CHECK(json_number(json, "revision") == 2);
  kt_string_free(json);
  CHECK_FAILS(KT_CONFLICT, "", "revision 1, now 2", kt_activity_update(s.reg, s.staff, task, 1, "{\"status\":\"open\"}"));
  kt_register_free(s.reg);
}

/* A private customer's note stays with its author, the customer's assigned
 * technician and the administrators; customer users see no CRM at all. */
static void notes_of_a_private_customer_are_hidden(void) {
  crm s;
  uint64_t note, company_note, portal = 0;
  kt_activity_query *q = NULL;
  kt_history_query *history = NULL;
  kt_cursor *cursor = NULL;
  char found[256], *json = NULL;
  size_t total = 0;

  crm_setup(&s);
  note = add(&s, s.colleague, "{\"customer\":%P,\"text\":\"Nyckel under mattan.\"}");
  company_note = add(&s, s.colleague, "{\"customer\":%C,\"text\":\"\xC3\x96ppet 7\xE2\x80\x93" "16.\"}");

  CHECK(activity_number(&s, s.colleague, note, "id") == note); /* the author */
  CHECK(activity_number(&s, s.admin, note, "id") == note);     /* an administrator */
  CHECK_FAILS(KT_NOT_FOUND, "", "activity", kt_activity_get(&json, s.reg, s.staff, note));
  CHECK(json == NULL);
  CHECK_RC(KT_NOT_FOUND, kt_activity_get(&json, s.reg, s.viewer, note));

  REQUIRE(kt_activity_query_new(&q) == KT_OK);
  CHECK_OK(kt_activity_query_set_customer(q, s.person));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK(total == 0 && strcmp(found, "") == 0);
  total = search(&s, s.admin, q, found, sizeof found);
  CHECK_IDS(found, note);
  CHECK_OK(kt_activity_search(&cursor, s.reg, s.staff, NULL)); /* every activity he sees */
  ids(cursor, found, sizeof found);
  CHECK_IDS(found, company_note);

  /* Nor its history; others may not delete what they cannot see. */
  REQUIRE(kt_history_query_new(&history) == KT_OK);
  CHECK_OK(kt_history_query_set_record(history, "activity", note));
  CHECK_OK(kt_history(&cursor, s.reg, s.staff, history));
  CHECK(count_items(cursor) == 0);
  CHECK_OK(kt_history(&cursor, s.reg, s.admin, history));
  CHECK(count_items(cursor) == 1);
  CHECK_RC(KT_NOT_FOUND, kt_activity_delete(s.reg, s.staff, note));
  CHECK_RC(KT_NOT_FOUND, kt_activity_update(s.reg, s.staff, note, 1, "{\"text\":\"x\"}"));

  /* Assigned to the customer, the technician sees it. */
  CHECK_OK(kt_customer_assign_technician(s.reg, s.admin, s.person, s.staff));
  CHECK(activity_number(&s, s.staff, note, "id") == note);
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK_IDS(found, note);

  /* A customer user sees his customer, not its CRM. */
  CHECK_OK(kt_customer_user_create(&portal, s.reg, s.staff, s.company, s.contact, "portal"));
  CHECK_RC(KT_NOT_FOUND, kt_activity_get(&json, s.reg, portal, company_note));
  CHECK_OK(kt_activity_search(&cursor, s.reg, portal, NULL));
  CHECK(count_items(cursor) == 0);
  CHECK_RC(KT_PERMISSION_DENIED, kt_activity_create(&note, s.reg, portal, "{\"customer\":1,\"text\":\"x\"}"));
  kt_history_query_free(history);
  kt_activity_query_free(q);
  kt_register_free(s.reg);
}

/* An administrator restricts a contact's e-mails to administrators, and
 * gives the access back. */
static void restricted_emails(void) {
  crm s;
  uint64_t mail, note, revision, id = 0;
  kt_activity_query *q = NULL;
  char found[256], *json = NULL;

  crm_setup(&s);
  mail = add(&s, s.staff, "{\"kind\":\"email\",\"contact\":%K,\"subject\":\"K\xC3\xA4nsligt\",\"sender\":\"orjan@example.se\","
                          "\"recipients\":[\"service@example.se\"]}");
  note = add(&s, s.staff, "{\"contact\":%K,\"text\":\"Inte ett e-brev.\"}");
  REQUIRE(kt_activity_query_new(&q) == KT_OK);
  CHECK_OK(kt_activity_query_set_contact(q, s.contact));

  CHECK_FAILS(KT_PERMISSION_DENIED, "", "administrator", kt_contact_restrict_emails(s.reg, s.staff, s.contact, 1));
  CHECK_OK(kt_contact_restrict_emails(s.reg, s.admin, s.contact, 1));
  CHECK_OK(kt_contact_restrict_emails(s.reg, s.admin, s.contact, 7)); /* again: nothing changes */
  CHECK_OK(kt_contact_get(&json, s.reg, s.staff, s.contact));
  CHECK_CONTAINS(json, "\"emails_restricted\":true,");
  kt_string_free(json);
  CHECK_RC(KT_NOT_FOUND, kt_activity_get(&json, s.reg, s.staff, mail));
  CHECK_RC(KT_NOT_FOUND, kt_activity_get(&json, s.reg, s.viewer, mail));
  CHECK(activity_number(&s, s.admin, mail, "id") == mail);
  CHECK(activity_number(&s, s.staff, note, "id") == note); /* only e-mails are restricted */
  CHECK(search(&s, s.staff, q, found, sizeof found) == 1);
  CHECK_IDS(found, note);
  CHECK(search(&s, s.admin, q, found, sizeof found) == 2);
  CHECK_IDS(found, mail, note);
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "restricted to administrators",
              kt_activity_create(&id, s.reg, s.staff, "{\"kind\":\"email\",\"contact\":1,\"sender\":\"a@b.se\","
                                                      "\"recipients\":[\"c@d.se\"]}"));
  CHECK_RC(KT_NOT_FOUND, kt_activity_delete(s.reg, s.staff, mail));
  /* The flag is the register's: a contact update cannot lift it. */
  CHECK_OK(kt_contact_get(&json, s.reg, s.staff, s.contact));
  revision = json_number(json, "revision");
  kt_string_free(json);
  CHECK_FAILS(KT_INVALID, "emails_restricted", "",
              kt_contact_update(s.reg, s.staff, s.contact, revision, "{\"emails_restricted\":false}"));

  CHECK_OK(kt_contact_restrict_emails(s.reg, s.admin, s.contact, 0));
  CHECK(activity_number(&s, s.staff, mail, "id") == mail);
  CHECK(search(&s, s.staff, q, found, sizeof found) == 2);
  CHECK_IDS(found, mail, note);
  CHECK_OK(kt_contact_get(&json, s.reg, s.staff, s.contact));
  CHECK_CONTAINS(json, "\"emails_restricted\":false,");
  kt_string_free(json);

  CHECK_RC(KT_NOT_FOUND, kt_contact_restrict_emails(s.reg, s.admin, 99, 1));
  CHECK_RC(KT_MISUSE, kt_contact_restrict_emails(NULL, s.admin, s.contact, 1));
  kt_activity_query_free(q);
  kt_register_free(s.reg);
}

/* The owner of several meetings changes at once; one that cannot change
 * refuses them all. */
static void meetings_are_reassigned_all_or_none(void) {
  crm s;
  uint64_t m1, m2, m3, note, pick[2];
  kt_activity_query *q = NULL;
  kt_history_query *history = NULL;
  kt_cursor *cursor = NULL;
  kt_test_state before;
  char found[256], *json = NULL;
  size_t total = 0;

  crm_setup(&s);
  m1 = add(&s, s.staff, "{\"kind\":\"meeting\",\"contact\":%K,\"at\":\"2026-02-10T10:00:00Z\",\"subject\":\"Ett\"}");
  m2 = add(&s, s.staff, "{\"kind\":\"meeting\",\"contact\":%K,\"at\":\"2026-02-11T10:00:00Z\",\"subject\":\"Tv\xC3\xA5\"}");
  m3 = add(&s, s.staff, "{\"kind\":\"meeting\",\"contact\":%K,\"at\":\"2026-02-12T10:00:00Z\",\"subject\":\"Tre\"}");
  note = add(&s, s.staff, "{\"contact\":%K,\"text\":\"Ingen \xC3\xA4gare.\"}");

  pick[0] = m1;
  pick[1] = m3;
  CHECK_OK(kt_activities_reassign(s.reg, s.staff, pick, 2, s.colleague));
  CHECK(activity_number(&s, s.staff, m1, "owner") == s.colleague);
  CHECK(activity_number(&s, s.staff, m2, "owner") == s.staff);
  CHECK(activity_number(&s, s.staff, m3, "owner") == s.colleague);
  REQUIRE(kt_activity_query_new(&q) == KT_OK);
  CHECK_OK(kt_activity_query_set_owner(q, s.colleague));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK_IDS(found, m1, m3);
  CHECK_OK(kt_activity_query_set_owner(q, 0));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK(total == 4);

  /* All or none. */
  before = register_state(s.reg);
  pick[0] = m2;
  pick[1] = note;
  CHECK_FAILS(KT_INVALID, "activities[1]", "meetings and tasks have",
              kt_activities_reassign(s.reg, s.staff, pick, 2, s.colleague));
  pick[1] = 99;
  CHECK_RC(KT_NOT_FOUND, kt_activities_reassign(s.reg, s.staff, pick, 2, s.colleague));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "edit", kt_activities_reassign(s.reg, s.viewer, pick, 1, s.colleague));
  CHECK_FAILS(KT_INVALID, "owner", "no active staff user", kt_activities_reassign(s.reg, s.staff, pick, 1, 99));
  CHECK_FAILS(KT_MISUSE, "", "activities is NULL", kt_activities_reassign(s.reg, s.staff, NULL, 1, s.colleague));
  CHECK_RC(KT_MISUSE, kt_activities_reassign(NULL, s.staff, pick, 1, s.colleague));
  CHECK_OK(kt_activities_reassign(s.reg, s.staff, NULL, 0, s.colleague)); /* none: nothing to do */
  CHECK_UNCHANGED(s.reg, before);
  CHECK(activity_number(&s, s.staff, m2, "owner") == s.staff);

  /* The history of each says who owned it before. */
  REQUIRE(kt_history_query_new(&history) == KT_OK);
  CHECK_OK(kt_history_query_set_record(history, "activity", m1));
  CHECK_OK(kt_history(&cursor, s.reg, s.staff, history));
  CHECK_OK(kt_cursor_total(&total, cursor));
  CHECK(total == 2);
  CHECK_OK(kt_cursor_remaining(&json, cursor));
  CHECK_CONTAINS(json, "\"action\":\"changed\",\"field\":\"owner\",\"old_value\":2,\"new_value\":3}");
  kt_string_free(json);
  kt_cursor_free(cursor);
  kt_history_query_free(history);
  kt_activity_query_free(q);
  kt_register_free(s.reg);
}

/* The activity list: kinds, task statuses (any of several), customer,
 * contact with or without his companies' notes, time range, order, page
 * and total, the query as JSON, and misuse of the query object. */
static void the_activity_list(void) {
  crm s;
  uint64_t t1, t2, t3, own, company_note, day[5];
  kt_activity_query *q = NULL;
  kt_cursor *cursor = NULL;
  char found[256], text[128];
  size_t total = 0;
  int i;

  crm_setup(&s);
  CHECK_OK(kt_settings_update(s.reg, s.admin, "{\"task_statuses\":[\"ny\",\"p\xC3\xA5g\xC3\xA5r\",\"v\xC3\xA4ntar\",\"klar\"]}"));
  t1 = add(&s, s.staff, "{\"kind\":\"task\",\"customer\":%C,\"at\":\"2026-02-01\",\"subject\":\"Skicka offert\"}");
  t2 = add(&s, s.staff, "{\"kind\":\"task\",\"customer\":%C,\"at\":\"2026-02-02\",\"subject\":\"Boka service\","
                        "\"status\":\"p\xC3\xA5g\xC3\xA5r\"}");
  t3 = add(&s, s.staff, "{\"kind\":\"task\",\"contact\":%K,\"at\":\"2026-02-03\",\"subject\":\"Fakturera\",\"status\":\"klar\"}");
  for (i = 0; i < 5; ++i) {
    snprintf(text, sizeof text, "{\"kind\":\"journal\",\"customer\":%%C,\"at\":\"2026-03-0%dT00:00:00Z\",\"text\":\"Dag %d\"}",
             i + 1, i + 1);
    day[i] = add(&s, s.staff, text);
  }
  own = add(&s, s.staff, "{\"contact\":%K,\"text\":\"F\xC3\xB6redrar telefon.\"}");
  company_note = add(&s, s.staff, "{\"customer\":%C,\"text\":\"Ny ink\xC3\xB6pschef.\"}");
  CHECK(activity_number(&s, s.staff, t1, "id") == t1);

  /* Tasks with either of two statuses; a status list lists tasks only. */
  REQUIRE(kt_activity_query_new(&q) == KT_OK);
  CHECK_OK(kt_activity_query_add_kind(q, "task"));
  CHECK_OK(kt_activity_query_add_status(q, "ny"));
  CHECK_OK(kt_activity_query_add_status(q, "p\xC3\xA5g\xC3\xA5r"));
  CHECK_OK(kt_activity_query_add_status(q, "ny")); /* a repeat adds nothing */
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK_IDS(found, t1, t2);
  CHECK(total == 2);
  CHECK_OK(kt_activity_query_clear_kinds(q));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK_IDS(found, t1, t2);
  CHECK_OK(kt_activity_query_clear_statuses(q));
  CHECK_OK(kt_activity_query_add_status(q, "klar"));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK_IDS(found, t3);
  CHECK_OK(kt_activity_query_clear_statuses(q));
  CHECK_OK(kt_activity_query_add_kind(q, "task"));
  CHECK_OK(kt_activity_query_set_descending(q, 1));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK_IDS(found, t3, t2, t1);
  CHECK_OK(kt_activity_query_set_descending(q, 0));
  CHECK_OK(kt_activity_query_add_kind(q, "note"));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK(total == 5);

  /* On a customer; on a contact, with his company's notes or without. */
  CHECK_OK(kt_activity_query_clear_kinds(q));
  CHECK_OK(kt_activity_query_set_customer(q, s.company));
  CHECK_OK(kt_activity_query_add_kind(q, "note"));
  CHECK_OK(kt_activity_query_add_kind(q, "task"));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK_IDS(found, company_note, t1, t2); /* by "at": the note was written today */
  CHECK_OK(kt_activity_query_set_customer(q, 0));
  CHECK_OK(kt_activity_query_set_contact(q, s.contact));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK_IDS(found, own, company_note, t3);
  CHECK_OK(kt_activity_query_set_company_notes(q, 0));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK_IDS(found, own, t3);
  CHECK_OK(kt_activity_query_set_company_notes(q, 1));
  CHECK_OK(kt_activity_query_set_customer(q, s.company)); /* both: refused by the search */
  cursor = (kt_cursor *)&total;
  CHECK_FAILS(KT_INVALID, "contact", "not both", kt_activity_search(&cursor, s.reg, s.staff, q));
  CHECK(cursor == NULL);
  CHECK_OK(kt_activity_query_set_contact(q, 0));
  CHECK_OK(kt_activity_query_clear_kinds(q));

  /* The time range [since, until) of "at". */
  CHECK_OK(kt_activity_query_add_kind(q, "journal"));
  CHECK_OK(kt_activity_query_set_since(q, "2026-03-02"));
  CHECK_OK(kt_activity_query_set_until(q, "2026-03-04T00:00:00Z"));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK_IDS(found, day[1], day[2]);
  CHECK_OK(kt_activity_query_set_until(q, NULL));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK_IDS(found, day[1], day[2], day[3], day[4]);
  CHECK_OK(kt_activity_query_set_since(q, NULL));
  CHECK_FAILS(KT_INVALID, "since", "", kt_activity_query_set_since(q, "i morgon"));
  CHECK_FAILS(KT_INVALID, "until", "", kt_activity_query_set_until(q, "2026-13-01"));

  /* Pages: the cursor holds one, the total counts all. */
  CHECK_OK(kt_activity_query_set_page(q, 1, 2));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK_IDS(found, day[1], day[2]);
  CHECK(total == 5);
  CHECK_OK(kt_activity_query_set_page(q, 4, SIZE_MAX));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK_IDS(found, day[4]);
  CHECK_OK(kt_activity_query_set_page(q, 0, 0));
  CHECK_FAILS(KT_INVALID, "limit", "", kt_activity_search(&cursor, s.reg, s.staff, q));
  CHECK(cursor == NULL);

  /* The query as JSON, over the current values; a refused member leaves
   * it unchanged. */
  CHECK_OK(kt_activity_query_set_json(q, "{\"since\":\"2026-03-04\",\"descending\":true,\"offset\":0,\"limit\":10}"));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK_IDS(found, day[4], day[3]);
  CHECK_FAILS(KT_INVALID, "kinds[0]", "note, meeting", kt_activity_query_set_json(q, "{\"limit\":1,\"kinds\":[\"fax\"]}"));
  CHECK_FAILS(KT_INVALID, "until", "", kt_activity_query_set_json(q, "{\"until\":\"soon\"}"));
  CHECK_FAILS(KT_INVALID, "colour", "unknown field", kt_activity_query_set_json(q, "{\"colour\":1}"));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK_IDS(found, day[4], day[3]);
  CHECK_OK(kt_activity_query_set_json(q, "{\"kinds\":[\"task\"],\"statuses\":[\"ny\",\"klar\"],\"customer\":null,"
                                         "\"since\":null,\"descending\":false}"));
  total = search(&s, s.staff, q, found, sizeof found);
  CHECK_IDS(found, t1, t3);

  /* A NULL query: the defaults (every activity he sees, oldest first). */
  CHECK_OK(kt_activity_search(&cursor, s.reg, s.staff, NULL));
  CHECK_OK(kt_cursor_total(&total, cursor));
  CHECK(total == 10);
  kt_cursor_free(cursor);

  /* Refused names and misuse of the query object. */
  CHECK_FAILS(KT_INVALID, "kind", "note, meeting, task, email, journal, file, reminder",
              kt_activity_query_add_kind(q, "fax"));
  CHECK_FAILS(KT_MISUSE, "", "kind is NULL", kt_activity_query_add_kind(q, NULL));
  CHECK_FAILS(KT_INVALID, "status", "UTF-8", kt_activity_query_add_status(q, "\xC0\x80"));
  CHECK_FAILS(KT_MISUSE, "", "status is NULL", kt_activity_query_add_status(q, NULL));
  CHECK_FAILS(KT_MISUSE, "", "json is NULL", kt_activity_query_set_json(q, NULL));
  CHECK_FAILS(KT_MISUSE, "", "out is NULL", kt_activity_query_new(NULL));
  CHECK_RC(KT_MISUSE, kt_activity_query_add_kind(NULL, "task"));
  CHECK_RC(KT_MISUSE, kt_activity_query_clear_kinds(NULL));
  CHECK_RC(KT_MISUSE, kt_activity_query_set_customer(NULL, 0));
  CHECK_RC(KT_MISUSE, kt_activity_query_set_contact(NULL, 0));
  CHECK_RC(KT_MISUSE, kt_activity_query_set_company_notes(NULL, 1));
  CHECK_RC(KT_MISUSE, kt_activity_query_set_owner(NULL, 0));
  CHECK_RC(KT_MISUSE, kt_activity_query_add_status(NULL, "ny"));
  CHECK_RC(KT_MISUSE, kt_activity_query_clear_statuses(NULL));
  CHECK_RC(KT_MISUSE, kt_activity_query_set_since(NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_activity_query_set_until(NULL, NULL));
  CHECK_RC(KT_MISUSE, kt_activity_query_set_descending(NULL, 0));
  CHECK_RC(KT_MISUSE, kt_activity_query_set_page(NULL, 0, 10));
  CHECK_RC(KT_MISUSE, kt_activity_query_set_json(NULL, "{}"));
  CHECK_RC(KT_MISUSE, kt_activity_search(NULL, s.reg, s.staff, q));
  CHECK_RC(KT_MISUSE, kt_activity_search(&cursor, NULL, s.staff, q));
  CHECK_RC(KT_PERMISSION_DENIED, kt_activity_search(&cursor, s.reg, 99, q));
  {
    /* A query of another kind is no activity query. */
    kt_order_query *other = NULL;
    REQUIRE(kt_order_query_new(&other) == KT_OK);
    CHECK_FAILS(KT_MISUSE, "", "not a live kt_activity_query",
                kt_activity_search(&cursor, s.reg, s.staff, (const kt_activity_query *)(const void *)other));
    kt_order_query_free(other);
  }
  kt_activity_query_free(q);
  CHECK_FAILS(KT_MISUSE, "", "not a live kt_activity_query", kt_activity_search(&cursor, s.reg, s.staff, q));
  CHECK(cursor == NULL);
  kt_activity_query_free(q); /* a second free is detected, not done */
  CHECK(kt_error_code() == KT_MISUSE);
  CHECK_CONTAINS(kt_error_message(), "kt_activity_query_free");
  kt_activity_query_free(NULL);
  kt_register_free(s.reg);
}

/* The customer journal: dated entries on a customer; an inspector deletes
 * only what he wrote, an administrator anything. Notes likewise. */
static void journal_entries_belong_to_their_author(void) {
  crm s;
  uint64_t inspector, mine, theirs, today, note, id = 0;
  kt_activity_query *q = NULL;
  char found[256], *json = NULL;

  crm_setup(&s);
  inspector = add_user(s.reg, s.admin, "inspektor", "Inga Inspekt\xC3\xB6r", SEE_AND_EDIT);
  mine = add(&s, inspector, "{\"kind\":\"journal\",\"customer\":%C,\"at\":\"2026-01-20\",\"text\":\"Besiktning.\"}");
  theirs = add(&s, s.colleague, "{\"kind\":\"journal\",\"customer\":%C,\"at\":\"2026-01-21\",\"text\":\"Filterbyte.\"}");
  set_clock(&s, 1, 22, 7);
  today = add(&s, inspector, "{\"kind\":\"journal\",\"customer\":%C,\"text\":\"Utan datum: i dag.\"}");
  json = activity(&s, s.staff, today);
  CHECK_CONTAINS(json, "\"owner\":5,\"at\":\"2026-01-22T07:00:00.000000Z\"");
  kt_string_free(json);
  CHECK_FAILS(KT_INVALID, "customer", "on a customer", kt_activity_create(&id, s.reg, inspector,
              "{\"kind\":\"journal\",\"contact\":1,\"text\":\"x\"}"));

  CHECK_FAILS(KT_PERMISSION_DENIED, "", "only its author or an administrator",
              kt_activity_delete(s.reg, inspector, theirs));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "only its author or an administrator",
              kt_activity_update(s.reg, inspector, theirs, 1, "{\"text\":\"\xC3\x84ndrad.\"}"));
  CHECK_OK(kt_activity_delete(s.reg, inspector, mine));
  CHECK_RC(KT_NOT_FOUND, kt_activity_get(&json, s.reg, s.admin, mine));
  CHECK_OK(kt_activity_delete(s.reg, s.admin, theirs));
  REQUIRE(kt_activity_query_new(&q) == KT_OK);
  CHECK_OK(kt_activity_query_set_customer(q, s.company));
  CHECK_OK(kt_activity_query_add_kind(q, "journal"));
  CHECK(search(&s, s.staff, q, found, sizeof found) == 1);
  CHECK_IDS(found, today);

  /* A note: its author or an administrator changes it. */
  note = add(&s, s.colleague, "{\"customer\":%C,\"text\":\"F\xC3\xB6rsta.\"}");
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "only its author", kt_activity_update(s.reg, s.staff, note, 1, "{\"text\":\"Annan.\"}"));
  CHECK_OK(kt_activity_update(s.reg, s.colleague, note, 1, "{\"text\":\"\xC3\x84ndrad av f\xC3\xB6rfattaren.\"}"));
  CHECK_OK(kt_activity_update(s.reg, s.admin, note, 2, "{\"text\":\"\xC3\x84ndrad av administrat\xC3\xB6ren.\"}"));
  CHECK_RC(KT_PERMISSION_DENIED, kt_activity_delete(s.reg, s.staff, note));
  CHECK_OK(kt_activity_delete(s.reg, s.colleague, note));
  kt_activity_query_free(q);
  kt_register_free(s.reg);
}

/* Files: uploading needs the upload right, deleting the delete-files
 * right; a file is never changed. */
static void files_need_their_rights(void) {
  crm s;
  uint64_t uploader, editor, deleter, contact_uploader, file, id = 0;
  char *json = NULL;

#define FILE_ON(record) "{\"kind\":\"file\",\"" record "\":1,\"file\":{\"name\":\"avtal.pdf\",\"size\":2048," \
                        "\"sha256\":\"" SHA256_B "\",\"media_type\":\"application/pdf\"}}"
  crm_setup(&s);
  uploader = add_user(s.reg, s.admin, "upp", "Ulla Upp", "\"customers.view\",\"customers.upload\"");
  editor = add_user(s.reg, s.admin, "red", "Rolf Red", "\"customers.view\",\"customers.edit\"");
  deleter = add_user(s.reg, s.admin, "del", "Dag Del", "\"customers.view\",\"customers.delete_files\"");
  contact_uploader = add_user(s.reg, s.admin, "cup", "Cilla Upp", "\"contacts.view\",\"contacts.upload\"");

  CHECK_FAILS(KT_PERMISSION_DENIED, "", "customers.upload", kt_activity_create(&id, s.reg, editor, FILE_ON("customer")));
  CHECK_OK(kt_activity_create(&file, s.reg, uploader, FILE_ON("customer")));
  json = activity(&s, s.staff, file);
  CHECK(json_number(json, "owner") == uploader);
  CHECK(json_number(json, "uploaded_by") == uploader);
  kt_string_free(json);
  CHECK_FAILS(KT_INVALID, "file", "not changed",
              kt_activity_update(s.reg, s.admin, file, 1, "{\"file\":{\"name\":\"annat.pdf\"}}"));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "customers.delete_files", kt_activity_delete(s.reg, uploader, file));
  CHECK_RC(KT_PERMISSION_DENIED, kt_activity_delete(s.reg, editor, file));
  CHECK_OK(kt_activity_delete(s.reg, deleter, file));
  CHECK_RC(KT_NOT_FOUND, kt_activity_get(&json, s.reg, s.admin, file));

  /* On a contact: the contacts module's rights. */
  CHECK_RC(KT_NOT_FOUND, kt_activity_create(&id, s.reg, uploader, FILE_ON("contact"))); /* he sees no contacts */
  CHECK_OK(kt_activity_create(&id, s.reg, contact_uploader, FILE_ON("contact")));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "contacts.delete_files", kt_activity_delete(s.reg, contact_uploader, id));
#undef FILE_ON
  kt_register_free(s.reg);
}

/* A reminder on a customer is due like a booking: listed by
 * kt_due_reminders with its activity, raised once by kt_reminders_raise. */
static void reminders_on_customers(void) {
  crm s;
  uint64_t reminder, noted = 0;
  kt_cursor *cursor = NULL;
  char *json = NULL, *item = NULL;
  char pattern[128];

  crm_setup(&s);
  reminder = add(&s, s.staff, "{\"kind\":\"reminder\",\"customer\":%C,\"at\":\"2026-02-01T09:00:00Z\",\"owner\":3,"
                              "\"subject\":\"Ring om avtalet\"}");
  CHECK_OK(kt_due_reminders(&cursor, s.reg, s.colleague, "2026-01-31"));
  CHECK(count_items(cursor) == 0);
  CHECK_OK(kt_due_reminders(&cursor, s.reg, s.colleague, "2026-02-01T09:00:00Z"));
  REQUIRE(kt_cursor_next(&item, cursor) == KT_OK);
  CHECK_CONTAINS(item, "{\"order\":null,\"booking\":{");
  snprintf(pattern, sizeof pattern, "\"activity\":{\"id\":%llu,\"kind\":\"reminder\",\"customer\":1,",
           (unsigned long long)reminder);
  CHECK_CONTAINS(item, pattern);
  CHECK_CONTAINS(item, "\"subject\":\"Ring om avtalet\"");
  kt_string_free(item);
  CHECK_RC(KT_DONE, kt_cursor_next(&item, cursor));
  kt_cursor_free(cursor);
  CHECK_OK(kt_due_reminders(&cursor, s.reg, s.staff, "2026-02-02")); /* not his */
  CHECK(count_items(cursor) == 0);
  CHECK_OK(kt_due_reminders(&cursor, s.reg, s.admin, "2026-02-02")); /* an administrator's: everyone's */
  CHECK(count_items(cursor) == 1);

  /* Raised when due, once. */
  CHECK_OK(kt_reminders_raise(s.reg, s.admin));
  CHECK_OK(kt_notifications(&cursor, s.reg, s.colleague, 10));
  CHECK(count_items(cursor) == 0);
  set_clock(&s, 2, 1, 9);
  CHECK_OK(kt_reminders_raise(s.reg, s.admin));
  CHECK_OK(kt_notifications(&cursor, s.reg, s.colleague, 10));
  CHECK_OK(kt_cursor_remaining(&json, cursor));
  snprintf(pattern, sizeof pattern, "\"kind\":\"reminder\",\"subject\":{\"kind\":\"activity\",\"id\":%llu}",
           (unsigned long long)reminder);
  CHECK_CONTAINS(json, pattern);
  CHECK_CONTAINS(json, "Ring om avtalet");
  kt_string_free(json);
  kt_cursor_free(cursor);
  json = activity(&s, s.staff, reminder);
  CHECK_CONTAINS(json, "\"done\":false,\"reminded\":true");
  noted = json_number(json, "revision");
  kt_string_free(json);
  CHECK_OK(kt_reminders_raise(s.reg, s.admin));
  CHECK_OK(kt_notifications(&cursor, s.reg, s.colleague, 10));
  CHECK(count_items(cursor) == 1);

  /* Done, it is due no more; "reminded" is the register's. */
  CHECK_FAILS(KT_INVALID, "reminded", "the register reminds",
              kt_activity_update(s.reg, s.staff, reminder, noted, "{\"reminded\":false}"));
  CHECK_OK(kt_activity_update(s.reg, s.staff, reminder, noted, "{\"done\":true}"));
  CHECK_OK(kt_due_reminders(&cursor, s.reg, s.colleague, "2026-03-01"));
  CHECK(count_items(cursor) == 0);
  kt_register_free(s.reg);
}

/* Linked employees: the staff linked to a customer directly, and those who
 * worked on its orders. */
static void linked_employees(void) {
  crm s;
  uint64_t worker, timer, revision, order = 0, portal = 0;
  kt_cursor *cursor = NULL;
  kt_history_query *history = NULL;
  char json_in[256], *json = NULL;
  size_t total = 0;

  crm_setup(&s);
  worker = add_user(s.reg, s.admin, "arbetare", "Arne Arbetare", "\"customers.view\",\"orders.view\",\"orders.edit\"");
  timer = add_user(s.reg, s.admin, "tid", "Tid Tidsson", "\"customers.view\",\"orders.view\",\"orders.edit\"");

  CHECK_OK(kt_customer_link_employee(s.reg, s.staff, s.company, s.colleague));
  CHECK_FAILS(KT_CONFLICT, "", "already linked", kt_customer_link_employee(s.reg, s.staff, s.company, s.colleague));
  CHECK_FAILS(KT_INVALID, "user", "no active staff user", kt_customer_link_employee(s.reg, s.staff, s.company, 99));
  CHECK_RC(KT_PERMISSION_DENIED, kt_customer_link_employee(s.reg, s.viewer, s.company, s.staff));
  CHECK_RC(KT_NOT_FOUND, kt_customer_link_employee(s.reg, s.staff, 99, s.staff));
  snprintf(json_in, sizeof json_in, "{\"customer\":%llu,\"subject\":\"Service\",\"assigned\":[%llu]}",
           (unsigned long long)s.company, (unsigned long long)worker);
  CHECK_OK(kt_order_create(&order, s.reg, s.staff, json_in));
  CHECK_OK(kt_order_add_time(s.reg, timer, order, 1.5, "Fels\xC3\xB6kning"));

  CHECK_OK(kt_customer_employees(&cursor, s.reg, s.staff, s.company));
  CHECK_OK(kt_cursor_total(&total, cursor));
  CHECK(total == 3);
  CHECK_OK(kt_cursor_remaining(&json, cursor));
  CHECK(strcmp(json, "[{\"user\":3,\"name\":\"Karl Kollega\",\"linked\":true,\"orders\":0},"
                     "{\"user\":5,\"name\":\"Arne Arbetare\",\"linked\":false,\"orders\":1},"
                     "{\"user\":6,\"name\":\"Tid Tidsson\",\"linked\":false,\"orders\":1}]") == 0);
  kt_string_free(json);
  kt_cursor_free(cursor);

  /* The link is the register's: a customer update cannot change it. */
  CHECK_OK(kt_customer_get(&json, s.reg, s.staff, s.company));
  CHECK_CONTAINS(json, "\"employees\":[3],");
  revision = json_number(json, "revision");
  kt_string_free(json);
  CHECK_FAILS(KT_INVALID, "employees", "", kt_customer_update(s.reg, s.staff, s.company, revision, "{\"employees\":[]}"));

  CHECK_OK(kt_customer_unlink_employee(s.reg, s.staff, s.company, s.colleague));
  CHECK_FAILS(KT_NOT_FOUND, "", "not linked", kt_customer_unlink_employee(s.reg, s.staff, s.company, s.colleague));
  CHECK_OK(kt_customer_employees(&cursor, s.reg, s.staff, s.company));
  CHECK(count_items(cursor) == 2);
  /* Who does not see orders is not told who worked on them. */
  CHECK_OK(kt_customer_employees(&cursor, s.reg, s.viewer, s.company));
  CHECK(count_items(cursor) == 0);
  CHECK_OK(kt_customer_user_create(&portal, s.reg, s.staff, s.company, s.contact, "portal"));
  CHECK_RC(KT_NOT_FOUND, kt_customer_employees(&cursor, s.reg, portal, s.company));
  CHECK(cursor == NULL);
  CHECK_RC(KT_NOT_FOUND, kt_customer_employees(&cursor, s.reg, s.staff, 99));

  /* Both changes are in the customer's history. */
  REQUIRE(kt_history_query_new(&history) == KT_OK);
  CHECK_OK(kt_history_query_set_record(history, "customer", s.company));
  CHECK_OK(kt_history(&cursor, s.reg, s.staff, history));
  CHECK_OK(kt_cursor_remaining(&json, cursor));
  CHECK_CONTAINS(json, "\"action\":\"linked\",\"field\":\"employees\",\"old_value\":null,\"new_value\":3}");
  CHECK_CONTAINS(json, "\"action\":\"unlinked\",\"field\":\"employees\",\"old_value\":3,\"new_value\":null}");
  kt_string_free(json);
  kt_cursor_free(cursor);
  kt_history_query_free(history);

  CHECK_RC(KT_MISUSE, kt_customer_link_employee(NULL, s.staff, s.company, s.colleague));
  CHECK_RC(KT_MISUSE, kt_customer_unlink_employee(NULL, s.staff, s.company, s.colleague));
  CHECK_RC(KT_MISUSE, kt_customer_employees(NULL, s.reg, s.staff, s.company));
  CHECK_RC(KT_MISUSE, kt_customer_employees(&cursor, NULL, s.staff, s.company));
  kt_register_free(s.reg);
}

/* An activity's history, within a time range, and on the record it is on;
 * once deleted, it is the administrators'. */
static void history_of_an_activity(void) {
  crm s;
  uint64_t task;
  kt_history_query *history = NULL;
  kt_cursor *cursor = NULL;
  char *json = NULL, pattern[128];
  size_t total = 0;

  crm_setup(&s);
  set_clock(&s, 5, 1, 8);
  task = add(&s, s.staff, "{\"kind\":\"task\",\"customer\":%C,\"at\":\"2026-06-01\",\"subject\":\"\xC3\x85rlig kontroll\"}");
  set_clock(&s, 5, 10, 8);
  CHECK_OK(kt_activity_update(s.reg, s.staff, task, 1, "{\"status\":\"done\"}"));
  set_clock(&s, 5, 20, 8);
  CHECK_OK(kt_activity_delete(s.reg, s.staff, task));

  REQUIRE(kt_history_query_new(&history) == KT_OK);
  CHECK_OK(kt_history_query_set_record(history, "activity", task));
  CHECK_OK(kt_history(&cursor, s.reg, s.admin, history));
  CHECK_OK(kt_cursor_total(&total, cursor));
  CHECK(total == 3);
  CHECK_OK(kt_cursor_remaining(&json, cursor));
  CHECK_CONTAINS(json, "\"at\":\"2026-05-01T08:00:00.000000Z\",\"actor\":2,\"source\":\"api\","
                       "\"record\":{\"kind\":\"activity\",\"id\":1},\"action\":\"created\"");
  CHECK_CONTAINS(json, "\"field\":\"status\",\"old_value\":\"open\",\"new_value\":\"done\"");
  CHECK_CONTAINS(json, "\"at\":\"2026-05-20T08:00:00.000000Z\",\"actor\":2,\"source\":\"api\","
                       "\"record\":{\"kind\":\"activity\",\"id\":1},\"action\":\"deleted\"");
  kt_string_free(json);
  kt_cursor_free(cursor);

  CHECK_OK(kt_history_query_set_from(history, "2026-05-05"));
  CHECK_OK(kt_history_query_set_to(history, "2026-05-15T00:00:00Z"));
  CHECK_OK(kt_history(&cursor, s.reg, s.admin, history));
  REQUIRE(kt_cursor_next(&json, cursor) == KT_OK);
  CHECK_CONTAINS(json, "\"at\":\"2026-05-10T08:00:00.000000Z\"");
  CHECK_CONTAINS(json, "\"field\":\"status\"");
  kt_string_free(json);
  CHECK_RC(KT_DONE, kt_cursor_next(&json, cursor));
  kt_cursor_free(cursor);

  /* A deleted activity may have been private: its history is for
   * administrators. */
  CHECK_OK(kt_history(&cursor, s.reg, s.staff, history));
  CHECK(count_items(cursor) == 0);

  /* The customer's history says a task came and went, and nothing more. */
  CHECK_OK(kt_history_query_set_record(history, "customer", s.company));
  CHECK_OK(kt_history_query_set_from(history, "2026-05-01"));
  CHECK_OK(kt_history_query_set_to(history, NULL));
  CHECK_OK(kt_history(&cursor, s.reg, s.staff, history));
  CHECK_OK(kt_cursor_remaining(&json, cursor));
  snprintf(pattern, sizeof pattern, "\"action\":\"linked\",\"field\":\"activities\",\"old_value\":null,"
                                    "\"new_value\":{\"id\":%llu,\"kind\":\"task\"}}", (unsigned long long)task);
  CHECK_CONTAINS(json, pattern);
  CHECK_CONTAINS(json, "\"action\":\"unlinked\",\"field\":\"activities\"");
  CHECK(!strstr(json, "kontroll"));
  kt_string_free(json);
  kt_cursor_free(cursor);
  kt_history_query_free(history);
  kt_register_free(s.reg);
}

int main(void) {
  each_kind_is_made_from_json();
  refusals_name_the_field_and_change_nothing();
  notes_of_a_private_customer_are_hidden();
  restricted_emails();
  meetings_are_reassigned_all_or_none();
  the_activity_list();
  journal_entries_belong_to_their_author();
  files_need_their_rights();
  reminders_on_customers();
  linked_employees();
  history_of_an_activity();
  return test_exit("crm");
}
