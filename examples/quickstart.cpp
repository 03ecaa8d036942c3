// quickstart: a small register — customers, contacts, a search, a history.
#include <iostream>

#include <kartotek/kartotek.hpp>

using namespace kartotek;

int main() {
  Register reg;
  UserId admin = reg.create_first_administrator("anna", "Anna Lindqvist");

  Settings s = reg.settings(admin);
  s.auto_number = true;
  s.number_prefix = "K";
  s.number_padding = 4;
  s.next_number = 1001;
  reg.apply(admin, UpdateSettings{s});

  auto add_customer = [&](std::string name, std::string city) {
    Customer c;
    c.name = std::move(name);
    c.invoice_address.city = std::move(city);
    return reg.apply(admin, CreateCustomer{c});
  };
  CustomerId ostlund = add_customer("Östlund Fastigheter AB", "Umeå");
  CustomerId aberg = add_customer("Åberg & Söner Kyl AB", "Göteborg");
  add_customer("Zetterberg Hiss AB", "Stockholm");
  add_customer("Ängström Värme HB", "Malmö");

  Contact lena;
  lena.first_name = "Lena";
  lena.last_name = "Söderström";
  lena.email = "lena.soderstrom@aberg-kyl.se";
  ContactId lena_id = reg.apply(admin, CreateContact{lena});
  reg.apply(admin, LinkContact{{lena_id, aberg, "Inköpschef", true, true}});

  std::cout << "Customers in Swedish order:\n";
  for (const Customer& c : reg.search_customers(admin, {}).items)
    std::cout << "  " << c.number << "  " << c.name << " (" << c.invoice_address.city << ")\n";

  CustomerQuery q;
  q.text = "söderström";
  std::cout << "\nSearch \"" << q.text << "\" (a contact person's name):\n";
  for (const Customer& c : reg.search_customers(admin, q).items)
    std::cout << "  " << c.number << "  " << c.name << "\n";

  Customer c = reg.customer(admin, ostlund);
  c.phone = "+46 90 12 34 56";
  c.visiting_address = Address{"", "Storgatan 1", "903 26", "Umeå", "SE"};
  reg.apply(admin, UpdateCustomer{c});
  reg.apply(admin, DeactivateCustomer{ostlund});

  std::cout << "\nHistory of " << c.name << ":\n";
  for (const HistoryEntry& e : reg.history(admin, ref(ostlund))) {
    std::cout << "  " << format_timestamp(e.at).substr(0, 19) << "  " << enum_name(e.action);
    if (!e.field.empty())
      std::cout << "  " << e.field << ": " << to_json(e.old_value) << " -> " << to_json(e.new_value);
    std::cout << "\n";
  }
  return 0;
}
