// src/orders.cpp: the commands and reads of orders and the article catalogue
// (docs/orders.md). Who may do what is decided by Access (src/access.cpp).

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <set>

#include "applier.hpp"
#include "custom_search.hpp"

namespace kartotek {

using namespace internal;

namespace detail {

namespace {

constexpr double kMaxHours = 10000;  // one entry or line; catches a slipped decimal point

// The name of an order kind in a notification's language.
std::string kind_text(OrderKind kind, const std::string& language) {
  struct Names {
    const char* language;
    std::array<const char*, kOrderKinds> names;
  };
  static constexpr Names table[] = {
      {"sv", {"arbetsorder", "serviceorder", "felanmälan", "offert", "kontaktorder", "försäljningsorder"}},
      {"da", {"arbejdsordre", "serviceordre", "fejlmelding", "tilbud", "kontaktordre", "salgsordre"}},
      {"nb", {"arbeidsordre", "serviceordre", "feilmelding", "tilbud", "kontaktordre", "salgsordre"}},
      {"fi", {"työmääräys", "huoltotilaus", "vikailmoitus", "tarjous", "yhteydenotto", "myyntitilaus"}},
      {"en", {"work order", "service order", "error report", "quotation", "contact order", "sales order"}},
  };
  for (const auto& t : table)
    if (language == t.language) return t.names[static_cast<std::size_t>(kind)];
  return table[4].names[static_cast<std::size_t>(kind)];
}

}  // namespace

std::string order_notification_text(NotificationKind kind, const std::string& language, const std::string& order,
                                     const std::string& when) {
  struct Texts {
    const char* language;
    const char* assigned;
    const char* unassigned;
    const char* booking;
    const char* reminder;
  };
  static constexpr Texts texts[] = {
      {"sv", "Du har tilldelats ", "Du är inte längre tilldelad ", "Bokning ", "Påminnelse: "},
      {"da", "Du er blevet tildelt ", "Du er ikke længere tildelt ", "Booking ", "Påmindelse: "},
      {"nb", "Du har fått tildelt ", "Du er ikke lenger tildelt ", "Booking ", "Påminnelse: "},
      {"fi", "Sinulle on osoitettu ", "Sinulle ei ole enää osoitettu ", "Varaus ", "Muistutus: "},
      {"en", "You have been assigned ", "You are no longer assigned ", "Booking ", "Reminder: "},
  };
  const Texts* t = &texts[4];
  for (const auto& x : texts)
    if (language == x.language) t = &x;
  switch (kind) {
    case NotificationKind::order_assigned: return t->assigned + order;
    case NotificationKind::order_unassigned: return t->unassigned + order;
    case NotificationKind::booking: return t->booking + when + ": " + order;
    case NotificationKind::reminder: return t->reminder + when + ": " + order;
    default: return order;
  }
}

// "2026-03-02 14:30 UTC": the minute a booking is for.
std::string booking_time(Timestamp t) {
  std::string iso = format_timestamp(t);  // 2026-03-02T14:30:00.000000Z
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

bool assigned_to(const Order& o, UserId user) {
  return std::find(o.assigned.begin(), o.assigned.end(), user) != o.assigned.end();
}

bool is_hex_digest(std::string_view s) {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'); });
}

// "type/subtype" with the characters RFC 6838 allows in names.
bool is_media_type(std::string_view s) {
  auto slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == s.size()) return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || std::string_view("/!#$&-^_.+").find(ch) != std::string_view::npos;
  });
}

namespace {

bool needs_customer_order_number(OrderKind kind) {
  return kind == OrderKind::work_order || kind == OrderKind::service_order || kind == OrderKind::quotation ||
         kind == OrderKind::sales_order;
}

std::string plural(OrderKind kind) { return std::string(enum_name(kind)) + "s"; }

// Runs `f`; a ValidationError it throws names its field under `prefix`
// ("new_customer.number"), so that the caller sees which part was refused.
template <class F>
auto under_field(const std::string& prefix, F&& f) {
  try {
    return f();
  } catch (const ValidationError& e) {
    std::string message = e.what();
    std::string reason = e.field().empty() ? message : message.substr(e.field().size() + 2);
    throw ValidationError(e.field().empty() ? prefix : prefix + "." + e.field(), reason);
  }
}

Value order_summary(const Order& o) {
  return Value::Object{{"id", to_value(o.id)}, {"kind", to_value(o.kind)}, {"number", to_value(o.number)}};
}

}  // namespace

// ---- helpers -------------------------------------------------------------------

void Applier::check_new_file(FileInfo& file) {
  require_same("file.uploaded_by", file.uploaded_by, UserId{}, "the register sets it");
  require_same("file.uploaded_at", file.uploaded_at, Timestamp{}, "the register sets it");
  file.name = trimmed(file.name);
  check_text("file.name", file.name, kMaxLine);
  if (file.name.empty()) throw ValidationError("file.name", "required");
  if (!is_hex_digest(file.sha256)) throw ValidationError("file.sha256", "must be 64 lowercase hexadecimal digits");
  if (!is_media_type(file.media_type))
    throw ValidationError("file.media_type", "'" + file.media_type + "' is not a media type such as application/pdf");
}

const Order& Applier::order(OrderId id) {
  auto it = r_.orders.find(id.value);
  if (it == r_.orders.end() || !access().sees(it->record))
    throw NotFound("order " + std::to_string(id.value) + " does not exist");
  return it->record;
}

void Applier::require_order_edit(const Order& o) {
  if (!access().edits(o)) {
    const auto rights = Access::order_rights(o.kind);
    throw PermissionDenied("user '" + tx_.actor().login + "' may not change " + std::string(enum_name(o.kind)) + " " +
                           std::to_string(o.number) + ": that needs the right " + std::string(enum_name(rights.edit)));
  }
}

void Applier::require_open(const Order& o, const char* what) {
  if (o.closed)
    throw Conflict(std::string(enum_name(o.kind)) + " " + std::to_string(o.number) + " is closed; reopen it to " + what +
                   " it");
}

std::uint64_t Applier::next_order_number(OrderKind kind) {
  auto& numbers = r_.counters.order_numbers;
  auto k = static_cast<std::size_t>(kind);
  if (numbers.size() <= k) numbers.resize(k + 1, 0);  // the transaction restores the counters on failure
  return ++numbers[k];
}

