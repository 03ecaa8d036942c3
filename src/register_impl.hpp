// src/register_impl.hpp: the state behind a Register and the transaction that
// makes every command all-or-nothing. Private to the library.
#pragma once

#include <algorithm>
#include <bitset>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "kartotek/internal/stores.hpp"
#include "kartotek/register.hpp"
#include "kartotek/text.hpp"
#include "history_codec.hpp"
#include "storage.hpp"
#include "writer_first_mutex.hpp"

namespace kartotek {

namespace internal {
struct SimilarIndex;
struct SimilarIndexes;  // src/duplicates.cpp
struct SearchTexts;     // src/search_texts.hpp
}  // namespace internal

// Counters hand out ids and change numbers; they only ever grow.
struct Counters {
  std::uint64_t customer = 0;
  std::uint64_t contact = 0;
  std::uint64_t facility = 0;
  std::uint64_t service_object = 0;
  std::uint64_t user = 0;
  std::uint64_t history = 0;
  std::uint64_t change = 0;
  std::uint64_t user_group = 0;
  std::uint64_t notification = 0;
  std::uint64_t order = 0;
  std::uint64_t article = 0;
  std::uint64_t activity = 0;
  // The last running number of each kind of order, by OrderKind; shorter
  // when kinds have not been used yet.
  std::vector<std::uint64_t> order_numbers;
};

template <> struct Describe<Counters> {
  static constexpr auto fields = std::make_tuple(
      field("customer", &Counters::customer), field("contact", &Counters::contact),
      field("facility", &Counters::facility), field("service_object", &Counters::service_object),
      field("user", &Counters::user), field("history", &Counters::history),
      field("change", &Counters::change), field("user_group", &Counters::user_group, 2),
      field("notification", &Counters::notification, 3), field("order", &Counters::order, 4),
      field("article", &Counters::article, 4), field("order_numbers", &Counters::order_numbers, 4),
      field("activity", &Counters::activity, 5));
};

// RetiredNumber: a customer number (case-folded) that is never handed out again.
struct RetiredNumber {
  std::string number;
  CustomerId customer;
};

template <> struct Describe<RetiredNumber> {
  static constexpr auto fields = std::make_tuple(field("number", &RetiredNumber::number),
                                                 field("customer", &RetiredNumber::customer));
};

// MergedNumber: the number (case-folded) of a customer merged into another
// (MergeCustomers), and the customer it now finds. It is a retired number
// too; merges chain, so it always names a customer that exists.
struct MergedNumber {
  std::string number;
  CustomerId customer;
};

template <> struct Describe<MergedNumber> {
  static constexpr auto fields = std::make_tuple(field("number", &MergedNumber::number),
                                                 field("customer", &MergedNumber::customer));
};

// StateParts: the whole state as plain records, in id order; what snapshots
// and the JSON export hold.
struct StateParts {
  Settings settings;
  Counters counters;
  std::vector<RetiredNumber> retired_numbers;
  std::vector<Customer> customers;
  std::vector<Contact> contacts;
  std::vector<ContactLink> contact_links;
  std::vector<Facility> facilities;
  std::vector<ServiceObject> service_objects;
  std::vector<User> users;
  std::vector<HistoryEntry> history;
  std::vector<UserGroup> user_groups;
  std::vector<Notification> notifications;
  std::vector<Order> orders;
  std::vector<Article> articles;
  std::vector<OrderFilter> order_filters;
  std::vector<Activity> activities;
  std::vector<FieldDefinition> field_definitions;
  std::vector<MergedNumber> merged_numbers;
};

template <> struct Describe<StateParts> {
  static constexpr auto fields = std::make_tuple(
      field("settings", &StateParts::settings), field("counters", &StateParts::counters),
      field("retired_numbers", &StateParts::retired_numbers), field("customers", &StateParts::customers),
      field("contacts", &StateParts::contacts), field("contact_links", &StateParts::contact_links),
      field("facilities", &StateParts::facilities), field("service_objects", &StateParts::service_objects),
      field("users", &StateParts::users), field("history", &StateParts::history),
      field("user_groups", &StateParts::user_groups, 2),
      field("notifications", &StateParts::notifications, 3), field("orders", &StateParts::orders, 4),
      field("articles", &StateParts::articles, 4), field("order_filters", &StateParts::order_filters, 4),
      field("activities", &StateParts::activities, 5),
      field("field_definitions", &StateParts::field_definitions, 6),
      field("merged_numbers", &StateParts::merged_numbers, 7));
};

// RegisterMutex: the register's reader-writer lock, which refuses a second
// lock by a thread that already holds it (a progress callback of an import
// calling back into its register) with Conflict instead of deadlocking. A
// waiting writer goes before readers that come after it.
class RegisterMutex {
 public:
  void lock() {
    enter();
    try {
      mutex_.lock();
    } catch (...) {
      leave();
      throw;
    }
  }
  void unlock() {
    mutex_.unlock();
    leave();
  }
  void lock_shared() {
    enter();
    try {
      mutex_.lock_shared();
    } catch (...) {
      leave();
      throw;
    }
  }
  void unlock_shared() {
    mutex_.unlock_shared();
    leave();
  }

