// Custom fields: definitions (administrators only), values checked on every
// write, history per field, and definition changes that never lose a value.
// A refused command must leave the register byte for byte as it was.
#include <catch2/catch.hpp>

#include <filesystem>

#include <unistd.h>

#include "test_support.hpp"

using namespace kartotek;
using kartotek::test::at;
using kartotek::test::staff_user;

namespace {

FieldDefinition field_def(RecordKind kind, std::string key, FieldType type, std::vector<std::string> choices = {}) {
  FieldDefinition d;
  d.kind = kind;
  d.key = std::move(key);
  d.labels = {{"sv", "Etikett " + d.key}, {"en", "Label " + d.key}};
  d.type = type;
  d.choices = std::move(choices);
  return d;
}

struct Fields : kartotek::test::Fixture {
  CustomerId customer = add_customer("100", "Åberg AB");

  void define(FieldDefinition d) { reg.apply(admin, DefineField{std::move(d)}); }
  FieldDefinition definition(RecordKind kind, const std::string& key) const {
    for (const auto& d : reg.field_definitions(admin, kind, true))
      if (d.key == key) return d;
    FAIL("no field " << key);
    throw std::logic_error("unreachable");
  }
  // Sets `key` on the customer to `value` as `actor`.
  UpdateCustomer with(const std::string& key, Value value) const {
    Customer c = reg.customer(admin, customer);
    c.custom.set(key, std::move(value));
    return UpdateCustomer{c};
  }
  Value value(const std::string& key) const {
    const Customer c = reg.customer(admin, customer);
    const Value* v = c.custom.find(key);
    return v ? *v : Value();
  }
};

}  // namespace

TEST_CASE("only an administrator defines custom fields, with a key, labels and choices that make sense",
          "[custom]") {
  Fields s;
  CHECK_REFUSED(s, PermissionDenied, s.staff, DefineField{field_def(RecordKind::customer, "size", FieldType::integer)});
  CHECK_INVALID(s, "key", s.admin, DefineField{field_def(RecordKind::customer, "Storlek", FieldType::integer)});
  CHECK_INVALID(s, "kind", s.admin, DefineField{field_def(RecordKind::user, "size", FieldType::integer)});
  auto unlabelled = field_def(RecordKind::customer, "size", FieldType::integer);
  unlabelled.labels.clear();
  CHECK_INVALID(s, "labels", s.admin, DefineField{unlabelled});
  CHECK_INVALID(s, "choices", s.admin, DefineField{field_def(RecordKind::customer, "zone", FieldType::choice)});
  CHECK_INVALID(s, "choices", s.admin, DefineField{field_def(RecordKind::customer, "n", FieldType::integer, {"a"})});
  CHECK_INVALID(s, "choices[1]", s.admin,
                DefineField{field_def(RecordKind::customer, "zone", FieldType::choice, {"Nord", "Nord"})});
  auto bad_default = field_def(RecordKind::customer, "size", FieldType::integer);
  bad_default.default_value = Value("stor");
  CHECK_INVALID(s, "default_value", s.admin, DefineField{bad_default});
  s.define(field_def(RecordKind::customer, "size", FieldType::integer));
  CHECK_REFUSED(s, Conflict, s.admin, DefineField{field_def(RecordKind::customer, "size", FieldType::text)});
  // The same key on another kind is another field.
  s.define(field_def(RecordKind::order, "size", FieldType::text));
  CHECK(s.reg.field_definitions(s.staff).size() == 2);
  CHECK(s.definition(RecordKind::customer, "size").revision == 1);
}

