// The change history: who, when, which field, old and new value, source.
#include <catch2/catch.hpp>

#include <map>

#include "test_support.hpp"

using namespace kartotek;
using namespace std::chrono_literals;
using kartotek::test::at;
using kartotek::test::Fixture;

TEST_CASE("creation records the full record", "[history]") {
  Fixture f;
  Customer c;
  c.number = "1";
  c.name = "Hel AB";
  c.email = "hej@hel.se";
  auto id = f.reg.apply(f.staff, CreateCustomer{c}, Source::import);
  auto h = f.reg.history(f.staff, ref(id));
  REQUIRE(h.size() == 1);
  CHECK(h[0].action == Action::created);
  CHECK(h[0].actor == f.staff);
  CHECK(h[0].source == Source::import);
  CHECK(h[0].at == f.clock->now());
  CHECK(h[0].old_value.is_null());
  Customer stored;
  from_value(h[0].new_value, stored, "");
  CHECK(stored == f.reg.customer(f.staff, id));
}

TEST_CASE("each changed field is one entry with typed old and new values", "[history]") {
  Fixture f;
  auto id = f.add_customer("1", "Fält AB");
  f.clock->advance(1h);
  Customer c = f.reg.customer(f.staff, id);
  c.name = "Fält & Co AB";
  c.position = GeoPosition{63.8, 20.3};
  c.invoice_address.city = "Umeå";
  c.visiting_address = Address{"", "Storgatan 2", "", "Umeå", ""};
  f.reg.apply(f.admin, UpdateCustomer{c});
  auto h = f.reg.history(f.staff, ref(id));
  REQUIRE(h.size() == 5);
  std::map<std::string, HistoryEntry> by_field;
  for (std::size_t i = 1; i < h.size(); ++i) by_field[h[i].field] = h[i];
  CHECK(by_field.at("name").old_value == Value("Fält AB"));
  CHECK(by_field.at("name").new_value == Value("Fält & Co AB"));
  CHECK(by_field.at("invoice_address.city").new_value == Value("Umeå"));
  CHECK(by_field.at("position").old_value.is_null());
  CHECK(by_field.at("position").new_value.find("latitude")->as<double>() == 63.8);
  CHECK(by_field.at("visiting_address").new_value.find("street")->as<std::string>() == "Storgatan 2");
  for (std::size_t i = 1; i < h.size(); ++i) {
    CHECK(h[i].actor == f.admin);
    CHECK(h[i].at == at("2026-01-05T09:00:00Z"));
    CHECK(h[i].change == h[1].change);
  }
  // Revision moves once per command, and is not itself a history field.
  CHECK(f.reg.customer(f.staff, id).revision == 2);
}

TEST_CASE("history is filtered by time range", "[history]") {
  Fixture f;
  auto id = f.add_customer("1", "Tid AB");
  for (int day = 1; day <= 3; ++day) {
    f.clock->advance(24h);
    Customer c = f.reg.customer(f.staff, id);
    c.comments = "dag " + std::to_string(day);
    f.reg.apply(f.staff, UpdateCustomer{c});
  }
  TimeRange middle{at("2026-01-06T12:00:00Z"), at("2026-01-07T12:00:00Z")};
  auto h = f.reg.history(f.staff, ref(id), middle);
  REQUIRE(h.size() == 1);
  CHECK(h[0].new_value == Value("dag 2"));
  CHECK(f.reg.history(f.staff, ref(id), {at("2026-01-07T00:00:00Z"), {}}).size() == 2);
  CHECK(f.reg.history(f.staff, ref(id), {{}, at("2026-01-06T00:00:00Z")}).size() == 1);
  auto all_in_range = f.reg.history(f.staff, middle);
  REQUIRE(all_in_range.size() == 1);
  CHECK(all_in_range[0].record == ref(id));
}

TEST_CASE("history only grows: sequences increase and old entries never change", "[history]") {
  Fixture f;
  auto id = f.add_customer("1", "Logg AB");
  auto first = f.reg.history(f.staff, TimeRange{});
  Customer c = f.reg.customer(f.staff, id);
  c.phone = "1";
  f.reg.apply(f.staff, UpdateCustomer{c});
  f.reg.apply(f.staff, DeactivateCustomer{id});
  auto later = f.reg.history(f.staff, TimeRange{});
  REQUIRE(later.size() == first.size() + 2);
  for (std::size_t i = 0; i < first.size(); ++i) CHECK(later[i] == first[i]);
  for (std::size_t i = 1; i < later.size(); ++i) CHECK(later[i].sequence > later[i - 1].sequence);
}

TEST_CASE("history replays to the current record", "[history]") {
  Fixture f;
  auto id = f.add_customer("1", "Replay AB");
  Customer c = f.reg.customer(f.staff, id);
  c.email = "a@b.se";
  c.postal_address = Address{"c/o Ek", "Box 12", "111 11", "Stockholm", "SE"};
  f.reg.apply(f.staff, UpdateCustomer{c});
  c = f.reg.customer(f.staff, id);
  c.postal_address->city = "Solna";
  c.discount_letters = {};
  f.reg.apply(f.staff, UpdateCustomer{c});
  f.reg.apply(f.staff, AssignTechnician{id, f.staff});
  f.reg.apply(f.staff, DeactivateCustomer{id});

  // Start from the created record and apply each field change by path.
  auto h = f.reg.history(f.staff, ref(id));
  Value state = h.at(0).new_value;
  for (std::size_t i = 1; i < h.size(); ++i) {
    Value* target = &state;
    std::string path = h[i].field;
    for (std::size_t dot; (dot = path.find('.')) != std::string::npos; path = path.substr(dot + 1)) {
      auto& obj = target->as<Value::Object>();
      target = &std::find_if(obj.begin(), obj.end(), [&](const Member& m) { return m.key == path.substr(0, dot); })->value;
    }
    auto& obj = target->as<Value::Object>();
    auto it = std::find_if(obj.begin(), obj.end(), [&](const Member& m) { return m.key == path; });
    REQUIRE(it != obj.end());
    CHECK(it->value == h[i].old_value);
    it->value = h[i].new_value;
  }
  Customer replayed;
  from_value(state, replayed, "");
  Customer current = f.reg.customer(f.staff, id);
  replayed.revision = current.revision;  // revisions are counted, not recorded
  CHECK(replayed == current);
}

TEST_CASE("settings changes are in history", "[history][settings]") {
  Fixture f;
  Settings s = f.reg.settings(f.admin);
  s.number_max_length = 10;
  f.reg.apply(f.admin, UpdateSettings{s});
  auto h = f.reg.history(f.admin, RecordRef{RecordKind::settings, 1});
  REQUIRE(h.size() == 1);
  CHECK(h[0].field == "number_max_length");
  CHECK(h[0].old_value == Value(std::int64_t{20}));
  CHECK(h[0].new_value == Value(std::int64_t{10}));
}
