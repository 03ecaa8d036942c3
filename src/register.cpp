// src/register.cpp: the apply path of every command and the plain reads.
// Search and lists are in src/search.cpp.

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <ostream>
#include <sstream>

#include "kartotek/version.hpp"
#include "register_impl.hpp"

namespace kartotek {

using namespace internal;

const char* version() noexcept { return KARTOTEK_VERSION_STRING; }

namespace {

constexpr std::size_t kMaxLine = 200;      // names, numbers, addresses, e-mails …
constexpr std::size_t kMaxText = 20000;    // comments
constexpr std::uint64_t kSettingsId = 1;   // the one settings record

std::string trimmed(const std::string& s) { return std::string(trim(s)); }

std::string describe_customer(const Customer& c) {
  return "customer " + c.number + " (" + c.name + ")";
}

// A deliberately plain e-mail check: one '@', something on both sides, a dot
// in the domain, no white space. Deliverability is the mail system's business.
bool plausible_email(std::string_view e) {
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

void check_email(const std::string& field, const std::string& value) {
  check_text(field, value, kMaxLine);
  if (!value.empty() && !plausible_email(value))
    throw ValidationError(field, "'" + value + "' is not an e-mail address");
}

void check_phone(const std::string& field, const std::string& value) {
  check_text(field, value, 40);
  for (char ch : value)
    if (!(std::isdigit(static_cast<unsigned char>(ch)) || ch == '+' || ch == ' ' || ch == '-' ||
          ch == '(' || ch == ')' || ch == '/' || ch == '.'))
      throw ValidationError(field, "'" + value + "' is not a phone number");
}

// ISO 639 language code, optionally with a region: "sv", "nb", "en-GB".
void check_language(const std::string& field, const std::string& value) {
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

void check_address(const std::string& field, const Address& a) {
  check_text(field + ".care_of", a.care_of, kMaxLine);
  check_text(field + ".street", a.street, kMaxLine, true);
  check_text(field + ".postal_code", a.postal_code, 20);
  check_text(field + ".city", a.city, kMaxLine);
  check_text(field + ".country", a.country, kMaxLine);
}

void check_articles(const std::string& field, const std::vector<ArticleLine>& lines) {
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
std::string notification_language(const std::string& user_language, const std::string& locale) {
  auto primary = [](std::string_view tag) {
    std::string p(tag.substr(0, tag.find_first_of("-_")));
    return p == "no" || p == "nn" ? std::string("nb") : p;
  };
  for (const std::string& candidate : {primary(user_language), primary(locale)})
    for (const char* offered : {"sv", "da", "nb", "fi", "en"})
      if (candidate == offered) return candidate;
  return "en";
}

std::string notification_text(NotificationKind kind, const std::string& language, const std::string& customer) {
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
void require_same(const std::string& field, const T& given, const T& kept, const char* how) {
  if (!(given == kept))
    throw ValidationError(field, std::string("is kept by the register; ") + how);
}

}  // namespace

void check_text(const std::string& field, const std::string& value, std::size_t max_chars,
                bool multiline) {
  if (!is_valid_utf8(value)) throw ValidationError(field, "is not valid UTF-8");
  for (unsigned char ch : value)
    if ((ch < 0x20 && !(multiline && (ch == '\n' || ch == '\r' || ch == '\t'))) || ch == 0x7f)
      throw ValidationError(field, "contains a control character");
  if (code_point_count(value) > max_chars)
    throw ValidationError(field, "is longer than " + std::to_string(max_chars) + " characters");
}

// ---- Impl --------------------------------------------------------------------

Register::Impl::Impl(std::shared_ptr<const Clock> c, Settings s)
    : clock(std::move(c)), settings(std::move(s)), text(std::make_unique<TextRules>(settings.locale)) {}

CustomerRow Register::Impl::customer_row(Customer c) const {
  CustomerRow row;
  row.number_key = case_fold(trim(c.number));
  row.number_order = text->numeric_sort_key(c.number);
  row.name_key = text->fold(c.name);
  row.name_order = text->sort_key(c.name);
  row.email_key = text->fold(c.email);
  row.record = std::move(c);
  return row;
}

ContactRow Register::Impl::contact_row(Contact c) const {
  ContactRow row;
  row.first_name_key = text->fold(c.first_name);
  row.last_name_key = text->fold(c.last_name);
  row.full_name_key = text->fold(c.first_name + " " + c.last_name);
  row.email_key = text->fold(c.email);
  row.last_name_order = text->sort_key(c.last_name);
  row.first_name_order = text->sort_key(c.first_name);
  row.record = std::move(c);
  return row;
}

UserRow Register::Impl::user_row(User u) const {
  UserRow row;
  row.login_key = case_fold(trim(u.login));
  row.record = std::move(u);
  return row;
}

// ---- Transaction -------------------------------------------------------------

Transaction::Transaction(Register::Impl& impl, const User* actor, Source source, Timestamp now)
    : impl_(impl),
      actor_(actor),
      source_(source),
      now_(now),
      change_(impl.counters.change + 1),
      counters_before_(impl.counters),
      settings_before_(impl.settings) {
  impl.counters.change = change_;
}

Transaction::~Transaction() {
  if (committed_) return;
  for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) (*it)();
  impl_.counters = counters_before_;
  impl_.settings = settings_before_;
}

void Transaction::record(RecordRef record, Action action, std::string field, Value old_value,
                         Value new_value) {
  HistoryRow row;
  row.entry.sequence = ++impl_.counters.history;
  row.entry.change = change_;
  row.entry.at = now_;
  row.entry.actor = actor_->id;
  row.entry.source = source_;
  row.entry.record = record;
  row.entry.action = action;
  row.entry.field = std::move(field);
  row.entry.old_value = std::move(old_value);
  row.entry.new_value = std::move(new_value);
  insert(impl_.history, std::move(row));
}

// ---- command handlers ----------------------------------------------------------

namespace {

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
    c.number = trimmed(c.number);
    if (c.number.empty()) {
      if (!r_.settings.auto_number)
        throw ValidationError("number", "required (automatic customer numbers are off)");
      c.number = next_number();
    } else {
      check_number(c.number, CustomerId{});
    }
    check_customer(c);
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
    require_same("created_at", c.created_at, cur.created_at, "it never changes");
    c.number = trimmed(c.number);
    if (c.number != cur.number) {
      access().require_administrator("change a customer number");
      check_number(c.number, cur.id);
    }
    check_customer(c);
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
    check_contact(c);
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
    check_contact(c);
    replace_record(r_.contacts, cur, std::move(c), [&](Contact x) { return r_.contact_row(std::move(x)); });
    return {};
  }

  RecordRef operator()(const DeleteContact& cmd) {
    const Contact& cur = contact(cmd.contact);
    access().require(Right::contacts_delete, "delete contacts");
    for (const auto& row : r_.users)
      if (row.record.contact == cur.id)
        throw Conflict("contact " + std::to_string(cur.id.value) + " cannot be deleted: customer user '" +
                       row.record.login + "' was made from it");
    Contact old = cur;
    auto& by_c = r_.links.get<by_contact>();
    std::vector<LinkRow> links(by_c.lower_bound(std::make_tuple(old.id.value)),
                               by_c.upper_bound(std::make_tuple(old.id.value)));
    for (const auto& l : links) unlink(l);
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

  // Leaves a notification for `recipient` about customer `subject`, in his
  // language, naming the customer only if he may see it.
  void notify(UserId recipient, NotificationKind kind, CustomerId subject) {
    auto u = r_.users.find(recipient.value);
    if (u == r_.users.end()) return;
    const User& user = u->record;
    const Customer& c = r_.customers.find(subject.value)->record;
    Notification n;
    n.recipient = recipient;
    n.kind = kind;
    n.subject = ref(subject);
    n.language = notification_language(user.language, r_.settings.locale);
    bool visible = Access(r_, user).sees(c);
    n.text = notification_text(kind, n.language, visible ? c.number + " " + c.name : "#" + std::to_string(c.id.value));
    const auto& allowed = r_.settings.notification_channels;
    bool email = std::find(allowed.begin(), allowed.end(), Channel::email) != allowed.end();
    n.channel = email && !user.email.empty() ? Channel::email : Channel::in_app;
    n.created_at = tx_.now();
    n.id = NotificationId{++r_.counters.notification};
    tx_.insert(r_.notifications, NotificationRow{std::move(n)});
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
    if (inserted) tx_.on_undo([this, key] { r_.retired_numbers.erase(key); });
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
    if (auto it = r_.retired_numbers.find(key); it != r_.retired_numbers.end() && it->second != self)
      throw Conflict("customer number '" + number +
                     "' belonged to another customer and is never used again");
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
    tx_.on_undo([this, old_rules, old_customers, old_contacts] {
      r_.text = std::move(*old_rules);
      r_.customers.swap(*old_customers);
      r_.contacts.swap(*old_contacts);
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

}  // namespace

// ---- Register ------------------------------------------------------------------

Register::Register() : Register(std::make_shared<SystemClock>()) {}

Register::Register(std::shared_ptr<const Clock> clock, Settings settings)
    : impl_(std::make_unique<Impl>(std::move(clock), std::move(settings))) {}

Register::~Register() = default;
Register::Register(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Register::Register(Register&&) noexcept = default;
Register& Register::operator=(Register&&) noexcept = default;

UserId Register::create_first_administrator(const std::string& login, const std::string& name) {
  return apply(UserId{}, CreateFirstAdministrator{login, name}, Source::system);
}

RecordRef run_command(Register::Impl& impl, Transaction& tx, const Command& command) {
  Applier applier(impl, tx);
  return std::visit(applier, command);
}

Applied Register::apply_command(UserId actor, const Command& command, Source source) {
  auto& r = *impl_;
  std::unique_lock lock(r.mutex);
  if (r.closed) throw Conflict("the register is closed");
  if (r.journal) r.journal->check_usable();
  const User* acting = std::holds_alternative<CreateFirstAdministrator>(command) ? nullptr : &r.actor(actor);
  const Timestamp now = r.clock->now();
  if (!in_timestamp_range(now))
    throw ValidationError("clock", "the clock's time is outside the years 0000 to 9999");
  Transaction tx(r, acting, source, now);
  RecordRef created = run_command(r, tx, command);
  Applied result{tx.changed() ? tx.change() : 0, created};
  // The command is acknowledged only once its journal record is written; a
  // failed write throws here and the transaction undoes the command.
  std::uint64_t journal_end = 0;
  std::shared_ptr<storage::Journal> journal = r.journal;
  if (journal && tx.changed())
    journal_end = journal->append(storage::frame(
        storage::encode_record({tx.change(), now, acting ? acting->id : UserId{}, source, command})));
  tx.commit();
  lock.unlock();
  if (journal_end) journal->wait_durable(journal_end);
  return result;
}

std::optional<Customer> Register::find_customer(UserId actor, CustomerId id) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  auto it = impl_->customers.find(id.value);
  if (it == impl_->customers.end() || !a.sees(it->record)) return std::nullopt;
  return it->record;
}

std::optional<Customer> Register::find_customer_by_number(UserId actor, std::string_view number) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  if (!is_valid_utf8(number)) throw ValidationError("number", "is not valid UTF-8");
  auto& by_num = impl_->customers.get<by_number>();
  auto it = by_num.find(case_fold(trim(number)));
  if (it == by_num.end() || !a.sees(it->record)) return std::nullopt;
  return it->record;
}

Customer Register::customer(UserId actor, CustomerId id) const {
  auto c = find_customer(actor, id);
  if (!c) throw NotFound("customer " + std::to_string(id.value) + " does not exist");
  return *c;
}

std::optional<Contact> Register::find_contact(UserId actor, ContactId id) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  auto it = impl_->contacts.find(id.value);
  if (it == impl_->contacts.end() || !a.sees(it->record)) return std::nullopt;
  return it->record;
}

Contact Register::contact(UserId actor, ContactId id) const {
  auto c = find_contact(actor, id);
  if (!c) throw NotFound("contact " + std::to_string(id.value) + " does not exist");
  return *c;
}

namespace {

// The customer `id` if `a` sees it; else NotFound, as if it did not exist.
const Customer& visible_customer(const Register::Impl& r, const Access& a, CustomerId id) {
  auto it = r.customers.find(id.value);
  if (it == r.customers.end() || !a.sees(it->record))
    throw NotFound("customer " + std::to_string(id.value) + " does not exist");
  return it->record;
}

}  // namespace

// The contact persons of a customer are part of its card: whoever sees the
// customer sees them (docs/rights.md).
std::vector<LinkedContact> Register::contacts_of(UserId actor, CustomerId customer) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  visible_customer(*impl_, a, customer);
  auto [lb, ub] = impl_->links.get<by_customer>().equal_range(std::make_tuple(customer.value));
  std::vector<std::pair<const ContactRow*, ContactLink>> rows;
  for (auto it = lb; it != ub; ++it) rows.emplace_back(&*impl_->contacts.find(it->contact()), it->link);
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first->last_name_order, a.first->first_name_order, a.first->record.id) <
           std::tie(b.first->last_name_order, b.first->first_name_order, b.first->record.id);
  });
  std::vector<LinkedContact> out;
  out.reserve(rows.size());
  for (auto& [row, link] : rows) out.push_back({link, row->record});
  return out;
}

std::vector<ContactLink> Register::links_of(UserId actor, ContactId contact) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  auto c = impl_->contacts.find(contact.value);
  if (c == impl_->contacts.end() || !a.sees(c->record))
    throw NotFound("contact " + std::to_string(contact.value) + " does not exist");
  auto [lb, ub] = impl_->links.get<by_contact>().equal_range(std::make_tuple(contact.value));
  std::vector<ContactLink> out;
  for (auto it = lb; it != ub; ++it)
    if (a.sees_link(it->link)) out.push_back(it->link);
  return out;
}

