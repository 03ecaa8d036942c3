/* tests/c/out_of_memory_test.c: when memory runs out inside a call, the
 * C++ std::bad_alloc does not cross the boundary: the call returns KT_NOMEM,
 * changes nothing, and the library works again once memory is back.
 *
 * Memory is made to run out by lowering this process's address-space limit
 * (RLIMIT_AS) just above what it uses, then handing the library a string it
 * must copy. Linux only; skipped (exit 77) under AddressSanitizer, which
 * reserves far more address space than it uses. */
#define _POSIX_C_SOURCE 200809L

#include <sys/resource.h>
#include <unistd.h>

#include "test_support.h"

#if defined(__SANITIZE_ADDRESS__)
#  define KT_TEST_ASAN 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
#    define KT_TEST_ASAN 1
#  endif
#endif

#if !defined(__linux__) || defined(KT_TEST_ASAN)
int main(void) {
  printf("out_of_memory: skipped (needs Linux without AddressSanitizer)\n");
  return 77;
}
#else

/* The process's virtual memory size in bytes, from /proc/self/statm. */
static size_t address_space_in_use(void) {
  unsigned long pages = 0;
  FILE *statm = fopen("/proc/self/statm", "r");
  REQUIRE(statm != NULL);
  REQUIRE(fscanf(statm, "%lu", &pages) == 1);
  fclose(statm);
  return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

int main(void) {
  enum { BIG = 96 << 20, HEADROOM = 16 << 20 };
  int64_t clock;
  uint64_t admin;
  kt_register *reg = test_register(&clock, &admin);
  kt_customer_query *query = NULL;
  kt_cursor *cursor = NULL;
  struct rlimit original, lowered;
  unsigned char *before = NULL, *after = NULL;
  size_t before_size = 0, after_size = 0;
  uint64_t id = 0;
  char *big = malloc(BIG + 1);
  char *json = NULL;

  REQUIRE(big != NULL);
  memset(big, 'a', BIG);
  big[BIG] = '\0';
  CHECK_OK(kt_customer_create(&id, reg, admin, "{\"number\":\"1\",\"name\":\"Aberg\"}"));
  REQUIRE(kt_customer_query_new(&query) == KT_OK);
  CHECK_OK(kt_customer_query_set_text(query, "aberg"));
  CHECK_OK(kt_register_state(&before, &before_size, reg));

  REQUIRE(getrlimit(RLIMIT_AS, &original) == 0);
  lowered = original;
  lowered.rlim_cur = (rlim_t)(address_space_in_use() + HEADROOM);
  REQUIRE(setrlimit(RLIMIT_AS, &lowered) == 0);

  /* Copying 96 MiB cannot fit in 16 MiB of headroom. */
  CHECK_RC(KT_NOMEM, kt_customer_query_set_text(query, big));
  CHECK(kt_error_code() == KT_NOMEM);
  CHECK(strcmp(kt_error_message(), "out of memory") == 0);
  CHECK(strcmp(kt_error_field(), "") == 0);
  /* Small calls still work within the headroom, and nothing changed. */
  CHECK_OK(kt_customer_search(&cursor, reg, admin, query));
  CHECK(count_items(cursor) == 1);
  CHECK_OK(kt_customer_get(&json, reg, admin, id));
  kt_string_free(json);

  REQUIRE(setrlimit(RLIMIT_AS, &original) == 0);

  /* With memory back, the same call succeeds. */
  CHECK_OK(kt_customer_query_set_text(query, big));
  CHECK_OK(kt_register_state(&after, &after_size, reg));
  CHECK(after_size == before_size && memcmp(before, after, before_size) == 0);

  kt_buffer_free(before);
  kt_buffer_free(after);
  kt_customer_query_free(query);
  kt_register_free(reg);
  free(big);
  return test_exit("out_of_memory");
}

#endif
