// Orders: every rule of docs/orders.md (and the order parts of
// docs/rights.md and the domain's "Orders" and "Customers"), each with a test
// that fails when the rule breaks. A refused command must leave the register
// byte for byte as it was (Fixture::state()).
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <set>

#include <unistd.h>

#include "test_support.hpp"

using namespace kartotek;
using namespace std::chrono_literals;
using kartotek::test::at;
using kartotek::test::refusal_field;
using kartotek::test::staff_user;

namespace {

// The view rights a staff user needs to see customers and their parts, so
// that tests of order rights do not depend on how customer rights combine.
const std::vector<Right> kSeeCustomers{Right::customers_view, Right::contacts_view, Right::facilities_view,
                                       Right::service_objects_view};

std::vector<Right> seeing_customers_and(std::vector<Right> extra) {
  std::vector<Right> out = kSeeCustomers;
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

CreateOrder create_order(Order order, std::optional<Customer> new_customer = std::nullopt,
                         std::optional<Facility> new_facility = std::nullopt) {
  CreateOrder cmd;
  cmd.order = std::move(order);
  cmd.new_customer = std::move(new_customer);
  cmd.new_facility = std::move(new_facility);
  return cmd;
}

OrderLine line(std::string article, std::string description = {}, double hours = 0, bool time_article = false) {
  OrderLine l;
  l.article_number = std::move(article);
  l.description = std::move(description);
  l.hours = hours;
  l.time_article = time_article;
  return l;
}

const OrderLine& line_with_id(const Order& o, std::uint32_t id) {
  for (const auto& l : o.lines)
    if (l.id == id) return l;
  FAIL("order " << o.id.value << " has no line " << id);
  throw std::logic_error("unreachable");
}

Booking booking(BookingKind kind, Timestamp when, UserId user, std::string text) {
  Booking b;
  b.kind = kind;
  b.when = when;
  b.user = user;
  b.text = std::move(text);
  return b;
}

FileInfo file_info(std::string name) {
  FileInfo f;
  f.name = std::move(name);
  f.size = 12345;
  f.sha256 = std::string(64, 'a');
  f.media_type = "application/pdf";
  return f;
}

std::vector<std::uint64_t> idv(const Page<Order>& page) {
  std::vector<std::uint64_t> out;
  for (const auto& o : page.items) out.push_back(o.id.value);
  return out;
}

std::set<std::uint64_t> id_set(const Page<Order>& page) {
  auto v = idv(page);
  return {v.begin(), v.end()};
}

std::vector<std::uint64_t> idv(std::initializer_list<OrderId> ids) {
  std::vector<std::uint64_t> out;
  for (auto id : ids) out.push_back(id.value);
  return out;
}

std::set<std::uint64_t> id_set(std::initializer_list<OrderId> ids) {
  std::set<std::uint64_t> out;
  for (auto id : ids) out.insert(id.value);
  return out;
}

bool has_entry(const std::vector<HistoryEntry>& h, std::string_view field, std::optional<Action> action = {}) {
  return std::any_of(h.begin(), h.end(), [&](const HistoryEntry& e) {
    return e.field == field && (!action || e.action == *action);
  });
}

// A register with two customers, each with a contact person, a facility and
// a service object; `staff` holds every right, `tina` is a technician with
// every right, `olle` a user without rights.
struct Scene : kartotek::test::Fixture {
  UserId tina = add_user("tina", every_right());
  UserId olle = add_user("olle", {});
  CustomerId aberg = add_customer("1001", "Åberg AB");
  CustomerId berg = add_customer("1002", "Berg AB");
  ContactId lena = add_contact("Lena", "Holm", "lena@aberg.se");
  ContactId per = add_contact("Per", "Ek", "per@berg.se");
  FacilityId aberg_site = add_facility(aberg, "Huvudkontoret");
  FacilityId berg_site = add_facility(berg, "Lagret");
  ServiceObjectId aberg_pump = add_service_object(aberg_site, "VP-1");
  ServiceObjectId berg_pump = add_service_object(berg_site, "VP-2");

  Scene() {
    reg.apply(staff, LinkContact{{lena, aberg, "VD", true, true}});
    reg.apply(staff, LinkContact{{per, berg, "Inköp", false, false}});
  }

  UserId add_user(std::string login, std::vector<Right> rights) {
    return reg.apply(admin, CreateUser{staff_user(login, login, std::move(rights))});
  }
  FacilityId add_facility(CustomerId customer, std::string name) {
    Facility f;
    f.customer = customer;
    f.name = std::move(name);
    return reg.apply(staff, CreateFacility{f});
  }
  ServiceObjectId add_service_object(FacilityId facility, std::string identifier) {
    ServiceObject s;
    s.facility = facility;
    s.identifier = std::move(identifier);
    return reg.apply(staff, CreateServiceObject{s});
  }
  void add_articles() {
    reg.apply(admin, CreateArticle{Article{{}, "TIM", "Arbetstid", "h", 650, true, {}, 0}});
    reg.apply(admin, CreateArticle{Article{{}, "RESA", "Resekostnad", "st", 350, false, {}, 0}});
  }

  static Order draft(OrderKind kind, CustomerId customer, std::string subject = "Service av värmepump") {
    Order o;
    o.kind = kind;
    o.customer = customer;
    o.subject = std::move(subject);
    return o;
  }
  OrderId create(UserId actor, Order o) { return reg.apply(actor, create_order(std::move(o))); }
  OrderId create(OrderKind kind, CustomerId customer, std::string subject = "Service av värmepump") {
    return create(staff, draft(kind, customer, std::move(subject)));
  }
  Order get(OrderId id) const { return reg.order(admin, id); }
  template <class F>
  void edit(UserId actor, OrderId id, F change) {
    Order o = get(id);
    change(o);
    reg.apply(actor, UpdateOrder{std::move(o)});
  }
  template <class F>
  void change_settings(F change) {
    Settings s = reg.settings(admin);
    change(s);
    reg.apply(admin, UpdateSettings{s});
  }
  std::vector<Notification> inbox(UserId user, NotificationKind kind) const {
    std::vector<Notification> out;
    for (auto& n : reg.notifications(user, 1000))
      if (n.kind == kind) out.push_back(n);
    return out;
  }
  Page<Order> list(UserId actor, OrderQuery q) const { return reg.search_orders(actor, q); }
};

void set_statuses(Settings& s, OrderKind kind, std::vector<std::string> statuses) {
  for (auto& os : s.order_statuses)
    if (os.kind == kind) {
      os.statuses = std::move(statuses);
      return;
    }
  s.order_statuses.push_back({kind, std::move(statuses)});
}

}  // namespace

// ---- the order record ------------------------------------------------------------

TEST_CASE("a new order gets its number, creator, time, revision 1 and is open", "[orders]") {
  Scene s;
  s.clock->advance(1h);
  OrderId id = s.create(OrderKind::work_order, s.aberg, "Byt filter");
  Order o = s.reg.order(s.staff, id);
  CHECK(o.id == id);
  CHECK(o.kind == OrderKind::work_order);
  CHECK(o.number == 1);
  CHECK(o.customer == s.aberg);
  CHECK(o.subject == "Byt filter");
  CHECK(o.created_by == s.staff);
  CHECK(o.created_at == at("2026-01-05T09:00:00Z"));
  CHECK(o.revision == 1);
  CHECK_FALSE(o.closed);
  CHECK_FALSE(o.closed_at);
  CHECK(s.reg.counts().orders == 1);
}

TEST_CASE("each kind has its own running number, never reused after a deletion", "[orders][numbers]") {
  Scene s;
  auto w1 = s.create(OrderKind::work_order, s.aberg);
  auto w2 = s.create(OrderKind::work_order, s.berg);
  auto so1 = s.create(OrderKind::service_order, s.aberg);
  auto e1 = s.create(OrderKind::error_report, s.aberg);
  auto q1 = s.create(OrderKind::quotation, s.aberg);
  auto c1 = s.create(OrderKind::contact_order, s.aberg, "Ny kund?");
  auto so2 = s.create(OrderKind::service_order, s.berg);
  CHECK(s.get(w1).number == 1);
  CHECK(s.get(w2).number == 2);
  CHECK(s.get(so1).number == 1);
  CHECK(s.get(so2).number == 2);
  CHECK(s.get(e1).number == 1);
  CHECK(s.get(q1).number == 1);
  CHECK(s.get(c1).number == 1);
  CHECK(s.reg.counts().orders == 7);

  // The highest work order is deleted: max()+1 would hand out 2 again.
  s.reg.apply(s.staff, DeleteOrder{w2});
  CHECK(s.reg.counts().orders == 6);
  auto w3 = s.create(OrderKind::work_order, s.aberg);
  CHECK(s.get(w3).number == 3);
  CHECK(w3.value > so2.value);  // ids are not reused either
  CHECK_FALSE(s.reg.find_order_by_number(s.staff, OrderKind::work_order, 2));
  REQUIRE(s.reg.find_order_by_number(s.staff, OrderKind::work_order, 3));
  CHECK(s.reg.find_order_by_number(s.staff, OrderKind::work_order, 3)->id == w3);
  CHECK(s.reg.find_order_by_number(s.staff, OrderKind::service_order, 1)->id == so1);
  CHECK(s.reg.find_order_by_number(s.staff, OrderKind::contact_order, 1)->id == c1);
  CHECK_FALSE(s.reg.find_order_by_number(s.staff, OrderKind::quotation, 2));
}

TEST_CASE("missing orders are NotFound", "[orders]") {
  Scene s;
  CHECK_FALSE(s.reg.find_order(s.staff, OrderId{42}));
  CHECK_THROWS_AS(s.reg.order(s.staff, OrderId{42}), NotFound);
  CHECK_REFUSED(s, NotFound, s.staff, AddOrderNote{OrderId{42}, "x"});
  CHECK_REFUSED(s, NotFound, s.staff, DeleteOrder{OrderId{42}});
  CHECK_REFUSED(s, NotFound, s.staff, CloseOrder{OrderId{42}});
}

TEST_CASE("an order needs a customer, who must be active, it never changes", "[orders][customer]") {
  Scene s;
  CHECK_INVALID(s, "customer", s.staff, create_order(Scene::draft(OrderKind::work_order, CustomerId{})));
  CHECK_REFUSED(s, NotFound, s.staff, create_order(Scene::draft(OrderKind::work_order, CustomerId{999})));

  auto before = s.create(OrderKind::work_order, s.berg, "Före avaktiveringen");
  s.reg.apply(s.staff, DeactivateCustomer{s.berg});
  CHECK_INVALID(s, "customer", s.staff, create_order(Scene::draft(OrderKind::work_order, s.berg)));
  CHECK_INVALID(s, "customer", s.staff, create_order(Scene::draft(OrderKind::contact_order, s.berg)));
  CHECK_THROWS_WITH(s.create(OrderKind::service_order, s.berg),
                    Catch::Contains("activ", Catch::CaseSensitive::No));  // says the customer is deactivated
  // His orders stay and can be traced.
  CHECK(s.reg.order(s.staff, before).customer == s.berg);
  OrderQuery q;
  q.customer = s.berg;
  CHECK(idv(s.list(s.staff, q)) == idv({before}));

  s.reg.apply(s.staff, ReactivateCustomer{s.berg});
  CHECK_NOTHROW(s.create(OrderKind::work_order, s.berg));

  // The customer of an order never changes.
  Order moved = s.get(before);
  moved.customer = s.aberg;
  CHECK_INVALID(s, "customer", s.staff, UpdateOrder{moved});
}

TEST_CASE("facility, service object and contact must belong to the order's customer", "[orders][validation]") {
  Scene s;
  auto with = [&](auto change) {
    Order o = Scene::draft(OrderKind::work_order, s.aberg);
    change(o);
    return create_order(o);
  };
  CHECK_INVALID(s, "facility", s.staff, with([&](Order& o) { o.facility = s.berg_site; }));
  CHECK_INVALID(s, "service_object", s.staff, with([&](Order& o) {
                  o.facility = s.aberg_site;
                  o.service_object = s.berg_pump;
                }));
  // A service object needs its facility.
  CHECK_REFUSED(s, ValidationError, s.staff, with([&](Order& o) { o.service_object = s.aberg_pump; }));
  CHECK_INVALID(s, "contact", s.staff, with([&](Order& o) { o.contact = s.per; }));
  ContactId unlinked = s.add_contact("Ingen", "Koppling", "ingen@x.se");
  CHECK_INVALID(s, "contact", s.staff, with([&](Order& o) { o.contact = unlinked; }));

  OrderId id = s.reg.apply(s.staff, with([&](Order& o) {
    o.facility = s.aberg_site;
    o.service_object = s.aberg_pump;
    o.contact = s.lena;
  }));
  Order got = s.get(id);
  CHECK(got.facility == s.aberg_site);
  CHECK(got.service_object == s.aberg_pump);
  CHECK(got.contact == s.lena);

  // The same rules hold for an update.
  Order o = s.get(id);
  o.facility = s.berg_site;
  o.service_object.reset();
  CHECK_INVALID(s, "facility", s.staff, UpdateOrder{o});
  o = s.get(id);
  o.service_object = s.berg_pump;
  CHECK_INVALID(s, "service_object", s.staff, UpdateOrder{o});
  o = s.get(id);
  o.facility.reset();
  CHECK_REFUSED(s, ValidationError, s.staff, UpdateOrder{o});  // service object left without its facility
  o = s.get(id);
  o.contact = s.per;
  CHECK_INVALID(s, "contact", s.staff, UpdateOrder{o});
  o = s.get(id);
  o.service_object.reset();
  o.facility.reset();
  o.contact.reset();
  s.reg.apply(s.staff, UpdateOrder{o});
  CHECK_FALSE(s.get(id).facility);
}

TEST_CASE("an update must carry the current revision, every change raises it", "[orders]") {
  Scene s;
  auto id = s.create(OrderKind::work_order, s.aberg);
  Order first = s.get(id);
  Order second = first;
  first.description = "Första";
  s.reg.apply(s.staff, UpdateOrder{first});
  CHECK(s.get(id).revision == 2);
  second.description = "Andra";
  CHECK_REFUSED(s, Conflict, s.staff, UpdateOrder{second});
  CHECK(s.get(id).description == "Första");
  s.reg.apply(s.staff, AddOrderNote{id, "anteckning"});
  CHECK(s.get(id).revision == 3);
  s.reg.apply(s.staff, AddTimeEntry{id, 1, "arbete"});
  CHECK(s.get(id).revision == 4);
  s.reg.apply(s.staff, AssignOrder{id, {s.tina}});
  CHECK(s.get(id).revision == 5);
  // An update that changes nothing leaves revision and history alone.
  auto history = s.reg.history(s.staff, ref(id)).size();
  s.reg.apply(s.staff, UpdateOrder{s.get(id)});
  CHECK(s.get(id).revision == 5);
  CHECK(s.reg.history(s.staff, ref(id)).size() == history);
}

TEST_CASE("order fields kept by the register cannot be changed by an update", "[orders][validation]") {
  Scene s;
  auto id = s.create(OrderKind::work_order, s.aberg);
  s.reg.apply(s.staff, AddOrderNote{id, "Första anteckningen"});
  s.reg.apply(s.staff, AddTimeEntry{id, 2, "Felsökning"});
  s.reg.apply(s.staff, AddOrderFile{id, file_info("bild.jpg")});
  auto refused = [&](const char* what, auto change) {
    INFO(what);
    Order o = s.get(id);
    change(o);
    CHECK_REFUSED(s, ValidationError, s.staff, UpdateOrder{o});
  };
  refused("kind", [](Order& o) { o.kind = OrderKind::quotation; });
  refused("number", [](Order& o) { o.number = 77; });
  refused("assigned", [&](Order& o) { o.assigned = {s.tina}; });
  refused("a note's text", [](Order& o) { o.notes[0].text = "Omskriven"; });
  refused("a note removed", [](Order& o) { o.notes.clear(); });
  refused("a note added", [&](Order& o) { o.notes.push_back({s.clock->now(), s.staff, "Smygtillägg"}); });
  refused("time entries", [](Order& o) { o.time_entries[0].hours = 20; });
  refused("files", [](Order& o) { o.files.clear(); });
  refused("closed", [&](Order& o) {
    o.closed = true;
    o.closed_at = s.clock->now();
  });
  refused("origin", [](Order& o) { o.origin = OrderId{1}; });
  refused("sales order", [](Order& o) { o.sales_order = OrderId{1}; });
  refused("created_by", [&](Order& o) { o.created_by = s.tina; });
  refused("created_at", [](Order& o) { o.created_at = at("2020-01-01"); });
}

// ---- statuses --------------------------------------------------------------------

TEST_CASE("a new register lists new and in_progress for every kind, a new order takes the first",
          "[orders][statuses]") {
  Scene s;
  CHECK(s.reg.settings(s.staff).order_statuses == default_order_statuses());
  for (OrderKind kind : {OrderKind::work_order, OrderKind::service_order, OrderKind::error_report,
                         OrderKind::quotation, OrderKind::contact_order}) {
    INFO(enum_name(kind));
    CHECK(s.get(s.create(kind, s.aberg)).status == "new");
    Order named = Scene::draft(kind, s.aberg);
    named.status = "in_progress";
    CHECK(s.get(s.create(s.staff, named)).status == "in_progress");
  }
}

TEST_CASE("statuses follow the kind's configured list", "[orders][statuses]") {
  Scene s;
  s.change_settings([](Settings& st) {
    set_statuses(st, OrderKind::work_order, {"mottagen", "planerad", "klar"});
    set_statuses(st, OrderKind::contact_order, {"lead", "offert", "vunnen"});
    st.order_statuses.erase(std::remove_if(st.order_statuses.begin(), st.order_statuses.end(),
                                           [](const OrderStatuses& os) { return os.kind == OrderKind::quotation; }),
                            st.order_statuses.end());
  });
  auto w = s.create(OrderKind::work_order, s.aberg);
  CHECK(s.get(w).status == "mottagen");
  CHECK(s.get(s.create(OrderKind::contact_order, s.aberg)).status == "lead");
  CHECK(s.get(s.create(OrderKind::service_order, s.aberg)).status == "new");
  // A kind not listed has no statuses: empty, and no other.
  CHECK(s.get(s.create(OrderKind::quotation, s.aberg)).status.empty());
  Order q = Scene::draft(OrderKind::quotation, s.aberg);
  q.status = "new";
  CHECK_INVALID(s, "status", s.staff, create_order(q));

  Order named = Scene::draft(OrderKind::work_order, s.aberg);
  named.status = "planerad";
  CHECK(s.get(s.create(s.staff, named)).status == "planerad");
  named.status = "offert";  // a contact order's status, not a work order's
  CHECK_INVALID(s, "status", s.staff, create_order(named));
  named.status = "new";  // no longer in the work order list
  CHECK_INVALID(s, "status", s.staff, create_order(named));

  s.edit(s.staff, w, [](Order& o) { o.status = "klar"; });
  CHECK(s.get(w).status == "klar");
  Order bad = s.get(w);
  bad.status = "okänd";
  CHECK_INVALID(s, "status", s.staff, UpdateOrder{bad});
  bad.status = "";
  CHECK_INVALID(s, "status", s.staff, UpdateOrder{bad});
}

TEST_CASE("a status still used by an order cannot be removed from its kind's list", "[orders][statuses][settings]") {
  Scene s;
  auto w = s.create(OrderKind::work_order, s.aberg);
  s.edit(s.staff, w, [](Order& o) { o.status = "in_progress"; });
  auto c = s.create(OrderKind::contact_order, s.aberg);  // "new"
  s.reg.apply(s.staff, CloseOrder{c});                    // closed orders count too

  auto refused_list = [&](OrderKind kind, std::vector<std::string> statuses) {
    Settings st = s.reg.settings(s.admin);
    set_statuses(st, kind, std::move(statuses));
    CHECK_REFUSED(s, Conflict, s.admin, UpdateSettings{st});
  };
  refused_list(OrderKind::work_order, {"new"});
  refused_list(OrderKind::contact_order, {"in_progress"});
  CHECK(s.reg.settings(s.admin).order_statuses == default_order_statuses());

  // Only the kind's own orders count: no work order is "new", no contact order "in_progress".
  s.change_settings([](Settings& st) {
    set_statuses(st, OrderKind::work_order, {"in_progress"});
    set_statuses(st, OrderKind::contact_order, {"new", "won"});
    set_statuses(st, OrderKind::service_order, {"planned"});
  });
  CHECK(s.get(w).status == "in_progress");
  // After the order moves on, its old status may go.
  s.change_settings([](Settings& st) { set_statuses(st, OrderKind::work_order, {"in_progress", "done"}); });
  s.edit(s.staff, w, [](Order& o) { o.status = "done"; });
  CHECK_NOTHROW(s.change_settings([](Settings& st) { set_statuses(st, OrderKind::work_order, {"done"}); }));
  // Once the order is deleted, its status is free.
  s.reg.apply(s.staff, DeleteOrder{w});
  CHECK_NOTHROW(s.change_settings([](Settings& st) { set_statuses(st, OrderKind::work_order, {"ny"}); }));
}

// ---- the customer's order number ------------------------------------------------------

TEST_CASE("require_customer_order_number: work, service, quotation and sales orders need it",
          "[orders][settings][validation]") {
  Scene s;
  CHECK_NOTHROW(s.create(OrderKind::work_order, s.aberg));  // off: not needed
  s.change_settings([](Settings& st) { st.require_customer_order_number = true; });
  for (OrderKind kind : {OrderKind::work_order, OrderKind::service_order, OrderKind::quotation}) {
    INFO(enum_name(kind));
    CHECK_INVALID(s, "customer_order_number", s.staff, create_order(Scene::draft(kind, s.aberg)));
    Order blank = Scene::draft(kind, s.aberg);
    blank.customer_order_number = "   ";
    CHECK_INVALID(s, "customer_order_number", s.staff, create_order(blank));
    Order given = Scene::draft(kind, s.aberg);
    given.customer_order_number = "PO-4711";
    auto id = s.create(s.staff, given);
    CHECK(s.get(id).customer_order_number == "PO-4711");
    // Nor can it be saved without it later.
    Order cleared = s.get(id);
    cleared.customer_order_number.clear();
    CHECK_INVALID(s, "customer_order_number", s.staff, UpdateOrder{cleared});
  }
  // Error reports and contact orders do without.
  CHECK_NOTHROW(s.create(OrderKind::error_report, s.aberg));
  auto contact_order = s.create(OrderKind::contact_order, s.aberg, "Intresserad");
  // A sales order cannot be saved without it: converting a contact order that lacks it is refused.
  CHECK_REFUSED(s, ValidationError, s.staff, ConvertToSalesOrder{contact_order});
  CHECK_FALSE(s.get(contact_order).closed);
  s.edit(s.staff, contact_order, [](Order& o) { o.customer_order_number = "PO-1"; });
  auto sales = s.reg.apply(s.staff, ConvertToSalesOrder{contact_order});
  CHECK(s.get(sales).customer_order_number == "PO-1");
}

// ---- article lines and the catalogue ----------------------------------------------------

TEST_CASE("the article catalogue: administrators keep it, numbers unique ignoring case", "[orders][articles]") {
  Scene s;
  Article tim{{}, "TIM", "Arbetstid", "h", 650, true, {}, 0};
  CHECK_REFUSED(s, PermissionDenied, s.staff, CreateArticle{tim});
  auto tim_id = s.reg.apply(s.admin, CreateArticle{tim});
  auto resa_id = s.reg.apply(s.admin, CreateArticle{Article{{}, "RESA", "Resekostnad", "st", 350, false, {}, 0}});
  Article dup{{}, "tim", "Dubblett", "h", 1, true, {}, 0};
  CHECK_REFUSED(s, Conflict, s.admin, CreateArticle{dup});

  auto all = s.reg.articles(s.staff);
  REQUIRE(all.size() == 2);
  CHECK(all[0].number == "RESA");  // by number
  CHECK(all[1].number == "TIM");
  CHECK(all[1].id == tim_id);
  CHECK(all[1].price == 650);
  CHECK(all[1].time_article);
  REQUIRE(s.reg.find_article_by_number(s.staff, "TIM"));
  CHECK(s.reg.find_article_by_number(s.staff, "TIM")->name == "Arbetstid");
  CHECK_FALSE(s.reg.find_article_by_number(s.staff, "NEJ"));

  Article changed = *s.reg.find_article_by_number(s.admin, "RESA");
  changed.price = 400;
  CHECK_REFUSED(s, PermissionDenied, s.staff, UpdateArticle{changed});
  s.reg.apply(s.admin, UpdateArticle{changed});
  CHECK(s.reg.find_article_by_number(s.staff, "RESA")->price == 400);
  changed = *s.reg.find_article_by_number(s.admin, "RESA");
  changed.number = "Tim";
  CHECK_REFUSED(s, Conflict, s.admin, UpdateArticle{changed});

  CHECK_REFUSED(s, PermissionDenied, s.staff, DeleteArticle{resa_id});
  s.reg.apply(s.admin, DeleteArticle{resa_id});
  CHECK_FALSE(s.reg.find_article_by_number(s.staff, "RESA"));
  CHECK(s.reg.articles(s.staff).size() == 1);
}

TEST_CASE("a line naming a catalogue article takes its name, unit and price where empty, and always its time flag",
          "[orders][articles][lines]") {
  Scene s;
  s.add_articles();
  Order o = Scene::draft(OrderKind::quotation, s.aberg);
  o.lines = {line("TIM"), line("RESA", "Resa Kiruna", 0, true), line("FRI", "Specialdel")};
  o.lines[1].unit = "km";
  o.lines[1].price = 12.5;
  o.lines[2].unit = "st";
  o.lines[2].price = 99;
  auto id = s.create(s.staff, o);
  Order got = s.get(id);
  REQUIRE(got.lines.size() == 3);
  const auto& tim = got.lines[0];
  CHECK(tim.article_number == "TIM");
  CHECK(tim.description == "Arbetstid");
  CHECK(tim.unit == "h");
  CHECK(tim.price == 650);
  CHECK(tim.time_article);  // although the line said no
  const auto& resa = got.lines[1];
  CHECK(resa.description == "Resa Kiruna");  // given: kept
  CHECK(resa.unit == "km");
  CHECK(resa.price == 12.5);
  CHECK_FALSE(resa.time_article);  // although the line said yes
  const auto& free = got.lines[2];  // not in the catalogue: a free line, as given
  CHECK(free.article_number == "FRI");
  CHECK(free.description == "Specialdel");
  CHECK(free.unit == "st");
  CHECK(free.price == 99);
  CHECK_FALSE(free.time_article);

  // A free line may also have no article number, only a description; not neither.
  Order text_only = Scene::draft(OrderKind::quotation, s.aberg);
  text_only.lines = {line("", "Framkörning enligt avtal")};
  CHECK(s.get(s.create(s.staff, text_only)).lines.at(0).description == "Framkörning enligt avtal");
  text_only.lines = {line("", "")};
  CHECK_REFUSED(s, ValidationError, s.staff, create_order(text_only));

  // Lines are numbered by the register.
  std::set<std::uint32_t> ids;
  for (const auto& l : got.lines) ids.insert(l.id);
  CHECK(ids.size() == 3);
  CHECK_FALSE(ids.count(0));
  CHECK(got.last_item >= *ids.rbegin());

  // On update too: a new line takes the catalogue's values.
  got.lines.push_back(line("RESA"));
  s.reg.apply(s.staff, UpdateOrder{got});
  Order after = s.get(id);
  REQUIRE(after.lines.size() == 4);
  CHECK(after.lines[3].description == "Resekostnad");
  CHECK(after.lines[3].price == 350);
  CHECK(after.lines[3].unit == "st");
  CHECK(after.lines[3].id > *ids.rbegin());
}

TEST_CASE("a new service or work order copies the customer's articles before the lines given",
          "[orders][articles][lines]") {
  Scene s;
  Customer c = s.reg.customer(s.staff, s.aberg);
  c.service_articles = {ArticleLine{"RESA", "Resa", 1, "st", false, 0}, ArticleLine{"TIM", "Arbetstid", 1, "h", true, 0}};
  c.work_order_articles = {ArticleLine{"FAKT", "Fakturaavgift", 1, "st", false, 0},
                           ArticleLine{"TIM", "Jour", 1, "h", true, 1.5}};
  s.reg.apply(s.staff, UpdateCustomer{c});
  s.clock->advance(2h);

  Order service = Scene::draft(OrderKind::service_order, s.aberg);
  service.lines = {line("FILTER", "Filter F7")};
  Order got = s.get(s.create(s.staff, service));
  REQUIRE(got.lines.size() == 3);
  CHECK(got.lines[0].article_number == "RESA");
  CHECK(got.lines[0].description == "Resa");
  CHECK(got.lines[1].article_number == "TIM");
  CHECK(got.lines[1].time_article);
  CHECK(got.lines[1].hours == 0);
  CHECK_FALSE(got.lines[1].date);  // a time line with 0 hours has no date
  CHECK(got.lines[2].article_number == "FILTER");
  std::set<std::uint32_t> ids{got.lines[0].id, got.lines[1].id, got.lines[2].id};
  CHECK(ids.size() == 3);
  CHECK_FALSE(ids.count(0));

  Order work = Scene::draft(OrderKind::work_order, s.aberg);
  work.lines = {line("FILTER", "Filter F7")};
  got = s.get(s.create(s.staff, work));
  REQUIRE(got.lines.size() == 3);
  CHECK(got.lines[0].article_number == "FAKT");
  CHECK(got.lines[1].description == "Jour");
  CHECK(got.lines[1].hours == 1.5);
  CHECK(got.lines[1].date == at("2026-01-05T10:00:00Z"));  // saved with hours: dated at once
  CHECK(got.lines[2].article_number == "FILTER");

  // Other kinds copy nothing.
  for (OrderKind kind : {OrderKind::quotation, OrderKind::error_report, OrderKind::contact_order}) {
    INFO(enum_name(kind));
    Order other = Scene::draft(kind, s.aberg);
    other.lines = {line("FILTER", "Filter F7")};
    got = s.get(s.create(s.staff, other));
    REQUIRE(got.lines.size() == 1);
    CHECK(got.lines[0].article_number == "FILTER");
  }
  // Another customer's orders get his articles (none).
  CHECK(s.get(s.create(OrderKind::service_order, s.berg)).lines.empty());
}

TEST_CASE("copied customer articles take the catalogue's defaults too", "[orders][articles][lines]") {
  Scene s;
  s.add_articles();
  Customer c = s.reg.customer(s.staff, s.aberg);
  c.work_order_articles = {ArticleLine{"RESA", "", 1, "", false, 0}};
  s.reg.apply(s.staff, UpdateCustomer{c});
  Order got = s.get(s.create(OrderKind::work_order, s.aberg));
  REQUIRE(got.lines.size() == 1);
  CHECK(got.lines[0].description == "Resekostnad");
  CHECK(got.lines[0].unit == "st");
  CHECK(got.lines[0].price == 350);
}

TEST_CASE("the time-article rule: dated when hours first leave 0, and again on every later change",
          "[orders][lines][time]") {
  Scene s;
  s.add_articles();
  const Timestamp t0 = s.clock->now();
  Order o = Scene::draft(OrderKind::work_order, s.aberg);
  o.lines = {line("TIM", "", 0, true), line("FRI", "Material"), line("TIM", "Resa dit", 2, true)};
  auto id = s.create(s.staff, o);
  Order got = s.get(id);
  REQUIRE(got.lines.size() == 3);
  const auto a = got.lines[0].id, b = got.lines[1].id, c = got.lines[2].id;
  CHECK_FALSE(line_with_id(got, a).date);          // 0 hours: no date
  CHECK_FALSE(line_with_id(got, b).date);          // not a time line
  CHECK(line_with_id(got, c).date == t0);          // saved with hours: dated at once

  // Hours first changed from 0: that day's date, the time of the change.
  s.clock->advance(1h);
  const Timestamp t1 = s.clock->now();
  s.edit(s.staff, id, [&](Order& x) {
    for (auto& l : x.lines)
      if (l.id == a) l.hours = 3;
  });
  got = s.get(id);
  CHECK(line_with_id(got, a).date == t1);
  CHECK(line_with_id(got, c).date == t0);  // unchanged line keeps its date
  CHECK_FALSE(line_with_id(got, b).date);

  // Another line changes: the time lines keep their dates.
  s.clock->advance(24h);
  s.edit(s.staff, id, [&](Order& x) {
    for (auto& l : x.lines)
      if (l.id == b) l.quantity = 2;
  });
  got = s.get(id);
  CHECK(line_with_id(got, b).quantity == 2);
  CHECK(line_with_id(got, a).date == t1);
  CHECK(line_with_id(got, c).date == t0);

  // Any later change of the line dates it again, hours or not.
  s.clock->advance(24h);
  const Timestamp t3 = s.clock->now();
  s.edit(s.staff, id, [&](Order& x) {
    for (auto& l : x.lines)
      if (l.id == a) l.description = "Felsökning";
  });
  got = s.get(id);
  CHECK(line_with_id(got, a).date == t3);
  CHECK(line_with_id(got, a).hours == 3);
  s.clock->advance(24h);
  const Timestamp t4 = s.clock->now();
  s.edit(s.staff, id, [&](Order& x) {
    for (auto& l : x.lines)
      if (l.id == a) l.hours = 4;
  });
  CHECK(line_with_id(s.get(id), a).date == t4);

  // A new time line with 0 hours stays undated while its hours stay 0.
  s.edit(s.staff, id, [&](Order& x) { x.lines.push_back(line("TIM", "Efterarbete", 0, true)); });
  got = s.get(id);
  REQUIRE(got.lines.size() == 4);
  const auto d = got.lines[3].id;
  CHECK(d > std::max({a, b, c}));
  CHECK_FALSE(line_with_id(got, d).date);
  s.clock->advance(1h);
  s.edit(s.staff, id, [&](Order& x) { x.lines[3].description = "Efterarbete, städning"; });
  CHECK_FALSE(line_with_id(s.get(id), d).date);
  // A new time line saved with hours in an update: dated at once.
  const Timestamp t6 = s.clock->now();
  s.edit(s.staff, id, [&](Order& x) { x.lines.push_back(line("TIM", "Jour", 1, true)); });
  got = s.get(id);
  REQUIRE(got.lines.size() == 5);
  CHECK(got.lines[4].date == t6);

  // A line left out is removed; the others keep their ids and dates.
  s.clock->advance(1h);
  s.edit(s.staff, id, [&](Order& x) {
    x.lines.erase(std::remove_if(x.lines.begin(), x.lines.end(), [&](const OrderLine& l) { return l.id == b; }),
                  x.lines.end());
  });
  got = s.get(id);
  CHECK(got.lines.size() == 4);
  CHECK(std::none_of(got.lines.begin(), got.lines.end(), [&](const OrderLine& l) { return l.id == b; }));
  CHECK(line_with_id(got, a).date == t4);
  CHECK(line_with_id(got, c).date == t0);
}

TEST_CASE("only a time line carries hours, and hours are never negative", "[orders][lines][time][validation]") {
  Scene s;
  s.add_articles();
  auto hours_field = [](const std::string& field) { return field.find("hours") != std::string::npos; };
  Order o = Scene::draft(OrderKind::work_order, s.aberg);
  o.lines = {line("FRI", "Material", 2, false)};
  CHECK(hours_field(refusal_field([&] { s.create(s.staff, o); })));
  o.lines = {line("RESA", "", 2, false)};  // a catalogue article that is not a time article
  CHECK(hours_field(refusal_field([&] { s.create(s.staff, o); })));
  o.lines = {line("TIM", "", -1, true)};
  CHECK(hours_field(refusal_field([&] { s.create(s.staff, o); })));
  CHECK(s.reg.counts().orders == 0);

  o.lines = {line("TIM", "", 1, true), line("FRI", "Material")};
  auto id = s.create(s.staff, o);
  Order bad = s.get(id);
  bad.lines[1].hours = 1;
  CHECK_REFUSED(s, ValidationError, s.staff, UpdateOrder{bad});
  bad = s.get(id);
  bad.lines[0].hours = -0.5;
  CHECK_REFUSED(s, ValidationError, s.staff, UpdateOrder{bad});
}

// ---- notes, time, files ------------------------------------------------------------

TEST_CASE("the notes log: entries with time and author, appended, never edited, also on closed orders",
          "[orders][notes]") {
  Scene s;
  auto id = s.create(OrderKind::contact_order, s.aberg, "Offertförfrågan");
  const Timestamp t0 = s.clock->now();
  s.reg.apply(s.staff, AddOrderNote{id, "Ringde kunden"});
  s.clock->advance(30min);
  s.reg.apply(s.tina, AddOrderNote{id, "Skickade offert"});
  Order o = s.get(id);
  REQUIRE(o.notes.size() == 2);
  CHECK(o.notes[0] == OrderNote{t0, s.staff, "Ringde kunden"});
  CHECK(o.notes[1] == OrderNote{t0 + 30min, s.tina, "Skickade offert"});

  // UpdateOrder may not touch the log.
  Order edited = s.get(id);
  edited.notes[0].text = "Ringde inte";
  CHECK_REFUSED(s, ValidationError, s.staff, UpdateOrder{edited});
  edited = s.get(id);
  edited.notes.erase(edited.notes.begin());
  CHECK_REFUSED(s, ValidationError, s.staff, UpdateOrder{edited});

  // Closed: still accepts notes, and keeps the old ones.
  s.reg.apply(s.staff, CloseOrder{id});
  s.reg.apply(s.staff, AddOrderNote{id, "Kunden återkom efter avslut"});
  o = s.get(id);
  CHECK(o.closed);
  REQUIRE(o.notes.size() == 3);
  CHECK(o.notes[0].text == "Ringde kunden");
  CHECK(o.notes[2].text == "Kunden återkom efter avslut");
}

TEST_CASE("time entries: hours above 0, summed by hours_spent", "[orders][time]") {
  Scene s;
  auto id = s.create(OrderKind::contact_order, s.aberg, "Uppföljning");
  s.reg.apply(s.staff, AddTimeEntry{id, 1.5, "Samtal"});
  s.clock->advance(1h);
  s.reg.apply(s.tina, AddTimeEntry{id, 2.25, "Platsbesök"});
  Order o = s.get(id);
  REQUIRE(o.time_entries.size() == 2);
  CHECK(o.time_entries[0].user == s.staff);
  CHECK(o.time_entries[0].hours == 1.5);
  CHECK(o.time_entries[0].text == "Samtal");
  CHECK(o.time_entries[0].at == at("2026-01-05T08:00:00Z"));
  CHECK(o.time_entries[1].user == s.tina);
  CHECK(o.time_entries[1].at == at("2026-01-05T09:00:00Z"));
  CHECK(o.hours_spent() == 3.75);
  CHECK_REFUSED(s, ValidationError, s.staff, AddTimeEntry{id, 0, "inget"});
  CHECK_REFUSED(s, ValidationError, s.staff, AddTimeEntry{id, -1, "negativt"});
  s.reg.apply(s.staff, CloseOrder{id});
  CHECK_REFUSED(s, Conflict, s.staff, AddTimeEntry{id, 1, "efter avslut"});
  CHECK(s.get(id).hours_spent() == 3.75);
}

TEST_CASE("files: upload needs the upload right, removal the delete-files right", "[orders][files][rights]") {
  Scene s;
  auto id = s.create(OrderKind::work_order, s.aberg);
  UserId uploader = s.add_user("ulla", seeing_customers_and({Right::orders_view, Right::orders_upload}));
  UserId editor = s.add_user("erik", seeing_customers_and({Right::orders_view, Right::orders_edit}));
  UserId remover = s.add_user("rut", seeing_customers_and({Right::orders_view, Right::orders_delete_files}));

  CHECK_REFUSED(s, PermissionDenied, editor, AddOrderFile{id, file_info("nej.pdf")});
  s.clock->advance(1h);
  s.reg.apply(uploader, AddOrderFile{id, file_info("protokoll.pdf")});
  s.reg.apply(uploader, AddOrderFile{id, file_info("bild.jpg")});
  Order o = s.get(id);
  REQUIRE(o.files.size() == 2);
  CHECK(o.files[0].name == "protokoll.pdf");
  CHECK(o.files[0].size == 12345);
  CHECK(o.files[0].sha256 == std::string(64, 'a'));
  CHECK(o.files[0].media_type == "application/pdf");
  CHECK(o.files[0].uploaded_by == uploader);
  CHECK(o.files[0].uploaded_at == at("2026-01-05T09:00:00Z"));
  CHECK(o.files[0].id != 0);
  CHECK(o.files[1].id != 0);
  CHECK(o.files[0].id != o.files[1].id);
  FileInfo bad = file_info("trasig.pdf");
  bad.sha256 = "ABC";
  CHECK_REFUSED(s, ValidationError, uploader, AddOrderFile{id, bad});

  CHECK_REFUSED(s, PermissionDenied, uploader, RemoveOrderFile{id, o.files[0].id});
  CHECK_REFUSED(s, PermissionDenied, editor, RemoveOrderFile{id, o.files[0].id});
  s.reg.apply(remover, RemoveOrderFile{id, o.files[0].id});
  o = s.get(id);
  REQUIRE(o.files.size() == 1);
  CHECK(o.files[0].name == "bild.jpg");

  // Closed: no files come or go.
  s.reg.apply(s.staff, CloseOrder{id});
  CHECK_REFUSED(s, Conflict, s.staff, AddOrderFile{id, file_info("sen.pdf")});
  CHECK_REFUSED(s, Conflict, s.staff, RemoveOrderFile{id, o.files[0].id});

  // On a contact order, adding needs contact_orders.edit (there is no
  // contact_orders.upload; docs/rights.md), removal contact_orders.delete_files.
  auto c = s.create(OrderKind::contact_order, s.aberg, "Lead");
  UserId order_uploader = s.add_user("uno", seeing_customers_and({Right::contact_orders_view, Right::orders_upload}));
  UserId crm_editor = s.add_user("cecilia", seeing_customers_and({Right::contact_orders_view,
                                                                 Right::contact_orders_edit}));
  CHECK_REFUSED(s, PermissionDenied, order_uploader, AddOrderFile{c, file_info("offert.pdf")});
  s.reg.apply(crm_editor, AddOrderFile{c, file_info("offert.pdf")});
  CHECK(s.get(c).files.at(0).uploaded_by == crm_editor);
  auto file = s.get(c).files.at(0).id;
  UserId order_remover = s.add_user("otto", seeing_customers_and({Right::orders_view, Right::contact_orders_view,
                                                                 Right::orders_delete_files}));
  UserId crm_remover = s.add_user("cilla", seeing_customers_and({Right::contact_orders_view,
                                                                Right::contact_orders_delete_files}));
  CHECK_REFUSED(s, PermissionDenied, order_remover, RemoveOrderFile{c, file});
  s.reg.apply(crm_remover, RemoveOrderFile{c, file});
  CHECK(s.get(c).files.empty());
}

// ---- close, reopen, delete ------------------------------------------------------------

TEST_CASE("a closed order is archived: nothing changes it but notes, until reopened with the edit right",
          "[orders][close]") {
  Scene s;
  auto id = s.create(OrderKind::work_order, s.aberg);
  s.reg.apply(s.staff, AddOrderNote{id, "Klart"});
  UserId viewer = s.add_user("vera", seeing_customers_and({Right::orders_view, Right::orders_create}));
  CHECK_REFUSED(s, PermissionDenied, viewer, CloseOrder{id});
  s.clock->advance(1h);
  s.reg.apply(s.staff, CloseOrder{id});
  Order o = s.get(id);
  CHECK(o.closed);
  CHECK(o.closed_at == at("2026-01-05T09:00:00Z"));
  CHECK(o.notes.size() == 1);
  CHECK(s.list(s.staff, {}).total == 1);  // still listed

  Order change = s.get(id);
  change.description = "Ändrad";
  CHECK_REFUSED(s, Conflict, s.staff, UpdateOrder{change});
  CHECK_REFUSED(s, Conflict, s.staff, AssignOrder{id, {s.tina}});
  CHECK_REFUSED(s, Conflict, s.staff, AddTimeEntry{id, 1, ""});
  CHECK_REFUSED(s, Conflict, s.staff, AddOrderFile{id, file_info("a.pdf")});
  CHECK_NOTHROW(s.reg.apply(s.staff, AddOrderNote{id, "Efterhandsnotering"}));

  CHECK_REFUSED(s, PermissionDenied, viewer, ReopenOrder{id});
  s.reg.apply(s.staff, ReopenOrder{id});
  o = s.get(id);
  CHECK_FALSE(o.closed);
  CHECK_FALSE(o.closed_at);
  CHECK(o.notes.size() == 2);
  s.edit(s.staff, id, [](Order& x) { x.description = "Ändrad"; });
  CHECK(s.get(id).description == "Ändrad");
}

TEST_CASE("notes, time entries, closing and reopening need the edit right", "[orders][rights]") {
  Scene s;
  auto w = s.create(OrderKind::work_order, s.aberg);
  auto c = s.create(OrderKind::contact_order, s.aberg, "Lead");
  UserId viewer = s.add_user("vic", seeing_customers_and({Right::orders_view, Right::contact_orders_view,
                                                         Right::orders_edit}));
  CHECK_NOTHROW(s.reg.apply(viewer, AddOrderNote{w, "ok"}));
  CHECK_NOTHROW(s.reg.apply(viewer, AddTimeEntry{w, 1, "ok"}));
  CHECK_REFUSED(s, PermissionDenied, viewer, AddOrderNote{c, "nej"});
  CHECK_REFUSED(s, PermissionDenied, viewer, AddTimeEntry{c, 1, "nej"});
  CHECK_REFUSED(s, PermissionDenied, viewer, CloseOrder{c});
  Order o = s.get(c);
  o.description = "nej";
  CHECK_REFUSED(s, PermissionDenied, viewer, UpdateOrder{o});
  s.reg.apply(s.staff, CloseOrder{c});
  CHECK_REFUSED(s, PermissionDenied, viewer, ReopenOrder{c});
}

TEST_CASE("delete needs the delete right of the order's module", "[orders][delete][rights]") {
  Scene s;
  auto w = s.create(OrderKind::work_order, s.aberg);
  auto c = s.create(OrderKind::contact_order, s.aberg, "Lead");
  UserId order_deleter = s.add_user("doris", seeing_customers_and({Right::orders_view, Right::orders_edit,
                                                                  Right::orders_delete, Right::contact_orders_view}));
  UserId crm_deleter = s.add_user("dan", seeing_customers_and({Right::orders_view, Right::contact_orders_view,
                                                              Right::contact_orders_edit, Right::contact_orders_delete}));
  UserId editor = s.add_user("erik", seeing_customers_and({Right::orders_view, Right::orders_edit}));
  CHECK_REFUSED(s, PermissionDenied, editor, DeleteOrder{w});
  CHECK_REFUSED(s, PermissionDenied, crm_deleter, DeleteOrder{w});
  CHECK_REFUSED(s, PermissionDenied, order_deleter, DeleteOrder{c});
  s.reg.apply(order_deleter, DeleteOrder{w});
  s.reg.apply(crm_deleter, DeleteOrder{c});
  CHECK_FALSE(s.reg.find_order(s.staff, w));
  CHECK_THROWS_AS(s.reg.order(s.staff, c), NotFound);
  CHECK(s.reg.counts().orders == 0);
  CHECK(s.list(s.staff, {}).total == 0);
}

// ---- customers, facilities, contacts that orders name ------------------------------------

TEST_CASE("a customer with orders is never deleted, only deactivated", "[orders][customer][delete]") {
  Scene s;
  Customer lone;
  lone.number = "9";
  lone.name = "Ensam AB";
  auto id = s.reg.apply(s.staff, CreateCustomer{lone});
  auto a = s.create(OrderKind::work_order, id);
  auto b = s.create(OrderKind::contact_order, id, "Lead");
  CHECK_REFUSED(s, Conflict, s.staff, DeleteCustomer{id});
  CHECK_THROWS_WITH(s.reg.apply(s.staff, DeleteCustomer{id}), Catch::Contains("2 orders"));
  s.reg.apply(s.staff, DeactivateCustomer{id});
  CHECK_FALSE(s.reg.customer(s.staff, id).active);
  CHECK(s.get(a).customer == id);
  CHECK(s.get(b).customer == id);
  s.reg.apply(s.staff, DeleteOrder{a});
  CHECK_THROWS_WITH(s.reg.apply(s.staff, DeleteCustomer{id}), Catch::Contains("1 order"));
  s.reg.apply(s.staff, DeleteOrder{b});
  CHECK_NOTHROW(s.reg.apply(s.staff, DeleteCustomer{id}));
}

TEST_CASE("a facility, service object or contact that an order names cannot be deleted", "[orders][delete]") {
  Scene s;
  Order o = Scene::draft(OrderKind::service_order, s.aberg);
  o.facility = s.aberg_site;
  o.service_object = s.aberg_pump;
  o.contact = s.lena;
  auto id = s.create(s.staff, o);
  CHECK_REFUSED(s, Conflict, s.staff, DeleteServiceObject{s.aberg_pump});
  CHECK_REFUSED(s, Conflict, s.staff, DeleteContact{s.lena});
  s.edit(s.staff, id, [](Order& x) { x.service_object.reset(); });
  CHECK_NOTHROW(s.reg.apply(s.staff, DeleteServiceObject{s.aberg_pump}));
  CHECK_REFUSED(s, Conflict, s.staff, DeleteFacility{s.aberg_site});
  // A closed order still names them.
  s.reg.apply(s.staff, CloseOrder{id});
  CHECK_REFUSED(s, Conflict, s.staff, DeleteFacility{s.aberg_site});
  CHECK_REFUSED(s, Conflict, s.staff, DeleteContact{s.lena});
  s.reg.apply(s.staff, DeleteOrder{id});
  CHECK_NOTHROW(s.reg.apply(s.staff, DeleteFacility{s.aberg_site}));
  CHECK_NOTHROW(s.reg.apply(s.staff, DeleteContact{s.lena}));
}

// ---- contact orders: subject, new customer, new facility ----------------------------------

TEST_CASE("a contact order requires a subject", "[orders][contact_orders][validation]") {
  Scene s;
  CHECK_INVALID(s, "subject", s.staff, create_order(Scene::draft(OrderKind::contact_order, s.aberg, "")));
  CHECK_INVALID(s, "subject", s.staff, create_order(Scene::draft(OrderKind::contact_order, s.aberg, "   ")));
  auto id = s.create(OrderKind::contact_order, s.aberg, "Intresse för serviceavtal");
  Order o = s.get(id);
  o.subject.clear();
  CHECK_INVALID(s, "subject", s.staff, UpdateOrder{o});
  // Other kinds do without.
  CHECK_NOTHROW(s.create(OrderKind::work_order, s.aberg, ""));
}

TEST_CASE("new_customer naming a customer the actor sees uses him", "[orders][contact_orders][new_customer]") {
  Scene s;
  auto customers = s.reg.counts().customers;
  Customer named;
  named.name = "ÅBERG AB";  // case ignored
  auto id = s.reg.apply(s.staff, create_order(Scene::draft(OrderKind::contact_order, CustomerId{}, "Samtal"), named));
  CHECK(s.get(id).customer == s.aberg);
  CHECK(s.reg.counts().customers == customers);
  CHECK_FALSE(has_entry(s.reg.history(s.staff, ref(id)), "created_customer"));
}

TEST_CASE("new_customer with an unknown name creates the customer, with its history and the order's",
          "[orders][contact_orders][new_customer][history]") {
  Scene s;
  UserId seller = s.add_user("sara", seeing_customers_and({Right::contact_orders_view, Right::contact_orders_create}));
  Customer fresh;
  fresh.number = "2001";
  fresh.name = "Nordkyl AB";
  fresh.phone = "090-12 34 56";
  fresh.email = "info@nordkyl.se";
  CreateOrder cmd = create_order(Scene::draft(OrderKind::contact_order, CustomerId{}, "Vill ha offert"), fresh);
  // Creating a customer needs customers.create.
  CHECK_REFUSED(s, PermissionDenied, seller, cmd);

  UserId creator = s.add_user("carl", seeing_customers_and({Right::contact_orders_view, Right::contact_orders_create,
                                                           Right::customers_create}));
  auto customers = s.reg.counts().customers;
  auto id = s.reg.apply(creator, cmd);
  CHECK(s.reg.counts().customers == customers + 1);
  Order o = s.get(id);
  Customer made = s.reg.customer(s.admin, o.customer);
  CHECK(made.name == "Nordkyl AB");
  CHECK(made.number == "2001");
  CHECK(made.phone == "090-12 34 56");
  CHECK(made.email == "info@nordkyl.se");
  CHECK(made.active);
  auto ch = s.reg.history(s.admin, ref(o.customer));
  REQUIRE_FALSE(ch.empty());
  CHECK(ch[0].action == Action::created);
  CHECK(ch[0].actor == creator);
  CHECK(has_entry(ch, "orders", Action::linked));
  CHECK(has_entry(s.reg.history(s.admin, ref(id)), "created_customer"));

  // The same name again now finds him.
  auto again = s.reg.apply(creator, cmd);
  CHECK(s.get(again).customer == o.customer);
  CHECK(s.reg.counts().customers == customers + 1);
}

TEST_CASE("new_customer: a generated number when the settings say so", "[orders][contact_orders][new_customer]") {
  Scene s;
  s.change_settings([](Settings& st) {
    st.auto_number = true;
    st.number_prefix = "K";
    st.number_padding = 4;
    st.next_number = 7;
  });
  Customer fresh;
  fresh.name = "Generad AB";
  auto id = s.reg.apply(s.staff, create_order(Scene::draft(OrderKind::contact_order, CustomerId{}, "Samtal"), fresh));
  CHECK(s.reg.customer(s.staff, s.get(id).customer).number == "K0007");
}

TEST_CASE("new_customer uses the one customer of that name the actor sees", "[orders][contact_orders][new_customer]") {
  Scene s;
  auto first = s.add_customer("D1", "Dubbel AB");
  s.add_customer("D2", "Dubbel AB");
  // Someone who sees only the first (assigned to him) gets the first.
  UserId seller = s.add_user("sam", {Right::customers_view_assigned, Right::customers_create, Right::contact_orders_view,
                                     Right::contact_orders_create});
  s.reg.apply(s.staff, AssignTechnician{first, seller});
  Customer named;
  named.name = "Dubbel AB";
  named.number = "D3";
  auto customers = s.reg.counts().customers;
  auto mine = s.reg.apply(seller, create_order(Scene::draft(OrderKind::contact_order, CustomerId{}, "Samtal"), named));
  CHECK(s.get(mine).customer == first);
  CHECK(s.reg.counts().customers == customers);
}

TEST_CASE("new_customer is refused when the actor sees several customers of that name",
          "[orders][contact_orders][new_customer]") {
  // docs/orders.md: with several of that name the caller must choose; a
  // third "Dubbel AB" would be one more duplicate.
  Scene s;
  s.add_customer("D1", "Dubbel AB");
  s.add_customer("D2", "Dubbel AB");
  Customer named;
  named.name = "Dubbel AB";
  named.number = "D3";
  auto customers = s.reg.counts().customers;
  try {
    s.reg.apply(s.staff, create_order(Scene::draft(OrderKind::contact_order, CustomerId{}, "Samtal"), named));
    FAIL("an ambiguous name was accepted");
  } catch (const ValidationError& e) {
    CHECK(e.field() == "new_customer.name");
    CHECK_THAT(e.what(), Catch::Contains("2 customers"));
  }
  CHECK(s.reg.counts().customers == customers);
}

TEST_CASE("new_customer names the customer of a contact order only", "[orders][contact_orders][new_customer]") {
  // docs/orders.md grants new_customer to contact orders ("Instead of a
  // customer id it [a contact order] may give new_customer").
  Scene s;
  Customer fresh;
  fresh.number = "5555";
  fresh.name = "Arbetsorder AB";
  CHECK_REFUSED(s, ValidationError, s.staff,
                create_order(Scene::draft(OrderKind::work_order, CustomerId{}, "Reparation"), fresh));
}

TEST_CASE("new_facility names one of the customer's facilities or creates it", "[orders][contact_orders][new_facility]") {
  Scene s;
  auto facilities = s.reg.counts().facilities;
  Facility named;
  named.name = "HUVUDKONTORET";
  auto reuse = s.reg.apply(s.staff, create_order(Scene::draft(OrderKind::contact_order, s.aberg, "Samtal"), std::nullopt, named));
  CHECK(s.get(reuse).facility == s.aberg_site);
  CHECK(s.reg.counts().facilities == facilities);
  CHECK_FALSE(has_entry(s.reg.history(s.staff, ref(reuse)), "created_facility"));

  // "Lagret" is Berg's, not Åberg's: a new one is made at Åberg.
  Facility other;
  other.name = "Lagret";
  other.address.city = "Luleå";
  CreateOrder cmd = create_order(Scene::draft(OrderKind::contact_order, s.aberg, "Samtal"), std::nullopt, other);
  UserId seller = s.add_user("sara", seeing_customers_and({Right::contact_orders_view, Right::contact_orders_create}));
  CHECK_REFUSED(s, PermissionDenied, seller, cmd);  // needs facilities.create
  auto made_order = s.reg.apply(s.staff, cmd);
  auto fac = s.get(made_order).facility;
  REQUIRE(fac);
  CHECK(*fac != s.berg_site);
  Facility made = s.reg.facility(s.staff, *fac);
  CHECK(made.customer == s.aberg);
  CHECK(made.name == "Lagret");
  CHECK(made.address.city == "Luleå");
  CHECK(s.reg.counts().facilities == facilities + 1);
  auto fh = s.reg.history(s.staff, ref(*fac));
  REQUIRE_FALSE(fh.empty());
  CHECK(fh[0].action == Action::created);
  CHECK(has_entry(s.reg.history(s.staff, ref(made_order)), "created_facility"));
}

TEST_CASE("new_customer and new_facility together make both", "[orders][contact_orders][new_customer][new_facility]") {
  Scene s;
  Customer fresh;
  fresh.number = "3001";
  fresh.name = "Fjällkyl AB";
  Facility site;
  site.name = "Fabriken";
  auto id = s.reg.apply(s.staff, create_order(Scene::draft(OrderKind::contact_order, CustomerId{}, "Samtal"), fresh, site));
  Order o = s.get(id);
  REQUIRE(o.facility);
  CHECK(s.reg.customer(s.staff, o.customer).name == "Fjällkyl AB");
  CHECK(s.reg.facility(s.staff, *o.facility).customer == o.customer);
  auto h = s.reg.history(s.staff, ref(id));
  CHECK(has_entry(h, "created_customer"));
  CHECK(has_entry(h, "created_facility"));
}

// ---- bookings and reminders ----------------------------------------------------------------

TEST_CASE("bookings get ids from the register, one made for another user notifies him", "[orders][bookings][notifications]") {
  Scene s;
  auto id = s.create(OrderKind::contact_order, s.aberg, "Uppföljning");
  s.edit(s.staff, id, [&](Order& o) {
    o.bookings = {booking(BookingKind::phone, at("2026-01-06T09:00:00Z"), s.staff, "Ring tillbaka"),
                  booking(BookingKind::meeting, at("2026-01-07T13:00:00Z"), s.tina, "Möte på plats")};
  });
  Order o = s.get(id);
  REQUIRE(o.bookings.size() == 2);
  CHECK(o.bookings[0].id != 0);
  CHECK(o.bookings[1].id != 0);
  CHECK(o.bookings[0].id != o.bookings[1].id);
  CHECK(o.bookings[1].kind == BookingKind::meeting);
  CHECK(o.bookings[1].user == s.tina);
  CHECK(o.bookings[1].text == "Möte på plats");
  CHECK_FALSE(o.bookings[1].reminded);
  auto tina = s.inbox(s.tina, NotificationKind::booking);
  REQUIRE(tina.size() == 1);
  CHECK(tina[0].subject == ref(id));
  CHECK(tina[0].recipient == s.tina);
  CHECK(s.inbox(s.staff, NotificationKind::booking).empty());  // his own: no notice

  // Saving the order again, or marking a booking done, books nothing new.
  s.edit(s.staff, id, [](Order& x) { x.description = "Uppdaterad"; });
  const auto tinas = o.bookings[1].id;
  s.edit(s.staff, id, [](Order& x) { x.bookings[1].done = true; });
  CHECK(s.inbox(s.tina, NotificationKind::booking).size() == 1);
  o = s.get(id);
  CHECK(o.bookings[1].done);
  CHECK(o.bookings[1].id == tinas);

  // A booking left out is removed; a new one gets a fresh id.
  auto kept = o.bookings[0].id;
  auto gone = o.bookings[1].id;
  s.edit(s.staff, id, [&](Order& x) {
    x.bookings.pop_back();
    x.bookings.push_back(booking(BookingKind::digital, at("2026-01-08T10:00:00Z"), s.olle, "Teams"));
  });
  o = s.get(id);
  REQUIRE(o.bookings.size() == 2);
  CHECK(o.bookings[0].id == kept);
  CHECK(o.bookings[1].id != gone);
  CHECK(o.bookings[1].id != kept);
  CHECK(s.inbox(s.olle, NotificationKind::booking).size() == 1);

  // Bookings given at creation too.
  Order fresh = Scene::draft(OrderKind::contact_order, s.aberg, "Nytt samtal");
  fresh.bookings = {booking(BookingKind::phone, at("2026-01-09T10:00:00Z"), s.tina, "Ring")};
  auto second = s.create(s.staff, fresh);
  CHECK(s.get(second).bookings.at(0).id != 0);
  CHECK(s.inbox(s.tina, NotificationKind::booking).size() == 2);
}

TEST_CASE("the register keeps a booking's reminded flag", "[orders][bookings][reminders]") {
  Scene s;
  auto id = s.create(OrderKind::contact_order, s.aberg, "Samtal");
  Booking b = booking(BookingKind::phone, at("2026-01-05T09:00:00Z"), s.tina, "Ring");
  b.reminded = true;  // a caller's word is not the register's
  try {
    s.edit(s.staff, id, [&](Order& o) { o.bookings = {b}; });
    CHECK_FALSE(s.get(id).bookings.at(0).reminded);
  } catch (const ValidationError&) {
    CHECK(s.get(id).bookings.empty());
    s.edit(s.staff, id, [&](Order& o) { o.bookings = {booking(BookingKind::phone, at("2026-01-05T09:00:00Z"), s.tina, "Ring")}; });
  }
  s.clock->set(at("2026-01-05T09:00:00Z"));
  s.reg.apply(s.admin, RaiseReminders{});
  CHECK(s.inbox(s.tina, NotificationKind::reminder).size() == 1);
  CHECK(s.get(id).bookings.at(0).reminded);
  // A booking moved to another time reminds again (docs/domain-decisions.md).
  s.edit(s.staff, id, [](Order& x) { x.bookings[0].when = at("2026-01-05T10:00:00Z"); });
  CHECK_FALSE(s.get(id).bookings.at(0).reminded);
  s.reg.apply(s.admin, RaiseReminders{});
  CHECK(s.inbox(s.tina, NotificationKind::reminder).size() == 1);  // not yet
  s.clock->set(at("2026-01-05T10:00:00Z"));
  s.reg.apply(s.admin, RaiseReminders{});
  CHECK(s.inbox(s.tina, NotificationKind::reminder).size() == 2);
  CHECK(s.get(id).bookings.at(0).reminded);
  // Nor can a caller clear it.
  Order o = s.get(id);
  o.bookings[0].reminded = false;
  try {
    s.reg.apply(s.staff, UpdateOrder{o});
  } catch (const ValidationError&) {
  }
  CHECK(s.get(id).bookings.at(0).reminded);
  s.reg.apply(s.admin, RaiseReminders{});
  CHECK(s.inbox(s.tina, NotificationKind::reminder).size() == 2);
  // Reminders are raised by administrators (the host).
  CHECK_REFUSED(s, PermissionDenied, s.staff, RaiseReminders{});
}

TEST_CASE("RaiseReminders reminds each due booking once, due_reminders lists the due ones",
          "[orders][bookings][reminders][notifications]") {
  Scene s;
  auto id = s.create(OrderKind::contact_order, s.aberg, "Kampanj");
  s.edit(s.staff, id, [&](Order& o) {
    o.bookings = {booking(BookingKind::phone, at("2026-01-05T09:00:00Z"), s.tina, "Första"),
                  booking(BookingKind::meeting, at("2026-01-05T11:00:00Z"), s.tina, "Andra"),
                  booking(BookingKind::phone, at("2026-01-05T08:30:00Z"), s.olle, "Olles"),
                  booking(BookingKind::phone, at("2026-01-05T08:15:00Z"), s.tina, "Redan gjord")};
    o.bookings[3].done = true;
  });
  s.reg.apply(s.admin, RaiseReminders{});
  CHECK(s.inbox(s.tina, NotificationKind::reminder).empty());  // nothing is due yet
  CHECK(s.reg.due_reminders(s.tina, s.clock->now()).empty());

  s.clock->set(at("2026-01-05T09:00:00Z"));  // the first one's time has come
  auto due = s.reg.due_reminders(s.tina, s.clock->now());
  REQUIRE(due.size() == 1);  // his own only, never a done one
  CHECK(due[0].order == id);
  CHECK(due[0].booking.text == "Första");
  auto everyone = s.reg.due_reminders(s.admin, s.clock->now());
  REQUIRE(everyone.size() == 2);  // an administrator sees all, oldest first
  CHECK(everyone[0].booking.text == "Olles");
  CHECK(everyone[1].booking.text == "Första");

  s.reg.apply(s.admin, RaiseReminders{});
  auto reminders = s.inbox(s.tina, NotificationKind::reminder);
  REQUIRE(reminders.size() == 1);
  CHECK(reminders[0].subject == ref(id));
  CHECK(s.inbox(s.olle, NotificationKind::reminder).size() == 1);
  Order o = s.get(id);
  CHECK(o.bookings[0].reminded);
  CHECK_FALSE(o.bookings[1].reminded);
  CHECK(o.bookings[2].reminded);
  CHECK_FALSE(o.bookings[3].reminded);

  // Once.
  s.clock->advance(30min);
  s.reg.apply(s.admin, RaiseReminders{});
  CHECK(s.inbox(s.tina, NotificationKind::reminder).size() == 1);
  CHECK(s.inbox(s.olle, NotificationKind::reminder).size() == 1);

  s.clock->set(at("2026-01-05T12:00:00Z"));
  due = s.reg.due_reminders(s.tina, s.clock->now());
  REQUIRE(due.size() == 2);
  CHECK(due[0].booking.text == "Första");
  CHECK(due[1].booking.text == "Andra");
  s.reg.apply(s.admin, RaiseReminders{});
  CHECK(s.inbox(s.tina, NotificationKind::reminder).size() == 2);
  s.reg.apply(s.admin, RaiseReminders{});
  CHECK(s.inbox(s.tina, NotificationKind::reminder).size() == 2);
  // Done bookings are not due.
  s.edit(s.tina, id, [](Order& x) {
    for (auto& b : x.bookings) b.done = true;
  });
  CHECK(s.reg.due_reminders(s.admin, s.clock->now()).empty());
}

// ---- conversion to a sales order ----------------------------------------------------------

TEST_CASE("ConvertToSalesOrder copies the contact order, links both ways and closes it", "[orders][sales_order]") {
  Scene s;
  s.add_articles();
  Order c = Scene::draft(OrderKind::contact_order, s.aberg, "Ny värmepump");
  c.facility = s.aberg_site;
  c.service_object = s.aberg_pump;
  c.contact = s.lena;
  c.description = "Kunden vill byta sin gamla pump";
  c.cost_center = "K-12";
  c.customer_order_number = "PO-99";
  c.lines = {line("TIM", "", 2, true), line("PUMP", "Värmepump 9 kW")};
  c.lines[1].price = 45000;
  auto co = s.create(s.staff, c);
  const Order before = s.get(co);

  UserId no_create = s.add_user("nils", seeing_customers_and({Right::contact_orders_view, Right::contact_orders_edit,
                                                             Right::orders_view}));
  UserId no_edit = s.add_user("nora", seeing_customers_and({Right::contact_orders_view, Right::orders_create,
                                                           Right::orders_view}));
  UserId seller = s.add_user("sara", seeing_customers_and({Right::contact_orders_view, Right::contact_orders_edit,
                                                          Right::orders_create, Right::orders_view}));
  CHECK_REFUSED(s, PermissionDenied, no_create, ConvertToSalesOrder{co});
  CHECK_REFUSED(s, PermissionDenied, no_edit, ConvertToSalesOrder{co});

  s.clock->advance(1h);
  auto so = s.reg.apply(seller, ConvertToSalesOrder{co});
  Order sales = s.get(so);
  Order contact = s.get(co);
  CHECK(sales.kind == OrderKind::sales_order);
  CHECK(sales.number == 1);
  CHECK(sales.customer == s.aberg);
  CHECK(sales.facility == s.aberg_site);
  CHECK(sales.service_object == s.aberg_pump);
  CHECK(sales.contact == s.lena);
  CHECK(sales.subject == "Ny värmepump");
  CHECK(sales.description == before.description);
  CHECK(sales.cost_center == "K-12");
  CHECK(sales.customer_order_number == "PO-99");
  CHECK(sales.status == "new");  // the sales order kind's first
  CHECK_FALSE(sales.closed);
  REQUIRE(sales.lines.size() == before.lines.size());
  for (std::size_t i = 0; i < sales.lines.size(); ++i) {
    INFO("line " << i);
    CHECK(sales.lines[i].article_number == before.lines[i].article_number);
    CHECK(sales.lines[i].description == before.lines[i].description);
    CHECK(sales.lines[i].quantity == before.lines[i].quantity);
    CHECK(sales.lines[i].unit == before.lines[i].unit);
    CHECK(sales.lines[i].price == before.lines[i].price);
    CHECK(sales.lines[i].time_article == before.lines[i].time_article);
    CHECK(sales.lines[i].hours == before.lines[i].hours);
  }
  CHECK(sales.origin == co);
  CHECK_FALSE(sales.sales_order);
  CHECK(contact.sales_order == so);
  CHECK(contact.closed);
  CHECK(contact.closed_at == s.clock->now());

  // A contact order converts once; neither end of the link is deleted.
  CHECK_REFUSED(s, Conflict, s.staff, ConvertToSalesOrder{co});
  CHECK_REFUSED(s, Conflict, s.staff, DeleteOrder{co});
  CHECK_REFUSED(s, Conflict, s.staff, DeleteOrder{so});
  // Only a contact order converts.
  auto work = s.create(OrderKind::work_order, s.aberg);
  CHECK_REFUSED(s, Error, s.staff, ConvertToSalesOrder{work});
  CHECK_REFUSED(s, Error, s.staff, ConvertToSalesOrder{so});
}

// ---- lists ---------------------------------------------------------------------------------

TEST_CASE("search_orders filters by kind, customer, status, assignment, planned range and closed",
          "[orders][search]") {
  Scene s;
  auto w1 = s.create(OrderKind::work_order, s.aberg);
  s.edit(s.staff, w1, [](Order& o) { o.planned = at("2026-01-10T08:00:00Z"); });
  s.reg.apply(s.staff, AssignOrder{w1, {s.tina}});
  auto w2 = s.create(OrderKind::work_order, s.aberg);
  s.edit(s.staff, w2, [](Order& o) {
    o.status = "in_progress";
    o.planned = at("2026-01-20T08:00:00Z");
  });
  auto c1 = s.create(OrderKind::contact_order, s.aberg, "Lead");
  s.edit(s.staff, c1, [](Order& o) { o.planned = at("2026-01-15T00:00:00Z"); });
  s.reg.apply(s.staff, AssignOrder{c1, {s.staff}});
  auto s1 = s.create(OrderKind::service_order, s.berg);
  auto q1 = s.create(OrderKind::quotation, s.berg);
  s.edit(s.staff, q1, [](Order& o) { o.planned = at("2026-01-12T08:00:00Z"); });
  s.reg.apply(s.staff, CloseOrder{q1});

  auto find = [&](UserId actor, auto narrow) {
    OrderQuery q;
    narrow(q);
    q.limit = 100;
    auto page = s.list(actor, q);
    CHECK(page.total == page.items.size());
    return id_set(page);
  };
  CHECK(find(s.staff, [](OrderQuery&) {}) == id_set({w1, w2, c1, s1, q1}));
  CHECK(find(s.staff, [](OrderQuery& q) { q.kind = OrderKind::work_order; }) == id_set({w1, w2}));
  CHECK(find(s.staff, [&](OrderQuery& q) { q.customer = s.berg; }) == id_set({s1, q1}));
  CHECK(find(s.staff, [](OrderQuery& q) { q.status = "in_progress"; }) == id_set({w2}));
  CHECK(find(s.staff, [](OrderQuery& q) { q.status = "new"; }) == id_set({w1, c1, s1, q1}));
  CHECK(find(s.staff, [](OrderQuery& q) { q.assigned_to_me = true; }) == id_set({c1}));
  CHECK(find(s.tina, [](OrderQuery& q) { q.assigned_to_me = true; }) == id_set({w1}));
  CHECK(find(s.staff, [&](OrderQuery& q) { q.assigned_to = s.tina; }) == id_set({w1}));
  // [from, to): the start is in, the end is out, undated orders never.
  CHECK(find(s.staff, [](OrderQuery& q) {
          q.planned_from = at("2026-01-10T08:00:00Z");
          q.planned_to = at("2026-01-15T00:00:00Z");
        }) == id_set({w1, q1}));
  CHECK(find(s.staff, [](OrderQuery& q) { q.planned_from = at("2026-01-15T00:00:00Z"); }) == id_set({c1, w2}));
  CHECK(find(s.staff, [](OrderQuery& q) { q.planned_to = at("2026-01-12T08:00:00Z"); }) == id_set({w1}));
  CHECK(find(s.staff, [](OrderQuery& q) { q.closed = true; }) == id_set({q1}));
  CHECK(find(s.staff, [](OrderQuery& q) { q.closed = false; }) == id_set({w1, w2, c1, s1}));
  // Filters narrow together.
  CHECK(find(s.staff, [&](OrderQuery& q) {
          q.customer = s.aberg;
          q.kind = OrderKind::work_order;
          q.status = "new";
        }) == id_set({w1}));
  CHECK(find(s.staff, [&](OrderQuery& q) {
          q.customer = s.berg;
          q.closed = false;
        }) == id_set({s1}));
}

TEST_CASE("order lists sort by every column both ways, ties by id, closed orders last", "[orders][search][sort]") {
  Scene s;
  s.change_settings([](Settings& st) { set_statuses(st, OrderKind::work_order, {"a-ny", "b-planerad", "c-klar"}); });
  auto zeta = s.add_customer("1003", "Zeta AB");
  // Created A, B, C, D: numbers and creation times ascend in that order.
  struct Values {
    CustomerId customer;
    const char* subject;
    const char* status;
    const char* planned;
    const char* cost_center;
    const char* order_number;
  };
  auto make = [&](Values v) {
    s.clock->advance(1min);
    Order o = Scene::draft(OrderKind::work_order, v.customer, v.subject);
    o.status = v.status;
    o.planned = at(v.planned);
    o.cost_center = v.cost_center;
    o.customer_order_number = v.order_number;
    return s.create(s.staff, o);
  };
  // Every column but number and created_at ascends C, A, B.
  auto a = make({zeta, "Beta", "b-planerad", "2026-02-02", "K200", "PO-2"});
  auto b = make({s.aberg, "Gamma", "c-klar", "2026-02-03", "K300", "PO-3"});
  auto c = make({s.berg, "Alfa", "a-ny", "2026-02-01", "K100", "PO-1"});
  // D would come first by every column, but it is closed.
  auto d = make({s.berg, "Aaa", "a-ny", "2026-01-01", "K000", "PO-0"});
  s.reg.apply(s.staff, CloseOrder{d});

  auto sorted = [&](OrderColumn column, bool descending) {
    OrderQuery q;
    q.sort = column;
    q.descending = descending;
    return idv(s.list(s.staff, q));
  };
  for (OrderColumn column : {OrderColumn::number, OrderColumn::created_at}) {
    INFO(enum_name(column));
    CHECK(sorted(column, false) == idv({a, b, c, d}));
    CHECK(sorted(column, true) == idv({c, b, a, d}));
  }
  for (OrderColumn column : {OrderColumn::customer, OrderColumn::subject, OrderColumn::status, OrderColumn::planned,
                             OrderColumn::cost_center, OrderColumn::customer_order_number}) {
    INFO(enum_name(column));
    CHECK(sorted(column, false) == idv({c, a, b, d}));
    CHECK(sorted(column, true) == idv({b, a, c, d}));
  }

  // Kind: an error report before a quotation (by name and by kind alike).
  Scene k;
  auto quotation = k.create(OrderKind::quotation, k.aberg);
  auto report = k.create(OrderKind::error_report, k.aberg);
  auto closed_report = k.create(OrderKind::error_report, k.aberg);
  k.reg.apply(k.staff, CloseOrder{closed_report});
  OrderQuery q;
  q.sort = OrderColumn::kind;
  CHECK(idv(k.list(k.staff, q)) == idv({report, quotation, closed_report}));
  q.descending = true;
  CHECK(idv(k.list(k.staff, q)) == idv({quotation, report, closed_report}));

  // Equal values: by id.
  Scene t;
  auto first = t.create(OrderKind::work_order, t.aberg, "Samma");
  auto second = t.create(OrderKind::work_order, t.aberg, "Samma");
  auto third = t.create(OrderKind::work_order, t.aberg, "Samma");
  q = {};
  q.sort = OrderColumn::subject;
  CHECK(idv(t.list(t.staff, q)) == idv({first, second, third}));
}

TEST_CASE("the customer column sorts by name in the register's locale", "[orders][search][sort]") {
  Scene s;  // sv: case ignored, å ä ö after z
  auto lower = s.add_customer("1003", "berg & son");
  auto zeta = s.add_customer("1004", "Zeta AB");
  auto on_aberg = s.create(OrderKind::work_order, s.aberg);
  auto on_zeta = s.create(OrderKind::work_order, zeta);
  auto on_lower = s.create(OrderKind::work_order, lower);
  OrderQuery q;
  q.sort = OrderColumn::customer;
  CHECK(idv(s.list(s.staff, q)) == idv({on_lower, on_zeta, on_aberg}));
}

TEST_CASE("default order: contact orders by planned date (undated last), other lists newest first",
          "[orders][search][sort]") {
  Scene s;
  auto w1 = s.create(OrderKind::work_order, s.aberg);
  auto w2 = s.create(OrderKind::work_order, s.aberg);
  auto w3 = s.create(OrderKind::work_order, s.aberg);
  s.reg.apply(s.staff, CloseOrder{w3});
  auto w4 = s.create(OrderKind::work_order, s.aberg);
  OrderQuery works;
  works.kind = OrderKind::work_order;
  CHECK(idv(s.list(s.staff, works)) == idv({w4, w2, w1, w3}));

  auto planned = [&](const char* subject, std::optional<const char*> when) {
    Order o = Scene::draft(OrderKind::contact_order, s.aberg, subject);
    if (when) o.planned = at(*when);
    return s.create(s.staff, o);
  };
  auto c1 = planned("Januari 20", "2026-01-20");
  auto c2 = planned("Odaterad", std::nullopt);
  auto c3 = planned("Januari 10", "2026-01-10");
  auto c4 = planned("Stängd, tidigast", "2026-01-01");
  s.reg.apply(s.staff, CloseOrder{c4});
  auto c5 = planned("Januari 15", "2026-01-15");
  OrderQuery contacts;
  contacts.kind = OrderKind::contact_order;
  CHECK(idv(s.list(s.staff, contacts)) == idv({c3, c5, c1, c2, c4}));

  // By running number with the setting.
  s.change_settings([](Settings& st) { st.contact_orders_by_number = true; });
  auto by_number = idv(s.list(s.staff, contacts));
  // docs/orders.md says "by running number" without a direction: either way,
  // but by number, and the closed one last.
  CHECK((by_number == idv({c1, c2, c3, c5, c4}) || by_number == idv({c5, c3, c2, c1, c4})));
  // The setting concerns contact order lists only.
  CHECK(idv(s.list(s.staff, works)) == idv({w4, w2, w1, w3}));
}

TEST_CASE("default order of a list of several kinds: newest first, by creation", "[orders][search][sort]") {
  // docs/orders.md: "other lists newest first (by creation)": not by the
  // running numbers, which each kind counts on its own.
  Scene s;
  auto w1 = s.create(OrderKind::work_order, s.aberg);
  s.clock->advance(1min);
  auto w2 = s.create(OrderKind::work_order, s.aberg);
  s.clock->advance(1min);
  auto s1 = s.create(OrderKind::service_order, s.aberg);  // the newest, but number 1
  s.clock->advance(1min);
  auto q1 = s.create(OrderKind::quotation, s.berg);
  s.reg.apply(s.staff, CloseOrder{q1});
  CHECK(idv(s.list(s.staff, {})) == idv({s1, w2, w1, q1}));
  OrderQuery card;
  card.customer = s.aberg;
  CHECK(idv(s.list(s.staff, card)) == idv({s1, w2, w1}));
}

TEST_CASE("pages: the first ten, then all with limit = total", "[orders][search][paging]") {
  Scene s;
  std::set<std::uint64_t> aberg_orders;
  for (int i = 0; i < 12; ++i) aberg_orders.insert(s.create(OrderKind::work_order, s.aberg).value);
  s.create(OrderKind::work_order, s.berg);
  OrderQuery q;
  q.customer = s.aberg;
  auto first = s.list(s.staff, q);
  CHECK(first.items.size() == 10);
  CHECK(first.total == 12);
  q.limit = first.total;
  auto all = s.list(s.staff, q);
  CHECK(all.items.size() == 12);
  CHECK(id_set(all) == aberg_orders);
  q.limit = 10;
  q.offset = 10;
  auto rest = s.list(s.staff, q);
  CHECK(rest.items.size() == 2);
  CHECK(rest.total == 12);
  // The pages together are the whole list, in order.
  auto joined = idv(first);
  auto tail = idv(rest);
  joined.insert(joined.end(), tail.begin(), tail.end());
  CHECK(joined == idv(all));
}

TEST_CASE("favourite filters: per user, by name, a save replaces the same name", "[orders][favourites]") {
  Scene s;
  OrderQuery mine;
  mine.assigned_to_me = true;
  mine.kind = OrderKind::contact_order;
  s.reg.apply(s.staff, SaveOrderFilter{OrderFilter{{}, "Mina leads", mine}});
  OrderQuery january;
  january.planned_from = at("2026-01-01");
  january.planned_to = at("2026-02-01");
  s.reg.apply(s.staff, SaveOrderFilter{OrderFilter{{}, "Januari", january}});
  auto filters = s.reg.order_filters(s.staff);
  REQUIRE(filters.size() == 2);
  CHECK(filters[0].name == "Januari");  // by name
  CHECK(filters[0].owner == s.staff);
  CHECK(filters[0].query == january);
  CHECK(filters[1].name == "Mina leads");
  CHECK(filters[1].query == mine);

  // Same name: replaced.
  OrderQuery closed;
  closed.closed = true;
  s.reg.apply(s.staff, SaveOrderFilter{OrderFilter{{}, "Mina leads", closed}});
  filters = s.reg.order_filters(s.staff);
  REQUIRE(filters.size() == 2);
  CHECK(filters[1].name == "Mina leads");
  CHECK(filters[1].query == closed);

  // Nobody else reads them; his own of the same name is his.
  CHECK(s.reg.order_filters(s.tina).empty());
  CHECK(s.reg.order_filters(s.admin).empty());
  s.reg.apply(s.tina, SaveOrderFilter{OrderFilter{{}, "Mina leads", mine}});
  REQUIRE(s.reg.order_filters(s.tina).size() == 1);
  CHECK(s.reg.order_filters(s.tina)[0].owner == s.tina);
  CHECK(s.reg.order_filters(s.staff).size() == 2);
  CHECK(s.reg.order_filters(s.staff)[1].query == closed);

  s.reg.apply(s.tina, DeleteOrderFilter{"Mina leads"});
  CHECK(s.reg.order_filters(s.tina).empty());
  CHECK(s.reg.order_filters(s.staff).size() == 2);
  s.reg.apply(s.staff, DeleteOrderFilter{"Januari"});
  filters = s.reg.order_filters(s.staff);
  REQUIRE(filters.size() == 1);
  CHECK(filters[0].name == "Mina leads");
}

TEST_CASE("the to-do list: own open contact orders and own bookings not done, by date, undated last",
          "[orders][todo]") {
  Scene s;
  UserId vera = s.add_user("vera", seeing_customers_and({Right::contact_orders_view_assigned, Right::contact_orders_edit,
                                                        Right::contact_orders_create, Right::contact_orders_assign_self}));
  auto contact = [&](const char* subject, std::optional<const char*> planned, std::vector<UserId> assigned) {
    Order o = Scene::draft(OrderKind::contact_order, s.aberg, subject);
    if (planned) o.planned = at(*planned);
    auto id = s.create(s.staff, o);
    if (!assigned.empty()) s.reg.apply(s.staff, AssignOrder{id, assigned});
    return id;
  };
  auto a = contact("A, planerad 10/1", "2026-01-10T09:00:00Z", {s.tina});
  auto b = contact("B, odaterad", std::nullopt, {s.tina});
  auto closed = contact("C, stängd", "2026-01-06T09:00:00Z", {s.tina});
  s.reg.apply(s.staff, CloseOrder{closed});
  auto others = contact("D, någon annans", "2026-01-07T09:00:00Z", {s.staff, vera});
  auto work = s.create(OrderKind::work_order, s.aberg, "Arbetsorder");
  s.reg.apply(s.staff, AssignOrder{work, {s.tina}});
  s.edit(s.staff, others, [&](Order& o) {
    o.bookings = {booking(BookingKind::phone, at("2026-01-08T10:00:00Z"), s.tina, "Ring Lena"),
                  booking(BookingKind::meeting, at("2026-01-09T10:00:00Z"), s.tina, "Redan gjort"),
                  booking(BookingKind::phone, at("2026-01-06T10:00:00Z"), s.staff, "Staffs samtal")};
    o.bookings[1].done = true;
  });
  auto hidden_from_vera = contact("E, inte Veras", "2026-01-11T09:00:00Z", {s.tina});
  s.edit(s.staff, hidden_from_vera, [&](Order& o) {
    o.bookings = {booking(BookingKind::phone, at("2026-01-12T10:00:00Z"), vera, "Ring åt Tina")};
  });

  auto todo = s.reg.todo(s.tina);
  REQUIRE(todo.size() == 4);
  CHECK(todo[0].order == others);
  CHECK(todo[0].booking == s.get(others).bookings[0].id);
  CHECK(todo[0].when == at("2026-01-08T10:00:00Z"));
  CHECK(todo[0].text == "Ring Lena");
  CHECK(todo[1].order == a);
  CHECK(todo[1].booking == 0);
  CHECK(todo[1].when == at("2026-01-10T09:00:00Z"));
  CHECK(todo[1].text == "A, planerad 10/1");
  CHECK(todo[2].order == hidden_from_vera);
  CHECK(todo[2].booking == 0);
  CHECK(todo[3].order == b);  // undated last
  CHECK_FALSE(todo[3].when);

  // Vera: her contact order; her booking on an order she does not see is not hers to do.
  auto vera_todo = s.reg.todo(vera);
  REQUIRE(vera_todo.size() == 1);
  CHECK(vera_todo[0].order == others);
  CHECK(vera_todo[0].booking == 0);

  // Done and closed things leave the list.
  s.edit(s.staff, others, [](Order& o) { o.bookings[0].done = true; });
  s.reg.apply(s.staff, CloseOrder{a});
  todo = s.reg.todo(s.tina);
  REQUIRE(todo.size() == 2);
  CHECK(todo[0].order == hidden_from_vera);
  CHECK(todo[1].order == b);
}

// ---- recipients ----------------------------------------------------------------------------

TEST_CASE("recipients: work orders to 'send work orders', service protocols to 'send service protocol'",
          "[orders][recipients]") {
  Scene s;
  auto k = s.add_customer("4001", "Mottagare AB");
  auto wo_only = s.add_contact("Wilma", "Order", "wilma@m.se");
  auto sp_only = s.add_contact("Sune", "Protokoll", "sune@m.se");
  auto no_mail = s.add_contact("Nils", "Utanmejl");
  auto nothing = s.add_contact("Inga", "Flaggor", "inga@m.se");
  s.reg.apply(s.staff, LinkContact{{wo_only, k, "", false, true}});
  s.reg.apply(s.staff, LinkContact{{sp_only, k, "", true, false}});
  s.reg.apply(s.staff, LinkContact{{no_mail, k, "", true, true}});
  s.reg.apply(s.staff, LinkContact{{nothing, k, "", false, false}});

  auto contacts = [](const std::vector<Recipient>& rs) {
    std::set<std::uint64_t> out;
    for (const auto& r : rs) out.insert(r.contact.value);
    return out;
  };
  auto work = s.reg.recipients(s.staff, s.create(OrderKind::work_order, k));
  CHECK(contacts(work.to) == std::set<std::uint64_t>{wo_only.value});
  REQUIRE(work.to.size() == 1);
  CHECK(work.to[0].email == "wilma@m.se");
  CHECK(contacts(work.without_email) == std::set<std::uint64_t>{no_mail.value});

  auto service = s.reg.recipients(s.staff, s.create(OrderKind::service_order, k));
  CHECK(contacts(service.to) == std::set<std::uint64_t>{sp_only.value});
  REQUIRE(service.to.size() == 1);
  CHECK(service.to[0].email == "sune@m.se");
  CHECK(contacts(service.without_email) == std::set<std::uint64_t>{no_mail.value});

  for (OrderKind kind : {OrderKind::error_report, OrderKind::quotation, OrderKind::contact_order}) {
    INFO(enum_name(kind));
    auto id = s.create(kind, k, "Inte för utskick");
    CHECK(refusal_field([&] { s.reg.recipients(s.staff, id); }) == "kind");
  }
}

// ---- assignment and notifications ------------------------------------------------------------

TEST_CASE("a new order of any kind goes to the customer's technician, with a notification", "[orders][assign][notifications]") {
  Scene s;
  s.reg.apply(s.staff, AssignTechnician{s.aberg, s.tina});
  for (OrderKind kind : {OrderKind::work_order, OrderKind::service_order, OrderKind::error_report,
                         OrderKind::quotation, OrderKind::contact_order}) {
    INFO(enum_name(kind));
    auto before = s.inbox(s.tina, NotificationKind::order_assigned).size();
    auto id = s.create(kind, s.aberg, "Automatisk");
    CHECK(s.get(id).assigned == std::vector<UserId>{s.tina});
    auto got = s.inbox(s.tina, NotificationKind::order_assigned);
    REQUIRE(got.size() == before + 1);
    CHECK(got.back().subject == ref(id));
  }
  // Besides the users the order names.
  Order named = Scene::draft(OrderKind::work_order, s.aberg);
  named.assigned = {s.olle};
  auto both = s.get(s.create(s.staff, named)).assigned;
  CHECK(std::set<UserId>(both.begin(), both.end()) == std::set<UserId>{s.tina, s.olle});
  CHECK(s.inbox(s.olle, NotificationKind::order_assigned).size() == 1);
  // A customer without a technician: nobody.
  CHECK(s.get(s.create(OrderKind::work_order, s.berg)).assigned.empty());

  // An error report from a customer user, too.
  UserId portal = s.reg.apply(s.admin, CreateCustomerUser{s.aberg, s.lena, "lena"});
  auto before = s.inbox(s.tina, NotificationKind::order_assigned).size();
  auto report = s.create(portal, Scene::draft(OrderKind::error_report, s.aberg, "Läcker vatten"));
  CHECK(s.get(report).assigned == std::vector<UserId>{s.tina});
  auto got = s.inbox(s.tina, NotificationKind::order_assigned);
  REQUIRE(got.size() == before + 1);
  CHECK(got.back().subject == ref(report));
}

TEST_CASE("AssignOrder notifies those added and those taken off", "[orders][assign][notifications]") {
  Scene s;
  UserId per_user = s.add_user("pelle", every_right());
  auto id = s.create(OrderKind::work_order, s.aberg, "Läckande ventil");
  s.reg.apply(s.staff, AssignOrder{id, {s.tina, s.olle}});
  CHECK(s.get(id).assigned.size() == 2);
  auto tina = s.inbox(s.tina, NotificationKind::order_assigned);
  auto olle = s.inbox(s.olle, NotificationKind::order_assigned);
  REQUIRE(tina.size() == 1);
  REQUIRE(olle.size() == 1);
  CHECK(tina[0].subject == ref(id));
  // The text names the order only to whom may see it.
  CHECK_THAT(tina[0].text, Catch::Contains("Läckande ventil"));
  CHECK_THAT(olle[0].text, !Catch::Contains("Läckande ventil"));

  s.reg.apply(s.staff, AssignOrder{id, {s.olle, per_user}});
  auto assigned = s.get(id).assigned;
  CHECK(std::set<UserId>(assigned.begin(), assigned.end()) == std::set<UserId>{s.olle, per_user});
  auto off = s.inbox(s.tina, NotificationKind::order_unassigned);
  REQUIRE(off.size() == 1);
  CHECK(off[0].subject == ref(id));
  // Olle stays: nothing new for him; Pelle is new.
  CHECK(s.inbox(s.olle, NotificationKind::order_assigned).size() == 1);
  CHECK(s.inbox(s.olle, NotificationKind::order_unassigned).empty());
  CHECK(s.inbox(per_user, NotificationKind::order_assigned).size() == 1);
  CHECK(s.inbox(per_user, NotificationKind::order_assigned)[0].subject == ref(id));
  // The same set again says nothing.
  auto outbox = s.reg.outbox(s.admin, 1000).size();
  s.reg.apply(s.staff, AssignOrder{id, {per_user, s.olle}});
  CHECK(s.reg.outbox(s.admin, 1000).size() == outbox);
  // Everybody off.
  s.reg.apply(s.staff, AssignOrder{id, {}});
  CHECK(s.get(id).assigned.empty());
  CHECK(s.inbox(s.olle, NotificationKind::order_unassigned).size() == 1);
  CHECK(s.inbox(per_user, NotificationKind::order_unassigned).size() == 1);
}

TEST_CASE("order notifications are in the recipient's language and name kind, number and subject",
          "[orders][assign][notifications]") {
  Scene s;
  User dane = staff_user("dorte", "Dorte", every_right());
  dane.language = "da";
  UserId dorte = s.reg.apply(s.admin, CreateUser{dane});
  for (int i = 0; i < 11; ++i) s.create(OrderKind::work_order, s.berg);
  auto id = s.create(OrderKind::work_order, s.aberg, "Trasig kompressor");
  REQUIRE(s.get(id).number == 12);
  s.reg.apply(s.staff, AssignOrder{id, {dorte, s.tina}});
  auto da = s.inbox(dorte, NotificationKind::order_assigned);
  auto sv = s.inbox(s.tina, NotificationKind::order_assigned);
  REQUIRE(da.size() == 1);
  REQUIRE(sv.size() == 1);
  CHECK(da[0].language == "da");
  CHECK(sv[0].language == "sv");  // no language of his own: the register's
  CHECK(da[0].text != sv[0].text);
  for (const auto& n : {da[0], sv[0]}) {
    CHECK_THAT(n.text, Catch::Contains("12"));
    CHECK_THAT(n.text, Catch::Contains("Trasig kompressor"));
  }
}

TEST_CASE("only active staff users are assigned", "[orders][assign][validation]") {
  Scene s;
  auto id = s.create(OrderKind::work_order, s.aberg);
  UserId portal = s.reg.apply(s.admin, CreateCustomerUser{s.aberg, s.lena, "lena"});
  UserId gone = s.add_user("borta", every_right());
  User g = s.reg.user(s.admin, gone);
  g.active = false;
  s.reg.apply(s.admin, UpdateUser{g});
  CHECK_REFUSED(s, Error, s.staff, AssignOrder{id, {portal}});
  CHECK_REFUSED(s, Error, s.staff, AssignOrder{id, {gone}});
  CHECK_REFUSED(s, Error, s.staff, AssignOrder{id, {UserId{999}}});  // docs: refused; the error kind is not said
  Order o = Scene::draft(OrderKind::work_order, s.aberg);
  o.assigned = {portal};
  CHECK_REFUSED(s, Error, s.staff, create_order(o));
}

TEST_CASE("assign needs the assign right, assign-self lets the actor add or remove only himself",
          "[orders][assign][rights]") {
  Scene s;
  UserId sam = s.add_user("sam", seeing_customers_and({Right::orders_view, Right::orders_edit, Right::orders_create,
                                                      Right::orders_assign_self, Right::contact_orders_view,
                                                      Right::contact_orders_edit, Right::contact_orders_create}));
  UserId ned = s.add_user("ned", seeing_customers_and({Right::orders_view, Right::orders_edit}));
  auto id = s.create(OrderKind::work_order, s.aberg);
  s.reg.apply(s.staff, AssignOrder{id, {s.tina}});

  CHECK_REFUSED(s, PermissionDenied, ned, AssignOrder{id, {s.tina, ned}});
  CHECK_REFUSED(s, PermissionDenied, sam, AssignOrder{id, {s.tina, sam, s.olle}});  // adds someone else
  CHECK_REFUSED(s, PermissionDenied, sam, AssignOrder{id, {sam}});                  // takes Tina off
  CHECK_REFUSED(s, PermissionDenied, sam, AssignOrder{id, {s.olle}});
  s.reg.apply(sam, AssignOrder{id, {s.tina, sam}});
  // Every newly assigned user is notified, also when he assigned himself (docs/domain-decisions.md).
  CHECK(s.inbox(sam, NotificationKind::order_assigned).size() == 1);
  auto assigned = s.get(id).assigned;
  CHECK(std::set<UserId>(assigned.begin(), assigned.end()) == std::set<UserId>{s.tina, sam});
  s.reg.apply(sam, AssignOrder{id, {s.tina}});
  CHECK(s.get(id).assigned == std::vector<UserId>{s.tina});

  // At creation: himself, yes; anybody else, no.
  Order self = Scene::draft(OrderKind::work_order, s.berg);
  self.assigned = {sam};
  CHECK(s.get(s.create(sam, self)).assigned == std::vector<UserId>{sam});
  Order other = Scene::draft(OrderKind::work_order, s.berg);
  other.assigned = {s.tina};
  CHECK_REFUSED(s, PermissionDenied, sam, create_order(other));

  // Contact orders go by contact_orders.assign / assign_self: Sam has neither.
  auto lead = s.create(OrderKind::contact_order, s.aberg, "Lead");
  CHECK_REFUSED(s, PermissionDenied, sam, AssignOrder{lead, {sam}});
  UserId crm = s.add_user("cia", seeing_customers_and({Right::contact_orders_view, Right::contact_orders_edit,
                                                      Right::contact_orders_assign_self}));
  s.reg.apply(crm, AssignOrder{lead, {crm}});
  CHECK(s.get(lead).assigned == std::vector<UserId>{crm});
  CHECK_REFUSED(s, PermissionDenied, crm, AssignOrder{lead, {crm, s.tina}});
  UserId boss = s.add_user("bo", seeing_customers_and({Right::contact_orders_view, Right::contact_orders_assign,
                                                      Right::orders_view}));
  s.reg.apply(boss, AssignOrder{lead, {s.tina, s.olle}});
  CHECK(s.get(lead).assigned.size() == 2);
  CHECK_REFUSED(s, PermissionDenied, boss, AssignOrder{id, {s.olle}});  // a work order: orders.assign
}

// ---- who sees and changes orders ----------------------------------------------------------

TEST_CASE("orders.* govern orders, contact_orders.* contact orders", "[orders][rights]") {
  Scene s;
  auto work = s.create(OrderKind::work_order, s.aberg);
  auto lead = s.create(OrderKind::contact_order, s.aberg, "Lead");
  UserId orders_only = s.add_user("ola", seeing_customers_and({Right::orders_view, Right::orders_edit,
                                                              Right::orders_create}));
  UserId crm_only = s.add_user("cia", seeing_customers_and({Right::contact_orders_view, Right::contact_orders_edit,
                                                           Right::contact_orders_create}));
  CHECK(s.reg.find_order(orders_only, work));
  CHECK_FALSE(s.reg.find_order(orders_only, lead));
  CHECK(s.reg.find_order(crm_only, lead));
  CHECK_FALSE(s.reg.find_order(crm_only, work));
  CHECK(idv(s.list(orders_only, {})) == idv({work}));
  CHECK(idv(s.list(crm_only, {})) == idv({lead}));
  CHECK_FALSE(s.reg.find_order_by_number(crm_only, OrderKind::work_order, 1));
  CHECK_REFUSED(s, NotFound, crm_only, AddOrderNote{work, "x"});
  CHECK_REFUSED(s, NotFound, orders_only, AddOrderNote{lead, "x"});
  CHECK(s.reg.history(orders_only, ref(lead)).empty());

  CHECK_REFUSED(s, PermissionDenied, orders_only,
                create_order(Scene::draft(OrderKind::contact_order, s.aberg, "Nej")));
  CHECK_REFUSED(s, PermissionDenied, crm_only, create_order(Scene::draft(OrderKind::work_order, s.aberg)));
  CHECK_NOTHROW(s.create(orders_only, Scene::draft(OrderKind::quotation, s.aberg)));
  CHECK_NOTHROW(s.create(crm_only, Scene::draft(OrderKind::contact_order, s.aberg, "Ja")));

  UserId nobody = s.add_user("noa", kSeeCustomers);
  CHECK(s.list(nobody, {}).total == 0);
  CHECK_FALSE(s.reg.find_order(nobody, work));
  CHECK_REFUSED(s, PermissionDenied, nobody, create_order(Scene::draft(OrderKind::work_order, s.aberg)));
}

TEST_CASE("orders.view_assigned sees only orders assigned to him, hidden is NotFound, seen but not allowed is denied",
          "[orders][rights]") {
  Scene s;
  UserId vera = s.add_user("vera", seeing_customers_and({Right::orders_view_assigned}));
  auto mine = s.create(OrderKind::work_order, s.aberg, "Veras");
  s.reg.apply(s.staff, AssignOrder{mine, {vera}});
  auto other = s.create(OrderKind::work_order, s.aberg, "Inte Veras");
  s.reg.apply(s.staff, AssignOrder{other, {s.tina}});
  auto nobodys = s.create(OrderKind::work_order, s.berg, "Ingens");

  CHECK(s.reg.find_order(vera, mine));
  CHECK_FALSE(s.reg.find_order(vera, other));
  CHECK_FALSE(s.reg.find_order(vera, nobodys));
  CHECK_THROWS_AS(s.reg.order(vera, other), NotFound);
  CHECK_FALSE(s.reg.find_order_by_number(vera, OrderKind::work_order, s.get(other).number));
  auto page = s.list(vera, {});
  CHECK(idv(page) == idv({mine}));
  CHECK(page.total == 1);
  CHECK(s.reg.history(vera, ref(other)).empty());
  CHECK_FALSE(s.reg.history(vera, ref(mine)).empty());

  // Commands on the hidden one: NotFound; on her own without the right: PermissionDenied.
  CHECK_REFUSED(s, NotFound, vera, AddOrderNote{other, "x"});
  CHECK_REFUSED(s, NotFound, vera, CloseOrder{other});
  CHECK_REFUSED(s, NotFound, vera, DeleteOrder{other});
  Order hidden = s.get(other);
  hidden.description = "x";
  CHECK_REFUSED(s, NotFound, vera, UpdateOrder{hidden});
  CHECK_REFUSED(s, PermissionDenied, vera, CloseOrder{mine});
  CHECK_REFUSED(s, PermissionDenied, vera, DeleteOrder{mine});
  Order own = s.get(mine);
  own.description = "x";
  CHECK_REFUSED(s, PermissionDenied, vera, UpdateOrder{own});

  // Taken off, she no longer sees it.
  s.reg.apply(s.staff, AssignOrder{mine, {}});
  CHECK_FALSE(s.reg.find_order(vera, mine));

  // The order's rights alone decide: a technician without customer rights
  // reads the order assigned to him.
  UserId tekniker = s.add_user("teo", {Right::orders_view_assigned});
  s.reg.apply(s.staff, AssignOrder{other, {s.tina, tekniker}});
  CHECK_FALSE(s.reg.find_customer(tekniker, s.aberg));
  REQUIRE(s.reg.find_order(tekniker, other));
  CHECK(idv(s.list(tekniker, {})) == idv({other}));
}

TEST_CASE("creating an order needs sight of its customer", "[orders][rights]") {
  Scene s;
  UserId blind = s.add_user("bea", {Right::orders_view, Right::orders_create, Right::contact_orders_create});
  UserId assigned_only = s.add_user("ali", {Right::customers_view_assigned, Right::orders_view, Right::orders_create});
  s.reg.apply(s.staff, AssignTechnician{s.aberg, assigned_only});
  CHECK_REFUSED(s, NotFound, blind, create_order(Scene::draft(OrderKind::work_order, s.aberg)));
  CHECK_REFUSED(s, NotFound, blind, create_order(Scene::draft(OrderKind::contact_order, s.aberg, "Lead")));
  CHECK_REFUSED(s, NotFound, assigned_only, create_order(Scene::draft(OrderKind::work_order, s.berg)));
  CHECK_NOTHROW(s.create(assigned_only, Scene::draft(OrderKind::work_order, s.aberg)));
}

TEST_CASE("the history of a deleted order needs orders.view and contact_orders.view", "[orders][rights][history]") {
  Scene s;
  auto id = s.create(OrderKind::work_order, s.aberg);
  s.reg.apply(s.staff, DeleteOrder{id});
  UserId orders_only = s.add_user("ola", seeing_customers_and({Right::orders_view}));
  UserId both = s.add_user("bo", seeing_customers_and({Right::orders_view, Right::contact_orders_view}));
  CHECK(s.reg.history(orders_only, ref(id)).empty());
  auto h = s.reg.history(both, ref(id));
  REQUIRE_FALSE(h.empty());
  CHECK(h.back().action == Action::deleted);
}

TEST_CASE("orders.edit_assigned changes only orders assigned to him", "[orders][rights]") {
  Scene s;
  UserId erik = s.add_user("erik", seeing_customers_and({Right::orders_view, Right::orders_edit_assigned}));
  auto mine = s.create(OrderKind::work_order, s.aberg);
  s.reg.apply(s.staff, AssignOrder{mine, {erik}});
  auto other = s.create(OrderKind::work_order, s.aberg);
  s.edit(erik, mine, [](Order& o) { o.description = "Ändrad av Erik"; });
  CHECK(s.get(mine).description == "Ändrad av Erik");
  Order o = s.get(other);
  o.description = "Nej";
  CHECK_REFUSED(s, PermissionDenied, erik, UpdateOrder{o});
  CHECK_REFUSED(s, PermissionDenied, erik, CloseOrder{other});
  CHECK_NOTHROW(s.reg.apply(erik, CloseOrder{mine}));
}

TEST_CASE("a customer user sees his customer's orders but contact orders, and files error reports only",
          "[orders][rights][customer_user]") {
  Scene s;
  s.reg.apply(s.staff, AssignTechnician{s.aberg, s.tina});
  UserId portal = s.reg.apply(s.admin, CreateCustomerUser{s.aberg, s.lena, "lena"});
  auto work = s.create(OrderKind::work_order, s.aberg);
  auto lead = s.create(OrderKind::contact_order, s.aberg, "Intern säljanteckning");
  auto foreign = s.create(OrderKind::work_order, s.berg);

  CHECK(s.reg.find_order(portal, work));
  CHECK_FALSE(s.reg.find_order(portal, lead));
  CHECK_FALSE(s.reg.find_order(portal, foreign));
  CHECK(idv(s.list(portal, {})) == idv({work}));

  // An error report for his own customer, with the fields he may give.
  Order report = Scene::draft(OrderKind::error_report, s.aberg, "Värmepumpen larmar");
  report.description = "Larm E42 sedan i morse";
  report.facility = s.aberg_site;
  report.service_object = s.aberg_pump;
  report.contact = s.lena;
  report.customer_order_number = "PO-77";
  auto id = s.create(portal, report);
  Order got = s.reg.order(portal, id);
  CHECK(got.kind == OrderKind::error_report);
  CHECK(got.number == 1);
  CHECK(got.status == "new");
  CHECK(got.created_by == portal);
  CHECK(got.facility == s.aberg_site);
  CHECK(got.service_object == s.aberg_pump);
  CHECK(got.contact == s.lena);
  CHECK(got.customer_order_number == "PO-77");
  CHECK(got.assigned == std::vector<UserId>{s.tina});

  // The register sets everything else: what else he gives is refused or ignored.
  Order extra = Scene::draft(OrderKind::error_report, s.aberg, "Med mer");
  extra.status = "in_progress";
  extra.planned = at("2026-02-01");
  extra.cost_center = "K1";
  extra.lines = {line("FRI", "Gratis")};
  try {
    auto eid = s.create(portal, extra);
    Order e = s.get(eid);
    CHECK(e.status == "new");
    CHECK_FALSE(e.planned);
    CHECK(e.cost_center.empty());
    CHECK(e.lines.empty());
  } catch (const Error&) {
    SUCCEED("refused");
  }

  // Nothing else: other kinds, other customers, changes.
  CHECK_REFUSED(s, PermissionDenied, portal, create_order(Scene::draft(OrderKind::work_order, s.aberg)));
  CHECK_REFUSED(s, PermissionDenied, portal, create_order(Scene::draft(OrderKind::contact_order, s.aberg, "x")));
  CHECK_REFUSED(s, NotFound, portal, create_order(Scene::draft(OrderKind::error_report, s.berg, "Fel kund")));
  Order change = s.get(id);
  change.description = "Ändrad";
  CHECK_REFUSED(s, PermissionDenied, portal, UpdateOrder{change});
  CHECK_REFUSED(s, PermissionDenied, portal, AddOrderNote{work, "Hej"});
  CHECK_REFUSED(s, PermissionDenied, portal, CloseOrder{id});
  CHECK_REFUSED(s, PermissionDenied, portal, DeleteOrder{id});
  CHECK_REFUSED(s, PermissionDenied, portal, AddTimeEntry{work, 1, ""});
  CHECK_REFUSED(s, NotFound, portal, AddOrderNote{lead, "Hej"});

  // The catalogue and favourites are for staff.
  s.reg.apply(s.admin, CreateArticle{Article{{}, "TIM", "Arbetstid", "h", 650, true, {}, 0}});
  CHECK(s.reg.articles(portal).empty());
  CHECK_FALSE(s.reg.find_article_by_number(portal, "TIM"));
  CHECK_REFUSED(s, PermissionDenied, portal, SaveOrderFilter{OrderFilter{{}, "Mina", OrderQuery{}}});

  // Locked, he files nothing.
  s.reg.apply(s.staff, SetCustomerUserLocked{portal, true});
  CHECK_REFUSED(s, Error, portal, create_order(Scene::draft(OrderKind::error_report, s.aberg, "Låst")));
}

// ---- history -------------------------------------------------------------------------------

TEST_CASE("history records every change of an order, and orders on the customer", "[orders][history]") {
  Scene s;
  s.clock->advance(1h);
  Order o = Scene::draft(OrderKind::work_order, s.aberg, "Första ämnet");
  auto id = s.create(s.staff, o);
  auto h = s.reg.history(s.staff, ref(id));
  REQUIRE(h.size() == 1);
  CHECK(h[0].action == Action::created);
  CHECK(h[0].actor == s.staff);
  CHECK(h[0].at == at("2026-01-05T09:00:00Z"));
  REQUIRE(h[0].new_value.find("subject"));
  CHECK(h[0].new_value.find("subject")->as<std::string>() == "Första ämnet");
  auto ch = s.reg.history(s.staff, ref(s.aberg));
  CHECK(ch.back().field == "orders");
  CHECK(ch.back().action == Action::linked);
  CHECK(ch.back().change == h[0].change);

  // Each changed field is one entry with old and new values, one change number.
  s.clock->advance(1h);
  s.edit(s.tina, id, [](Order& x) {
    x.subject = "Andra ämnet";
    x.status = "in_progress";
  });
  h = s.reg.history(s.staff, ref(id));
  REQUIRE(h.size() == 3);
  std::map<std::string, HistoryEntry> by_field;
  for (std::size_t i = 1; i < h.size(); ++i) by_field[h[i].field] = h[i];
  CHECK(by_field.at("subject").old_value == Value("Första ämnet"));
  CHECK(by_field.at("subject").new_value == Value("Andra ämnet"));
  CHECK(by_field.at("status").old_value == Value("new"));
  CHECK(by_field.at("status").new_value == Value("in_progress"));
  CHECK(h[1].change == h[2].change);
  CHECK(h[1].actor == s.tina);
  CHECK(h[1].action == Action::changed);

  // Every other command leaves its mark, under the field it changed.
  auto recorded = [&](const char* what, auto command, std::string_view field_prefix) {
    INFO(what);
    auto count = s.reg.history(s.staff, ref(id)).size();
    s.clock->advance(1min);
    s.reg.apply(s.staff, command);
    auto after = s.reg.history(s.staff, ref(id));
    REQUIRE(after.size() > count);
    bool found = false;
    for (std::size_t i = count; i < after.size(); ++i) {
      CHECK(after[i].at == s.clock->now());
      found = found || after[i].field.rfind(field_prefix, 0) == 0;
    }
    CHECK(found);
    return std::vector<HistoryEntry>(after.begin() + static_cast<std::ptrdiff_t>(count), after.end());
  };
  auto note = recorded("note", AddOrderNote{id, "Anteckning"}, "notes");
  CHECK(note[0].action == Action::linked);
  CHECK(note[0].new_value.find("text")->as<std::string>() == "Anteckning");
  recorded("time entry", AddTimeEntry{id, 1, "Arbete"}, "time_entries");
  recorded("file", AddOrderFile{id, file_info("a.pdf")}, "files");
  recorded("assignment", AssignOrder{id, {s.tina}}, "assigned");
  Order with_line = s.get(id);
  with_line.lines = {line("FRI", "Material")};
  recorded("lines", UpdateOrder{with_line}, "lines");
  Order with_booking = s.get(id);
  with_booking.bookings = {booking(BookingKind::phone, at("2026-01-06"), s.tina, "Ring")};
  recorded("bookings", UpdateOrder{with_booking}, "bookings");
  recorded("close", CloseOrder{id}, "closed");
  recorded("reopen", ReopenOrder{id}, "closed");

  // Deleted: the whole order in the entry, and unlinked on the customer.
  s.clock->advance(1min);
  s.reg.apply(s.staff, DeleteOrder{id});
  h = s.reg.history(s.staff, ref(id));
  REQUIRE_FALSE(h.empty());
  CHECK(h.back().action == Action::deleted);
  REQUIRE(h.back().old_value.find("subject"));
  CHECK(h.back().old_value.find("subject")->as<std::string>() == "Andra ämnet");
  ch = s.reg.history(s.staff, ref(s.aberg));
  CHECK(ch.back().field == "orders");
  CHECK(ch.back().action == Action::unlinked);
}

// ---- persistence -------------------------------------------------------------------------

namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static std::atomic<int> n{0};
    path = std::filesystem::temp_directory_path() /
           ("kartotek-orders-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

std::string state_of(const Register& reg) {
  std::ostringstream out;
  reg.write_state(out);
  return out.str();
}

// Fills `reg` with orders touching every part of the record.
struct Filled {
  OrderId work, lead, sales, deleted;
};

Filled fill(Register& reg, ManualClock& clock) {
  UserId admin = reg.create_first_administrator("admin", "Ada");
  UserId tina = reg.apply(admin, CreateUser{staff_user("tina", "Tina")});
  Settings st = reg.settings(admin);
  set_statuses(st, OrderKind::contact_order, {"lead", "offert", "vunnen"});
  st.contact_orders_by_number = true;
  reg.apply(admin, UpdateSettings{st});
  reg.apply(admin, CreateArticle{Article{{}, "TIM", "Arbetstid", "h", 650, true, {}, 0}});
  Customer c;
  c.number = "1";
  c.name = "Åberg AB";
  c.work_order_articles = {ArticleLine{"TIM", "", 1, "", true, 0}};
  CustomerId aberg = reg.apply(admin, CreateCustomer{c});
  reg.apply(admin, AssignTechnician{aberg, tina});
  Contact p;
  p.first_name = "Lena";
  p.email = "lena@aberg.se";
  ContactId lena = reg.apply(admin, CreateContact{p});
  reg.apply(admin, LinkContact{{lena, aberg, "VD", true, true}});
  Facility f;
  f.customer = aberg;
  f.name = "Fabriken";
  FacilityId site = reg.apply(admin, CreateFacility{f});

  Filled out;
  clock.advance(1h);
  Order w;
  w.kind = OrderKind::work_order;
  w.customer = aberg;
  w.facility = site;
  w.contact = lena;
  w.subject = "Reparation";
  w.planned = clock.now() + 48h;
  w.lines = {line("FRI", "Material")};
  out.work = reg.apply(admin, create_order(w));
  Order wo = reg.order(admin, out.work);
  wo.lines[0].hours = 2;  // the copied time line, dated now
  reg.apply(admin, UpdateOrder{wo});
  reg.apply(admin, AddOrderNote{out.work, "Anteckning"});
  reg.apply(tina, AddTimeEntry{out.work, 1.25, "Felsökning"});
  reg.apply(admin, AddOrderFile{out.work, file_info("bild.jpg")});
  reg.apply(admin, AssignOrder{out.work, {tina, admin}});

  Order l;
  l.kind = OrderKind::contact_order;
  l.customer = aberg;
  l.subject = "Ny pump";
  l.bookings = {booking(BookingKind::meeting, clock.now() + 1h, tina, "Möte")};
  out.lead = reg.apply(admin, create_order(l));
  clock.advance(2h);
  reg.apply(admin, RaiseReminders{});
  Customer fresh;
  fresh.number = "2";
  fresh.name = "Nyföretaget AB";
  Order l2;
  l2.kind = OrderKind::contact_order;
  l2.subject = "Kall kontakt";
  reg.apply(admin, create_order(l2, fresh, Facility{{}, {}, "Kontoret", "", {}, "", true, {}, 0, {}}));
  out.sales = reg.apply(admin, ConvertToSalesOrder{out.lead});
  out.deleted = reg.apply(admin, create_order(w));
  reg.apply(admin, DeleteOrder{out.deleted});
  OrderQuery q;
  q.kind = OrderKind::contact_order;
  q.assigned_to_me = true;
  reg.apply(tina, SaveOrderFilter{OrderFilter{{}, "Mina", q}});
  return out;
}

}  // namespace

TEST_CASE("orders survive an export and import as they are", "[orders][persistence]") {
  auto clock = std::make_shared<ManualClock>(at("2026-03-01T08:00:00Z"));
  Register reg(clock);
  Filled filled = fill(reg, *clock);
  UserId admin{1};
  Register copy = Register::import_json(reg.export_json(admin), clock);
  CHECK(state_of(copy) == state_of(reg));
  CHECK(copy.order(admin, filled.work) == reg.order(admin, filled.work));
  CHECK(copy.order(admin, filled.sales) == reg.order(admin, filled.sales));
  CHECK(copy.order_filters(UserId{2}) == reg.order_filters(UserId{2}));
  CHECK(copy.export_json(admin) == reg.export_json(admin));
  // Counters travel too: the next work order is number 3 (2 was deleted).
  Order w;
  w.kind = OrderKind::work_order;
  w.customer = CustomerId{1};
  CHECK(copy.order(admin, copy.apply(admin, create_order(w))).number == 3);
}

TEST_CASE("orders survive closing and reopening a register on disk, and a compaction", "[orders][persistence]") {
  TempDir dir;
  auto clock = std::make_shared<ManualClock>(at("2026-03-01T08:00:00Z"));
  OpenOptions o;
  o.durability = Durability::none;
  o.clock = clock;
  std::string before;
  Filled filled;
  Order work;
  {
    Register reg = Register::open(dir.path, o);
    filled = fill(reg, *clock);
    before = state_of(reg);
    work = reg.order(UserId{1}, filled.work);
  }
  {
    Register reg = Register::open(dir.path, o);
    CHECK(state_of(reg) == before);
    CHECK(reg.order(UserId{1}, filled.work) == work);
    CHECK(reg.counts().orders == 4);
    reg.compact();
  }
  Register reg = Register::open(dir.path, o);
  CHECK(state_of(reg) == before);
  CHECK(reg.order(UserId{1}, filled.sales).origin == filled.lead);
  CHECK_FALSE(reg.find_order(UserId{1}, filled.deleted));
  Order w;
  w.kind = OrderKind::work_order;
  w.customer = CustomerId{1};
  CHECK(reg.order(UserId{1}, reg.apply(UserId{1}, create_order(w))).number == 3);
  Order l;
  l.kind = OrderKind::contact_order;
  l.customer = CustomerId{1};
  l.subject = "Efter omstart";
  CHECK(reg.order(UserId{1}, reg.apply(UserId{1}, create_order(l))).number == 3);
}

// ---- a scenario ----------------------------------------------------------------------------

TEST_CASE("a contact order from first call to sales order", "[orders][scenario]") {
  Scene s;
  s.add_articles();
  s.change_settings([](Settings& st) { set_statuses(st, OrderKind::contact_order, {"ny", "offert", "vunnen", "förlorad"}); });
  UserId sara = s.add_user("sara", seeing_customers_and({Right::customers_create, Right::facilities_create,
                                                        Right::contact_orders_view, Right::contact_orders_create,
                                                        Right::contact_orders_edit, Right::contact_orders_assign_self,
                                                        Right::orders_view, Right::orders_create}));
  UserId kalle = s.tina;  // the colleague who visits

  // 09:00 Monday: Nordkyl AB, unknown, calls about a heat pump.
  s.clock->set(at("2026-01-05T09:00:00Z"));
  Customer caller;
  caller.number = "3001";
  caller.name = "Nordkyl AB";
  caller.phone = "0920-123 45";
  Facility plant;
  plant.name = "Fabriken";
  Order first_call = Scene::draft(OrderKind::contact_order, CustomerId{}, "Ny värmepump till fabriken");
  first_call.planned = at("2026-01-07T09:00:00Z");
  first_call.assigned = {sara};
  auto lead = s.reg.apply(sara, create_order(first_call, caller, plant));
  Order o = s.reg.order(sara, lead);
  CustomerId nordkyl = o.customer;
  CHECK(s.reg.customer(sara, nordkyl).name == "Nordkyl AB");
  REQUIRE(o.facility);
  CHECK(s.reg.facility(sara, *o.facility).name == "Fabriken");
  CHECK(o.status == "ny");
  CHECK(o.number == 1);
  CHECK(o.assigned == std::vector<UserId>{sara});
  CHECK(has_entry(s.reg.history(sara, ref(lead)), "created_customer"));
  CHECK(has_entry(s.reg.history(sara, ref(lead)), "created_facility"));
  CHECK(has_entry(s.reg.history(sara, ref(nordkyl)), "orders", Action::linked));
  auto todo = s.reg.todo(sara);
  REQUIRE(todo.size() == 1);
  CHECK(todo[0].order == lead);
  CHECK(todo[0].when == at("2026-01-07T09:00:00Z"));

  s.reg.apply(sara, AddOrderNote{lead, "Första samtal: vill ha offert på 9 kW"});
  s.reg.apply(sara, AddTimeEntry{lead, 0.5, "Samtal"});

  // 10:00: a site visit booked for Kalle, a call back for herself.
  s.clock->set(at("2026-01-05T10:00:00Z"));
  s.edit(sara, lead, [&](Order& x) {
    x.bookings = {booking(BookingKind::meeting, at("2026-01-06T10:00:00Z"), kalle, "Platsbesök"),
                  booking(BookingKind::phone, at("2026-01-08T09:00:00Z"), sara, "Ring om offerten")};
    x.status = "offert";
    x.lines = {line("TIM", "", 0, true), line("VP9", "Värmepump 9 kW")};
    x.lines[1].price = 45000;
  });
  auto booked = s.inbox(kalle, NotificationKind::booking);
  REQUIRE(booked.size() == 1);
  CHECK(booked[0].subject == ref(lead));
  CHECK(s.inbox(sara, NotificationKind::booking).empty());
  o = s.reg.order(sara, lead);
  CHECK(o.status == "offert");
  CHECK_FALSE(o.lines[0].date);  // time line, 0 hours
  todo = s.reg.todo(sara);
  REQUIRE(todo.size() == 2);
  CHECK(todo[0].order == lead);
  CHECK(todo[0].booking == 0);
  CHECK(todo[1].booking == o.bookings[1].id);
  CHECK(todo[1].when == at("2026-01-08T09:00:00Z"));
  auto kalles = s.reg.todo(kalle);
  REQUIRE(kalles.size() == 1);
  CHECK(kalles[0].booking == o.bookings[0].id);
  CHECK(kalles[0].text == "Platsbesök");

  // Tuesday 10:00: the reminder.
  s.clock->set(at("2026-01-06T10:00:00Z"));
  CHECK(s.reg.due_reminders(kalle, s.clock->now()).size() == 1);
  s.reg.apply(s.admin, RaiseReminders{});
  s.reg.apply(s.admin, RaiseReminders{});
  CHECK(s.inbox(kalle, NotificationKind::reminder).size() == 1);
  CHECK(s.inbox(sara, NotificationKind::reminder).empty());

  // Kalle visits, logs his time and the hours on the time line, marks it done.
  s.clock->set(at("2026-01-06T13:00:00Z"));
  s.reg.apply(kalle, AddOrderNote{lead, "Besökt: befintlig pump kan bytas rakt av"});
  s.reg.apply(kalle, AddTimeEntry{lead, 2, "Platsbesök"});
  s.edit(kalle, lead, [](Order& x) {
    x.bookings[0].done = true;
    x.lines[0].hours = 6;
  });
  o = s.reg.order(sara, lead);
  CHECK(o.lines[0].date == at("2026-01-06T13:00:00Z"));
  CHECK(o.hours_spent() == 2.5);
  CHECK(s.reg.todo(kalle).empty());

  // Thursday: won. Sara's call is done, the order is won and converted.
  s.clock->set(at("2026-01-08T09:30:00Z"));
  s.edit(sara, lead, [](Order& x) {
    x.bookings[1].done = true;
    x.status = "vunnen";
    x.customer_order_number = "NK-2026-1";
  });
  auto sale = s.reg.apply(sara, ConvertToSalesOrder{lead});
  Order sales = s.reg.order(sara, sale);
  o = s.reg.order(sara, lead);
  CHECK(sales.kind == OrderKind::sales_order);
  CHECK(sales.customer == nordkyl);
  CHECK(sales.facility == o.facility);
  CHECK(sales.subject == "Ny värmepump till fabriken");
  CHECK(sales.customer_order_number == "NK-2026-1");
  REQUIRE(sales.lines.size() == 2);
  CHECK(sales.lines[1].price == 45000);
  CHECK(sales.origin == lead);
  CHECK(o.sales_order == sale);
  CHECK(o.closed);
  CHECK(o.closed_at == at("2026-01-08T09:30:00Z"));
  CHECK(o.status == "vunnen");
  CHECK(o.notes.size() == 2);  // the log stays
  CHECK(s.reg.todo(sara).empty());

  // On the customer card: the open sales order first, the closed contact order last.
  OrderQuery card;
  card.customer = nordkyl;
  CHECK(idv(s.list(sara, card)) == idv({sale, lead}));
  // The link stays traceable.
  CHECK_REFUSED(s, Conflict, s.staff, DeleteOrder{lead});
  CHECK_REFUSED(s, Conflict, s.staff, DeleteOrder{sale});
  CHECK_REFUSED(s, Conflict, s.staff, DeleteCustomer{nordkyl});
  // A later note on the archived lead is fine.
  CHECK_NOTHROW(s.reg.apply(sara, AddOrderNote{lead, "Leverans v. 4"}));
}

TEST_CASE("a booking's user must be active staff when booked, deactivated later, the order stays editable",
          "[orders][bookings]") {
  Scene s;
  auto id = s.create(OrderKind::contact_order, s.aberg, "Uppföljning");
  s.edit(s.staff, id, [&](Order& o) {
    o.bookings = {booking(BookingKind::phone, at("2026-01-06T09:00:00Z"), s.tina, "Ring tillbaka")};
  });
  User tina = s.reg.user(s.admin, s.tina);
  tina.active = false;
  s.reg.apply(s.admin, UpdateUser{tina});

  // Other changes of the order go through; his booking stays his.
  s.edit(s.staff, id, [](Order& o) { o.description = "Efter Tinas sista dag"; });
  CHECK(s.get(id).bookings.at(0).user == s.tina);
  // Booking him anew, or moving a booking to him, is refused.
  Order again = s.get(id);
  again.bookings.push_back(booking(BookingKind::meeting, at("2026-01-07T09:00:00Z"), s.tina, "Möte"));
  CHECK(refusal_field([&] { s.reg.apply(s.staff, UpdateOrder{again}); }) == "bookings[1].user");
  Order moved = s.get(id);
  moved.bookings.at(0).user = s.staff;
  s.reg.apply(s.staff, UpdateOrder{moved});
  Order back = s.get(id);
  back.bookings.at(0).user = s.tina;
  CHECK(refusal_field([&] { s.reg.apply(s.staff, UpdateOrder{back}); }) == "bookings[0].user");
}