 private:
  // The registers this thread holds locked; rarely more than one.
  static std::vector<const RegisterMutex*>& held() {
    thread_local std::vector<const RegisterMutex*> registers;
    return registers;
  }
  void enter() {
    auto& h = held();
    if (std::find(h.begin(), h.end(), this) != h.end())
      throw Conflict(
          "the register is already in use by this thread (a progress callback may not use its own register)");
    h.push_back(this);
  }
  void leave() {
    auto& h = held();
    h.erase(std::find(h.begin(), h.end(), this));
  }

  internal::WriterFirstMutex mutex_;
};

struct Register::Impl {
  explicit Impl(std::shared_ptr<const Clock> c, Settings s);

  std::shared_ptr<const Clock> clock;
  Settings settings;
  std::unique_ptr<TextRules> text;
  Counters counters;

  internal::CustomerStore customers;
  internal::ContactStore contacts;
  internal::LinkStore links;
  internal::FacilityStore facilities;
  internal::ServiceObjectStore service_objects;
  internal::UserStore users;
  internal::UserGroupStore user_groups;
  internal::NotificationStore notifications;  // the outbox: until acknowledged
  internal::OrderStore orders;
  internal::ArticleStore articles;
  internal::OrderFilterStore order_filters;
  internal::ActivityStore activities;
  // The custom field definitions, by kind and key (a few dozen at most).
  std::vector<FieldDefinition> field_definitions;
  internal::HistoryLog history;
  internal::HistoryKeys history_keys;  // the names `history` packs by number
  // Numbers (case-folded) that are no longer in use but must never be handed
  // to another customer: those of deleted customers and the former numbers of
  // renumbered ones, each with the customer it belonged to.
  std::map<std::string, CustomerId> retired_numbers;
  // The numbers (case-folded) of customers merged into others, each with
  // the customer it finds now; every one is also a retired number.
  std::map<std::string, CustomerId> merged_numbers;

  mutable RegisterMutex mutex;
  // The folded names Register::similar_customers and similar_contacts keep
  // between calls (src/duplicates.cpp), made by the first such call.
  mutable std::mutex similar_mutex;
  mutable std::shared_ptr<internal::SimilarIndexes> similar_indexes;
  // The packed texts substring searches scan (src/search_texts.hpp), made
  // by the first search.
  mutable std::mutex search_mutex;
  mutable std::shared_ptr<internal::SearchTexts> search_texts;
  // Grows whenever rows of the stores may have been re-made without a
  // history entry naming them: undo steps (which re-insert erased rows)
  // and a change of locale (which rebuilds every customer and contact
  // row). What holds pointers to rows is built anew when it changes.
  std::uint64_t row_epoch = 0;

  // Persistence (empty for a register in memory). The lock is declared before
  // the journal so that it is released only after the journal's final sync.
  std::filesystem::path directory;
  std::shared_ptr<FileSystem> file_system;
  std::shared_ptr<void> directory_lock;
  // Shared: a writer waiting for durability outside the lock keeps it alive
  // across a concurrent close().
  std::shared_ptr<storage::Journal> journal;
  OpenReport report;
  bool closed = false;  // by close(): commands are refused

  // Rows with their derived keys under the current TextRules.
  internal::CustomerRow customer_row(Customer c) const;
  internal::ContactRow contact_row(Contact c) const;
  internal::UserRow user_row(User u) const;
  internal::ArticleRow article_row(Article a) const;
  internal::OrderFilterRow order_filter_row(OrderFilter f) const;

  // The acting user, who must exist, be active and not be locked; else
  // PermissionDenied.
  const User& actor(UserId id) const;
};

// Access: what one user may see and do (docs/rights.md). Made per command
// or read, under the register's lock.
class Access {
 public:
  // `trusted`: for replaying the journal, whose commands were authorized
  // when they were applied; everything is allowed.
  Access(const Register::Impl& r, const User& user, bool trusted = false);

