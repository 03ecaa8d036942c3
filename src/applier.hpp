// src/applier.hpp: the handlers of every command (Applier) and the checks
// they share. Customer, contact, facility, user and settings commands are
// defined here and in src/register.cpp; orders in src/orders.cpp. Private to
// the library.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "register_impl.hpp"

namespace kartotek::detail {

using namespace internal;


constexpr std::size_t kMaxLine = 200;      // names, numbers, addresses, e-mails …
constexpr std::size_t kMaxText = 20000;    // comments
constexpr std::uint64_t kSettingsId = 1;   // the one settings record

inline std::string trimmed(const std::string& s) { return std::string(trim(s)); }

inline std::string describe_customer(const Customer& c) {
  return "customer " + c.number + " (" + c.name + ")";
}

// A deliberately plain e-mail check: one '@', something on both sides, a dot
// in the domain, no white space. Deliverability is the mail system's business.
inline bool plausible_email(std::string_view e) {
  auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos)
    return false;
  auto domain = e.substr(at + 1);
  auto dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return false;
  return std::none_of(e.begin(), e.end(), [](char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
  });
}

inline void check_email(const std::string& field, const std::string& value) {
  check_text(field, value, kMaxLine);
  if (!value.empty() && !plausible_email(value))
    throw ValidationError(field, "'" + value + "' is not an e-mail address");
}

inline void check_phone(const std::string& field, const std::string& value) {
  check_text(field, value, 40);
  for (char ch : value)
    if (!(std::isdigit(static_cast<unsigned char>(ch)) || ch == '+' || ch == ' ' || ch == '-' ||
          ch == '(' || ch == ')' || ch == '/' || ch == '.'))
      throw ValidationError(field, "'" + value + "' is not a phone number");
}

// ISO 639 language code, optionally with a region: "sv", "nb", "en-GB".
inline void check_language(const std::string& field, const std::string& value) {
  if (value.empty()) return;
  std::size_t i = 0;
  while (i < value.size() && value[i] >= 'a' && value[i] <= 'z') ++i;
  bool ok = i >= 2 && i <= 3;
  if (ok && i < value.size()) {
    ok = value[i] == '-' && value.size() - i - 1 >= 2 && value.size() - i - 1 <= 8 &&
         std::all_of(value.begin() + static_cast<std::ptrdiff_t>(i) + 1, value.end(),
                     [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)); });
  }
  if (!ok) throw ValidationError(field, "'" + value + "' is not a language code such as sv, da or en");
}

inline void check_address(const std::string& field, const Address& a) {
  check_text(field + ".care_of", a.care_of, kMaxLine);
  check_text(field + ".street", a.street, kMaxLine, true);
  check_text(field + ".postal_code", a.postal_code, 20);
  check_text(field + ".city", a.city, kMaxLine);
  check_text(field + ".country", a.country, kMaxLine);
}

inline void check_articles(const std::string& field, const std::vector<ArticleLine>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    std::string f = field + "[" + std::to_string(i) + "]";
    check_text(f + ".article_number", l.article_number, kMaxLine);
    if (trim(l.article_number).empty()) throw ValidationError(f + ".article_number", "required");
    check_text(f + ".description", l.description, kMaxLine);
    check_text(f + ".unit", l.unit, 20);
    if (!std::isfinite(l.quantity)) throw ValidationError(f + ".quantity", "must be a number");
    if (!std::isfinite(l.hours) || l.hours < 0)
      throw ValidationError(f + ".hours", "must be zero or more");
    if (!l.time_article && l.hours != 0)
      throw ValidationError(f + ".hours", "only a time article carries hours");
  }
}

// The language of a user's notifications: his own where the register has
// texts in it, else the register's, else English.
inline std::string notification_language(const std::string& user_language, const std::string& locale) {
  auto primary = [](std::string_view tag) {
    std::string p(tag.substr(0, tag.find_first_of("-_")));
    return p == "no" || p == "nn" ? std::string("nb") : p;
  };
  for (const std::string& candidate : {primary(user_language), primary(locale)})
    for (const char* offered : {"sv", "da", "nb", "fi", "en"})
      if (candidate == offered) return candidate;
  return "en";
}

inline std::string notification_text(NotificationKind kind, const std::string& language, const std::string& customer) {
  struct Texts {
    const char* language;
    const char* assigned;
    const char* unassigned;
  };
  static constexpr Texts texts[] = {
      {"sv", "Du har tilldelats kunden ", "Du är inte längre tilldelad kunden "},
      {"da", "Du er blevet tildelt kunden ", "Du er ikke længere tildelt kunden "},
      {"nb", "Du har fått tildelt kunden ", "Du er ikke lenger tildelt kunden "},
      {"fi", "Sinulle on osoitettu asiakas ", "Sinulle ei ole enää osoitettu asiakasta "},
      {"en", "You have been assigned customer ", "You are no longer assigned customer "},
  };
  for (const auto& t : texts)
    if (language == t.language)
      return std::string(kind == NotificationKind::assigned ? t.assigned : t.unassigned) + customer;
  return std::string(kind == NotificationKind::assigned ? texts[4].assigned : texts[4].unassigned) + customer;
}

// Throws when a field the register keeps differs in a command's record.
template <class T>
inline void require_same(const std::string& field, const T& given, const T& kept, const char* how) {
  if (!(given == kept))
    throw ValidationError(field, std::string("is kept by the register; ") + how);
}


struct ImportPlan;  // src/transfer.cpp

// Shared with src/crm.cpp (defined in src/orders.cpp).
std::string order_notification_text(NotificationKind kind, const std::string& language, const std::string& order,
                                    const std::string& when);
std::string booking_time(Timestamp t);  // "2026-03-02 14:30 UTC"
bool assigned_to(const Order& o, UserId user);
bool is_hex_digest(std::string_view s);
bool is_media_type(std::string_view s);

class Applier {
 public:
  Applier(Register::Impl& impl, Transaction& tx) : r_(impl), tx_(tx) {}

  RecordRef operator()(const CreateFirstAdministrator& cmd) {
    if (!r_.users.empty()) throw Conflict("the register already has users");
    User u;
    u.login = cmd.login;
    u.name = cmd.name;
    u.administrator = true;
    check_user(u, UserId{});
    u.id = UserId{++r_.counters.user};
    u.created_at = tx_.now();
    u.revision = 1;
    tx_.insert(r_.users, r_.user_row(u));
    // He is his own actor: the first entry of history is his creation.
    tx_.set_actor(&r_.users.find(u.id.value)->record);
    tx_.record(ref(u.id), Action::created, "", nullptr, to_value(u));
    return ref(u.id);
  }

