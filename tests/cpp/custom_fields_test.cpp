// Custom fields: definitions (administrators only), values checked on every
// write, history per field, and definition changes that never lose a value.
// A refused command must leave the register byte for byte as it was.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <random>

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

TEST_CASE("a field's type changes when every stored value converts, and not at all otherwise", "[custom]") {
  Fields s;
  s.define(field_def(RecordKind::customer, "size", FieldType::text));
  s.reg.apply(s.staff, s.with("size", Value(" 12 ")));
  auto other = s.add_customer("101", "Berg AB");
  Customer o = s.reg.customer(s.staff, other);
  o.custom.set("size", Value("stor"));
  s.reg.apply(s.staff, UpdateCustomer{o});

  const auto& rev = s.definition(RecordKind::customer, "size").revision;
  // "stor" is no number: the report names it, the change is refused whole.
  auto report = s.reg.field_type_conversions(s.admin, RecordKind::customer, "size", FieldType::integer);
  REQUIRE(report.size() == 1);
  CHECK(report[0].record == other.value);
  CHECK(report[0].value == Value("stor"));
  CHECK(report[0].reason.find("not a number") != std::string::npos);
  CHECK_REFUSED(s, Conflict, s.admin, ChangeFieldType{RecordKind::customer, "size", FieldType::integer, {}, rev});
  try {
    s.reg.apply(s.admin, ChangeFieldType{RecordKind::customer, "size", FieldType::integer, {}, rev});
  } catch (const Conflict& e) {
    CHECK(std::string(e.what()).find("customer " + std::to_string(other.value)) != std::string::npos);
  }
  CHECK_REFUSED(s, PermissionDenied, s.staff, ChangeFieldType{RecordKind::customer, "size", FieldType::integer, {}, rev});
  CHECK_THROWS_AS(s.reg.field_type_conversions(s.staff, RecordKind::customer, "size", FieldType::integer), PermissionDenied);
  CHECK_REFUSED(s, Conflict, s.admin, ChangeFieldType{RecordKind::customer, "size", FieldType::integer, {}, rev + 7});
  CHECK_INVALID(s, "choices", s.admin, ChangeFieldType{RecordKind::customer, "size", FieldType::choice, {}, rev});

  // To a choice with both values among the choices: converts.
  CHECK(s.reg.field_type_conversions(s.admin, RecordKind::customer, "size", FieldType::choice, {"12", "stor"}).empty());
  o = s.reg.customer(s.staff, other);
  o.custom.set("size", Value("40"));
  s.reg.apply(s.staff, UpdateCustomer{o});
  s.reg.apply(s.admin, ChangeFieldType{RecordKind::customer, "size", FieldType::integer, {}, rev});
  CHECK(s.definition(RecordKind::customer, "size").type == FieldType::integer);
  CHECK(s.definition(RecordKind::customer, "size").revision == rev + 1);
  CHECK(s.value("size") == Value(std::int64_t{12}));
  // The conversion is in each record's history.
  bool recorded = false;
  for (const auto& e : s.reg.history(s.staff, ref(s.customer)))
    if (e.field == "custom.size" && e.old_value == Value("12") && e.new_value == Value(std::int64_t{12})) recorded = true;
  CHECK(recorded);
  // Numbers become text, decimals, and text again without loss.
  const auto rev2 = s.definition(RecordKind::customer, "size").revision;
  s.reg.apply(s.admin, ChangeFieldType{RecordKind::customer, "size", FieldType::decimal, {}, rev2});
  CHECK(s.value("size") == Value(12.0));
  s.reg.apply(s.admin, ChangeFieldType{RecordKind::customer, "size", FieldType::text, {}, rev2 + 1});
  CHECK(s.value("size") == Value("12"));
  // A choice becomes a multi-choice and back.
  s.define(field_def(RecordKind::customer, "zone", FieldType::choice, {"Nord", "Syd"}));
  s.reg.apply(s.staff, s.with("zone", Value("Syd")));
  s.reg.apply(s.admin, ChangeFieldType{RecordKind::customer, "zone", FieldType::multi_choice, {"Nord", "Syd"}, 1});
  CHECK(s.value("zone") == Value(Value::List{Value("Syd")}));
  s.reg.apply(s.admin, ChangeFieldType{RecordKind::customer, "zone", FieldType::choice, {"Nord", "Syd"}, 2});
  CHECK(s.value("zone") == Value("Syd"));
  // Text that is no date stops a change to date.
  s.define(field_def(RecordKind::customer, "since", FieldType::text));
  s.reg.apply(s.staff, s.with("since", Value("i fjol")));
  CHECK_REFUSED(s, Conflict, s.admin, ChangeFieldType{RecordKind::customer, "since", FieldType::date, {}, 1});
}