std::optional<Facility> Register::find_facility(UserId actor, FacilityId id) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  auto it = impl_->facilities.find(id.value);
  if (it == impl_->facilities.end() || !a.sees(it->record)) return std::nullopt;
  return it->record;
}

Facility Register::facility(UserId actor, FacilityId id) const {
  auto f = find_facility(actor, id);
  if (!f) throw NotFound("facility " + std::to_string(id.value) + " does not exist");
  return *f;
}

std::vector<Facility> Register::facilities_of(UserId actor, CustomerId customer) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  visible_customer(*impl_, a, customer);
  auto [lb, ub] = impl_->facilities.get<by_customer>().equal_range(std::make_tuple(customer.value));
  std::vector<Facility> out;
  for (auto it = lb; it != ub; ++it)
    if (a.sees(it->record)) out.push_back(it->record);
  return out;
}

std::optional<ServiceObject> Register::find_service_object(UserId actor, ServiceObjectId id) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  auto it = impl_->service_objects.find(id.value);
  if (it == impl_->service_objects.end() || !a.sees(it->record)) return std::nullopt;
  return it->record;
}

ServiceObject Register::service_object(UserId actor, ServiceObjectId id) const {
  auto s = find_service_object(actor, id);
  if (!s) throw NotFound("service object " + std::to_string(id.value) + " does not exist");
  return *s;
}

