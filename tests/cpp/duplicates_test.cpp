// Duplicates (docs/duplicates.md): customers and contacts found twice —
// scored on Nordic names, organisation numbers, e-mails, phones and
// addresses, among the records the reader sees — and merged into one: every
// reference moves, chosen fields are taken, the old number keeps finding
// the customer, history tells both sides, and a refused merge changes
// nothing at all.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <thread>

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
  auto brf12 = s.customer("11", "Brf Ängsbacken 12");
  auto brf12b = s.customer("12", "BRF Angsbacken 12");
  s.customer("13", "Brf Ängsbacken 14");  // another cooperative: numbers never differ by a typo

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
  p = Scene::find(all, brf12.value, brf12b.value);
  REQUIRE(p);
  CHECK(p->reasons == Reasons{"same name"});
  // Nothing else: unrelated names are not paired.
  CHECK(all.size() == 5);
  for (const auto& x : all) CHECK(x.first < x.second);
  // Best first.
  CHECK(std::is_sorted(all.begin(), all.end(), [](const DuplicatePair& a, const DuplicatePair& b) { return a.score > b.score; }));
}

TEST_CASE("names in other scripts and with decomposed accents fold alike, from several threads at once",
          "[duplicates][threads]") {
  Scene s;
  auto cyrillic = s.customer("1", "Торговый дом Иванов");
  auto latin = s.customer("2", "Torgovyj Dom Ivanov AB");
  auto composed = s.customer("3", "Sjöström Måleri");
  auto decomposed = s.customer("4", "Sjo\u0308stro\u0308m Ma\u030Aleri AB");
  for (int i = 0; i < 40; ++i) s.customer("x" + std::to_string(i), "Бергман " + std::to_string(i));
  const auto expected = s.pairs();
  const auto* p = Scene::find(expected, composed.value, decomposed.value);
  REQUIRE(p);
  CHECK(p->reasons == Reasons{"same name"});
  p = Scene::find(expected, cyrillic.value, latin.value);
  REQUIRE(p);
  CHECK(p->reasons == Reasons{"same name"});  // both "torgovyjdomivanov"

  // Readers run in parallel, each with its own transliterator.
  std::vector<std::thread> threads;
  std::vector<int> same(4, 0);
  for (std::size_t t = 0; t < same.size(); ++t)
    threads.emplace_back([&s, &same, &expected, t] {
      for (int i = 0; i < 10; ++i) same[t] += s.pairs() == expected;
    });
  for (auto& t : threads) t.join();
  CHECK(same == std::vector<int>(4, 10));
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
  const auto all = s.pairs();
  const auto* p = Scene::find(all, old.value, fresh.value);
  REQUIRE(p);
  CHECK(p->score == 100);  // 60 + 50, at most 100
  CHECK(p->reasons == Reasons{"same name", "organisation number"});
}

TEST_CASE("two private customers of one name are listed only when they share more than the name",
          "[duplicates]") {
  Scene s;
  auto person = [&](std::string number, std::string name, std::string phone = {}) {
    Customer c;
    c.number = std::move(number);
    c.name = std::move(name);
    c.kind = CustomerKind::private_person;
    c.phone = std::move(phone);
    return s.reg.apply(s.staff, CreateCustomer{c});
  };
  auto anna = person("1", "Berg, Anna");
  auto other_anna = person("2", "Anna Berg");
  auto lars = person("3", "Öberg, Lars", "070-123 45 67");
  auto lars_again = person("4", "Oberg Lars", "+46 70 123 45 67");
  auto company = s.customer("5", "Öberg Lars Bygg AB");

  auto all = s.pairs();
  CHECK(Scene::find(all, anna.value, other_anna.value) == nullptr);  // 45: most often two people
  const auto* p = Scene::find(all, lars.value, lars_again.value);
  REQUIRE(p);
  CHECK(p->reasons == Reasons{"same name", "phone"});
  CHECK(p->score == 70);
  CHECK(Scene::find(all, lars.value, company.value) == nullptr);
  all = s.pairs(RecordKind::customer, 40);
  p = Scene::find(all, anna.value, other_anna.value);
  REQUIRE(p);
  CHECK(p->score == 45);
  // A company of the same name as a private customer is weighed as one.
  auto firm = s.customer("6", "Anna Berg AB");
  p = Scene::find(s.pairs(RecordKind::customer, 40), anna.value, firm.value);
  REQUIRE(p);
  CHECK(p->score == 45);
  // Two companies of one name are listed on the name alone.
  auto firm2 = s.customer("7", "Anna Berg Aktiebolag");
  p = Scene::find(s.pairs(), firm.value, firm2.value);
  REQUIRE(p);
  CHECK(p->score == 60);
}

