// src/crm.cpp: the CRM around customers and contacts (docs/crm.md) — the
// commands on activities, e-mail restriction and linked employees, and the
// reads that list them.

#include <algorithm>
#include <set>

#include "applier.hpp"

namespace kartotek {

using namespace internal;

namespace detail {

namespace {

// What a kind is called in messages ("a note", "meetings").
std::string kind_name(ActivityKind kind) {
  switch (kind) {
    case ActivityKind::email: return "e-mail";
    case ActivityKind::journal: return "journal entry";
    default: return std::string(enum_name(kind));
  }
}

// "a note", "an e-mail".
std::string a_kind(ActivityKind kind) { return (kind == ActivityKind::email ? "an " : "a ") + kind_name(kind); }

std::string describe_activity(const Activity& a) {
  return kind_name(a.kind) + " " + std::to_string(a.id.value);
}

// The kinds whose author the register records and which only he (or an
// administrator) changes and deletes.
bool authored(ActivityKind kind) { return kind == ActivityKind::note || kind == ActivityKind::journal; }

// The record an activity is on.
RecordRef parent_of(const Activity& a) { return a.customer ? ref(*a.customer) : ref(*a.contact); }

// What the parent's history says of an activity: its kind and id only, so
// that a private note or a restricted e-mail shows nothing of itself there.
Value activity_summary(const Activity& a) {
  return Value::Object{{"id", to_value(a.id)}, {"kind", to_value(a.kind)}};
}

}  // namespace

// ---- helpers -------------------------------------------------------------------

const Activity& Applier::activity(ActivityId id) {
  auto it = r_.activities.find(id.value);
  if (it == r_.activities.end() || !access().sees(it->record))
    throw NotFound("activity " + std::to_string(id.value) + " does not exist");
  return it->record;
}

void Applier::check_staff_user(const std::string& field, UserId user) {
  auto u = r_.users.find(user.value);
  if (u == r_.users.end() || !u->record.active || u->record.kind != UserKind::staff)
    throw ValidationError(field, "user " + std::to_string(user.value) + " is no active staff user");
}

// Checks the fields of `a` for its kind and settles those the register
// keeps; `before` is the stored activity for an update, null for a new one.
void Applier::check_activity(Activity& a, const Activity* before) {
  const ActivityKind k = a.kind;
  auto unused = [&](const char* field, bool empty) {
    if (!empty) throw ValidationError(field, "is not used by " + a_kind(k));
  };
  // Where it may sit.
  if (a.customer.has_value() == a.contact.has_value())
    throw ValidationError("customer", "an activity is on one customer or on one contact");
  if (k == ActivityKind::email && !a.contact) throw ValidationError("contact", "an e-mail is linked to a contact");
  if ((k == ActivityKind::journal || k == ActivityKind::reminder) && !a.customer)
    throw ValidationError("customer", a_kind(k) + " is on a customer");

  // Owner: the author of notes, journal entries and files is the register's
  // to set; meetings, tasks and reminders belong to a staff user.
  const UserId actor = tx_.actor().id;
  switch (k) {
    case ActivityKind::note:
    case ActivityKind::journal:
    case ActivityKind::file:
      if (before) require_same("owner", a.owner, before->owner, "the author never changes");
      else if (a.owner && a.owner != actor) throw ValidationError("owner", "is the author; the register sets it");
      else a.owner = actor;
      break;
    case ActivityKind::meeting:
    case ActivityKind::task:
    case ActivityKind::reminder:
      if (!a.owner) a.owner = before ? before->owner : actor;
      if (!before || a.owner != before->owner) {
        check_staff_user("owner", a.owner);
        // A reminder is only of use to someone who sees its customer.
        if (k == ActivityKind::reminder && !Access(r_, r_.users.find(a.owner.value)->record).sees(customer(*a.customer)))
          throw ValidationError("owner", "user " + std::to_string(a.owner.value) + " does not see the customer");
      }
      break;
    case ActivityKind::email: unused("owner", !a.owner); break;
  }

  // Time: set by the register for notes and files, given for the rest.
  if (k == ActivityKind::note || k == ActivityKind::file) {
    if (before) require_same("at", a.at, before->at, "the register sets it");
    else if (a.at != Timestamp{}) throw ValidationError("at", "the register sets it");
    else a.at = tx_.now();
  } else if (a.at == Timestamp{}) {
    if (k == ActivityKind::meeting || k == ActivityKind::task || k == ActivityKind::reminder)
      throw ValidationError("at", std::string("required: the ") + (k == ActivityKind::meeting ? "meeting's start" : "time it is due"));
    a.at = tx_.now();  // a journal entry of today, an e-mail of now
  }
  if (k == ActivityKind::meeting) {
    if (a.end && *a.end < a.at) throw ValidationError("end", "is before the meeting's start");
  } else {
    unused("end", !a.end);
  }

  // Texts.
  check_text("subject", a.subject, kMaxLine);
  check_text("text", a.text, kMaxText, true);
  switch (k) {
    case ActivityKind::note:
    case ActivityKind::journal:
      unused("subject", a.subject.empty());
      if (trim(a.text).empty()) throw ValidationError("text", "required");
      break;
    case ActivityKind::meeting:
    case ActivityKind::task:
    case ActivityKind::reminder:
      if (trim(a.subject).empty()) throw ValidationError("subject", "required");
      break;
    case ActivityKind::email: break;
    case ActivityKind::file:
      unused("subject", a.subject.empty());
      unused("text", a.text.empty());
      break;
  }

  // Task status from the settings' list.
  if (k == ActivityKind::task) {
    const auto& statuses = r_.settings.task_statuses;
    if (a.status.empty() && !statuses.empty()) a.status = statuses.front();
    if (!a.status.empty() && std::find(statuses.begin(), statuses.end(), a.status) == statuses.end())
      throw ValidationError("status", "'" + a.status + "' is not a task status (the settings list them)");
  } else {
    unused("status", a.status.empty());
  }

  if (k == ActivityKind::meeting) {
    std::sort(a.participants.begin(), a.participants.end());
    a.participants.erase(std::unique(a.participants.begin(), a.participants.end()), a.participants.end());
    for (std::size_t i = 0; i < a.participants.size(); ++i) {
      bool kept = before && std::binary_search(before->participants.begin(), before->participants.end(), a.participants[i]);
      if (!kept) check_staff_user("participants[" + std::to_string(i) + "]", a.participants[i]);
    }
  } else {
    unused("participants", a.participants.empty());
  }

  if (k == ActivityKind::email) {
    a.sender = trimmed(a.sender);
    if (a.sender.empty()) throw ValidationError("sender", "required");
    check_email("sender", a.sender);
    if (a.recipients.empty()) throw ValidationError("recipients", "required: at least one address");
    for (std::size_t i = 0; i < a.recipients.size(); ++i) {
      a.recipients[i] = trimmed(a.recipients[i]);
      std::string f = "recipients[" + std::to_string(i) + "]";
      if (a.recipients[i].empty()) throw ValidationError(f, "required");
      check_email(f, a.recipients[i]);
    }
  } else {
    unused("sender", a.sender.empty());
    unused("recipients", a.recipients.empty());
  }

  if (k == ActivityKind::file) {
    if (before) {
      require_same("file", a.file, before->file, "a file is not changed; remove it and upload it again");
    } else {
      if (!a.file) throw ValidationError("file", "required");
      require_same("file.id", a.file->id, std::uint32_t{0}, "a file is known by its activity's id");
      check_new_file(*a.file);
      a.file->uploaded_by = actor;
      a.file->uploaded_at = tx_.now();
    }
  } else {
    unused("file", !a.file);
  }

  if (k == ActivityKind::reminder) {
    // A reminder moved to another time, or to another user, reminds again.
    bool same = before && before->at == a.at && before->owner == a.owner;
    if (before) require_same("reminded", a.reminded, before->reminded, "the register reminds");
    else require_same("reminded", a.reminded, false, "the register reminds");
    if (!same) a.reminded = false;
  } else {
    unused("done", !a.done);
    unused("reminded", !a.reminded);
  }
}

void Applier::remove_activity(const Activity& a) {
  Activity old = a;
  tx_.erase(r_.activities, *r_.activities.find(old.id.value));
  tx_.record(ref(old.id), Action::deleted, "", to_value(old), nullptr);
  tx_.record(parent_of(old), Action::unlinked, "activities", activity_summary(old), nullptr);
}

// Removes every activity on a customer or contact that is being deleted;
// history keeps each as it was.
void Applier::remove_activities_of(RecordRef parent) {
  std::vector<ActivityId> ids;
  auto collect = [&](auto& index) {
    auto [lb, ub] = index.equal_range(std::make_tuple(parent.id));
    for (auto it = lb; it != ub; ++it) ids.push_back(it->record.id);
  };
  if (parent.kind == RecordKind::customer) collect(r_.activities.get<by_customer>());
  else collect(r_.activities.get<by_contact>());
  for (ActivityId id : ids) remove_activity(r_.activities.find(id.value)->record);
}

void Applier::check_task_statuses(const Settings& s) {
  const auto& list = s.task_statuses;
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string f = "task_statuses[" + std::to_string(i) + "]";
    check_text(f, list[i], 60);
    if (trim(list[i]).empty() || trim(list[i]).size() != list[i].size())
      throw ValidationError(f, "a status is a name without leading or trailing spaces");
    if (std::find(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(i), list[i]) !=
        list.begin() + static_cast<std::ptrdiff_t>(i))
      throw ValidationError(f, "'" + list[i] + "' is given twice");
  }
  // A status still carried by a task stays listed.
  auto& by_k = r_.activities.get<by_kind>();
  auto [lb, ub] = by_k.equal_range(std::make_tuple(ActivityKind::task));
  for (auto it = lb; it != ub; ++it) {
    const std::string& status = it->record.status;
    if (!status.empty() && std::find(list.begin(), list.end(), status) == list.end())
      throw Conflict("task status '" + status + "' is still used by task " + std::to_string(it->record.id.value));
  }
}

void Applier::raise_activity_reminders() {
  auto& by_k = r_.activities.get<by_kind>();
  std::vector<ActivityId> due;
  for (auto it = by_k.lower_bound(std::make_tuple(ActivityKind::reminder));
       it != by_k.end() && it->kind() == ActivityKind::reminder && it->at() <= tx_.now(); ++it)
    if (!it->record.done && !it->record.reminded) due.push_back(it->record.id);
  for (ActivityId id : due) {
    Activity a = r_.activities.find(id.value)->record;
    a.reminded = true;
    replace_record(r_.activities, r_.activities.find(id.value)->record, a, [](Activity x) { return ActivityRow{std::move(x)}; });
    auto u = r_.users.find(a.owner.value);
    if (u == r_.users.end()) continue;
    const User& user = u->record;
    Notification n = notification_for(user, NotificationKind::reminder, ref(a.id));
    const Customer& c = r_.customers.find(a.customer->value)->record;
    bool visible = Access(r_, user).sees(a);
    std::string label = visible ? a.subject + " (" + c.number + " " + c.name + ")" : "#" + std::to_string(a.id.value);
    n.text = order_notification_text(NotificationKind::reminder, n.language, label, booking_time(a.at));
    post(std::move(n));
  }
}

void Applier::set_employees(const Customer& cur, std::vector<UserId> employees, Action action, UserId user) {
  Customer c = cur;
  c.employees = std::move(employees);
  c.revision = cur.revision + 1;
  CustomerId id = c.id;
  tx_.replace(r_.customers, r_.customer_row(std::move(c)));
  if (action == Action::linked) tx_.record(ref(id), action, "employees", nullptr, to_value(user));
  else tx_.record(ref(id), action, "employees", to_value(user), nullptr);
}

// ---- commands ----------------------------------------------------------------------

RecordRef Applier::operator()(const CreateActivity& cmd) {
  Activity a = cmd.activity;
  require_same("id", a.id, ActivityId{}, "a new activity gets its id from the register");
  require_same("created_by", a.created_by, UserId{}, "the register sets it");
  require_same("created_at", a.created_at, Timestamp{}, "the register sets it");
  require_same("revision", a.revision, std::uint64_t{0}, "the register sets it");
  // The record it goes on, which the actor must see (else NotFound).
  if (a.customer) customer(*a.customer);
  if (a.contact) contact(*a.contact);
  check_activity(a, nullptr);
  const Access acc = access();
  if (a.kind == ActivityKind::file) {
    if (a.customer) acc.require(Right::customers_upload, "upload files to customers");
    else acc.require(Right::contacts_upload, "upload files to contacts");
  } else if (!acc.edits_parent(a)) {
    throw PermissionDenied("user '" + tx_.actor().login + "' may not add " + a_kind(a.kind) + " to " +
                           (a.customer ? describe_customer(customer(*a.customer))
                                       : "contact " + std::to_string(a.contact->value)) +
                           ": that needs the right " + (a.customer ? "customers.edit" : "contacts.edit"));
  }
  if (a.kind == ActivityKind::email && contact(*a.contact).emails_restricted && !acc.administrator())
    throw PermissionDenied("the e-mails of contact " + std::to_string(a.contact->value) +
                           " are restricted to administrators");
  a.id = ActivityId{++r_.counters.activity};
  a.created_by = tx_.actor().id;
  a.created_at = tx_.now();
  a.revision = 1;
  tx_.insert(r_.activities, ActivityRow{a});
  tx_.record(ref(a.id), Action::created, "", nullptr, to_value(a));
  tx_.record(parent_of(a), Action::linked, "activities", nullptr, activity_summary(a));
  return ref(a.id);
}

RecordRef Applier::operator()(const UpdateActivity& cmd) {
  const Activity& cur = activity(cmd.activity.id);
  Activity a = cmd.activity;
  check_revision(describe_activity(cur), a.revision, cur.revision);
  require_same("kind", a.kind, cur.kind, "it never changes");
  require_same("customer", a.customer, cur.customer, "an activity stays on its record");
  require_same("contact", a.contact, cur.contact, "an activity stays on its record");
  require_same("created_by", a.created_by, cur.created_by, "it never changes");
  require_same("created_at", a.created_at, cur.created_at, "it never changes");
  const Access acc = access();
  if (authored(cur.kind)) {
    if (cur.owner != tx_.actor().id && !acc.administrator())
      throw PermissionDenied("only its author or an administrator may change " + describe_activity(cur));
  } else if (!acc.edits_parent(cur)) {
    throw PermissionDenied("user '" + tx_.actor().login + "' may not change " + describe_activity(cur) +
                           ": that needs the right to edit the " + (cur.customer ? "customer" : "contact") + " it is on");
  }
  check_activity(a, &cur);
  replace_record(r_.activities, cur, std::move(a), [](Activity x) { return ActivityRow{std::move(x)}; });
  return {};
}

RecordRef Applier::operator()(const DeleteActivity& cmd) {
  const Activity& cur = activity(cmd.activity);
  const Access acc = access();
  if (authored(cur.kind)) {
    if (cur.owner != tx_.actor().id && !acc.administrator())
      throw PermissionDenied("only its author or an administrator may delete " + describe_activity(cur));
  } else if (cur.kind == ActivityKind::file) {
    if (cur.customer) acc.require(Right::customers_delete_files, "delete files of customers");
    else acc.require(Right::contacts_delete_files, "delete files of contacts");
  } else if (!acc.edits_parent(cur)) {
    throw PermissionDenied("user '" + tx_.actor().login + "' may not delete " + describe_activity(cur) +
                           ": that needs the right to edit the " + (cur.customer ? "customer" : "contact") + " it is on");
  }
  remove_activity(cur);
  return {};
}

RecordRef Applier::operator()(const ReassignActivities& cmd) {
  check_staff_user("owner", cmd.owner);
  std::set<ActivityId> seen;
  for (std::size_t i = 0; i < cmd.activities.size(); ++i) {
    ActivityId id = cmd.activities[i];
    if (!seen.insert(id).second) continue;
    const Activity& cur = activity(id);
    if (cur.kind != ActivityKind::meeting && cur.kind != ActivityKind::task)
      throw ValidationError("activities[" + std::to_string(i) + "]",
                            describe_activity(cur) + " has no owner to change; meetings and tasks have");
    if (!access().edits_parent(cur))
      throw PermissionDenied("user '" + tx_.actor().login + "' may not change " + describe_activity(cur) +
                             ": that needs the right to edit the " + (cur.customer ? "customer" : "contact") +
                             " it is on");
    if (cur.owner == cmd.owner) continue;
    Activity a = cur;
    a.owner = cmd.owner;
    replace_record(r_.activities, cur, std::move(a), [](Activity x) { return ActivityRow{std::move(x)}; });
  }
  return {};
}

RecordRef Applier::operator()(const RestrictEmails& cmd) {
  require_administrator("restrict or give back access to a contact's e-mails");
  const Contact& cur = contact(cmd.contact);
  if (cur.emails_restricted == cmd.restricted) return {};
  Contact c = cur;
  c.emails_restricted = cmd.restricted;
  replace_record(r_.contacts, cur, std::move(c), [&](Contact x) { return r_.contact_row(std::move(x)); });
  return {};
}

RecordRef Applier::operator()(const LinkEmployee& cmd) {
  const Customer& cur = customer(cmd.customer);
  require_edit(cur);
  check_staff_user("user", cmd.user);
  std::vector<UserId> employees = cur.employees;
  auto at = std::lower_bound(employees.begin(), employees.end(), cmd.user);
  if (at != employees.end() && *at == cmd.user)
    throw Conflict("user " + std::to_string(cmd.user.value) + " is already linked to " + describe_customer(cur));
  employees.insert(at, cmd.user);
  set_employees(cur, std::move(employees), Action::linked, cmd.user);
  return {};
}

RecordRef Applier::operator()(const UnlinkEmployee& cmd) {
  const Customer& cur = customer(cmd.customer);
  require_edit(cur);
  std::vector<UserId> employees = cur.employees;
  auto at = std::lower_bound(employees.begin(), employees.end(), cmd.user);
  if (at == employees.end() || *at != cmd.user)
    throw NotFound("user " + std::to_string(cmd.user.value) + " is not linked to " + describe_customer(cur));
  employees.erase(at);
  set_employees(cur, std::move(employees), Action::unlinked, cmd.user);
  return {};
}

}  // namespace detail