TEST_CASE("values are checked against their field's type on every write", "[custom]") {
  Fields s;
  s.define(field_def(RecordKind::customer, "employees", FieldType::integer));
  s.define(field_def(RecordKind::customer, "turnover", FieldType::decimal));
  s.define(field_def(RecordKind::customer, "contract_end", FieldType::date));
  s.define(field_def(RecordKind::customer, "vip", FieldType::boolean));
  s.define(field_def(RecordKind::customer, "zone", FieldType::choice, {"Nord", "Syd"}));
  s.define(field_def(RecordKind::customer, "services", FieldType::multi_choice, {"Kyla", "Värme", "Ventilation"}));
  s.define(field_def(RecordKind::customer, "invoice_email", FieldType::email));
  s.define(field_def(RecordKind::customer, "night_phone", FieldType::phone));
  s.define(field_def(RecordKind::customer, "portal", FieldType::url));
  s.define(field_def(RecordKind::customer, "note", FieldType::text));

  CHECK_INVALID(s, "custom.employees", s.staff, s.with("employees", Value("tolv")));
  CHECK_INVALID(s, "custom.turnover", s.staff, s.with("turnover", Value("mycket")));
  CHECK_INVALID(s, "custom.contract_end", s.staff, s.with("contract_end", Value("2026-02-30")));
  CHECK_INVALID(s, "custom.vip", s.staff, s.with("vip", Value("ja")));
  CHECK_INVALID(s, "custom.zone", s.staff, s.with("zone", Value("Väst")));
  CHECK_INVALID(s, "custom.services", s.staff, s.with("services", Value(Value::List{Value("Kyla"), Value("El")})));
  CHECK_INVALID(s, "custom.invoice_email", s.staff, s.with("invoice_email", Value("faktura")));
  CHECK_INVALID(s, "custom.night_phone", s.staff, s.with("night_phone", Value("ring mig")));
  CHECK_INVALID(s, "custom.portal", s.staff, s.with("portal", Value("ftp://example.se")));
  CHECK_INVALID(s, "custom.unknown", s.staff, s.with("unknown", Value("x")));

  Customer c = s.reg.customer(s.admin, s.customer);
  c.custom.set("employees", Value(std::int64_t{12}));
  c.custom.set("turnover", Value(std::int64_t{5}));  // a whole number is a decimal too
  c.custom.set("contract_end", Value("2027-06-30"));
  c.custom.set("vip", Value(true));
  c.custom.set("zone", Value(" Syd "));
  c.custom.set("services", Value(Value::List{Value("Ventilation"), Value("Kyla"), Value("Kyla")}));
  c.custom.set("invoice_email", Value("faktura@aberg.se"));
  c.custom.set("night_phone", Value("+46 31 12 34 56"));
  c.custom.set("portal", Value("https://aberg.se/portal"));
  c.custom.set("note", Value("  "));  // empty text is no value
  s.reg.apply(s.staff, UpdateCustomer{c});
  CHECK(s.value("employees") == Value(std::int64_t{12}));
  CHECK(s.value("turnover") == Value(5.0));
  CHECK(s.value("zone") == Value("Syd"));
  CHECK(s.value("services") == Value(Value::List{Value("Kyla"), Value("Ventilation")}));  // the choices' order
  CHECK(s.value("note").is_null());
}

TEST_CASE("required fields and defaults", "[custom]") {
  Fields s;
  auto region = field_def(RecordKind::customer, "region", FieldType::choice, {"Nord", "Syd"});
  region.required = true;
  region.default_value = Value("Syd");
  s.define(region);
  auto code = field_def(RecordKind::customer, "code", FieldType::text);
  code.required = true;
  s.define(code);
  Customer c;
  c.number = "200";
  c.name = "Ny AB";
  CHECK_INVALID(s, "custom.code", s.staff, CreateCustomer{c});
  c.custom.set("code", Value("X1"));
  auto id = s.reg.apply(s.staff, CreateCustomer{c});
  const Customer made = s.reg.customer(s.staff, id);
  REQUIRE(made.custom.find("region"));
  CHECK(*made.custom.find("region") == Value("Syd"));  // the default
  Customer cur = s.reg.customer(s.staff, id);
  cur.custom.erase("code");
  CHECK_INVALID(s, "custom.code", s.staff, UpdateCustomer{cur});
}

TEST_CASE("custom values are in history like any other field", "[custom][history]") {
  Fields s;
  s.define(field_def(RecordKind::customer, "employees", FieldType::integer));
  s.reg.apply(s.staff, s.with("employees", Value(std::int64_t{12})));
  s.reg.apply(s.staff, s.with("employees", Value(std::int64_t{14})));
  s.reg.apply(s.staff, s.with("employees", Value()));
  std::vector<HistoryEntry> changes;
  for (const auto& e : s.reg.history(s.staff, ref(s.customer)))
    if (e.field == "custom.employees") changes.push_back(e);
  REQUIRE(changes.size() == 3);
  CHECK(changes[0].old_value.is_null());
  CHECK(changes[0].new_value == Value(std::int64_t{12}));
  CHECK(changes[1].old_value == Value(std::int64_t{12}));
  CHECK(changes[1].new_value == Value(std::int64_t{14}));
  CHECK(changes[2].new_value.is_null());
}

