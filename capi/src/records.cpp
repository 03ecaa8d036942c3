// capi/src/records.cpp: the commands and the reads of single records:
// customers, contacts and their links, facilities, service objects, users and
// settings. Records cross as JSON in their Value form (describe.hpp).

#include "internal.hpp"

using namespace kartotek;
using namespace kartotek::capi;

namespace {

std::string named(const char* kind, std::uint64_t id) { return std::string(kind) + " " + std::to_string(id); }

kartotek::Register& reg_of(kt_register* reg) { return live(reg, "reg").reg; }

// The link between `contact` and `customer` as the actor sees it.
ContactLink find_link(const kartotek::Register& r, UserId actor, ContactId contact, CustomerId customer) {
  for (const auto& link : r.links_of(actor, contact))
    if (link.customer == customer) return link;
  throw NotFound("contact " + std::to_string(contact.value) + " is not linked to customer " +
                 std::to_string(customer.value));
}

}  // namespace

extern "C" {

// ---- customers ---------------------------------------------------------------

int kt_customer_create(uint64_t* out, kt_register* reg, uint64_t actor, const char* customer_json) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    auto customer = record_from_json<Customer>(customer_json);
    result = r.apply(actor_arg(actor), CreateCustomer{std::move(customer)}).value;
  });
}

int kt_customer_update(kt_register* reg, uint64_t actor, uint64_t customer, uint64_t revision,
                       const char* patch_json) {
  return guard([&] {
    auto& r = reg_of(reg);
    Value patch = json_arg(patch_json);
    auto current = r.customer(actor_arg(actor), id_arg<CustomerTag>(customer));
    auto next = patched(std::move(current), revision, patch, named("customer", customer));
    r.apply(actor_arg(actor), UpdateCustomer{std::move(next)});
  });
}

int kt_customer_deactivate(kt_register* reg, uint64_t actor, uint64_t customer) {
  return guard([&] { reg_of(reg).apply(actor_arg(actor), DeactivateCustomer{id_arg<CustomerTag>(customer)}); });
}

int kt_customer_reactivate(kt_register* reg, uint64_t actor, uint64_t customer) {
  return guard([&] { reg_of(reg).apply(actor_arg(actor), ReactivateCustomer{id_arg<CustomerTag>(customer)}); });
}

int kt_customer_delete(kt_register* reg, uint64_t actor, uint64_t customer) {
  return guard([&] { reg_of(reg).apply(actor_arg(actor), DeleteCustomer{id_arg<CustomerTag>(customer)}); });
}

int kt_customer_assign_technician(kt_register* reg, uint64_t actor, uint64_t customer, uint64_t technician) {
  return guard([&] {
    std::optional<UserId> who;
    if (technician) who = UserId{technician};
    reg_of(reg).apply(actor_arg(actor), AssignTechnician{id_arg<CustomerTag>(customer), who});
  });
}

int kt_customer_get(char** out, kt_register* reg, uint64_t actor, uint64_t customer) {
  return guard([&] {
    auto& result = out_param(out);
    result = json_string(reg_of(reg).customer(actor_arg(actor), id_arg<CustomerTag>(customer)));
  });
}

int kt_customer_get_by_number(char** out, kt_register* reg, uint64_t actor, const char* number) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    auto wanted = text_arg(number, "number");
    auto customer = r.find_customer_by_number(actor_arg(actor), wanted);
    if (!customer) throw NotFound("no customer has the number '" + std::string(wanted) + "'");
    result = json_string(*customer);
  });
}

// ---- contacts and links ------------------------------------------------------

int kt_contact_create(uint64_t* out, kt_register* reg, uint64_t actor, const char* contact_json) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    auto contact = record_from_json<Contact>(contact_json);
    result = r.apply(actor_arg(actor), CreateContact{std::move(contact)}).value;
  });
}

int kt_contact_update(kt_register* reg, uint64_t actor, uint64_t contact, uint64_t revision,
                      const char* patch_json) {
  return guard([&] {
    auto& r = reg_of(reg);
    Value patch = json_arg(patch_json);
    auto current = r.contact(actor_arg(actor), id_arg<ContactTag>(contact));
    auto next = patched(std::move(current), revision, patch, named("contact", contact));
    r.apply(actor_arg(actor), UpdateContact{std::move(next)});
  });
}

int kt_contact_delete(kt_register* reg, uint64_t actor, uint64_t contact) {
  return guard([&] { reg_of(reg).apply(actor_arg(actor), DeleteContact{id_arg<ContactTag>(contact)}); });
}