std::vector<ServiceObject> Register::service_objects_of(UserId actor, FacilityId facility) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  auto f = impl_->facilities.find(facility.value);
  if (f == impl_->facilities.end() || !a.sees(f->record))
    throw NotFound("facility " + std::to_string(facility.value) + " does not exist");
  auto [lb, ub] = impl_->service_objects.get<by_facility>().equal_range(std::make_tuple(facility.value));
  std::vector<ServiceObject> out;
  for (auto it = lb; it != ub; ++it)
    if (a.sees(it->record)) out.push_back(it->record);
  return out;
}

// Staff see every user (to pick technicians and colleagues); a customer user
// sees only himself.
std::optional<User> Register::find_user(UserId actor, UserId id) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  auto it = impl_->users.find(id.value);
  if (it == impl_->users.end() || (a.customer_user() && id != a.user().id)) return std::nullopt;
  return it->record;
}

User Register::user(UserId actor, UserId id) const {
  auto u = find_user(actor, id);
  if (!u) throw NotFound("user " + std::to_string(id.value) + " does not exist");
  return *u;
}

std::vector<User> Register::users(UserId actor) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  std::vector<User> out;
  for (const auto& row : impl_->users)
    if (!a.customer_user() || row.record.id == a.user().id) out.push_back(row.record);
  return out;
}

