// tests/c/header_cxx_test.cpp: kartotek.h compiles as C++ (extern "C", no C
// constructs C++ refuses), and its functions link from C++.
#include <cstdio>
#include <cstring>

#include "kartotek.h"

int main() {
  kt_register* reg = nullptr;
  bool ok = std::strcmp(kt_version(), KT_VERSION_STRING) == 0 && kt_abi_version() == KT_ABI_VERSION &&
            kt_register_new(&reg) == KT_OK;
  kt_register_free(reg);
  std::printf("kartotek %s from C++: %s\n", kt_version(), ok ? "ok" : "MISMATCH");
  return ok ? 0 : 1;
}
