// Search: text matching, filters, sorting by the locale's collation, paging.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace kartotek;
using kartotek::test::Fixture;

namespace {
std::vector<std::string> names(const Page<Customer>& page) {
  std::vector<std::string> out;
  for (const auto& c : page.items) out.push_back(c.name);
  return out;
}
std::vector<std::string> last_names(const Page<Contact>& page) {
  std::vector<std::string> out;
  for (const auto& c : page.items) out.push_back(c.last_name);
  return out;
}
void set_locale(Fixture& f, const char* locale) {
  Settings s = f.reg.settings(f.admin);
  s.locale = locale;
  f.reg.apply(f.admin, UpdateSettings{s});
}
}  // namespace

TEST_CASE("Swedish sorting puts Å, Ä, Ö after Z", "[search][locale]") {
  Fixture f;
  f.add_customer("1", "Östlund AB");
  f.add_customer("2", "Ängström AB");
  f.add_customer("3", "Zetterberg AB");
  f.add_customer("4", "Åberg AB");
  f.add_customer("5", "Andersson AB");
  const std::vector<std::string> swedish{"Andersson AB", "Zetterberg AB", "Åberg AB", "Ängström AB",
                                         "Östlund AB"};
  CHECK(names(f.reg.search_customers(f.staff, {})) == swedish);
  CustomerQuery q;
  q.descending = true;
  CHECK(names(f.reg.search_customers(f.staff, q)).front() == "Östlund AB");
  // The general sort path (search text given) agrees with the index walk.
  q = {};
  q.text = "ab";
  CHECK(names(f.reg.search_customers(f.staff, q)) == swedish);
}

TEST_CASE("Danish sorting puts Æ, Ø, Å after Z in that order", "[search][locale]") {
  Fixture f;
  set_locale(f, "da");
  f.add_customer("1", "Århus Rengøring");
  f.add_customer("2", "Østerbro VVS");
  f.add_customer("3", "Ærø Service");
  f.add_customer("4", "Zealand Facility");
  f.add_customer("5", "Bornholm El");
  CHECK(names(f.reg.search_customers(f.staff, {})) ==
        std::vector<std::string>{"Bornholm El", "Zealand Facility", "Ærø Service", "Østerbro VVS",
                                 "Århus Rengøring"});
}

TEST_CASE("changing the locale re-sorts the register", "[search][locale]") {
  Fixture f;
  f.add_customer("1", "Ärlig");
  f.add_customer("2", "Zorn");
  CHECK(names(f.reg.search_customers(f.staff, {})).front() == "Zorn");
  set_locale(f, "de");
  CHECK(names(f.reg.search_customers(f.staff, {})).front() == "Ärlig");
}

TEST_CASE("matching ignores case, accents follow the locale", "[search][locale]") {
  Fixture f;
  f.add_customer("1", "Södergren Bygg");
  CustomerQuery q;
  q.text = "SÖDERGREN";
  CHECK(f.reg.search_customers(f.staff, q).total == 1);
  q.text = "sodergren";  // in Swedish ö is its own letter
  CHECK(f.reg.search_customers(f.staff, q).total == 0);
  set_locale(f, "en");  // in English it is an o with an accent
  CHECK(f.reg.search_customers(f.staff, q).total == 1);
}

TEST_CASE("customers are found by name, contact person's name and e-mail", "[search]") {
  Fixture f;
  auto kyl = f.add_customer("1", "Kylteknik i Norr AB");
  auto hiss = f.add_customer("2", "Hissbolaget");
  Customer h = f.reg.customer(f.staff, hiss);
  h.email = "order@hissbolaget.se";
  f.reg.apply(f.staff, UpdateCustomer{h});
  auto lena = f.add_contact("Lena", "Söderström", "lena@kyl-norr.se");
  f.reg.apply(f.staff, LinkContact{{lena, kyl, "", false, false}});

  CustomerQuery q;
  q.text = "norr";
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Kylteknik i Norr AB"});
  q.text = "lena söderström";
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Kylteknik i Norr AB"});
  q.text = "söderström";
  CHECK(f.reg.search_customers(f.staff, q).total == 1);
  q.text = "ORDER@HISS";
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Hissbolaget"});
  q.text = "kyl-norr.se";
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Kylteknik i Norr AB"});
  // Restricting where to look.
  q.text = "söderström";
  q.search_in = search_name;
  CHECK(f.reg.search_customers(f.staff, q).total == 0);
}