std::optional<UserGroup> Register::find_user_group(UserId actor, UserGroupId id) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  auto it = impl_->user_groups.find(id.value);
  if (it == impl_->user_groups.end() || a.customer_user()) return std::nullopt;
  return it->record;
}

std::vector<UserGroup> Register::user_groups(UserId actor) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  std::vector<UserGroup> out;
  if (a.customer_user()) return out;
  for (const auto& row : impl_->user_groups) out.push_back(row.record);
  return out;
}

std::vector<Right> Register::rights_of(UserId actor, UserId user) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  auto it = impl_->users.find(user.value);
  if (it == impl_->users.end() || (a.customer_user() && user != a.user().id))
    throw NotFound("user " + std::to_string(user.value) + " does not exist");
  const Access theirs(*impl_, it->record);
  std::vector<Right> out;
  for (Right r : every_right())
    if (theirs.has(r)) out.push_back(r);
  return out;
}

std::vector<AssignableGroup> Register::assign_menu(UserId actor) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  if (a.customer_user()) throw PermissionDenied("customer users assign nobody");
  const TextRules& text = *impl_->text;
  auto by_name = [&](const auto& x, const auto& y) {
    int c = text.compare(x.name, y.name);
    return c != 0 ? c < 0 : x.id < y.id;
  };
  std::vector<AssignableGroup> menu;
  for (const auto& g : impl_->user_groups) menu.push_back({g.record.id, g.record.name, {}});
  std::sort(menu.begin(), menu.end(), [&](const AssignableGroup& x, const AssignableGroup& y) {
    int c = text.compare(x.name, y.name);
    return c != 0 ? c < 0 : x.group < y.group;
  });
  AssignableGroup loose{UserGroupId{}, "", {}};
  for (const auto& row : impl_->users) {
    const User& u = row.record;
    if (!u.active || u.kind != UserKind::staff) continue;
    if (u.groups.empty()) loose.users.push_back(u);
    for (UserGroupId g : u.groups)
      for (auto& entry : menu)
        if (entry.group == g) entry.users.push_back(u);
  }
  menu.push_back(std::move(loose));
  for (auto& entry : menu) std::sort(entry.users.begin(), entry.users.end(), by_name);
  return menu;
}

