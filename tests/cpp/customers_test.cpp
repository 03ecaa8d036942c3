// Rules of the customer card: numbers, kinds, deactivation, deletion.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace kartotek;
using kartotek::test::Fixture;

TEST_CASE("a created customer gets an id, revision 1, the creation time and is active", "[customers]") {
  Fixture f;
  Customer c;
  c.number = " 1001 ";
  c.name = "  Åberg Kyl AB ";
  c.kind = CustomerKind::company;
  c.invoice_address = Address{"", "Kungsgatan 1", "411 19", "Göteborg", "SE"};
  c.email = "info@aberg.se";
  c.position = GeoPosition{57.7, 11.97};
  CustomerId id = f.reg.apply(f.staff, CreateCustomer{c});
  REQUIRE(id.value == 1);
  Customer got = f.reg.customer(f.staff, id);
  CHECK(got.number == "1001");  // trimmed
  CHECK(got.name == "Åberg Kyl AB");
  CHECK(got.revision == 1);
  CHECK(got.active);
  CHECK(got.created_at == f.clock->now());
  CHECK(got.invoice_address.city == "Göteborg");
}

TEST_CASE("ids are never reused, not even after a deletion", "[customers]") {
  Fixture f;
  auto a = f.add_customer("1", "A");
  f.reg.apply(f.staff, DeleteCustomer{a});
  auto b = f.add_customer("2", "B");
  CHECK(b.value == a.value + 1);
}

TEST_CASE("customer numbers are unique after trimming and ignoring case", "[customers][numbers]") {
  Fixture f;
  f.add_customer("AB-100", "First");
  CHECK_THROWS_AS(f.add_customer("ab-100", "Second"), Conflict);
  CHECK_THROWS_AS(f.add_customer("  AB-100\t", "Third"), Conflict);
  CHECK_THROWS_WITH(f.add_customer("Ab-100", "Fourth"), Catch::Contains("already used by customer AB-100 (First)"));
  CHECK(f.reg.find_customer_by_number(f.staff, " ab-100 ")->name == "First");
  CHECK_FALSE(f.reg.find_customer_by_number(f.staff, "AB-1000"));
}

TEST_CASE("customer number length follows the min and max settings", "[customers][numbers]") {
  Fixture f;
  Settings s = f.reg.settings(f.admin);
  s.number_min_length = 4;
  s.number_max_length = 6;
  f.reg.apply(f.admin, UpdateSettings{s});
  CHECK_THROWS_AS(f.add_customer("123", "Too short"), ValidationError);
  CHECK_THROWS_AS(f.add_customer("1234567", "Too long"), ValidationError);
  CHECK_NOTHROW(f.add_customer("1234", "Shortest"));
  CHECK_NOTHROW(f.add_customer("ÅÄÖ123", "Six characters, nine bytes"));
  try {
    f.add_customer("123", "x");
  } catch (const ValidationError& e) {
    CHECK(e.field() == "number");
  }
}

TEST_CASE("a customer number is required unless numbers are generated", "[customers][numbers]") {
  Fixture f;
  CHECK_THROWS_AS(f.add_customer("", "No number"), ValidationError);
  CHECK_THROWS_AS(f.add_customer("   ", "Blank number"), ValidationError);
}

namespace {
void turn_on_auto_numbers(Fixture& f, std::string prefix, std::uint32_t padding, std::uint64_t next) {
  Settings s = f.reg.settings(f.admin);
  s.auto_number = true;
  s.number_prefix = std::move(prefix);
  s.number_padding = padding;
  s.next_number = next;
  f.reg.apply(f.admin, UpdateSettings{s});
}
}  // namespace

TEST_CASE("generated numbers follow the pattern and come from a counter", "[customers][numbers]") {
  Fixture f;
  turn_on_auto_numbers(f, "K", 5, 7);
  auto a = f.add_customer("", "A");
  auto b = f.add_customer("", "B");
  CHECK(f.reg.customer(f.staff, a).number == "K00007");
  CHECK(f.reg.customer(f.staff, b).number == "K00008");
  CHECK(f.reg.settings(f.staff).next_number == 9);
}

