// Registers written by earlier format versions still open
// (tests/fixtures/format-N, made by tests/fixtures/make_fixture.cpp and make_fixture_N.cpp).
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <sstream>
#include <unistd.h>

#include "archive.hpp"  // kCurrentFormat
#include "register_impl.hpp"
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

TEST_CASE("a format 3 register opens with the order settings' defaults and no orders", "[persistence][formats]") {
  fs::path dir = copy_fixture(3);
  {
    OpenOptions o;
    o.durability = Durability::none;
    Register reg = Register::open(dir, o);
    UserId admin{1};
    Settings s = reg.settings(admin);
    CHECK(s.order_statuses == default_order_statuses());
    CHECK_FALSE(s.contact_orders_by_number);
    CHECK_FALSE(s.require_customer_order_number);
    CHECK(reg.counts().orders == 0);
    CHECK(reg.articles(admin).empty());
  }
  fs::remove_all(dir);
}

TEST_CASE("a format 4 register opens with its orders, articles and favourites", "[persistence][formats]") {
  fs::path dir = copy_fixture(4);
  {
    OpenOptions o;
    o.durability = Durability::none;
    Register reg = Register::open(dir, o);
    CHECK(reg.open_report().snapshot_format == 4);
    CHECK(reg.open_report().replayed == 7);
    CHECK(reg.open_report().upgraded_from == (kCurrentFormat > 4 ? 4u : 0u));
    UserId admin{1}, tekla{2};
    Settings s = reg.settings(admin);
    CHECK(s.contact_orders_by_number);
    REQUIRE(s.order_statuses.size() == 3);
    CHECK(s.order_statuses[0].statuses == std::vector<std::string>{"ny", "planerad", "pågår"});

    REQUIRE(reg.articles(admin).size() == 1);
    CHECK(reg.articles(admin)[0].price == 650);

    auto work = reg.find_order_by_number(admin, OrderKind::work_order, 1);
    REQUIRE(work);
    CHECK(work->subject == "Kylaggregat läcker");
    CHECK(work->status == "pågår");
    CHECK(work->assigned == std::vector<UserId>{tekla});
    REQUIRE(work->lines.size() == 2);
    CHECK(work->lines[0].description == "Resa");
    CHECK(work->lines[1].description == "Arbetstimme");
    CHECK(work->lines[1].hours == 2.5);
    CHECK(work->lines[1].date == parse_timestamp("2026-11-30T12:05:00Z"));
    REQUIRE(work->notes.size() == 1);
    CHECK(work->notes[0].text == "Kunden ringde kl. 11");
    CHECK(work->hours_spent() == 2.5);
    REQUIRE(work->files.size() == 1);
    CHECK(work->files[0].name == "foto.jpg");
    CHECK(work->closed);

    auto contact = reg.find_order_by_number(admin, OrderKind::contact_order, 1);
    auto sale = reg.find_order_by_number(admin, OrderKind::sales_order, 1);
    REQUIRE(contact);
    REQUIRE(sale);
    CHECK(contact->sales_order == sale->id);
    CHECK(sale->origin == contact->id);
    CHECK(reg.customer(admin, contact->customer).name == "Ørsted Fastigheter");
    REQUIRE(contact->bookings.size() == 1);
    CHECK(contact->bookings[0].user == tekla);

    auto filters = reg.order_filters(admin);
    REQUIRE(filters.size() == 1);
    CHECK(filters[0].name == "Mina öppna");
    CHECK(filters[0].query.closed == false);
    CHECK(reg.counts().orders == 3);
    // What format 5 added: defaults.
    CHECK(s.task_statuses == default_task_statuses());
    CHECK(reg.counts().activities == 0);
    CHECK(reg.customer(admin, work->customer).employees.empty());
  }
  fs::remove_all(dir);
}