namespace {

// Three customers with custom values, for the search cases.
struct Searched : Fields {
  CustomerId b = add_customer("101", "Berg AB");
  CustomerId c = add_customer("102", "Cederlund AB");
  Searched() {
    auto note = field_def(RecordKind::customer, "note", FieldType::text);
    note.searchable = true;
    define(note);
    define(field_def(RecordKind::customer, "employees", FieldType::integer));
    define(field_def(RecordKind::customer, "signed", FieldType::date));
    define(field_def(RecordKind::customer, "zone", FieldType::choice, {"Syd", "Nord"}));
    define(field_def(RecordKind::customer, "services", FieldType::multi_choice, {"Kyla", "Värme"}));
    set(customer, {{"note", Value("Nyckel hos Öberg")}, {"employees", Value(std::int64_t{40})},
                   {"signed", Value("2025-03-01")}, {"zone", Value("Nord")},
                   {"services", Value(Value::List{Value("Kyla"), Value("Värme")})}});
    set(b, {{"note", Value("ring före")}, {"employees", Value(std::int64_t{5})}, {"signed", Value("2026-01-10")},
            {"zone", Value("Syd")}, {"services", Value(Value::List{Value("Värme")})}});
  }
  void set(CustomerId id, std::vector<std::pair<std::string, Value>> values) {
    Customer x = reg.customer(admin, id);
    for (auto& [k, v] : values) x.custom.set(k, v);
    reg.apply(admin, UpdateCustomer{x});
  }
  std::vector<std::string> numbers(CustomerQuery q) const {
    std::vector<std::string> out;
    for (const auto& x : reg.search_customers(staff, q).items) out.push_back(x.number);
    return out;
  }
  std::vector<std::string> filtered(std::vector<CustomFilter> filters) const {
    CustomerQuery q;
    q.custom = std::move(filters);
    q.sort = CustomerColumn::number;
    return numbers(q);
  }
};

using Numbers = std::vector<std::string>;

}  // namespace

