// The permission matrix: every command and every read, run by users holding
// every kind of right set, against a record assigned to the user and one
// that is not. The expected outcome of each comes from the table below,
// written from docs/rights.md (and domain.md), not from the code under test.
// A refused command must leave the register byte for byte as it was.
#include <catch2/catch.hpp>

#include <functional>
#include <set>

#include "test_support.hpp"

using namespace kartotek;
using kartotek::test::staff_user;

namespace {

// ---- who ----------------------------------------------------------------------

struct Profile {
  std::string name;
  std::vector<Right> rights;
  bool administrator = false;
  bool customer_user = false;
  bool locked = false;
  bool deactivated = false;

  bool has(Right r) const {
    return administrator || std::find(rights.begin(), rights.end(), r) != rights.end();
  }
  bool shut_out() const { return locked || deactivated; }
};

const std::vector<Right> kViewAll{Right::customers_view,       Right::contacts_view,
                                  Right::facilities_view,      Right::service_objects_view,
                                  Right::orders_view,          Right::contact_orders_view};
const std::vector<Right> kViewAssigned{Right::customers_view_assigned,       Right::contacts_view_assigned,
                                       Right::facilities_view_assigned,      Right::service_objects_view_assigned,
                                       Right::orders_view_assigned,          Right::contact_orders_view_assigned};

std::vector<Profile> profiles() {
  std::vector<Profile> out;
  out.push_back({"no rights", {}});
  for (Right r : every_right()) {
    std::string name(enum_name(r));
    out.push_back({name + " alone", {r}});
    auto viewer = kViewAll;
    viewer.push_back(r);
    out.push_back({"view all + " + name, viewer});
    auto assigned = kViewAssigned;
    assigned.push_back(r);
    out.push_back({"view assigned + " + name, assigned});
  }
  out.push_back({"administrator", {}, true});
  out.push_back({"customer user", {}, false, true});
  out.push_back({"locked customer user", {}, false, true, true});
  out.push_back({"deactivated staff with every right", every_right(), false, false, false, true});
  return out;
}

// ---- the register each profile works on ----------------------------------------

// For each operation a pair of targets: [0] assigned to the actor (for a
// customer user: his own customer), [1] assigned to another technician.
struct Target {
  CustomerId customer;
  ContactId contact;      // a contact person of that customer only
  FacilityId facility;
  ServiceObjectId service_object;
  UserId customer_user;   // a portal login of that customer
  OrderId work_order;     // of that customer, assigned to its technician
  OrderId contact_order;  // likewise
  ActivityId note;        // the administrator's note on the customer
  ActivityId email;       // an e-mail of the contact
  ActivityId file;        // a file of the customer
  CustomerId twin;        // a duplicate of the customer (same name), assigned alike
  ContactId twin_contact; // a duplicate of the contact, a contact person of the twin
};

struct World {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kartotek::test::at("2026-01-05T08:00:00Z"));
  Register reg{clock};
  UserId admin = reg.create_first_administrator("admin", "Ada Admin");
  UserId colleague = reg.apply(admin, CreateUser{staff_user("kollega", "Kollega")});
  UserId actor;
  std::vector<std::array<Target, 2>> targets;

  // A custom field of customers that each target's customer holds a value of.
  bool defined = [&] {
    FieldDefinition tier;
    tier.kind = RecordKind::customer;
    tier.key = "tier";
    tier.labels = {{"sv", "Nivå"}};
    reg.apply(admin, DefineField{tier});
    return true;
  }();

  Target make_target(const std::string& tag) {
    Target t;
    Customer c;
    c.number = "K" + tag;
    c.name = "Kund " + tag;
    c.custom.set("tier", Value("T" + tag));
    t.customer = reg.apply(admin, CreateCustomer{c});
    Contact p;
    p.first_name = "Person";
    p.last_name = tag;
    t.contact = reg.apply(admin, CreateContact{p});
    reg.apply(admin, LinkContact{{t.contact, t.customer, "VD", false, false}});
    Facility f;
    f.customer = t.customer;
    f.name = "Anläggning " + tag;
    t.facility = reg.apply(admin, CreateFacility{f});
    ServiceObject s;
    s.facility = t.facility;
    s.identifier = "S-" + tag;
    t.service_object = reg.apply(admin, CreateServiceObject{s});
    t.customer_user = reg.apply(admin, CreateCustomerUser{t.customer, t.contact, "portal" + tag});
    Activity note;
    note.kind = ActivityKind::note;
    note.customer = t.customer;
    note.text = "Anteckning " + tag;
    t.note = reg.apply(admin, CreateActivity{note});
    Activity email;
    email.kind = ActivityKind::email;
    email.contact = t.contact;
    email.sender = "kund@example.se";
    email.recipients = {"service@example.se"};
    email.subject = "Fråga " + tag;
    t.email = reg.apply(admin, CreateActivity{email});
    Activity file;
    file.kind = ActivityKind::file;
    file.customer = t.customer;
    file.file = FileInfo{0, "avtal.pdf", 10, std::string(64, 'c'), "application/pdf", {}, {}};
    t.file = reg.apply(admin, CreateActivity{file});
    return t;
  }

  // A duplicate of the target's customer and of its contact, seen and
  // changed by the same users as the target: for the duplicate searches
  // and merges.
  int twins = 0;
  void make_twins(Target& t, std::optional<UserId> technician) {
    Customer c;
    c.number = "T" + std::to_string(++twins);
    c.name = reg.customer(admin, t.customer).name;
    t.twin = reg.apply(admin, CreateCustomer{c});
    const Contact original = reg.contact(admin, t.contact);
    Contact p;
    p.first_name = original.first_name;
    p.last_name = original.last_name;
    t.twin_contact = reg.apply(admin, CreateContact{p});
    reg.apply(admin, LinkContact{{t.twin_contact, t.twin, "", false, false}});
    if (technician) reg.apply(admin, AssignTechnician{t.twin, *technician});
  }

  World(const Profile& p, std::size_t operations) {
    std::vector<UserGroupId> none;
    User u;
    if (p.customer_user) {
      u.login = "portal";
      u.name = "Portal";  // bound below
      u.kind = UserKind::customer;
    } else {
      u = staff_user("aktor", "Aktör", p.rights);
      u.administrator = p.administrator;
    }
    // A customer user is bound to the first target's customer: made below.
    if (!p.customer_user) actor = reg.apply(admin, CreateUser{u});
    for (std::size_t i = 0; i < operations; ++i) {
      auto mine = make_target(std::to_string(i) + "a");
      auto other = make_target(std::to_string(i) + "b");
      targets.push_back({mine, other});
    }
    if (p.customer_user) {
      // All operations aim at his one customer as "mine".
      for (auto& pair : targets) pair[0] = targets[0][0];
      u.customer = targets[0][0].customer;
      u.contact = targets[0][0].contact;
      actor = reg.apply(admin, CreateUser{u});
    }
    for (auto& pair : targets) {
      if (!p.customer_user) reg.apply(admin, AssignTechnician{pair[0].customer, actor});
      reg.apply(admin, AssignTechnician{pair[1].customer, colleague});
      make_twins(pair[0], p.customer_user ? std::nullopt : std::optional<UserId>(actor));
      make_twins(pair[1], colleague);
    }
    // Orders after the technicians: each is assigned to its customer's.
    for (auto& pair : targets)
      for (auto& t : pair) {
        Order w;
        w.kind = OrderKind::work_order;
        w.customer = t.customer;
        w.subject = "Service";
        t.work_order = reg.apply(admin, CreateOrder{w, std::nullopt, std::nullopt});
        Order k;
        k.kind = OrderKind::contact_order;
        k.customer = t.customer;
        k.subject = "Samtal";
        t.contact_order = reg.apply(admin, CreateOrder{k, std::nullopt, std::nullopt});
      }
    if (p.locked || p.deactivated) {
      User again = reg.user(admin, actor);
      again.locked = p.locked;
      again.active = !p.deactivated;
      reg.apply(admin, UpdateUser{again});
    }
  }