  RecordRef operator()(const CreateCustomer& cmd) {
    access().require(Right::customers_create, "create customers");
    Customer c = cmd.customer;
    require_same("id", c.id, CustomerId{}, "a new customer gets its id from the register");
    require_same("active", c.active, true, "a new customer is active");
    require_same("assigned_technician", c.assigned_technician, std::optional<UserId>{},
                 "assign a technician with AssignTechnician");
    require_same("employees", c.employees, std::vector<UserId>{}, "link employees with LinkEmployee");
    c.number = trimmed(c.number);
    if (c.number.empty()) {
      if (!r_.settings.auto_number)
        throw ValidationError("number", "required (automatic customer numbers are off)");
      c.number = next_number();
    } else {
      check_number(c.number, CustomerId{});
    }
    check_customer(c);
    check_custom(RecordKind::customer, c.custom, nullptr);
    c.id = CustomerId{++r_.counters.customer};
    c.created_at = tx_.now();
    c.revision = 1;
    tx_.insert(r_.customers, r_.customer_row(c));
    tx_.record(ref(c.id), Action::created, "", nullptr, to_value(c));
    return ref(c.id);
  }

  RecordRef operator()(const UpdateCustomer& cmd) {
    const Customer& cur = customer(cmd.customer.id);
    require_edit(cur);
    Customer c = cmd.customer;
    check_revision(describe_customer(cur), c.revision, cur.revision);
    require_same("active", c.active, cur.active, "use DeactivateCustomer or ReactivateCustomer");
    require_same("assigned_technician", c.assigned_technician, cur.assigned_technician,
                 "use AssignTechnician");
    require_same("employees", c.employees, cur.employees, "use LinkEmployee and UnlinkEmployee");
    require_same("created_at", c.created_at, cur.created_at, "it never changes");
    c.number = trimmed(c.number);
    if (c.number != cur.number) {
      access().require_administrator("change a customer number");
      check_number(c.number, cur.id);
    }
    check_customer(c);
    check_custom(RecordKind::customer, c.custom, &cur.custom);
    replace_customer(cur, std::move(c));
    return {};
  }

  RecordRef operator()(const DeactivateCustomer& cmd) { return set_active(cmd.customer, false); }
  RecordRef operator()(const ReactivateCustomer& cmd) { return set_active(cmd.customer, true); }

  RecordRef operator()(const DeleteCustomer& cmd) {
    const Customer& cur = customer(cmd.customer);
    access().require(Right::customers_delete, "delete customers");
    auto [lb, ub] = r_.links.get<by_customer>().equal_range(std::make_tuple(cur.id.value));
    auto contacts = static_cast<std::size_t>(std::distance(lb, ub));
    auto [flb, fub] = r_.facilities.get<by_customer>().equal_range(std::make_tuple(cur.id.value));
    auto facilities = static_cast<std::size_t>(std::distance(flb, fub));
    auto [olb, oub] = r_.orders.get<by_customer>().equal_range(std::make_tuple(cur.id.value));
    if (auto n = std::distance(olb, oub))
      throw Conflict(describe_customer(cur) + " cannot be deleted: it has " + std::to_string(n) +
                     (n == 1 ? " order" : " orders") + "; deactivate it instead");
    for (const auto& row : r_.users)
      if (row.record.customer == cur.id)
        throw Conflict(describe_customer(cur) + " cannot be deleted: customer user '" + row.record.login +
                       "' belongs to it; remove the customer user first, or deactivate the customer instead");
    if (contacts || facilities) {
      std::string what;
      if (contacts) what = std::to_string(contacts) + (contacts == 1 ? " contact person" : " contact persons");
      if (facilities) {
        if (!what.empty()) what += " and ";
        what += std::to_string(facilities) + (facilities == 1 ? " facility" : " facilities");
      }
      throw Conflict(describe_customer(cur) + " cannot be deleted: " + what +
                     (contacts + facilities == 1 ? " is" : " are") +
                     " linked to it; remove them first, or deactivate the customer instead");
    }
    Customer old = cur;
    retire_number(old.number, old.id);
    forget_merged_numbers(old.id);
    remove_activities_of(ref(old.id));
    tx_.erase(r_.customers, *r_.customers.find(old.id.value));
    tx_.record(ref(old.id), Action::deleted, "", to_value(old), nullptr);
    return {};
  }

  RecordRef operator()(const AssignTechnician& cmd) {
    const Customer& cur = customer(cmd.customer);
    access().require(Right::customers_assign, "assign technicians");
    if (cmd.technician) {
      auto it = r_.users.find(cmd.technician->value);
      if (it == r_.users.end())
        throw NotFound("user " + std::to_string(cmd.technician->value) + " does not exist");
      if (!it->record.active)
        throw ValidationError("technician", "user '" + it->record.login + "' is deactivated");
      if (it->record.kind != UserKind::staff)
        throw ValidationError("technician", "user '" + it->record.login + "' is a customer user");
    }
    if (cur.assigned_technician == cmd.technician) return {};
    const std::optional<UserId> before = cur.assigned_technician;
    const CustomerId id = cur.id;
    Customer c = cur;
    c.assigned_technician = cmd.technician;
    replace_customer(cur, std::move(c));
    // The users concerned hear of it; the customer never does.
    if (before) notify(*before, NotificationKind::unassigned, id);
    if (cmd.technician) notify(*cmd.technician, NotificationKind::assigned, id);
    return {};
  }

  RecordRef operator()(const CreateCustomerUser& cmd) {
    const Customer& c = customer(cmd.customer);
    access().require(Right::customers_create_customer_users, "create customer users");
    const Contact& p = contact_of_customer(cmd.contact, c);
    User u;
    u.login = cmd.login;
    u.name = trimmed(p.first_name + " " + p.last_name);
    if (u.name.empty()) u.name = c.name;
    u.email = p.email;
    u.language = c.language;
    u.kind = UserKind::customer;
    u.customer = c.id;
    u.contact = p.id;
    return add_user(std::move(u));
  }

  RecordRef operator()(const SetCustomerUserLocked& cmd) {
    const User& cur = customer_user(cmd.user);
    access().require(Right::customers_change_customer_user_rights, "lock or unlock customer users");
    if (cur.locked == cmd.locked) return {};
    User u = cur;
    u.locked = cmd.locked;
    replace_record(r_.users, cur, std::move(u), [&](User x) { return r_.user_row(std::move(x)); });
    return {};
  }