TEST_CASE("a format 5 register opens with its CRM activities, restriction and employees", "[persistence][formats]") {
  fs::path dir = copy_fixture(5);
  {
    OpenOptions o;
    o.durability = Durability::none;
    Register reg = Register::open(dir, o);
    CHECK(reg.open_report().snapshot_format == 5);
    CHECK(reg.open_report().replayed == 8);
    CHECK(reg.open_report().upgraded_from == (kCurrentFormat > 5 ? 5u : 0u));
    UserId admin{1}, tekla{2};
    CHECK(reg.settings(admin).task_statuses == std::vector<std::string>{"ny", "pågår", "klar"});
    CHECK(reg.customer(admin, CustomerId{1}).employees == std::vector<UserId>{tekla});
    CHECK(reg.contact(admin, ContactId{1}).emails_restricted);
    CHECK(reg.counts().activities == 7);
    std::map<ActivityKind, Activity> by_kind;
    for (ActivityId id{1}; id.value <= 7; ++id.value) {
      Activity a = reg.activity(admin, id);
      by_kind[a.kind] = a;
    }
    REQUIRE(by_kind.size() == 7);
    CHECK(by_kind[ActivityKind::note].text == "Nyckel hos vaktmästaren.");
    CHECK(by_kind[ActivityKind::note].owner == tekla);
    CHECK(by_kind[ActivityKind::task].status == "pågår");
    CHECK(by_kind[ActivityKind::meeting].participants == std::vector<UserId>{tekla});
    CHECK(by_kind[ActivityKind::meeting].end == parse_timestamp("2026-12-02T11:00:00Z"));
    CHECK(by_kind[ActivityKind::email].recipients == std::vector<std::string>{"service@example.se"});
    CHECK(by_kind[ActivityKind::email].text == "Hej!\nDet läcker igen.");
    CHECK(by_kind[ActivityKind::journal].at == parse_timestamp("2026-11-29T00:00:00Z"));
    REQUIRE(by_kind[ActivityKind::file].file);
    CHECK(by_kind[ActivityKind::file].file->name == "avtal.pdf");
    CHECK(by_kind[ActivityKind::reminder].reminded);
    // The restriction holds after reopening: staff no longer read the e-mail.
    CHECK_FALSE(reg.find_activity(tekla, by_kind[ActivityKind::email].id));
    CHECK(reg.find_activity(tekla, by_kind[ActivityKind::journal].id));
  }
  fs::remove_all(dir);
}

TEST_CASE("a format 6 register opens with its custom fields and values", "[persistence][formats][custom]") {
  fs::path dir = copy_fixture(6);
  {
    OpenOptions o;
    o.durability = Durability::none;
    Register reg = Register::open(dir, o);
    CHECK(reg.open_report().snapshot_format == 6);
    CHECK(reg.open_report().replayed == 6);
    CHECK(reg.open_report().upgraded_from == (kCurrentFormat > 6 ? 6u : 0u));
    UserId admin{1};
    auto defs = reg.field_definitions(admin, std::nullopt, true);
    REQUIRE(defs.size() == 6);
    std::map<std::string, FieldDefinition> by_key;
    for (const auto& d : defs) by_key[d.key] = d;
    CHECK(by_key["zone"].choices == std::vector<std::string>{"Nord", "Syd"});
    CHECK(by_key["zone"].required);
    CHECK(by_key["zone"].searchable);
    CHECK(by_key["zone"].default_value == Value("Nord"));
    CHECK(by_key["zone"].labels == std::vector<FieldLabel>{{"sv", "Distrikt"}});
    CHECK(by_key["employees"].type == FieldType::integer);
    CHECK(by_key["employees"].revision == 2);
    CHECK(by_key["refrigerant"].retired);
    const Customer c = reg.customer(admin, CustomerId{1});
    CHECK(*c.custom.find("zone") == Value("Nord"));
    CHECK(*c.custom.find("employees") == Value(std::int64_t{40}));
    CHECK(*reg.contact(admin, ContactId{1}).custom.find("birthday") == Value("1980-02-29"));
    CHECK(*reg.facility(admin, FacilityId{1}).custom.find("floors") == Value(std::int64_t{4}));
    CHECK(*reg.service_object(admin, ServiceObjectId{1}).custom.find("refrigerant") == Value("R32"));
    const Order w = reg.order(admin, OrderId{1});
    CHECK(*w.custom.find("services") == Value(Value::List{Value("Kyla"), Value("Värme")}));
    auto filters = reg.order_filters(admin);
    REQUIRE(filters.size() == 1);
    CHECK(filters[0].query.custom == std::vector<CustomFilter>{{"services", CustomMatch::equals, Value("Kyla")}});
    CHECK(filters[0].query.custom_sort == "services");
    CHECK(reg.search_orders(admin, filters[0].query).total == 1);
  }
  fs::remove_all(dir);
}

