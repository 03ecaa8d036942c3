/* tests/c/users_settings_test.c: users (administrators only), the last
 * administrator rule, and the register's settings. */
#include "test_support.h"

static void administrators_manage_users(void) {
  int64_t clock;
  uint64_t admin, staff = 0, id = 4;
  kt_register *reg = test_register(&clock, &admin);
  kt_cursor *cursor = NULL;
  char *json = NULL;
  size_t total = 0;

  CHECK_OK(kt_user_create(&staff, reg, admin, "{\"login\":\"tekla\",\"name\":\"Tekla Tekniker\",\"language\":\"sv\"," KT_TEST_ALL_RIGHTS "}"));
  CHECK(staff == 2);
  CHECK_OK(kt_user_get(&json, reg, staff, staff));
  CHECK_CONTAINS(json, "{\"id\":2,\"login\":\"tekla\",\"name\":\"Tekla Tekniker\"");
  CHECK_CONTAINS(json, "\"administrator\":false,\"active\":true");
  kt_string_free(json);
  CHECK_FAILS(KT_NOT_FOUND, "", "user 9", kt_user_get(&json, reg, admin, 9));
  CHECK(json == NULL);
  CHECK_RC(KT_MISUSE, kt_user_get(NULL, reg, admin, 1));

  CHECK_FAILS(KT_PERMISSION_DENIED, "", "only an administrator may create users",
              kt_user_create(&id, reg, staff, "{\"login\":\"bo\",\"name\":\"Bo\"}"));
  CHECK(id == 0);
  CHECK_FAILS(KT_CONFLICT, "", "already taken", kt_user_create(&id, reg, admin, "{\"login\":\"TEKLA\",\"name\":\"Other\"}"));
  CHECK_FAILS(KT_INVALID, "language", "language code", kt_user_create(&id, reg, admin, "{\"login\":\"bo\",\"name\":\"Bo\",\"language\":\"Swedish\"}"));
  CHECK_FAILS(KT_INVALID, "administrator", "true or false", kt_user_create(&id, reg, admin, "{\"login\":\"bo\",\"name\":\"Bo\",\"administrator\":1}"));
  CHECK_FAILS(KT_INVALID, "json", "UTF-8", kt_user_create(&id, reg, admin, "{\"login\":\"b\xF5o\"}"));
  CHECK_RC(KT_MISUSE, kt_user_create(&id, NULL, admin, "{}"));

  CHECK_OK(kt_user_list(&cursor, reg, staff));
  CHECK_OK(kt_cursor_total(&total, cursor));
  CHECK(total == 2);
  CHECK_OK(kt_cursor_next(&json, cursor));
  CHECK_CONTAINS(json, "\"login\":\"admin\"");
  kt_string_free(json);
  kt_cursor_free(cursor);
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "unknown user 9", kt_user_list(&cursor, reg, 9));
  CHECK(cursor == NULL);
  CHECK_RC(KT_MISUSE, kt_user_list(NULL, reg, admin));

  /* Updates: administrators only, based on a revision. */
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "only an administrator may change users",
              kt_user_update(reg, staff, staff, 1, "{\"administrator\":true}"));
  CHECK_OK(kt_user_update(reg, admin, staff, 1, "{\"email\":\"tekla@firma.se\"}"));
  CHECK_FAILS(KT_CONFLICT, "", "revision 1, now 2", kt_user_update(reg, admin, staff, 1, "{\"name\":\"T\"}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "user 9", kt_user_update(reg, admin, 9, 1, "{}"));
  CHECK_FAILS(KT_INVALID, "id", "differs", kt_user_update(reg, admin, staff, 2, "{\"id\":1}"));
  CHECK_FAILS(KT_INVALID, "json", "offset", kt_user_update(reg, admin, staff, 2, "{\"name\""));
  CHECK_RC(KT_MISUSE, kt_user_update(NULL, admin, staff, 2, "{}"));

  /* The last active administrator stays one. */
  CHECK_FAILS(KT_CONFLICT, "", "last active administrator", kt_user_update(reg, admin, admin, 1, "{\"administrator\":false}"));
  CHECK_OK(kt_user_update(reg, admin, staff, 2, "{\"administrator\":true}"));
  CHECK_OK(kt_user_update(reg, staff, admin, 1, "{\"active\":false}"));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "deactivated", kt_user_get(&json, reg, admin, admin));
  kt_register_free(reg);
}