  RecordRef operator()(const DeleteCustomerUser& cmd) {
    User old = customer_user(cmd.user);
    access().require(Right::customers_delete_customer_users, "delete customer users");
    tx_.erase(r_.users, *r_.users.find(old.id.value));
    tx_.record(ref(old.id), Action::deleted, "", to_value(old), nullptr);
    return {};
  }

  RecordRef operator()(const AcknowledgeNotifications& cmd) {
    const User& actor = tx_.actor();
    for (NotificationId n : cmd.notifications) {
      auto it = r_.notifications.find(n.value);
      if (it == r_.notifications.end()) continue;  // acknowledged before
      if (it->record.recipient != actor.id && !access().administrator())
        throw NotFound("notification " + std::to_string(n.value) + " does not exist");
      tx_.erase(r_.notifications, *it);
    }
    return {};
  }

  RecordRef operator()(const CreateContact& cmd) {
    access().require(Right::contacts_create, "create contacts");
    Contact c = cmd.contact;
    require_same("id", c.id, ContactId{}, "a new contact gets its id from the register");
    require_same("emails_restricted", c.emails_restricted, false, "use RestrictEmails");
    check_contact(c);
    check_custom(RecordKind::contact, c.custom, nullptr);
    c.id = ContactId{++r_.counters.contact};
    c.created_at = tx_.now();
    c.revision = 1;
    tx_.insert(r_.contacts, r_.contact_row(c));
    tx_.record(ref(c.id), Action::created, "", nullptr, to_value(c));
    return ref(c.id);
  }

  RecordRef operator()(const UpdateContact& cmd) {
    const Contact& cur = contact(cmd.contact.id);
    if (!access().edits(cur))
      throw PermissionDenied("user '" + tx_.actor().login + "' may not change contact " +
                             std::to_string(cur.id.value) + ": that needs the right contacts.edit");
    Contact c = cmd.contact;
    check_revision("contact " + std::to_string(cur.id.value), c.revision, cur.revision);
    require_same("created_at", c.created_at, cur.created_at, "it never changes");
    require_same("emails_restricted", c.emails_restricted, cur.emails_restricted, "use RestrictEmails");
    check_contact(c);
    check_custom(RecordKind::contact, c.custom, &cur.custom);
    replace_record(r_.contacts, cur, std::move(c), [&](Contact x) { return r_.contact_row(std::move(x)); });
    return {};
  }

  RecordRef operator()(const DeleteContact& cmd) {
    const Contact& cur = contact(cmd.contact);
    access().require(Right::contacts_delete, "delete contacts");
    refuse_if_ordered("contact", "contact " + std::to_string(cur.id.value), 0,
                      [id = cur.id](const Order& o) { return o.contact == id; });
    for (const auto& row : r_.users)
      if (row.record.contact == cur.id)
        throw Conflict("contact " + std::to_string(cur.id.value) + " cannot be deleted: customer user '" +
                       row.record.login + "' was made from it");
    Contact old = cur;
    auto& by_c = r_.links.get<by_contact>();
    std::vector<LinkRow> links(by_c.lower_bound(std::make_tuple(old.id.value)),
                               by_c.upper_bound(std::make_tuple(old.id.value)));
    for (const auto& l : links) unlink(l);
    remove_activities_of(ref(old.id));
    tx_.erase(r_.contacts, *r_.contacts.find(old.id.value));
    tx_.record(ref(old.id), Action::deleted, "", to_value(old), nullptr);
    return {};
  }

  RecordRef operator()(const LinkContact& cmd) {
    ContactLink l = cmd.link;
    contact(l.contact);
    require_edit(customer(l.customer));
    check_text("role", l.role, kMaxLine);
    if (r_.links.find(std::make_tuple(l.customer.value, l.contact.value)) != r_.links.end())
      throw Conflict("contact " + std::to_string(l.contact.value) + " is already a contact person of " +
                     describe_customer(customer(l.customer)));
    tx_.insert(r_.links, LinkRow{l});
    tx_.record(ref(l.customer), Action::linked, "contacts", nullptr, to_value(l));
    tx_.record(ref(l.contact), Action::linked, "customers", nullptr, to_value(l));
    return {};
  }

  RecordRef operator()(const UpdateContactLink& cmd) {
    const ContactLink& l = cmd.link;
    contact(l.contact);
    require_edit(customer(l.customer));
    auto it = r_.links.find(std::make_tuple(l.customer.value, l.contact.value));
    if (it == r_.links.end())
      throw NotFound("contact " + std::to_string(l.contact.value) + " is not linked to customer " +
                     std::to_string(l.customer.value));
    check_text("role", l.role, kMaxLine);
    if (it->link == l) return {};
    ContactLink old = it->link;
    tx_.replace(r_.links, LinkRow{l});
    tx_.record(ref(l.customer), Action::changed, "contacts", to_value(old), to_value(l));
    tx_.record(ref(l.contact), Action::changed, "customers", to_value(old), to_value(l));
    return {};
  }

  RecordRef operator()(const UnlinkContact& cmd) {
    contact(cmd.contact);
    require_edit(customer(cmd.customer));
    auto it = r_.links.find(std::make_tuple(cmd.customer.value, cmd.contact.value));
    if (it == r_.links.end())
      throw NotFound("contact " + std::to_string(cmd.contact.value) + " is not linked to customer " +
                     std::to_string(cmd.customer.value));
    unlink(*it);
    return {};
  }

  RecordRef operator()(const CreateFacility& cmd) {
    Facility f = cmd.facility;
    require_same("id", f.id, FacilityId{}, "a new facility gets its id from the register");
    customer(f.customer);
    access().require(Right::facilities_create, "create facilities");
    check_facility(f);
    check_custom(RecordKind::facility, f.custom, nullptr);
    f.id = FacilityId{++r_.counters.facility};
    f.created_at = tx_.now();
    f.revision = 1;
    tx_.insert(r_.facilities, FacilityRow{f});
    tx_.record(ref(f.id), Action::created, "", nullptr, to_value(f));
    tx_.record(ref(f.customer), Action::linked, "facilities", nullptr, facility_summary(f));
    return ref(f.id);
  }

  RecordRef operator()(const UpdateFacility& cmd) {
    const Facility& cur = facility(cmd.facility.id);
    if (!access().edits(cur))
      throw PermissionDenied("user '" + tx_.actor().login + "' may not change facility " +
                             std::to_string(cur.id.value) + ": that needs the right facilities.edit");
    Facility f = cmd.facility;
    check_revision("facility " + std::to_string(cur.id.value), f.revision, cur.revision);
    require_same("created_at", f.created_at, cur.created_at, "it never changes");
    customer(f.customer);
    check_facility(f);
    check_custom(RecordKind::facility, f.custom, &cur.custom);
    Facility old = cur;
    if (replace_record(r_.facilities, cur, f, [](Facility x) { return FacilityRow{std::move(x)}; }) &&
        old.customer != f.customer) {
      tx_.record(ref(old.customer), Action::unlinked, "facilities", facility_summary(old), nullptr);
      tx_.record(ref(f.customer), Action::linked, "facilities", nullptr, facility_summary(f));
    }
    return {};
  }