TEST_CASE("a name a thousand private customers carry pairs only those that share more", "[duplicates]") {
  Scene s;
  Customer c;
  c.kind = CustomerKind::private_person;
  c.name = "Andersson, Anna";
  for (int i = 0; i < 1100; ++i) {
    c.number = "p" + std::to_string(i);
    c.phone = i == 17 || i == 901 ? "070-111 22 33" : "";
    s.reg.apply(s.staff, CreateCustomer{c});
  }
  Customer firm;
  firm.name = "Anderssons Bygg AB";
  for (int i = 0; i < 20; ++i) {
    firm.number = "f" + std::to_string(i);
    s.reg.apply(s.staff, CreateCustomer{firm});
  }
  const auto found = s.pairs();
  REQUIRE(found.size() == 1 + 20 * 19 / 2);
  CHECK(found[0].reasons == Reasons{"same name", "phone"});
  CHECK(found[0].score == 70);
  const auto first = s.reg.find_customer_by_number(s.admin, "p17");
  const auto second = s.reg.find_customer_by_number(s.admin, "p901");
  REQUIRE(first);
  REQUIRE(second);
  CHECK(found[0].first == first->id.value);
  CHECK(found[0].second == second->id.value);
  for (std::size_t i = 1; i < found.size(); ++i) CHECK(found[i].reasons == Reasons{"same name"});
  // Asked for from 40: the name pairs them too, but not a thousand at once.
  CHECK(s.pairs(RecordKind::customer, 40).size() == found.size());
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
  // A similar name alone lists no pair by default; with a shared customer it does.
  CHECK(Scene::find(s.pairs(RecordKind::contact), eva.value, eva2.value));
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
  CHECK(s.pairs(RecordKind::contact, 40).size() == 1);
  CHECK(s.pairs(viewer, RecordKind::contact, 40).empty());
  CHECK(s.reg.similar_contacts(viewer, l, 40).empty());
  CHECK(s.reg.similar_contacts(s.staff, l, 40).size() == 2);
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
  CHECK(s.reg.similar_contacts(s.staff, p).empty());  // 45: a name alone may be another person
  p.email = "Orjan@Example.se";
  auto people = s.reg.similar_contacts(s.staff, p);
  REQUIRE(people.size() == 1);
  CHECK(people[0].second == contact.value);
  CHECK(people[0].reasons == Reasons{"same name", "email"});
  CHECK(people[0].score == 95);
  CHECK(s.state() == before);  // asking changes nothing
}

TEST_CASE("the names kept between similar calls follow every change, as a register asked for the first time",
          "[duplicates]") {
  Scene warm;
  std::vector<Command> log;
  std::vector<CustomerId> ids;
  std::mt19937 rng(20261130);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(std::uniform_int_distribution<int>(0, static_cast<int>(n) - 1)(rng)); };
  const std::vector<std::string> words{"Berg", "Lind", "Ström", "Ek", "Nord", "Kyl", "Värme", "Bygg", "Sjö"};
  const std::vector<std::string> forms{"", " AB", " ApS", " Oy", " & Co"};
  auto name = [&] {
    std::string n = words[pick(words.size())] + words[pick(words.size())];
    if (pick(4) == 0) {  // a typo: a letter (of ASCII) left out
      const std::size_t at = pick(n.size() - 1) + 1;
      if (static_cast<unsigned char>(n[at]) < 0x80) n.erase(at, 1);
    }
    return n + " " + words[pick(words.size())] + forms[pick(forms.size())];
  };
  auto email = [&] { return pick(3) == 0 ? "info" + std::to_string(pick(6)) + "@example.se" : std::string(); };
  auto apply = [&](Command c) {
    Applied a = warm.reg.apply_command(warm.staff, c);
    log.push_back(std::move(c));
    return a;
  };
  auto candidates = [&] {
    std::vector<Customer> out;
    for (int i = 0; i < 6; ++i) {
      Customer c;
      c.name = name();
      c.email = email();
      out.push_back(c);
    }
    return out;
  };
  for (int round = 0; round < 12; ++round) {
    // A few changes between calls are read from history; many (round 6)
    // build the names anew.
    const int steps = round == 6 ? 200 : 1 + static_cast<int>(pick(25));
    for (int step = 0; step < steps; ++step) {
      const std::size_t what = ids.size() < 2 ? 0 : pick(12);
      if (what < 5) {
        Customer c;
        c.number = "n" + std::to_string(log.size());
        c.name = name();
        c.email = email();
        ids.push_back(CustomerId{apply(CreateCustomer{c}).created.id});
      } else if (what < 8) {
        Customer c = warm.reg.customer(warm.admin, ids[pick(ids.size())]);
        if (what == 5) c.name = name();
        else c.email = email();
        apply(UpdateCustomer{c});
      } else if (what < 10) {
        const std::size_t i = pick(ids.size());
        apply(DeleteCustomer{ids[i]});
        ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(i));
      } else {
        // A merge: the kept customer may take the other's name or e-mail.
        const std::size_t i = pick(ids.size());
        std::size_t j = pick(ids.size());
        if (i == j) j = (j + 1) % ids.size();
        std::vector<std::string> take;
        if (what == 10) take.push_back("name");
        else take.push_back("email");
        apply(MergeCustomers{ids[i], ids[j], take});
        ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(j));
      }
    }
    // A refused change between the calls changes nothing, here or there.
    if (!ids.empty()) {
      Customer stale = warm.reg.customer(warm.admin, ids.front());
      stale.revision += 7;
      stale.name = "Refused";
      CHECK_THROWS_AS(warm.reg.apply(warm.staff, UpdateCustomer{stale}), Conflict);
    }
    Scene cold;
    for (const auto& c : log) cold.reg.apply_command(cold.staff, c);
    for (const auto& c : candidates()) {
      INFO("round " << round << ", candidate " << c.name << " <" << c.email << ">");
      const auto expected = cold.reg.similar_customers(cold.staff, c, 30);
      CHECK(warm.reg.similar_customers(warm.staff, c, 30) == expected);
    }
  }
  // Somewhere in all that, something was found.
  Customer again = warm.reg.customer(warm.admin, ids.back());
  again.id = CustomerId{};
  CHECK_FALSE(warm.reg.similar_customers(warm.staff, again).empty());
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