TEST_CASE("changing definitions never loses a stored value", "[custom]") {
  Fields s;
  s.define(field_def(RecordKind::customer, "zone", FieldType::choice, {"Nord", "Syd"}));
  s.reg.apply(s.staff, s.with("zone", Value("Nord")));
  // Relabel, reorder, add a choice.
  FieldDefinition d = s.definition(RecordKind::customer, "zone");
  d.labels = {{"sv", "Distrikt"}};
  d.display_order = 5;
  d.choices = {"Syd", "Nord", "Mitt"};
  s.reg.apply(s.admin, UpdateFieldDefinition{d});
  CHECK(s.definition(RecordKind::customer, "zone").revision == 2);
  CHECK(s.value("zone") == Value("Nord"));
  // A choice a record holds stays.
  d = s.definition(RecordKind::customer, "zone");
  d.choices = {"Syd", "Mitt"};
  CHECK_REFUSED(s, Conflict, s.admin, UpdateFieldDefinition{d});
  d.choices = {"Syd", "Nord"};
  s.reg.apply(s.admin, UpdateFieldDefinition{d});  // "Mitt" was unused
  // The type does not change here.
  d = s.definition(RecordKind::customer, "zone");
  d.type = FieldType::text;
  CHECK_INVALID(s, "type", s.admin, UpdateFieldDefinition{d});
  // Retired: hidden, kept, frozen; restored: back.
  s.reg.apply(s.admin, RetireField{RecordKind::customer, "zone"});
  CHECK(s.reg.field_definitions(s.staff, RecordKind::customer).empty());
  CHECK(s.reg.field_definitions(s.staff, RecordKind::customer, true).size() == 1);
  CHECK(s.value("zone") == Value("Nord"));
  CHECK_INVALID(s, "custom.zone", s.staff, s.with("zone", Value("Syd")));
  Customer c = s.reg.customer(s.staff, s.customer);
  c.custom.erase("zone");  // an editor that does not show retired fields
  c.phone = "031-12 34 56";
  s.reg.apply(s.staff, UpdateCustomer{c});
  CHECK(s.value("zone") == Value("Nord"));
  s.reg.apply(s.admin, RestoreField{RecordKind::customer, "zone"});
  CHECK(s.reg.field_definitions(s.staff, RecordKind::customer).size() == 1);
  s.reg.apply(s.staff, s.with("zone", Value("Syd")));
  CHECK(s.value("zone") == Value("Syd"));
  CHECK_REFUSED(s, PermissionDenied, s.staff, RetireField{RecordKind::customer, "zone"});
  CHECK_REFUSED(s, NotFound, s.admin, RetireField{RecordKind::customer, "nothing"});
}

TEST_CASE("custom values on every kind of record, in JSON and across save and load", "[custom][persistence]") {
  Fields s;
  for (RecordKind kind : {RecordKind::customer, RecordKind::contact, RecordKind::facility, RecordKind::service_object,
                          RecordKind::order})
    s.define(field_def(kind, "tag", FieldType::text));
  s.reg.apply(s.staff, s.with("tag", Value("kund")));
  Contact p;
  p.last_name = "Ek";
  p.custom.set("tag", Value("kontakt"));
  s.reg.apply(s.staff, CreateContact{p});
  Facility f;
  f.customer = s.customer;
  f.name = "Lagret";
  f.custom.set("tag", Value("anläggning"));
  auto fac = s.reg.apply(s.staff, CreateFacility{f});
  ServiceObject so;
  so.facility = fac;
  so.identifier = "VP-1";
  so.custom.set("tag", Value("objekt"));
  s.reg.apply(s.staff, CreateServiceObject{so});
  Order o;
  o.kind = OrderKind::work_order;
  o.customer = s.customer;
  o.custom.set("tag", Value("order"));
  s.reg.apply(s.staff, CreateOrder{o, std::nullopt, std::nullopt});
  Order unknown = o;
  unknown.custom.set("other", Value("x"));
  CHECK_INVALID(s, "custom.other", s.staff, CreateOrder{unknown, std::nullopt, std::nullopt});

  const Value json = to_value(s.reg.customer(s.admin, s.customer));
  REQUIRE(json.find("custom"));
  CHECK(to_json(*json.find("custom")) == R"({"tag":"kund"})");
  Customer back;
  from_value(json, back, "");
  CHECK(back == s.reg.customer(s.admin, s.customer));

  const std::string before = s.state();
  Register copy = Register::import_json(s.reg.export_json(s.admin));
  std::ostringstream out;
  copy.write_state(out);
  CHECK(out.str() == before);
  auto dir = std::filesystem::temp_directory_path() / ("kartotek-custom-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  s.reg.save_as(dir);
  {
    Register loaded = Register::open(dir, OpenOptions{});
    std::ostringstream again;
    loaded.write_state(again);
    CHECK(again.str() == before);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("customer users read no field definitions", "[custom][rights]") {
  Fields s;
  s.define(field_def(RecordKind::customer, "tag", FieldType::text));
  auto contact = s.add_contact("Ola", "Ek");
  s.reg.apply(s.staff, LinkContact{{contact, s.customer, "", false, false}});
  auto portal = s.reg.apply(s.staff, CreateCustomerUser{s.customer, contact, "portal"});
  CHECK(s.reg.field_definitions(portal).empty());
  CHECK(s.reg.field_definitions(s.staff).size() == 1);
}
