// kartotek/facility.hpp: facilities (sites of a customer) and the service
// objects at them.
#pragma once

#include <string>
#include <tuple>

#include "kartotek/clock.hpp"
#include "kartotek/custom_fields.hpp"
#include "kartotek/customer.hpp"
#include "kartotek/describe.hpp"
#include "kartotek/ids.hpp"

namespace kartotek {

// Facility: a site of one customer. `id`, `created_at` and `revision` are kept
// by the register; the customer may be changed by an update (a site sold to
// another customer keeps its history).
struct Facility {
  FacilityId id;
  CustomerId customer;
  std::string name;
  std::string number;
  Address address;
  std::string comments;
  bool active = true;
  Timestamp created_at{};
  std::uint64_t revision = 0;
  CustomFields custom;  // docs/custom-fields.md

  friend bool operator==(const Facility&, const Facility&) = default;
};

template <> struct Describe<Facility> {
  static constexpr auto fields = std::make_tuple(
      field("id", &Facility::id), field("customer", &Facility::customer),
      field("name", &Facility::name), field("number", &Facility::number),
      field("address", &Facility::address), field("comments", &Facility::comments),
      field("active", &Facility::active), field("created_at", &Facility::created_at),
      field("revision", &Facility::revision), field("custom", &Facility::custom, 6));
};

// ServiceObject: something serviced at a facility (a machine, an elevator, a
// heat pump), with its identifier (serial or tag number) and type.
struct ServiceObject {
  ServiceObjectId id;
  FacilityId facility;
  std::string identifier;
  std::string type;
  std::string name;
  std::string comments;
  bool active = true;
  Timestamp created_at{};
  std::uint64_t revision = 0;
  CustomFields custom;  // docs/custom-fields.md

  friend bool operator==(const ServiceObject&, const ServiceObject&) = default;
};

template <> struct Describe<ServiceObject> {
  static constexpr auto fields = std::make_tuple(
      field("id", &ServiceObject::id), field("facility", &ServiceObject::facility),
      field("identifier", &ServiceObject::identifier), field("type", &ServiceObject::type),
      field("name", &ServiceObject::name), field("comments", &ServiceObject::comments),
      field("active", &ServiceObject::active), field("created_at", &ServiceObject::created_at),
      field("revision", &ServiceObject::revision), field("custom", &ServiceObject::custom, 6));
};

}  // namespace kartotek