TEST_CASE("a format 7 register opens with its merged customers and contacts", "[persistence][formats][duplicates]") {
  fs::path dir = copy_fixture(7);
  {
    OpenOptions o;
    o.durability = Durability::none;
    Register reg = Register::open(dir, o);
    CHECK(reg.open_report().snapshot_format == 7);
    CHECK(reg.open_report().replayed == 2);
    CHECK(reg.open_report().upgraded_from == (kCurrentFormat > 7 ? 7u : 0u));
    UserId admin{1};
    const CustomerId soderstrom{1}, twin{2}, lindqvist{3}, lindkvist{4};
    // The merged numbers, one from the snapshot and one from the journal, find the kept customers.
    auto by_merged = reg.find_customer_by_number(admin, "K0301");
    REQUIRE(by_merged);
    CHECK(by_merged->id == soderstrom);
    CHECK(by_merged->number == "K0300");
    CHECK(by_merged->phone == "031-12 34 56");  // taken from the merged card
    by_merged = reg.find_customer_by_number(admin, "k0303");
    REQUIRE(by_merged);
    CHECK(by_merged->id == lindqvist);
    CHECK(by_merged->email == "order@lindqvistbygg.se");
    CHECK(by_merged->phone == "08-123 45 67");
    CHECK_FALSE(reg.find_customer(admin, twin));
    CHECK_FALSE(reg.find_customer(admin, lindkvist));
    CHECK(reg.export_json(admin).find(R"("merged_numbers":[{"number":"k0301","customer":1},)"
                                      R"({"number":"k0303","customer":3}])") != std::string::npos);
    CHECK(reg.counts().customers == 2);
    CHECK(reg.counts().contacts == 1);
    CHECK(reg.facility(admin, FacilityId{1}).customer == soderstrom);

    // The contact merge: the kept contact has both links and the mobile it took.
    const Contact asa = reg.contact(admin, ContactId{1});
    CHECK(asa.mobile == "070-123 45 67");
    CHECK(asa.first_name == "Åsa");
    std::map<CustomerId, ContactLink> links;
    for (const auto& l : reg.links_of(admin, asa.id)) links[l.customer] = l;
    REQUIRE(links.size() == 2);
    CHECK(links[soderstrom] == ContactLink{asa.id, soderstrom, "Beställare", true, false});
    CHECK(links[lindqvist] == ContactLink{asa.id, lindqvist, "Kontaktperson på plats", false, true});
    CHECK_FALSE(reg.find_contact(admin, ContactId{2}));

    // The merges' history, with source merge.
    auto merged_entries = [&](RecordRef record) {
      std::vector<HistoryEntry> out;
      for (const auto& e : reg.history(admin, record))
        if (e.source == Source::merge) out.push_back(e);
      return out;
    };
    auto kept = merged_entries(ref(soderstrom));
    REQUIRE_FALSE(kept.empty());
    CHECK(kept.front().action == Action::linked);
    CHECK(kept.front().field == "merged");
    CHECK(kept.front().new_value.find("number")->as<std::string>() == "K0301");
    CHECK(kept.front().at == parse_timestamp("2026-11-30T19:00:00Z"));
    auto removed = merged_entries(ref(twin));
    REQUIRE_FALSE(removed.empty());
    CHECK(removed.back().action == Action::deleted);
    CHECK(removed.back().field == "merged_into");
    CHECK(removed.back().new_value.find("id")->as<std::int64_t>() == 1);
    auto replayed = merged_entries(ref(lindqvist));
    REQUIRE_FALSE(replayed.empty());
    CHECK(replayed.front().field == "merged");
    CHECK(replayed.front().at == parse_timestamp("2026-11-30T19:05:00Z"));
    auto contact_removed = merged_entries(ref(ContactId{2}));
    REQUIRE_FALSE(contact_removed.empty());
    CHECK(contact_removed.back().action == Action::deleted);
    CHECK(contact_removed.back().field == "merged_into");
    // The kept contact: its link re-pointed by the customer merge in the snapshot, then its own merge.
    std::vector<std::string> fields;
    for (const auto& e : merged_entries(ref(ContactId{1}))) fields.push_back(e.field);
    CHECK(fields == std::vector<std::string>{"customers", "merged", "customers", "mobile"});

    // A merged number stays retired: no new customer gets it.
    Customer fresh;
    fresh.number = "K0301";
    fresh.name = "Ny kund";
    CHECK_THROWS_AS(reg.apply(admin, CreateCustomer{fresh}), Conflict);
  }
  fs::remove_all(dir);
}

