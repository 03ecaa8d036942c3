// Shared fixtures of the C++ tests.
#pragma once

#include <memory>
#include <sstream>
#include <string>

#include <kartotek/kartotek.hpp>

namespace kartotek::test {

inline Timestamp at(const char* iso) { return parse_timestamp(iso); }

// A staff user (not an administrator) with `rights`.
inline User staff_user(std::string login, std::string name, std::vector<Right> rights = every_right()) {
  User u;
  u.login = std::move(login);
  u.name = std::move(name);
  u.rights = std::move(rights);
  return u;
}

// A register on a manual clock, with an administrator and a staff user who
// holds every right (but is no administrator).
struct Fixture {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(at("2026-01-05T08:00:00Z"));
  Register reg{clock};
  UserId admin = reg.create_first_administrator("admin", "Ada Admin");
  UserId staff = reg.apply(admin, CreateUser{staff_user("tekla", "Tekla Tekniker")});

  CustomerId add_customer(std::string number, std::string name) {
    Customer c;
    c.number = std::move(number);
    c.name = std::move(name);
    return reg.apply(staff, CreateCustomer{c});
  }
  ContactId add_contact(std::string first, std::string last, std::string email = {}) {
    Contact c;
    c.first_name = std::move(first);
    c.last_name = std::move(last);
    c.email = std::move(email);
    return reg.apply(staff, CreateContact{c});
  }
  std::string state() const {
    std::ostringstream out;
    reg.write_state(out);
    return out.str();
  }
};

}  // namespace kartotek::test
