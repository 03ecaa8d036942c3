// Facilities of customers and the service objects at them.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace kartotek;
using kartotek::test::Fixture;

namespace {
FacilityId add_facility(Fixture& f, CustomerId customer, std::string name) {
  Facility fac;
  fac.customer = customer;
  fac.name = std::move(name);
  fac.address = Address{"", "Industrivägen 4", "901 30", "Umeå", "SE"};
  return f.reg.apply(f.staff, CreateFacility{fac});
}
ServiceObjectId add_object(Fixture& f, FacilityId facility, std::string identifier, std::string type) {
  ServiceObject s;
  s.facility = facility;
  s.identifier = std::move(identifier);
  s.type = std::move(type);
  return f.reg.apply(f.staff, CreateServiceObject{s});
}
}  // namespace

TEST_CASE("a facility belongs to a customer and service objects sit at a facility", "[facilities]") {
  Fixture f;
  auto cust = f.add_customer("1", "Fastighets AB");
  auto fac = add_facility(f, cust, "Lager 2");
  auto obj = add_object(f, fac, "VP-0042", "Värmepump");
  CHECK(f.reg.facilities_of(f.staff, cust).at(0).id == fac);
  CHECK(f.reg.service_objects_of(f.staff, fac).at(0).id == obj);
  CHECK(f.reg.service_object(f.staff, obj).type == "Värmepump");
  CHECK(f.reg.history(f.staff, ref(cust)).back().field == "facilities");
  CHECK(f.reg.history(f.staff, ref(fac)).back().field == "service_objects");
}

TEST_CASE("a facility needs an existing customer and a name", "[facilities][validation]") {
  Fixture f;
  Facility fac;
  fac.customer = CustomerId{7};
  fac.name = "X";
  CHECK_THROWS_AS(f.reg.apply(f.staff, CreateFacility{fac}), NotFound);
  fac.customer = f.add_customer("1", "A");
  fac.name = " ";
  CHECK_THROWS_AS(f.reg.apply(f.staff, CreateFacility{fac}), ValidationError);
  ServiceObject s;
  s.facility = FacilityId{9};
  s.identifier = "X";
  CHECK_THROWS_AS(f.reg.apply(f.staff, CreateServiceObject{s}), NotFound);
}

TEST_CASE("a facility with service objects cannot be deleted", "[facilities]") {
  Fixture f;
  auto cust = f.add_customer("1", "A");
  auto fac = add_facility(f, cust, "Site");
  auto obj = add_object(f, fac, "H-1", "Hiss");
  auto before = f.state();
  CHECK_THROWS_WITH(f.reg.apply(f.staff, DeleteFacility{fac}), Catch::Contains("1 service object is at it"));
  CHECK(f.state() == before);
  f.reg.apply(f.staff, DeleteServiceObject{obj});
  f.reg.apply(f.staff, DeleteFacility{fac});
  CHECK(f.reg.facilities_of(f.staff, cust).empty());
  CHECK(f.reg.history(f.staff, ref(cust)).back().action == Action::unlinked);
}

TEST_CASE("moving a facility to another customer is in both customers' histories", "[facilities][history]") {
  Fixture f;
  auto a = f.add_customer("1", "Säljare AB");
  auto b = f.add_customer("2", "Köpare AB");
  auto fac = add_facility(f, a, "Fabriken");
  Facility moved = f.reg.facility(f.staff, fac);
  moved.customer = b;
  f.reg.apply(f.staff, UpdateFacility{moved});
  CHECK(f.reg.facilities_of(f.staff, a).empty());
  CHECK(f.reg.facilities_of(f.staff, b).size() == 1);
  CHECK(f.reg.history(f.staff, ref(a)).back().action == Action::unlinked);
  CHECK(f.reg.history(f.staff, ref(b)).back().action == Action::linked);
  auto hf = f.reg.history(f.staff, ref(fac));
  CHECK(hf.back().field == "customer");
}

TEST_CASE("a service object can move to another facility", "[facilities]") {
  Fixture f;
  auto cust = f.add_customer("1", "A");
  auto one = add_facility(f, cust, "One");
  auto two = add_facility(f, cust, "Two");
  auto obj = add_object(f, one, "P-1", "Pump");
  ServiceObject s = f.reg.service_object(f.staff, obj);
  s.facility = two;
  f.reg.apply(f.staff, UpdateServiceObject{s});
  CHECK(f.reg.service_objects_of(f.staff, one).empty());
  CHECK(f.reg.service_objects_of(f.staff, two).size() == 1);
  s = f.reg.service_object(f.staff, obj);
  s.facility = FacilityId{99};
  CHECK_THROWS_AS(f.reg.apply(f.staff, UpdateServiceObject{s}), NotFound);
}
