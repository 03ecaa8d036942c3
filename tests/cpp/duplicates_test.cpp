// Duplicates (docs/duplicates.md): customers and contacts found twice,
// scored on Nordic names, organisation numbers, e-mails, phones and
// addresses, among the records the reader sees.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include <unistd.h>

#include "test_support.hpp"

using namespace kartotek;
using kartotek::test::at;
using kartotek::test::staff_user;

namespace {

struct Scene : kartotek::test::Fixture {
  CustomerId customer(std::string number, std::string name, std::string organisation = {}, std::string email = {},
                      std::string phone = {}) {
    Customer c;
    c.number = std::move(number);
    c.name = std::move(name);
    c.organisation_number = std::move(organisation);
    c.email = std::move(email);
    c.phone = std::move(phone);
    return reg.apply(staff, CreateCustomer{c});
  }
  std::vector<DuplicatePair> pairs(UserId actor, RecordKind kind = RecordKind::customer, int min_score = 50) const {
    DuplicateQuery q;
    q.kind = kind;
    q.min_score = min_score;
    return reg.find_duplicates(actor, q);
  }
  std::vector<DuplicatePair> pairs(RecordKind kind = RecordKind::customer, int min_score = 50) const {
    return pairs(admin, kind, min_score);
  }
  // The pair of a and b, if it is listed.
  static const DuplicatePair* find(const std::vector<DuplicatePair>& all, std::uint64_t a, std::uint64_t b) {
    for (const auto& p : all)
      if (p.first == std::min(a, b) && p.second == std::max(a, b)) return &p;
    return nullptr;
  }
};

using Reasons = std::vector<std::string>;

}  // namespace

// ---- finding duplicates ------------------------------------------------------------

TEST_CASE("Nordic names match across case, accents, company forms and small typos", "[duplicates]") {
  Scene s;
  auto soderstrom = s.customer("1", "Söderström & Co AB");
  auto soderstrom2 = s.customer("2", "Soderstrom och Co");
  auto jorgensen = s.customer("3", "Jørgensen ApS");
  auto jorgensen2 = s.customer("4", "JORGENSEN A/S");
  auto lindqvist = s.customer("5", "Lindqvist Bygg AB");
  auto lindkvist = s.customer("6", "Lindkvist Bygg AB");
  auto aberg = s.customer("7", "Åberg Oy");
  auto aberg2 = s.customer("8", "Aaberg");  // one letter too many
  s.customer("9", "Bergström El AB");
  s.customer("10", "Nilsson VVS Handelsbolag");

  const auto all = s.pairs();
  const auto* p = Scene::find(all, soderstrom.value, soderstrom2.value);
  REQUIRE(p);
  CHECK(p->kind == RecordKind::customer);
  CHECK(p->score == 60);
  CHECK(p->reasons == Reasons{"same name"});
  p = Scene::find(all, jorgensen.value, jorgensen2.value);
  REQUIRE(p);
  CHECK(p->reasons == Reasons{"same name"});
  // "lindqvistbygg" and "lindkvistbygg": one letter of 13 differs.
  p = Scene::find(all, lindqvist.value, lindkvist.value);
  REQUIRE(p);
  CHECK(p->reasons == Reasons{"similar name"});
  CHECK(p->score == 55);
  // "aberg" and "aaberg": one letter of 6 too many.
  p = Scene::find(all, aberg.value, aberg2.value);
  REQUIRE(p);
  CHECK(p->reasons == Reasons{"similar name"});
  CHECK(p->score == 50);
  // Nothing else: unrelated names are not paired.
  CHECK(all.size() == 4);
  for (const auto& x : all) CHECK(x.first < x.second);
  // Best first.
  CHECK(std::is_sorted(all.begin(), all.end(), [](const DuplicatePair& a, const DuplicatePair& b) { return a.score > b.score; }));
}