  // What a refused command must leave as it was: every record it could
  // touch, the counters and the end of history (the whole state byte for
  // byte is checked by the atomicity tests; here it would cost minutes).
  std::string fingerprint(const Target& t) const {
    auto c = reg.counts();
    std::string out = std::to_string(c.customers) + "/" + std::to_string(c.contacts) + "/" +
                      std::to_string(c.facilities) + "/" + std::to_string(c.service_objects) + "/" +
                      std::to_string(c.users) + "/" + std::to_string(c.history_entries) + "/" +
                      std::to_string(c.orders) + "/" + std::to_string(c.activities);
    auto add = [&](const auto& x) { out += "|" + (x ? to_json(to_value(*x)) : std::string("-")); };
    add(reg.find_customer(admin, t.customer));
    add(reg.find_contact(admin, t.contact));
    add(reg.find_facility(admin, t.facility));
    add(reg.find_service_object(admin, t.service_object));
    add(reg.find_order(admin, t.work_order));
    add(reg.find_order(admin, t.contact_order));
    add(reg.find_activity(admin, t.note));
    add(reg.find_activity(admin, t.email));
    add(reg.find_activity(admin, t.file));
    out += "|" + to_json(to_value(reg.settings(admin))) + "|" + to_json(to_value(reg.users(admin))) + "|" +
           to_json(to_value(reg.user_groups(admin))) + "|" +
           to_json(to_value(reg.field_definitions(admin, std::nullopt, true)));
    for (const auto& l : reg.contacts_of(admin, t.customer)) out += "|" + to_json(to_value(l.link));
    return out;
  }
};

// ---- what ----------------------------------------------------------------------

enum class Outcome { ok, not_found, denied };

std::string to_string(Outcome o) {
  switch (o) {
    case Outcome::ok: return "allowed";
    case Outcome::not_found: return "not found (hidden)";
    case Outcome::denied: return "permission denied";
  }
  return "?";
}

// The table: what the actor sees and may do, per docs/rights.md.
struct Oracle {
  const Profile& p;

  bool sees_customer(bool mine) const {
    if (p.customer_user) return mine;
    return p.has(Right::customers_view) || (mine && p.has(Right::customers_view_assigned));
  }
  bool sees_contact(bool mine) const {  // the contact is linked to that target's customer only
    if (p.customer_user) return false;
    return p.has(Right::contacts_view) || (mine && p.has(Right::contacts_view_assigned));
  }
  bool sees_facility(bool mine) const {
    if (p.customer_user) return false;
    return sees_customer(mine) && (p.has(Right::facilities_view) || (mine && p.has(Right::facilities_view_assigned)));
  }
  bool sees_service_object(bool mine) const {
    return sees_facility(mine) &&
           (p.has(Right::service_objects_view) || (mine && p.has(Right::service_objects_view_assigned)));
  }
  // Orders are seen by the order modules' rights alone (docs/rights.md).
  bool sees_order(bool mine, bool contact_order) const {
    if (p.customer_user) return mine && !contact_order;
    Right view = contact_order ? Right::contact_orders_view : Right::orders_view;
    Right view_assigned = contact_order ? Right::contact_orders_view_assigned : Right::orders_view_assigned;
    return p.has(view) || (mine && p.has(view_assigned));
  }
  bool edits_order(bool mine, bool contact_order) const {
    if (p.customer_user) return false;
    Right edit = contact_order ? Right::contact_orders_edit : Right::orders_edit;
    return (p.has(edit) && sees_order(mine, contact_order)) ||
           (!contact_order && mine && p.has(Right::orders_edit_assigned));
  }
  bool edits_contact(bool mine) const {
    return (p.has(Right::contacts_edit) && sees_contact(mine)) || (mine && p.has(Right::contacts_edit_assigned));
  }
  // The CRM of a customer (its notes, files …) is staff's only.
  bool sees_customer_crm(bool mine) const { return !p.customer_user && sees_customer(mine); }
  bool edits_customer(bool mine) const {
    return (p.has(Right::customers_edit) && sees_customer(mine)) || (mine && p.has(Right::customers_edit_assigned));
  }
  // A command on a record: hidden → not found; visible but not allowed → denied.
  static Outcome visible_then(bool visible, bool allowed) {
    if (!visible) return Outcome::not_found;
    return allowed ? Outcome::ok : Outcome::denied;
  }
  static Outcome allowed_if(bool allowed) { return allowed ? Outcome::ok : Outcome::denied; }
};

struct Operation {
  std::string name;
  bool command;  // changes the register when allowed
  std::function<Outcome(const Oracle&, bool mine)> expected;
  std::function<Outcome(World&, const Target&)> run;
};

// Runs `f`; its exception says the outcome. Any other exception fails the test.
Outcome outcome_of(const std::function<void()>& f) {
  try {
    f();
    return Outcome::ok;
  } catch (const NotFound&) {
    return Outcome::not_found;
  } catch (const PermissionDenied&) {
    return Outcome::denied;
  }
}

// For reads that answer with "absent" instead of throwing.
Outcome present(bool found) { return found ? Outcome::ok : Outcome::not_found; }