TEST_CASE("generated numbers are never reused, even after a deletion", "[customers][numbers]") {
  Fixture f;
  turn_on_auto_numbers(f, "", 0, 1);
  auto a = f.add_customer("", "A");
  auto b = f.add_customer("", "B");
  REQUIRE(f.reg.customer(f.staff, b).number == "2");
  f.reg.apply(f.staff, DeleteCustomer{b});
  // max()+1 would hand out "2" again; the counter does not.
  auto c = f.add_customer("", "C");
  CHECK(f.reg.customer(f.staff, c).number == "3");
  f.reg.apply(f.staff, DeleteCustomer{a});
  CHECK(f.reg.customer(f.staff, f.add_customer("", "D")).number == "4");
}

TEST_CASE("generated numbers skip numbers that are taken or retired", "[customers][numbers]") {
  Fixture f;
  f.add_customer("10", "Manual ten");
  auto eleven = f.add_customer("11", "Manual eleven");
  f.reg.apply(f.staff, DeleteCustomer{eleven});
  turn_on_auto_numbers(f, "", 0, 10);
  CHECK(f.reg.customer(f.staff, f.add_customer("", "Generated")).number == "12");
}

TEST_CASE("the number of a deleted customer is never given to another customer", "[customers][numbers]") {
  Fixture f;
  auto a = f.add_customer("5000", "Gone AB");
  f.reg.apply(f.staff, DeleteCustomer{a});
  CHECK_THROWS_WITH(f.add_customer("5000", "New AB"), Catch::Contains("never used again"));
}

TEST_CASE("the number counter only moves forward", "[customers][numbers][settings]") {
  Fixture f;
  turn_on_auto_numbers(f, "", 0, 100);
  Settings s = f.reg.settings(f.admin);
  s.next_number = 50;
  CHECK_THROWS_AS(f.reg.apply(f.admin, UpdateSettings{s}), ValidationError);
}

TEST_CASE("a generated number that breaks the length settings refuses the command and changes nothing",
          "[customers][numbers][atomicity]") {
  Fixture f;
  turn_on_auto_numbers(f, "KUND-", 6, 1);
  Settings s = f.reg.settings(f.admin);
  s.number_max_length = 8;
  f.reg.apply(f.admin, UpdateSettings{s});
  auto before = f.state();
  // The counter moves and history is written before the length check fails.
  CHECK_THROWS_AS(f.add_customer("", "Too long"), ValidationError);
  CHECK(f.state() == before);
  CHECK(f.reg.settings(f.admin).next_number == 1);
}

TEST_CASE("only an administrator changes a customer number", "[customers][numbers][rights]") {
  Fixture f;
  auto id = f.add_customer("100", "Nummer AB");
  Customer c = f.reg.customer(f.staff, id);
  c.number = "200";
  auto before = f.state();
  CHECK_THROWS_AS(f.reg.apply(f.staff, UpdateCustomer{c}), PermissionDenied);
  CHECK(f.state() == before);
  f.reg.apply(f.admin, UpdateCustomer{c});
  CHECK(f.reg.customer(f.staff, id).number == "200");
  // Other fields remain editable by staff.
  c = f.reg.customer(f.staff, id);
  c.phone = "08-123 45 67";
  CHECK_NOTHROW(f.reg.apply(f.staff, UpdateCustomer{c}));
}

TEST_CASE("a former number stays with its customer", "[customers][numbers]") {
  Fixture f;
  auto id = f.add_customer("100", "Renumbered AB");
  Customer c = f.reg.customer(f.admin, id);
  c.number = "200";
  f.reg.apply(f.admin, UpdateCustomer{c});
  CHECK_THROWS_AS(f.add_customer("100", "Other AB"), Conflict);
  c = f.reg.customer(f.admin, id);
  c.number = "100";
  CHECK_NOTHROW(f.reg.apply(f.admin, UpdateCustomer{c}));
}

