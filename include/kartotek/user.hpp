// kartotek/user.hpp: the users on whose behalf commands and reads run.
#pragma once

#include <string>
#include <tuple>

#include "kartotek/clock.hpp"
#include "kartotek/describe.hpp"
#include "kartotek/ids.hpp"

namespace kartotek {

// User: a staff user. An administrator has every right; others get rights
// per module (docs/rights.md). A deactivated user can do nothing, and his
// history stays. `id`, `created_at` and `revision` are kept by the register.
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

  friend bool operator==(const User&, const User&) = default;
};

template <> struct Describe<User> {
  static constexpr auto fields = std::make_tuple(
      field("id", &User::id), field("login", &User::login), field("name", &User::name),
      field("email", &User::email), field("language", &User::language),
      field("administrator", &User::administrator), field("active", &User::active),
      field("created_at", &User::created_at), field("revision", &User::revision));
};

}  // namespace kartotek