TEST_CASE("prefix and substring matching", "[search]") {
  Fixture f;
  f.add_customer("1", "Bergström El");
  f.add_customer("2", "Åberg Kyl");
  CustomerQuery q;
  q.text = "berg";
  q.match = TextMatch::prefix;
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Bergström El"});
  q.match = TextMatch::substring;
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Bergström El", "Åberg Kyl"});
}

TEST_CASE("filters: active, kind, category, assigned technician", "[search]") {
  Fixture f;
  auto a = f.add_customer("1", "Aktiv AB");
  auto b = f.add_customer("2", "Vilande AB");
  Customer p;
  p.number = "3";
  p.name = "Privat Person";
  p.kind = CustomerKind::private_person;
  p.category = "Villa";
  auto c = f.reg.apply(f.staff, CreateCustomer{p});
  f.reg.apply(f.staff, DeactivateCustomer{b});
  f.reg.apply(f.staff, AssignTechnician{a, f.staff});
  f.reg.apply(f.staff, AssignTechnician{c, f.staff});

  CustomerQuery q;
  q.active = true;
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Aktiv AB", "Privat Person"});
  q = {};
  q.active = false;
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Vilande AB"});
  q = {};
  q.kind = CustomerKind::private_person;
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Privat Person"});
  q = {};
  q.category = "VILLA";
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Privat Person"});
  q = {};
  q.technician = f.staff;
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Aktiv AB", "Privat Person"});
  q.descending = true;
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Privat Person", "Aktiv AB"});
  q = {};
  q.unassigned_only = true;
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Vilande AB"});
  q.text = "aktiv";
  CHECK(f.reg.search_customers(f.staff, q).total == 0);
}

TEST_CASE("results sort by any listed column", "[search]") {
  Fixture f;
  auto add = [&](std::string number, std::string name, std::string city, std::string email) {
    Customer c;
    c.number = std::move(number);
    c.name = std::move(name);
    c.invoice_address.city = std::move(city);
    c.email = std::move(email);
    return f.reg.apply(f.staff, CreateCustomer{c});
  };
  add("K10", "Beta", "Örebro", "b@x.se");
  add("K2", "Alfa", "Umeå", "c@x.se");
  add("K1", "Gamma", "Ystad", "a@x.se");
  CustomerQuery q;
  q.sort = CustomerColumn::number;
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Gamma", "Alfa", "Beta"});
  q.sort = CustomerColumn::city;
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Alfa", "Gamma", "Beta"});
  q.sort = CustomerColumn::email;
  q.descending = true;
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Alfa", "Beta", "Gamma"});
  q = {};
  q.sort = CustomerColumn::created_at;
  CHECK(names(f.reg.search_customers(f.staff, q)) == std::vector<std::string>{"Beta", "Alfa", "Gamma"});
}

TEST_CASE("results are paged with the total", "[search]") {
  Fixture f;
  for (int i = 0; i < 25; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "Kund %02d", i);
    f.add_customer(std::to_string(100 + i), name);
  }
  CustomerQuery q;
  q.limit = 10;
  auto first = f.reg.search_customers(f.staff, q);
  CHECK(first.total == 25);
  REQUIRE(first.items.size() == 10);
  CHECK(first.items[0].name == "Kund 00");
  q.offset = 20;
  auto last = f.reg.search_customers(f.staff, q);
  REQUIRE(last.items.size() == 5);
  CHECK(last.items[4].name == "Kund 24");
  q.offset = 30;
  CHECK(f.reg.search_customers(f.staff, q).items.empty());
  q.offset = 0;
  q.text = "kund 1";
  q.limit = 3;
  auto found = f.reg.search_customers(f.staff, q);
  CHECK(found.total == 10);
  CHECK(found.items.size() == 3);
  q.limit = 0;
  CHECK_THROWS_AS(f.reg.search_customers(f.staff, q), ValidationError);
  // "Everything from here on" does not overflow.
  q.text = "kund";
  q.offset = 20;
  q.limit = SIZE_MAX;
  CHECK(f.reg.search_customers(f.staff, q).items.size() == 5);
}

