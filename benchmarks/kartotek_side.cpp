// benchmarks/kartotek_side.cpp

#include "kartotek_side.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

namespace bench {

using namespace kartotek;

Register empty_register() { return Register(std::make_shared<SystemClock>(), bench_settings()); }

Register open_register(const std::filesystem::path& dir, Durability durability) {
  OpenOptions options;
  options.durability = durability;
  options.settings = bench_settings();
  return Register::open(dir, options);
}

namespace {

template <class Id>
void expect(Id got, std::size_t index, const char* what) {
  if (got.value != index + 1)
    throw std::runtime_error(std::string("kartotek gave ") + what + " " + std::to_string(index) + " id " +
                             std::to_string(got.value) + ", not " + std::to_string(index + 1));
}

}  // namespace

void load(Register& reg, const DataSet& data) {
  UserId admin = reg.create_first_administrator("admin", "Administratör");
  if (admin != kAdministrator) throw std::runtime_error("the first administrator is not user 1");
  for (std::size_t t = 0; t < data.technicians.size(); ++t) {
    UserId id = reg.apply(admin, CreateUser{data.technicians[t]});
    if (id.value != t + 2) throw std::runtime_error("technician ids are not 2, 3, …");
  }
  for (const auto& f : data.customer_fields) reg.apply(admin, DefineField{f});
  for (std::size_t i = 0; i < data.customers.size(); ++i) {
    CustomerId id = reg.apply(admin, CreateCustomer{data.customers[i]});
    expect(id, i, "customer");
    if (std::uint32_t t = data.technician_of[i]) reg.apply(admin, AssignTechnician{id, UserId{t + 1}});
  }
  for (std::size_t i = 0; i < data.contacts.size(); ++i)
    expect(reg.apply(admin, CreateContact{data.contacts[i]}), i, "contact");
  for (const auto& l : data.links)
    reg.apply(admin, LinkContact{ContactLink{ContactId{l.contact + 1u}, CustomerId{l.customer + 1u}, l.role,
                                             l.send_service_protocol, l.send_work_orders}});
  for (std::size_t i = 0; i < data.facilities.size(); ++i)
    expect(reg.apply(admin, CreateFacility{data.facilities[i]}), i, "facility");
  for (std::size_t i = 0; i < data.service_objects.size(); ++i)
    expect(reg.apply(admin, CreateServiceObject{data.service_objects[i]}), i, "service object");
  for (std::size_t i = 0; i < data.orders.size(); ++i) {
    // A closed order is created open, as it once was, and then closed.
    Order o = data.orders[i];
    const bool closed = std::exchange(o.closed, false);
    OrderId id = reg.apply(admin, CreateOrder{std::move(o), std::nullopt, std::nullopt});
    expect(id, i, "order");
    if (closed) reg.apply(admin, CloseOrder{id});
  }
}

}  // namespace bench
