// kartotek/register.hpp: Register, the one way into a register's data.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "kartotek/clock.hpp"
#include "kartotek/commands.hpp"
#include "kartotek/contact.hpp"
#include "kartotek/crm.hpp"
#include "kartotek/customer.hpp"
#include "kartotek/facility.hpp"
#include "kartotek/history.hpp"
#include "kartotek/order.hpp"
#include "kartotek/query.hpp"
#include "kartotek/settings.hpp"
#include "kartotek/storage.hpp"
#include "kartotek/transfer.hpp"
#include "kartotek/user.hpp"
#include "kartotek/vcard.hpp"

namespace kartotek {

// LinkedContact: a contact person of a customer with the link's role and flags.
struct LinkedContact {
  ContactLink link;
  Contact contact;
};

// Register: the data of one group — customers, contacts, facilities, service
// objects, users, settings and history.
//
// Every change is a command applied through apply() on behalf of an actor (an
// active user): it is authorized, validated, applied whole or not at all, and
// recorded in history. A refused command throws (PermissionDenied,
// ValidationError, Conflict, NotFound) and leaves the register exactly as it
// was. Every read takes the actor too.
//
// Thread safety: all member functions may be called from several threads at
// once; reads run in parallel, commands one at a time. Results are copies
// owned by the caller.
class Register {
 public:
  // A register in memory, with the system clock or the given one.
  Register();
  explicit Register(std::shared_ptr<const Clock> clock, Settings settings = {});
  ~Register();
  Register(Register&&) noexcept;
  Register& operator=(Register&&) noexcept;
  Register(const Register&) = delete;
  Register& operator=(const Register&) = delete;

  // open: the register kept in directory `path`: its snapshot is loaded and
  // its journal replayed. A torn last journal record (a write cut off by a
  // crash) is cut and reported in open_report(); damage anywhere else throws
  // Corrupt, saying where, and leaves the files untouched. A missing register
  // is created when `options.create` is set (else NotFound). While open, the
  // directory is locked: a second open, from this or another process, throws
  // Conflict. From then on every command is journaled before apply() returns
  // (durable by `options.durability`).
  static Register open(const std::filesystem::path& path, OpenOptions options = {});

  // What open() found; default-constructed for a register in memory.
  const OpenReport& open_report() const;
  // True for a register opened on a path.
  bool persistent() const;
  // compact: writes the whole state as a new snapshot (to a temporary file,
  // synced, renamed over the old one, directory synced) and starts an empty
  // journal. A crash at any step leaves a register that opens with every
  // acknowledged change. Commands wait while it runs.
  void compact();
  // export_json: the whole register — settings, counters, retired numbers,
  // every record and the whole history — as one JSON document in the schema
  // of docs/json-schema.md (records in the same form as everywhere else).
  // Administrators only.
  std::string export_json(UserId actor) const;

  // import_json: a register in memory holding exactly what `json` (an
  // export_json document) holds; export_json of it gives the same document.
  // Throws ValidationError naming the path for a document of the wrong shape
  // and Corrupt for one whose records contradict each other.
  static Register import_json(std::string_view json, std::shared_ptr<const Clock> clock = nullptr);

  // save_as: writes this register's whole state as a new register in the
  // empty or missing directory `path` (a snapshot and an empty journal).
  void save_as(const std::filesystem::path& path, std::shared_ptr<FileSystem> file_system = nullptr) const;

  // sync: makes every applied command durable now (for the batch and none
  // durability modes; a no-op in sync mode and in memory).
  void sync();

  // close: makes every applied command durable, closes the journal and
  // releases the directory lock, so that another process may open the
  // register. Afterwards reads still answer from memory, but commands and
  // compact() throw Conflict. Closing twice, or a register in memory, is
  // allowed. A failed final sync throws IoError and leaves it open. The
  // destructor closes too, without throwing.
  void close();
  bool closed() const;

  // create_first_administrator: the register's first user, an administrator.
  // Throws Conflict when the register already has users.
  UserId create_first_administrator(const std::string& login, const std::string& name);

  // apply: applies `command` for `actor`; returns the command's Result (the new
  // record's id for Create* commands).
  template <class C>
  typename C::Result apply(UserId actor, C command, Source source = Source::api) {
    Applied applied = apply_command(actor, Command(std::move(command)), source);
    if constexpr (!std::is_void_v<typename C::Result>)
      return typename C::Result{applied.created.id};
  }
  Applied apply_command(UserId actor, const Command& command, Source source = Source::api);

