// Every refused command leaves the register byte-for-byte as it was.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace kartotek;
using kartotek::test::Fixture;

TEST_CASE("each refused command leaves the register byte-for-byte unchanged", "[atomicity]") {
  Fixture f;
  Settings s = f.reg.settings(f.admin);
  s.discount_letters = {{"A", 5}};
  f.reg.apply(f.admin, UpdateSettings{s});
  auto cust = f.add_customer("100", "Bas AB");
  auto other = f.add_customer("200", "Annan AB");
  auto contact = f.add_contact("Lena", "Holm");
  f.reg.apply(f.staff, LinkContact{{contact, cust, "VD", true, true}});
  Facility fac;
  fac.customer = cust;
  fac.name = "Site";
  auto facility = f.reg.apply(f.staff, CreateFacility{fac});
  ServiceObject so;
  so.facility = facility;
  so.identifier = "SO-1";
  f.reg.apply(f.staff, CreateServiceObject{so});

  Customer current = f.reg.customer(f.staff, cust);
  auto with = [&](auto change) {
    Customer c = current;
    change(c);
    return c;
  };
  Customer fresh;
  fresh.number = "300";
  fresh.name = "Ny AB";

  struct Case {
    const char* what;
    UserId actor;
    Command command;
  };
  std::vector<Case> cases = {
      {"duplicate number", f.staff, CreateCustomer{with([](Customer& c) { c.id = {}; c.revision = 0; c.created_at = {}; })}},
      {"unknown actor", UserId{77}, CreateCustomer{fresh}},
      {"bad e-mail", f.staff, UpdateCustomer{with([](Customer& c) { c.email = "nope"; })}},
      {"stale revision", f.staff, UpdateCustomer{with([](Customer& c) { c.revision = 99; c.phone = "1"; })}},
      {"number change by staff", f.staff, UpdateCustomer{with([](Customer& c) { c.number = "101"; })}},
      {"number taken", f.admin, UpdateCustomer{with([](Customer& c) { c.number = "200"; })}},
      {"managed field", f.staff, UpdateCustomer{with([](Customer& c) { c.active = false; })}},
      {"unknown discount letter", f.staff, UpdateCustomer{with([](Customer& c) { c.discount_letters = {"Z"}; })}},
      {"delete with links", f.staff, DeleteCustomer{cust}},
      {"deactivate missing", f.staff, DeactivateCustomer{CustomerId{999}}},
      {"assign unknown user", f.staff, AssignTechnician{cust, UserId{999}}},
      {"contact without name", f.staff, CreateContact{Contact{}}},
      {"link twice", f.staff, LinkContact{{contact, cust, "", false, false}}},
      {"unlink missing", f.staff, UnlinkContact{contact, other}},
      {"facility of missing customer", f.staff, CreateFacility{Facility{{}, CustomerId{999}, "X", "", {}, "", true, {}, 0, {}}}},
      {"delete facility with objects", f.staff, DeleteFacility{facility}},
      {"user by staff", f.staff, CreateUser{kartotek::test::staff_user("x", "X")}},
      {"settings by staff", f.staff, UpdateSettings{s}},
      {"counter backwards", f.admin, UpdateSettings{[&] { auto t = f.reg.settings(f.admin); t.next_number = 0; return t; }()}},
      {"unknown locale", f.admin, UpdateSettings{[&] { auto t = f.reg.settings(f.admin); t.locale = "qq-ZZ-bogus"; return t; }()}},
  };

  for (const auto& c : cases) {
    INFO(c.what);
    auto before = f.state();
    CHECK_THROWS_AS(f.reg.apply_command(c.actor, c.command), Error);
    CHECK(f.state() == before);
  }
}

TEST_CASE("a command that fails after it started changing is undone whole", "[atomicity]") {
  Fixture f;
  // Changing the locale rebuilds every index before a later check can fail;
  // here the settings change also removes a discount letter that is in use.
  Settings s = f.reg.settings(f.admin);
  s.discount_letters = {{"A", 5}};
  f.reg.apply(f.admin, UpdateSettings{s});
  Customer c;
  c.number = "1";
  c.name = "Östlund";
  c.discount_letters = {"A"};
  f.reg.apply(f.staff, CreateCustomer{c});
  f.add_customer("2", "Zorn");
  auto before = f.state();
  s = f.reg.settings(f.admin);
  s.locale = "de";
  s.discount_letters = {};
  CHECK_THROWS_AS(f.reg.apply(f.admin, UpdateSettings{s}), Conflict);
  CHECK(f.state() == before);
  CustomerQuery q;
  CHECK(f.reg.search_customers(f.staff, q).items.front().name == "Zorn");  // still Swedish order
}