void Applier::check_order(Order& o, const Customer& c) {
  o.subject = trimmed(o.subject);
  check_text("subject", o.subject, kMaxLine);
  if (o.kind == OrderKind::contact_order && o.subject.empty())
    throw ValidationError("subject", "required for a contact order");
  check_text("description", o.description, kMaxText, true);
  if (o.facility) {
    auto f = r_.facilities.find(o.facility->value);
    if (f == r_.facilities.end() || f->record.customer != c.id)
      throw ValidationError("facility", "facility " + std::to_string(o.facility->value) + " is not a facility of " +
                                            describe_customer(c));
  }
  if (o.service_object) {
    if (!o.facility) throw ValidationError("service_object", "a service object needs its facility on the order");
    auto s = r_.service_objects.find(o.service_object->value);
    if (s == r_.service_objects.end() || s->record.facility != *o.facility)
      throw ValidationError("service_object", "service object " + std::to_string(o.service_object->value) +
                                                  " is not at facility " + std::to_string(o.facility->value));
  }
  if (o.contact) contact_of_customer(*o.contact, c);
  const auto& lists = r_.settings.order_statuses;
  auto list = std::find_if(lists.begin(), lists.end(), [&](const OrderStatuses& s) { return s.kind == o.kind; });
  const std::vector<std::string> none;
  const auto& statuses = list == lists.end() ? none : list->statuses;
  if (std::find(statuses.begin(), statuses.end(), o.status) == statuses.end() &&
      !(o.status.empty() && statuses.empty())) {
    std::string known;
    for (const auto& x : statuses) known += (known.empty() ? "" : ", ") + x;
    throw ValidationError("status", "'" + o.status + "' is not a status of " + plural(o.kind) +
                                        (known.empty() ? " (they have none)" : " (" + known + ")"));
  }
  check_text("cost_center", o.cost_center, kMaxLine);
  o.customer_order_number = trimmed(o.customer_order_number);
  check_text("customer_order_number", o.customer_order_number, kMaxLine);
  if (r_.settings.require_customer_order_number && needs_customer_order_number(o.kind) &&
      o.customer_order_number.empty())
    throw ValidationError("customer_order_number", "required: the settings require the customer's order number");
  for (std::size_t i = 0; i < o.lines.size(); ++i) {
    auto& l = o.lines[i];
    std::string f = "lines[" + std::to_string(i) + "]";
    l.article_number = trimmed(l.article_number);
    check_text(f + ".article_number", l.article_number, kMaxLine);
    check_text(f + ".description", l.description, kMaxLine);
    check_text(f + ".unit", l.unit, 20);
    if (l.article_number.empty() && trim(l.description).empty())
      throw ValidationError(f + ".article_number", "a line needs an article number or a description");
    if (!std::isfinite(l.quantity)) throw ValidationError(f + ".quantity", "must be a number");
    if (!std::isfinite(l.price)) throw ValidationError(f + ".price", "must be a number");
    if (!std::isfinite(l.hours) || l.hours < 0 || l.hours > kMaxHours)
      throw ValidationError(f + ".hours", "must lie between 0 and " + std::to_string(static_cast<int>(kMaxHours)));
  }
  for (std::size_t i = 0; i < o.bookings.size(); ++i) {
    auto& b = o.bookings[i];
    std::string f = "bookings[" + std::to_string(i) + "]";
    check_text(f + ".text", b.text, kMaxText, true);
  }
}

// A booking's user must be active staff when the booking is made for him; a
// user deactivated later keeps his bookings, and the order stays editable.
void Applier::check_booked_user(const std::string& field, UserId user) {
  auto u = r_.users.find(user.value);
  if (u == r_.users.end() || !u->record.active || u->record.kind != UserKind::staff)
    throw ValidationError(field, "user " + std::to_string(user.value) + " is no active staff user");
}

// Numbers new lines, takes catalogue defaults and applies the time-article
// rule against the lines as they were (`before`; null for a new order).
void Applier::settle_lines(const Order* before, Order& o) {
  auto& by_num = r_.articles.get<by_number>();
  std::set<std::uint32_t> seen;
  for (std::size_t i = 0; i < o.lines.size(); ++i) {
    auto& l = o.lines[i];
    std::string f = "lines[" + std::to_string(i) + "]";
    if (!l.article_number.empty()) {
      if (auto a = by_num.find(case_fold(l.article_number)); a != by_num.end()) {
        const Article& art = a->record;
        if (l.description.empty()) l.description = art.name;
        if (l.unit.empty()) l.unit = art.unit;
        if (l.price == 0) l.price = art.price;
        l.time_article = art.time_article;
      }
    }
    if (!l.time_article && l.hours != 0) throw ValidationError(f + ".hours", "only a time article carries hours");
    if (l.id == 0) {
      require_same(f + ".date", l.date, std::optional<Timestamp>{}, "a line's date follows its hours");
      l.id = ++o.last_item;
      if (l.time_article && l.hours != 0) l.date = tx_.now();
      continue;
    }
    const OrderLine* old = nullptr;
    if (before)
      for (const auto& x : before->lines)
        if (x.id == l.id) old = &x;
    if (!old || !seen.insert(l.id).second)
      throw ValidationError(f + ".id", "the order has no line " + std::to_string(l.id) + " (give 0 for a new line)");
    require_same(f + ".date", l.date, old->date, "a line's date follows its hours");
    if (l == *old) continue;
    if (!l.time_article) l.date.reset();
    else if (old->date || (old->hours == 0 && l.hours != 0)) l.date = tx_.now();
  }
}

// Numbers new bookings and keeps `reminded` (a booking moved to another time
// or user reminds again). Returns the bookings whose user is to hear of them.
std::vector<std::uint32_t> Applier::settle_bookings(const Order* before, Order& o) {
  std::vector<std::uint32_t> tell;
  std::set<std::uint32_t> seen;
  for (std::size_t i = 0; i < o.bookings.size(); ++i) {
    auto& b = o.bookings[i];
    std::string f = "bookings[" + std::to_string(i) + "]";
    if (b.id == 0) {
      check_booked_user(f + ".user", b.user);
      require_same(f + ".reminded", b.reminded, false, "the register reminds");
      b.id = ++o.last_item;
      if (b.user != tx_.actor().id) tell.push_back(b.id);
      continue;
    }
    const Booking* old = nullptr;
    if (before)
      for (const auto& x : before->bookings)
        if (x.id == b.id) old = &x;
    if (!old || !seen.insert(b.id).second)
      throw ValidationError(f + ".id", "the order has no booking " + std::to_string(b.id) + " (give 0 for a new one)");
    require_same(f + ".reminded", b.reminded, old->reminded, "the register reminds");
    if (b.user != old->user) check_booked_user(f + ".user", b.user);
    if (b.when != old->when || b.user != old->user) b.reminded = false;
    if (b.user != old->user && b.user != tx_.actor().id) tell.push_back(b.id);
  }
  return tell;
}

