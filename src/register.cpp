// src/register.cpp: the apply path of every command and the plain reads.
// The command handlers are in src/applier.hpp (orders: src/orders.cpp),
// search and lists in src/search.cpp.

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <ostream>
#include <sstream>

#include "kartotek/version.hpp"
#include "applier.hpp"

namespace kartotek {

using namespace internal;
using detail::Applier;

const char* version() noexcept { return KARTOTEK_VERSION_STRING; }


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
  if (!undo_.empty()) ++impl_.row_epoch;
  for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) (*it)();
  impl_.counters = counters_before_;
  impl_.settings = settings_before_;
}

void Transaction::rollback_to(const Savepoint& point) {
  if (undo_.size() > point.steps) ++impl_.row_epoch;
  while (undo_.size() > point.steps) {
    undo_.back()();
    undo_.pop_back();
  }
  const std::uint64_t change = impl_.counters.change;
  impl_.counters = point.counters;
  impl_.counters.change = change;
  impl_.settings.next_number = point.next_number;
}

void Transaction::record(RecordRef record, Action action, std::string field, Value old_value,
                         Value new_value) {
  HistoryEntry entry;
  entry.sequence = ++impl_.counters.history;
  entry.change = change_;
  entry.at = now_;
  entry.actor = actor_->id;
  entry.source = source_;
  entry.record = record;
  entry.action = action;
  entry.field = std::move(field);
  entry.old_value = std::move(old_value);
  entry.new_value = std::move(new_value);
  // Names the entry brings to the key table leave with it when the command
  // is undone: a refused command leaves the state exactly as it was.
  const std::size_t keys_before = impl_.history_keys.size();
  HistoryRow row = pack_row(impl_.history_keys, entry);
  if (impl_.history_keys.size() != keys_before)
    on_undo([&r = impl_, keys_before] { r.history_keys.truncate(keys_before); });
  if (!impl_.history.append(row)) throw Conflict("a history entry with the same sequence number already exists");
  on_undo([&h = impl_.history, sequence = row.seq] { h.pop_back(sequence); });
}

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
  const std::string key = case_fold(trim(number));
  if (auto it = by_num.find(key); it != by_num.end()) {
    if (!a.sees(it->record)) return std::nullopt;
    return it->record;
  }
  // The number of a customer merged into another finds the one it became.
  auto merged = impl_->merged_numbers.find(key);
  if (merged == impl_->merged_numbers.end()) return std::nullopt;
  auto it = impl_->customers.find(merged->second.value);
  if (it == impl_->customers.end() || !a.sees(it->record)) return std::nullopt;
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
  for (std::size_t i : impl_->history.rows_of(record.kind, record.id)) {
    const HistoryRowView row = impl_->history[i];
    if (range.contains(row.at())) out.push_back(unpack_row(impl_->history_keys, row));
  }
  return out;
}

std::vector<HistoryEntry> Register::history(UserId actor, TimeRange range) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  std::vector<HistoryEntry> out;
  std::map<RecordRef, bool> visible;  // asked once per record
  impl_->history.for_each_in(range, [&](const HistoryRowView& row) {
    const RecordRef record{row.kind(), row.record_id()};
    auto [v, fresh] = visible.try_emplace(record, false);
    if (fresh) v->second = a.sees_history_of(record);
    if (v->second) out.push_back(unpack_row(impl_->history_keys, row));
  });
  return out;  // in sequence order, as the log keeps them
}

Register::Counts Register::counts() const {
  std::shared_lock lock(impl_->mutex);
  return {impl_->customers.size(),       impl_->contacts.size(), impl_->facilities.size(),
          impl_->service_objects.size(), impl_->users.size(),    impl_->history.size(),
          impl_->orders.size(),          impl_->activities.size()};
}

void Register::write_state(std::ostream& out) const {
  std::shared_lock lock(impl_->mutex);
  out << state_payload(*impl_);
}

}  // namespace kartotek
