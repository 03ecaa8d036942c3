// Registers written by earlier format versions still open
// (tests/fixtures/format-N, made by tests/fixtures/make_fixture.cpp).
#include <catch2/catch.hpp>

#include <atomic>
#include <unistd.h>

#include "archive.hpp"  // kCurrentFormat
#include "test_support.hpp"

using namespace kartotek;
namespace fs = std::filesystem;

#ifndef KARTOTEK_FIXTURES
#error "KARTOTEK_FIXTURES must name tests/fixtures"
#endif

namespace {

// A scratch copy of tests/fixtures/format-<version> (opening rewrites it).
fs::path copy_fixture(int version) {
  std::string name = "format-" + std::to_string(version);
  fs::path dir = fs::temp_directory_path() / ("kartotek-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const char* file : {"snapshot", "journal"}) fs::copy_file(fs::path(KARTOTEK_FIXTURES) / name / file, dir / file);
  return dir;
}

}  // namespace

TEST_CASE("a format 1 register opens with every record", "[persistence][formats]") {
  fs::path dir = copy_fixture(1);
  {
    OpenOptions o;
    o.durability = Durability::none;
    Register reg = Register::open(dir, o);
    const auto& report = reg.open_report();
    CHECK(report.snapshot_format == 1);
    CHECK(report.replayed == 6);
    CHECK(report.cut_tail.empty());

    UserId admin{1};
    auto aberg = reg.find_customer_by_number(admin, "k0100");
    REQUIRE(aberg);
    CHECK(aberg->name == "Åberg & Söner Kyl AB");
    CHECK(aberg->visiting_address->street == "Hamngatan 2");
    CHECK(aberg->position->latitude == 57.7089);
    CHECK(aberg->discount_letters == std::vector<std::string>{"A"});
    CHECK(aberg->service_articles.at(0).article_number == "RESA");
    CHECK(aberg->assigned_technician == UserId{2});
    auto soren = reg.find_customer_by_number(admin, "K0101");
    REQUIRE(soren);
    CHECK(soren->kind == CustomerKind::private_person);
    CHECK_FALSE(soren->active);

    auto contacts = reg.contacts_of(admin, aberg->id);
    REQUIRE(contacts.size() == 1);
    CHECK(contacts[0].contact.last_name == "Söderström");
    CHECK(contacts[0].link.send_service_protocol);
    auto facilities = reg.facilities_of(admin, aberg->id);
    REQUIRE(facilities.size() == 1);
    CHECK(reg.service_objects_of(admin, facilities[0].id).at(0).type == "Värmepump");
    CHECK(reg.settings(admin).next_number == 102);
    // created, contact linked, facility linked, technician assigned
    CHECK(reg.history(admin, ref(aberg->id)).size() == 4);
    CHECK(reg.history(admin, ref(aberg->id)).front().at == parse_timestamp("2026-11-23T10:05:00Z"));
    CHECK(report.upgraded_from == (kCurrentFormat > 1 ? 1u : 0u));
    // Format 1 had no rights: its staff keep doing what they could.
    CHECK(reg.rights_of(admin, UserId{2}) == every_right());
    CHECK(reg.search_customers(UserId{2}, {}).total == 2);
  }
  {
    // Reopened: written in the current format now, with the same records.
    OpenOptions o;
    o.durability = Durability::none;
    Register reg = Register::open(dir, o);
    CHECK(reg.open_report().snapshot_format == kCurrentFormat);
    CHECK(reg.open_report().upgraded_from == 0);
    CHECK(reg.open_report().replayed == (kCurrentFormat > 1 ? 0u : 6u));
    auto aberg = reg.find_customer_by_number(UserId{1}, "K0100");
    REQUIRE(aberg);
    CHECK(aberg->assigned_technician == UserId{2});
  }
  fs::remove_all(dir);
}

TEST_CASE("a format 2 register opens with its groups, rights and customer users", "[persistence][formats]") {
  fs::path dir = copy_fixture(2);
  {
    OpenOptions o;
    o.durability = Durability::none;
    Register reg = Register::open(dir, o);
    const auto& report = reg.open_report();
    CHECK(report.snapshot_format == 2);
    CHECK(report.replayed == 6);
    CHECK(report.cut_tail.empty());

    UserId admin{1};
    auto groups = reg.user_groups(admin);
    REQUIRE(groups.size() == 2);
    CHECK(groups[0].name == "Tekniker");
    CHECK(groups[1].rights == std::vector<Right>{Right::customers_view, Right::customers_create});
    User tekla = reg.user(admin, UserId{2});
    CHECK(tekla.groups == std::vector<UserGroupId>{UserGroupId{1}});
    CHECK(reg.rights_of(admin, tekla.id) == std::vector<Right>{Right::customers_view_assigned,
                                                                Right::customers_edit_assigned,
                                                                Right::facilities_view_assigned,
                                                                Right::contacts_view});
    User portal = reg.user(admin, UserId{3});
    CHECK(portal.kind == UserKind::customer);
    CHECK(portal.customer == CustomerId{1});
    CHECK(portal.contact == ContactId{1});
    CHECK(portal.locked);
    // Tekla sees the customer assigned to her, with her change, and not the other.
    auto aberg = reg.find_customer_by_number(tekla.id, "K0100");
    REQUIRE(aberg);
    CHECK(aberg->phone == "031-12 34 56");
    CHECK_FALSE(reg.find_customer_by_number(tekla.id, "K0101"));
    CHECK(reg.find_customer_by_number(admin, "K0101"));
    CHECK(report.upgraded_from == (kCurrentFormat > 2 ? 2u : 0u));
  }
  fs::remove_all(dir);
}

TEST_CASE("a format 3 register opens with its notification outbox", "[persistence][formats]") {
  fs::path dir = copy_fixture(3);
  {
    OpenOptions o;
    o.durability = Durability::none;
    Register reg = Register::open(dir, o);
    CHECK(reg.open_report().snapshot_format == 3);
    CHECK(reg.open_report().replayed == 2);
    CHECK(reg.open_report().upgraded_from == (kCurrentFormat > 3 ? 3u : 0u));
    UserId admin{1};
    CHECK(reg.settings(admin).notification_channels == std::vector<Channel>{Channel::in_app, Channel::email});
    auto outbox = reg.outbox(admin);
    REQUIRE(outbox.size() == 1);  // the first was acknowledged
    CHECK(outbox[0].id == NotificationId{2});
    CHECK(outbox[0].kind == NotificationKind::unassigned);
    CHECK(outbox[0].channel == Channel::email);
    CHECK(outbox[0].text == "Du är inte längre tilldelad kunden #1");
  }
  fs::remove_all(dir);
}