TEST_CASE("searches filter by custom fields: equality, ranges and contained text", "[custom][search]") {
  Searched s;
  CHECK(s.filtered({{"zone", CustomMatch::equals, Value("nord")}}) == Numbers{"100"});  // case as search ignores it
  CHECK(s.filtered({{"services", CustomMatch::equals, Value("Värme")}}) == Numbers{"100", "101"});
  CHECK(s.filtered({{"services", CustomMatch::equals, Value("Kyla")}}) == Numbers{"100"});
  CHECK(s.filtered({{"zone", CustomMatch::equals, Value()}}) == Numbers{"102"});  // no value
  CHECK(s.filtered({{"employees", CustomMatch::at_least, Value(std::int64_t{5})}}) == Numbers{"100", "101"});
  CHECK(s.filtered({{"employees", CustomMatch::at_least, Value(5.5)}}) == Numbers{"100"});
  CHECK(s.filtered({{"employees", CustomMatch::at_least, Value(std::int64_t{5})},
                    {"employees", CustomMatch::at_most, Value(std::int64_t{10})}}) == Numbers{"101"});
  CHECK(s.filtered({{"signed", CustomMatch::at_most, Value("2025-12-31")}}) == Numbers{"100"});
  CHECK(s.filtered({{"signed", CustomMatch::at_least, Value("2025-03-01")}}) == Numbers{"100", "101"});
  CHECK(s.filtered({{"note", CustomMatch::contains, Value("OBERG")}}).size() <= 1);  // by the locale's folding
  CHECK(s.filtered({{"note", CustomMatch::contains, Value("öberg")}}) == Numbers{"100"});
  CHECK(s.filtered({{"employees", CustomMatch::equals, Value(std::int64_t{40})}}) == Numbers{"100"});

  // Filters that cannot mean anything are refused with the part at fault.
  auto refused = [&](std::vector<CustomFilter> f) {
    return kartotek::test::refusal_field([&] { s.filtered(std::move(f)); });
  };
  CHECK(refused({{"nothing", CustomMatch::equals, Value("x")}}) == "custom[0].key");
  CHECK(refused({{"employees", CustomMatch::contains, Value("4")}}) == "custom[0].match");
  CHECK(refused({{"note", CustomMatch::at_least, Value("a")}}) == "custom[0].match");
  CHECK(refused({{"employees", CustomMatch::at_least, Value("many")}}) == "custom[0].value");
  CHECK(refused({{"zone", CustomMatch::equals, Value("Väst")}}) == "custom[0].value");
  CHECK(refused({{"signed", CustomMatch::at_most, Value("2025-02-30")}}) == "custom[0].value");
  s.reg.apply(s.admin, RetireField{RecordKind::customer, "zone"});
  CHECK(refused({{"zone", CustomMatch::equals, Value("Nord")}}) == "custom[0].key");

  // The other lists filter the same way.
  s.define(field_def(RecordKind::contact, "badge", FieldType::integer));
  Contact p;
  p.last_name = "Ek";
  p.custom.set("badge", Value(std::int64_t{7}));
  s.reg.apply(s.staff, CreateContact{p});
  s.add_contact("Eva", "Al");
  ContactQuery cq;
  cq.custom = {{"badge", CustomMatch::at_least, Value(std::int64_t{1})}};
  auto contacts = s.reg.search_contacts(s.staff, cq);
  REQUIRE(contacts.total == 1);
  CHECK(contacts.items[0].last_name == "Ek");

  s.define(field_def(RecordKind::facility, "floor", FieldType::integer));
  for (std::int64_t floor : {3, 1}) {
    Facility f;
    f.customer = s.customer;
    f.name = "Plan " + std::to_string(floor);
    f.custom.set("floor", Value(floor));
    s.reg.apply(s.staff, CreateFacility{f});
  }
  FacilityQuery fq;
  fq.custom = {{"floor", CustomMatch::at_most, Value(std::int64_t{2})}};
  auto facilities = s.reg.search_facilities(s.staff, fq);
  REQUIRE(facilities.total == 1);
  CHECK(facilities.items[0].name == "Plan 1");

  s.define(field_def(RecordKind::order, "priority", FieldType::choice, {"hög", "låg"}));
  for (const char* p : {"låg", "hög"}) {
    Order o;
    o.kind = OrderKind::work_order;
    o.customer = s.customer;
    o.subject = p;
    o.custom.set("priority", Value(p));
    s.reg.apply(s.staff, CreateOrder{o, std::nullopt, std::nullopt});
  }
  OrderQuery oq;
  oq.custom = {{"priority", CustomMatch::equals, Value("HÖG")}};
  auto orders = s.reg.search_orders(s.staff, oq);
  REQUIRE(orders.total == 1);
  CHECK(orders.items[0].subject == "hög");
  oq.custom.clear();
  oq.custom_sort = "priority";
  orders = s.reg.search_orders(s.staff, oq);
  REQUIRE(orders.items.size() == 2);
  CHECK(orders.items[0].subject == "hög");  // in the choices' order
}

