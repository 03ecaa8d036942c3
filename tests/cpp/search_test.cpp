// Search: text matching, filters, sorting by the locale's collation, paging.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

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

// Searches by text scan packed copies of the folded texts, kept up to date
// from the history; here they are held against a scan of every record, as
// the register changes in every way that touches them.
TEST_CASE("searches by text find what a scan of every record finds as the register changes", "[search]") {
  Fixture f;
  std::mt19937 rng(20261201);
  auto pick = [&rng](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  const std::vector<std::string> parts = {"An", "ber", "Ström", "ås", "Ek", "lund", "Ö", "dahl", "kvist",
                                          "ni", "sson", "Æl", "ø", "ga", "aa"};
  auto word = [&] {
    std::string w;
    for (std::size_t n = 1 + pick(3); n > 0; --n) w += parts[pick(parts.size())];
    return w;
  };
  std::vector<CustomerId> customers;
  std::vector<ContactId> contacts;
  int numbers = 0;

  struct Expected {
    std::uint64_t id;
    std::string sort_key, name, email;
    std::vector<std::string> contact_names, contact_emails;
  };
  auto check_searches = [&] {
    TextRules rules(f.reg.settings(f.admin).locale);
    CustomerQuery everyone;
    everyone.limit = 100000;
    std::vector<Expected> model;
    for (const auto& c : f.reg.search_customers(f.admin, everyone).items) {
      Expected e{c.id.value, rules.sort_key(c.name), rules.fold(c.name), rules.fold(c.email), {}, {}};
      ContactQuery linked;
      linked.customer = c.id;
      linked.limit = 100000;
      for (const auto& p : f.reg.search_contacts(f.admin, linked).items) {
        for (const auto& n : {p.first_name, p.last_name, p.first_name + " " + p.last_name})
          e.contact_names.push_back(rules.fold(n));
        e.contact_emails.push_back(rules.fold(p.email));
      }
      model.push_back(std::move(e));
    }
    std::vector<std::string> needles = {parts[pick(parts.size())], parts[pick(parts.size())] + parts[pick(parts.size())],
                                        "STRÖM", "e", "@x"};
    for (const auto& needle : needles)
      for (TextMatch match : {TextMatch::substring, TextMatch::prefix})
        for (std::uint8_t where : {std::uint8_t{search_everywhere}, std::uint8_t{search_name},
                                   std::uint8_t{search_email}, std::uint8_t{search_contact_name}})
          for (bool descending : {false, true}) {
            const std::string folded = rules.fold(needle);
            auto holds = [&](const std::string& text) {
              return match == TextMatch::prefix ? text.rfind(folded, 0) == 0 : text.find(folded) != std::string::npos;
            };
            auto any = [&](const std::vector<std::string>& texts) { return std::any_of(texts.begin(), texts.end(), holds); };
            std::vector<const Expected*> hits;
            for (const auto& e : model)
              if (((where & search_name) && holds(e.name)) ||
                  ((where & search_email) && (holds(e.email) || any(e.contact_emails))) ||
                  ((where & search_contact_name) && any(e.contact_names)))
                hits.push_back(&e);
            std::stable_sort(hits.begin(), hits.end(), [&](const Expected* a, const Expected* b) {
              if (a->sort_key != b->sort_key) return descending ? b->sort_key < a->sort_key : a->sort_key < b->sort_key;
              return a->id < b->id;
            });
            for (std::size_t offset : {std::size_t{0}, std::size_t{3}}) {
              CustomerQuery q;
              q.text = needle;
              q.match = match;
              q.search_in = where;
              q.descending = descending;
              q.offset = offset;
              q.limit = 4;
              const auto page = f.reg.search_customers(f.admin, q);
              std::vector<std::uint64_t> got, want;
              for (const auto& c : page.items) got.push_back(c.id.value);
              for (std::size_t i = offset; i < hits.size() && i < offset + 4; ++i) want.push_back(hits[i]->id);
              INFO("needle '" << needle << "' match " << int(match) << " in " << int(where) << " descending "
                               << descending << " offset " << offset);
              CHECK(page.total == hits.size());
              CHECK(got == want);
            }
          }
  };

  for (int step = 0; step < 360; ++step) {
    try {
      switch (pick(10)) {
        case 0:
        case 1:
        case 2: {
          Customer c;
          c.number = "S" + std::to_string(++numbers);
          c.name = word() + " " + word();
          if (pick(2) == 0) c.email = word() + "@x" + word() + ".se";
          customers.push_back(f.reg.apply(f.admin, CreateCustomer{c}));
          break;
        }
        case 3: {
          if (customers.empty()) break;
          Customer c = f.reg.customer(f.admin, customers[pick(customers.size())]);
          if (pick(2) == 0) c.name = word() + " " + word();
          else c.email = pick(3) == 0 ? "" : word() + "@x.se";
          if (pick(4) == 0) c.comments = word();  // a change that leaves the texts as they were
          f.reg.apply(f.admin, UpdateCustomer{c});
          break;
        }
        case 4: {
          if (customers.empty()) break;
          const std::size_t i = pick(customers.size());
          f.reg.apply(f.admin, DeleteCustomer{customers[i]});  // refused while contacts are linked
          customers.erase(customers.begin() + static_cast<std::ptrdiff_t>(i));
          break;
        }
        case 5: {
          if (customers.empty()) break;
          Contact p;
          p.first_name = word();
          p.last_name = word();
          if (pick(2) == 0) p.email = word() + "@x.dk";
          const ContactId id = f.reg.apply(f.admin, CreateContact{p});
          contacts.push_back(id);
          f.reg.apply(f.admin, LinkContact{{id, customers[pick(customers.size())], "", false, false}});
          break;
        }
        case 6: {
          if (contacts.empty()) break;
          Contact p = f.reg.contact(f.admin, contacts[pick(contacts.size())]);
          if (pick(2) == 0) p.last_name = word();
          else p.email = word() + "@x.no";
          f.reg.apply(f.admin, UpdateContact{p});
          break;
        }
        case 7: {
          if (contacts.empty() || customers.empty()) break;
          const ContactId p = contacts[pick(contacts.size())];
          const CustomerId c = customers[pick(customers.size())];
          switch (pick(3)) {
            case 0: f.reg.apply(f.admin, LinkContact{{p, c, "", false, false}}); break;
            case 1: f.reg.apply(f.admin, UnlinkContact{p, c}); break;
            default: {  // his links move to the one kept
              const std::size_t remove = pick(contacts.size());
              if (contacts[remove] == p) break;
              f.reg.apply(f.admin, MergeContacts{p, contacts[remove], {}});
              contacts.erase(contacts.begin() + static_cast<std::ptrdiff_t>(remove));
              break;
            }
          }
          break;
        }
        case 8: {
          if (customers.empty()) break;
          // Refused after its first change: the number is in use.
          Customer c = f.reg.customer(f.admin, customers[pick(customers.size())]);
          c.id = {};
          c.name = word();
          f.reg.apply(f.admin, CreateCustomer{c});
          break;
        }
        default: {
          if (customers.size() < 2) break;
          const std::size_t keep = pick(customers.size()), remove = pick(customers.size());
          if (keep == remove) break;
          f.reg.apply(f.admin, MergeCustomers{customers[keep], customers[remove], {}});
          customers.erase(customers.begin() + static_cast<std::ptrdiff_t>(remove));
          break;
        }
      }
    } catch (const Error&) {
      // A refused command changes nothing; the searches below hold that too.
    }
    if (step % 5 == 4) check_searches();
    if (step == 179) {
      set_locale(f, "da-DK");  // every row is made again, folded anew
      check_searches();
    }
  }
  CHECK(customers.size() > 20);
}