  const User& user() const { return user_; }
  bool administrator() const { return all_; }
  bool customer_user() const { return user_.kind == UserKind::customer; }
  // Holds `right` (an administrator holds all; a customer user none).
  bool has(Right right) const;
  // Throws PermissionDenied naming the right `what` needs.
  void require(Right right, const std::string& what) const;
  void require_administrator(const std::string& what) const;

  // Whether the record is within this user's sight. A child record (a
  // facility, a service object) is visible only while its customer is.
  bool sees(const Customer& c) const;
  bool sees(const Contact& c) const;
  bool sees(const Facility& f) const;
  bool sees(const ServiceObject& s) const;
  bool sees_link(const ContactLink& l) const;  // the customer side decides
  // Whether the history of `record` is visible; `deleted` is the record's
  // last state for a record that no longer exists.
  bool sees_history_of(RecordRef record) const;

  // Whether the user may change the (visible) record: the module's edit
  // right, or its "only assigned" variant for a record assigned to him.
  bool edits(const Customer& c) const;
  bool edits(const Contact& c) const;
  bool edits(const Facility& f) const;
  bool edits(const ServiceObject& s) const;

  // The customers one of the customer module's "assigned" rights reaches.
  bool assigned(const Customer& c) const;

  // Orders: the rights of the order's module (contact_orders for contact
  // orders, orders for the other kinds); docs/rights.md.
  struct OrderRights {
    Right view, view_assigned, edit, edit_assigned, create, remove, upload, assign, assign_self, delete_files;
    bool has_edit_assigned;  // contact orders have no "edit only assigned"
  };
  static OrderRights order_rights(OrderKind kind);
  bool sees(const Order& o) const;
  bool edits(const Order& o) const;

  // Activities (docs/crm.md): seen by whoever sees the record they are on,
  // except a note on a private customer (its author, the customer's
  // assigned technician and administrators) and restricted e-mails
  // (administrators). Never by customer users.
  bool sees(const Activity& a) const;
  // Whether the user may add to, or change, the activities of the record
  // `a` is on (the module's edit right on it).
  bool edits_parent(const Activity& a) const;

  // For search: every customer (all), only those assigned to the user, only
  // the customer user's own, or none.
  enum class Scope { none, assigned, own, all };
  Scope customer_scope() const;
  Scope contact_scope() const;

 private:
  bool assigned_contact(const Contact& c) const;
  const Customer* customer_of(CustomerId id) const;

  const Register::Impl& r_;
  const User& user_;
  bool all_;  // an administrator, or trusted
  // By Right's number, which stays below kSlots: on the stack, as an Access
  // is made for every read and command.
  static constexpr std::size_t kSlots = 600;
  std::bitset<kSlots> rights_;
};

// Transaction: collects the undo steps of one command. Destroyed without
// commit() (a validation failed half-way, an allocation failed), it undoes
// every step in reverse order, so the register is as it was before.
class Transaction {
 public:
  // `actor` may be null only for CreateFirstAdministrator, which names the
  // actor (the new user) with set_actor() before it records history.
  Transaction(Register::Impl& impl, const User* actor, Source source, Timestamp now);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Timestamp now() const { return now_; }
  std::uint64_t change() const { return change_; }
  const User& actor() const { return *actor_; }
  // Set while the journal is replayed: authorization was decided when the
  // command was first applied.
  bool replaying = false;
  void set_actor(const User* actor) { actor_ = actor; }
  // The source of the history entries recorded from now on (a merge records
  // its entries as Source::merge, however it was applied).
  void set_source(Source source) { source_ = source; }
  // True when the command changed something (it then has a change number).
  bool changed() const { return !undo_.empty(); }

  // Undo steps locate rows by key, never by iterator: a later step may have
  // erased and re-inserted the row.
  template <class Store, class Row>
  void insert(Store& store, Row row);
  template <class Store, class Row>
  void replace(Store& store, const Row& row);
  template <class Store, class Row>
  void erase(Store& store, const Row& row);

  // An undo step runs when the transaction is destroyed, after the command's
  // handler (an Applier) is gone: it may capture the register's state, never
  // the handler.
  void on_undo(std::function<void()> step) { undo_.push_back(std::move(step)); }

  void record(RecordRef record, Action action, std::string field, Value old_value,
              Value new_value);