// ---- reads -----------------------------------------------------------------------

std::optional<Activity> Register::find_activity(UserId actor, ActivityId id) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  auto it = impl_->activities.find(id.value);
  if (it == impl_->activities.end() || !a.sees(it->record)) return std::nullopt;
  return it->record;
}

Activity Register::activity(UserId actor, ActivityId id) const {
  auto a = find_activity(actor, id);
  if (!a) throw NotFound("activity " + std::to_string(id.value) + " does not exist");
  return *std::move(a);
}

Page<Activity> Register::search_activities(UserId actor, const ActivityQuery& q) const {
  std::shared_lock lock(impl_->mutex);
  const Register::Impl& r = *impl_;
  const Access a(r, r.actor(actor));
  if (q.limit == 0) throw ValidationError("limit", "must be at least 1");
  for (std::size_t i = 0; i < q.statuses.size(); ++i)
    if (!is_valid_utf8(q.statuses[i])) throw ValidationError("statuses[" + std::to_string(i) + "]", "is not valid UTF-8");
  if (q.customer && q.contact) throw ValidationError("contact", "give a customer or a contact, not both");
  auto wanted_kind = [&](ActivityKind k) {
    return q.kinds.empty() || std::find(q.kinds.begin(), q.kinds.end(), k) != q.kinds.end();
  };
  auto keep = [&](const Activity& x) {
    if (!wanted_kind(x.kind)) return false;
    if (q.owner && x.owner != *q.owner) return false;
    if (!q.statuses.empty() &&
        (x.kind != ActivityKind::task || std::find(q.statuses.begin(), q.statuses.end(), x.status) == q.statuses.end()))
      return false;
    if (q.since && x.at < *q.since) return false;
    if (q.until && x.at >= *q.until) return false;
    return a.sees(x);
  };
  // The candidates, through the narrowest index the query allows.
  std::vector<const ActivityRow*> hits;
  if (q.since && q.until && *q.until <= *q.since) return Page<Activity>{};  // an empty time range
  auto scan = [&](const auto& index, std::uint64_t key) {
    auto lb = q.since ? index.lower_bound(std::make_tuple(key, *q.since)) : index.lower_bound(std::make_tuple(key));
    auto ub = q.until ? index.lower_bound(std::make_tuple(key, *q.until)) : index.upper_bound(std::make_tuple(key));
    for (auto it = lb; it != ub; ++it)
      if (keep(it->record)) hits.push_back(&*it);
  };
  if (q.customer) {
    scan(r.activities.get<by_customer>(), q.customer->value);
  } else if (q.contact) {
    scan(r.activities.get<by_contact>(), q.contact->value);
    // Notes shown on a contact include those written on his customers.
    if (q.company_notes && wanted_kind(ActivityKind::note)) {
      auto [lb, ub] = r.links.get<by_contact>().equal_range(std::make_tuple(q.contact->value));
      std::size_t own = hits.size();
      for (auto l = lb; l != ub; ++l) scan(r.activities.get<by_customer>(), l->customer());
      hits.erase(std::remove_if(hits.begin() + static_cast<std::ptrdiff_t>(own), hits.end(),
                                [](const ActivityRow* x) { return x->kind() != ActivityKind::note; }),
                 hits.end());
    }
  } else if (q.owner) {
    scan(r.activities.get<by_owner>(), q.owner->value);
  } else {
    for (const auto& row : r.activities)
      if (keep(row.record)) hits.push_back(&row);
  }
  std::sort(hits.begin(), hits.end(), [&](const ActivityRow* x, const ActivityRow* y) {
    auto kx = std::make_tuple(x->at(), x->id());
    auto ky = std::make_tuple(y->at(), y->id());
    return q.descending ? ky < kx : kx < ky;
  });
  Page<Activity> page;
  page.total = hits.size();
  for (std::size_t i = q.offset; i < hits.size() && i - q.offset < q.limit; ++i) page.items.push_back(hits[i]->record);
  return page;
}

std::vector<LinkedEmployee> Register::linked_employees(UserId actor, CustomerId customer) const {
  std::shared_lock lock(impl_->mutex);
  const Register::Impl& r = *impl_;
  const Access a(r, r.actor(actor));
  auto c = r.customers.find(customer.value);
  if (c == r.customers.end() || !a.sees(c->record) || a.customer_user())
    throw NotFound("customer " + std::to_string(customer.value) + " does not exist");
  std::map<UserId, LinkedEmployee> found;
  for (UserId u : c->record.employees) found[u].linked = true;
  auto [lb, ub] = r.orders.get<by_customer>().equal_range(std::make_tuple(customer.value));
  for (auto it = lb; it != ub; ++it) {
    const Order& o = it->record;
    if (!a.sees(o)) continue;
    std::set<UserId> worked(o.assigned.begin(), o.assigned.end());
    for (const auto& t : o.time_entries) worked.insert(t.user);
    for (UserId u : worked) ++found[u].orders;
  }
  std::vector<LinkedEmployee> out;
  for (auto& [id, e] : found) {
    auto u = r.users.find(id.value);
    if (u == r.users.end() || u->record.kind != UserKind::staff) continue;
    e.user = id;
    e.name = u->record.name;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace kartotek
