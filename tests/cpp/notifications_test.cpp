// Notifications: assignment and unassignment leave a message for the user
// concerned (never for the customer), in his language, naming only what he
// may see; they stay in the outbox until acknowledged, also across reopening.
#include <catch2/catch.hpp>

#include <unistd.h>

#include "test_support.hpp"

using namespace kartotek;
using kartotek::test::staff_user;

namespace {

struct Scene : kartotek::test::Fixture {
  UserId tina = reg.apply(admin, CreateUser{[] {
    User u = staff_user("tina", "Tina", {Right::customers_view_assigned});
    u.language = "da";
    u.email = "tina@firma.dk";
    return u;
  }()});
  UserId olle = reg.apply(admin, CreateUser{staff_user("olle", "Olle", {})});
  CustomerId aberg = add_customer("1001", "Åberg AB");
};

}  // namespace

TEST_CASE("assigning a technician notifies him, in his language, unassigning too", "[notifications]") {
  Scene s;
  s.reg.apply(s.admin, AssignTechnician{s.aberg, s.tina});
  auto mine = s.reg.notifications(s.tina);
  REQUIRE(mine.size() == 1);
  CHECK(mine[0].kind == NotificationKind::assigned);
  CHECK(mine[0].subject == ref(s.aberg));
  CHECK(mine[0].language == "da");
  CHECK(mine[0].text == "Du er blevet tildelt kunden 1001 Åberg AB");
  CHECK(mine[0].channel == Channel::in_app);  // e-mail is not allowed by the settings
  CHECK(mine[0].created_at == s.clock->now());

  // To Olle, who holds no right to see customers: his message names none.
  s.reg.apply(s.admin, AssignTechnician{s.aberg, s.olle});
  auto tina = s.reg.notifications(s.tina);
  REQUIRE(tina.size() == 2);
  CHECK(tina[1].kind == NotificationKind::unassigned);
  CHECK(tina[1].text == "Du er ikke længere tildelt kunden #1");  // she no longer sees it
  auto olle = s.reg.notifications(s.olle);
  REQUIRE(olle.size() == 1);
  CHECK(olle[0].text == "Du har tilldelats kunden #1");  // the register's language (sv)
  // Nobody else hears of it; assigning the same technician again says nothing.
  CHECK(s.reg.notifications(s.admin).empty());
  s.reg.apply(s.admin, AssignTechnician{s.aberg, s.olle});
  CHECK(s.reg.outbox(s.admin).size() == 3);
  CHECK_THROWS_AS(s.reg.outbox(s.tina), PermissionDenied);
}

TEST_CASE("the customer is never notified, and e-mail goes only where allowed and possible", "[notifications]") {
  Scene s;
  ContactId lena = s.add_contact("Lena", "Söderström", "lena@aberg.se");
  s.reg.apply(s.admin, LinkContact{{lena, s.aberg, "VD", true, true}});
  User portal;
  portal.login = "lena";
  portal.name = "Lena";
  portal.kind = UserKind::customer;
  portal.customer = s.aberg;
  portal.contact = lena;
  UserId customer_user = s.reg.apply(s.admin, CreateUser{portal});
  Settings settings = s.reg.settings(s.admin);
  settings.notification_channels = {Channel::email, Channel::in_app};
  s.reg.apply(s.admin, UpdateSettings{settings});
  s.reg.apply(s.admin, AssignTechnician{s.aberg, s.tina});
  s.reg.apply(s.admin, AssignTechnician{s.aberg, s.olle});
  for (const auto& n : s.reg.outbox(s.admin)) CHECK(n.recipient != customer_user);
  CHECK(s.reg.notifications(customer_user).empty());
  CHECK(s.reg.notifications(s.tina).at(0).channel == Channel::email);  // she has an address
  CHECK(s.reg.notifications(s.olle).at(0).channel == Channel::in_app);  // he has none

  settings = s.reg.settings(s.admin);
  settings.notification_channels = {Channel::email};
  CHECK_THROWS_WITH(s.reg.apply(s.admin, UpdateSettings{settings}), Catch::Contains("in_app"));
}

TEST_CASE("acknowledged notifications leave the outbox, others stay, also across reopening", "[notifications][persistence]") {
  auto dir = std::filesystem::temp_directory_path() / ("kartotek-notify-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  OpenOptions o;
  o.durability = Durability::none;
  NotificationId first, second;
  UserId tina;
  {
    Register reg = Register::open(dir, o);
    UserId admin = reg.create_first_administrator("admin", "Ada");
    tina = reg.apply(admin, CreateUser{staff_user("tina", "Tina", {})});
    Customer c;
    c.number = "1";
    c.name = "Ek AB";
    CustomerId ek = reg.apply(admin, CreateCustomer{c});
    reg.apply(admin, AssignTechnician{ek, tina});
    reg.apply(admin, AssignTechnician{ek, std::nullopt});
    auto mine = reg.notifications(tina);
    REQUIRE(mine.size() == 2);
    first = mine[0].id;
    second = mine[1].id;
    reg.apply(tina, AcknowledgeNotifications{{first}});
    reg.apply(tina, AcknowledgeNotifications{{first}});  // again: nothing happens
    CHECK_NOTHROW(reg.apply(admin, AcknowledgeNotifications{{NotificationId{99}}}));  // long gone: skipped
  }
  {
    Register reg = Register::open(dir, o);
    auto mine = reg.notifications(tina);
    REQUIRE(mine.size() == 1);
    CHECK(mine[0].id == second);
    CHECK(mine[0].kind == NotificationKind::unassigned);
    // Someone else's is not his to acknowledge.
    UserId olle = reg.apply(UserId{1}, CreateUser{staff_user("olle", "Olle", {})});
    std::ostringstream before;
    reg.write_state(before);
    CHECK_THROWS_AS(reg.apply(olle, AcknowledgeNotifications{{second}}), NotFound);
    std::ostringstream after;
    reg.write_state(after);
    CHECK(after.str() == before.str());
    reg.apply(UserId{1}, AcknowledgeNotifications{{second}});
    CHECK(reg.outbox(UserId{1}).empty());
  }
  std::filesystem::remove_all(dir);
}