// ---- merging customers ---------------------------------------------------------------

namespace {

FieldDefinition text_field(RecordKind kind, std::string key) {
  FieldDefinition d;
  d.kind = kind;
  d.key = std::move(key);
  d.labels = {{"sv", d.key}};
  return d;
}

// Two customer cards of one company, the second with something of every
// kind that can name a customer.
struct Merge : Scene {
  UserId technician = reg.apply(admin, CreateUser{staff_user("tekla2", "Tekla Två", {Right::customers_view})});
  UserId employee = reg.apply(admin, CreateUser{staff_user("emil", "Emil Anställd", {})});
  bool fields = [this] {
    reg.apply(admin, DefineField{text_field(RecordKind::customer, "zone")});
    reg.apply(admin, DefineField{text_field(RecordKind::customer, "tier")});
    reg.apply(admin, DefineField{text_field(RecordKind::contact, "shoe")});
    return true;
  }();
  CustomerId keep = [this] {
    Customer c;
    c.number = "100";
    c.name = "Söderström & Co AB";
    c.email = "info@soderstrom.se";
    c.invoice_address = {"", "Storgatan 1", "111 22", "Stockholm", "SE"};
    c.custom.set("tier", Value("A"));
    return reg.apply(staff, CreateCustomer{c});
  }();
  CustomerId removed = [this] {
    Customer c;
    c.number = "200";
    c.name = "Soderstrom och Co";
    c.email = "faktura@soderstrom.se";
    c.phone = "08-123 45 67";
    c.invoice_address = {"", "Box 12", "111 99", "Stockholm", "SE"};
    c.custom.set("tier", Value("B"));
    c.custom.set("zone", Value("Nord"));
    return reg.apply(staff, CreateCustomer{c});
  }();
  ContactId only_removed = add_contact("Örjan", "Ågren", "orjan@example.se");
  ContactId both = add_contact("Lena", "Ek", "lena@example.se");
  FacilityId facility = [this] {
    Facility f;
    f.customer = removed;
    f.name = "Lagret";
    return reg.apply(staff, CreateFacility{f});
  }();
  ServiceObjectId service_object = [this] {
    ServiceObject so;
    so.facility = facility;
    so.identifier = "VP-1";
    return reg.apply(staff, CreateServiceObject{so});
  }();
  std::vector<ActivityId> activities;
  OrderId work_order, contact_order;
  UserId portal;