  RecordRef operator()(const DeleteFacility& cmd) {
    const Facility& cur = facility(cmd.facility);
    access().require(Right::facilities_delete, "delete facilities");
    refuse_if_ordered("facility", "facility " + std::to_string(cur.id.value) + " (" + cur.name + ")",
                      cur.customer.value, [id = cur.id](const Order& o) { return o.facility == id; });
    auto [lb, ub] = r_.service_objects.get<by_facility>().equal_range(std::make_tuple(cur.id.value));
    if (auto n = std::distance(lb, ub))
      throw Conflict("facility " + std::to_string(cur.id.value) + " (" + cur.name +
                     ") cannot be deleted: " + std::to_string(n) +
                     (n == 1 ? " service object is" : " service objects are") + " at it");
    Facility old = cur;
    tx_.erase(r_.facilities, *r_.facilities.find(old.id.value));
    tx_.record(ref(old.id), Action::deleted, "", to_value(old), nullptr);
    tx_.record(ref(old.customer), Action::unlinked, "facilities", facility_summary(old), nullptr);
    return {};
  }

  RecordRef operator()(const CreateServiceObject& cmd) {
    ServiceObject s = cmd.service_object;
    require_same("id", s.id, ServiceObjectId{}, "a new service object gets its id from the register");
    facility(s.facility);
    access().require(Right::service_objects_create, "create service objects");
    check_service_object(s);
    check_custom(RecordKind::service_object, s.custom, nullptr);
    s.id = ServiceObjectId{++r_.counters.service_object};
    s.created_at = tx_.now();
    s.revision = 1;
    tx_.insert(r_.service_objects, ServiceObjectRow{s});
    tx_.record(ref(s.id), Action::created, "", nullptr, to_value(s));
    tx_.record(ref(s.facility), Action::linked, "service_objects", nullptr, service_object_summary(s));
    return ref(s.id);
  }

  RecordRef operator()(const UpdateServiceObject& cmd) {
    const ServiceObject& cur = service_object(cmd.service_object.id);
    if (!access().edits(cur))
      throw PermissionDenied("user '" + tx_.actor().login + "' may not change service object " +
                             std::to_string(cur.id.value) + ": that needs the right service_objects.edit");
    ServiceObject s = cmd.service_object;
    check_revision("service object " + std::to_string(cur.id.value), s.revision, cur.revision);
    require_same("created_at", s.created_at, cur.created_at, "it never changes");
    facility(s.facility);
    check_service_object(s);
    check_custom(RecordKind::service_object, s.custom, &cur.custom);
    ServiceObject old = cur;
    if (replace_record(r_.service_objects, cur, s, [](ServiceObject x) { return ServiceObjectRow{std::move(x)}; }) &&
        old.facility != s.facility) {
      tx_.record(ref(old.facility), Action::unlinked, "service_objects", service_object_summary(old), nullptr);
      tx_.record(ref(s.facility), Action::linked, "service_objects", nullptr, service_object_summary(s));
    }
    return {};
  }

  RecordRef operator()(const DeleteServiceObject& cmd) {
    ServiceObject old = service_object(cmd.service_object);
    access().require(Right::service_objects_delete, "delete service objects");
    refuse_if_ordered("service object", "service object " + std::to_string(old.id.value),
                      r_.facilities.find(old.facility.value)->record.customer.value,
                      [id = old.id](const Order& o) { return o.service_object == id; });
    tx_.erase(r_.service_objects, *r_.service_objects.find(old.id.value));
    tx_.record(ref(old.id), Action::deleted, "", to_value(old), nullptr);
    tx_.record(ref(old.facility), Action::unlinked, "service_objects", service_object_summary(old), nullptr);
    return {};
  }

  RecordRef operator()(const CreateUser& cmd) {
    require_administrator("create users");
    User u = cmd.user;
    require_same("id", u.id, UserId{}, "a new user gets its id from the register");
    return add_user(std::move(u));
  }

  RecordRef operator()(const UpdateUser& cmd) {
    require_administrator("change users");
    auto it = r_.users.find(cmd.user.id.value);
    if (it == r_.users.end()) throw NotFound("user " + std::to_string(cmd.user.id.value) + " does not exist");
    const User& cur = it->record;
    User u = cmd.user;
    check_revision("user '" + cur.login + "'", u.revision, cur.revision);
    require_same("created_at", u.created_at, cur.created_at, "it never changes");
    check_user(u, cur.id);
    bool was_admin = cur.administrator && cur.active;
    bool is_admin = u.administrator && u.active;
    if (was_admin && !is_admin && active_administrators() == 1)
      throw Conflict("user '" + cur.login +
                     "' is the last active administrator; make another user administrator first");
    replace_record(r_.users, cur, std::move(u), [&](User x) { return r_.user_row(std::move(x)); });
    return {};
  }

  RecordRef operator()(const CreateUserGroup& cmd) {
    require_administrator("create user groups");
    UserGroup g = cmd.group;
    require_same("id", g.id, UserGroupId{}, "a new user group gets its id from the register");
    check_group(g, UserGroupId{});
    g.id = UserGroupId{++r_.counters.user_group};
    g.created_at = tx_.now();
    g.revision = 1;
    tx_.insert(r_.user_groups, UserGroupRow{g});
    tx_.record(ref(g.id), Action::created, "", nullptr, to_value(g));
    return ref(g.id);
  }

  RecordRef operator()(const UpdateUserGroup& cmd) {
    require_administrator("change user groups");
    const UserGroup& cur = group(cmd.group.id);
    UserGroup g = cmd.group;
    check_revision("user group '" + cur.name + "'", g.revision, cur.revision);
    require_same("created_at", g.created_at, cur.created_at, "it never changes");
    check_group(g, cur.id);
    replace_record(r_.user_groups, cur, std::move(g), [](UserGroup x) { return UserGroupRow{std::move(x)}; });
    return {};
  }