static void settings_are_read_and_patched(void) {
  int64_t clock;
  uint64_t admin, staff = 0, id = 0;
  kt_register *reg = test_register(&clock, &admin);
  char *json = NULL;

  CHECK_OK(kt_user_create(&staff, reg, admin, "{\"login\":\"tekla\",\"name\":\"Tekla\"," KT_TEST_ALL_RIGHTS "}"));
  CHECK_OK(kt_settings_get(&json, reg, staff));
  CHECK(strcmp(json, "{\"locale\":\"sv\",\"number_min_length\":1,\"number_max_length\":20,\"auto_number\":false,"
                     "\"number_prefix\":\"\",\"number_padding\":0,\"next_number\":1,\"discount_letters\":[],"
                     "\"notification_channels\":[\"in_app\"],\"order_statuses\":["
                     "{\"kind\":\"work_order\",\"statuses\":[\"new\",\"in_progress\"]},"
                     "{\"kind\":\"service_order\",\"statuses\":[\"new\",\"in_progress\"]},"
                     "{\"kind\":\"error_report\",\"statuses\":[\"new\",\"in_progress\"]},"
                     "{\"kind\":\"quotation\",\"statuses\":[\"new\",\"in_progress\"]},"
                     "{\"kind\":\"contact_order\",\"statuses\":[\"new\",\"in_progress\"]},"
                     "{\"kind\":\"sales_order\",\"statuses\":[\"new\",\"in_progress\"]}],"
                     "\"contact_orders_by_number\":false,\"require_customer_order_number\":false,"
                    "\"task_statuses\":[\"open\",\"in_progress\",\"waiting\",\"done\"]}") == 0);
  kt_string_free(json);
  CHECK_RC(KT_MISUSE, kt_settings_get(NULL, reg, admin));
  CHECK_RC(KT_MISUSE, kt_settings_get(&json, NULL, admin));

  CHECK_FAILS(KT_PERMISSION_DENIED, "", "only an administrator may change settings",
              kt_settings_update(reg, staff, "{\"auto_number\":true}"));
  CHECK_OK(kt_settings_update(reg, admin, "{\"auto_number\":true,\"number_prefix\":\"K\",\"number_padding\":5,"
                                          "\"discount_letters\":[{\"letter\":\"A\",\"percent\":10}]}"));
  CHECK_OK(kt_settings_update(reg, admin, "{\"locale\":\"da\"}")); /* the others stay */
  CHECK_OK(kt_settings_get(&json, reg, admin));
  CHECK_CONTAINS(json, "\"locale\":\"da\"");
  CHECK_CONTAINS(json, "\"number_prefix\":\"K\",\"number_padding\":5");
  CHECK_CONTAINS(json, "\"discount_letters\":[{\"letter\":\"A\",\"percent\":10");
  kt_string_free(json);

  CHECK_OK(kt_customer_create(&id, reg, staff, "{\"name\":\"Auto\",\"discount_letters\":[\"A\"]}"));
  CHECK_OK(kt_customer_get(&json, reg, staff, id));
  CHECK_CONTAINS(json, "\"number\":\"K00001\"");
  kt_string_free(json);

  CHECK_FAILS(KT_INVALID, "next_number", "only move forward", kt_settings_update(reg, admin, "{\"next_number\":1}"));
  CHECK_FAILS(KT_INVALID, "locale", "locale", kt_settings_update(reg, admin, "{\"locale\":\"xx-bogus-locale\"}"));
  CHECK_FAILS(KT_INVALID, "discount_letters[0].percent", "between 0 and 100",
              kt_settings_update(reg, admin, "{\"discount_letters\":[{\"letter\":\"A\",\"percent\":101}]}"));
  CHECK_FAILS(KT_CONFLICT, "", "still carried", kt_settings_update(reg, admin, "{\"discount_letters\":[]}"));
  CHECK_FAILS(KT_INVALID, "number_padding", "a non-negative integer", kt_settings_update(reg, admin, "{\"number_padding\":-1}"));
  CHECK_FAILS(KT_INVALID, "colour", "unknown field", kt_settings_update(reg, admin, "{\"colour\":1}"));
  CHECK_FAILS(KT_INVALID, "json", "UTF-8", kt_settings_update(reg, admin, "{\"number_prefix\":\"\xC3\"}"));
  CHECK_RC(KT_MISUSE, kt_settings_update(reg, admin, NULL));
  CHECK_RC(KT_MISUSE, kt_settings_update(NULL, admin, "{}"));
  kt_register_free(reg);
}