void Applier::notify_order(UserId recipient, NotificationKind kind, const Order& o, const Booking* booking) {
  auto u = r_.users.find(recipient.value);
  if (u == r_.users.end()) return;
  const User& user = u->record;
  Notification n = notification_for(user, kind, ref(o.id));
  std::string label = Access(r_, user).sees(o) ? kind_text(o.kind, n.language) + " " + std::to_string(o.number) +
                                                     (o.subject.empty() ? "" : " (" + o.subject + ")")
                                               : kind_text(o.kind, n.language) + " #" + std::to_string(o.id.value);
  n.text = order_notification_text(kind, n.language, label, booking ? booking_time(booking->when) : "");
  post(std::move(n));
}

void Applier::notify_bookings(const Order& o, const std::vector<std::uint32_t>& bookings) {
  for (std::uint32_t id : bookings)
    for (const auto& b : o.bookings)
      if (b.id == id) notify_order(b.user, NotificationKind::booking, o, &b);
}

// Stores a checked new order: numbers it, assigns the customer's technician,
// records it and notifies everyone assigned.
OrderId Applier::insert_order(Order o, const Customer& c) {
  if (c.assigned_technician && !assigned_to(o, *c.assigned_technician)) {
    auto t = r_.users.find(c.assigned_technician->value);
    if (t != r_.users.end() && t->record.active) o.assigned.push_back(*c.assigned_technician);
    std::sort(o.assigned.begin(), o.assigned.end());
  }
  o.id = OrderId{++r_.counters.order};
  o.number = next_order_number(o.kind);
  o.created_by = tx_.actor().id;
  o.created_at = tx_.now();
  o.revision = 1;
  tx_.insert(r_.orders, OrderRow{o});
  tx_.record(ref(o.id), Action::created, "", nullptr, to_value(o));
  tx_.record(ref(o.customer), Action::linked, "orders", nullptr, order_summary(o));
  for (UserId u : o.assigned) notify_order(u, NotificationKind::order_assigned, o);
  return o.id;
}

// Replaces an order without recording its fields; the caller records what
// changed (a note, a time entry, a file) as one entry.
void Applier::store_order(const Order& cur, Order next) {
  next.revision = cur.revision + 1;
  tx_.replace(r_.orders, OrderRow{std::move(next)});
}

CustomerId Applier::customer_by_name(const Customer& given, bool& created) {
  std::string key = r_.text->fold(trim(given.name));
  if (key.empty()) throw ValidationError("new_customer.name", "required");
  const Access a = access();
  std::vector<const Customer*> found;
  auto [lb, ub] = r_.customers.get<by_name>().equal_range(key);
  for (auto it = lb; it != ub; ++it)
    if (a.sees(it->record)) found.push_back(&it->record);
  if (found.size() == 1) return found.front()->id;
  if (found.size() > 1)
    throw ValidationError("new_customer.name", std::to_string(found.size()) + " customers are named '" +
                                                   std::string(trim(given.name)) + "'; give the customer's id instead");
  created = true;
  return CustomerId{under_field("new_customer", [&] { return (*this)(CreateCustomer{given}); }).id};
}

FacilityId Applier::facility_by_name(const Facility& given, const Customer& c, bool& created) {
  std::string key = r_.text->fold(trim(given.name));
  if (key.empty()) throw ValidationError("new_facility.name", "required");
  auto [lb, ub] = r_.facilities.get<by_customer>().equal_range(std::make_tuple(c.id.value));
  for (auto it = lb; it != ub; ++it)
    if (r_.text->fold(it->record.name) == key) return it->record.id;
  Facility f = given;
  f.customer = c.id;
  created = true;
  return FacilityId{under_field("new_facility", [&] { return (*this)(CreateFacility{f}); }).id};
}

void Applier::refuse_if_ordered(const char* what, const std::string& label, std::uint64_t customer,
                                const std::function<bool(const Order&)>& names) {
  std::size_t n = 0;
  if (customer) {
    auto [lb, ub] = r_.orders.get<by_customer>().equal_range(std::make_tuple(customer));
    for (auto it = lb; it != ub; ++it) n += names(it->record);
  } else {
    for (const auto& row : r_.orders) n += names(row.record);
  }
  if (n)
    throw Conflict(label + " cannot be deleted: " + std::to_string(n) + (n == 1 ? " order names" : " orders name") +
                   " this " + what + "; deactivate it instead");
}

void Applier::check_order_statuses(const Settings& s) {
  std::set<OrderKind> kinds;
  for (std::size_t i = 0; i < s.order_statuses.size(); ++i) {
    const auto& list = s.order_statuses[i];
    std::string f = "order_statuses[" + std::to_string(i) + "]";
    if (!kinds.insert(list.kind).second) throw ValidationError(f + ".kind", "is listed twice");
    for (std::size_t j = 0; j < list.statuses.size(); ++j) {
      const auto& st = list.statuses[j];
      std::string g = f + ".statuses[" + std::to_string(j) + "]";
      check_text(g, st, 60);
      if (trim(st).empty() || trim(st).size() != st.size())
        throw ValidationError(g, "a status is a name without leading or trailing spaces");
      if (std::find(list.statuses.begin(), list.statuses.begin() + static_cast<std::ptrdiff_t>(j), st) !=
          list.statuses.begin() + static_cast<std::ptrdiff_t>(j))
        throw ValidationError(g, "'" + st + "' is given twice");
    }
  }
  // A status still carried by an order stays listed.
  for (const auto& row : r_.orders) {
    const Order& o = row.record;
    if (o.status.empty()) continue;
    auto list = std::find_if(s.order_statuses.begin(), s.order_statuses.end(),
                             [&](const OrderStatuses& x) { return x.kind == o.kind; });
    if (list == s.order_statuses.end() ||
        std::find(list->statuses.begin(), list->statuses.end(), o.status) == list->statuses.end())
      throw Conflict("status '" + o.status + "' is still used by " + std::string(enum_name(o.kind)) + " " +
                     std::to_string(o.number));
  }
}