  RecordRef operator()(const DeleteUserGroup& cmd) {
    require_administrator("delete user groups");
    UserGroup old = group(cmd.group);
    std::vector<std::string> members;
    for (const auto& row : r_.users)
      if (std::find(row.record.groups.begin(), row.record.groups.end(), old.id) != row.record.groups.end())
        members.push_back(row.record.login);
    if (!members.empty()) {
      std::string list;
      for (const auto& m : members) list += (list.empty() ? "" : ", ") + m;
      throw Conflict("user group '" + old.name + "' cannot be deleted: it still holds " + list);
    }
    tx_.erase(r_.user_groups, *r_.user_groups.find(old.id.value));
    tx_.record(ref(old.id), Action::deleted, "", to_value(old), nullptr);
    return {};
  }

  // Orders and the article catalogue: src/orders.cpp.
  RecordRef operator()(const CreateOrder& cmd);
  RecordRef operator()(const UpdateOrder& cmd);
  RecordRef operator()(const AssignOrder& cmd);
  RecordRef operator()(const AddOrderNote& cmd);
  RecordRef operator()(const AddTimeEntry& cmd);
  RecordRef operator()(const AddOrderFile& cmd);
  RecordRef operator()(const RemoveOrderFile& cmd);
  RecordRef operator()(const CloseOrder& cmd);
  RecordRef operator()(const ReopenOrder& cmd);
  RecordRef operator()(const DeleteOrder& cmd);
  RecordRef operator()(const ConvertToSalesOrder& cmd);
  RecordRef operator()(const RaiseReminders& cmd);
  RecordRef operator()(const CreateArticle& cmd);
  RecordRef operator()(const UpdateArticle& cmd);
  RecordRef operator()(const DeleteArticle& cmd);
  RecordRef operator()(const SaveOrderFilter& cmd);
  RecordRef operator()(const DeleteOrderFilter& cmd);

  // Imports (src/transfer.cpp). import_plan checks the command's kind,
  // columns and shape and the actor's upload right; import_row applies one
  // row of it, as the commands it stands for would be applied.
  RecordRef operator()(const ImportRecords& cmd);

  // The CRM: src/crm.cpp.
  RecordRef operator()(const CreateActivity& cmd);
  RecordRef operator()(const UpdateActivity& cmd);
  RecordRef operator()(const DeleteActivity& cmd);
  RecordRef operator()(const ReassignActivities& cmd);
  RecordRef operator()(const RestrictEmails& cmd);
  RecordRef operator()(const LinkEmployee& cmd);
  RecordRef operator()(const UnlinkEmployee& cmd);

  // Custom fields: src/custom_fields.cpp.
  RecordRef operator()(const DefineField& cmd);
  RecordRef operator()(const UpdateFieldDefinition& cmd);
  RecordRef operator()(const RetireField& cmd);
  RecordRef operator()(const RestoreField& cmd);
  RecordRef operator()(const ChangeFieldType& cmd);

  // Merging duplicates: src/merge.cpp.
  RecordRef operator()(const MergeCustomers& cmd);
  RecordRef operator()(const MergeContacts& cmd);
  enum class RowOutcome { created, updated, unchanged };
  std::shared_ptr<const ImportPlan> import_plan(const ImportRecords& cmd);
  RowOutcome import_row(const ImportPlan& plan, const std::string* cells);

  RecordRef operator()(const UpdateSettings& cmd) {
    require_administrator("change settings");
    Settings s = cmd.settings;
    check_settings(s);
    if (s == r_.settings) return {};
    Settings old = r_.settings;
    if (s.locale != old.locale) change_locale(s.locale);
    r_.settings = s;  // the transaction restores the old settings if anything fails later
    for (auto& c : diff(old, s))
      tx_.record({RecordKind::settings, kSettingsId}, Action::changed, c.field, c.old_value, c.new_value);
    return {};
  }

 private:
  // The actor's rights, as they are at this point of the command.
  Access access() const { return Access(r_, tx_.actor(), tx_.replaying); }

  // Records the actor names: a record he may not see is, to him, one that
  // does not exist (NotFound), so that refusals never reveal it.
  const Customer& customer(CustomerId id) {
    auto it = r_.customers.find(id.value);
    if (it == r_.customers.end() || !access().sees(it->record))
      throw NotFound("customer " + std::to_string(id.value) + " does not exist");
    return it->record;
  }
  const Contact& contact(ContactId id) {
    auto it = r_.contacts.find(id.value);
    if (it == r_.contacts.end() || !access().sees(it->record))
      throw NotFound("contact " + std::to_string(id.value) + " does not exist");
    return it->record;
  }
  const Facility& facility(FacilityId id) {
    auto it = r_.facilities.find(id.value);
    if (it == r_.facilities.end() || !access().sees(it->record))
      throw NotFound("facility " + std::to_string(id.value) + " does not exist");
    return it->record;
  }
  const ServiceObject& service_object(ServiceObjectId id) {
    auto it = r_.service_objects.find(id.value);
    if (it == r_.service_objects.end() || !access().sees(it->record))
      throw NotFound("service object " + std::to_string(id.value) + " does not exist");
    return it->record;
  }
  // Checks and inserts a new user, with his id, time and creation entry.
  RecordRef add_user(User u) {
    check_user(u, UserId{});
    u.id = UserId{++r_.counters.user};
    u.created_at = tx_.now();
    u.revision = 1;
    tx_.insert(r_.users, r_.user_row(u));
    tx_.record(ref(u.id), Action::created, "", nullptr, to_value(u));
    return ref(u.id);
  }

  // A customer user of a customer the actor sees (else NotFound).
  const User& customer_user(UserId id) {
    auto it = r_.users.find(id.value);
    if (it == r_.users.end() || it->record.kind != UserKind::customer)
      throw NotFound("customer user " + std::to_string(id.value) + " does not exist");
    auto c = r_.customers.find(it->record.customer->value);
    if (c == r_.customers.end() || !access().sees(c->record))
      throw NotFound("customer user " + std::to_string(id.value) + " does not exist");
    return it->record;
  }
  // Contact `id`, which must be a contact person of `c`.
  const Contact& contact_of_customer(ContactId id, const Customer& c) {
    auto it = r_.contacts.find(id.value);
    if (it == r_.contacts.end() || r_.links.find(std::make_tuple(c.id.value, id.value)) == r_.links.end())
      throw ValidationError("contact", "contact " + std::to_string(id.value) + " is not a contact person of " +
                                           describe_customer(c));
    return it->record;
  }
  const UserGroup& group(UserGroupId id) {
    auto it = r_.user_groups.find(id.value);
    if (it == r_.user_groups.end())
      throw NotFound("user group " + std::to_string(id.value) + " does not exist");
    return it->record;
  }