/* Rights come from the user and his groups; reads and commands follow them. */
static void rights_and_groups_decide_what_users_see_and_do(void) {
  int64_t clock;
  uint64_t admin, group = 0, seller = 0, tech = 0, nobody = 0, portal = 0, mine = 0, other = 0, id = 0;
  kt_register *reg = test_register(&clock, &admin);
  kt_cursor *cursor = NULL;
  kt_history_query *hq = NULL;
  char *json = NULL;
  size_t total = 0;

  CHECK_OK(kt_rights_all(&json));
  CHECK_CONTAINS(json, "\"customers.view_assigned\"");
  CHECK_CONTAINS(json, "\"contact_orders.assign_self\"");
  kt_string_free(json);

  /* A group grants; the user holds his own rights and his groups'. */
  CHECK_OK(kt_user_group_create(&group, reg, admin,
                                "{\"name\":\"S\u00e4ljare\",\"rights\":[\"customers.view\",\"customers.create\"]}"));
  CHECK_FAILS(KT_CONFLICT, "", "already exists", kt_user_group_create(&id, reg, admin, "{\"name\":\"s\u00e4ljare\"}"));
  CHECK_FAILS(KT_INVALID, "rights[0]", "expected one of", kt_user_group_create(&id, reg, admin, "{\"name\":\"X\",\"rights\":[\"customers.fly\"]}"));
  CHECK_OK(kt_user_create(&seller, reg, admin, "{\"login\":\"sam\",\"name\":\"Sam\",\"groups\":[1],\"rights\":[\"contacts.view\"]}"));
  CHECK_OK(kt_user_rights(&json, reg, admin, seller));
  CHECK(json && strcmp(json, "[\"customers.view\",\"customers.create\",\"contacts.view\"]") == 0);
  kt_string_free(json);
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "administrator", kt_user_group_create(&id, reg, seller, "{\"name\":\"Y\"}"));
  CHECK_OK(kt_user_group_get(&json, reg, seller, group));
  CHECK_CONTAINS(json, "\"name\":\"S\xC3\xA4ljare\"");
  kt_string_free(json);
  CHECK_OK(kt_user_group_list(&cursor, reg, seller));
  CHECK(count_items(cursor) == 1);
  kt_cursor_free(cursor);
  CHECK_OK(kt_user_group_update(reg, admin, group, 1, "{\"rights\":[\"customers.view\"]}"));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "customers.create", kt_customer_create(&id, reg, seller, "{\"number\":\"9\"}"));
  CHECK_FAILS(KT_CONFLICT, "", "sam", kt_user_group_delete(reg, admin, group));
  CHECK_OK(kt_assign_menu(&json, reg, seller));
  CHECK_CONTAINS(json, "[{\"group\":1,\"name\":\"S\xC3\xA4ljare\",\"users\":[{\"id\":2,\"login\":\"sam\"");
  CHECK_CONTAINS(json, "{\"group\":null,\"name\":\"\",\"users\":[{\"id\":1,\"login\":\"admin\"");
  kt_string_free(json);

  /* "Only assigned": a technician sees the customers assigned to him. */
  CHECK_OK(kt_user_create(&tech, reg, admin, "{\"login\":\"tina\",\"name\":\"Tina\",\"rights\":[\"customers.view_assigned\",\"customers.edit_assigned\"]}"));
  CHECK_OK(kt_customer_create(&mine, reg, admin, "{\"number\":\"1\",\"name\":\"\xC3\x85" "berg AB\"}"));
  CHECK_OK(kt_customer_create(&other, reg, admin, "{\"number\":\"2\",\"name\":\"Ek AB\"}"));
  CHECK_OK(kt_customer_assign_technician(reg, admin, mine, tech));
  CHECK_OK(kt_customer_search(&cursor, reg, tech, NULL));
  CHECK_OK(kt_cursor_total(&total, cursor));
  CHECK(total == 1);
  kt_cursor_free(cursor);
  CHECK_OK(kt_customer_get(&json, reg, tech, mine));
  kt_string_free(json);
  CHECK_FAILS(KT_NOT_FOUND, "", "customer", kt_customer_get(&json, reg, tech, other));
  CHECK_OK(kt_customer_update(reg, tech, mine, 2, "{\"phone\":\"08-1\"}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "customer", kt_customer_update(reg, tech, other, 1, "{\"phone\":\"08-1\"}"));
  REQUIRE(kt_history_query_new(&hq) == KT_OK);
  CHECK_OK(kt_history_query_set_record(hq, "customer", other));
  CHECK_OK(kt_history(&cursor, reg, tech, hq));
  CHECK(count_items(cursor) == 0); /* no history of what he may not see */
  kt_cursor_free(cursor);
  kt_history_query_free(hq);

  /* No grant, no access. */
  CHECK_OK(kt_user_create(&nobody, reg, admin, "{\"login\":\"ned\",\"name\":\"Ned\"}"));
  CHECK_OK(kt_customer_search(&cursor, reg, nobody, NULL));
  CHECK_OK(kt_cursor_total(&total, cursor));
  CHECK(total == 0);
  kt_cursor_free(cursor);
  CHECK_FAILS(KT_NOT_FOUND, "", "customer", kt_customer_get(&json, reg, nobody, mine));

  /* A customer user sees his own customer only; locked, nothing at all. */
  CHECK_OK(kt_user_create(&portal, reg, admin, "{\"login\":\"kund1\",\"name\":\"Kund\",\"kind\":\"customer\",\"customer\":1}"));
  CHECK_OK(kt_customer_get(&json, reg, portal, mine));
  kt_string_free(json);
  CHECK_FAILS(KT_NOT_FOUND, "", "customer", kt_customer_get(&json, reg, portal, other));
  CHECK_OK(kt_user_list(&cursor, reg, portal));
  CHECK(count_items(cursor) == 1);
  kt_cursor_free(cursor);
  CHECK_FAILS(KT_INVALID, "rights", "no rights", kt_user_create(&id, reg, admin, "{\"login\":\"kund2\",\"name\":\"K\",\"kind\":\"customer\",\"customer\":1,\"rights\":[\"customers.view\"]}"));
  CHECK_OK(kt_user_update(reg, admin, portal, 1, "{\"locked\":true}"));
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "locked", kt_customer_get(&json, reg, portal, mine));

  /* Staff with the customer-user rights manage portal logins of the
   * customers they see. */
  {
    uint64_t keeper = 0, lena = 0, login = 0;
    CHECK_OK(kt_user_create(&keeper, reg, admin,
                            "{\"login\":\"kim\",\"name\":\"Kim\",\"rights\":[\"customers.view\","
                            "\"customers.create_customer_users\",\"customers.change_customer_user_rights\"]}"));
    CHECK_OK(kt_contact_create(&lena, reg, admin, "{\"first_name\":\"Lena\",\"last_name\":\"S\xC3\xB6" "derstr\xC3\xB6m\"}"));
    CHECK_FAILS(KT_INVALID, "contact", "not a contact person", kt_customer_user_create(&login, reg, keeper, mine, lena, "lena"));
    CHECK(lena == 1);
    CHECK_OK(kt_contact_link(reg, admin, "{\"contact\":1,\"customer\":1}"));
    CHECK_OK(kt_customer_user_create(&login, reg, keeper, mine, lena, "lena"));
    CHECK_OK(kt_user_get(&json, reg, admin, login));
    CHECK_CONTAINS(json, "\"name\":\"Lena S\xC3\xB6" "derstr\xC3\xB6m\"");
    CHECK_CONTAINS(json, "\"kind\":\"customer\",\"customer\":1,\"contact\":1");
    kt_string_free(json);
    CHECK_OK(kt_customer_user_set_locked(reg, keeper, login, 1));
    CHECK_FAILS(KT_PERMISSION_DENIED, "", "locked", kt_customer_get(&json, reg, login, mine));
    CHECK_OK(kt_customer_user_set_locked(reg, keeper, login, 0));
    CHECK_OK(kt_customer_get(&json, reg, login, mine));
    kt_string_free(json);
    CHECK_FAILS(KT_PERMISSION_DENIED, "", "customers.delete_customer_users", kt_customer_user_delete(reg, keeper, login));
    CHECK_FAILS(KT_NOT_FOUND, "", "customer user", kt_customer_user_delete(reg, admin, keeper)); /* staff: not this way */
    CHECK_OK(kt_customer_user_delete(reg, admin, login));
    CHECK_FAILS(KT_PERMISSION_DENIED, "", "unknown user", kt_customer_get(&json, reg, login, mine));
  }
  kt_register_free(reg);
}

