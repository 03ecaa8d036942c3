// kartotek/user.hpp: the users on whose behalf commands and reads run.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include <tuple>

#include "kartotek/clock.hpp"
#include "kartotek/describe.hpp"
#include "kartotek/ids.hpp"
#include "kartotek/rights.hpp"

namespace kartotek {

// UserKind: staff (administrators, technicians, sellers …) or customer
// users (portal logins bound to one customer).
enum class UserKind : std::uint8_t { staff, customer };

template <> struct EnumNames<UserKind> {
  static constexpr std::array<std::pair<UserKind, std::string_view>, 2> names{{
      {UserKind::staff, "staff"}, {UserKind::customer, "customer"}}};
};

// User: whoever commands and reads run for. An administrator has every
// right; other staff hold the rights granted to them directly (`rights`) and
// through their user groups (`groups`); docs/rights.md. A customer user
// (`kind` customer) is bound to `customer`, made from its contact person
// `contact`, sees only that customer and holds no rights; `locked` shuts him
// out until unlocked. A deactivated user can do nothing, and his history
// stays. `id`, `created_at` and `revision` are kept by the register.
struct User {
  UserId id;
  std::string login;
  std::string name;
  std::string email;
  std::string language;
  bool administrator = false;
  bool active = true;
  Timestamp created_at{};
  std::uint64_t revision = 0;
  UserKind kind = UserKind::staff;
  std::optional<CustomerId> customer;
  std::optional<ContactId> contact;
  std::vector<UserGroupId> groups;
  std::vector<Right> rights;
  bool locked = false;

  friend bool operator==(const User&, const User&) = default;
};

template <> struct Describe<User> {
  static constexpr auto fields = std::make_tuple(
      field("id", &User::id), field("login", &User::login), field("name", &User::name),
      field("email", &User::email), field("language", &User::language),
      field("administrator", &User::administrator), field("active", &User::active),
      field("created_at", &User::created_at), field("revision", &User::revision),
      field("kind", &User::kind, 2), field("customer", &User::customer, 2), field("contact", &User::contact, 2),
      field("groups", &User::groups, 2), field("rights", &User::rights, 2), field("locked", &User::locked, 2));
};

// AssignableGroup: one entry of the assign menu (Register::assign_menu): a
// user group with its active staff users, ordered by name; `group` 0 with an
// empty name holds the active staff users in no group. A user in several
// groups is listed in each.
struct AssignableGroup {
  UserGroupId group;
  std::string name;
  std::vector<User> users;

  friend bool operator==(const AssignableGroup&, const AssignableGroup&) = default;
};

template <> struct Describe<AssignableGroup> {
  static constexpr auto fields = std::make_tuple(field("group", &AssignableGroup::group),
                                                 field("name", &AssignableGroup::name),
                                                 field("users", &AssignableGroup::users));
};

}  // namespace kartotek
