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
#include "kartotek/customer.hpp"
#include "kartotek/facility.hpp"
#include "kartotek/ids.hpp"
#include "kartotek/notification.hpp"
#include "kartotek/settings.hpp"
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

// New commands go at the end: the index is part of stored journal records.
using Command = std::variant<CreateFirstAdministrator, CreateCustomer, UpdateCustomer,
                             DeactivateCustomer, ReactivateCustomer, DeleteCustomer,
                             AssignTechnician, CreateContact, UpdateContact, DeleteContact,
                             LinkContact, UpdateContactLink, UnlinkContact, CreateFacility,
                             UpdateFacility, DeleteFacility, CreateServiceObject,
                             UpdateServiceObject, DeleteServiceObject, CreateUser, UpdateUser,
                             UpdateSettings, CreateUserGroup, UpdateUserGroup, DeleteUserGroup,
                             AcknowledgeNotifications, CreateCustomerUser, SetCustomerUserLocked,
                             DeleteCustomerUser>;

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

}  // namespace kartotek