TEST_CASE("an update based on an old revision is refused", "[customers]") {
  Fixture f;
  auto id = f.add_customer("1", "Revision AB");
  Customer first = f.reg.customer(f.staff, id);
  Customer second = first;
  first.phone = "111";
  f.reg.apply(f.staff, UpdateCustomer{first});
  second.email = "x@y.se";
  CHECK_THROWS_AS(f.reg.apply(f.staff, UpdateCustomer{second}), Conflict);
  CHECK(f.reg.customer(f.staff, id).revision == 2);
  CHECK(f.reg.customer(f.staff, id).email.empty());
}

TEST_CASE("fields kept by the register cannot be changed by an update", "[customers]") {
  Fixture f;
  auto id = f.add_customer("1", "Managed AB");
  Customer c = f.reg.customer(f.staff, id);
  c.active = false;
  CHECK_THROWS_AS(f.reg.apply(f.staff, UpdateCustomer{c}), ValidationError);
  c = f.reg.customer(f.staff, id);
  c.assigned_technician = f.staff;
  CHECK_THROWS_AS(f.reg.apply(f.staff, UpdateCustomer{c}), ValidationError);
  Customer fresh;
  fresh.number = "2";
  fresh.name = "x";
  fresh.active = false;
  CHECK_THROWS_AS(f.reg.apply(f.staff, CreateCustomer{fresh}), ValidationError);
}

TEST_CASE("an update that changes nothing leaves revision and history alone", "[customers]") {
  Fixture f;
  auto id = f.add_customer("1", "Same AB");
  f.reg.apply(f.staff, UpdateCustomer{f.reg.customer(f.staff, id)});
  CHECK(f.reg.customer(f.staff, id).revision == 1);
  CHECK(f.reg.history(f.staff, ref(id)).size() == 1);
}

TEST_CASE("bad field values are refused with the field named", "[customers][validation]") {
  Fixture f;
  auto refuse = [&](auto mutate, const char* field) {
    Customer c;
    c.number = "V1";
    c.name = "Valid AB";
    mutate(c);
    try {
      f.reg.apply(f.staff, CreateCustomer{c});
      FAIL("accepted a bad " << field);
    } catch (const ValidationError& e) {
      CHECK(e.field() == field);
    }
  };
  refuse([](Customer& c) { c.name = "  "; }, "name");
  refuse([](Customer& c) { c.email = "not-an-address"; }, "email");
  refuse([](Customer& c) { c.email = "a@b"; }, "email");
  refuse([](Customer& c) { c.phone = "call me"; }, "phone");
  refuse([](Customer& c) { c.language = "Swedish"; }, "language");
  refuse([](Customer& c) { c.position = GeoPosition{91, 0}; }, "position.latitude");
  refuse([](Customer& c) { c.name = std::string("Bad\xff"); }, "name");
  refuse([](Customer& c) { c.invoice_address.city = "Ume\x01"; }, "invoice_address.city");
  refuse([](Customer& c) { c.discount_letters = {"Q"}; }, "discount_letters[0]");
  refuse([](Customer& c) { c.service_articles = {ArticleLine{"", "Resa", 1, "st", false, 0}}; },
         "service_articles[0].article_number");
  refuse([](Customer& c) { c.work_order_articles = {ArticleLine{"T1", "Arbete", 1, "h", true, -1}}; },
         "work_order_articles[0].hours");
  CHECK(f.reg.counts().customers == 0);
}

TEST_CASE("a customer carries only the group's discount letters", "[customers]") {
  Fixture f;
  Settings s = f.reg.settings(f.admin);
  s.discount_letters = {{"A", 5}, {"B", 10}};
  f.reg.apply(f.admin, UpdateSettings{s});
  Customer c;
  c.number = "1";
  c.name = "Rabatt AB";
  c.discount_letters = {"A", "B"};
  auto id = f.reg.apply(f.staff, CreateCustomer{c});
  CHECK(f.reg.customer(f.staff, id).discount_letters.size() == 2);
  // A letter still in use cannot be removed from the settings.
  s = f.reg.settings(f.admin);
  s.discount_letters = {{"A", 5}};
  CHECK_THROWS_AS(f.reg.apply(f.admin, UpdateSettings{s}), Conflict);
}

