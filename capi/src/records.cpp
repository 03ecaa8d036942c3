// capi/src/records.cpp: the commands and the reads of single records:
// customers, contacts and their links, facilities, service objects, users and
// settings. Records cross as JSON in their Value form (describe.hpp).

#include "internal.hpp"

using namespace kartotek;
using namespace kartotek::capi;

namespace {

kartotek::Register& reg_of(kt_register* reg) { return live(reg, "reg").reg; }

// The user, and the user group, with id `id` as the actor sees them (the
// C++ API finds them as optionals).
User user_of(const kartotek::Register& r, UserId actor, std::uint64_t id) {
  auto found = r.find_user(actor, UserId{id});
  if (!found) throw NotFound("user " + std::to_string(id) + " does not exist");
  return *std::move(found);
}

UserGroup group_of(const kartotek::Register& r, UserId actor, std::uint64_t id) {
  auto found = r.find_user_group(actor, UserGroupId{id});
  if (!found) throw NotFound("user group " + std::to_string(id) + " does not exist");
  return *std::move(found);
}

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
  return create_record<CreateCustomer, Customer>(out, reg, actor, customer_json);
}

int kt_customer_update(kt_register* reg, uint64_t actor, uint64_t customer, uint64_t revision,
                       const char* patch_json) {
  auto read = [&](const Register& r, UserId a) { return r.customer(a, id_arg<CustomerTag>(customer)); };
  return update_record<UpdateCustomer>(reg, actor, customer, revision, patch_json, "customer", read);
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
  return guard([&]() -> int {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    auto wanted = text_arg(number, "number");
    auto customer = r.find_customer_by_number(actor_arg(actor), wanted);
    if (!customer) return set_error(KT_NOT_FOUND, "no customer has the number '" + std::string(wanted) + "'");
    result = json_string(*customer);
    return KT_OK;
  });
}

// ---- contacts and links ------------------------------------------------------

int kt_contact_create(uint64_t* out, kt_register* reg, uint64_t actor, const char* contact_json) {
  return create_record<CreateContact, Contact>(out, reg, actor, contact_json);
}

int kt_contact_update(kt_register* reg, uint64_t actor, uint64_t contact, uint64_t revision,
                      const char* patch_json) {
  auto read = [&](const Register& r, UserId a) { return r.contact(a, id_arg<ContactTag>(contact)); };
  return update_record<UpdateContact>(reg, actor, contact, revision, patch_json, "contact", read);
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
  return create_record<CreateFacility, Facility>(out, reg, actor, facility_json);
}

int kt_facility_update(kt_register* reg, uint64_t actor, uint64_t facility, uint64_t revision,
                       const char* patch_json) {
  auto read = [&](const Register& r, UserId a) { return r.facility(a, id_arg<FacilityTag>(facility)); };
  return update_record<UpdateFacility>(reg, actor, facility, revision, patch_json, "facility", read);
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
  return create_record<CreateServiceObject, ServiceObject>(out, reg, actor, service_object_json);
}

int kt_service_object_update(kt_register* reg, uint64_t actor, uint64_t service_object, uint64_t revision,
                             const char* patch_json) {
  auto read = [&](const Register& r, UserId a) {
    return r.service_object(a, id_arg<ServiceObjectTag>(service_object));
  };
  return update_record<UpdateServiceObject>(reg, actor, service_object, revision, patch_json, "service object",
                                            read);
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
  return create_record<CreateUser, User>(out, reg, actor, user_json);
}

int kt_user_update(kt_register* reg, uint64_t actor, uint64_t user, uint64_t revision, const char* patch_json) {
  auto read = [&](const Register& r, UserId a) { return user_of(r, a, user); };
  return update_record<UpdateUser>(reg, actor, user, revision, patch_json, "user", read);
}

int kt_user_get(char** out, kt_register* reg, uint64_t actor, uint64_t user) {
  return guard([&] {
    auto& result = out_param(out);
    result = json_string(user_of(reg_of(reg), actor_arg(actor), user));
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
  return create_record<CreateUserGroup, UserGroup>(out, reg, actor, group_json);
}

int kt_user_group_update(kt_register* reg, uint64_t actor, uint64_t group, uint64_t revision,
                         const char* patch_json) {
  auto read = [&](const Register& r, UserId a) { return group_of(r, a, group); };
  return update_record<UpdateUserGroup>(reg, actor, group, revision, patch_json, "user group", read);
}

int kt_user_group_delete(kt_register* reg, uint64_t actor, uint64_t group) {
  return guard([&] { reg_of(reg).apply(actor_arg(actor), DeleteUserGroup{id_arg<UserGroupTag>(group)}); });
}

int kt_user_group_get(char** out, kt_register* reg, uint64_t actor, uint64_t group) {
  return guard([&] {
    auto& result = out_param(out);
    result = json_string(group_of(reg_of(reg), actor_arg(actor), group));
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
