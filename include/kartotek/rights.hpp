// kartotek/rights.hpp: the rights a user holds per module, and user groups.
//
// An administrator holds every right. Anybody else holds exactly the rights
// granted to him directly or through his user groups: no grant, no access.
// The table of what each right allows is docs/rights.md.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kartotek/clock.hpp"
#include "kartotek/describe.hpp"
#include "kartotek/ids.hpp"

namespace kartotek {

// Right: one right of one module. The numbers are stored: a module owns a
// block of 100, and new rights take new numbers at the end of their block.
// "… only assigned" rights are the scoped variants: they reach only records
// assigned to the user (a customer whose assigned technician he is, and the
// contacts, facilities and service objects of such customers).
enum class Right : std::uint16_t {
  // Customer register.
  customers_view = 0,
  customers_view_assigned = 1,
  customers_edit = 2,
  customers_edit_assigned = 3,
  customers_create = 4,
  customers_delete = 5,
  customers_upload = 6,
  customers_create_customer_users = 7,
  customers_change_customer_user_rights = 8,
  customers_delete_customer_users = 9,
  customers_assign = 10,
  customers_delete_files = 11,
  // Contact orders.
  contact_orders_view = 100,
  contact_orders_view_assigned = 101,
  contact_orders_edit = 102,
  contact_orders_create = 103,
  contact_orders_delete = 104,
  contact_orders_assign = 105,
  contact_orders_assign_self = 106,
  contact_orders_delete_files = 107,
  // Facilities.
  facilities_view = 200,
  facilities_view_assigned = 201,
  facilities_edit = 202,
  facilities_edit_assigned = 203,
  facilities_create = 204,
  facilities_delete = 205,
  facilities_upload = 206,
  facilities_delete_files = 207,
  // Service objects.
  service_objects_view = 300,
  service_objects_view_assigned = 301,
  service_objects_edit = 302,
  service_objects_edit_assigned = 303,
  service_objects_create = 304,
  service_objects_delete = 305,
  service_objects_upload = 306,
  service_objects_delete_files = 307,
  // Orders (work orders, service orders, error reports, quotations, sales orders).
  orders_view = 400,
  orders_view_assigned = 401,
  orders_edit = 402,
  orders_edit_assigned = 403,
  orders_create = 404,
  orders_delete = 405,
  orders_upload = 406,
  orders_assign = 407,
  orders_assign_self = 408,
  orders_delete_files = 409,
  // CRM contacts (contact persons).
  contacts_view = 500,
  contacts_view_assigned = 501,
  contacts_edit = 502,
  contacts_edit_assigned = 503,
  contacts_create = 504,
  contacts_delete = 505,
  contacts_upload = 506,
  contacts_delete_files = 507,
};

template <> struct EnumNames<Right> {
  static constexpr std::array<std::pair<Right, std::string_view>, 54> names{{
      {Right::customers_view, "customers.view"},
      {Right::customers_view_assigned, "customers.view_assigned"},
      {Right::customers_edit, "customers.edit"},
      {Right::customers_edit_assigned, "customers.edit_assigned"},
      {Right::customers_create, "customers.create"},
      {Right::customers_delete, "customers.delete"},
      {Right::customers_upload, "customers.upload"},
      {Right::customers_create_customer_users, "customers.create_customer_users"},
      {Right::customers_change_customer_user_rights, "customers.change_customer_user_rights"},
      {Right::customers_delete_customer_users, "customers.delete_customer_users"},
      {Right::customers_assign, "customers.assign"},
      {Right::customers_delete_files, "customers.delete_files"},
      {Right::contact_orders_view, "contact_orders.view"},
      {Right::contact_orders_view_assigned, "contact_orders.view_assigned"},
      {Right::contact_orders_edit, "contact_orders.edit"},
      {Right::contact_orders_create, "contact_orders.create"},
      {Right::contact_orders_delete, "contact_orders.delete"},
      {Right::contact_orders_assign, "contact_orders.assign"},
      {Right::contact_orders_assign_self, "contact_orders.assign_self"},
      {Right::contact_orders_delete_files, "contact_orders.delete_files"},
      {Right::facilities_view, "facilities.view"},
      {Right::facilities_view_assigned, "facilities.view_assigned"},
      {Right::facilities_edit, "facilities.edit"},
      {Right::facilities_edit_assigned, "facilities.edit_assigned"},
      {Right::facilities_create, "facilities.create"},
      {Right::facilities_delete, "facilities.delete"},
      {Right::facilities_upload, "facilities.upload"},
      {Right::facilities_delete_files, "facilities.delete_files"},
      {Right::service_objects_view, "service_objects.view"},
      {Right::service_objects_view_assigned, "service_objects.view_assigned"},
      {Right::service_objects_edit, "service_objects.edit"},
      {Right::service_objects_edit_assigned, "service_objects.edit_assigned"},
      {Right::service_objects_create, "service_objects.create"},
      {Right::service_objects_delete, "service_objects.delete"},
      {Right::service_objects_upload, "service_objects.upload"},
      {Right::service_objects_delete_files, "service_objects.delete_files"},
      {Right::orders_view, "orders.view"},
      {Right::orders_view_assigned, "orders.view_assigned"},
      {Right::orders_edit, "orders.edit"},
      {Right::orders_edit_assigned, "orders.edit_assigned"},
      {Right::orders_create, "orders.create"},
      {Right::orders_delete, "orders.delete"},
      {Right::orders_upload, "orders.upload"},
      {Right::orders_assign, "orders.assign"},
      {Right::orders_assign_self, "orders.assign_self"},
      {Right::orders_delete_files, "orders.delete_files"},
      {Right::contacts_view, "contacts.view"},
      {Right::contacts_view_assigned, "contacts.view_assigned"},
      {Right::contacts_edit, "contacts.edit"},
      {Right::contacts_edit_assigned, "contacts.edit_assigned"},
      {Right::contacts_create, "contacts.create"},
      {Right::contacts_delete, "contacts.delete"},
      {Right::contacts_upload, "contacts.upload"},
      {Right::contacts_delete_files, "contacts.delete_files"},
  }};
};

// every_right: each right once, in the order above.
inline std::vector<Right> every_right() {
  std::vector<Right> out;
  for (const auto& [right, name] : EnumNames<Right>::names) out.push_back(right);
  return out;
}

// UserGroup: a named set of rights; a user holds the rights of every group
// he is in, besides his own. Only an administrator manages groups.
// `id`, `created_at` and `revision` are kept by the register.
struct UserGroup {
  UserGroupId id;
  std::string name;
  std::vector<Right> rights;
  Timestamp created_at{};
  std::uint64_t revision = 0;

  friend bool operator==(const UserGroup&, const UserGroup&) = default;
};

template <> struct Describe<UserGroup> {
  static constexpr auto fields = std::make_tuple(
      field("id", &UserGroup::id), field("name", &UserGroup::name), field("rights", &UserGroup::rights),
      field("created_at", &UserGroup::created_at), field("revision", &UserGroup::revision));
};

}  // namespace kartotek