  // Savepoint: where a part of a command (a row of an import) began, so
  // that a failed part can be undone while the rest stays.
  struct Savepoint {
    std::size_t steps = 0;
    Counters counters;
    std::uint64_t next_number = 0;
  };
  Savepoint savepoint() const { return {undo_.size(), impl_.counters, impl_.settings.next_number}; }
  // Undoes every step since `point`; the command keeps its change number.
  void rollback_to(const Savepoint& point);

  // A command that changed nothing gives its change number back.
  void commit() {
    committed_ = true;
    if (undo_.empty()) impl_.counters.change = counters_before_.change;
  }

 private:
  Register::Impl& impl_;
  const User* actor_;
  Source source_;
  Timestamp now_;
  std::uint64_t change_;
  Counters counters_before_;
  Settings settings_before_;
  std::vector<std::function<void()>> undo_;
  bool committed_ = false;
};

namespace internal {

// The key that finds a row again in its store's first index.
inline std::uint64_t first_key(const CustomerRow& r) { return r.id(); }
inline std::uint64_t first_key(const ContactRow& r) { return r.id(); }
inline std::uint64_t first_key(const FacilityRow& r) { return r.id(); }
inline std::uint64_t first_key(const ServiceObjectRow& r) { return r.id(); }
inline std::uint64_t first_key(const UserRow& r) { return r.id(); }
inline std::uint64_t first_key(const UserGroupRow& r) { return r.id(); }
inline std::uint64_t first_key(const NotificationRow& r) { return r.id(); }
inline std::uint64_t first_key(const OrderRow& r) { return r.id(); }
inline std::uint64_t first_key(const ArticleRow& r) { return r.id(); }
inline std::uint64_t first_key(const ActivityRow& r) { return r.id(); }
inline std::tuple<std::uint64_t, std::string> first_key(const OrderFilterRow& r) {
  return {r.owner(), r.name_key};
}
inline std::tuple<std::uint64_t, std::uint64_t> first_key(const LinkRow& r) {
  return {r.customer(), r.contact()};
}

}  // namespace internal

template <class Store, class Row>
void Transaction::insert(Store& store, Row row) {
  auto key = internal::first_key(row);
  if (!store.insert(std::move(row)).second)
    throw Conflict("a record with the same unique key already exists");
  on_undo([&store, key] { store.erase(store.find(key)); });
}

template <class Store, class Row>
void Transaction::replace(Store& store, const Row& row) {
  auto key = internal::first_key(row);
  auto it = store.find(key);
  Row old = *it;
  if (!store.replace(it, row))
    throw Conflict("a record with the same unique key already exists");
  on_undo([&store, key, old = std::move(old)] { store.replace(store.find(key), old); });
}

template <class Store, class Row>
void Transaction::erase(Store& store, const Row& row) {
  auto key = internal::first_key(row);
  Row old = row;
  store.erase(store.find(key));
  on_undo([&store, old = std::move(old)] { store.insert(old); });
}

// run_command: authorizes, validates and applies `command` in `tx`; returns
// the record a Create* command made.
RecordRef run_command(Register::Impl& impl, Transaction& tx, const Command& command);

// The whole state as parts, and a fresh Impl from parts: checked for unique
// keys, references to existing records and ids within their counters (throws
// Corrupt otherwise). Snapshots keep the history packed (`history` empty,
// `packed` holding it: history_codec.hpp); the JSON form has every entry in
// `history`.
StateParts state_parts(const Register::Impl& impl, bool with_history = true);
std::unique_ptr<Register::Impl> assemble(StateParts parts, std::shared_ptr<const Clock> clock,
                                         internal::PackedHistory* packed = nullptr);

// The deterministic binary form of the whole state, and a fresh Impl from it
// (throws Corrupt on anything that is not a valid state).
std::string state_payload(const Register::Impl& impl);
// The same bytes made from state_parts(impl, false): what state_payload is
// checked against.
std::string state_payload_by_copy(const Register::Impl& impl);
// The whole snapshot file of the state (storage::encode_snapshot of
// state_payload), made without copying the payload.
std::string snapshot_file(const Register::Impl& impl);
std::unique_ptr<Register::Impl> load_state(std::string_view payload, std::shared_ptr<const Clock> clock,
                                           std::uint32_t format = kCurrentFormat);

// Text checks shared by the apply and query paths.
void check_text(const std::string& field, const std::string& value, std::size_t max_chars,
                bool multiline = false);

}  // namespace kartotek