std::vector<Operation> operations() {
  using O = Oracle;
  std::vector<Operation> ops;
  auto read = [&](std::string name, std::function<Outcome(const Oracle&, bool)> expected,
                  std::function<Outcome(World&, const Target&)> run) {
    ops.push_back({std::move(name), false, std::move(expected), std::move(run)});
  };
  auto command = [&](std::string name, std::function<Outcome(const Oracle&, bool)> expected,
                     std::function<void(World&, const Target&)> run) {
    ops.push_back({std::move(name), true, std::move(expected),
                   [run](World& w, const Target& t) { return outcome_of([&] { run(w, t); }); }});
  };

  // ---- customers
  read("find customer", [](const O& o, bool m) { return present(o.sees_customer(m)); },
       [](World& w, const Target& t) { return present(w.reg.find_customer(w.actor, t.customer).has_value()); });
  read("find customer by number", [](const O& o, bool m) { return present(o.sees_customer(m)); },
       [](World& w, const Target& t) {
         auto number = w.reg.customer(w.admin, t.customer).number;
         return present(w.reg.find_customer_by_number(w.actor, number).has_value());
       });
  read("search customers finds it", [](const O& o, bool m) { return present(o.sees_customer(m)); },
       [](World& w, const Target& t) {
         CustomerQuery q;
         q.text = w.reg.customer(w.admin, t.customer).name;
         q.limit = 1000;
         auto page = w.reg.search_customers(w.actor, q);
         bool found = false;
         for (const auto& c : page.items) found = found || c.id == t.customer;
         return present(found);
       });
  read("customer history", [](const O& o, bool m) { return present(o.sees_customer(m)); },
       [](World& w, const Target& t) { return present(!w.reg.history(w.actor, ref(t.customer)).empty()); });
  read("history of everything holds the customer", [](const O& o, bool m) { return present(o.sees_customer(m)); },
       [](World& w, const Target& t) {
         for (const auto& e : w.reg.history(w.actor))
           if (e.record == ref(t.customer)) return Outcome::ok;
         return Outcome::not_found;
       });
  command("create customer",
          [](const O& o, bool) { return O::allowed_if(!o.p.customer_user && o.p.has(Right::customers_create)); },
          [](World& w, const Target& t) {
            Customer c;
            c.number = "NY" + std::to_string(t.customer.value);
            c.name = "Ny";
            w.reg.apply(w.actor, CreateCustomer{c});
          });
  command("import customers from CSV",
          [](const O& o, bool) {
            return O::allowed_if(!o.p.customer_user && o.p.has(Right::customers_upload) &&
                                 o.p.has(Right::customers_create));
          },
          [](World& w, const Target& t) {
            auto report = w.reg.import_csv(w.actor, "Kundnummer;Namn\nIMP" + std::to_string(t.customer.value) + ";Ny\n",
                                           ImportOptions{});
            // Without the create right the row is refused, and the report says why.
            if (!report.applied) throw PermissionDenied(report.problems.at(0).reason);
          });
  read("export customers holds it", [](const O& o, bool m) { return present(o.sees_customer(m)); },
       [](World& w, const Target& t) {
         const Customer c = w.reg.customer(w.admin, t.customer);
         CustomerQuery q;
         q.text = c.name;
         q.limit = 1000;
         ExportOptions csv;
         csv.format = ExportFormat::csv;
         csv.columns = {"number"};
         return present(w.reg.export_customers(w.actor, q, csv).find("\n" + c.number + "\r") != std::string::npos);
       });
  command("update customer", [](const O& o, bool m) { return O::visible_then(o.sees_customer(m), o.edits_customer(m)); },
          [](World& w, const Target& t) {
            Customer c = w.reg.customer(w.admin, t.customer);
            c.phone = "08-123";
            w.reg.apply(w.actor, UpdateCustomer{c});
          });
  command("change a customer number",
          [](const O& o, bool m) { return O::visible_then(o.sees_customer(m), o.p.administrator); },
          [](World& w, const Target& t) {
            Customer c = w.reg.customer(w.admin, t.customer);
            c.number += "X";
            w.reg.apply(w.actor, UpdateCustomer{c});
          });
  command("deactivate customer",
          [](const O& o, bool m) { return O::visible_then(o.sees_customer(m), o.edits_customer(m)); },
          [](World& w, const Target& t) { w.reg.apply(w.actor, DeactivateCustomer{t.customer}); });
  command("assign technician",
          [](const O& o, bool m) { return O::visible_then(o.sees_customer(m), o.p.has(Right::customers_assign)); },
          [](World& w, const Target& t) { w.reg.apply(w.actor, AssignTechnician{t.customer, w.admin}); });
  command("delete customer (refused for its links, once allowed)",
          [](const O& o, bool m) { return O::visible_then(o.sees_customer(m), o.p.has(Right::customers_delete)); },
          [](World& w, const Target& t) {
            try {
              w.reg.apply(w.actor, DeleteCustomer{t.customer});
            } catch (const Conflict&) {
              // Authorized, then refused for the contact and facility linked to it.
            }
          });

  // ---- contact persons on the customer card
  read("contacts of customer", [](const O& o, bool m) { return present(o.sees_customer(m)); },
       [](World& w, const Target& t) {
         return outcome_of([&] {
           if (w.reg.contacts_of(w.actor, t.customer).size() != 1) throw std::logic_error("contact missing");
         });
       });
  command("link a contact person",
          [](const O& o, bool m) {
            if (!o.sees_contact(m)) return Outcome::not_found;
            return O::visible_then(o.sees_customer(!m), o.edits_customer(!m));
          },
          // The target's contact to the other target's customer (mine ↔ other swap).
          [](World& w, const Target& t) {
            // Customers come in pairs (odd: assigned to him, even: to another).
            CustomerId to{t.customer.value % 2 == 1 ? t.customer.value + 1 : t.customer.value - 1};
            w.reg.apply(w.actor, LinkContact{{t.contact, to, "Inköp", false, false}});
          });
  command("unlink a contact person",
          [](const O& o, bool m) {
            if (!o.sees_contact(m)) return Outcome::not_found;
            return O::visible_then(o.sees_customer(m), o.edits_customer(m));
          },
          [](World& w, const Target& t) { w.reg.apply(w.actor, UnlinkContact{t.contact, t.customer}); });

  // ---- contacts (CRM)
  read("find contact", [](const O& o, bool m) { return present(o.sees_contact(m)); },
       [](World& w, const Target& t) { return present(w.reg.find_contact(w.actor, t.contact).has_value()); });
  read("search contacts finds him", [](const O& o, bool m) { return present(o.sees_contact(m)); },
       [](World& w, const Target& t) {
         ContactQuery q;
         q.last_name = w.reg.contact(w.admin, t.contact).last_name;
         q.limit = 1000;
         for (const auto& c : w.reg.search_contacts(w.actor, q).items)
           if (c.id == t.contact) return Outcome::ok;
         return Outcome::not_found;
       });
  read("links of contact show the customer", [](const O& o, bool m) {
         if (!o.sees_contact(m)) return Outcome::not_found;
         return present(o.sees_customer(m));
       },
       [](World& w, const Target& t) {
         return outcome_of([&] {
           if (w.reg.links_of(w.actor, t.contact).empty()) throw NotFound("no visible link");
         });
       });
  read("contact history", [](const O& o, bool m) { return present(o.sees_contact(m)); },
       [](World& w, const Target& t) { return present(!w.reg.history(w.actor, ref(t.contact)).empty()); });
  command("create contact",
          [](const O& o, bool) { return O::allowed_if(!o.p.customer_user && o.p.has(Right::contacts_create)); },
          [](World& w, const Target&) {
            Contact c;
            c.last_name = "Ny";
            w.reg.apply(w.actor, CreateContact{c});
          });
  command("update contact",
          [](const O& o, bool m) {
            bool edits = (o.p.has(Right::contacts_edit) && o.sees_contact(m)) ||
                         (m && !o.p.customer_user && o.p.has(Right::contacts_edit_assigned));
            return O::visible_then(o.sees_contact(m), edits);
          },
          [](World& w, const Target& t) {
            Contact c = w.reg.contact(w.admin, t.contact);
            c.phone = "070-1";
            w.reg.apply(w.actor, UpdateContact{c});
          });
  command("delete contact (refused for its customer user, once allowed)",
          [](const O& o, bool m) { return O::visible_then(o.sees_contact(m), o.p.has(Right::contacts_delete)); },
          [](World& w, const Target& t) {
            try {
              w.reg.apply(w.actor, DeleteContact{t.contact});
            } catch (const Conflict&) {
            }
          });

  // ---- facilities
  read("find facility", [](const O& o, bool m) { return present(o.sees_facility(m)); },
       [](World& w, const Target& t) { return present(w.reg.find_facility(w.actor, t.facility).has_value()); });
  read("facilities of customer list it", [](const O& o, bool m) {
         if (!o.sees_customer(m)) return Outcome::not_found;
         return present(o.sees_facility(m));
       },
       [](World& w, const Target& t) {
         return outcome_of([&] {
           if (w.reg.facilities_of(w.actor, t.customer).empty()) throw NotFound("not listed");
         });
       });
  read("facility history", [](const O& o, bool m) { return present(o.sees_facility(m)); },
       [](World& w, const Target& t) { return present(!w.reg.history(w.actor, ref(t.facility)).empty()); });
  command("create facility",
          [](const O& o, bool m) { return O::visible_then(o.sees_customer(m), o.p.has(Right::facilities_create)); },
          [](World& w, const Target& t) {
            Facility f;
            f.customer = t.customer;
            f.name = "Ny";
            w.reg.apply(w.actor, CreateFacility{f});
          });
  command("update facility",
          [](const O& o, bool m) {
            bool edits = o.p.has(Right::facilities_edit) || (m && o.p.has(Right::facilities_edit_assigned));
            return O::visible_then(o.sees_facility(m), edits);
          },
          [](World& w, const Target& t) {
            Facility f = w.reg.facility(w.admin, t.facility);
            f.comments = "ändrad";
            w.reg.apply(w.actor, UpdateFacility{f});
          });
  command("delete facility (refused for its service object, once allowed)",
          [](const O& o, bool m) { return O::visible_then(o.sees_facility(m), o.p.has(Right::facilities_delete)); },
          [](World& w, const Target& t) {
            try {
              w.reg.apply(w.actor, DeleteFacility{t.facility});
            } catch (const Conflict&) {
            }
          });

  // ---- service objects
  read("find service object", [](const O& o, bool m) { return present(o.sees_service_object(m)); },
       [](World& w, const Target& t) {
         return present(w.reg.find_service_object(w.actor, t.service_object).has_value());
       });
  read("service objects of facility list it", [](const O& o, bool m) {
         if (!o.sees_facility(m)) return Outcome::not_found;
         return present(o.sees_service_object(m));
       },
       [](World& w, const Target& t) {
         return outcome_of([&] {
           if (w.reg.service_objects_of(w.actor, t.facility).empty()) throw NotFound("not listed");
         });
       });
  command("create service object",
          [](const O& o, bool m) {
            return O::visible_then(o.sees_facility(m), o.p.has(Right::service_objects_create));
          },
          [](World& w, const Target& t) {
            ServiceObject s;
            s.facility = t.facility;
            s.identifier = "NY";
            w.reg.apply(w.actor, CreateServiceObject{s});
          });
  command("update service object",
          [](const O& o, bool m) {
            bool edits =
                o.p.has(Right::service_objects_edit) || (m && o.p.has(Right::service_objects_edit_assigned));
            return O::visible_then(o.sees_service_object(m), edits);
          },
          [](World& w, const Target& t) {
            ServiceObject s = w.reg.service_object(w.admin, t.service_object);
            s.type = "Värmepump";
            w.reg.apply(w.actor, UpdateServiceObject{s});
          });
  command("delete service object",
          [](const O& o, bool m) {
            return O::visible_then(o.sees_service_object(m), o.p.has(Right::service_objects_delete));
          },
          [](World& w, const Target& t) { w.reg.apply(w.actor, DeleteServiceObject{t.service_object}); });

  // ---- customer users
  command("create a customer user",
          [](const O& o, bool m) {
            return O::visible_then(o.sees_customer(m), o.p.has(Right::customers_create_customer_users));
          },
          [](World& w, const Target& t) {
            w.reg.apply(w.actor, CreateCustomerUser{t.customer, t.contact, "ny" + std::to_string(t.customer.value)});
          });
  command("lock a customer user",
          [](const O& o, bool m) {
            return O::visible_then(o.sees_customer(m), o.p.has(Right::customers_change_customer_user_rights));
          },
          [](World& w, const Target& t) { w.reg.apply(w.actor, SetCustomerUserLocked{t.customer_user, true}); });
  command("delete a customer user",
          [](const O& o, bool m) {
            return O::visible_then(o.sees_customer(m), o.p.has(Right::customers_delete_customer_users));
          },
          [](World& w, const Target& t) { w.reg.apply(w.actor, DeleteCustomerUser{t.customer_user}); });

  // ---- users, groups, settings, the whole register
  read("settings", [](const O& o, bool) { return O::allowed_if(!o.p.customer_user); },
       [](World& w, const Target&) { return outcome_of([&] { w.reg.settings(w.actor); }); });
  read("see the administrator among users", [](const O& o, bool) { return present(!o.p.customer_user); },
       [](World& w, const Target&) { return present(w.reg.find_user(w.actor, w.admin).has_value()); });
  read("export the whole register", [](const O& o, bool) { return O::allowed_if(o.p.administrator); },
       [](World& w, const Target&) { return outcome_of([&] { w.reg.export_json(w.actor); }); });
  command("update settings", [](const O& o, bool) { return O::allowed_if(o.p.administrator); },
          [](World& w, const Target&) {
            Settings s = w.reg.settings(w.admin);
            s.number_prefix = s.number_prefix + "P";
            w.reg.apply(w.actor, UpdateSettings{s});
          });
  command("create user", [](const O& o, bool) { return O::allowed_if(o.p.administrator); },
          [](World& w, const Target& t) {
            w.reg.apply(w.actor, CreateUser{staff_user("ny" + std::to_string(t.customer.value), "Ny", {})});
          });
  command("grant himself rights", [](const O& o, bool) { return O::allowed_if(o.p.administrator); },
          [](World& w, const Target&) {
            User u = w.reg.user(w.admin, w.actor);
            u.rights = every_right();
            if (u.kind == UserKind::customer) u.kind = UserKind::staff, u.customer.reset(), u.contact.reset();
            w.reg.apply(w.actor, UpdateUser{u});
          });
  command("create user group", [](const O& o, bool) { return O::allowed_if(o.p.administrator); },
          [](World& w, const Target& t) {
            UserGroup g;
            g.name = "Grupp " + std::to_string(t.customer.value);
            w.reg.apply(w.actor, CreateUserGroup{g});
          });

  // ---- orders (docs/orders.md)
  read("find work order", [](const O& o, bool m) { return present(o.sees_order(m, false)); },
       [](World& w, const Target& t) { return present(w.reg.find_order(w.actor, t.work_order).has_value()); });
  read("find contact order", [](const O& o, bool m) { return present(o.sees_order(m, true)); },
       [](World& w, const Target& t) { return present(w.reg.find_order(w.actor, t.contact_order).has_value()); });
  read("find work order by number", [](const O& o, bool m) { return present(o.sees_order(m, false)); },
       [](World& w, const Target& t) {
         auto number = w.reg.order(w.admin, t.work_order).number;
         return present(w.reg.find_order_by_number(w.actor, OrderKind::work_order, number).has_value());
       });
  read("search orders finds the work order", [](const O& o, bool m) { return present(o.sees_order(m, false)); },
       [](World& w, const Target& t) {
         OrderQuery q;
         q.limit = 100000;
         for (const auto& x : w.reg.search_orders(w.actor, q).items)
           if (x.id == t.work_order) return Outcome::ok;
         return Outcome::not_found;
       });
  read("search orders finds the contact order", [](const O& o, bool m) { return present(o.sees_order(m, true)); },
       [](World& w, const Target& t) {
         OrderQuery q;
         q.customer = t.customer;
         for (const auto& x : w.reg.search_orders(w.actor, q).items)
           if (x.id == t.contact_order) return Outcome::ok;
         return Outcome::not_found;
       });
  read("work order history", [](const O& o, bool m) { return present(o.sees_order(m, false)); },
       [](World& w, const Target& t) { return present(!w.reg.history(w.actor, ref(t.work_order)).empty()); });
  read("recipients of the work order", [](const O& o, bool m) { return present(o.sees_order(m, false)); },
       [](World& w, const Target& t) { return outcome_of([&] { w.reg.recipients(w.actor, t.work_order); }); });
  read("to-do list holds his contact order", [](const O& o, bool m) { return present(m && o.sees_order(m, true)); },
       [](World& w, const Target& t) {
         for (const auto& item : w.reg.todo(w.actor))
           if (item.order == t.contact_order) return Outcome::ok;
         return Outcome::not_found;
       });
  command("create work order",
          [](const O& o, bool m) {
            return O::visible_then(o.sees_customer(m), !o.p.customer_user && o.p.has(Right::orders_create));
          },
          [](World& w, const Target& t) {
            Order x;
            x.kind = OrderKind::work_order;
            x.customer = t.customer;
            w.reg.apply(w.actor, CreateOrder{x, std::nullopt, std::nullopt});
          });
  command("file an error report",
          [](const O& o, bool m) {
            return O::visible_then(o.sees_customer(m), o.p.customer_user || o.p.has(Right::orders_create));
          },
          [](World& w, const Target& t) {
            Order x;
            x.kind = OrderKind::error_report;
            x.customer = t.customer;
            x.subject = "Hissen står still";
            w.reg.apply(w.actor, CreateOrder{x, std::nullopt, std::nullopt});
          });
  command("create contact order",
          [](const O& o, bool m) {
            return O::visible_then(o.sees_customer(m), !o.p.customer_user && o.p.has(Right::contact_orders_create));
          },
          [](World& w, const Target& t) {
            Order x;
            x.kind = OrderKind::contact_order;
            x.customer = t.customer;
            x.subject = "Ny kontakt";
            w.reg.apply(w.actor, CreateOrder{x, std::nullopt, std::nullopt});
          });
  command("update work order",
          [](const O& o, bool m) { return O::visible_then(o.sees_order(m, false), o.edits_order(m, false)); },
          [](World& w, const Target& t) {
            Order x = w.reg.order(w.admin, t.work_order);
            x.description = "ändrad";
            w.reg.apply(w.actor, UpdateOrder{x});
          });
  command("update contact order",
          [](const O& o, bool m) { return O::visible_then(o.sees_order(m, true), o.edits_order(m, true)); },
          [](World& w, const Target& t) {
            Order x = w.reg.order(w.admin, t.contact_order);
            x.description = "ändrad";
            w.reg.apply(w.actor, UpdateOrder{x});
          });
  command("add a note to the work order",
          [](const O& o, bool m) { return O::visible_then(o.sees_order(m, false), o.edits_order(m, false)); },
          [](World& w, const Target& t) { w.reg.apply(w.actor, AddOrderNote{t.work_order, "Ringt kunden"}); });
  command("log time on the contact order",
          [](const O& o, bool m) { return O::visible_then(o.sees_order(m, true), o.edits_order(m, true)); },
          [](World& w, const Target& t) { w.reg.apply(w.actor, AddTimeEntry{t.contact_order, 0.5, "Samtal"}); });
  command("assign the work order to the administrator too",
          [](const O& o, bool m) { return O::visible_then(o.sees_order(m, false), o.p.has(Right::orders_assign)); },
          [](World& w, const Target& t) {
            auto users = w.reg.order(w.admin, t.work_order).assigned;
            users.push_back(w.admin);
            w.reg.apply(w.actor, AssignOrder{t.work_order, users});
          });
  command("assign himself to the work order",
          [](const O& o, bool m) {
            return O::visible_then(o.sees_order(m, false),
                                   o.p.has(Right::orders_assign) || o.p.has(Right::orders_assign_self));
          },
          [](World& w, const Target& t) {
            auto users = w.reg.order(w.admin, t.work_order).assigned;
            users.push_back(w.actor);
            w.reg.apply(w.actor, AssignOrder{t.work_order, users});
          });
  command("assign himself to the contact order",
          [](const O& o, bool m) {
            return O::visible_then(o.sees_order(m, true), o.p.has(Right::contact_orders_assign) ||
                                                              o.p.has(Right::contact_orders_assign_self));
          },
          [](World& w, const Target& t) {
            auto users = w.reg.order(w.admin, t.contact_order).assigned;
            users.push_back(w.actor);
            w.reg.apply(w.actor, AssignOrder{t.contact_order, users});
          });
  command("add a file to the work order",
          [](const O& o, bool m) { return O::visible_then(o.sees_order(m, false), o.p.has(Right::orders_upload)); },
          [](World& w, const Target& t) {
            FileInfo f;
            f.name = "foto.jpg";
            f.size = 10;
            f.sha256 = std::string(64, '0');
            f.media_type = "image/jpeg";
            w.reg.apply(w.actor, AddOrderFile{t.work_order, f});
          });
  command("close the contact order",
          [](const O& o, bool m) { return O::visible_then(o.sees_order(m, true), o.edits_order(m, true)); },
          [](World& w, const Target& t) { w.reg.apply(w.actor, CloseOrder{t.contact_order}); });
  command("convert the contact order to a sales order",
          [](const O& o, bool m) {
            return O::visible_then(o.sees_order(m, true), o.edits_order(m, true) && o.p.has(Right::orders_create));
          },
          [](World& w, const Target& t) { w.reg.apply(w.actor, ConvertToSalesOrder{t.contact_order}); });
  command("delete the work order",
          [](const O& o, bool m) { return O::visible_then(o.sees_order(m, false), o.p.has(Right::orders_delete)); },
          [](World& w, const Target& t) { w.reg.apply(w.actor, DeleteOrder{t.work_order}); });
  command("delete the contact order",
          [](const O& o, bool m) {
            return O::visible_then(o.sees_order(m, true), o.p.has(Right::contact_orders_delete));
          },
          [](World& w, const Target& t) { w.reg.apply(w.actor, DeleteOrder{t.contact_order}); });
  command("raise due reminders", [](const O& o, bool) { return O::allowed_if(o.p.administrator); },
          [](World& w, const Target&) { w.reg.apply(w.actor, RaiseReminders{}); });
  command("add an article to the catalogue", [](const O& o, bool) { return O::allowed_if(o.p.administrator); },
          [](World& w, const Target& t) {
            Article a;
            a.number = "A" + std::to_string(t.customer.value);
            a.name = "Artikel";
            w.reg.apply(w.actor, CreateArticle{a});
          });
  command("save a favourite filter", [](const O& o, bool) { return O::allowed_if(!o.p.customer_user); },
          [](World& w, const Target& t) {
            OrderFilter f;
            f.name = "Mina " + std::to_string(t.customer.value);
            w.reg.apply(w.actor, SaveOrderFilter{f});
          });
  // ---- the CRM (docs/crm.md) ----
  read("a note on the customer", [](const O& o, bool m) { return present(o.sees_customer_crm(m)); },
       [](World& w, const Target& t) { return present(w.reg.find_activity(w.actor, t.note).has_value()); });
  read("the customer's activity list holds the note", [](const O& o, bool m) { return present(o.sees_customer_crm(m)); },
       [](World& w, const Target& t) {
         ActivityQuery q;
         q.customer = t.customer;
         for (const auto& a : w.reg.search_activities(w.actor, q).items)
           if (a.id == t.note) return Outcome::ok;
         return Outcome::not_found;
       });
  read("an e-mail of the contact", [](const O& o, bool m) { return present(o.sees_contact(m)); },
       [](World& w, const Target& t) { return present(w.reg.find_activity(w.actor, t.email).has_value()); });
  read("the customer's linked employees", [](const O& o, bool m) { return present(o.sees_customer_crm(m)); },
       [](World& w, const Target& t) { return outcome_of([&] { w.reg.linked_employees(w.actor, t.customer); }); });
  command("add a note to the customer",
          [](const O& o, bool m) { return O::visible_then(o.sees_customer(m), o.edits_customer(m)); },
          [](World& w, const Target& t) {
            Activity a;
            a.kind = ActivityKind::note;
            a.customer = t.customer;
            a.text = "Ny anteckning";
            w.reg.apply(w.actor, CreateActivity{a});
          });
  command("add a meeting to the contact",
          [](const O& o, bool m) { return O::visible_then(o.sees_contact(m), o.edits_contact(m)); },
          [](World& w, const Target& t) {
            Activity a;
            a.kind = ActivityKind::meeting;
            a.contact = t.contact;
            a.at = kartotek::test::at("2026-02-01T10:00:00Z");
            a.subject = "Möte";
            w.reg.apply(w.actor, CreateActivity{a});
          });
  command("upload a file to the customer",
          [](const O& o, bool m) { return O::visible_then(o.sees_customer(m), o.p.has(Right::customers_upload)); },
          [](World& w, const Target& t) {
            Activity a;
            a.kind = ActivityKind::file;
            a.customer = t.customer;
            a.file = FileInfo{0, "bild.png", 10, std::string(64, 'd'), "image/png", {}, {}};
            w.reg.apply(w.actor, CreateActivity{a});
          });
  command("delete the customer's file",
          [](const O& o, bool m) {
            return O::visible_then(o.sees_customer_crm(m), o.p.has(Right::customers_delete_files));
          },
          [](World& w, const Target& t) { w.reg.apply(w.actor, DeleteActivity{t.file}); });
  command("delete the administrator's note",
          [](const O& o, bool m) { return O::visible_then(o.sees_customer_crm(m), o.p.administrator); },
          [](World& w, const Target& t) { w.reg.apply(w.actor, DeleteActivity{t.note}); });
  command("restrict the contact's e-mails", [](const O& o, bool) { return O::allowed_if(o.p.administrator); },
          [](World& w, const Target& t) { w.reg.apply(w.actor, RestrictEmails{t.contact, true}); });
  command("link an employee to the customer",
          [](const O& o, bool m) { return O::visible_then(o.sees_customer(m), o.edits_customer(m)); },
          [](World& w, const Target& t) { w.reg.apply(w.actor, LinkEmployee{t.customer, w.colleague}); });

  // ---- custom fields
  read("the custom field definitions", [](const O& o, bool) { return present(!o.p.customer_user); },
       [](World& w, const Target&) { return present(!w.reg.field_definitions(w.actor).empty()); });
  read("search customers by a custom field", [](const O& o, bool m) { return present(o.sees_customer(m)); },
       [](World& w, const Target& t) {
         CustomerQuery q;
         q.custom = {{"tier", CustomMatch::equals, *w.reg.customer(w.admin, t.customer).custom.find("tier")}};
         auto page = w.reg.search_customers(w.actor, q);
         return present(page.total == 1 && page.items[0].id == t.customer);
       });
  read("what a change of a field's type would not convert",
       [](const O& o, bool) { return O::allowed_if(o.p.administrator); },
       [](World& w, const Target&) {
         return outcome_of([&] { w.reg.field_type_conversions(w.actor, RecordKind::customer, "tier", FieldType::integer); });
       });
  command("define a custom field", [](const O& o, bool) { return O::allowed_if(o.p.administrator); },
          [](World& w, const Target& t) {
            FieldDefinition d;
            d.kind = RecordKind::contact;
            d.key = "f" + std::to_string(t.customer.value);
            d.labels = {{"sv", "Fält"}};
            w.reg.apply(w.actor, DefineField{d});
          });
  command("change a custom field's type", [](const O& o, bool) { return O::allowed_if(o.p.administrator); },
          [](World& w, const Target&) {
            FieldDefinition cur = w.reg.field_definitions(w.admin, RecordKind::customer, true).front();
            FieldType next = cur.type == FieldType::text ? FieldType::choice : FieldType::text;
            std::vector<std::string> choices;
            CustomerQuery every;
            every.limit = 100000;
            if (next == FieldType::choice)
              for (const auto& c : w.reg.search_customers(w.admin, every).items)
                if (const Value* v = c.custom.find("tier")) choices.push_back(v->as<std::string>());
            w.reg.apply(w.actor, ChangeFieldType{RecordKind::customer, "tier", next, choices, cur.revision});
          });
  command("retire a custom field", [](const O& o, bool) { return O::allowed_if(o.p.administrator); },
          [](World& w, const Target&) {
            w.reg.apply(w.actor, RetireField{RecordKind::customer, "tier"});
            w.reg.apply(w.admin, RestoreField{RecordKind::customer, "tier"});
          });

  // ---- duplicates (docs/duplicates.md)
  read("find duplicates pairs the customer with its twin",
       [](const O& o, bool m) { return present(o.sees_customer(m) && !o.p.customer_user); },
       [](World& w, const Target& t) {
         DuplicateQuery q;
         q.limit = 100000;
         for (const auto& p : w.reg.find_duplicates(w.actor, q))
           if (p.first == t.customer.value && p.second == t.twin.value) return Outcome::ok;
         return Outcome::not_found;
       });
  read("find duplicates pairs the contact with his twin", [](const O& o, bool m) { return present(o.sees_contact(m)); },
       [](World& w, const Target& t) {
         DuplicateQuery q;
         q.kind = RecordKind::contact;
         q.limit = 100000;
         q.min_score = 40;  // the twin shares the name only
         for (const auto& p : w.reg.find_duplicates(w.actor, q))
           if (p.first == t.contact.value && p.second == t.twin_contact.value) return Outcome::ok;
         return Outcome::not_found;
       });
  read("similar customers of an unsaved one hold the customer",
       [](const O& o, bool m) { return present(o.sees_customer(m)); },
       [](World& w, const Target& t) {
         Customer c;
         c.name = w.reg.customer(w.admin, t.customer).name;
         for (const auto& p : w.reg.similar_customers(w.actor, c))
           if (p.second == t.customer.value) return Outcome::ok;
         return Outcome::not_found;
       });
  command("merge customers (the twin into the customer)",
          [](const O& o, bool m) {
            // A customer user sees his own customer only, never its twin.
            return O::visible_then(o.sees_customer(m) && !o.p.customer_user,
                                   o.edits_customer(m) && o.p.has(Right::customers_delete));
          },
          [](World& w, const Target& t) { w.reg.apply(w.actor, MergeCustomers{t.customer, t.twin, {}}); });
  command("merge contacts (the twin into the contact)",
          [](const O& o, bool m) {
            return O::visible_then(o.sees_contact(m), o.edits_contact(m) && o.p.has(Right::contacts_delete));
          },
          [](World& w, const Target& t) { w.reg.apply(w.actor, MergeContacts{t.contact, t.twin_contact, {}}); });
  return ops;
}

}  // namespace