  Merge() {
    reg.apply(staff, LinkContact{{only_removed, removed, "Inköp", true, false}});
    reg.apply(staff, LinkContact{{both, removed, "Ekonomi", false, true}});
    reg.apply(staff, LinkContact{{both, keep, "VD", true, true}});
    reg.apply(staff, LinkEmployee{keep, staff});
    reg.apply(staff, LinkEmployee{removed, employee});
    reg.apply(staff, AssignTechnician{removed, technician});
    Order w;
    w.kind = OrderKind::work_order;
    w.customer = removed;
    w.facility = facility;
    w.service_object = service_object;
    w.contact = only_removed;
    w.subject = "Service";
    work_order = reg.apply(staff, CreateOrder{w, std::nullopt, std::nullopt});
    Order k;
    k.kind = OrderKind::contact_order;
    k.customer = removed;
    k.subject = "Samtal";
    contact_order = reg.apply(staff, CreateOrder{k, std::nullopt, std::nullopt});
    reg.apply(staff, CloseOrder{contact_order});
    for (ActivityKind kind : {ActivityKind::note, ActivityKind::meeting, ActivityKind::task, ActivityKind::journal,
                              ActivityKind::file, ActivityKind::reminder}) {
      Activity a;
      a.kind = kind;
      a.customer = removed;
      if (kind == ActivityKind::note || kind == ActivityKind::journal) a.text = "Ringde om fakturan";
      if (kind == ActivityKind::meeting || kind == ActivityKind::task || kind == ActivityKind::reminder) {
        a.subject = "Uppföljning";
        a.at = at("2026-02-01T10:00:00Z");
      }
      if (kind == ActivityKind::file) a.file = FileInfo{0, "avtal.pdf", 10, std::string(64, 'a'), "application/pdf", {}, {}};
      activities.push_back(reg.apply(staff, CreateActivity{a}));
    }
    portal = reg.apply(staff, CreateCustomerUser{removed, only_removed, "orjan"});
    OrderQuery q;
    q.customer = removed;
    reg.apply(staff, SaveOrderFilter{OrderFilter{{}, "Söderströms ordrar", q}});
    clock->advance(std::chrono::hours(1));
  }

  // The entries of `record` that the last command made.
  std::vector<HistoryEntry> last_entries(RecordRef record) const {
    auto all = reg.history(admin, record);
    std::vector<HistoryEntry> out;
    for (const auto& e : all)
      if (e.change == all.back().change) out.push_back(e);
    return out;
  }
  static std::set<std::string> fields_of(const std::vector<HistoryEntry>& entries, Action action) {
    std::set<std::string> out;
    for (const auto& e : entries)
      if (e.action == action) out.insert(e.field);
    return out;
  }
  static std::size_t count(const std::vector<HistoryEntry>& entries, Action action, const std::string& field) {
    return static_cast<std::size_t>(std::count_if(entries.begin(), entries.end(), [&](const HistoryEntry& e) {
      return e.action == action && e.field == field;
    }));
  }
};

}  // namespace

