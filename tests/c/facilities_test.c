/* tests/c/facilities_test.c: facilities and the service objects at them,
 * and the lists of both. */
#include "test_support.h"

static void facilities_belong_to_customers(void) {
  int64_t clock;
  uint64_t admin, ek = 0, ask = 0, id = 7;
  kt_register *reg = test_register(&clock, &admin);
  kt_cursor *cursor = NULL;
  char *json = NULL;
  size_t total = 0;

  CHECK_OK(kt_customer_create(&ek, reg, admin, "{\"number\":\"1\",\"name\":\"Ek AB\"}"));
  CHECK_OK(kt_customer_create(&ask, reg, admin, "{\"number\":\"2\",\"name\":\"Ask AB\"}"));

  CHECK_OK(kt_facility_create(&id, reg, admin, "{\"customer\":1,\"name\":\"Verkstan\",\"address\":{\"city\":\"Ume\xC3\xA5\"}}"));
  CHECK(id == 1);
  CHECK_OK(kt_facility_create(&id, reg, admin, "{\"customer\":1,\"name\":\"Lagret\",\"number\":\"L-2\"}"));
  CHECK(id == 2);
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 9", kt_facility_create(&id, reg, admin, "{\"customer\":9,\"name\":\"X\"}"));
  CHECK(id == 0);
  CHECK_FAILS(KT_INVALID, "name", "required", kt_facility_create(&id, reg, admin, "{\"customer\":1}"));
  CHECK_FAILS(KT_INVALID, "address.city", "text", kt_facility_create(&id, reg, admin, "{\"customer\":1,\"name\":\"X\",\"address\":{\"city\":5}}"));
  CHECK_FAILS(KT_INVALID, "json", "UTF-8", kt_facility_create(&id, reg, admin, "{\"name\":\"\xC0\x80\"}"));
  CHECK_RC(KT_MISUSE, kt_facility_create(&id, reg, admin, NULL));

  CHECK_OK(kt_facility_get(&json, reg, admin, 1));
  CHECK_CONTAINS(json, "{\"id\":1,\"customer\":1,\"name\":\"Verkstan\"");
  CHECK_CONTAINS(json, "\"city\":\"Ume\xC3\xA5\"");
  kt_string_free(json);
  CHECK_FAILS(KT_NOT_FOUND, "", "facility 9", kt_facility_get(&json, reg, admin, 9));
  CHECK(json == NULL);
  CHECK_RC(KT_MISUSE, kt_facility_get(&json, NULL, admin, 1));

  CHECK_OK(kt_customer_facilities(&cursor, reg, admin, ek));
  CHECK_OK(kt_cursor_total(&total, cursor));
  CHECK(total == 2);
  CHECK_OK(kt_cursor_next(&json, cursor));
  CHECK(json_number(json, "id") == 1);
  kt_string_free(json);
  CHECK_OK(kt_cursor_next(&json, cursor));
  CHECK(json_number(json, "id") == 2);
  kt_string_free(json);
  kt_cursor_free(cursor);
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 9", kt_customer_facilities(&cursor, reg, admin, 9));
  CHECK_RC(KT_MISUSE, kt_customer_facilities(NULL, reg, admin, ek));

  /* Moving a facility to another customer is a patch of "customer". */
  CHECK_OK(kt_facility_update(reg, admin, 2, 1, "{\"customer\":2,\"comments\":\"S\xC3\xA5ld\"}"));
  CHECK_OK(kt_customer_facilities(&cursor, reg, admin, ask));
  CHECK(count_items(cursor) == 1);
  CHECK_OK(kt_facility_get(&json, reg, admin, 2));
  CHECK_CONTAINS(json, "\"number\":\"L-2\"");
  CHECK(json_number(json, "revision") == 2);
  kt_string_free(json);
  CHECK_FAILS(KT_CONFLICT, "", "revision 1, now 2", kt_facility_update(reg, admin, 2, 1, "{\"name\":\"Y\"}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "customer 9", kt_facility_update(reg, admin, 2, 2, "{\"customer\":9}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "facility 9", kt_facility_update(reg, admin, 9, 1, "{}"));
  CHECK_FAILS(KT_INVALID, "revision", "differs", kt_facility_update(reg, admin, 2, 2, "{\"revision\":1}"));
  CHECK_FAILS(KT_INVALID, "json", "offset", kt_facility_update(reg, admin, 2, 2, "{]"));
  (void)ek;
  kt_register_free(reg);
}

static void service_objects_sit_at_facilities(void) {
  int64_t clock;
  uint64_t admin, customer = 0, facility = 0, other = 0, id = 3;
  kt_register *reg = test_register(&clock, &admin);
  kt_cursor *cursor = NULL;
  char *json = NULL;

  CHECK_OK(kt_customer_create(&customer, reg, admin, "{\"number\":\"1\",\"name\":\"Ek AB\"}"));
  CHECK_OK(kt_facility_create(&facility, reg, admin, "{\"customer\":1,\"name\":\"Verkstan\"}"));
  CHECK_OK(kt_facility_create(&other, reg, admin, "{\"customer\":1,\"name\":\"Lagret\"}"));

  CHECK_OK(kt_service_object_create(&id, reg, admin, "{\"facility\":1,\"identifier\":\"SN-1\",\"type\":\"V\xC3\xA4rmepump\"}"));
  CHECK(id == 1);
  CHECK_OK(kt_service_object_create(&id, reg, admin, "{\"facility\":1,\"identifier\":\"SN-1\",\"name\":\"Twin\"}"));
  CHECK(id == 2); /* identifiers need not be unique */
  CHECK_FAILS(KT_INVALID, "identifier", "required", kt_service_object_create(&id, reg, admin, "{\"facility\":1}"));
  CHECK(id == 0);
  CHECK_FAILS(KT_NOT_FOUND, "", "facility 9", kt_service_object_create(&id, reg, admin, "{\"facility\":9,\"identifier\":\"A\"}"));
  CHECK_FAILS(KT_INVALID, "json", "UTF-8", kt_service_object_create(&id, reg, admin, "{\"identifier\":\"\xED\xBF\xBF\"}"));
  CHECK_RC(KT_MISUSE, kt_service_object_create(NULL, reg, admin, "{}"));

  CHECK_OK(kt_service_object_get(&json, reg, admin, 1));
  CHECK_CONTAINS(json, "{\"id\":1,\"facility\":1,\"identifier\":\"SN-1\",\"type\":\"V\xC3\xA4rmepump\"");
  kt_string_free(json);
  CHECK_FAILS(KT_NOT_FOUND, "", "service object 9", kt_service_object_get(&json, reg, admin, 9));
  CHECK_RC(KT_MISUSE, kt_service_object_get(NULL, reg, admin, 1));

  CHECK_OK(kt_facility_service_objects(&cursor, reg, admin, facility));
  CHECK(count_items(cursor) == 2);
  CHECK_FAILS(KT_NOT_FOUND, "", "facility 9", kt_facility_service_objects(&cursor, reg, admin, 9));
  CHECK(cursor == NULL);
  CHECK_RC(KT_MISUSE, kt_facility_service_objects(NULL, reg, admin, facility));

  /* A facility with service objects cannot be deleted. */
  CHECK_FAILS(KT_CONFLICT, "", "2 service objects are at it", kt_facility_delete(reg, admin, facility));

  CHECK_OK(kt_service_object_update(reg, admin, 2, 1, "{\"facility\":2,\"name\":\"Moved\"}"));
  CHECK_OK(kt_facility_service_objects(&cursor, reg, admin, other));
  CHECK(count_items(cursor) == 1);
  CHECK_FAILS(KT_CONFLICT, "", "revision 1, now 2", kt_service_object_update(reg, admin, 2, 1, "{}"));
  CHECK_FAILS(KT_INVALID, "identifier", "required", kt_service_object_update(reg, admin, 2, 2, "{\"identifier\":\" \"}"));
  CHECK_FAILS(KT_NOT_FOUND, "", "service object 9", kt_service_object_update(reg, admin, 9, 1, "{}"));
  CHECK_FAILS(KT_INVALID, "id", "differs", kt_service_object_update(reg, admin, 2, 2, "{\"id\":1}"));

  CHECK_OK(kt_service_object_delete(reg, admin, 1));
  CHECK_FAILS(KT_NOT_FOUND, "", "service object 1", kt_service_object_delete(reg, admin, 1));
  CHECK_RC(KT_MISUSE, kt_service_object_delete(NULL, admin, 1));
  CHECK_OK(kt_facility_delete(reg, admin, facility));
  CHECK_FAILS(KT_NOT_FOUND, "", "facility 1", kt_facility_delete(reg, admin, facility));
  CHECK_RC(KT_MISUSE, kt_facility_delete(NULL, admin, facility));
  (void)customer;
  kt_register_free(reg);
}

int main(void) {
  facilities_belong_to_customers();
  service_objects_sit_at_facilities();
  return test_exit("facilities");
}