TEST_CASE("contacts are found by all or part of the last name", "[search][contacts]") {
  Fixture f;
  f.add_contact("Åsa", "Öberg");
  f.add_contact("Per", "Bergman");
  f.add_contact("Eva", "Lindberg");
  f.add_contact("Ola", "Ek");
  ContactQuery q;
  q.last_name = "berg";
  CHECK(last_names(f.reg.search_contacts(f.staff, q)) == std::vector<std::string>{"Bergman", "Lindberg", "Öberg"});
  q.match = TextMatch::prefix;
  CHECK(last_names(f.reg.search_contacts(f.staff, q)) == std::vector<std::string>{"Bergman"});
  q.last_name = "ÖBERG";
  CHECK(last_names(f.reg.search_contacts(f.staff, q)) == std::vector<std::string>{"Öberg"});
  q = {};
  CHECK(f.reg.search_contacts(f.staff, q).total == 4);
  q.sort = ContactColumn::first_name;
  CHECK(last_names(f.reg.search_contacts(f.staff, q)).front() == "Lindberg");
}

TEST_CASE("contact search filters by customer, category and active", "[search][contacts]") {
  Fixture f;
  auto a = f.add_customer("1", "A");
  auto x = f.add_contact("X", "Xson");
  f.add_contact("Y", "Yson");
  f.reg.apply(f.staff, LinkContact{{x, a, "", false, false}});
  ContactQuery q;
  q.customer = a;
  CHECK(last_names(f.reg.search_contacts(f.staff, q)) == std::vector<std::string>{"Xson"});
  Contact y = f.reg.contact(f.staff, ContactId{2});
  y.active = false;
  y.category = "Leverantör";
  f.reg.apply(f.staff, UpdateContact{y});
  q = {};
  q.active = false;
  CHECK(last_names(f.reg.search_contacts(f.staff, q)) == std::vector<std::string>{"Yson"});
  q = {};
  q.category = "leverantör";
  CHECK(last_names(f.reg.search_contacts(f.staff, q)) == std::vector<std::string>{"Yson"});
}

TEST_CASE("search text must be valid UTF-8", "[search][validation]") {
  Fixture f;
  CustomerQuery q;
  q.text = "\xc3";
  CHECK_THROWS_AS(f.reg.search_customers(f.staff, q), ValidationError);
}

TEST_CASE("lists by name are counted and paged by rank exactly as walking them would", "[search]") {
  Fixture f;
  UserId other = f.reg.apply(f.admin, CreateUser{test::staff_user("olle", "Olle Other")});
  const char* names_[] = {"Ånge Bygg", "Abba AB", "Öst & Väst", "Edström", "Eriksson", "Ärlig Handel", "Zeta"};
  for (int i = 0; i < 61; ++i) {
    CustomerId id = f.add_customer("K" + std::to_string(i), std::string(names_[i % 7]) + " " + std::to_string(i % 5));
    if (i % 3 == 0) f.reg.apply(f.admin, AssignTechnician{id, f.staff});
    if (i % 3 == 1) f.reg.apply(f.admin, AssignTechnician{id, other});
  }
  auto ids = [](const Page<Customer>& p) {
    std::vector<std::uint64_t> out{p.total};
    for (const auto& c : p.items) out.push_back(c.id.value);
    return out;
  };
  for (int list = 0; list < 3; ++list)
    for (bool descending : {false, true})
      for (std::size_t offset : {0u, 1u, 7u, 19u, 20u, 21u, 60u, 61u, 100u})
        for (std::size_t limit : {1u, 5u, 50u}) {
          CustomerQuery ranked;
          if (list == 1) ranked.technician = f.staff;
          if (list == 2) ranked.unassigned_only = true;
          ranked.descending = descending;
          ranked.offset = offset;
          ranked.limit = limit;
          CustomerQuery walked = ranked;
          walked.active = true;  // every customer is active: the same list, walked
          INFO("list " << list << " descending " << descending << " offset " << offset << " limit " << limit);
          CHECK(ids(f.reg.search_customers(f.admin, ranked)) == ids(f.reg.search_customers(f.admin, walked)));
        }
  CustomerQuery all;
  all.limit = 200;
  CHECK(f.reg.search_customers(f.admin, all).total == 61);
}