TEST_CASE("a format 8 register opens with its packed history value for value", "[persistence][formats][history]") {
  fs::path dir = copy_fixture(8);
  fs::path again = dir.string() + "-saved";
  {
    OpenOptions o;
    o.durability = Durability::none;
    Register reg = Register::open(dir, o);
    CHECK(reg.open_report().snapshot_format == 8);
    CHECK(reg.open_report().replayed == 1);
    CHECK(reg.open_report().upgraded_from == (kCurrentFormat > 8 ? 8u : 0u));
    UserId admin{1};
    const CustomerId akesson{1}, tillfallig{2};

    auto entries = reg.history(admin, ref(akesson));
    std::vector<std::string> fields;
    for (const auto& e : entries) fields.push_back(e.field);
    CHECK(fields == std::vector<std::string>{"", "phone", "custom.rabatt", "contacts", "custom.saldo"});
    REQUIRE(entries.size() == 5);
    const HistoryEntry& created = entries[0];
    CHECK(created.sequence == 6);
    CHECK(created.action == Action::created);
    CHECK(created.old_value.is_null());
    CHECK(created.new_value.find("name")->as<std::string>() == "Åkesson Värme & Kyl AB");
    const Value* custom = created.new_value.find("custom");
    REQUIRE(custom);
    CHECK(*custom->find("saldo") == Value(std::int64_t{-1250}));
    CHECK(*custom->find("rabatt") == Value(12.5));
    CHECK(*custom->find("avtal") == Value(true));
    CHECK(*custom->find("regioner") == Value(Value::List{Value("Nord"), Value("Väst")}));
    CHECK(created.new_value.find("visiting_address")->is_null());
    CHECK(entries[2].old_value == Value(12.5));
    CHECK(entries[2].new_value == Value(7.25));
    CHECK(entries[3].action == Action::linked);
    CHECK(entries[3].new_value.find("role")->as<std::string>() == "Beställare");
    CHECK(entries[3].new_value.find("send_service_protocol")->as<bool>());
    // The change in the journal, replayed after the packed snapshot history.
    CHECK(entries[4].sequence == 14);
    CHECK(entries[4].old_value == Value(std::int64_t{-1250}));
    CHECK(entries[4].new_value == Value(std::int64_t{300}));
    CHECK(entries[4].at == parse_timestamp("2026-12-01T08:05:00Z"));

    auto deleted = reg.history(admin, ref(tillfallig));
    REQUIRE(deleted.size() == 2);
    CHECK(deleted[1].action == Action::deleted);
    CHECK(deleted[1].old_value.find("name")->as<std::string>() == "Tillfällig Kund");
    auto contact = reg.history(admin, ref(ContactId{1}));
    REQUIRE_FALSE(contact.empty());
    CHECK(contact.front().new_value.find("last_name")->as<std::string>() == "Ærø");

    // Saved and opened again, the history reads the same, entry for entry.
    const auto all = reg.history(admin, TimeRange{});
    CHECK(all.size() == 14);
    const std::string json = reg.export_json(admin);
    fs::remove_all(again);
    reg.save_as(again);
    Register reopened = Register::open(again, o);
    CHECK(reopened.history(admin, TimeRange{}) == all);
    CHECK(reopened.export_json(admin) == json);
  }
  fs::remove_all(dir);
  fs::remove_all(again);
}

