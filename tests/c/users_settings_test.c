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

  CHECK_OK(kt_user_create(&staff, reg, admin, "{\"login\":\"tekla\",\"name\":\"Tekla Tekniker\",\"language\":\"sv\"}"));
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

  CHECK_OK(kt_user_create(&staff, reg, admin, "{\"login\":\"tekla\",\"name\":\"Tekla\"}"));
  CHECK_OK(kt_settings_get(&json, reg, staff));
  CHECK(strcmp(json, "{\"locale\":\"sv\",\"number_min_length\":1,\"number_max_length\":20,\"auto_number\":false,"
                     "\"number_prefix\":\"\",\"number_padding\":0,\"next_number\":1,\"discount_letters\":[]}") == 0);
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

int main(void) {
  administrators_manage_users();
  settings_are_read_and_patched();
  return test_exit("users_settings");
}