void Applier::check_article(Article& a, ArticleId self) {
  a.number = trimmed(a.number);
  check_text("number", a.number, kMaxLine);
  if (a.number.empty()) throw ValidationError("number", "required");
  auto& by_num = r_.articles.get<by_number>();
  if (auto it = by_num.find(case_fold(a.number)); it != by_num.end() && it->record.id != self)
    throw Conflict("article number '" + a.number + "' is already used by '" + it->record.name + "'");
  a.name = trimmed(a.name);
  check_text("name", a.name, kMaxLine);
  if (a.name.empty()) throw ValidationError("name", "required");
  check_text("unit", a.unit, 20);
  if (!std::isfinite(a.price)) throw ValidationError("price", "must be a number");
}

// ---- commands ------------------------------------------------------------------

RecordRef Applier::operator()(const CreateOrder& cmd) {
  Order o = cmd.order;
  require_same("id", o.id, OrderId{}, "a new order gets its id from the register");
  require_same("number", o.number, std::uint64_t{0}, "each kind numbers its own orders");
  require_same("notes", o.notes, std::vector<OrderNote>{}, "add notes with AddOrderNote");
  require_same("time_entries", o.time_entries, std::vector<TimeEntry>{}, "add time with AddTimeEntry");
  require_same("files", o.files, std::vector<FileInfo>{}, "add files with AddOrderFile");
  require_same("closed", o.closed, false, "a new order is open");
  require_same("closed_at", o.closed_at, std::optional<Timestamp>{}, "a new order is open");
  require_same("origin", o.origin, std::optional<OrderId>{}, "use ConvertToSalesOrder");
  require_same("sales_order", o.sales_order, std::optional<OrderId>{}, "use ConvertToSalesOrder");
  require_same("created_by", o.created_by, UserId{}, "the register sets it");
  require_same("created_at", o.created_at, Timestamp{}, "the register sets it");
  require_same("revision", o.revision, std::uint64_t{0}, "the register sets it");
  require_same("last_item", o.last_item, std::uint32_t{0}, "the register sets it");
  // A customer the actor may not see is, to him, one that does not exist.
  if (o.customer && !cmd.new_customer) customer(o.customer);
  const Access a = access();
  const auto rights = Access::order_rights(o.kind);
  if (a.customer_user()) {
    if (o.kind != OrderKind::error_report)
      throw PermissionDenied("customer users file error reports and nothing else");
    if (!o.status.empty() || o.planned || !o.assigned.empty() || !o.cost_center.empty() || !o.lines.empty() ||
        !o.bookings.empty() || cmd.new_customer || cmd.new_facility)
      throw PermissionDenied("a customer user gives an error report's subject, description, facility, service "
                             "object, contact and order number; the rest is set by the group");
  } else {
    a.require(rights.create, "create " + plural(o.kind));
  }
  if ((cmd.new_customer || cmd.new_facility) && o.kind != OrderKind::contact_order)
    throw ValidationError(cmd.new_customer ? "new_customer" : "new_facility",
                          "only a contact order names its customer or facility by name");
  bool created_customer = false, created_facility = false;
  if (cmd.new_customer) {
    if (o.customer) throw ValidationError("new_customer", "give a customer id or a new customer, not both");
    o.customer = customer_by_name(*cmd.new_customer, created_customer);
  }
  if (!o.customer) throw ValidationError("customer", "required");
  const Customer& c = customer(o.customer);
  if (!c.active)
    throw ValidationError("customer", describe_customer(c) + " is deactivated; reactivate it to create orders for it");
  if (cmd.new_facility) {
    if (o.facility) throw ValidationError("new_facility", "give a facility id or a new facility, not both");
    o.facility = facility_by_name(*cmd.new_facility, c, created_facility);
  }
  if (o.status.empty()) {
    for (const auto& list : r_.settings.order_statuses)
      if (list.kind == o.kind && !list.statuses.empty()) o.status = list.statuses.front();
  }
  // The customer's standing article lines come first.
  const std::vector<ArticleLine>* standing = o.kind == OrderKind::service_order ? &c.service_articles
                                             : o.kind == OrderKind::work_order  ? &c.work_order_articles
                                                                                : nullptr;
  if (standing) {
    std::vector<OrderLine> lines;
    for (const ArticleLine& s : *standing) {
      OrderLine l;
      l.article_number = s.article_number;
      l.description = s.description;
      l.quantity = s.quantity;
      l.unit = s.unit;
      l.time_article = s.time_article;
      l.hours = s.hours;
      lines.push_back(std::move(l));
    }
    lines.insert(lines.end(), o.lines.begin(), o.lines.end());
    o.lines = std::move(lines);
  }
  std::sort(o.assigned.begin(), o.assigned.end());
  o.assigned.erase(std::unique(o.assigned.begin(), o.assigned.end()), o.assigned.end());
  if (!o.assigned.empty() && !a.has(rights.assign) &&
      !(a.has(rights.assign_self) && o.assigned.size() == 1 && o.assigned.front() == a.user().id))
    a.require(rights.assign, "assign " + plural(o.kind) + " to others");
  for (UserId u : o.assigned) {
    auto it = r_.users.find(u.value);
    if (it == r_.users.end() || !it->record.active || it->record.kind != UserKind::staff)
      throw ValidationError("assigned", "user " + std::to_string(u.value) + " is no active staff user");
  }
  check_order(o, c);
  check_custom(RecordKind::order, o.custom, nullptr);
  settle_lines(nullptr, o);
  auto tell = settle_bookings(nullptr, o);
  OrderId id = insert_order(o, c);
  const Order& stored = r_.orders.find(id.value)->record;
  if (created_customer)
    tx_.record(ref(id), Action::linked, "created_customer", nullptr,
               Value::Object{{"id", to_value(c.id)}, {"number", Value(c.number)}, {"name", Value(c.name)}});
  if (created_facility)
    tx_.record(ref(id), Action::linked, "created_facility", nullptr,
               facility_summary(r_.facilities.find(stored.facility->value)->record));
  notify_bookings(stored, tell);
  return ref(id);
}

