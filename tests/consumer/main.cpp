// Consumer of an installed kartotek (tests/consumer): proves that the installed
// headers, library and CMake package work from another project. Exit 0 on
// success.
#include <kartotek/kartotek.hpp>

#include <exception>
#include <iostream>

int main() {
  try {
    using namespace kartotek;
    Register reg;
    UserId admin = reg.create_first_administrator("admin", "Admin");
    for (const char* name : {"Åberg AB", "Zetterberg AB"}) {
      Customer c;
      c.number = name;
      c.name = name;
      reg.apply(admin, CreateCustomer{c});
    }
    // Swedish collation: Å sorts after Z.
    auto page = reg.search_customers(admin, {});
    if (page.total == 2 && page.items[0].name == "Zetterberg AB" &&
        std::string(version()) == KARTOTEK_VERSION_STRING) {
      std::cout << "consumer: ok\n";
      return 0;
    }
    std::cerr << "consumer: expected Zetterberg AB before Åberg AB under sv\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "consumer: exception: " << e.what() << '\n';
    return 1;
  }
}
