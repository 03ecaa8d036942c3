// src/access.cpp: who may see and do what (docs/rights.md). Every command
// and every read asks an Access made for its actor; nothing else decides.

#include <algorithm>

#include "register_impl.hpp"

namespace kartotek {

using namespace internal;

namespace {

std::size_t slot(Right r) { return static_cast<std::size_t>(r); }

constexpr bool rights_fit(std::size_t slots) {
  for (const auto& [right, name] : EnumNames<Right>::names)
    if (static_cast<std::size_t>(right) >= slots) return false;
  return true;
}

}  // namespace

const User& Register::Impl::actor(UserId id) const {
  auto it = users.find(id.value);
  if (it == users.end()) throw PermissionDenied("unknown user " + std::to_string(id.value));
  const User& u = it->record;
  if (!u.active) throw PermissionDenied("user '" + u.login + "' is deactivated");
  if (u.locked) throw PermissionDenied("user '" + u.login + "' is locked");
  return u;
}

Access::Access(const Register::Impl& r, const User& user, bool trusted)
    : r_(r), user_(user), all_(trusted || user.administrator) {
  static_assert(rights_fit(kSlots), "a Right's number is beyond Access's slots");
  if (all_ || user.kind == UserKind::customer) return;  // customer users hold no rights
  for (Right right : user.rights) rights_[slot(right)] = true;
  for (UserGroupId g : user.groups) {
    auto it = r.user_groups.find(g.value);
    if (it == r.user_groups.end()) continue;
    for (Right right : it->record.rights) rights_[slot(right)] = true;
  }
}

bool Access::has(Right right) const {
  if (all_) return true;
  if (customer_user()) return false;
  return rights_[slot(right)];
}

void Access::require(Right right, const std::string& what) const {
  if (!has(right))
    throw PermissionDenied("user '" + user_.login + "' may not " + what + ": that needs the right " +
                           std::string(enum_name(right)));
}

void Access::require_administrator(const std::string& what) const {
  if (!administrator()) throw PermissionDenied("only an administrator may " + what);
}

const Customer* Access::customer_of(CustomerId id) const {
  auto it = r_.customers.find(id.value);
  return it == r_.customers.end() ? nullptr : &it->record;
}

bool Access::assigned(const Customer& c) const { return c.assigned_technician == user_.id; }

Access::Scope Access::customer_scope() const {
  if (all_) return Scope::all;
  if (customer_user()) return user_.customer ? Scope::own : Scope::none;
  if (has(Right::customers_view)) return Scope::all;
  if (has(Right::customers_view_assigned)) return Scope::assigned;
  return Scope::none;
}

Access::Scope Access::contact_scope() const {
  if (has(Right::contacts_view)) return Scope::all;
  if (has(Right::contacts_view_assigned)) return Scope::assigned;
  return Scope::none;
}

bool Access::sees(const Customer& c) const {
  switch (customer_scope()) {
    case Scope::all: return true;
    case Scope::assigned: return assigned(c);
    case Scope::own: return user_.customer == c.id;
    case Scope::none: return false;
  }
  return false;
}

bool Access::assigned_contact(const Contact& c) const {
  auto [lb, ub] = r_.links.get<by_contact>().equal_range(std::make_tuple(c.id.value));
  for (auto it = lb; it != ub; ++it) {
    const Customer* customer = customer_of(it->link.customer);
    if (customer && assigned(*customer)) return true;
  }
  return false;
}

bool Access::sees(const Contact& c) const {
  switch (contact_scope()) {
    case Scope::all: return true;
    case Scope::assigned: return assigned_contact(c);
    default: return false;
  }
}

bool Access::sees(const Facility& f) const {
  const Customer* c = customer_of(f.customer);
  if (!c || !sees(*c)) return false;
  return has(Right::facilities_view) || (has(Right::facilities_view_assigned) && assigned(*c));
}

bool Access::sees(const ServiceObject& s) const {
  auto it = r_.facilities.find(s.facility.value);
  if (it == r_.facilities.end() || !sees(it->record)) return false;
  const Customer* c = customer_of(it->record.customer);
  return has(Right::service_objects_view) || (has(Right::service_objects_view_assigned) && c && assigned(*c));
}

bool Access::sees_link(const ContactLink& l) const {
  const Customer* c = customer_of(l.customer);
  return c && sees(*c);
}

Access::OrderRights Access::order_rights(OrderKind kind) {
  if (kind == OrderKind::contact_order)
    return {Right::contact_orders_view,   Right::contact_orders_view_assigned, Right::contact_orders_edit,
            Right::contact_orders_edit,   Right::contact_orders_create,        Right::contact_orders_delete,
            Right::contact_orders_edit,   Right::contact_orders_assign,        Right::contact_orders_assign_self,
            Right::contact_orders_delete_files, false};
  return {Right::orders_view,   Right::orders_view_assigned, Right::orders_edit,   Right::orders_edit_assigned,
          Right::orders_create, Right::orders_delete,        Right::orders_upload, Right::orders_assign,
          Right::orders_assign_self, Right::orders_delete_files, true};
}

namespace {

bool assigned_to(const Order& o, UserId user) {
  return std::find(o.assigned.begin(), o.assigned.end(), user) != o.assigned.end();
}

}  // namespace

// An order is seen by its module's rights alone: a technician assigned to an
// order reads it even where the customer card is closed to him.
bool Access::sees(const Order& o) const {
  if (all_) return true;
  if (customer_user()) return user_.customer == o.customer && o.kind != OrderKind::contact_order;
  const OrderRights r = order_rights(o.kind);
  return has(r.view) || (has(r.view_assigned) && assigned_to(o, user_.id));
}

bool Access::edits(const Order& o) const {
  if (all_) return true;
  if (customer_user()) return false;
  const OrderRights r = order_rights(o.kind);
  return (has(r.edit) && sees(o)) || (r.has_edit_assigned && has(r.edit_assigned) && assigned_to(o, user_.id));
}

bool Access::sees(const Activity& a) const {
  if (customer_user()) return false;
  if (a.customer) {
    const Customer* c = customer_of(*a.customer);
    if (!c || !sees(*c)) return false;
    // A note on a private customer concerns a person: it stays with its
    // author, the customer's assigned technician and the administrators.
    if (a.kind == ActivityKind::note && c->kind == CustomerKind::private_person)
      return all_ || a.owner == user_.id || assigned(*c);
    return true;
  }
  if (a.contact) {
    auto it = r_.contacts.find(a.contact->value);
    if (it == r_.contacts.end() || !sees(it->record)) return false;
    if (a.kind == ActivityKind::email && it->record.emails_restricted) return all_;
    return true;
  }
  return false;
}

bool Access::edits_parent(const Activity& a) const {
  if (a.customer) {
    const Customer* c = customer_of(*a.customer);
    return c && edits(*c);
  }
  if (a.contact) {
    auto it = r_.contacts.find(a.contact->value);
    return it != r_.contacts.end() && edits(it->record);
  }
  return false;
}

bool Access::sees_history_of(RecordRef record) const {
  switch (record.kind) {
    case RecordKind::customer: {
      auto it = r_.customers.find(record.id);
      if (it != r_.customers.end()) return sees(it->record);
      return has(Right::customers_view);  // a deleted customer
    }
    case RecordKind::contact: {
      auto it = r_.contacts.find(record.id);
      if (it != r_.contacts.end()) return sees(it->record);
      return has(Right::contacts_view);
    }
    case RecordKind::facility: {
      auto it = r_.facilities.find(record.id);
      if (it != r_.facilities.end()) return sees(it->record);
      return has(Right::customers_view) && has(Right::facilities_view);
    }
    case RecordKind::service_object: {
      auto it = r_.service_objects.find(record.id);
      if (it != r_.service_objects.end()) return sees(it->record);
      return has(Right::customers_view) && has(Right::facilities_view) && has(Right::service_objects_view);
    }
    case RecordKind::user: return administrator() || record.id == user_.id.value;
    case RecordKind::order: {
      auto it = r_.orders.find(record.id);
      if (it != r_.orders.end()) return sees(it->record);
      return has(Right::orders_view) && has(Right::contact_orders_view);  // a deleted order, of either module
    }
    case RecordKind::article: return !customer_user();
    case RecordKind::activity: {
      auto it = r_.activities.find(record.id);
      if (it != r_.activities.end()) return sees(it->record);
      return administrator();  // a deleted activity may have been a private note or a restricted e-mail
    }
    case RecordKind::settings:
    case RecordKind::user_group: return administrator();
  }
  return false;
}

bool Access::edits(const Customer& c) const {
  return (has(Right::customers_edit) && sees(c)) || (has(Right::customers_edit_assigned) && assigned(c));
}

bool Access::edits(const Contact& c) const {
  return (has(Right::contacts_edit) && sees(c)) || (has(Right::contacts_edit_assigned) && assigned_contact(c));
}

bool Access::edits(const Facility& f) const {
  if (!sees(f)) return false;
  const Customer* c = customer_of(f.customer);
  return has(Right::facilities_edit) || (has(Right::facilities_edit_assigned) && c && assigned(*c));
}

bool Access::edits(const ServiceObject& s) const {
  if (!sees(s)) return false;
  auto f = r_.facilities.find(s.facility.value);
  const Customer* c = f == r_.facilities.end() ? nullptr : customer_of(f->record.customer);
  return has(Right::service_objects_edit) || (has(Right::service_objects_edit_assigned) && c && assigned(*c));
}

}  // namespace kartotek