TEST_CASE("lists sort by a custom field, records without a value last either way", "[custom][search]") {
  Searched s;
  CustomerQuery q;
  q.custom_sort = "employees";
  CHECK(s.numbers(q) == Numbers{"101", "100", "102"});
  q.descending = true;
  CHECK(s.numbers(q) == Numbers{"100", "101", "102"});
  q.custom_sort = "zone";  // a choice sorts in the choices' order: Syd, Nord
  q.descending = false;
  CHECK(s.numbers(q) == Numbers{"101", "100", "102"});
  q.custom_sort = "note";  // text by the locale's collation
  CHECK(s.numbers(q) == Numbers{"100", "101", "102"});
  q.limit = 1;
  q.offset = 1;
  CHECK(s.numbers(q) == Numbers{"101"});
  CHECK(s.reg.search_customers(s.staff, q).total == 3);
  q.custom_sort = "nothing";
  CHECK(kartotek::test::refusal_field([&] { s.numbers(q); }) == "custom_sort");
}

TEST_CASE("searchable text fields are found by the customer search text", "[custom][search]") {
  Searched s;
  CustomerQuery q;
  q.text = "nyckel";
  CHECK(s.numbers(q) == Numbers{"100"});
  q.search_in = search_name;
  CHECK(s.numbers(q).empty());
  q.search_in = search_custom;
  CHECK(s.numbers(q) == Numbers{"100"});
  // A field that is not searchable is not searched.
  FieldDefinition note = s.definition(RecordKind::customer, "note");
  note.searchable = false;
  s.reg.apply(s.admin, UpdateFieldDefinition{note});
  CHECK(s.numbers(q).empty());
}

TEST_CASE("custom fields are CSV columns: exported, and imported with bad cells reported", "[custom][transfer]") {
  Searched s;
  const std::string csv = s.reg.export_customers(s.admin, CustomerQuery{}, ExportOptions{{}, ExportFormat::csv, {}});
  const std::string header = csv.substr(0, csv.find('\r'));
  CHECK(header.find(",custom.employees,custom.note,custom.services,custom.signed,custom.zone") != std::string::npos);
  CHECK(csv.find("Kyla|Värme") != std::string::npos);
  // Chosen columns may name custom fields.
  const std::string two =
      s.reg.export_customers(s.admin, CustomerQuery{}, ExportOptions{{"number", "custom.employees"}, ExportFormat::csv, {}});
  CHECK(two.substr(0, two.find('\r')) == "number,custom.employees");
  CHECK(two.find("101,5\r\n") != std::string::npos);
  CHECK_THROWS_AS(s.reg.export_customers(s.admin, CustomerQuery{}, ExportOptions{{"custom.nothing"}, ExportFormat::csv, {}}),
                  ValidationError);

  // Imported by "custom.<key>", by the key or by a label.
  ImportOptions options;
  options.upsert = true;
  const std::string file =
      "Kundnummer;Namn;Etikett employees;signed;custom.services;zone\n"
      "200;Dahl AB;12;2026-05-01;Kyla|Värme;Syd\n"
      "201;Ek AB;tolv;2026-05-01;;Syd\n"
      "202;Fors AB;3;2026-13-01;;\n"
      "203;Gran AB;3;;Kyla;Väst\n";
  const std::string before = s.state();
  ImportReport report = s.reg.import_csv(s.staff, file, options);
  CHECK_FALSE(report.applied);
  CHECK(s.state() == before);
  REQUIRE(report.problems.size() == 3);
  CHECK(report.problems[0].row == 3);
  CHECK(report.problems[0].column == "Etikett employees");
  CHECK(report.problems[0].value == "tolv");
  CHECK(report.problems[1].row == 4);
  CHECK(report.problems[1].column == "signed");
  CHECK(report.problems[2].row == 5);
  CHECK(report.problems[2].column == "zone");
  CHECK(report.problems[2].reason.find("choices") != std::string::npos);

  options.skip_bad_rows = true;
  report = s.reg.import_csv(s.staff, file, options);
  CHECK(report.applied);
  CHECK(report.created == 1);
  auto dahl = s.reg.find_customer_by_number(s.staff, "200");
  REQUIRE(dahl);
  CHECK(*dahl->custom.find("employees") == Value(std::int64_t{12}));
  CHECK(*dahl->custom.find("services") == Value(Value::List{Value("Kyla"), Value("Värme")}));
  CHECK(*dahl->custom.find("zone") == Value("Syd"));

  // What was exported reads back unchanged.
  const std::string again = s.reg.export_customers(s.admin, CustomerQuery{}, ExportOptions{{}, ExportFormat::excel, {}});
  ImportOptions upsert;
  upsert.upsert = true;
  report = s.reg.import_csv(s.admin, again, upsert);
  CHECK(report.problems.empty());
  CHECK(report.updated == 0);
}