TEST_CASE("the permission matrix: every operation by every right set, on assigned and other records",
          "[rights][security]") {
  const auto ops = operations();
  std::size_t checked = 0;
  for (const auto& p : profiles()) {
    World w(p, ops.size());
    const Oracle oracle{p};
    for (std::size_t i = 0; i < ops.size(); ++i) {
      const auto& op = ops[i];
      for (int side = 0; side < 2; ++side) {
        bool mine = side == 0;
        const Target& target = w.targets[i][static_cast<std::size_t>(side)];
        Outcome want = p.shut_out() ? Outcome::denied : op.expected(oracle, mine);
        std::string before = op.command ? w.fingerprint(target) : std::string();
        Outcome got;
        try {
          got = op.run(w, target);
        } catch (const NotFound&) {
          got = Outcome::not_found;
        } catch (const PermissionDenied&) {
          got = Outcome::denied;
        }
        INFO(p.name << " | " << op.name << " | " << (mine ? "assigned to him" : "assigned to another"));
        CHECK(to_string(got) == to_string(want));
        if (op.command && got != Outcome::ok) CHECK(w.fingerprint(target) == before);  // a refusal changes nothing
        ++checked;
      }
    }
  }
  CHECK(checked > 10000);
}

TEST_CASE("rights come from the user and from each of his groups, an empty rule set denies", "[rights]") {
  kartotek::test::Fixture f;
  UserGroupId sellers = f.reg.apply(f.admin, CreateUserGroup{UserGroup{{}, "Säljare", {Right::customers_create}, {}, 0}});
  UserGroupId viewers = f.reg.apply(f.admin, CreateUserGroup{UserGroup{{}, "Läsare", {Right::customers_view}, {}, 0}});
  User u = staff_user("sam", "Sam", {});
  u.groups = {viewers, sellers};
  UserId sam = f.reg.apply(f.admin, CreateUser{u});
  CHECK(f.reg.rights_of(f.admin, sam) == std::vector<Right>{Right::customers_view, Right::customers_create});
  CustomerId k = f.reg.apply(sam, CreateCustomer{[] {
    Customer c;
    c.number = "1";
    c.name = "Ek AB";
    return c;
  }()});
  CHECK(f.reg.find_customer(sam, k));

  // An empty group grants nothing.
  UserGroup empty{{}, "Tom", {}, {}, 0};
  UserGroupId none = f.reg.apply(f.admin, CreateUserGroup{empty});
  User v = staff_user("vera", "Vera", {});
  v.groups = {none};
  UserId vera = f.reg.apply(f.admin, CreateUser{v});
  CHECK(f.reg.rights_of(f.admin, vera).empty());
  CHECK(f.reg.search_customers(vera, {}).total == 0);
  CHECK_FALSE(f.reg.find_customer(vera, k));

  // Taking a right from a group takes it from its users at once.
  UserGroup g = *f.reg.find_user_group(f.admin, viewers);
  g.rights.clear();
  f.reg.apply(f.admin, UpdateUserGroup{g});
  CHECK_FALSE(f.reg.find_customer(sam, k));

  // Rights are kept sorted and once each; unknown groups are refused.
  User twice = staff_user("tvåfald", "T", {Right::customers_edit, Right::customers_view, Right::customers_edit});
  UserId t = f.reg.apply(f.admin, CreateUser{twice});
  CHECK(f.reg.user(f.admin, t).rights == std::vector<Right>{Right::customers_view, Right::customers_edit});
  User ghost = staff_user("ghost", "G", {});
  ghost.groups = {UserGroupId{99}};
  CHECK_THROWS_AS(f.reg.apply(f.admin, CreateUser{ghost}), ValidationError);
}

