// Contacts and their links to customers.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace kartotek;
using kartotek::test::Fixture;

TEST_CASE("a contact can be the contact person of several customers, each with role and flags", "[contacts]") {
  Fixture f;
  auto a = f.add_customer("1", "Alfa AB");
  auto b = f.add_customer("2", "Beta AB");
  auto lena = f.add_contact("Lena", "Holm", "lena@holm.se");
  f.reg.apply(f.staff, LinkContact{{lena, a, "Inköpare", true, false}});
  f.reg.apply(f.staff, LinkContact{{lena, b, "Styrelseledamot", false, true}});

  auto links = f.reg.links_of(f.staff, lena);
  REQUIRE(links.size() == 2);
  CHECK(links[0].customer == a);
  CHECK(links[0].send_service_protocol);
  CHECK_FALSE(links[0].send_work_orders);
  CHECK(links[1].role == "Styrelseledamot");
  CHECK(links[1].send_work_orders);

  auto of_a = f.reg.contacts_of(f.staff, a);
  REQUIRE(of_a.size() == 1);
  CHECK(of_a[0].contact.email == "lena@holm.se");
  CHECK(of_a[0].link.role == "Inköpare");
}

TEST_CASE("linking the same contact twice is a conflict", "[contacts]") {
  Fixture f;
  auto a = f.add_customer("1", "Alfa AB");
  auto c = f.add_contact("Per", "Ek");
  f.reg.apply(f.staff, LinkContact{{c, a, "", false, false}});
  auto before = f.state();
  CHECK_THROWS_AS(f.reg.apply(f.staff, LinkContact{{c, a, "Ny roll", true, true}}), Conflict);
  CHECK(f.state() == before);
}

TEST_CASE("a link's role and flags can be changed, and the change is in both histories", "[contacts][history]") {
  Fixture f;
  auto a = f.add_customer("1", "Alfa AB");
  auto c = f.add_contact("Per", "Ek");
  f.reg.apply(f.staff, LinkContact{{c, a, "Tekniker", false, false}});
  f.reg.apply(f.staff, UpdateContactLink{{c, a, "Driftchef", true, false}});
  CHECK(f.reg.contacts_of(f.staff, a)[0].link.role == "Driftchef");
  auto hc = f.reg.history(f.staff, ref(a));
  CHECK(hc.back().action == Action::changed);
  CHECK(hc.back().field == "contacts");
  CHECK(hc.back().old_value.find("role")->as<std::string>() == "Tekniker");
  CHECK(hc.back().new_value.find("role")->as<std::string>() == "Driftchef");
  CHECK(f.reg.history(f.staff, ref(c)).back().field == "customers");
}

TEST_CASE("deleting a contact unlinks him from every customer, in each history", "[contacts][history]") {
  Fixture f;
  auto a = f.add_customer("1", "Alfa AB");
  auto b = f.add_customer("2", "Beta AB");
  auto c = f.add_contact("Per", "Ek");
  f.reg.apply(f.staff, LinkContact{{c, a, "", false, false}});
  f.reg.apply(f.staff, LinkContact{{c, b, "", false, false}});
  f.reg.apply(f.staff, DeleteContact{c});
  CHECK(f.reg.contacts_of(f.staff, a).empty());
  CHECK(f.reg.contacts_of(f.staff, b).empty());
  CHECK(f.reg.history(f.staff, ref(a)).back().action == Action::unlinked);
  CHECK(f.reg.history(f.staff, ref(b)).back().action == Action::unlinked);
  CHECK(f.reg.history(f.staff, ref(c)).back().action == Action::deleted);
  // Now the customers can be deleted.
  CHECK_NOTHROW(f.reg.apply(f.staff, DeleteCustomer{a}));
}

TEST_CASE("a contact needs a name and a valid e-mail", "[contacts][validation]") {
  Fixture f;
  Contact c;
  CHECK_THROWS_AS(f.reg.apply(f.staff, CreateContact{c}), ValidationError);
  c.last_name = "Ek";
  c.email = "per at ek.se";
  CHECK_THROWS_AS(f.reg.apply(f.staff, CreateContact{c}), ValidationError);
  c.email = "per@ek.se";
  CHECK_NOTHROW(f.reg.apply(f.staff, CreateContact{c}));
}

TEST_CASE("links name existing records", "[contacts]") {
  Fixture f;
  auto a = f.add_customer("1", "Alfa AB");
  auto c = f.add_contact("Per", "Ek");
  CHECK_THROWS_AS(f.reg.apply(f.staff, LinkContact{{ContactId{99}, a, "", false, false}}), NotFound);
  CHECK_THROWS_AS(f.reg.apply(f.staff, LinkContact{{c, CustomerId{99}, "", false, false}}), NotFound);
  CHECK_THROWS_AS(f.reg.apply(f.staff, UnlinkContact{c, a}), NotFound);
  CHECK_THROWS_AS(f.reg.apply(f.staff, UpdateContactLink{{c, a, "", false, false}}), NotFound);
}