RecordRef Applier::operator()(const UpdateOrder& cmd) {
  const Order& cur = order(cmd.order.id);
  require_order_edit(cur);
  require_open(cur, "change");
  Order o = cmd.order;
  check_revision(std::string(enum_name(cur.kind)) + " " + std::to_string(cur.number), o.revision, cur.revision);
  require_same("kind", o.kind, cur.kind, "an order keeps its kind");
  require_same("number", o.number, cur.number, "an order keeps its number");
  require_same("customer", o.customer, cur.customer, "an order keeps its customer");
  require_same("assigned", o.assigned, cur.assigned, "use AssignOrder");
  require_same("notes", o.notes, cur.notes, "notes are added with AddOrderNote and never changed");
  require_same("time_entries", o.time_entries, cur.time_entries, "use AddTimeEntry");
  require_same("files", o.files, cur.files, "use AddOrderFile and RemoveOrderFile");
  require_same("closed", o.closed, cur.closed, "use CloseOrder and ReopenOrder");
  require_same("closed_at", o.closed_at, cur.closed_at, "use CloseOrder and ReopenOrder");
  require_same("origin", o.origin, cur.origin, "use ConvertToSalesOrder");
  require_same("sales_order", o.sales_order, cur.sales_order, "use ConvertToSalesOrder");
  require_same("created_by", o.created_by, cur.created_by, "it never changes");
  require_same("created_at", o.created_at, cur.created_at, "it never changes");
  require_same("last_item", o.last_item, cur.last_item, "the register numbers lines and bookings");
  const Customer& c = r_.customers.find(cur.customer.value)->record;
  check_order(o, c);
  check_custom(RecordKind::order, o.custom, &cur.custom);
  settle_lines(&cur, o);
  auto tell = settle_bookings(&cur, o);
  OrderId id = cur.id;
  replace_record(r_.orders, cur, std::move(o), [](Order x) { return OrderRow{std::move(x)}; });
  notify_bookings(r_.orders.find(id.value)->record, tell);
  return {};
}

RecordRef Applier::operator()(const AssignOrder& cmd) {
  const Order& cur = order(cmd.order);
  std::vector<UserId> users = cmd.users;
  sort_unique(users);
  std::vector<UserId> added, removed;
  std::vector<UserId> before = cur.assigned;
  std::sort(before.begin(), before.end());
  std::set_difference(users.begin(), users.end(), before.begin(), before.end(), std::back_inserter(added));
  std::set_difference(before.begin(), before.end(), users.begin(), users.end(), std::back_inserter(removed));
  const Access a = access();
  const auto rights = Access::order_rights(cur.kind);
  const UserId self = a.user().id;
  bool only_self = std::all_of(added.begin(), added.end(), [&](UserId u) { return u == self; }) &&
                   std::all_of(removed.begin(), removed.end(), [&](UserId u) { return u == self; });
  if (!a.has(rights.assign) && !(only_self && a.has(rights.assign_self)))
    a.require(rights.assign, only_self ? "assign himself to " + plural(cur.kind) : "assign " + plural(cur.kind) + " to others");
  require_open(cur, "assign");
  for (UserId u : added) {
    auto it = r_.users.find(u.value);
    if (it == r_.users.end() || !it->record.active || it->record.kind != UserKind::staff)
      throw ValidationError("users", "user " + std::to_string(u.value) + " is no active staff user");
  }
  if (added.empty() && removed.empty()) return {};
  Order o = cur;
  o.assigned = users;
  OrderId id = cur.id;
  replace_record(r_.orders, cur, std::move(o), [](Order x) { return OrderRow{std::move(x)}; });
  const Order& now = r_.orders.find(id.value)->record;
  for (UserId u : added) notify_order(u, NotificationKind::order_assigned, now);
  for (UserId u : removed) notify_order(u, NotificationKind::order_unassigned, now);
  return {};
}

RecordRef Applier::operator()(const AddOrderNote& cmd) {
  const Order& cur = order(cmd.order);
  require_order_edit(cur);
  OrderNote note{tx_.now(), tx_.actor().id, std::string(trim(cmd.text))};
  check_text("text", note.text, kMaxText, true);
  if (note.text.empty()) throw ValidationError("text", "required");
  Order o = cur;
  o.notes.push_back(note);
  store_order(cur, std::move(o));
  tx_.record(ref(cmd.order), Action::linked, "notes", nullptr, to_value(note));
  return {};
}

RecordRef Applier::operator()(const AddTimeEntry& cmd) {
  const Order& cur = order(cmd.order);
  require_order_edit(cur);
  require_open(cur, "log time on");
  if (!std::isfinite(cmd.hours) || cmd.hours <= 0 || cmd.hours > kMaxHours)
    throw ValidationError("hours", "must be more than 0 and at most " + std::to_string(static_cast<int>(kMaxHours)));
  TimeEntry entry{tx_.now(), tx_.actor().id, cmd.hours, std::string(trim(cmd.text))};
  check_text("text", entry.text, kMaxText, true);
  Order o = cur;
  o.time_entries.push_back(entry);
  store_order(cur, std::move(o));
  tx_.record(ref(cmd.order), Action::linked, "time_entries", nullptr, to_value(entry));
  return {};
}

RecordRef Applier::operator()(const AddOrderFile& cmd) {
  const Order& cur = order(cmd.order);
  const auto rights = Access::order_rights(cur.kind);
  access().require(rights.upload, "upload files to " + plural(cur.kind));
  require_open(cur, "add files to");
  FileInfo file = cmd.file;
  require_same("file.id", file.id, std::uint32_t{0}, "the register numbers files");
  check_new_file(file);
  Order o = cur;
  file.id = ++o.last_item;
  file.uploaded_by = tx_.actor().id;
  file.uploaded_at = tx_.now();
  o.files.push_back(file);
  store_order(cur, std::move(o));
  tx_.record(ref(cmd.order), Action::linked, "files", nullptr, to_value(file));
  return {};
}

RecordRef Applier::operator()(const RemoveOrderFile& cmd) {
  const Order& cur = order(cmd.order);
  const auto rights = Access::order_rights(cur.kind);
  access().require(rights.delete_files, "delete files of " + plural(cur.kind));
  require_open(cur, "remove files from");
  auto it = std::find_if(cur.files.begin(), cur.files.end(), [&](const FileInfo& f) { return f.id == cmd.file; });
  if (it == cur.files.end())
    throw NotFound("file " + std::to_string(cmd.file) + " is not on " + std::string(enum_name(cur.kind)) + " " +
                   std::to_string(cur.number));
  FileInfo gone = *it;
  Order o = cur;
  o.files.erase(o.files.begin() + (it - cur.files.begin()));
  store_order(cur, std::move(o));
  tx_.record(ref(cmd.order), Action::unlinked, "files", to_value(gone), nullptr);
  return {};
}