TEST_CASE("user groups: unique names, no deletion while they hold users, history of each change", "[rights]") {
  kartotek::test::Fixture f;
  UserGroupId g = f.reg.apply(f.admin, CreateUserGroup{UserGroup{{}, "Tekniker", {}, {}, 0}});
  CHECK_THROWS_AS(f.reg.apply(f.admin, CreateUserGroup{UserGroup{{}, " tekniker ", {}, {}, 0}}), Conflict);
  CHECK_THROWS_AS(f.reg.apply(f.admin, CreateUserGroup{UserGroup{{}, "", {}, {}, 0}}), ValidationError);
  CHECK_THROWS_AS(f.reg.apply(f.staff, CreateUserGroup{UserGroup{{}, "Egen", {}, {}, 0}}), PermissionDenied);
  User u = staff_user("tina", "Tina", {});
  u.groups = {g};
  UserId tina = f.reg.apply(f.admin, CreateUser{u});
  auto before = f.state();
  CHECK_THROWS_WITH(f.reg.apply(f.admin, DeleteUserGroup{g}), Catch::Contains("tina"));
  CHECK(f.state() == before);
  User again = f.reg.user(f.admin, tina);
  again.groups.clear();
  f.reg.apply(f.admin, UpdateUser{again});
  f.reg.apply(f.admin, DeleteUserGroup{g});
  auto history = f.reg.history(f.admin, ref(g));
  REQUIRE(history.size() == 2);
  CHECK(history[0].action == Action::created);
  CHECK(history[1].action == Action::deleted);
  CHECK(f.reg.history(f.staff, ref(g)).empty());  // administrators only
}