TEST_CASE("a sales order takes its contact order's custom values", "[custom][orders]") {
  Fields s;
  s.define(field_def(RecordKind::order, "priority", FieldType::choice, {"hög", "låg"}));
  Order o;
  o.kind = OrderKind::contact_order;
  o.customer = s.customer;
  o.subject = "Offert";
  o.custom.set("priority", Value("hög"));
  auto id = s.reg.apply(s.staff, CreateOrder{o, std::nullopt, std::nullopt});
  auto sales = s.reg.apply(s.staff, ConvertToSalesOrder{id});
  CHECK(*s.reg.order(s.staff, sales).custom.find("priority") == Value("hög"));
}

namespace {

// The custom values of every customer, by customer id.
std::map<std::uint64_t, CustomFields> values_of(const Register& reg, UserId admin) {
  std::map<std::uint64_t, CustomFields> out;
  CustomerQuery every;
  every.limit = 1000;
  for (const auto& c : reg.search_customers(admin, every).items) out[c.id.value] = c.custom;
  return out;
}

// The keys holding a value, per customer: what no definition change may lose.
std::map<std::uint64_t, std::vector<std::string>> keys_of(const std::map<std::uint64_t, CustomFields>& values) {
  std::map<std::uint64_t, std::vector<std::string>> out;
  for (const auto& [id, custom] : values)
    for (const auto& m : custom.values()) out[id].push_back(m.key);
  return out;
}

}  // namespace