RecordRef Applier::operator()(const CloseOrder& cmd) {
  const Order& cur = order(cmd.order);
  require_order_edit(cur);
  if (cur.closed) return {};
  Order o = cur;
  o.closed = true;
  o.closed_at = tx_.now();
  replace_record(r_.orders, cur, std::move(o), [](Order x) { return OrderRow{std::move(x)}; });
  return {};
}

RecordRef Applier::operator()(const ReopenOrder& cmd) {
  const Order& cur = order(cmd.order);
  require_order_edit(cur);
  if (!cur.closed) return {};
  Order o = cur;
  o.closed = false;
  o.closed_at.reset();
  replace_record(r_.orders, cur, std::move(o), [](Order x) { return OrderRow{std::move(x)}; });
  return {};
}

RecordRef Applier::operator()(const DeleteOrder& cmd) {
  const Order& cur = order(cmd.order);
  access().require(Access::order_rights(cur.kind).remove, "delete " + plural(cur.kind));
  if (cur.sales_order)
    throw Conflict("contact order " + std::to_string(cur.number) + " became a sales order and stays traceable");
  if (cur.origin)
    throw Conflict("sales order " + std::to_string(cur.number) + " came from a contact order and stays traceable");
  Order old = cur;
  tx_.erase(r_.orders, *r_.orders.find(old.id.value));
  tx_.record(ref(old.id), Action::deleted, "", to_value(old), nullptr);
  tx_.record(ref(old.customer), Action::unlinked, "orders", order_summary(old), nullptr);
  return {};
}

RecordRef Applier::operator()(const ConvertToSalesOrder& cmd) {
  const Order& cur = order(cmd.order);
  if (cur.kind != OrderKind::contact_order)
    throw ValidationError("order", "only a contact order becomes a sales order");
  require_order_edit(cur);
  access().require(Right::orders_create, "create sales orders");
  if (cur.sales_order)
    throw Conflict("contact order " + std::to_string(cur.number) + " already became sales order " +
                   std::to_string(r_.orders.find(cur.sales_order->value)->record.number));
  require_open(cur, "convert");
  const Customer& c = r_.customers.find(cur.customer.value)->record;
  if (!c.active)
    throw ValidationError("customer", describe_customer(c) + " is deactivated; reactivate it to create orders for it");
  Order s;
  s.kind = OrderKind::sales_order;
  s.customer = cur.customer;
  s.facility = cur.facility;
  s.service_object = cur.service_object;
  s.contact = cur.contact;
  s.subject = cur.subject;
  s.description = cur.description;
  s.planned = cur.planned;
  s.assigned = cur.assigned;
  s.cost_center = cur.cost_center;
  s.customer_order_number = cur.customer_order_number;
  for (const auto& l : cur.lines) {
    s.lines.push_back(l);
    s.lines.back().id = ++s.last_item;
  }
  for (const auto& list : r_.settings.order_statuses)
    if (list.kind == s.kind && !list.statuses.empty()) s.status = list.statuses.front();
  s.origin = cur.id;
  s.custom = cur.custom;  // order fields are the same for every kind of order
  check_order(s, c);
  check_custom(RecordKind::order, s.custom, &cur.custom);  // retired values go along
  const OrderId contact_order = cur.id;
  OrderId id = insert_order(std::move(s), c);
  const Order& now = r_.orders.find(contact_order.value)->record;
  Order o = now;
  o.sales_order = id;
  o.closed = true;
  o.closed_at = tx_.now();
  replace_record(r_.orders, now, std::move(o), [](Order x) { return OrderRow{std::move(x)}; });
  return ref(id);
}

RecordRef Applier::operator()(const RaiseReminders&) {
  require_administrator("raise reminders");
  auto unreminded = [&](const Booking& b) { return !b.done && !b.reminded && b.when <= tx_.now(); };
  std::vector<OrderId> due;
  for (const auto& row : r_.orders)  // a closed order's bookings are archived with it
    if (!row.record.closed && std::any_of(row.record.bookings.begin(), row.record.bookings.end(), unreminded))
      due.push_back(row.record.id);
  for (OrderId id : due) {
    const Order& cur = r_.orders.find(id.value)->record;
    Order o = cur;
    std::vector<Booking> reminded;
    for (auto& b : o.bookings)
      if (unreminded(b)) {
        b.reminded = true;
        reminded.push_back(b);
      }
    replace_record(r_.orders, cur, std::move(o), [](Order x) { return OrderRow{std::move(x)}; });
    const Order& now = r_.orders.find(id.value)->record;
    for (const auto& b : reminded) notify_order(b.user, NotificationKind::reminder, now, &b);
  }
  raise_activity_reminders();
  return {};
}

RecordRef Applier::operator()(const CreateArticle& cmd) {
  require_administrator("change the article catalogue");
  Article a = cmd.article;
  require_same("id", a.id, ArticleId{}, "a new article gets its id from the register");
  check_article(a, ArticleId{});
  a.id = ArticleId{++r_.counters.article};
  a.created_at = tx_.now();
  a.revision = 1;
  tx_.insert(r_.articles, r_.article_row(a));
  tx_.record(ref(a.id), Action::created, "", nullptr, to_value(a));
  return ref(a.id);
}

RecordRef Applier::operator()(const UpdateArticle& cmd) {
  require_administrator("change the article catalogue");
  auto it = r_.articles.find(cmd.article.id.value);
  if (it == r_.articles.end())
    throw NotFound("article " + std::to_string(cmd.article.id.value) + " does not exist");
  const Article& cur = it->record;
  Article a = cmd.article;
  check_revision("article '" + cur.number + "'", a.revision, cur.revision);
  require_same("created_at", a.created_at, cur.created_at, "it never changes");
  check_article(a, cur.id);
  replace_record(r_.articles, cur, std::move(a), [&](Article x) { return r_.article_row(std::move(x)); });
  return {};
}

RecordRef Applier::operator()(const DeleteArticle& cmd) {
  require_administrator("change the article catalogue");
  auto it = r_.articles.find(cmd.article.value);
  if (it == r_.articles.end()) throw NotFound("article " + std::to_string(cmd.article.value) + " does not exist");
  Article old = it->record;  // order lines keep their own copies
  tx_.erase(r_.articles, *it);
  tx_.record(ref(old.id), Action::deleted, "", to_value(old), nullptr);
  return {};
}

