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

// Runs `f`; the field of the ValidationError it throws, or what happened instead.
template <class F>
inline std::string refusal_field(F&& f) {
  try {
    f();
  } catch (const ValidationError& e) {
    return e.field();
  } catch (const Error& e) {
    return std::string("<not a ValidationError: ") + e.what() + ">";
  }
  return "<accepted>";
}

}  // namespace kartotek::test

// Refused with `Ex`, and the register is byte for byte as it was
// (`scene` has reg and state(), as Fixture).
#define CHECK_REFUSED(scene, Ex, actor, ...)                         \
  do {                                                               \
    const std::string before_refusal_ = (scene).state();             \
    CHECK_THROWS_AS((scene).reg.apply((actor), __VA_ARGS__), Ex);    \
    const bool register_unchanged = (scene).state() == before_refusal_; \
    CHECK(register_unchanged);                                       \
  } while (false)

// Refused with a ValidationError on `field_name`, register unchanged.
#define CHECK_INVALID(scene, field_name, actor, ...)                                   \
  do {                                                                                 \
    const std::string before_refusal_ = (scene).state();                               \
    CHECK(kartotek::test::refusal_field([&] { (void)(scene).reg.apply((actor), __VA_ARGS__); }) == (field_name)); \
    const bool register_unchanged = (scene).state() == before_refusal_;               \
    CHECK(register_unchanged);                                                         \
  } while (false)