TEST_CASE("customer users: bound to one customer, no rights, locked shuts them out", "[rights]") {
  kartotek::test::Fixture f;
  CustomerId own = f.add_customer("1", "Åberg AB");
  CustomerId other = f.add_customer("2", "Ek AB");
  ContactId lena = f.add_contact("Lena", "Söderström");
  f.reg.apply(f.admin, LinkContact{{lena, own, "VD", false, false}});
  User u;
  u.login = "lena";
  u.name = "Lena";
  u.kind = UserKind::customer;
  CHECK_THROWS_WITH(f.reg.apply(f.admin, CreateUser{u}), Catch::Contains("required for a customer user"));
  u.customer = other;
  u.contact = lena;
  CHECK_THROWS_WITH(f.reg.apply(f.admin, CreateUser{u}), Catch::Contains("not a contact person"));
  u.customer = own;
  u.administrator = true;
  CHECK_THROWS_AS(f.reg.apply(f.admin, CreateUser{u}), ValidationError);
  u.administrator = false;
  UserId portal = f.reg.apply(f.admin, CreateUser{u});

  CHECK(f.reg.search_customers(portal, {}).total == 1);
  CHECK(f.reg.find_customer(portal, own));
  CHECK_FALSE(f.reg.find_customer(portal, other));
  CHECK(f.reg.users(portal).size() == 1);
  CHECK(f.reg.user_groups(portal).empty());
  CHECK(f.reg.search_contacts(portal, {}).total == 0);
  CHECK_THROWS_AS(f.reg.apply(f.admin, AssignTechnician{own, portal}), ValidationError);
  CHECK_THROWS_AS(f.reg.apply(f.admin, DeleteCustomer{own}), Conflict);
  CHECK_THROWS_AS(f.reg.apply(f.admin, DeleteContact{lena}), Conflict);

  User locked = f.reg.user(f.admin, portal);
  locked.locked = true;
  f.reg.apply(f.admin, UpdateUser{locked});
  CHECK_THROWS_WITH(f.reg.find_customer(portal, own), Catch::Contains("locked"));
  locked = f.reg.user(f.admin, portal);
  locked.locked = false;
  f.reg.apply(f.admin, UpdateUser{locked});
  CHECK(f.reg.find_customer(portal, own));

  User staff = f.reg.user(f.admin, f.staff);
  staff.locked = true;
  CHECK_THROWS_AS(f.reg.apply(f.admin, UpdateUser{staff}), ValidationError);
}