RecordRef Applier::operator()(const SaveOrderFilter& cmd) {
  const Access a = access();
  if (a.customer_user()) throw PermissionDenied("customer users keep no favourite filters");
  OrderFilter f = cmd.filter;
  if (f.owner && f.owner != a.user().id) throw PermissionDenied("users save their own favourite filters only");
  f.owner = a.user().id;
  f.name = trimmed(f.name);
  check_text("name", f.name, kMaxLine);
  if (f.name.empty()) throw ValidationError("name", "required");
  if (f.query.status) check_text("query.status", *f.query.status, 60);
  // A saved query is stored and exported as JSON, whose integers are signed
  // 64-bit: "all the rest" is saved as the largest of those.
  constexpr auto kMaxPaging = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  if (f.query.limit == 0) throw ValidationError("query.limit", "must be at least 1");
  f.query.limit = std::min(f.query.limit, kMaxPaging);
  f.query.offset = std::min(f.query.offset, kMaxPaging);
  OrderFilterRow row = r_.order_filter_row(f);
  auto it = r_.order_filters.find(std::make_tuple(row.owner(), row.name_key));
  if (it == r_.order_filters.end()) {
    tx_.insert(r_.order_filters, row);
    tx_.record(ref(f.owner), Action::linked, "order_filters", nullptr, to_value(f));
  } else if (!(it->record == f)) {
    Value old = to_value(it->record);
    tx_.replace(r_.order_filters, row);
    tx_.record(ref(f.owner), Action::changed, "order_filters", std::move(old), to_value(f));
  }
  return {};
}

RecordRef Applier::operator()(const DeleteOrderFilter& cmd) {
  const UserId owner = tx_.actor().id;
  check_text("name", cmd.name, kMaxLine);
  auto it = r_.order_filters.find(std::make_tuple(owner.value, case_fold(trim(cmd.name))));
  if (it == r_.order_filters.end())
    throw NotFound("no favourite filter named '" + std::string(trim(cmd.name)) + "'");
  OrderFilter old = it->record;
  tx_.erase(r_.order_filters, *it);
  tx_.record(ref(owner), Action::unlinked, "order_filters", to_value(old), nullptr);
  return {};
}

}  // namespace detail

// ---- Impl rows -------------------------------------------------------------------

ArticleRow Register::Impl::article_row(Article a) const {
  ArticleRow row;
  row.number_key = case_fold(trim(a.number));
  row.record = std::move(a);
  return row;
}

OrderFilterRow Register::Impl::order_filter_row(OrderFilter f) const {
  OrderFilterRow row;
  row.name_key = case_fold(trim(f.name));  // not the locale's fold: it must not change with the locale
  row.record = std::move(f);
  return row;
}

// ---- reads -------------------------------------------------------------------------

std::optional<Order> Register::find_order(UserId actor, OrderId id) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  auto it = impl_->orders.find(id.value);
  if (it == impl_->orders.end() || !a.sees(it->record)) return std::nullopt;
  return it->record;
}

Order Register::order(UserId actor, OrderId id) const {
  auto o = find_order(actor, id);
  if (!o) throw NotFound("order " + std::to_string(id.value) + " does not exist");
  return *o;
}

std::optional<Order> Register::find_order_by_number(UserId actor, OrderKind kind, std::uint64_t number) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  auto& by_kn = impl_->orders.get<by_kind_number>();
  auto it = by_kn.find(std::make_tuple(kind, number));
  if (it == by_kn.end() || !a.sees(it->record)) return std::nullopt;
  return it->record;
}

Page<Order> Register::search_orders(UserId actor, const OrderQuery& q) const {
  std::shared_lock lock(impl_->mutex);
  const Register::Impl& r = *impl_;
  const Access a(r, r.actor(actor));
  if (q.limit == 0) throw ValidationError("limit", "must be at least 1");
  if (q.status && !is_valid_utf8(*q.status)) throw ValidationError("status", "is not valid UTF-8");
  const internal::CustomSearch custom(r.field_definitions, *r.text, RecordKind::order, q.custom, q.custom_sort);
  auto keep = [&](const Order& o) {
    if (!a.sees(o)) return false;
    if (!custom.matches(o.custom)) return false;
    if (q.kind && o.kind != *q.kind) return false;
    if (q.customer && o.customer != *q.customer) return false;
    if (q.status && o.status != *q.status) return false;
    if (q.assigned_to_me && !detail::assigned_to(o, actor)) return false;
    if (q.assigned_to && !detail::assigned_to(o, *q.assigned_to)) return false;
    if ((q.planned_from || q.planned_to) &&
        (!o.planned || (q.planned_from && *o.planned < *q.planned_from) || (q.planned_to && *o.planned >= *q.planned_to)))
      return false;
    if (q.closed && o.closed != *q.closed) return false;
    return true;
  };
  std::vector<const Order*> hits;
  if (q.customer) {
    auto [lb, ub] = r.orders.get<by_customer>().equal_range(std::make_tuple(q.customer->value));
    for (auto it = lb; it != ub; ++it)
      if (keep(it->record)) hits.push_back(&it->record);
  } else {
    for (const auto& row : r.orders)
      if (keep(row.record)) hits.push_back(&row.record);
  }

  // The sort: the one asked for, or the list's default (docs/orders.md).
  OrderColumn column = OrderColumn::created_at;
  bool descending = q.descending;
  bool ties_descending = false;  // ties go by id, ascending, as in customer lists
  if (q.sort) {
    column = *q.sort;
  } else if (q.kind == OrderKind::contact_order) {
    column = r.settings.contact_orders_by_number ? OrderColumn::number : OrderColumn::planned;
  } else {
    descending = !q.descending;  // newest first
    ties_descending = descending;  // of one moment, the later created first
  }
  if (custom.sorts()) ties_descending = false;
  // One key per hit: text columns by the locale's collation.
  struct Keyed {
    const Order* order;
    std::string text;
    std::int64_t number = 0;
    bool missing = false;  // no planned date: last either way
    internal::CustomSearch::SortKey custom;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(hits.size());
  const TextRules& text = *r.text;
  for (const Order* o : hits) {
    Keyed k{o, {}, 0, false, {}};
    if (custom.sorts()) {
      k.custom = custom.sort_key(o->custom);
      keyed.push_back(std::move(k));
      continue;
    }
    switch (column) {
      case OrderColumn::number: k.number = static_cast<std::int64_t>(o->number); break;
      case OrderColumn::kind: k.text = enum_name(o->kind); break;
      case OrderColumn::customer: {
        auto c = r.customers.find(o->customer.value);
        k.text = c == r.customers.end() ? std::string() : c->name_order;
        break;
      }
      case OrderColumn::subject: k.text = text.sort_key(o->subject); break;
      case OrderColumn::status: k.text = text.sort_key(o->status); break;
      case OrderColumn::planned:
        k.missing = !o->planned;
        k.number = o->planned ? o->planned->time_since_epoch().count() : 0;
        break;
      case OrderColumn::created_at: k.number = o->created_at.time_since_epoch().count(); break;
      case OrderColumn::cost_center: k.text = text.sort_key(o->cost_center); break;
      case OrderColumn::customer_order_number: k.text = text.numeric_sort_key(o->customer_order_number); break;
    }
    keyed.push_back(std::move(k));
  }
  std::sort(keyed.begin(), keyed.end(), [&](const Keyed& x, const Keyed& y) {
    if (x.order->closed != y.order->closed) return !x.order->closed;  // closed always last
    if (x.missing != y.missing) return !x.missing;                    // undated last
    if (custom.sorts())
      if (int c = internal::CustomSearch::compare(x.custom, y.custom, q.descending)) return c < 0;
    int c = x.number < y.number ? -1 : x.number > y.number ? 1 : x.text.compare(y.text);
    if (c != 0) return descending ? c > 0 : c < 0;
    return ties_descending ? x.order->id > y.order->id : x.order->id < y.order->id;
  });
  Page<Order> page;
  page.total = keyed.size();
  for (std::size_t i = q.offset; i < keyed.size() && page.items.size() < q.limit; ++i)
    page.items.push_back(*keyed[i].order);
  return page;
}

std::vector<TodoItem> Register::todo(UserId actor) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  std::vector<TodoItem> out;
  for (const auto& row : impl_->orders) {
    const Order& o = row.record;
    if (o.closed || !a.sees(o)) continue;
    if (o.kind == OrderKind::contact_order && detail::assigned_to(o, actor))
      out.push_back({o.planned, o.id, 0, o.subject});
    for (const auto& b : o.bookings)
      if (b.user == actor && !b.done) out.push_back({b.when, o.id, b.id, b.text.empty() ? o.subject : b.text});
  }
  std::stable_sort(out.begin(), out.end(), [](const TodoItem& x, const TodoItem& y) {
    if (x.when.has_value() != y.when.has_value()) return x.when.has_value();
    if (x.when != y.when) return *x.when < *y.when;
    return std::tie(x.order, x.booking) < std::tie(y.order, y.booking);
  });
  return out;
}

