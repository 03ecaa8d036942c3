// src/merge.cpp: joining duplicates (docs/duplicates.md) — MergeCustomers
// and MergeContacts. Each is one command: every reference to the removed
// record moves to the kept one inside the command's transaction, so a
// refusal at any step leaves the register as it was.

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "applier.hpp"

namespace kartotek {

using namespace internal;

namespace detail {

namespace {

// Sets the fields of `merged` that `take` names to their values in
// `removed`. `kept` lists the fields the register keeps, which no merge
// takes; a custom field is named "custom.<key>" and must be defined for
// `kind` (retired ones too: their values are kept like any other).
template <class T>
void take_fields(T& merged, const T& removed, const std::vector<std::string>& take, RecordKind kind,
                 const std::vector<FieldDefinition>& definitions, std::initializer_list<std::string_view> kept) {
  const std::string kind_name(enum_name(kind));
  for (std::size_t i = 0; i < take.size(); ++i) {
    const std::string& name = take[i];
    const std::string path = "take[" + std::to_string(i) + "]";
    check_text(path, name, kMaxLine);
    constexpr std::string_view kCustom = "custom.";
    if (name.compare(0, kCustom.size(), kCustom) == 0) {
      const std::string key = name.substr(kCustom.size());
      bool defined = std::any_of(definitions.begin(), definitions.end(),
                                 [&](const FieldDefinition& d) { return d.kind == kind && d.key == key; });
      if (!defined) throw ValidationError(path, "'" + key + "' is no custom field of " + kind_name + "s");
      const Value* value = removed.custom.find(key);
      merged.custom.set(key, value ? *value : Value());
      continue;
    }
    if (name == "custom") throw ValidationError(path, "name custom fields one by one, as custom.<key>");
    if (std::find(kept.begin(), kept.end(), name) != kept.end())
      throw ValidationError(path, "'" + name + "' is kept by the register; a merge does not take it");
    bool found = false;
    for_each_field<T>([&](const auto& fld) {
      if (!found && fld.name == name) {
        found = true;
        merged.*(fld.member) = removed.*(fld.member);
      }
    });
    if (!found) throw ValidationError(path, "'" + name + "' is no field of a " + kind_name);
  }
}

// The custom values `removed` holds and `keep` lacks go to `merged`.
void take_missing_custom(CustomFields& merged, const CustomFields& keep, const CustomFields& removed) {
  for (const auto& m : removed.values())
    if (!keep.find(m.key)) merged.set(m.key, m.value);
}

// What history says of the records a merge moves: enough to find them,
// nothing of their content (a note of a private customer stays private).
Value customer_summary(const Customer& c) {
  return Value::Object{{"id", to_value(c.id)}, {"number", Value(c.number)}, {"name", Value(c.name)}};
}
Value contact_summary(const Contact& c) {
  return Value::Object{{"id", to_value(c.id)}, {"first_name", Value(c.first_name)}, {"last_name", Value(c.last_name)}};
}
Value order_summary(const Order& o) {
  return Value::Object{{"id", to_value(o.id)}, {"kind", to_value(o.kind)}, {"number", to_value(o.number)}};
}
Value activity_summary(const Activity& a) {
  return Value::Object{{"id", to_value(a.id)}, {"kind", to_value(a.kind)}};
}
Value user_summary(const User& u) { return Value::Object{{"id", to_value(u.id)}, {"login", Value(u.login)}}; }

}  // namespace

// The removed customer's number, and the numbers merged into it before,
// find `keep` from now on; its number is retired like a deleted customer's.
void Applier::merge_number(const Customer& removed, CustomerId keep) {
  retire_number(removed.number, removed.id);
  auto point = [this, &removed, keep](const std::string& key, Value shown) {
    auto it = r_.merged_numbers.find(key);
    const std::optional<CustomerId> before =
        it == r_.merged_numbers.end() ? std::nullopt : std::optional<CustomerId>(it->second);
    r_.merged_numbers[key] = keep;
    tx_.on_undo([&r = r_, key, before] {
      if (before) r.merged_numbers[key] = *before;
      else r.merged_numbers.erase(key);
    });
    tx_.record(ref(keep), Action::linked, "numbers", to_value(ref(removed.id)), shown);
    tx_.record(ref(removed.id), Action::unlinked, "numbers", std::move(shown), to_value(ref(keep)));
  };
  std::vector<std::string> chained;  // merged into `removed` before: merges chain
  for (const auto& entry : r_.merged_numbers)
    if (entry.second == removed.id) chained.push_back(entry.first);
  for (const auto& key : chained) point(key, Value(key));
  point(case_fold(trim(removed.number)), Value(removed.number));
}

RecordRef Applier::operator()(const MergeCustomers& cmd) {
  const Customer keep = customer(cmd.keep);
  const Customer removed = customer(cmd.remove);
  if (keep.id == removed.id) throw ValidationError("remove", "is the customer kept; a merge joins two customers");
  require_edit(keep);
  require_edit(removed);
  access().require(Right::customers_delete, "merge customers (the merged customer is deleted)");
  if (!keep.active)
    throw ValidationError("keep", describe_customer(keep) + " is deactivated; reactivate it before merging into it");
  if (keep.kind != removed.kind)
    throw ValidationError("remove", describe_customer(removed) + " is of kind " + std::string(enum_name(removed.kind)) +
                                        " and " + describe_customer(keep) + " of kind " +
                                        std::string(enum_name(keep.kind)) + "; make them one kind first");

  Customer merged = keep;
  take_fields(merged, removed, cmd.take, RecordKind::customer, r_.field_definitions,
              {"id", "number", "active", "assigned_technician", "employees", "created_at", "revision"});
  take_missing_custom(merged.custom, keep.custom, removed.custom);
  std::vector<UserId> employees = keep.employees;
  employees.insert(employees.end(), removed.employees.begin(), removed.employees.end());
  sort_unique(employees);
  merged.employees = std::move(employees);
  if (!merged.assigned_technician) merged.assigned_technician = removed.assigned_technician;

  tx_.set_source(Source::merge);
  const Value from = to_value(ref(removed.id));
  const Value into = to_value(ref(keep.id));
  tx_.record(ref(keep.id), Action::linked, "merged", nullptr, customer_summary(removed));
  auto moved = [&](const char* field, const Value& summary) {
    tx_.record(ref(keep.id), Action::linked, field, from, summary);
    tx_.record(ref(removed.id), Action::unlinked, field, summary, into);
  };

  // Contact persons: a contact of both keeps the kept customer's link.
  auto& links_by_customer = r_.links.get<by_customer>();
  const std::vector<LinkRow> links(links_by_customer.lower_bound(std::make_tuple(removed.id.value)),
                                   links_by_customer.upper_bound(std::make_tuple(removed.id.value)));
  for (const LinkRow& row : links) {
    const ContactLink old = row.link;
    tx_.erase(r_.links, row);
    if (r_.links.find(std::make_tuple(keep.id.value, old.contact.value)) != r_.links.end()) {
      tx_.record(ref(old.contact), Action::unlinked, "customers", to_value(old), nullptr);
      tx_.record(ref(removed.id), Action::unlinked, "contacts", to_value(old), into);
      continue;
    }
    ContactLink now = old;
    now.customer = keep.id;
    tx_.insert(r_.links, LinkRow{now});
    tx_.record(ref(old.contact), Action::changed, "customers", to_value(old), to_value(now));
    moved("contacts", to_value(now));
  }

  // Facilities, and with them their service objects.
  std::vector<std::uint64_t> facilities;
  auto& facilities_by_customer = r_.facilities.get<by_customer>();
  for (auto it = facilities_by_customer.lower_bound(std::make_tuple(removed.id.value));
       it != facilities_by_customer.end() && it->customer() == removed.id.value; ++it)
    facilities.push_back(it->id());
  for (std::uint64_t id : facilities) {
    const Facility& cur = r_.facilities.find(id)->record;
    Facility f = cur;
    f.customer = keep.id;
    replace_record(r_.facilities, cur, f, [](Facility x) { return FacilityRow{std::move(x)}; });
    moved("facilities", facility_summary(f));
  }

  // Orders of every kind, open and closed.
  std::vector<std::uint64_t> orders;
  auto& orders_by_customer = r_.orders.get<by_customer>();
  for (auto it = orders_by_customer.lower_bound(std::make_tuple(removed.id.value));
       it != orders_by_customer.end() && it->customer() == removed.id.value; ++it)
    orders.push_back(it->id());
  for (std::uint64_t id : orders) {
    const Order& cur = r_.orders.find(id)->record;
    Order o = cur;
    o.customer = keep.id;
    replace_record(r_.orders, cur, o, [](Order x) { return OrderRow{std::move(x)}; });
    moved("orders", order_summary(o));
  }

  // Activities: notes, meetings, tasks, journal entries, files, reminders.
  std::vector<std::uint64_t> activities;
  auto& activities_by_customer = r_.activities.get<by_customer>();
  for (auto it = activities_by_customer.lower_bound(std::make_tuple(removed.id.value));
       it != activities_by_customer.end() && it->customer() == removed.id.value; ++it)
    activities.push_back(it->id());
  for (std::uint64_t id : activities) {
    const Activity& cur = r_.activities.find(id)->record;
    Activity a = cur;
    a.customer = keep.id;
    replace_record(r_.activities, cur, a, [](Activity x) { return ActivityRow{std::move(x)}; });
    moved("activities", activity_summary(a));
  }

  // Customer users (portal logins).
  std::vector<std::uint64_t> users;
  for (const auto& row : r_.users)
    if (row.record.customer == removed.id) users.push_back(row.id());
  for (std::uint64_t id : users) {
    const User& cur = r_.users.find(id)->record;
    User u = cur;
    u.customer = keep.id;
    replace_record(r_.users, cur, u, [this](User x) { return r_.user_row(std::move(x)); });
    moved("customer_users", user_summary(u));
  }

  // Saved order filters: their owners' history records the change.
  std::vector<OrderFilterRow> filters;
  for (const auto& row : r_.order_filters)
    if (row.record.query.customer == removed.id) filters.push_back(row);
  for (const auto& row : filters) {
    OrderFilter f = row.record;
    f.query.customer = keep.id;
    tx_.replace(r_.order_filters, r_.order_filter_row(f));
    tx_.record(ref(f.owner), Action::changed, "order_filters", to_value(row.record), to_value(f));
  }

  merge_number(removed, keep.id);

  // The merged card: checked as any update is, against the rules of now.
  check_customer(merged);
  const CustomFields stored = merged.custom;  // values both records held: retired ones stay
  check_custom(RecordKind::customer, merged.custom, &stored);
  const std::optional<UserId> technician_before = keep.assigned_technician;
  replace_customer(r_.customers.find(keep.id.value)->record, merged);
  // The technician of the removed customer hears whether he serves the kept one now.
  if (removed.assigned_technician && removed.assigned_technician != merged.assigned_technician)
    notify(*removed.assigned_technician, NotificationKind::unassigned, removed.id);
  if (merged.assigned_technician && merged.assigned_technician != technician_before)
    notify(*merged.assigned_technician, NotificationKind::assigned, keep.id);

  tx_.erase(r_.customers, *r_.customers.find(removed.id.value));
  tx_.record(ref(removed.id), Action::deleted, "merged_into", to_value(removed),
             customer_summary(r_.customers.find(keep.id.value)->record));
  return {};
}

RecordRef Applier::operator()(const MergeContacts& cmd) {
  const Contact keep = contact(cmd.keep);
  const Contact removed = contact(cmd.remove);
  if (keep.id == removed.id) throw ValidationError("remove", "is the contact kept; a merge joins two contacts");
  for (const Contact* c : {&keep, &removed})
    if (!access().edits(*c))
      throw PermissionDenied("user '" + tx_.actor().login + "' may not change contact " + std::to_string(c->id.value) +
                             ": that needs the right contacts.edit");
  access().require(Right::contacts_delete, "merge contacts (the merged contact is deleted)");

  Contact merged = keep;
  take_fields(merged, removed, cmd.take, RecordKind::contact, r_.field_definitions,
              {"id", "created_at", "revision", "emails_restricted"});
  take_missing_custom(merged.custom, keep.custom, removed.custom);
  // E-mails restricted to administrators stay so, whichever contact they reach.
  merged.emails_restricted = keep.emails_restricted || removed.emails_restricted;

  tx_.set_source(Source::merge);
  const Value from = to_value(ref(removed.id));
  const Value into = to_value(ref(keep.id));
  tx_.record(ref(keep.id), Action::linked, "merged", nullptr, contact_summary(removed));
  auto moved = [&](const char* field, const Value& summary) {
    tx_.record(ref(keep.id), Action::linked, field, from, summary);
    tx_.record(ref(removed.id), Action::unlinked, field, summary, into);
  };

  // His customers: where both are contact persons, the kept contact's link stays.
  auto& links_by_contact = r_.links.get<by_contact>();
  const std::vector<LinkRow> links(links_by_contact.lower_bound(std::make_tuple(removed.id.value)),
                                   links_by_contact.upper_bound(std::make_tuple(removed.id.value)));
  for (const LinkRow& row : links) {
    const ContactLink old = row.link;
    tx_.erase(r_.links, row);
    if (r_.links.find(std::make_tuple(old.customer.value, keep.id.value)) != r_.links.end()) {
      tx_.record(ref(old.customer), Action::unlinked, "contacts", to_value(old), nullptr);
      tx_.record(ref(removed.id), Action::unlinked, "customers", to_value(old), into);
      continue;
    }
    ContactLink now = old;
    now.contact = keep.id;
    tx_.insert(r_.links, LinkRow{now});
    tx_.record(ref(old.customer), Action::changed, "contacts", to_value(old), to_value(now));
    moved("customers", to_value(now));
  }

  // Orders naming him as their contact person.
  std::vector<std::uint64_t> orders;
  for (const auto& row : r_.orders)
    if (row.record.contact == removed.id) orders.push_back(row.id());
  for (std::uint64_t id : orders) {
    const Order& cur = r_.orders.find(id)->record;
    Order o = cur;
    o.contact = keep.id;
    replace_record(r_.orders, cur, o, [](Order x) { return OrderRow{std::move(x)}; });
    moved("orders", order_summary(o));
  }

  // Notes, meetings, tasks, e-mails and files.
  std::vector<std::uint64_t> activities;
  auto& activities_by_contact = r_.activities.get<by_contact>();
  for (auto it = activities_by_contact.lower_bound(std::make_tuple(removed.id.value));
       it != activities_by_contact.end() && it->contact() == removed.id.value; ++it)
    activities.push_back(it->id());
  for (std::uint64_t id : activities) {
    const Activity& cur = r_.activities.find(id)->record;
    Activity a = cur;
    a.contact = keep.id;
    replace_record(r_.activities, cur, a, [](Activity x) { return ActivityRow{std::move(x)}; });
    moved("activities", activity_summary(a));
  }

  // Customer users made from him.
  std::vector<std::uint64_t> users;
  for (const auto& row : r_.users)
    if (row.record.contact == removed.id) users.push_back(row.id());
  for (std::uint64_t id : users) {
    const User& cur = r_.users.find(id)->record;
    User u = cur;
    u.contact = keep.id;
    replace_record(r_.users, cur, u, [this](User x) { return r_.user_row(std::move(x)); });
    moved("customer_users", user_summary(u));
  }

  check_contact(merged);
  const CustomFields stored = merged.custom;
  check_custom(RecordKind::contact, merged.custom, &stored);
  replace_record(r_.contacts, r_.contacts.find(keep.id.value)->record, merged,
                 [this](Contact x) { return r_.contact_row(std::move(x)); });

  tx_.erase(r_.contacts, *r_.contacts.find(removed.id.value));
  tx_.record(ref(removed.id), Action::deleted, "merged_into", to_value(removed),
             contact_summary(r_.contacts.find(keep.id.value)->record));
  return {};
}

}  // namespace detail

}  // namespace kartotek
