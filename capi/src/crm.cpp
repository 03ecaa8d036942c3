// capi/src/crm.cpp: the CRM around customers and contacts — activities
// (notes, meetings, tasks, e-mails, journal entries, files and reminders),
// their query object and search, the restriction of a contact's e-mails and
// a customer's linked employees. The rules are the C++ API's (docs/crm.md);
// records cross as JSON in their Value form, as everywhere else.

#include <algorithm>

#include "internal.hpp"

using namespace kartotek;
using namespace kartotek::capi;

namespace {

kartotek::Register& reg_of(kt_register* reg) { return live(reg, "reg").reg; }

// Adds `value` to a query's list filter unless it is there already (the
// filter keeps what matches any of them, so a repeat would change nothing).
template <class T>
void add_once(std::vector<T>& list, T value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

}  // namespace

extern "C" {

// ---- activities --------------------------------------------------------------

int kt_activity_create(uint64_t* out, kt_register* reg, uint64_t actor, const char* activity_json) {
  return create_record<CreateActivity, Activity>(out, reg, actor, activity_json);
}

int kt_activity_update(kt_register* reg, uint64_t actor, uint64_t activity, uint64_t revision,
                       const char* patch_json) {
  auto read = [&](const Register& r, UserId a) { return r.activity(a, id_arg<ActivityTag>(activity)); };
  return update_record<UpdateActivity>(reg, actor, activity, revision, patch_json, "activity", read);
}

int kt_activity_delete(kt_register* reg, uint64_t actor, uint64_t activity) {
  return guard([&] { reg_of(reg).apply(actor_arg(actor), DeleteActivity{id_arg<ActivityTag>(activity)}); });
}

int kt_activity_get(char** out, kt_register* reg, uint64_t actor, uint64_t activity) {
  return guard([&] {
    auto& result = out_param(out);
    result = json_string(reg_of(reg).activity(actor_arg(actor), id_arg<ActivityTag>(activity)));
  });
}

int kt_activities_reassign(kt_register* reg, uint64_t actor, const uint64_t* activities, size_t count,
                           uint64_t owner) {
  return guard([&] {
    auto& r = reg_of(reg);
    ReassignActivities cmd{ids_arg<ActivityTag>(activities, count, "activities"), UserId{owner}};
    r.apply(actor_arg(actor), std::move(cmd));
  });
}

// ---- e-mail restriction and linked employees -----------------------------------

int kt_contact_restrict_emails(kt_register* reg, uint64_t actor, uint64_t contact, int restricted) {
  return guard([&] {
    reg_of(reg).apply(actor_arg(actor), RestrictEmails{id_arg<ContactTag>(contact), restricted != 0});
  });
}

int kt_customer_link_employee(kt_register* reg, uint64_t actor, uint64_t customer, uint64_t user) {
  return guard([&] {
    reg_of(reg).apply(actor_arg(actor), LinkEmployee{id_arg<CustomerTag>(customer), UserId{user}});
  });
}

int kt_customer_unlink_employee(kt_register* reg, uint64_t actor, uint64_t customer, uint64_t user) {
  return guard([&] {
    reg_of(reg).apply(actor_arg(actor), UnlinkEmployee{id_arg<CustomerTag>(customer), UserId{user}});
  });
}

int kt_customer_employees(kt_cursor** out, kt_register* reg, uint64_t actor, uint64_t customer) {
  return guard([&] {
    auto& result = out_param(out);
    result = make_cursor(reg_of(reg).linked_employees(actor_arg(actor), id_arg<CustomerTag>(customer)));
  });
}

// ---- the activity list -------------------------------------------------------

int kt_activity_query_new(kt_activity_query** out) {
  return guard([&] { out_param(out) = make_handle<kt_activity_query>(); });
}

void kt_activity_query_free(kt_activity_query* query) { free_handle(query, "kt_activity_query_free"); }

int kt_activity_query_add_kind(kt_activity_query* query, const char* kind) {
  return change_query(query, [&](kt_activity_query& q) {
    add_once(q.query.kinds, enum_arg<ActivityKind>(kind, "kind"));
  });
}

int kt_activity_query_clear_kinds(kt_activity_query* query) {
  return change_query(query, [](kt_activity_query& q) { q.query.kinds.clear(); });
}

int kt_activity_query_set_customer(kt_activity_query* query, uint64_t customer) {
  return change_query(query, [&](kt_activity_query& q) {
    q.query.customer = optional_id_arg<CustomerTag>(customer);
  });
}

int kt_activity_query_set_contact(kt_activity_query* query, uint64_t contact) {
  return change_query(query, [&](kt_activity_query& q) { q.query.contact = optional_id_arg<ContactTag>(contact); });
}

int kt_activity_query_set_company_notes(kt_activity_query* query, int company_notes) {
  return change_query(query, [&](kt_activity_query& q) { q.query.company_notes = company_notes != 0; });
}

int kt_activity_query_set_owner(kt_activity_query* query, uint64_t owner) {
  return change_query(query, [&](kt_activity_query& q) { q.query.owner = optional_id_arg<UserTag>(owner); });
}

int kt_activity_query_add_status(kt_activity_query* query, const char* status) {
  return change_query(query, [&](kt_activity_query& q) {
    add_once(q.query.statuses, std::string(text_arg(status, "status")));
  });
}

int kt_activity_query_clear_statuses(kt_activity_query* query) {
  return change_query(query, [](kt_activity_query& q) { q.query.statuses.clear(); });
}

int kt_activity_query_set_since(kt_activity_query* query, const char* since) {
  return change_query(query, [&](kt_activity_query& q) { q.query.since = optional_timestamp_arg(since, "since"); });
}

int kt_activity_query_set_until(kt_activity_query* query, const char* until) {
  return change_query(query, [&](kt_activity_query& q) { q.query.until = optional_timestamp_arg(until, "until"); });
}

int kt_activity_query_set_descending(kt_activity_query* query, int descending) {
  return change_query(query, [&](kt_activity_query& q) { q.query.descending = descending != 0; });
}

int kt_activity_query_set_page(kt_activity_query* query, size_t offset, size_t limit) {
  return set_query_page(query, offset, limit);
}

int kt_activity_query_set_json(kt_activity_query* query, const char* query_json) {
  return set_query_json(query, query_json);
}

int kt_activity_search(kt_cursor** out, kt_register* reg, uint64_t actor, const kt_activity_query* query) {
  return search_result(out, reg, query, [&](const Register& r, const ActivityQuery& q) {
    return r.search_activities(actor_arg(actor), q);
  });
}

}  // extern "C"
