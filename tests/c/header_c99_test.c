/* tests/c/header_c99_test.c: kartotek.h compiles as C99 (-Wpedantic
 * -Werror), and the library it links agrees with it. */
#include <stdio.h>
#include <string.h>

#include "kartotek.h"

int main(void) {
  kt_register *reg = NULL;
  int ok = strcmp(kt_version(), KT_VERSION_STRING) == 0 && kt_abi_version() == KT_ABI_VERSION &&
           kt_register_new(&reg) == KT_OK;
  kt_register_free(reg);
  printf("kartotek %s, ABI %d: %s\n", kt_version(), kt_abi_version(), ok ? "ok" : "MISMATCH");
  return ok ? 0 : 1;
}