Settings Register::settings(UserId actor) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  if (a.customer_user()) throw PermissionDenied("customer users do not read the register's settings");
  return impl_->settings;
}

std::vector<Notification> Register::notifications(UserId actor, std::size_t limit) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  auto [lb, ub] = impl_->notifications.get<by_recipient>().equal_range(std::make_tuple(actor.value));
  std::vector<Notification> out;
  for (auto it = lb; it != ub && out.size() < limit; ++it) out.push_back(it->record);
  return out;
}

std::vector<Notification> Register::outbox(UserId actor, std::size_t limit) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  a.require_administrator("read every user's notifications");
  std::vector<Notification> out;
  for (auto it = impl_->notifications.begin(); it != impl_->notifications.end() && out.size() < limit; ++it)
    out.push_back(it->record);
  return out;
}

std::vector<HistoryEntry> Register::history(UserId actor, RecordRef record, TimeRange range) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  std::vector<HistoryEntry> out;
  if (!a.sees_history_of(record)) return out;  // as for a record without history
  auto [lb, ub] = impl_->history.get<by_record>().equal_range(std::make_tuple(record.kind, record.id));
  for (auto it = lb; it != ub; ++it)
    if (range.contains(it->entry.at)) out.push_back(it->entry);
  return out;
}

std::vector<HistoryEntry> Register::history(UserId actor, TimeRange range) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  auto& by_t = impl_->history.get<by_time>();
  auto lb = range.from ? by_t.lower_bound(*range.from) : by_t.begin();
  auto ub = range.to ? by_t.lower_bound(*range.to) : by_t.end();
  std::vector<HistoryEntry> out;
  std::map<RecordRef, bool> visible;  // asked once per record
  for (auto it = lb; it != ub; ++it) {
    auto [v, fresh] = visible.try_emplace(it->entry.record, false);
    if (fresh) v->second = a.sees_history_of(it->entry.record);
    if (v->second) out.push_back(it->entry);
  }
  std::sort(out.begin(), out.end(),
            [](const HistoryEntry& a, const HistoryEntry& b) { return a.sequence < b.sequence; });
  return out;
}

Register::Counts Register::counts() const {
  std::shared_lock lock(impl_->mutex);
  return {impl_->customers.size(), impl_->contacts.size(),        impl_->facilities.size(),
          impl_->service_objects.size(), impl_->users.size(), impl_->history.size()};
}

void Register::write_state(std::ostream& out) const {
  std::shared_lock lock(impl_->mutex);
  out << state_payload(*impl_);
}

}  // namespace kartotek