  // ---- reads ----
  // Every read is filtered by the actor's rights (docs/rights.md): a record
  // he may not see is, to him, one that does not exist (NotFound, nullopt,
  // absent from lists and searches, no history).
  std::optional<Customer> find_customer(UserId actor, CustomerId id) const;
  // By number, compared after trimming and ignoring case.
  std::optional<Customer> find_customer_by_number(UserId actor, std::string_view number) const;
  Customer customer(UserId actor, CustomerId id) const;  // throws NotFound
  Page<Customer> search_customers(UserId actor, const CustomerQuery& query) const;

  std::optional<Contact> find_contact(UserId actor, ContactId id) const;
  Contact contact(UserId actor, ContactId id) const;  // throws NotFound
  Page<Contact> search_contacts(UserId actor, const ContactQuery& query) const;
  // The contact persons of a customer, ordered by last and first name.
  std::vector<LinkedContact> contacts_of(UserId actor, CustomerId customer) const;
  // The customers a contact is linked to, in customer id order.
  std::vector<ContactLink> links_of(UserId actor, ContactId contact) const;

  std::optional<Facility> find_facility(UserId actor, FacilityId id) const;
  Facility facility(UserId actor, FacilityId id) const;  // throws NotFound
  std::vector<Facility> facilities_of(UserId actor, CustomerId customer) const;

  std::optional<ServiceObject> find_service_object(UserId actor, ServiceObjectId id) const;
  ServiceObject service_object(UserId actor, ServiceObjectId id) const;  // throws NotFound
  std::vector<ServiceObject> service_objects_of(UserId actor, FacilityId facility) const;

  // Staff see every user; a customer user sees only himself.
  std::optional<User> find_user(UserId actor, UserId id) const;
  User user(UserId actor, UserId id) const;  // throws NotFound
  std::vector<User> users(UserId actor) const;
  // User groups: seen by staff, not by customer users.
  std::optional<UserGroup> find_user_group(UserId actor, UserGroupId id) const;
  std::vector<UserGroup> user_groups(UserId actor) const;
  // The rights `user` holds, his own and his groups', in Right order (every
  // right for an administrator, none for a customer user).
  std::vector<Right> rights_of(UserId actor, UserId user) const;
  // assign_menu: the active staff users by user group, groups by name and
  // the users in no group last, for choosing whom to assign (staff only).
  std::vector<AssignableGroup> assign_menu(UserId actor) const;

  Settings settings(UserId actor) const;

  // ---- orders (docs/orders.md) ----
  std::optional<Order> find_order(UserId actor, OrderId id) const;
  Order order(UserId actor, OrderId id) const;  // throws NotFound
  std::optional<Order> find_order_by_number(UserId actor, OrderKind kind, std::uint64_t number) const;
  // search_orders: the orders the actor sees that `query` keeps, sorted and
  // cut as it says; `total` counts them all. With `query.customer` set this
  // is the order list of a customer card (first 10; "view all" asks for
  // limit = total).
  Page<Order> search_orders(UserId actor, const OrderQuery& query) const;
  // todo: the actor's to-do list: his open contact orders and his bookings
  // not yet done, by date (undated last).
  std::vector<TodoItem> todo(UserId actor) const;
  // due_reminders: the bookings and the reminders on customers due at `now`
  // (time come, not done), oldest first: the actor's own; an
  // administrator's call lists everyone's.
  std::vector<Reminder> due_reminders(UserId actor, Timestamp now) const;
  // recipients: who a work order or a service order's protocol is sent to.
  // Throws ValidationError (field "kind") for other kinds.
  Recipients recipients(UserId actor, OrderId order) const;
  // The article catalogue, by number (staff only).
  std::vector<Article> articles(UserId actor) const;
  std::optional<Article> find_article_by_number(UserId actor, std::string_view number) const;
  // The actor's saved favourite filters, by name.
  std::vector<OrderFilter> order_filters(UserId actor) const;

  // search_facilities: the facilities the actor sees that `query` keeps.
  Page<Facility> search_facilities(UserId actor, const FacilityQuery& query) const;