TEST_CASE("organisation numbers, e-mails, phones and addresses pair records whatever their names", "[duplicates]") {
  Scene s;
  auto volvo = s.customer("1", "Volvo Personvagnar AB", "556074-3089");
  auto cars = s.customer("2", "Volvo Cars", "5560743089");
  auto hk = s.customer("3", "Hallå Konsult", "", "info@hk.se");
  auto partner = s.customer("4", "HK Partner", "", "INFO@HK.se");
  Customer a;
  a.number = "5";
  a.name = "Ekdahls Städ";
  a.phone = "+46 8 123 45 67";
  a.invoice_address = {"", "Storgatan 1", "111 22", "Stockholm", "SE"};
  auto ekdahl = s.reg.apply(s.staff, CreateCustomer{a});
  Customer b;
  b.number = "6";
  b.name = "Städfirman i City";
  b.phone = "08-123 45 67";
  b.visiting_address = Address{"", "STORGATAN 1", "11122", "", ""};
  auto city = s.reg.apply(s.staff, CreateCustomer{b});
  auto andersson = s.customer("7", "Andersson Bygg AB", "556123-4567");
  auto andersson2 = s.customer("8", "Andersson Bygg AB", "556987-6543");

  auto all = s.pairs(RecordKind::customer, 1);
  const auto* p = Scene::find(all, volvo.value, cars.value);
  REQUIRE(p);
  CHECK(p->reasons == Reasons{"organisation number"});
  CHECK(p->score == 50);
  p = Scene::find(all, hk.value, partner.value);
  REQUIRE(p);
  CHECK(p->reasons == Reasons{"email"});
  CHECK(p->score == 35);
  p = Scene::find(all, ekdahl.value, city.value);
  REQUIRE(p);
  CHECK(p->reasons == Reasons{"phone", "address"});
  CHECK(p->score == 45);
  // One name, two registered companies: the organisation numbers tell them apart.
  p = Scene::find(all, andersson.value, andersson2.value);
  REQUIRE(p);
  CHECK(p->reasons == Reasons{"same name", "different organisation numbers"});
  CHECK(p->score == 30);

  // The default minimum (50) leaves out what is only a hint.
  all = s.pairs();
  CHECK(Scene::find(all, volvo.value, cars.value));
  CHECK_FALSE(Scene::find(all, hk.value, partner.value));
  CHECK_FALSE(Scene::find(all, andersson.value, andersson2.value));
}

TEST_CASE("deactivated customers are paired too, so that they are reactivated instead of created again",
          "[duplicates]") {
  Scene s;
  auto old = s.customer("1", "Ekström Fastigheter AB", "556000-1111");
  s.reg.apply(s.staff, DeactivateCustomer{old});
  auto fresh = s.customer("2", "Ekstrom Fastigheter", "5560001111");
  const auto* p = Scene::find(s.pairs(), old.value, fresh.value);
  REQUIRE(p);
  CHECK(p->score == 100);  // 60 + 50, at most 100
  CHECK(p->reasons == Reasons{"same name", "organisation number"});
}

TEST_CASE("contacts pair on their names in either order, e-mail, phones and shared customers", "[duplicates]") {
  Scene s;
  auto add = [&](std::string first, std::string last, std::string email, std::string phone, std::string mobile) {
    Contact c;
    c.first_name = std::move(first);
    c.last_name = std::move(last);
    c.email = std::move(email);
    c.phone = std::move(phone);
    c.mobile = std::move(mobile);
    return s.reg.apply(s.staff, CreateContact{c});
  };
  auto anna = add("Anna", "Lindqvist", "", "", "070-123 45 67");
  auto anna2 = add("anna", "LINDKVIST", "", "+46 70 123 45 67", "");
  auto swapped = add("Lindqvist", "Anna", "", "", "");  // first and last name the wrong way round
  auto per = add("Per", "Olsson", "per.olsson@example.se", "", "");
  auto p2 = add("P.", "Olsson", "Per.Olsson@example.se", "", "");
  auto orjan = add("Örjan", "Ågren", "", "", "");
  auto orjan2 = add("Orjan", "Agrén", "", "", "");
  auto eva = add("Eva", "Sjöberg", "", "", "");
  auto eva2 = add("Eva", "Sjöborg", "", "", "");
  auto company = s.add_customer("1", "Sjöberg AB");
  s.reg.apply(s.staff, LinkContact{{eva, company, "", false, false}});

  auto all = s.pairs(RecordKind::contact, 1);
  const auto* p = Scene::find(all, anna.value, anna2.value);
  REQUIRE(p);
  CHECK(p->kind == RecordKind::contact);
  CHECK(p->reasons == Reasons{"similar name", "phone"});  // a phone and a mobile, one number
  p = Scene::find(all, anna.value, swapped.value);
  REQUIRE(p);
  CHECK(p->reasons == Reasons{"same name"});
  p = Scene::find(all, per.value, p2.value);
  REQUIRE(p);
  CHECK(p->reasons == Reasons{"email"});
  CHECK(p->score == 50);
  p = Scene::find(all, orjan.value, orjan2.value);
  REQUIRE(p);
  CHECK(p->reasons == Reasons{"same name"});
  p = Scene::find(all, eva.value, eva2.value);
  REQUIRE(p);
  CHECK(p->reasons == Reasons{"similar name"});
  const int alone = p->score;
  s.reg.apply(s.staff, LinkContact{{eva2, company, "", false, false}});
  p = Scene::find(all = s.pairs(RecordKind::contact, 1), eva.value, eva2.value);
  REQUIRE(p);
  CHECK(p->reasons == Reasons{"similar name", "customer"});
  CHECK(p->score == alone + 20);
  CHECK_FALSE(Scene::find(all, per.value, eva.value));
}

