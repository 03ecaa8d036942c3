// Users as actors; administrator-only commands.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace kartotek;
using kartotek::test::Fixture;

TEST_CASE("the first administrator is created once", "[users]") {
  Register reg;
  auto admin = reg.create_first_administrator("admin", "Ada");
  CHECK(reg.find_user(admin, admin)->administrator);
  CHECK_THROWS_AS(reg.create_first_administrator("other", "Eve"), Conflict);
  CHECK(reg.history(admin, ref(admin)).at(0).action == Action::created);
}

TEST_CASE("only an administrator creates and changes users and settings", "[users][rights]") {
  Fixture f;
  User u;
  u.login = "nils";
  u.name = "Nils";
  CHECK_THROWS_AS(f.reg.apply(f.staff, CreateUser{u}), PermissionDenied);
  auto id = f.reg.apply(f.admin, CreateUser{u});
  User changed = *f.reg.find_user(f.admin, id);
  changed.administrator = true;
  CHECK_THROWS_AS(f.reg.apply(f.staff, UpdateUser{changed}), PermissionDenied);
  CHECK_THROWS_AS(f.reg.apply(f.staff, UpdateSettings{f.reg.settings(f.staff)}), PermissionDenied);
}

TEST_CASE("logins are unique ignoring case", "[users]") {
  Fixture f;
  User u;
  u.login = "TEKLA";
  u.name = "Another Tekla";
  CHECK_THROWS_AS(f.reg.apply(f.admin, CreateUser{u}), Conflict);
}

TEST_CASE("a deactivated or unknown user can do nothing, and his history stays", "[users][rights]") {
  Fixture f;
  auto id = f.add_customer("1", "A");
  User t = *f.reg.find_user(f.admin, f.staff);
  t.active = false;
  f.reg.apply(f.admin, UpdateUser{t});
  CHECK_THROWS_AS(f.add_customer("2", "B"), PermissionDenied);
  CHECK_THROWS_AS(f.reg.customer(f.staff, id), PermissionDenied);
  CHECK_THROWS_AS(f.reg.search_customers(UserId{999}, {}), PermissionDenied);
  CHECK(f.reg.history(f.admin, ref(id)).at(0).actor == f.staff);
}

TEST_CASE("the last active administrator cannot be removed", "[users]") {
  Fixture f;
  User a = *f.reg.find_user(f.admin, f.admin);
  a.administrator = false;
  CHECK_THROWS_AS(f.reg.apply(f.admin, UpdateUser{a}), Conflict);
  a = *f.reg.find_user(f.admin, f.admin);
  a.active = false;
  CHECK_THROWS_AS(f.reg.apply(f.admin, UpdateUser{a}), Conflict);
  User t = *f.reg.find_user(f.admin, f.staff);
  t.administrator = true;
  f.reg.apply(f.admin, UpdateUser{t});
  a = *f.reg.find_user(f.admin, f.admin);
  a.administrator = false;
  CHECK_NOTHROW(f.reg.apply(f.admin, UpdateUser{a}));
}

TEST_CASE("an unknown locale is refused", "[settings]") {
  Fixture f;
  Settings s = f.reg.settings(f.admin);
  s.locale = "xx-bogus";
  auto before = f.state();
  CHECK_THROWS_AS(f.reg.apply(f.admin, UpdateSettings{s}), ValidationError);
  CHECK(f.state() == before);
}