TEST_CASE("random definition changes and save and load keep every stored value", "[custom][property]") {
  const auto seed = GENERATE(range(1u, 13u));
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  Fields s;
  std::vector<CustomerId> customers{s.customer, s.add_customer("101", "Berg AB"), s.add_customer("102", "Dahl AB")};
  const std::vector<std::string> words{"Nord", "Syd", "Öst", "12", "7.5", "true", "2026-05-01", "x@y.se"};
  std::vector<std::string> keys;

  auto random_value = [&](const FieldDefinition& d) -> Value {
    switch (d.type) {
      case FieldType::integer: return Value(static_cast<std::int64_t>(pick(100)));
      case FieldType::decimal: return Value(static_cast<double>(pick(1000)) / 4);
      case FieldType::boolean: return Value(pick(2) == 1);
      case FieldType::date: return Value("2026-0" + std::to_string(1 + pick(9)) + "-1" + std::to_string(pick(10)));
      case FieldType::choice: return Value(d.choices[pick(d.choices.size())]);
      case FieldType::multi_choice: return Value(Value::List{Value(d.choices[pick(d.choices.size())])});
      default: return Value(words[pick(words.size())]);
    }
  };

  for (int step = 0; step < 40; ++step) {
    const auto before = values_of(s.reg, s.admin);
    bool definition_change = true;
    switch (pick(keys.empty() ? 1 : 7)) {
      case 0: {  // define
        static const FieldType types[] = {FieldType::text, FieldType::integer, FieldType::decimal, FieldType::date,
                                          FieldType::boolean, FieldType::choice, FieldType::multi_choice};
        FieldType type = types[pick(std::size(types))];
        std::vector<std::string> choices;
        if (type == FieldType::choice || type == FieldType::multi_choice) choices = {"Nord", "Syd"};
        std::string key = "f" + std::to_string(keys.size());
        s.define(field_def(RecordKind::customer, key, type, choices));
        keys.push_back(key);
        break;
      }
      case 1: {  // relabel, reorder, add a choice
        FieldDefinition d = s.definition(RecordKind::customer, keys[pick(keys.size())]);
        d.labels = {{"sv", "Ny etikett " + std::to_string(step)}};
        d.display_order = static_cast<std::int32_t>(pick(10));
        if (!d.choices.empty() && std::find(d.choices.begin(), d.choices.end(), "Öst") == d.choices.end())
          d.choices.push_back("Öst");
        s.reg.apply(s.admin, UpdateFieldDefinition{d});
        break;
      }
      case 2: s.reg.apply(s.admin, RetireField{RecordKind::customer, keys[pick(keys.size())]}); break;
      case 3: s.reg.apply(s.admin, RestoreField{RecordKind::customer, keys[pick(keys.size())]}); break;
      case 4: {  // change the type: converts every value, or changes nothing
        FieldDefinition d = s.definition(RecordKind::customer, keys[pick(keys.size())]);
        static const FieldType types[] = {FieldType::text, FieldType::integer, FieldType::decimal,
                                          FieldType::choice, FieldType::multi_choice};
        FieldType type = types[pick(std::size(types))];
        std::vector<std::string> choices;
        if (type == FieldType::choice || type == FieldType::multi_choice) choices = {"Nord", "Syd", "Öst", "12"};
        const std::string state = s.state();
        const auto refusals = s.reg.field_type_conversions(s.admin, RecordKind::customer, d.key, type, choices);
        try {
          s.reg.apply(s.admin, ChangeFieldType{RecordKind::customer, d.key, type, choices, d.revision});
          CHECK(refusals.empty());
        } catch (const Conflict&) {
          CHECK_FALSE(refusals.empty());
          CHECK(s.state() == state);
        }
        break;
      }
      default: {  // write a value to a field in use
        definition_change = false;
        FieldDefinition d = s.definition(RecordKind::customer, keys[pick(keys.size())]);
        if (d.retired) break;
        Customer c = s.reg.customer(s.admin, customers[pick(customers.size())]);
        c.custom.set(d.key, random_value(d));
        s.reg.apply(s.admin, UpdateCustomer{c});
        break;
      }
    }
    if (definition_change) CHECK(keys_of(values_of(s.reg, s.admin)) == keys_of(before));  // nothing lost
  }

  const auto kept = values_of(s.reg, s.admin);
  const std::string state = s.state();
  auto dir = std::filesystem::temp_directory_path() /
             ("kartotek-custom-prop-" + std::to_string(::getpid()) + "-" + std::to_string(seed));
  std::filesystem::remove_all(dir);
  s.reg.save_as(dir);
  {
    Register loaded = Register::open(dir, OpenOptions{});
    CHECK(values_of(loaded, s.admin) == kept);
    std::ostringstream again;
    loaded.write_state(again);
    CHECK(again.str() == state);
  }
  std::filesystem::remove_all(dir);
  Register copy = Register::import_json(s.reg.export_json(s.admin));
  CHECK(values_of(copy, s.admin) == kept);
}

TEST_CASE("the conversion report refuses what the type change would refuse", "[custom]") {
  Fields s;
  s.define(field_def(RecordKind::facility, "floors", FieldType::text));
  CHECK(kartotek::test::refusal_field([&] {
          s.reg.field_type_conversions(s.admin, RecordKind::facility, "floors", FieldType::integer, {"a"});
        }) == "choices");
  CHECK(kartotek::test::refusal_field([&] {
          s.reg.field_type_conversions(s.admin, RecordKind::facility, "floors", FieldType::choice, {});
        }) == "choices");
  Facility f;
  f.customer = s.customer;
  f.name = "Huset";
  f.custom.set("rooms", Value("3"));
  try {
    s.reg.apply(s.staff, CreateFacility{f});
    FAIL("accepted an unknown field");
  } catch (const ValidationError& e) {
    CHECK(std::string(e.what()).find("no such custom field of facilities") != std::string::npos);
  }
}