TEST_CASE("a pair is listed only to a reader who sees both of its records", "[duplicates][rights]") {
  Scene s;
  auto mine = s.customer("1", "Åkesson Måleri AB");
  auto other = s.customer("2", "Akesson Maleri");
  UserId tech = s.reg.apply(s.admin, CreateUser{staff_user("tekniker", "Tekniker", {Right::customers_view_assigned})});
  s.reg.apply(s.admin, AssignTechnician{mine, tech});
  UserId viewer = s.reg.apply(s.admin, CreateUser{staff_user("tittare", "Tittare", {Right::customers_view})});
  UserId nobody = s.reg.apply(s.admin, CreateUser{staff_user("ingen", "Ingen", {})});

  CHECK(s.pairs(tech).empty());
  CHECK(s.pairs(nobody).empty());
  REQUIRE(s.pairs(viewer).size() == 1);
  s.reg.apply(s.admin, AssignTechnician{other, tech});
  CHECK(s.pairs(tech).size() == 1);
  // Candidates of an unsaved record likewise.
  Customer c;
  c.name = "Akesson Måleri";
  CHECK(s.reg.similar_customers(nobody, c).empty());
  CHECK(s.reg.similar_customers(tech, c).size() == 2);

  // Contacts need the contacts' view right.
  s.add_contact("Lena", "Ek");
  s.add_contact("LENA", "EK");
  Contact l;
  l.first_name = "Lena";
  l.last_name = "Ek";
  CHECK(s.pairs(RecordKind::contact).size() == 1);
  CHECK(s.pairs(viewer, RecordKind::contact).empty());
  CHECK(s.reg.similar_contacts(viewer, l).empty());
  CHECK(s.reg.similar_contacts(s.staff, l).size() == 2);
}

TEST_CASE("a duplicate query names customers or contacts, a minimum from 1 to 100 and a limit", "[duplicates]") {
  Scene s;
  for (int i = 0; i < 5; ++i) s.customer(std::to_string(i), "Berg AB");  // 10 pairs of one name
  DuplicateQuery q;
  q.kind = RecordKind::order;
  CHECK(kartotek::test::refusal_field([&] { s.reg.find_duplicates(s.admin, q); }) == "kind");
  q.kind = RecordKind::customer;
  q.min_score = 0;
  CHECK(kartotek::test::refusal_field([&] { s.reg.find_duplicates(s.admin, q); }) == "min_score");
  q.min_score = 101;
  CHECK(kartotek::test::refusal_field([&] { s.reg.find_duplicates(s.admin, q); }) == "min_score");
  q.min_score = 50;
  q.limit = 0;
  CHECK(kartotek::test::refusal_field([&] { s.reg.find_duplicates(s.admin, q); }) == "limit");
  q.limit = 3;
  auto three = s.reg.find_duplicates(s.admin, q);
  REQUIRE(three.size() == 3);
  // Equal scores go by ids.
  CHECK(three[0].first == 1);
  CHECK(three[0].second == 2);
  CHECK(three[2].second == 4);
  CHECK(s.pairs().size() == 10);
  CHECK(kartotek::test::refusal_field([&] { s.reg.similar_customers(s.admin, Customer{}, 0); }) == "min_score");
}