/* Assigning a technician notifies him, unassigning too; the host drains
 * the outbox and acknowledges what it delivered. */
static void assignment_notifies_the_technician(void) {
  int64_t clock;
  uint64_t admin, tech = 0, other = 0, customer = 0, ids[2] = {0, 0};
  kt_register *reg = test_register(&clock, &admin);
  kt_cursor *cursor = NULL;
  char *item = NULL;
  size_t n = 0;

  CHECK_OK(kt_user_create(&tech, reg, admin, "{\"login\":\"tina\",\"name\":\"Tina\",\"language\":\"da\","
                                              "\"rights\":[\"customers.view_assigned\"]}"));
  CHECK_OK(kt_user_create(&other, reg, admin, "{\"login\":\"olle\",\"name\":\"Olle\"}"));
  CHECK_OK(kt_customer_create(&customer, reg, admin, "{\"number\":\"1001\",\"name\":\"\xC3\x85" "berg AB\"}"));
  CHECK_OK(kt_customer_assign_technician(reg, admin, customer, tech));
  CHECK_OK(kt_notifications(&cursor, reg, tech, 10));
  CHECK_OK(kt_cursor_next(&item, cursor));
  CHECK_CONTAINS(item, "\"kind\":\"assigned\"");
  CHECK_CONTAINS(item, "\"text\":\"Du er blevet tildelt kunden 1001 \xC3\x85" "berg AB\"");
  CHECK_CONTAINS(item, "\"subject\":{\"kind\":\"customer\",\"id\":1}");
  ids[0] = json_number(item, "id");
  kt_string_free(item);
  kt_cursor_free(cursor);

  /* Moved to Olle: Tina hears she lost it (without its name: she no longer
   * sees it), Olle that he got it. */
  CHECK_OK(kt_customer_assign_technician(reg, admin, customer, other));
  CHECK_OK(kt_outbox(&cursor, reg, admin, 10));
  CHECK_OK(kt_cursor_total(&n, cursor));
  CHECK(n == 3);
  kt_cursor_free(cursor);
  CHECK_OK(kt_notifications(&cursor, reg, tech, 10));
  CHECK(count_items(cursor) == 2);
  kt_cursor_free(cursor);
  CHECK_FAILS(KT_PERMISSION_DENIED, "", "administrator", kt_outbox(&cursor, reg, tech, 10));

  /* Acknowledged, it is gone; acknowledging again is harmless; another
   * user's notification is not Tina's to acknowledge. */
  CHECK_OK(kt_notifications_acknowledge(reg, tech, ids, 1));
  CHECK_OK(kt_notifications_acknowledge(reg, tech, ids, 1));
  CHECK_OK(kt_notifications(&cursor, reg, other, 10));
  CHECK_OK(kt_cursor_next(&item, cursor));
  ids[1] = json_number(item, "id");
  kt_string_free(item);
  kt_cursor_free(cursor);
  CHECK_FAILS(KT_NOT_FOUND, "", "notification", kt_notifications_acknowledge(reg, tech, ids + 1, 1));
  CHECK_OK(kt_notifications_acknowledge(reg, admin, ids + 1, 1));
  CHECK_OK(kt_outbox(&cursor, reg, admin, 10));
  CHECK(count_items(cursor) == 1);
  kt_cursor_free(cursor);
  CHECK_FAILS(KT_MISUSE, "", "ids is NULL", kt_notifications_acknowledge(reg, admin, NULL, 1));
  kt_register_free(reg);
}

int main(void) {
  administrators_manage_users();
  assignment_notifies_the_technician();
  rights_and_groups_decide_what_users_see_and_do();
  settings_are_read_and_patched();
  return test_exit("users_settings");
}