TEST_CASE("a merge moves every reference to the kept customer and records it on both", "[duplicates][merge]") {
  Merge s;
  const auto counts = s.reg.counts();
  s.reg.apply(s.staff, MergeCustomers{s.keep, s.removed, {}});

  CHECK_FALSE(s.reg.find_customer(s.admin, s.removed));
  CHECK(s.reg.counts().customers == counts.customers - 1);
  CHECK(s.reg.counts().contacts == counts.contacts);
  CHECK(s.reg.counts().orders == counts.orders);
  CHECK(s.reg.counts().activities == counts.activities);

  // Contacts: the one linked to both keeps the kept customer's link.
  auto contacts = s.reg.contacts_of(s.admin, s.keep);
  REQUIRE(contacts.size() == 2);
  std::map<ContactId, ContactLink> links;
  for (const auto& c : contacts) links[c.contact.id] = c.link;
  CHECK(links[s.only_removed] == ContactLink{s.only_removed, s.keep, "Inköp", true, false});
  CHECK(links[s.both] == ContactLink{s.both, s.keep, "VD", true, true});
  CHECK(s.reg.links_of(s.admin, s.both).size() == 1);

  // Facilities, and through them their service objects.
  CHECK(s.reg.facility(s.admin, s.facility).customer == s.keep);
  REQUIRE(s.reg.facilities_of(s.admin, s.keep).size() == 1);
  CHECK(s.reg.service_objects_of(s.admin, s.facility).at(0).id == s.service_object);

  // Orders, open and closed.
  CHECK(s.reg.order(s.admin, s.work_order).customer == s.keep);
  CHECK(s.reg.order(s.admin, s.contact_order).customer == s.keep);
  CHECK(s.reg.order(s.admin, s.contact_order).closed);
  OrderQuery orders;
  orders.customer = s.keep;
  CHECK(s.reg.search_orders(s.admin, orders).total == 2);

  // Every kind of activity.
  ActivityQuery q;
  q.customer = s.keep;
  auto moved = s.reg.search_activities(s.admin, q);
  CHECK(moved.total == s.activities.size());
  for (ActivityId a : s.activities) CHECK(s.reg.activity(s.admin, a).customer == s.keep);

  // Customer users, employees, the technician, custom values, saved filters.
  CHECK(s.reg.user(s.admin, s.portal).customer == s.keep);
  CHECK(s.reg.find_customer(s.portal, s.keep));
  const Customer kept = s.reg.customer(s.admin, s.keep);
  CHECK(kept.employees == std::vector<UserId>{s.staff, s.employee});
  CHECK(kept.assigned_technician == s.technician);
  CHECK(*kept.custom.find("zone") == Value("Nord"));  // the kept card lacked it
  CHECK(*kept.custom.find("tier") == Value("A"));     // the kept card's own
  CHECK(kept.email == "info@soderstrom.se");
  CHECK(kept.phone.empty());  // not taken: the kept card's value, even an empty one
  CHECK(kept.number == "100");
  CHECK(s.reg.order_filters(s.staff).at(0).query.customer == s.keep);
  auto note = s.reg.notifications(s.technician);
  REQUIRE_FALSE(note.empty());
  CHECK(note.back().kind == NotificationKind::assigned);
  CHECK(note.back().subject == ref(s.keep));

  // History of the kept customer: the merge, every moved reference, every changed field.
  auto kept_history = s.last_entries(ref(s.keep));
  for (const auto& e : kept_history) CHECK(e.source == Source::merge);
  CHECK(kept_history.front().action == Action::linked);
  CHECK(kept_history.front().field == "merged");
  CHECK(kept_history.front().new_value.find("number")->as<std::string>() == "200");
  CHECK(Merge::count(kept_history, Action::linked, "contacts") == 1);
  CHECK(Merge::count(kept_history, Action::linked, "facilities") == 1);
  CHECK(Merge::count(kept_history, Action::linked, "orders") == 2);
  CHECK(Merge::count(kept_history, Action::linked, "activities") == s.activities.size());
  CHECK(Merge::count(kept_history, Action::linked, "customer_users") == 1);
  CHECK(Merge::count(kept_history, Action::linked, "numbers") == 1);
  for (const auto& e : kept_history)
    if (e.action == Action::linked && e.field != "merged") CHECK(e.old_value == to_value(ref(s.removed)));
  CHECK(Merge::fields_of(kept_history, Action::changed) ==
        std::set<std::string>{"employees", "assigned_technician", "custom.zone"});

  // History of the removed customer: each reference leaving, then its deletion naming the kept one.
  auto removed_history = s.last_entries(ref(s.removed));
  for (const auto& e : removed_history) CHECK(e.source == Source::merge);
  CHECK(Merge::count(removed_history, Action::unlinked, "contacts") == 2);
  CHECK(Merge::count(removed_history, Action::unlinked, "activities") == s.activities.size());
  const HistoryEntry& last = removed_history.back();
  CHECK(last.action == Action::deleted);
  CHECK(last.field == "merged_into");
  CHECK(last.old_value.find("number")->as<std::string>() == "200");
  CHECK(last.new_value.find("id")->as<std::int64_t>() == static_cast<std::int64_t>(s.keep.value));

  // The moved records' own history.
  auto facility_history = s.last_entries(ref(s.facility));
  REQUIRE(facility_history.size() == 1);
  CHECK(facility_history[0].field == "customer");
  CHECK(s.last_entries(ref(s.work_order)).at(0).field == "customer");
  CHECK(s.last_entries(ref(s.activities[0])).at(0).field == "customer");
  CHECK(Merge::fields_of(s.last_entries(ref(s.only_removed)), Action::changed) == std::set<std::string>{"customers"});
  CHECK(Merge::fields_of(s.last_entries(ref(s.both)), Action::unlinked) == std::set<std::string>{"customers"});
  CHECK(Merge::fields_of(s.last_entries(ref(s.portal)), Action::changed) == std::set<std::string>{"customer"});
  CHECK(Merge::fields_of(s.last_entries(ref(s.staff)), Action::changed) == std::set<std::string>{"order_filters"});
}

TEST_CASE("a merge takes the fields it names from the removed customer, and refuses names it cannot take",
          "[duplicates][merge]") {
  Merge s;
  CHECK_INVALID(s, "take[0]", s.staff, MergeCustomers{s.keep, s.removed, {"nonsense"}});
  CHECK_INVALID(s, "take[1]", s.staff, MergeCustomers{s.keep, s.removed, {"email", "number"}});
  CHECK_INVALID(s, "take[0]", s.staff, MergeCustomers{s.keep, s.removed, {"employees"}});
  CHECK_INVALID(s, "take[0]", s.staff, MergeCustomers{s.keep, s.removed, {"custom"}});
  CHECK_INVALID(s, "take[0]", s.staff, MergeCustomers{s.keep, s.removed, {"custom.nothing"}});
  CHECK_INVALID(s, "take[0]", s.staff, MergeCustomers{s.keep, s.removed, {"created_at"}});

  s.reg.apply(s.staff, MergeCustomers{s.keep, s.removed, {"email", "phone", "invoice_address", "custom.tier"}});
  const Customer kept = s.reg.customer(s.admin, s.keep);
  CHECK(kept.email == "faktura@soderstrom.se");
  CHECK(kept.phone == "08-123 45 67");
  CHECK(kept.invoice_address.street == "Box 12");
  CHECK(*kept.custom.find("tier") == Value("B"));
  CHECK(kept.name == "Söderström & Co AB");  // not named: the kept card's
  auto changed = Merge::fields_of(s.last_entries(ref(s.keep)), Action::changed);
  CHECK(changed.count("email"));
  CHECK(changed.count("invoice_address.street"));
  CHECK(changed.count("custom.tier"));
}