  void require_edit(const Customer& c) {
    if (!access().edits(c))
      throw PermissionDenied("user '" + tx_.actor().login + "' may not change " + describe_customer(c) +
                             ": that needs the right customers.edit (or customers.edit_assigned, for "
                             "customers assigned to him)");
  }

  void require_administrator(const char* what) { access().require_administrator(what); }

  // ---- the CRM (src/crm.cpp) ----
  const Activity& activity(ActivityId id);
  void check_activity(Activity& a, const Activity* before);
  void check_staff_user(const std::string& field, UserId user);
  void remove_activity(const Activity& a);
  void remove_activities_of(RecordRef parent);
  void raise_activity_reminders();
  void set_employees(const Customer& cur, std::vector<UserId> employees, Action action, UserId user);

  // ---- merging duplicates (src/merge.cpp) ----
  void merge_number(const Customer& removed, CustomerId keep);

  // ---- custom fields (src/custom_fields.cpp) ----
  // Checks a record's custom values against the definitions of `kind` and
  // normalizes them; `before` is the stored record's (null for a new one,
  // which also gets the defaults).
  void check_custom(RecordKind kind, CustomFields& values, const CustomFields* before);
  void check_definition(FieldDefinition& d);
  std::vector<FieldDefinition>::iterator definition(RecordKind kind, const std::string& key);
  void store_definitions(std::vector<FieldDefinition> next);

  // ---- orders (src/orders.cpp) ----
  void check_new_file(FileInfo& file);  // a file's metadata, but its id
  const Order& order(OrderId id);
  void require_order_edit(const Order& o);
  static void require_open(const Order& o, const char* what);
  void check_order(Order& o, const Customer& c);
  void settle_lines(const Order* before, Order& o);
  std::vector<std::uint32_t> settle_bookings(const Order* before, Order& o);
  void check_booked_user(const std::string& field, UserId user);
  std::uint64_t next_order_number(OrderKind kind);
  OrderId insert_order(Order o, const Customer& c);
  void store_order(const Order& cur, Order next);
  void notify_order(UserId recipient, NotificationKind kind, const Order& o, const Booking* booking = nullptr);
  void notify_bookings(const Order& o, const std::vector<std::uint32_t>& bookings);
  CustomerId customer_by_name(const Customer& given, bool& created);
  FacilityId facility_by_name(const Facility& given, const Customer& c, bool& created);
  void check_article(Article& a, ArticleId self);
  void check_order_statuses(const Settings& s);
  void check_task_statuses(const Settings& s);  // src/crm.cpp
  // Throws Conflict when an order names the record (so it is never deleted
  // from under the order).
  void refuse_if_ordered(const char* what, const std::string& label, std::uint64_t customer,
                         const std::function<bool(const Order&)>& names);

  // A notification for `user` of `kind` about `subject`, in his language and
  // channel, made now; post() gives it an id and puts it in the outbox.
  Notification notification_for(const User& user, NotificationKind kind, RecordRef subject) const {
    Notification n;
    n.recipient = user.id;
    n.kind = kind;
    n.subject = subject;
    n.language = notification_language(user.language, r_.settings.locale);
    const auto& allowed = r_.settings.notification_channels;
    bool email = std::find(allowed.begin(), allowed.end(), Channel::email) != allowed.end();
    n.channel = email && !user.email.empty() ? Channel::email : Channel::in_app;
    n.created_at = tx_.now();
    return n;
  }
  void post(Notification n) {
    n.id = NotificationId{++r_.counters.notification};
    tx_.insert(r_.notifications, NotificationRow{std::move(n)});
  }

  // Leaves a notification for `recipient` about customer `subject`, in his
  // language, naming the customer only if he may see it.
  void notify(UserId recipient, NotificationKind kind, CustomerId subject) {
    auto u = r_.users.find(recipient.value);
    if (u == r_.users.end()) return;
    const User& user = u->record;
    const Customer& c = r_.customers.find(subject.value)->record;
    Notification n = notification_for(user, kind, ref(subject));
    bool visible = Access(r_, user).sees(c);
    n.text = notification_text(kind, n.language, visible ? c.number + " " + c.name : "#" + std::to_string(c.id.value));
    post(std::move(n));
  }

  static void check_revision(const std::string& what, std::uint64_t given, std::uint64_t current) {
    if (given != current)
      throw Conflict(what + " has changed since it was read (revision " + std::to_string(given) +
                     ", now " + std::to_string(current) + "); read it again and repeat the change");
  }

  // Replaces a record, bumps its revision and records each changed field.
  // Returns false (and changes nothing) when no field changed.
  template <class Store, class Record, class MakeRow>
  bool replace_record(Store& store, const Record& cur, Record next, MakeRow make_row) {
    next.revision = cur.revision;
    auto changes = diff(cur, next);
    if (changes.empty()) return false;
    next.revision = cur.revision + 1;
    auto id = ref(cur.id);
    tx_.replace(store, make_row(std::move(next)));
    for (auto& c : changes) tx_.record(id, Action::changed, c.field, c.old_value, c.new_value);
    return true;
  }

  void replace_customer(const Customer& cur, Customer next) {
    Customer old = cur;
    replace_record(r_.customers, cur, std::move(next), [&](Customer x) { return r_.customer_row(std::move(x)); });
    auto now = r_.customers.find(old.id.value);
    if (case_fold(old.number) != case_fold(now->record.number)) retire_number(old.number, old.id);
  }

  RecordRef set_active(CustomerId id, bool active) {
    const Customer& cur = customer(id);
    require_edit(cur);
    if (cur.active == active) return {};
    Customer c = cur;
    c.active = active;
    replace_customer(cur, std::move(c));
    return {};
  }

  void unlink(const LinkRow& row) {
    ContactLink l = row.link;
    tx_.erase(r_.links, row);
    tx_.record(ref(l.customer), Action::unlinked, "contacts", to_value(l), nullptr);
    tx_.record(ref(l.contact), Action::unlinked, "customers", to_value(l), nullptr);
  }

  void retire_number(const std::string& number, CustomerId owner) {
    auto key = case_fold(trim(number));
    auto [it, inserted] = r_.retired_numbers.emplace(key, owner);
    if (inserted) tx_.on_undo([&r = r_, key] { r.retired_numbers.erase(key); });
  }