  // ---- CSV import and list export (docs/import-export.md) ----
  // import_csv: customers, contacts (with their links to customers) or
  // facilities from the bytes of a CSV file, as one command: every imported
  // record is in history as made by `actor` (source import). Needs the
  // list's upload right besides the rights each record needs (create, and
  // edit for an upsert). A refused file (an encoding or CSV error, a header
  // twice, a mapping naming an unknown column) throws ValidationError;
  // refused rows are reported, not thrown.
  ImportReport import_csv(UserId actor, std::string_view bytes, const ImportOptions& options);
  // export_*: the list `query` gives (its filters, sort and paging), as
  // `options.format` with `options.columns`. An unknown column throws
  // ValidationError; a cancelled export throws Conflict.
  std::string export_customers(UserId actor, const CustomerQuery& query, const ExportOptions& options = {}) const;
  std::string export_contacts(UserId actor, const ContactQuery& query, const ExportOptions& options = {}) const;
  std::string export_facilities(UserId actor, const FacilityQuery& query, const ExportOptions& options = {}) const;
  std::string export_orders(UserId actor, const OrderQuery& query, const ExportOptions& options = {}) const;
  // columns: the import and export columns of a list, in export order.
  static std::vector<ColumnInfo> columns(ListKind kind);

  // ---- vCard (docs/vcard.md) ----
  // customer_vcard / contact_vcard: the record's contact data as a vCard
  // (kartotek/vcard.hpp), for a QR code a phone reads. A record the actor
  // may not see is NotFound. A contact's ORG is the first of his companies
  // the actor sees, in customer id order.
  std::string customer_vcard(UserId actor, CustomerId customer, VCardVersion version = VCardVersion::v4_0) const;
  std::string contact_vcard(UserId actor, ContactId contact, VCardVersion version = VCardVersion::v4_0) const;

  // notifications: the actor's own notifications still in the outbox,
  // oldest first, at most `limit`. outbox: everybody's, for the host that
  // delivers them (administrators only). Both stay until acknowledged with
  // AcknowledgeNotifications.
  std::vector<Notification> notifications(UserId actor, std::size_t limit = 100) const;
  std::vector<Notification> outbox(UserId actor, std::size_t limit = 100) const;

  // history: a record's entries (or every record's) within `range`, oldest first.
  std::vector<HistoryEntry> history(UserId actor, RecordRef record, TimeRange range = {}) const;
  std::vector<HistoryEntry> history(UserId actor, TimeRange range = {}) const;

  // ---- the CRM (docs/crm.md) ----
  // Activities — notes, meetings, tasks, e-mails, journal entries, files and
  // reminders — are seen by whoever sees the customer or contact they are
  // on, except notes on private customers and restricted e-mails.
  std::optional<Activity> find_activity(UserId actor, ActivityId id) const;
  Activity activity(UserId actor, ActivityId id) const;  // throws NotFound
  Page<Activity> search_activities(UserId actor, const ActivityQuery& query) const;
  // linked_employees: the staff users linked to a customer directly and
  // those who worked on its orders (assigned, or recording time), by id.
  std::vector<LinkedEmployee> linked_employees(UserId actor, CustomerId customer) const;

  // ---- custom fields (docs/custom-fields.md) ----
  // field_definitions: the custom fields of `kind` (every kind when empty),
  // by kind, display order and key; retired ones only when asked. Staff
  // read them; a customer user gets none.
  std::vector<FieldDefinition> field_definitions(UserId actor, std::optional<RecordKind> kind = std::nullopt,
                                                 bool include_retired = false) const;
  // field_type_conversions: every stored value of field `key` of `kind`
  // that ChangeFieldType to `type` (with `choices`) could not convert, by
  // record id; empty when the change would go through. Administrators only.
  std::vector<FieldConversion> field_type_conversions(UserId actor, RecordKind kind, const std::string& key,
                                                      FieldType type,
                                                      const std::vector<std::string>& choices = {}) const;

  // Number of records of each kind.
  struct Counts {
    std::size_t customers = 0, contacts = 0, facilities = 0, service_objects = 0, users = 0,
                history_entries = 0, orders = 0, activities = 0;
  };
  Counts counts() const;

  // write_state: a deterministic binary dump of the whole state (records in id
  // order, counters, settings, history). Two registers with equal state write
  // equal bytes. It is the payload that snapshots are built on.
  void write_state(std::ostream& out) const;

  struct Impl;  // the library's own; not part of the API

 private:
  explicit Register(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kartotek