TEST_CASE("the removed customer's number finds the kept one, across chained merges, saving and the journal",
          "[duplicates][merge][persistence]") {
  namespace fs = std::filesystem;
  auto dir = fs::temp_directory_path() / ("kartotek-merge-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto clock = std::make_shared<ManualClock>(at("2026-01-05T08:00:00Z"));
  OpenOptions o;
  o.durability = Durability::none;
  o.clock = clock;
  std::string state;
  UserId admin;
  CustomerId a, b, c;
  {
    Register reg = Register::open(dir, o);
    admin = reg.create_first_administrator("admin", "Ada Admin");
    auto add = [&](std::string number, std::string name) {
      Customer x;
      x.number = std::move(number);
      x.name = std::move(name);
      return reg.apply(admin, CreateCustomer{x});
    };
    a = add("K-1", "Ek AB");
    b = add("K-2", "Ek Aktiebolag");
    c = add("K-3", "EK");
    reg.apply(admin, MergeCustomers{b, a, {}});
    CHECK(reg.find_customer_by_number(admin, "k-1")->id == b);
    reg.apply(admin, MergeCustomers{c, b, {}});
    for (const char* number : {"K-1", " k-2 ", "K-3"}) {
      auto found = reg.find_customer_by_number(admin, number);
      REQUIRE(found);
      CHECK(found->id == c);
    }
    // The old numbers are never given to another customer.
    Customer fresh;
    fresh.number = "K-1";
    fresh.name = "Ny";
    CHECK_THROWS_AS(reg.apply(admin, CreateCustomer{fresh}), Conflict);
    std::ostringstream out;
    reg.write_state(out);
    state = out.str();
  }
  {
    // Reopened: the journal replays both merges to the same state.
    OpenOptions again = o;
    again.create = false;
    Register reg = Register::open(dir, again);
    CHECK(reg.open_report().replayed > 0);
    std::ostringstream out;
    reg.write_state(out);
    CHECK(out.str() == state);
    CHECK(reg.find_customer_by_number(admin, "K-1")->id == c);
    reg.compact();
  }
  {
    // And from a snapshot, in the format that holds the merged numbers.
    OpenOptions again = o;
    again.create = false;
    Register reg = Register::open(dir, again);
    CHECK(reg.open_report().replayed == 0);
    std::ostringstream out;
    reg.write_state(out);
    CHECK(out.str() == state);
    CHECK(reg.find_customer_by_number(admin, "K-2")->id == c);
    // In JSON too.
    Register copy = Register::import_json(reg.export_json(admin), clock);
    std::ostringstream json_state;
    copy.write_state(json_state);
    CHECK(json_state.str() == state);
    CHECK(reg.export_json(admin).find("\"merged_numbers\":[{\"number\":\"k-1\",\"customer\":3}") != std::string::npos);
  }
  fs::remove_all(dir);
}

TEST_CASE("the kept customer may take over a merged number, and a deleted one leaves its numbers retired",
          "[duplicates][merge]") {
  Scene s;
  auto keep = s.customer("1001", "Ek AB");
  auto removed = s.customer("17", "Ek Aktiebolag");
  auto other = s.customer("300", "Berg AB");
  s.reg.apply(s.staff, MergeCustomers{keep, removed, {}});
  // Another customer may not have it; the kept one may (the number accounting knows).
  Customer c = s.reg.customer(s.admin, other);
  c.number = "17";
  CHECK_REFUSED(s, Conflict, s.admin, UpdateCustomer{c});
  Customer k = s.reg.customer(s.admin, keep);
  k.number = "17";
  s.reg.apply(s.admin, UpdateCustomer{k});
  CHECK(s.reg.find_customer_by_number(s.admin, "17")->id == keep);
  CHECK_FALSE(s.reg.find_customer_by_number(s.admin, "1001"));
  // Deleted, the customer takes its numbers with it; none is handed out again.
  s.reg.apply(s.staff, DeleteCustomer{keep});
  CHECK_FALSE(s.reg.find_customer_by_number(s.admin, "17"));
  Customer fresh;
  fresh.number = "17";
  fresh.name = "Ny";
  CHECK_REFUSED(s, Conflict, s.staff, CreateCustomer{fresh});
}

TEST_CASE("merging needs the rights to edit and delete both customers, and a refusal changes nothing",
          "[duplicates][merge][rights]") {
  Merge s;
  UserId editor = s.reg.apply(
      s.admin, CreateUser{staff_user("redaktor", "Redaktör", {Right::customers_view, Right::customers_edit})});
  UserId deleter = s.reg.apply(
      s.admin, CreateUser{staff_user("raderare", "Raderare", {Right::customers_view, Right::customers_delete})});
  UserId assigned = s.reg.apply(
      s.admin, CreateUser{staff_user("tilldelad", "Tilldelad",
                                     {Right::customers_view_assigned, Right::customers_edit_assigned,
                                      Right::customers_delete})});
  s.reg.apply(s.admin, AssignTechnician{s.keep, assigned});
  CHECK_REFUSED(s, PermissionDenied, editor, MergeCustomers{s.keep, s.removed, {}});
  CHECK_REFUSED(s, PermissionDenied, deleter, MergeCustomers{s.keep, s.removed, {}});
  CHECK_REFUSED(s, NotFound, assigned, MergeCustomers{s.keep, s.removed, {}});  // he does not see the other
  CHECK_REFUSED(s, NotFound, assigned, MergeCustomers{s.removed, s.keep, {}});
  CHECK_REFUSED(s, NotFound, s.staff, MergeCustomers{s.keep, CustomerId{999}, {}});
  CHECK_INVALID(s, "remove", s.staff, MergeCustomers{s.keep, s.keep, {}});
  // Into a deactivated customer: reactivate it first (or keep the other).
  s.reg.apply(s.staff, DeactivateCustomer{s.keep});
  CHECK_INVALID(s, "keep", s.staff, MergeCustomers{s.keep, s.removed, {}});
  s.reg.apply(s.staff, ReactivateCustomer{s.keep});
  // A private person and a company are made one kind first.
  Customer person = s.reg.customer(s.admin, s.removed);
  person.kind = CustomerKind::private_person;
  s.reg.apply(s.staff, UpdateCustomer{person});
  CHECK_INVALID(s, "remove", s.staff, MergeCustomers{s.keep, s.removed, {}});
}

TEST_CASE("a merge refused after references have moved leaves the register as it was", "[duplicates][merge]") {
  Merge s;
  // A field made required after both cards were saved: the merged card, like
  // any changed card, must hold it — found only once everything has moved.
  s.reg.apply(s.admin, DefineField{text_field(RecordKind::customer, "size")});
  FieldDefinition d;
  for (const auto& x : s.reg.field_definitions(s.admin, RecordKind::customer))
    if (x.key == "size") d = x;
  d.required = true;
  s.reg.apply(s.admin, UpdateFieldDefinition{d});
  CHECK_INVALID(s, "custom.size", s.staff, MergeCustomers{s.keep, s.removed, {}});
  // Once the removed card holds a value, the kept one takes it and the merge goes through.
  Customer r = s.reg.customer(s.admin, s.removed);
  r.custom.set("size", Value("stor"));
  s.reg.apply(s.admin, UpdateCustomer{r});
  s.reg.apply(s.staff, MergeCustomers{s.keep, s.removed, {}});
  CHECK(*s.reg.customer(s.admin, s.keep).custom.find("size") == Value("stor"));
}

// ---- merging contacts ----------------------------------------------------------------

TEST_CASE("a contact merge moves his links, orders, activities and customer users to the kept contact",
          "[duplicates][merge]") {
  Merge s;
  Contact p = s.reg.contact(s.admin, s.both);
  p.custom.set("shoe", Value("42"));
  s.reg.apply(s.staff, UpdateContact{p});
  Contact q;
  q.first_name = "Lena";
  q.last_name = "Eek";
  q.email = "lena.eek@example.se";
  q.mobile = "070-765 43 21";
  q.custom.set("shoe", Value("41"));
  ContactId twin = s.reg.apply(s.staff, CreateContact{q});
  auto other = s.customer("300", "Berg AB");
  s.reg.apply(s.staff, LinkContact{{twin, other, "Inköp", false, false}});
  s.reg.apply(s.staff, LinkContact{{twin, s.keep, "Kassör", false, false}});  // both are linked to keep
  s.reg.apply(s.admin, RestrictEmails{twin, true});
  Order w;
  w.kind = OrderKind::work_order;
  w.customer = other;
  w.contact = twin;
  OrderId order = s.reg.apply(s.staff, CreateOrder{w, std::nullopt, std::nullopt});
  std::vector<ActivityId> activities;
  for (ActivityKind kind : {ActivityKind::note, ActivityKind::meeting, ActivityKind::email, ActivityKind::file}) {
    Activity a;
    a.kind = kind;
    a.contact = twin;
    if (kind == ActivityKind::note) a.text = "Vill ha offert";
    if (kind == ActivityKind::meeting) a.subject = "Möte", a.at = at("2026-02-01T10:00:00Z");
    if (kind == ActivityKind::email) a.sender = "lena.eek@example.se", a.recipients = {"service@example.se"};
    if (kind == ActivityKind::file) a.file = FileInfo{0, "bild.png", 10, std::string(64, 'b'), "image/png", {}, {}};
    activities.push_back(s.reg.apply(s.admin, CreateActivity{a}));
  }
  UserId portal = s.reg.apply(s.staff, CreateCustomerUser{other, twin, "lena"});
  s.clock->advance(std::chrono::hours(1));

  // Rights first: the delete right, and sight of both.
  UserId editor = s.reg.apply(
      s.admin, CreateUser{staff_user("redaktor", "Redaktör", {Right::contacts_view, Right::contacts_edit})});
  CHECK_REFUSED(s, PermissionDenied, editor, MergeContacts{s.both, twin, {}});
  UserId blind = s.reg.apply(s.admin, CreateUser{staff_user("blind", "Blind", {Right::customers_view})});
  CHECK_REFUSED(s, NotFound, blind, MergeContacts{s.both, twin, {}});
  CHECK_INVALID(s, "remove", s.staff, MergeContacts{twin, twin, {}});
  CHECK_INVALID(s, "take[0]", s.staff, MergeContacts{s.both, twin, {"emails_restricted"}});
  CHECK_INVALID(s, "take[1]", s.staff, MergeContacts{s.both, twin, {"mobile", "custom.zone"}});

  s.reg.apply(s.staff, MergeContacts{s.both, twin, {"mobile"}});
  CHECK_FALSE(s.reg.find_contact(s.admin, twin));
  const Contact kept = s.reg.contact(s.admin, s.both);
  CHECK(kept.mobile == "070-765 43 21");
  CHECK(kept.email == "lena@example.se");
  CHECK(*kept.custom.find("shoe") == Value("42"));
  CHECK(kept.emails_restricted);  // restricted before, restricted still
  std::map<CustomerId, ContactLink> links;
  for (const auto& l : s.reg.links_of(s.admin, s.both)) links[l.customer] = l;
  CHECK(links.size() == 3);
  CHECK(links[other] == ContactLink{s.both, other, "Inköp", false, false});
  CHECK(links[s.keep].role == "VD");  // both were linked: the kept contact's link stays
  CHECK(s.reg.order(s.admin, order).contact == s.both);
  for (ActivityId a : activities) CHECK(s.reg.activity(s.admin, a).contact == s.both);
  CHECK(s.reg.user(s.admin, portal).contact == s.both);

  auto kept_history = s.last_entries(ref(s.both));
  CHECK(kept_history.front().field == "merged");
  CHECK(Merge::count(kept_history, Action::linked, "customers") == 1);
  CHECK(Merge::count(kept_history, Action::linked, "orders") == 1);
  CHECK(Merge::count(kept_history, Action::linked, "activities") == activities.size());
  CHECK(Merge::count(kept_history, Action::linked, "customer_users") == 1);
  CHECK(Merge::fields_of(kept_history, Action::changed) == std::set<std::string>{"mobile", "emails_restricted"});
  auto removed_history = s.last_entries(ref(twin));
  CHECK(removed_history.back().action == Action::deleted);
  CHECK(removed_history.back().field == "merged_into");
  for (const auto& e : removed_history) CHECK(e.source == Source::merge);
  CHECK(Merge::fields_of(s.last_entries(ref(other)), Action::changed) == std::set<std::string>{"contacts"});
  CHECK(Merge::fields_of(s.last_entries(ref(s.keep)), Action::unlinked) == std::set<std::string>{"contacts"});
}

TEST_CASE("a contact merge refused after links have moved leaves the register as it was", "[duplicates][merge]") {
  Merge s;
  s.reg.apply(s.admin, DefineField{text_field(RecordKind::contact, "badge")});
  FieldDefinition d;
  for (const auto& x : s.reg.field_definitions(s.admin, RecordKind::contact))
    if (x.key == "badge") d = x;
  d.required = true;
  s.reg.apply(s.admin, UpdateFieldDefinition{d});
  CHECK_INVALID(s, "custom.badge", s.staff, MergeContacts{s.both, s.only_removed, {}});
}