  // A number is free for `self` when no other customer has it and it did not
  // belong to another customer before.
  void check_number(const std::string& number, CustomerId self) {
    check_text("number", number, kMaxLine);
    auto n = code_point_count(number);
    if (number.empty()) throw ValidationError("number", "required");
    if (n < r_.settings.number_min_length || n > r_.settings.number_max_length)
      throw ValidationError("number", "'" + number + "' has " + std::to_string(n) +
                                          " characters; customer numbers have " +
                                          std::to_string(r_.settings.number_min_length) + " to " +
                                          std::to_string(r_.settings.number_max_length));
    auto key = case_fold(number);
    auto& by_num = r_.customers.get<by_number>();
    if (auto it = by_num.find(key); it != by_num.end() && it->record.id != self)
      // The number is taken either way; whose it is, only someone who may see it learns.
      throw Conflict("customer number '" + number + "' is already used by " +
                     (access().sees(it->record) ? describe_customer(it->record) : std::string("another customer")));
    // The number of a customer merged into `self` is its own to take.
    if (auto it = r_.retired_numbers.find(key); it != r_.retired_numbers.end() && it->second != self) {
      auto merged = r_.merged_numbers.find(key);
      if (merged == r_.merged_numbers.end() || merged->second != self)
        throw Conflict("customer number '" + number + "' belonged to another customer and is never used again");
    }
  }

  // The numbers merged into `customer` lead nowhere once it is deleted.
  void forget_merged_numbers(CustomerId customer) {
    for (auto it = r_.merged_numbers.begin(); it != r_.merged_numbers.end();) {
      if (it->second != customer) {
        ++it;
        continue;
      }
      std::string key = it->first;
      it = r_.merged_numbers.erase(it);
      tx_.on_undo([&r = r_, key, customer] { r.merged_numbers.emplace(key, customer); });
    }
  }

  // The next generated number: from the counter, skipping numbers that are
  // taken or retired. The counter is part of the settings and moves forward
  // only; the transaction puts it back if the command fails.
  std::string next_number() {
    auto& s = r_.settings;
    auto& by_num = r_.customers.get<by_number>();
    for (std::size_t tries = 0;; ++tries) {
      std::string digits = std::to_string(s.next_number);
      if (digits.size() < s.number_padding) digits.insert(0, s.number_padding - digits.size(), '0');
      std::string number = s.number_prefix + digits;
      ++s.next_number;
      auto key = case_fold(number);
      if (by_num.count(key) || r_.retired_numbers.count(key)) {
        if (tries > r_.customers.size() + r_.retired_numbers.size())
          throw Conflict("no free customer number found after '" + number + "'");
        continue;
      }
      auto n = code_point_count(number);
      if (n < s.number_min_length || n > s.number_max_length)
        throw ValidationError("number", "the next generated number '" + number +
                                            "' does not fit the length settings (" +
                                            std::to_string(s.number_min_length) + " to " +
                                            std::to_string(s.number_max_length) + ")");
      tx_.record({RecordKind::settings, kSettingsId}, Action::changed, "next_number",
                 to_value(s.next_number - 1), to_value(s.next_number));
      return number;
    }
  }

  void check_customer(Customer& c) {
    c.name = trimmed(c.name);
    check_text("name", c.name, kMaxLine);
    if (c.name.empty()) throw ValidationError("name", "required");
    check_text("organisation_number", c.organisation_number, 40);
    check_address("invoice_address", c.invoice_address);
    if (c.visiting_address) check_address("visiting_address", *c.visiting_address);
    if (c.postal_address) check_address("postal_address", *c.postal_address);
    check_email("email", c.email);
    check_phone("phone", c.phone);
    check_text("website", c.website, kMaxLine);
    if (c.website.find_first_of(" \t") != std::string::npos)
      throw ValidationError("website", "must not contain spaces");
    if (c.position) {
      const auto& p = *c.position;
      if (!std::isfinite(p.latitude) || p.latitude < -90 || p.latitude > 90)
        throw ValidationError("position.latitude", "must lie between -90 and 90");
      if (!std::isfinite(p.longitude) || p.longitude < -180 || p.longitude > 180)
        throw ValidationError("position.longitude", "must lie between -180 and 180");
    }
    check_language("language", c.language);
    check_text("category", c.category, kMaxLine);
    for (std::size_t i = 0; i < c.discount_letters.size(); ++i) {
      const auto& letter = c.discount_letters[i];
      auto& known = r_.settings.discount_letters;
      if (std::none_of(known.begin(), known.end(), [&](const DiscountLetter& d) { return d.letter == letter; }))
        throw ValidationError("discount_letters[" + std::to_string(i) + "]",
                              "'" + letter + "' is not one of the group's discount letters");
      if (std::find(c.discount_letters.begin(), c.discount_letters.begin() + static_cast<std::ptrdiff_t>(i),
                    letter) != c.discount_letters.begin() + static_cast<std::ptrdiff_t>(i))
        throw ValidationError("discount_letters[" + std::to_string(i) + "]", "'" + letter + "' is given twice");
    }
    check_text("cost_center", c.cost_center, kMaxLine);
    check_text("customer_order_number", c.customer_order_number, kMaxLine);
    check_text("comments", c.comments, kMaxText, true);
    check_articles("service_articles", c.service_articles);
    check_articles("work_order_articles", c.work_order_articles);
  }

  void check_contact(Contact& c) {
    c.first_name = trimmed(c.first_name);
    c.last_name = trimmed(c.last_name);
    check_text("first_name", c.first_name, kMaxLine);
    check_text("last_name", c.last_name, kMaxLine);
    if (c.first_name.empty() && c.last_name.empty())
      throw ValidationError("last_name", "a contact needs a first or a last name");
    check_text("title", c.title, kMaxLine);
    check_email("email", c.email);
    check_phone("phone", c.phone);
    check_phone("mobile", c.mobile);
    check_text("category", c.category, kMaxLine);
    check_text("comments", c.comments, kMaxText, true);
  }

  void check_facility(Facility& f) {
    f.name = trimmed(f.name);
    check_text("name", f.name, kMaxLine);
    if (f.name.empty()) throw ValidationError("name", "required");
    check_text("number", f.number, kMaxLine);
    check_address("address", f.address);
    check_text("comments", f.comments, kMaxText, true);
  }

  void check_service_object(ServiceObject& s) {
    s.identifier = trimmed(s.identifier);
    check_text("identifier", s.identifier, kMaxLine);
    if (s.identifier.empty()) throw ValidationError("identifier", "required");
    check_text("type", s.type, kMaxLine);
    check_text("name", s.name, kMaxLine);
    check_text("comments", s.comments, kMaxText, true);
  }