TEST_CASE("rights survive saving and loading, and a format 1 register's staff keep every right", "[rights][persistence]") {
  kartotek::test::Fixture f;
  UserGroupId g = f.reg.apply(f.admin, CreateUserGroup{UserGroup{{}, "Tekniker", {Right::customers_view_assigned}, {}, 0}});
  User u = staff_user("tina", "Tina", {Right::contacts_view});
  u.groups = {g};
  UserId tina = f.reg.apply(f.admin, CreateUser{u});
  std::string json = f.reg.export_json(f.admin);
  Register copy = Register::import_json(json, f.clock);
  CHECK(copy.rights_of(f.admin, tina) == std::vector<Right>{Right::customers_view_assigned, Right::contacts_view});
  CHECK(copy.export_json(f.admin) == json);
}

TEST_CASE("the assign menu lists active staff users by user group, Nordic order", "[rights]") {
  kartotek::test::Fixture f;
  UserGroupId techs = f.reg.apply(f.admin, CreateUserGroup{UserGroup{{}, "Tekniker", {}, {}, 0}});
  UserGroupId sellers = f.reg.apply(f.admin, CreateUserGroup{UserGroup{{}, "Ägare", {}, {}, 0}});
  auto add = [&](const char* login, const char* name, std::vector<UserGroupId> groups, bool active = true) {
    User u = staff_user(login, name, {});
    u.groups = std::move(groups);
    u.active = active;
    return f.reg.apply(f.admin, CreateUser{u});
  };
  add("ake", "Åke", {techs, sellers});
  add("zed", "Zed", {techs});
  add("bo", "Bo", {techs}, false);  // deactivated: not offered
  CustomerId k = f.add_customer("1", "Ek AB");
  ContactId p = f.add_contact("Lena", "Ek");
  f.reg.apply(f.admin, LinkContact{{p, k, "", false, false}});
  UserId portal = f.reg.apply(f.admin, CreateCustomerUser{k, p, "lena"});

  auto menu = f.reg.assign_menu(f.staff);
  REQUIRE(menu.size() == 3);
  CHECK(menu[0].name == "Tekniker");  // T < Ä in Swedish
  CHECK(menu[1].name == "Ägare");
  CHECK(menu[2].group == UserGroupId{});
  auto logins = [](const AssignableGroup& g) {
    std::vector<std::string> out;
    for (const auto& u : g.users) out.push_back(u.login);
    return out;
  };
  CHECK(logins(menu[0]) == std::vector<std::string>{"zed", "ake"});  // Z < Å
  CHECK(logins(menu[1]) == std::vector<std::string>{"ake"});
  CHECK(logins(menu[2]) == std::vector<std::string>{"admin", "tekla"});  // no customer users
  CHECK_THROWS_AS(f.reg.assign_menu(portal), PermissionDenied);
}