std::vector<Reminder> Register::due_reminders(UserId actor, Timestamp now) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  std::vector<Reminder> out;
  for (const auto& row : impl_->orders) {
    const Order& o = row.record;
    if (o.closed || !a.sees(o)) continue;
    for (const auto& b : o.bookings)
      if (!b.done && b.when <= now && (b.user == actor || a.administrator())) out.push_back({o.id, b, {}});
  }
  // Reminders on customers, due and not done.
  auto& by_k = impl_->activities.get<by_kind>();
  for (auto it = by_k.lower_bound(std::make_tuple(ActivityKind::reminder));
       it != by_k.end() && it->kind() == ActivityKind::reminder && it->at() <= now; ++it)
    if (!it->record.done && (it->record.owner == actor || a.administrator()) && a.sees(it->record)) out.push_back({{}, {}, it->record});
  auto when = [](const Reminder& x) { return x.activity ? x.activity->at : x.booking.when; };
  auto id = [](const Reminder& x) { return x.activity ? x.activity->id.value : 0; };
  std::stable_sort(out.begin(), out.end(), [&](const Reminder& x, const Reminder& y) {
    return std::make_tuple(when(x), x.order, x.booking.id, id(x)) < std::make_tuple(when(y), y.order, y.booking.id, id(y));
  });
  return out;
}

Recipients Register::recipients(UserId actor, OrderId id) const {
  std::shared_lock lock(impl_->mutex);
  const Register::Impl& r = *impl_;
  const Access a(r, r.actor(actor));
  auto it = r.orders.find(id.value);
  if (it == r.orders.end() || !a.sees(it->record))
    throw NotFound("order " + std::to_string(id.value) + " does not exist");
  const Order& o = it->record;
  if (o.kind != OrderKind::work_order && o.kind != OrderKind::service_order)
    throw ValidationError("kind", "only work orders and service orders (their service protocols) are sent; this is a " +
                                      std::string(enum_name(o.kind)));
  std::vector<const ContactRow*> flagged;
  auto [lb, ub] = r.links.get<by_customer>().equal_range(std::make_tuple(o.customer.value));
  for (auto l = lb; l != ub; ++l) {
    bool wanted = o.kind == OrderKind::work_order ? l->link.send_work_orders : l->link.send_service_protocol;
    if (wanted) flagged.push_back(&*r.contacts.find(l->contact()));
  }
  std::sort(flagged.begin(), flagged.end(), [](const ContactRow* x, const ContactRow* y) {
    return std::tie(x->last_name_order, x->first_name_order, x->record.id) <
           std::tie(y->last_name_order, y->first_name_order, y->record.id);
  });
  Recipients out;
  for (const ContactRow* c : flagged) {
    Recipient rec{c->record.id, std::string(trim(c->record.first_name + " " + c->record.last_name)), c->record.email};
    (rec.email.empty() ? out.without_email : out.to).push_back(std::move(rec));
  }
  return out;
}

std::vector<Article> Register::articles(UserId actor) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  std::vector<Article> out;
  if (a.customer_user()) return out;
  for (const auto& row : impl_->articles.get<by_number>()) out.push_back(row.record);
  return out;
}

std::optional<Article> Register::find_article_by_number(UserId actor, std::string_view number) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  if (!is_valid_utf8(number)) throw ValidationError("number", "is not valid UTF-8");
  if (a.customer_user()) return std::nullopt;
  auto& by_num = impl_->articles.get<by_number>();
  auto it = by_num.find(case_fold(trim(number)));
  if (it == by_num.end()) return std::nullopt;
  return it->record;
}

std::vector<OrderFilter> Register::order_filters(UserId actor) const {
  std::shared_lock lock(impl_->mutex);
  impl_->actor(actor);
  std::vector<OrderFilter> out;
  auto [lb, ub] = impl_->order_filters.equal_range(std::make_tuple(actor.value));
  for (auto it = lb; it != ub; ++it) out.push_back(it->record);
  return out;
}

}  // namespace kartotek