  void check_user(User& u, UserId self) {
    u.login = trimmed(u.login);
    check_text("login", u.login, 100);
    if (u.login.empty()) throw ValidationError("login", "required");
    if (u.login.find_first_of(" \t") != std::string::npos)
      throw ValidationError("login", "must not contain spaces");
    auto& by_l = r_.users.get<by_login>();
    if (auto it = by_l.find(case_fold(u.login)); it != by_l.end() && it->record.id != self)
      throw Conflict("login '" + u.login + "' is already taken");
    u.name = trimmed(u.name);
    check_text("name", u.name, kMaxLine);
    if (u.name.empty()) throw ValidationError("name", "required");
    check_email("email", u.email);
    check_language("language", u.language);
    sort_unique(u.rights);
    sort_unique(u.groups);
    for (std::size_t i = 0; i < u.groups.size(); ++i)
      if (r_.user_groups.find(u.groups[i].value) == r_.user_groups.end())
        throw ValidationError("groups", "user group " + std::to_string(u.groups[i].value) + " does not exist");
    if (u.kind == UserKind::customer) {
      if (u.administrator) throw ValidationError("administrator", "a customer user cannot be an administrator");
      if (!u.rights.empty()) throw ValidationError("rights", "a customer user holds no rights");
      if (!u.groups.empty()) throw ValidationError("groups", "a customer user is in no user group");
      if (!u.customer) throw ValidationError("customer", "required for a customer user");
      if (r_.customers.find(u.customer->value) == r_.customers.end())
        throw ValidationError("customer", "customer " + std::to_string(u.customer->value) + " does not exist");
      if (u.contact && r_.links.find(std::make_tuple(u.customer->value, u.contact->value)) == r_.links.end())
        throw ValidationError("contact", "contact " + std::to_string(u.contact->value) +
                                             " is not a contact person of customer " +
                                             std::to_string(u.customer->value));
    } else {
      if (u.customer) throw ValidationError("customer", "only a customer user is bound to a customer");
      if (u.contact) throw ValidationError("contact", "only a customer user is made from a contact person");
      if (u.locked) throw ValidationError("locked", "only customer users are locked; deactivate staff instead");
    }
  }

  void check_group(UserGroup& g, UserGroupId self) {
    g.name = trimmed(g.name);
    check_text("name", g.name, kMaxLine);
    if (g.name.empty()) throw ValidationError("name", "required");
    for (const auto& row : r_.user_groups)
      if (row.record.id != self && case_fold(row.record.name) == case_fold(g.name))
        throw Conflict("user group '" + g.name + "' already exists");
    sort_unique(g.rights);
  }

  template <class T>
  static void sort_unique(std::vector<T>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }

  void check_settings(Settings& s) {
    check_text("locale", s.locale, 40);
    sort_unique(s.notification_channels);
    if (std::find(s.notification_channels.begin(), s.notification_channels.end(), Channel::in_app) ==
        s.notification_channels.end())
      throw ValidationError("notification_channels", "in_app is always allowed; keep it in the list");
    check_order_statuses(s);
    check_task_statuses(s);
    if (s.number_min_length < 1) throw ValidationError("number_min_length", "must be at least 1");
    if (s.number_max_length < s.number_min_length)
      throw ValidationError("number_max_length", "must not be below number_min_length");
    if (s.number_max_length > kMaxLine)
      throw ValidationError("number_max_length", "must not exceed " + std::to_string(kMaxLine));
    check_text("number_prefix", s.number_prefix, 40);
    if (s.number_padding > 20) throw ValidationError("number_padding", "must not exceed 20");
    if (s.next_number < r_.settings.next_number)
      throw ValidationError("next_number", "may only move forward (now " +
                                               std::to_string(r_.settings.next_number) +
                                               "): customer numbers are never reused");
    for (std::size_t i = 0; i < s.discount_letters.size(); ++i) {
      const auto& d = s.discount_letters[i];
      std::string f = "discount_letters[" + std::to_string(i) + "]";
      check_text(f + ".letter", d.letter, 5);
      if (trim(d.letter).empty()) throw ValidationError(f + ".letter", "required");
      if (!std::isfinite(d.percent) || d.percent < 0 || d.percent > 100)
        throw ValidationError(f + ".percent", "must lie between 0 and 100");
      for (std::size_t j = 0; j < i; ++j)
        if (s.discount_letters[j].letter == d.letter)
          throw ValidationError(f + ".letter", "'" + d.letter + "' is given twice");
    }
    // A letter still carried by a customer stays configured.
    for (const auto& old : r_.settings.discount_letters) {
      bool kept = std::any_of(s.discount_letters.begin(), s.discount_letters.end(),
                              [&](const DiscountLetter& d) { return d.letter == old.letter; });
      if (kept) continue;
      for (const auto& row : r_.customers) {
        const auto& letters = row.record.discount_letters;
        if (std::find(letters.begin(), letters.end(), old.letter) != letters.end())
          throw Conflict("discount letter '" + old.letter + "' is still carried by " +
                         describe_customer(row.record));
      }
    }
  }

  std::size_t active_administrators() const {
    return static_cast<std::size_t>(std::count_if(r_.users.begin(), r_.users.end(), [](const UserRow& u) {
      return u.record.administrator && u.record.active;
    }));
  }

  // Rebuilds every derived text key under the new locale's rules. The old
  // stores and rules come back if the command fails later.
  void change_locale(const std::string& locale) {
    auto rules = std::make_unique<TextRules>(locale);  // ValidationError for an unknown locale
    auto old_rules = std::make_shared<std::unique_ptr<TextRules>>(std::move(r_.text));
    r_.text = std::move(rules);
    auto old_customers = std::make_shared<CustomerStore>();
    auto old_contacts = std::make_shared<ContactStore>();
    CustomerStore customers;
    for (const auto& row : r_.customers) customers.insert(r_.customer_row(row.record));
    ContactStore contacts;
    for (const auto& row : r_.contacts) contacts.insert(r_.contact_row(row.record));
    old_customers->swap(r_.customers);
    old_contacts->swap(r_.contacts);
    r_.customers.swap(customers);
    r_.contacts.swap(contacts);
    ++r_.row_epoch;
    tx_.on_undo([&r = r_, old_rules, old_customers, old_contacts] {
      r.text = std::move(*old_rules);
      r.customers.swap(*old_customers);
      r.contacts.swap(*old_contacts);
    });
  }

  static Value facility_summary(const Facility& f) {
    return Value::Object{{"id", to_value(f.id)}, {"name", Value(f.name)}};
  }
  static Value service_object_summary(const ServiceObject& s) {
    return Value::Object{{"id", to_value(s.id)}, {"identifier", Value(s.identifier)}};
  }

  Register::Impl& r_;
  Transaction& tx_;
};

}  // namespace kartotek::detail