TEST_CASE("private customers and article lines are kept as data", "[customers]") {
  Fixture f;
  Customer c;
  c.number = "P1";
  c.name = "Sven Svensson";
  c.kind = CustomerKind::private_person;
  c.service_articles = {ArticleLine{"RESA", "Resekostnad", 1, "st", false, 0},
                        ArticleLine{"TIM", "Arbetstid", 1, "h", true, 0}};
  auto id = f.reg.apply(f.staff, CreateCustomer{c});
  Customer got = f.reg.customer(f.staff, id);
  CHECK(got.kind == CustomerKind::private_person);
  REQUIRE(got.service_articles.size() == 2);
  CHECK(got.service_articles[1].time_article);
}

TEST_CASE("deactivate and reactivate a customer", "[customers]") {
  Fixture f;
  auto id = f.add_customer("1", "Vilande AB");
  f.reg.apply(f.staff, DeactivateCustomer{id});
  CHECK_FALSE(f.reg.customer(f.staff, id).active);
  f.reg.apply(f.staff, ReactivateCustomer{id});
  CHECK(f.reg.customer(f.staff, id).active);
  auto h = f.reg.history(f.staff, ref(id));
  REQUIRE(h.size() == 3);
  CHECK(h[1].field == "active");
  CHECK(h[1].old_value == Value(true));
  CHECK(h[1].new_value == Value(false));
}

TEST_CASE("delete refuses a customer with contacts or facilities and says what", "[customers]") {
  Fixture f;
  auto id = f.add_customer("1", "Kopplad AB");
  auto anna = f.add_contact("Anna", "Berg");
  auto bo = f.add_contact("Bo", "Ek");
  f.reg.apply(f.staff, LinkContact{{anna, id, "VD", false, false}});
  f.reg.apply(f.staff, LinkContact{{bo, id, "", false, false}});
  Facility fac;
  fac.customer = id;
  fac.name = "Huvudkontoret";
  auto fid = f.reg.apply(f.staff, CreateFacility{fac});

  auto before = f.state();
  CHECK_THROWS_WITH(f.reg.apply(f.staff, DeleteCustomer{id}),
                    Catch::Contains("2 contact persons and 1 facility are linked"));
  CHECK(f.state() == before);

  f.reg.apply(f.staff, DeleteFacility{fid});
  CHECK_THROWS_WITH(f.reg.apply(f.staff, DeleteCustomer{id}), Catch::Contains("2 contact persons are linked"));
  f.reg.apply(f.staff, UnlinkContact{anna, id});
  f.reg.apply(f.staff, UnlinkContact{bo, id});
  f.reg.apply(f.staff, DeleteCustomer{id});
  CHECK_FALSE(f.reg.find_customer(f.staff, id));
  auto h = f.reg.history(f.staff, ref(id));
  CHECK(h.back().action == Action::deleted);
  CHECK(h.back().old_value.find("name")->as<std::string>() == "Kopplad AB");
}

TEST_CASE("assign technician needs an active user", "[customers]") {
  Fixture f;
  auto id = f.add_customer("1", "Tekniker AB");
  f.reg.apply(f.staff, AssignTechnician{id, f.staff});
  CHECK(f.reg.customer(f.staff, id).assigned_technician == f.staff);
  CHECK_THROWS_AS(f.reg.apply(f.staff, AssignTechnician{id, UserId{999}}), NotFound);
  f.reg.apply(f.staff, AssignTechnician{id, std::nullopt});
  CHECK_FALSE(f.reg.customer(f.staff, id).assigned_technician);
}

TEST_CASE("missing records are NotFound", "[customers]") {
  Fixture f;
  CHECK_THROWS_AS(f.reg.customer(f.staff, CustomerId{42}), NotFound);
  CHECK_THROWS_AS(f.reg.apply(f.staff, DeactivateCustomer{CustomerId{42}}), NotFound);
  CHECK_THROWS_AS(f.reg.apply(f.staff, DeleteCustomer{CustomerId{42}}), NotFound);
  CHECK_FALSE(f.reg.find_customer(f.staff, CustomerId{42}));
}