TEST_CASE("an unsaved customer or contact gets the records it resembles before it is saved", "[duplicates]") {
  Scene s;
  auto soderstrom = s.customer("1", "Söderström & Co AB", "556677-8899");
  s.customer("2", "Bergström El AB");
  auto contact = s.add_contact("Örjan", "Ågren", "orjan@example.se");
  const std::string before = s.state();

  Customer c;
  c.name = "Soderstrom och Co";
  c.organisation_number = "5566778899";
  auto found = s.reg.similar_customers(s.staff, c);
  REQUIRE(found.size() == 1);
  CHECK(found[0].kind == RecordKind::customer);
  CHECK(found[0].first == 0);  // the record not yet saved
  CHECK(found[0].second == soderstrom.value);
  CHECK(found[0].score == 100);
  CHECK(found[0].reasons == Reasons{"same name", "organisation number"});
  // An edited record is not its own duplicate.
  Customer existing = s.reg.customer(s.admin, soderstrom);
  CHECK(s.reg.similar_customers(s.staff, existing).empty());
  CHECK(s.reg.similar_customers(s.staff, Customer{}).empty());

  Contact p;
  p.first_name = "orjan";
  p.last_name = "agren";
  auto people = s.reg.similar_contacts(s.staff, p);
  REQUIRE(people.size() == 1);
  CHECK(people[0].second == contact.value);
  CHECK(s.state() == before);  // asking changes nothing
}

TEST_CASE("blocking finds every pair a comparison of all pairs finds, for typos anywhere in a name",
          "[duplicates]") {
  Scene s;
  std::mt19937 rng(20260105);
  auto letter = [&] { return static_cast<char>('a' + std::uniform_int_distribution<int>(0, 25)(rng)); };
  auto random_name = [&] {
    std::string n;
    const int length = std::uniform_int_distribution<int>(7, 14)(rng);
    for (int i = 0; i < length; ++i) n.push_back(letter());
    n[0] = static_cast<char>(n[0] - 'a' + 'A');
    return n;
  };
  // One typo: a letter changed, added, left out, or two swapped, anywhere.
  auto typo = [&](std::string n) {
    const auto at = static_cast<std::size_t>(std::uniform_int_distribution<int>(1, static_cast<int>(n.size()) - 2)(rng));
    switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
      case 0: n[at] = n[at] == 'x' ? 'y' : 'x'; break;
      case 1: n.insert(at, 1, letter()); break;
      case 2: n.erase(at, 1); break;
      default: std::swap(n[at], n[at + 1]); break;
    }
    return n;
  };
  int number = 0;
  std::vector<std::string> bases;
  for (int i = 0; i < 250; ++i) bases.push_back(random_name());
  std::sort(bases.begin(), bases.end());  // neighbours in order, as in a real register
  for (const auto& base : bases) {
    Customer c;
    c.number = std::to_string(++number);
    c.name = base + " AB";
    const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
    if (kind == 0) c.organisation_number = "55600" + std::to_string(number % 7);
    if (kind == 1) c.phone = "08-55 00 00 " + std::to_string(10 + number % 5);
    s.reg.apply(s.staff, CreateCustomer{c});
    if (kind >= 4) continue;
    Customer twin;  // a duplicate with a typo, entered later
    twin.number = std::to_string(++number);
    twin.name = typo(base);
    twin.organisation_number = c.organisation_number;
    s.reg.apply(s.staff, CreateCustomer{twin});
  }

  // Every pair, by comparing each customer with all others.
  std::set<std::tuple<std::uint64_t, std::uint64_t, int>> brute;
  CustomerQuery every;
  every.limit = 100000;
  for (const auto& c : s.reg.search_customers(s.admin, every).items)
    for (const auto& p : s.reg.similar_customers(s.admin, c, 1))
      brute.emplace(std::min(c.id.value, p.second), std::max(c.id.value, p.second), p.score);
  DuplicateQuery q;
  q.min_score = 1;
  q.limit = 100000;
  std::set<std::tuple<std::uint64_t, std::uint64_t, int>> blocked;
  for (const auto& p : s.reg.find_duplicates(s.admin, q)) blocked.emplace(p.first, p.second, p.score);
  CHECK(brute.size() > 100);
  CHECK(blocked == brute);
}