int kt_contact_get(char** out, kt_register* reg, uint64_t actor, uint64_t contact) {
  return guard([&] {
    auto& result = out_param(out);
    result = json_string(reg_of(reg).contact(actor_arg(actor), id_arg<ContactTag>(contact)));
  });
}

int kt_contact_link(kt_register* reg, uint64_t actor, const char* link_json) {
  return guard([&] {
    auto& r = reg_of(reg);
    auto link = record_from_json<ContactLink>(link_json);
    if (!link.contact) invalid("contact", "required");
    if (!link.customer) invalid("customer", "required");
    r.apply(actor_arg(actor), LinkContact{std::move(link)});
  });
}

int kt_contact_link_update(kt_register* reg, uint64_t actor, uint64_t contact, uint64_t customer,
                           const char* patch_json) {
  return guard([&] {
    auto& r = reg_of(reg);
    Value patch = json_arg(patch_json);
    auto link = find_link(r, actor_arg(actor), id_arg<ContactTag>(contact), id_arg<CustomerTag>(customer));
    from_value(patch, link, "");
    if (link.contact.value != contact) invalid("contact", "differs from the link being updated");
    if (link.customer.value != customer) invalid("customer", "differs from the link being updated");
    r.apply(actor_arg(actor), UpdateContactLink{std::move(link)});
  });
}

int kt_contact_unlink(kt_register* reg, uint64_t actor, uint64_t contact, uint64_t customer) {
  return guard([&] {
    reg_of(reg).apply(actor_arg(actor), UnlinkContact{id_arg<ContactTag>(contact), id_arg<CustomerTag>(customer)});
  });
}

// ---- facilities and service objects ------------------------------------------

int kt_facility_create(uint64_t* out, kt_register* reg, uint64_t actor, const char* facility_json) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    auto facility = record_from_json<Facility>(facility_json);
    result = r.apply(actor_arg(actor), CreateFacility{std::move(facility)}).value;
  });
}

int kt_facility_update(kt_register* reg, uint64_t actor, uint64_t facility, uint64_t revision,
                       const char* patch_json) {
  return guard([&] {
    auto& r = reg_of(reg);
    Value patch = json_arg(patch_json);
    auto current = r.facility(actor_arg(actor), id_arg<FacilityTag>(facility));
    auto next = patched(std::move(current), revision, patch, named("facility", facility));
    r.apply(actor_arg(actor), UpdateFacility{std::move(next)});
  });
}

int kt_facility_delete(kt_register* reg, uint64_t actor, uint64_t facility) {
  return guard([&] { reg_of(reg).apply(actor_arg(actor), DeleteFacility{id_arg<FacilityTag>(facility)}); });
}

int kt_facility_get(char** out, kt_register* reg, uint64_t actor, uint64_t facility) {
  return guard([&] {
    auto& result = out_param(out);
    result = json_string(reg_of(reg).facility(actor_arg(actor), id_arg<FacilityTag>(facility)));
  });
}

int kt_service_object_create(uint64_t* out, kt_register* reg, uint64_t actor, const char* service_object_json) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    auto object = record_from_json<ServiceObject>(service_object_json);
    result = r.apply(actor_arg(actor), CreateServiceObject{std::move(object)}).value;
  });
}

int kt_service_object_update(kt_register* reg, uint64_t actor, uint64_t service_object, uint64_t revision,
                             const char* patch_json) {
  return guard([&] {
    auto& r = reg_of(reg);
    Value patch = json_arg(patch_json);
    auto current = r.service_object(actor_arg(actor), id_arg<ServiceObjectTag>(service_object));
    auto next = patched(std::move(current), revision, patch, named("service object", service_object));
    r.apply(actor_arg(actor), UpdateServiceObject{std::move(next)});
  });
}

int kt_service_object_delete(kt_register* reg, uint64_t actor, uint64_t service_object) {
  return guard([&] {
    reg_of(reg).apply(actor_arg(actor), DeleteServiceObject{id_arg<ServiceObjectTag>(service_object)});
  });
}

int kt_service_object_get(char** out, kt_register* reg, uint64_t actor, uint64_t service_object) {
  return guard([&] {
    auto& result = out_param(out);
    result = json_string(reg_of(reg).service_object(actor_arg(actor), id_arg<ServiceObjectTag>(service_object)));
  });
}

// ---- users -------------------------------------------------------------------

int kt_user_create(uint64_t* out, kt_register* reg, uint64_t actor, const char* user_json) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    auto user = record_from_json<User>(user_json);
    result = r.apply(actor_arg(actor), CreateUser{std::move(user)}).value;
  });
}

