// kartotek/customer.hpp: the customer card. Rules: docs/domain-decisions.md
// and the domain description ("Customers").
#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "kartotek/clock.hpp"
#include "kartotek/custom_fields.hpp"
#include "kartotek/describe.hpp"
#include "kartotek/ids.hpp"

namespace kartotek {

enum class CustomerKind : std::uint8_t { company, private_person };

template <> struct EnumNames<CustomerKind> {
  static constexpr std::array<std::pair<CustomerKind, std::string_view>, 2> names{{
      {CustomerKind::company, "company"},
      {CustomerKind::private_person, "private"},
  }};
};

struct Address {
  std::string care_of;
  std::string street;
  std::string postal_code;
  std::string city;
  std::string country;
  friend bool operator==(const Address&, const Address&) = default;
};

template <> struct Describe<Address> {
  static constexpr auto fields = std::make_tuple(
      field("care_of", &Address::care_of), field("street", &Address::street),
      field("postal_code", &Address::postal_code), field("city", &Address::city),
      field("country", &Address::country));
};

// GeoPosition: WGS 84 degrees, for "show on map".
struct GeoPosition {
  double latitude = 0;
  double longitude = 0;
  friend bool operator==(const GeoPosition&, const GeoPosition&) = default;
};

template <> struct Describe<GeoPosition> {
  static constexpr auto fields = std::make_tuple(
      field("latitude", &GeoPosition::latitude), field("longitude", &GeoPosition::longitude));
};

// ArticleLine: an article line kept on the customer and copied onto each new
// service order or work order. A time article counts hours.
struct ArticleLine {
  std::string article_number;
  std::string description;
  double quantity = 1;
  std::string unit;
  bool time_article = false;
  double hours = 0;
  friend bool operator==(const ArticleLine&, const ArticleLine&) = default;
};

template <> struct Describe<ArticleLine> {
  static constexpr auto fields = std::make_tuple(
      field("article_number", &ArticleLine::article_number),
      field("description", &ArticleLine::description), field("quantity", &ArticleLine::quantity),
      field("unit", &ArticleLine::unit), field("time_article", &ArticleLine::time_article),
      field("hours", &ArticleLine::hours));
};

// Customer: a company or a private person that is invoiced.
//
// `id`, `active`, `assigned_technician`, `employees`, `created_at` and
// `revision` are kept by the register: they change only through their own
// commands (DeactivateCustomer, ReactivateCustomer, AssignTechnician,
// LinkEmployee, UnlinkEmployee), and an UpdateCustomer that alters them is
// refused. `revision` grows with every
// change; an update must carry the revision it was based on.
struct Customer {
  CustomerId id;
  std::string number;
  std::string name;
  CustomerKind kind = CustomerKind::company;
  std::string organisation_number;
  Address invoice_address;
  std::optional<Address> visiting_address;
  std::optional<Address> postal_address;
  std::string email;
  std::string phone;
  std::string website;
  std::optional<GeoPosition> position;
  // ISO 639 code of the language the customer receives messages in; empty
  // means the register's default language.
  std::string language;
  std::string category;
  std::vector<std::string> discount_letters;
  std::string cost_center;
  std::string customer_order_number;
  std::string comments;
  bool active = true;
  std::optional<UserId> assigned_technician;
  // Staff users linked to the customer directly, in id order
  // (Register::linked_employees adds those who worked on its orders).
  std::vector<UserId> employees;
  // Values of the group's custom fields for customers (docs/custom-fields.md).
  CustomFields custom;
  std::vector<ArticleLine> service_articles;
  std::vector<ArticleLine> work_order_articles;
  Timestamp created_at{};
  std::uint64_t revision = 0;

  friend bool operator==(const Customer&, const Customer&) = default;
};

template <> struct Describe<Customer> {
  static constexpr auto fields = std::make_tuple(
      field("id", &Customer::id), field("number", &Customer::number),
      field("name", &Customer::name), field("kind", &Customer::kind),
      field("organisation_number", &Customer::organisation_number),
      field("invoice_address", &Customer::invoice_address),
      field("visiting_address", &Customer::visiting_address),
      field("postal_address", &Customer::postal_address), field("email", &Customer::email),
      field("phone", &Customer::phone), field("website", &Customer::website),
      field("position", &Customer::position), field("language", &Customer::language),
      field("category", &Customer::category),
      field("discount_letters", &Customer::discount_letters),
      field("cost_center", &Customer::cost_center),
      field("customer_order_number", &Customer::customer_order_number),
      field("comments", &Customer::comments), field("active", &Customer::active),
      field("assigned_technician", &Customer::assigned_technician),
      field("service_articles", &Customer::service_articles),
      field("work_order_articles", &Customer::work_order_articles),
      field("created_at", &Customer::created_at), field("revision", &Customer::revision),
      field("employees", &Customer::employees, 5), field("custom", &Customer::custom, 6));
};

}  // namespace kartotek
