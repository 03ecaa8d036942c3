// kartotek/commands.hpp: every change to a register is one of these commands,
// applied through Register::apply on behalf of an actor. Commands are plain
// data: the same value is validated, applied, recorded in history and (for a
// register on disk) journaled.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kartotek/contact.hpp"
#include "kartotek/crm.hpp"
#include "kartotek/customer.hpp"
#include "kartotek/facility.hpp"
#include "kartotek/ids.hpp"
#include "kartotek/notification.hpp"
#include "kartotek/order.hpp"
#include "kartotek/settings.hpp"
#include "kartotek/transfer.hpp"
#include "kartotek/user.hpp"

namespace kartotek {

// Each command names its Result: what Register::apply returns for it.

// CreateCustomer: `customer.id`, `active`, `created_at`, `revision` and
// `assigned_technician` are set by the register. An empty number is given the
// next generated number when the auto_number setting is on, and refused otherwise.
struct CreateCustomer {
  using Result = CustomerId;
  Customer customer;
};

// UpdateCustomer: replaces the editable fields of customer `customer.id`;
// `customer.revision` must be the current revision (else Conflict). Changing
// the number needs an administrator.
struct UpdateCustomer {
  using Result = void;
  Customer customer;
};

struct DeactivateCustomer {
  using Result = void;
  CustomerId customer;
};

struct ReactivateCustomer {
  using Result = void;
  CustomerId customer;
};

// DeleteCustomer: refused while contacts or facilities are linked to it. The
// number stays retired and is never handed out again.
struct DeleteCustomer {
  using Result = void;
  CustomerId customer;
};

// AssignTechnician: makes `technician` (an active user) responsible for the
// customer; an empty technician removes the assignment.
struct AssignTechnician {
  using Result = void;
  CustomerId customer;
  std::optional<UserId> technician;
};

struct CreateContact {
  using Result = ContactId;
  Contact contact;
};

struct UpdateContact {
  using Result = void;
  Contact contact;
};

// DeleteContact: also removes his links to customers (each in both histories).
struct DeleteContact {
  using Result = void;
  ContactId contact;
};

// LinkContact: makes the contact a contact person of the customer (Conflict
// if he already is one).
struct LinkContact {
  using Result = void;
  ContactLink link;
};

// UpdateContactLink: changes the role and flags of an existing link.
struct UpdateContactLink {
  using Result = void;
  ContactLink link;
};

struct UnlinkContact {
  using Result = void;
  ContactId contact;
  CustomerId customer;
};

struct CreateFacility {
  using Result = FacilityId;
  Facility facility;
};

struct UpdateFacility {
  using Result = void;
  Facility facility;
};

// DeleteFacility: refused while service objects sit at it.
struct DeleteFacility {
  using Result = void;
  FacilityId facility;
};

struct CreateServiceObject {
  using Result = ServiceObjectId;
  ServiceObject service_object;
};

struct UpdateServiceObject {
  using Result = void;
  ServiceObject service_object;
};

struct DeleteServiceObject {
  using Result = void;
  ServiceObjectId service_object;
};

// CreateUser / UpdateUser: administrators only. The last active administrator
// can be neither deactivated nor demoted.
struct CreateUser {
  using Result = UserId;
  User user;
};

struct UpdateUser {
  using Result = void;
  User user;
};

// UpdateSettings: administrators only. `next_number` may only move forward.
struct UpdateSettings {
  using Result = void;
  Settings settings;
};

// CreateFirstAdministrator: the register's first user, an administrator. It is
// the one command without an acting user (he does not exist yet) and is
// refused once the register has users. Use Register::create_first_administrator.
struct CreateFirstAdministrator {
  using Result = UserId;
  std::string login;
  std::string name;
};

// New commands go at the end: the index is part of the journal format.
// CreateUserGroup / UpdateUserGroup / DeleteUserGroup: administrators only.
// A group still holding users cannot be deleted (Conflict naming them).
struct CreateUserGroup {
  using Result = UserGroupId;
  UserGroup group;
};

struct UpdateUserGroup {
  using Result = void;
  UserGroup group;
};

struct DeleteUserGroup {
  using Result = void;
  UserGroupId group;
};

// AcknowledgeNotifications: the host delivered these notifications; they
// leave the outbox. A recipient acknowledges his own, an administrator any.
// Ids no longer in the outbox are skipped (a repeated acknowledgement after
// a crash is harmless).
struct AcknowledgeNotifications {
  using Result = void;
  std::vector<NotificationId> notifications;
};

// CreateCustomerUser: a portal login for contact person `contact` of
// `customer` (name and e-mail from the contact); needs the right
// customers.create_customer_users and sight of the customer.
struct CreateCustomerUser {
  using Result = UserId;
  CustomerId customer;
  ContactId contact;
  std::string login;
};

// SetCustomerUserLocked: locks a customer user out, or lets him in again;
// needs customers.change_customer_user_rights.
struct SetCustomerUserLocked {
  using Result = void;
  UserId user;
  bool locked = true;
};

// DeleteCustomerUser: removes a customer user (his history stays); needs
// customers.delete_customer_users. Staff are deactivated, never deleted.
struct DeleteCustomerUser {
  using Result = void;
  UserId user;
};

// ---- orders (docs/orders.md) ----

// CreateOrder: a new order of `order.kind` for an active customer; the
// register sets its number (the kind's next), status (the kind's first when
// empty), created_*, revision, and copies the customer's service or work
// order articles onto a new service or work order. The customer's assigned
// technician is assigned to it with a notification, besides the users in
// `order.assigned` (which needs the assign right, or assign-self for just
// the actor himself). A contact order may instead name its customer by
// `new_customer` (a customer of that name is used, or else one is created
// with the data given) and its facility by `new_facility` (likewise among
// the customer's facilities). A customer user may file an error report for
// his own customer, and nothing else.
struct CreateOrder {
  using Result = OrderId;
  Order order;
  std::optional<Customer> new_customer;
  std::optional<Facility> new_facility;
};

// UpdateOrder: replaces the editable fields of open order `order.id`
// (facility, service object, contact, subject, description, status,
// planned, cost center, customer's order number, lines, bookings);
// `order.revision` must be current (else Conflict). Lines and bookings with
// id 0 are new; those left out are removed.
struct UpdateOrder {
  using Result = void;
  Order order;
};

// AssignOrder: the users assigned to the order become exactly `users`; the
// newly assigned and the no longer assigned are notified. Needs the assign
// right, or assign-self to add or remove only the actor himself.
struct AssignOrder {
  using Result = void;
  OrderId order;
  std::vector<UserId> users;
};

// AddOrderNote: appends an entry (now, the actor, `text`) to the notes log.
// Allowed on closed orders too; entries are never changed.
struct AddOrderNote {
  using Result = void;
  OrderId order;
  std::string text;
};

// AddTimeEntry: records `hours` the actor spent on the open order.
struct AddTimeEntry {
  using Result = void;
  OrderId order;
  double hours = 0;
  std::string text;
};

// AddOrderFile / RemoveOrderFile: the metadata of an uploaded file (needs
// the upload right; removing needs the delete-files right).
struct AddOrderFile {
  using Result = void;
  OrderId order;
  FileInfo file;
};

struct RemoveOrderFile {
  using Result = void;
  OrderId order;
  std::uint32_t file = 0;
};

// CloseOrder: archives the order (done, still listed, after the open ones,
// notes kept). ReopenOrder opens it again; both need the edit right.
struct CloseOrder {
  using Result = void;
  OrderId order;
};

struct ReopenOrder {
  using Result = void;
  OrderId order;
};

// DeleteOrder: needs the delete right; refused for a contact order that
// became a sales order (and that sales order), which stay traceable.
struct DeleteOrder {
  using Result = void;
  OrderId order;
};

// ConvertToSalesOrder: contact order `order` led to a sale: a sales order
// for the same customer, facility, contact, subject and lines is created,
// linked both ways, and the contact order is closed.
struct ConvertToSalesOrder {
  using Result = OrderId;
  OrderId order;
};

// RaiseReminders: every booking that is due (its time has come, not done)
// and not yet reminded gets a reminder notification to its user, once.
// The host runs it now and then as an administrator.
struct RaiseReminders {
  using Result = void;
};

// CreateArticle / UpdateArticle / DeleteArticle: the article catalogue
// (administrators only). Article numbers are unique, ignoring case.
struct CreateArticle {
  using Result = ArticleId;
  Article article;
};

struct UpdateArticle {
  using Result = void;
  Article article;
};

struct DeleteArticle {
  using Result = void;
  ArticleId article;
};

// SaveOrderFilter: saves the actor's own favourite filter under
// `filter.name` (replacing one of that name). DeleteOrderFilter removes it.
struct SaveOrderFilter {
  using Result = void;
  OrderFilter filter;
};

struct DeleteOrderFilter {
  using Result = void;
  std::string name;
};

// ImportRecords: the rows of an imported CSV file, as Register::import_csv
// makes it: `columns` names the column of each cell (ColumnInfo::name) and
// `cells` holds the rows one after another. Each row is applied as the
// commands it stands for would be (create, or with `upsert` update an
// existing record; deactivate, assign a technician, link to customers),
// with the same rights and checks, and needs the list's upload right. One
// failing row refuses the whole command.
struct ImportRecords {
  using Result = void;
  ListKind kind = ListKind::customers;
  bool upsert = false;
  std::vector<std::string> columns;
  std::vector<std::string> cells;
};

// ---- CRM (docs/crm.md) ----

// CreateActivity: a new note, meeting, task, e-mail, journal entry, file or
// reminder on `activity.customer` or `activity.contact` (exactly one). The
// register sets its id, created_*, revision and the fields it keeps (a
// note's and a journal entry's author, a file's uploader); a task without a
// status gets the first of the settings' task statuses; a meeting, task or
// reminder without an owner is the actor's. Needs the right to edit the
// record it is on; a file needs the upload right instead.
struct CreateActivity {
  using Result = ActivityId;
  Activity activity;
};

// UpdateActivity: replaces the editable fields of `activity.id`
// (`activity.revision` must be current, else Conflict). A note or journal
// entry is changed only by its author or an administrator; files are not
// changed, only removed.
struct UpdateActivity {
  using Result = void;
  Activity activity;
};

// DeleteActivity: removes an activity (its history stays). Notes and journal
// entries: their author or an administrator; files: the delete-files right;
// the rest: the right to edit the record it is on.
struct DeleteActivity {
  using Result = void;
  ActivityId activity;
};

// ReassignActivities: `owner` (an active staff user) becomes the owner of
// every meeting or task listed, at once: all of them or none.
struct ReassignActivities {
  using Result = void;
  std::vector<ActivityId> activities;
  UserId owner;
};

// RestrictEmails: an administrator restricts the e-mails of a contact to
// administrators (`restricted`), or gives the access back.
struct RestrictEmails {
  using Result = void;
  ContactId contact;
  bool restricted = true;
};

// LinkEmployee / UnlinkEmployee: ties a staff user to a customer directly,
// or unties him; needs the right to edit the customer.
struct LinkEmployee {
  using Result = void;
  CustomerId customer;
  UserId user;
};

struct UnlinkEmployee {
  using Result = void;
  CustomerId customer;
  UserId user;
};

// ---- custom fields (docs/custom-fields.md) ----

// DefineField: a new custom field of `field.kind` (administrators only).
struct DefineField {
  using Result = void;
  FieldDefinition field;
};

// UpdateFieldDefinition: relabels, reorders, adds choices, changes whether
// the field is required or searchable and its default (administrators
// only; `field.revision` must be current). The kind, key, type and retired
// flag are changed by their own commands; a choice still held by a record
// cannot be removed.
struct UpdateFieldDefinition {
  using Result = void;
  FieldDefinition field;
};

// RetireField / RestoreField: hides a field, keeping every stored value, or
// shows it again (administrators only).
struct RetireField {
  using Result = void;
  RecordKind kind = RecordKind::customer;
  std::string key;
};

struct RestoreField {
  using Result = void;
  RecordKind kind = RecordKind::customer;
  std::string key;
};

// ChangeFieldType: gives field `key` of `kind` the type `type` (and, for
// choice and multi_choice, the choices `choices`), converting every stored
// value to it; administrators only, `revision` must be the definition's
// current one. When some value does not convert, nothing changes: a
// Conflict names how many do not and the first of them
// (Register::field_type_conversions lists them all).
struct ChangeFieldType {
  using Result = void;
  RecordKind kind = RecordKind::customer;
  std::string key;
  FieldType type = FieldType::text;
  std::vector<std::string> choices;
  std::uint64_t revision = 0;
};

// New commands go at the end: the index is part of stored journal records.
using Command = std::variant<CreateFirstAdministrator, CreateCustomer, UpdateCustomer,
                             DeactivateCustomer, ReactivateCustomer, DeleteCustomer,
                             AssignTechnician, CreateContact, UpdateContact, DeleteContact,
                             LinkContact, UpdateContactLink, UnlinkContact, CreateFacility,
                             UpdateFacility, DeleteFacility, CreateServiceObject,
                             UpdateServiceObject, DeleteServiceObject, CreateUser, UpdateUser,
                             UpdateSettings, CreateUserGroup, UpdateUserGroup, DeleteUserGroup,
                             AcknowledgeNotifications, CreateCustomerUser, SetCustomerUserLocked,
                             DeleteCustomerUser, CreateOrder, UpdateOrder, AssignOrder, AddOrderNote,
                             AddTimeEntry, AddOrderFile, RemoveOrderFile, CloseOrder, ReopenOrder,
                             DeleteOrder, ConvertToSalesOrder, RaiseReminders, CreateArticle, UpdateArticle,
                             DeleteArticle, SaveOrderFilter, DeleteOrderFilter, ImportRecords,
                             CreateActivity, UpdateActivity, DeleteActivity, ReassignActivities,
                             RestrictEmails, LinkEmployee, UnlinkEmployee, DefineField, UpdateFieldDefinition,
                             RetireField, RestoreField, ChangeFieldType>;

// Each command's fields, for its serialized (journal) and JSON forms.
template <> struct Describe<CreateFirstAdministrator> {
  static constexpr auto fields = std::make_tuple(field("login", &CreateFirstAdministrator::login), field("name", &CreateFirstAdministrator::name));
};
template <> struct Describe<CreateCustomer> {
  static constexpr auto fields = std::make_tuple(field("customer", &CreateCustomer::customer));
};
template <> struct Describe<UpdateCustomer> {
  static constexpr auto fields = std::make_tuple(field("customer", &UpdateCustomer::customer));
};
template <> struct Describe<DeactivateCustomer> {
  static constexpr auto fields = std::make_tuple(field("customer", &DeactivateCustomer::customer));
};
template <> struct Describe<ReactivateCustomer> {
  static constexpr auto fields = std::make_tuple(field("customer", &ReactivateCustomer::customer));
};
template <> struct Describe<DeleteCustomer> {
  static constexpr auto fields = std::make_tuple(field("customer", &DeleteCustomer::customer));
};
template <> struct Describe<AssignTechnician> {
  static constexpr auto fields = std::make_tuple(field("customer", &AssignTechnician::customer), field("technician", &AssignTechnician::technician));
};
template <> struct Describe<CreateContact> {
  static constexpr auto fields = std::make_tuple(field("contact", &CreateContact::contact));
};
template <> struct Describe<UpdateContact> {
  static constexpr auto fields = std::make_tuple(field("contact", &UpdateContact::contact));
};
template <> struct Describe<DeleteContact> {
  static constexpr auto fields = std::make_tuple(field("contact", &DeleteContact::contact));
};
template <> struct Describe<LinkContact> {
  static constexpr auto fields = std::make_tuple(field("link", &LinkContact::link));
};
template <> struct Describe<UpdateContactLink> {
  static constexpr auto fields = std::make_tuple(field("link", &UpdateContactLink::link));
};
template <> struct Describe<UnlinkContact> {
  static constexpr auto fields = std::make_tuple(field("contact", &UnlinkContact::contact), field("customer", &UnlinkContact::customer));
};
template <> struct Describe<CreateFacility> {
  static constexpr auto fields = std::make_tuple(field("facility", &CreateFacility::facility));
};
template <> struct Describe<UpdateFacility> {
  static constexpr auto fields = std::make_tuple(field("facility", &UpdateFacility::facility));
};
template <> struct Describe<DeleteFacility> {
  static constexpr auto fields = std::make_tuple(field("facility", &DeleteFacility::facility));
};
template <> struct Describe<CreateServiceObject> {
  static constexpr auto fields = std::make_tuple(field("service_object", &CreateServiceObject::service_object));
};
template <> struct Describe<UpdateServiceObject> {
  static constexpr auto fields = std::make_tuple(field("service_object", &UpdateServiceObject::service_object));
};
template <> struct Describe<DeleteServiceObject> {
  static constexpr auto fields = std::make_tuple(field("service_object", &DeleteServiceObject::service_object));
};
template <> struct Describe<CreateUser> {
  static constexpr auto fields = std::make_tuple(field("user", &CreateUser::user));
};
template <> struct Describe<UpdateUser> {
  static constexpr auto fields = std::make_tuple(field("user", &UpdateUser::user));
};
template <> struct Describe<UpdateSettings> {
  static constexpr auto fields = std::make_tuple(field("settings", &UpdateSettings::settings));
};

// Applied: what applying a command produced.
struct Applied {
  // The command's number in history (HistoryEntry::change); 0 when the
  // command changed nothing (it is then neither recorded nor journaled).
  std::uint64_t change = 0;
  RecordRef created;         // the record a Create* command made; id 0 otherwise
};

template <> struct Describe<CreateUserGroup> {
  static constexpr auto fields = std::make_tuple(field("group", &CreateUserGroup::group));
};
template <> struct Describe<UpdateUserGroup> {
  static constexpr auto fields = std::make_tuple(field("group", &UpdateUserGroup::group));
};
template <> struct Describe<DeleteUserGroup> {
  static constexpr auto fields = std::make_tuple(field("group", &DeleteUserGroup::group));
};

template <> struct Describe<AcknowledgeNotifications> {
  static constexpr auto fields =
      std::make_tuple(field("notifications", &AcknowledgeNotifications::notifications));
};

template <> struct Describe<CreateCustomerUser> {
  static constexpr auto fields =
      std::make_tuple(field("customer", &CreateCustomerUser::customer), field("contact", &CreateCustomerUser::contact),
                      field("login", &CreateCustomerUser::login));
};
template <> struct Describe<SetCustomerUserLocked> {
  static constexpr auto fields =
      std::make_tuple(field("user", &SetCustomerUserLocked::user), field("locked", &SetCustomerUserLocked::locked));
};
template <> struct Describe<DeleteCustomerUser> {
  static constexpr auto fields = std::make_tuple(field("user", &DeleteCustomerUser::user));
};

template <> struct Describe<CreateOrder> {
  static constexpr auto fields =
      std::make_tuple(field("order", &CreateOrder::order), field("new_customer", &CreateOrder::new_customer),
                      field("new_facility", &CreateOrder::new_facility));
};
template <> struct Describe<UpdateOrder> {
  static constexpr auto fields = std::make_tuple(field("order", &UpdateOrder::order));
};
template <> struct Describe<AssignOrder> {
  static constexpr auto fields =
      std::make_tuple(field("order", &AssignOrder::order), field("users", &AssignOrder::users));
};
template <> struct Describe<AddOrderNote> {
  static constexpr auto fields = std::make_tuple(field("order", &AddOrderNote::order), field("text", &AddOrderNote::text));
};
template <> struct Describe<AddTimeEntry> {
  static constexpr auto fields = std::make_tuple(field("order", &AddTimeEntry::order), field("hours", &AddTimeEntry::hours),
                                                 field("text", &AddTimeEntry::text));
};
template <> struct Describe<AddOrderFile> {
  static constexpr auto fields = std::make_tuple(field("order", &AddOrderFile::order), field("file", &AddOrderFile::file));
};
template <> struct Describe<RemoveOrderFile> {
  static constexpr auto fields =
      std::make_tuple(field("order", &RemoveOrderFile::order), field("file", &RemoveOrderFile::file));
};
template <> struct Describe<CloseOrder> {
  static constexpr auto fields = std::make_tuple(field("order", &CloseOrder::order));
};
template <> struct Describe<ReopenOrder> {
  static constexpr auto fields = std::make_tuple(field("order", &ReopenOrder::order));
};
template <> struct Describe<DeleteOrder> {
  static constexpr auto fields = std::make_tuple(field("order", &DeleteOrder::order));
};
template <> struct Describe<ConvertToSalesOrder> {
  static constexpr auto fields = std::make_tuple(field("order", &ConvertToSalesOrder::order));
};
template <> struct Describe<RaiseReminders> {
  static constexpr auto fields = std::tuple<>();
};
template <> struct Describe<CreateArticle> {
  static constexpr auto fields = std::make_tuple(field("article", &CreateArticle::article));
};
template <> struct Describe<UpdateArticle> {
  static constexpr auto fields = std::make_tuple(field("article", &UpdateArticle::article));
};
template <> struct Describe<DeleteArticle> {
  static constexpr auto fields = std::make_tuple(field("article", &DeleteArticle::article));
};
template <> struct Describe<SaveOrderFilter> {
  static constexpr auto fields = std::make_tuple(field("filter", &SaveOrderFilter::filter));
};
template <> struct Describe<DeleteOrderFilter> {
  static constexpr auto fields = std::make_tuple(field("name", &DeleteOrderFilter::name));
};

template <> struct Describe<ImportRecords> {
  static constexpr auto fields =
      std::make_tuple(field("kind", &ImportRecords::kind), field("upsert", &ImportRecords::upsert),
                      field("columns", &ImportRecords::columns), field("cells", &ImportRecords::cells));
};

template <> struct Describe<CreateActivity> {
  static constexpr auto fields = std::make_tuple(field("activity", &CreateActivity::activity));
};
template <> struct Describe<UpdateActivity> {
  static constexpr auto fields = std::make_tuple(field("activity", &UpdateActivity::activity));
};
template <> struct Describe<DeleteActivity> {
  static constexpr auto fields = std::make_tuple(field("activity", &DeleteActivity::activity));
};
template <> struct Describe<ReassignActivities> {
  static constexpr auto fields =
      std::make_tuple(field("activities", &ReassignActivities::activities), field("owner", &ReassignActivities::owner));
};
template <> struct Describe<RestrictEmails> {
  static constexpr auto fields =
      std::make_tuple(field("contact", &RestrictEmails::contact), field("restricted", &RestrictEmails::restricted));
};
template <> struct Describe<LinkEmployee> {
  static constexpr auto fields =
      std::make_tuple(field("customer", &LinkEmployee::customer), field("user", &LinkEmployee::user));
};
template <> struct Describe<UnlinkEmployee> {
  static constexpr auto fields =
      std::make_tuple(field("customer", &UnlinkEmployee::customer), field("user", &UnlinkEmployee::user));
};

template <> struct Describe<DefineField> {
  static constexpr auto fields = std::make_tuple(field("field", &DefineField::field));
};
template <> struct Describe<UpdateFieldDefinition> {
  static constexpr auto fields = std::make_tuple(field("field", &UpdateFieldDefinition::field));
};
template <> struct Describe<RetireField> {
  static constexpr auto fields = std::make_tuple(field("kind", &RetireField::kind), field("key", &RetireField::key));
};
template <> struct Describe<ChangeFieldType> {
  static constexpr auto fields = std::make_tuple(
      field("kind", &ChangeFieldType::kind), field("key", &ChangeFieldType::key), field("type", &ChangeFieldType::type),
      field("choices", &ChangeFieldType::choices), field("revision", &ChangeFieldType::revision));
};
template <> struct Describe<RestoreField> {
  static constexpr auto fields = std::make_tuple(field("kind", &RestoreField::kind), field("key", &RestoreField::key));
};

}  // namespace kartotek