int kt_user_update(kt_register* reg, uint64_t actor, uint64_t user, uint64_t revision, const char* patch_json) {
  return guard([&] {
    auto& r = reg_of(reg);
    Value patch = json_arg(patch_json);
    auto current = r.find_user(actor_arg(actor), id_arg<UserTag>(user));
    if (!current) throw NotFound("user " + std::to_string(user) + " does not exist");
    auto next = patched(std::move(*current), revision, patch, named("user", user));
    r.apply(actor_arg(actor), UpdateUser{std::move(next)});
  });
}

int kt_user_get(char** out, kt_register* reg, uint64_t actor, uint64_t user) {
  return guard([&] {
    auto& result = out_param(out);
    auto found = reg_of(reg).find_user(actor_arg(actor), id_arg<UserTag>(user));
    if (!found) throw NotFound("user " + std::to_string(user) + " does not exist");
    result = json_string(*found);
  });
}

int kt_customer_user_create(uint64_t* out, kt_register* reg, uint64_t actor, uint64_t customer, uint64_t contact,
                            const char* login) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    CreateCustomerUser cmd{id_arg<CustomerTag>(customer), id_arg<ContactTag>(contact),
                           std::string(text_arg(login, "login"))};
    result = r.apply(actor_arg(actor), std::move(cmd)).value;
  });
}

int kt_customer_user_set_locked(kt_register* reg, uint64_t actor, uint64_t user, int locked) {
  return guard([&] {
    reg_of(reg).apply(actor_arg(actor), SetCustomerUserLocked{id_arg<UserTag>(user), locked != 0});
  });
}

int kt_customer_user_delete(kt_register* reg, uint64_t actor, uint64_t user) {
  return guard([&] { reg_of(reg).apply(actor_arg(actor), DeleteCustomerUser{id_arg<UserTag>(user)}); });
}

int kt_user_rights(char** out, kt_register* reg, uint64_t actor, uint64_t user) {
  return guard([&] {
    auto& result = out_param(out);
    auto rights = reg_of(reg).rights_of(actor_arg(actor), id_arg<UserTag>(user));
    result = json_string(rights);
  });
}

int kt_assign_menu(char** out, kt_register* reg, uint64_t actor) {
  return guard([&] {
    auto& result = out_param(out);
    result = json_string(reg_of(reg).assign_menu(actor_arg(actor)));
  });
}

int kt_rights_all(char** out) {
  return guard([&] {
    auto& result = out_param(out);
    result = json_string(every_right());
  });
}

// ---- user groups ----------------------------------------------------------------

int kt_user_group_create(uint64_t* out, kt_register* reg, uint64_t actor, const char* group_json) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    auto group = record_from_json<UserGroup>(group_json);
    result = r.apply(actor_arg(actor), CreateUserGroup{std::move(group)}).value;
  });
}

int kt_user_group_update(kt_register* reg, uint64_t actor, uint64_t group, uint64_t revision,
                         const char* patch_json) {
  return guard([&] {
    auto& r = reg_of(reg);
    Value patch = json_arg(patch_json);
    auto current = r.find_user_group(actor_arg(actor), id_arg<UserGroupTag>(group));
    if (!current) throw NotFound("user group " + std::to_string(group) + " does not exist");
    auto next = patched(std::move(*current), revision, patch, named("user group", group));
    r.apply(actor_arg(actor), UpdateUserGroup{std::move(next)});
  });
}

int kt_user_group_delete(kt_register* reg, uint64_t actor, uint64_t group) {
  return guard([&] { reg_of(reg).apply(actor_arg(actor), DeleteUserGroup{id_arg<UserGroupTag>(group)}); });
}

int kt_user_group_get(char** out, kt_register* reg, uint64_t actor, uint64_t group) {
  return guard([&] {
    auto& result = out_param(out);
    auto found = reg_of(reg).find_user_group(actor_arg(actor), id_arg<UserGroupTag>(group));
    if (!found) throw NotFound("user group " + std::to_string(group) + " does not exist");
    result = json_string(*found);
  });
}

// ---- settings ----------------------------------------------------------------

int kt_settings_get(char** out, kt_register* reg, uint64_t actor) {
  return guard([&] {
    auto& result = out_param(out);
    result = json_string(reg_of(reg).settings(actor_arg(actor)));
  });
}

int kt_settings_update(kt_register* reg, uint64_t actor, const char* patch_json) {
  return guard([&] {
    auto& r = reg_of(reg);
    Value patch = json_arg(patch_json);
    Settings settings = r.settings(actor_arg(actor));
    from_value(patch, settings, "");
    r.apply(actor_arg(actor), UpdateSettings{std::move(settings)});
  });
}

}  // extern "C"