TEST_CASE("refusals and filters never reveal a customer the user may not see", "[rights][security]") {
  kartotek::test::Fixture f;
  CustomerId hidden = f.add_customer("1001", "Hemliga Kunden AB");
  ContactId p = f.add_contact("Lena", "Ek");
  f.reg.apply(f.admin, LinkContact{{p, hidden, "VD", false, false}});
  UserId sam = f.reg.apply(f.admin, CreateUser{staff_user("sam", "Sam", {Right::customers_create, Right::contacts_view})});
  Customer c;
  c.number = "1001";
  c.name = "Ny";
  try {
    f.reg.apply(sam, CreateCustomer{c});
    FAIL("a taken number was accepted");
  } catch (const Conflict& e) {
    CHECK(std::string(e.what()).find("Hemliga") == std::string::npos);
    CHECK_THAT(e.what(), Catch::Contains("another customer"));
  }
  // The admin, who sees it, is told whose number it is.
  CHECK_THROWS_WITH(f.reg.apply(f.admin, CreateCustomer{c}), Catch::Contains("Hemliga"));
  // Searching contacts by a hidden customer finds nothing.
  ContactQuery q;
  q.customer = hidden;
  CHECK(f.reg.search_contacts(sam, q).total == 0);
  CHECK(f.reg.search_contacts(f.admin, q).total == 1);
  CHECK(f.reg.search_contacts(sam, {}).total == 1);  // the contact itself he may see
  CHECK(f.reg.links_of(sam, p).empty());             // but not its link to the hidden customer
}