namespace {

// The state of fixture `version`, opened (and upgraded), in its binary form.
std::string payload_of_fixture(int version) {
  fs::path dir = copy_fixture(version);
  std::string payload;
  {
    OpenOptions o;
    o.durability = Durability::none;
    Register reg = Register::open(dir, o);
    std::ostringstream out;
    reg.write_state(out);
    payload = out.str();
  }
  fs::remove_all(dir);
  return payload;
}

}  // namespace

// Saving writes the records straight from the stores (persistence.cpp,
// StatePartsOf); the bytes must be those of the parts copied out first, the
// form every earlier snapshot was written in. The fixtures together hold
// every kind of record the state has.
TEST_CASE("a saved state is byte for byte the state copied out first", "[persistence][formats]") {
  for (int version = 1; version <= static_cast<int>(kCurrentFormat); ++version) {
    CAPTURE(version);
    const std::string payload = payload_of_fixture(version);
    auto impl = load_state(payload, std::make_shared<SystemClock>());
    CHECK(state_payload_by_copy(*impl) == payload);
    CHECK(state_payload(*impl) == payload);
  }
}

namespace {

// The state of fixture `version`, as parts.
StateParts parts_of_fixture(int version) {
  return state_parts(*load_state(payload_of_fixture(version), std::make_shared<SystemClock>()));
}

}  // namespace

// Loading checks every reference between records (persistence.cpp, IdSet):
// with a bitmap of the ids while they are dense, with the store's index when
// a counter runs far ahead of the records (as only a hostile file's does).
TEST_CASE("a state whose records name missing records is refused as Corrupt with dense ids or sparse",
          "[persistence][formats][faults]") {
  auto clock = std::make_shared<SystemClock>();
  constexpr std::uint64_t kFar = std::uint64_t{1} << 40;
  for (int version : {1, 4, 5}) {
    CAPTURE(version);
    const StateParts good = parts_of_fixture(version);
    REQUIRE_NOTHROW(assemble(good, clock));
    for (bool sparse : {false, true}) {
      CAPTURE(sparse);
      StateParts base = good;
      if (sparse) {
        base.counters.customer = base.counters.contact = base.counters.facility = kFar;
        base.counters.service_object = base.counters.order = kFar;
        REQUIRE_NOTHROW(assemble(base, clock));
      }
      const std::uint64_t missing = sparse ? kFar - 1 : 999;
      std::size_t tried = 0;
      auto refused = [&](auto change) {
        StateParts p = base;
        change(p);
        CHECK_THROWS_AS(assemble(std::move(p), clock), Corrupt);
        ++tried;
      };
      if (!base.facilities.empty()) refused([&](StateParts& p) { p.facilities.back().customer = CustomerId{missing}; });
      if (!base.service_objects.empty())
        refused([&](StateParts& p) { p.service_objects.back().facility = FacilityId{missing}; });
      if (!base.contact_links.empty()) {
        refused([&](StateParts& p) { p.contact_links.back().contact = ContactId{missing}; });
        refused([&](StateParts& p) { p.contact_links.back().customer = CustomerId{missing}; });
      }
      if (!base.orders.empty()) {
        refused([&](StateParts& p) { p.orders.back().customer = CustomerId{missing}; });
        refused([&](StateParts& p) { p.orders.back().facility = FacilityId{missing}; });
        refused([&](StateParts& p) { p.orders.back().service_object = ServiceObjectId{missing}; });
        refused([&](StateParts& p) { p.orders.back().contact = ContactId{missing}; });
        refused([&](StateParts& p) { p.orders.back().origin = OrderId{missing}; });
      }
      for (std::size_t i = 0; i < base.activities.size(); ++i)
        if (base.activities[i].customer) {
          refused([&](StateParts& p) { p.activities[i].customer = CustomerId{missing}; });
          break;
        }
      CHECK(tried >= 2);
    }
  }
}
