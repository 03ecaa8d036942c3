// capi/src/queries.cpp: query objects, searches (customers, contacts,
// facilities), lists, history and the cursors that carry their results.

#include "internal.hpp"

using namespace kartotek;
using namespace kartotek::capi;

namespace {

kartotek::Register& reg_of(kt_register* reg) { return live(reg, "reg").reg; }

}  // namespace

extern "C" {

// ---- cursors -----------------------------------------------------------------

int kt_cursor_next(char** out, kt_cursor* cursor) {
  return guard([&] {
    auto& result = out_param(out);
    auto& c = live(cursor, "cursor");
    if (c.position >= c.items.size()) return KT_DONE;
    result = c_string(to_json(c.items[c.position]));
    ++c.position;
    return KT_OK;
  });
}

int kt_cursor_total(size_t* out, kt_cursor* cursor) {
  return guard([&] {
    auto& result = out_param(out);
    result = live(cursor, "cursor").total;
  });
}

int kt_cursor_remaining(char** out, kt_cursor* cursor) {
  return guard([&] {
    auto& result = out_param(out);
    auto& c = live(cursor, "cursor");
    Value::List rest;
    if (c.position < c.items.size())
      rest.assign(c.items.begin() + static_cast<std::ptrdiff_t>(c.position), c.items.end());
    result = c_string(to_json(Value(std::move(rest))));
    c.position = c.items.size();
  });
}

void kt_cursor_free(kt_cursor* cursor) { free_handle(cursor, "kt_cursor_free"); }

// ---- customer search ---------------------------------------------------------

int kt_customer_query_new(kt_customer_query** out) {
  return guard([&] { out_param(out) = make_handle<kt_customer_query>(); });
}

void kt_customer_query_free(kt_customer_query* query) { free_handle(query, "kt_customer_query_free"); }

int kt_customer_query_set_text(kt_customer_query* query, const char* text) {
  return change_query(query, [&](kt_customer_query& q) {
    q.query.text = optional_text_arg(text, "text").value_or(std::string());
  });
}

int kt_customer_query_set_match(kt_customer_query* query, const char* match) {
  return change_query(query, [&](kt_customer_query& q) { q.query.match = enum_arg<TextMatch>(match, "match"); });
}

int kt_customer_query_set_search_in(kt_customer_query* query, unsigned search_in) {
  return change_query(query, [&](kt_customer_query& q) {
    if (search_in == 0 || (search_in & ~static_cast<unsigned>(search_everywhere)) != 0)
      invalid("search_in", "expected a non-zero combination of KT_SEARCH_NAME, KT_SEARCH_CONTACT_NAME, "
                           "KT_SEARCH_EMAIL and KT_SEARCH_CUSTOM");
    q.query.search_in = static_cast<std::uint8_t>(search_in);
  });
}

int kt_customer_query_set_active(kt_customer_query* query, int active) {
  return change_query(query, [&](kt_customer_query& q) { q.query.active = active_arg(active); });
}

int kt_customer_query_set_kind(kt_customer_query* query, const char* kind) {
  return change_query(query, [&](kt_customer_query& q) {
    if (kind) q.query.kind = enum_arg<CustomerKind>(kind, "kind");
    else q.query.kind.reset();
  });
}

int kt_customer_query_set_category(kt_customer_query* query, const char* category) {
  return change_query(query, [&](kt_customer_query& q) {
    q.query.category = optional_text_arg(category, "category");
  });
}

int kt_customer_query_set_technician(kt_customer_query* query, uint64_t technician) {
  return change_query(query, [&](kt_customer_query& q) {
    q.query.technician = optional_id_arg<UserTag>(technician);
  });
}

int kt_customer_query_set_unassigned_only(kt_customer_query* query, int unassigned_only) {
  return change_query(query, [&](kt_customer_query& q) { q.query.unassigned_only = unassigned_only != 0; });
}

int kt_customer_query_set_sort(kt_customer_query* query, const char* column, int descending) {
  return change_query(query, [&](kt_customer_query& q) {
    q.query.sort = enum_arg<CustomerColumn>(column, "sort");
    q.query.descending = descending != 0;
  });
}

int kt_customer_query_set_page(kt_customer_query* query, size_t offset, size_t limit) {
  return set_query_page(query, offset, limit);
}

int kt_customer_query_add_custom_filter(kt_customer_query* query, const char* key, const char* match,
                                        const char* value_json) {
  return change_query(query, [&](kt_customer_query& q) {
    q.query.custom.push_back(custom_filter_arg(key, match, value_json));
  });
}

int kt_customer_query_clear_custom_filters(kt_customer_query* query) {
  return change_query(query, [](kt_customer_query& q) { q.query.custom.clear(); });
}

int kt_customer_query_set_custom_sort(kt_customer_query* query, const char* key, int descending) {
  return change_query(query, [&](kt_customer_query& q) {
    q.query.custom_sort = optional_text_arg(key, "key").value_or(std::string());
    q.query.descending = descending != 0;
  });
}

int kt_customer_search(kt_cursor** out, kt_register* reg, uint64_t actor, const kt_customer_query* query) {
  return search_result(out, reg, query, [&](const Register& r, const CustomerQuery& q) {
    return r.search_customers(actor_arg(actor), q);
  });
}

// ---- contact search ----------------------------------------------------------

int kt_contact_query_new(kt_contact_query** out) {
  return guard([&] { out_param(out) = make_handle<kt_contact_query>(); });
}

void kt_contact_query_free(kt_contact_query* query) { free_handle(query, "kt_contact_query_free"); }

int kt_contact_query_set_last_name(kt_contact_query* query, const char* last_name) {
  return change_query(query, [&](kt_contact_query& q) {
    q.query.last_name = optional_text_arg(last_name, "last_name").value_or(std::string());
  });
}

int kt_contact_query_set_match(kt_contact_query* query, const char* match) {
  return change_query(query, [&](kt_contact_query& q) { q.query.match = enum_arg<TextMatch>(match, "match"); });
}

int kt_contact_query_set_active(kt_contact_query* query, int active) {
  return change_query(query, [&](kt_contact_query& q) { q.query.active = active_arg(active); });
}

int kt_contact_query_set_category(kt_contact_query* query, const char* category) {
  return change_query(query, [&](kt_contact_query& q) {
    q.query.category = optional_text_arg(category, "category");
  });
}

int kt_contact_query_set_customer(kt_contact_query* query, uint64_t customer) {
  return change_query(query, [&](kt_contact_query& q) { q.query.customer = optional_id_arg<CustomerTag>(customer); });
}

int kt_contact_query_set_sort(kt_contact_query* query, const char* column, int descending) {
  return change_query(query, [&](kt_contact_query& q) {
    q.query.sort = enum_arg<ContactColumn>(column, "sort");
    q.query.descending = descending != 0;
  });
}

int kt_contact_query_set_page(kt_contact_query* query, size_t offset, size_t limit) {
  return set_query_page(query, offset, limit);
}

int kt_contact_query_add_custom_filter(kt_contact_query* query, const char* key, const char* match,
                                       const char* value_json) {
  return change_query(query, [&](kt_contact_query& q) {
    q.query.custom.push_back(custom_filter_arg(key, match, value_json));
  });
}

int kt_contact_query_clear_custom_filters(kt_contact_query* query) {
  return change_query(query, [](kt_contact_query& q) { q.query.custom.clear(); });
}

int kt_contact_query_set_custom_sort(kt_contact_query* query, const char* key, int descending) {
  return change_query(query, [&](kt_contact_query& q) {
    q.query.custom_sort = optional_text_arg(key, "key").value_or(std::string());
    q.query.descending = descending != 0;
  });
}

int kt_contact_search(kt_cursor** out, kt_register* reg, uint64_t actor, const kt_contact_query* query) {
  return search_result(out, reg, query, [&](const Register& r, const ContactQuery& q) {
    return r.search_contacts(actor_arg(actor), q);
  });
}

// ---- facility search ---------------------------------------------------------

int kt_facility_query_new(kt_facility_query** out) {
  return guard([&] { out_param(out) = make_handle<kt_facility_query>(); });
}

void kt_facility_query_free(kt_facility_query* query) { free_handle(query, "kt_facility_query_free"); }

int kt_facility_query_set_text(kt_facility_query* query, const char* text) {
  return change_query(query, [&](kt_facility_query& q) {
    q.query.text = optional_text_arg(text, "text").value_or(std::string());
  });
}

int kt_facility_query_set_customer(kt_facility_query* query, uint64_t customer) {
  return change_query(query, [&](kt_facility_query& q) {
    q.query.customer = optional_id_arg<CustomerTag>(customer);
  });
}

int kt_facility_query_set_active(kt_facility_query* query, int active) {
  return change_query(query, [&](kt_facility_query& q) { q.query.active = active_arg(active); });
}

int kt_facility_query_set_sort(kt_facility_query* query, const char* column, int descending) {
  return change_query(query, [&](kt_facility_query& q) {
    q.query.sort = enum_arg<FacilityColumn>(column, "sort");
    q.query.descending = descending != 0;
  });
}

int kt_facility_query_set_page(kt_facility_query* query, size_t offset, size_t limit) {
  return set_query_page(query, offset, limit);
}

int kt_facility_query_add_custom_filter(kt_facility_query* query, const char* key, const char* match,
                                        const char* value_json) {
  return change_query(query, [&](kt_facility_query& q) {
    q.query.custom.push_back(custom_filter_arg(key, match, value_json));
  });
}

int kt_facility_query_clear_custom_filters(kt_facility_query* query) {
  return change_query(query, [](kt_facility_query& q) { q.query.custom.clear(); });
}

int kt_facility_query_set_custom_sort(kt_facility_query* query, const char* key, int descending) {
  return change_query(query, [&](kt_facility_query& q) {
    q.query.custom_sort = optional_text_arg(key, "key").value_or(std::string());
    q.query.descending = descending != 0;
  });
}

int kt_facility_search(kt_cursor** out, kt_register* reg, uint64_t actor, const kt_facility_query* query) {
  return search_result(out, reg, query, [&](const Register& r, const FacilityQuery& q) {
    return r.search_facilities(actor_arg(actor), q);
  });
}

// ---- lists -------------------------------------------------------------------

int kt_customer_contacts(kt_cursor** out, kt_register* reg, uint64_t actor, uint64_t customer) {
  return guard([&] {
    auto& result = out_param(out);
    auto linked = reg_of(reg).contacts_of(actor_arg(actor), id_arg<CustomerTag>(customer));
    std::vector<Value> items;
    items.reserve(linked.size());
    for (const auto& l : linked)
      items.push_back(Value(Value::Object{{"link", to_value(l.link)}, {"contact", to_value(l.contact)}}));
    result = make_cursor(items);
  });
}

int kt_customer_facilities(kt_cursor** out, kt_register* reg, uint64_t actor, uint64_t customer) {
  return guard([&] {
    auto& result = out_param(out);
    result = make_cursor(reg_of(reg).facilities_of(actor_arg(actor), id_arg<CustomerTag>(customer)));
  });
}

int kt_contact_links(kt_cursor** out, kt_register* reg, uint64_t actor, uint64_t contact) {
  return guard([&] {
    auto& result = out_param(out);
    result = make_cursor(reg_of(reg).links_of(actor_arg(actor), id_arg<ContactTag>(contact)));
  });
}

int kt_facility_service_objects(kt_cursor** out, kt_register* reg, uint64_t actor, uint64_t facility) {
  return guard([&] {
    auto& result = out_param(out);
    result = make_cursor(reg_of(reg).service_objects_of(actor_arg(actor), id_arg<FacilityTag>(facility)));
  });
}

int kt_user_list(kt_cursor** out, kt_register* reg, uint64_t actor) {
  return guard([&] {
    auto& result = out_param(out);
    result = make_cursor(reg_of(reg).users(actor_arg(actor)));
  });
}

int kt_notifications(kt_cursor** out, kt_register* reg, uint64_t actor, size_t limit) {
  return guard([&] {
    auto& result = out_param(out);
    result = make_cursor(reg_of(reg).notifications(actor_arg(actor), limit));
  });
}

int kt_outbox(kt_cursor** out, kt_register* reg, uint64_t actor, size_t limit) {
  return guard([&] {
    auto& result = out_param(out);
    result = make_cursor(reg_of(reg).outbox(actor_arg(actor), limit));
  });
}

int kt_notifications_acknowledge(kt_register* reg, uint64_t actor, const uint64_t* ids, size_t count) {
  return guard([&] {
    auto& r = reg_of(reg);
    r.apply(actor_arg(actor), AcknowledgeNotifications{ids_arg<NotificationTag>(ids, count, "ids")});
  });
}

int kt_user_group_list(kt_cursor** out, kt_register* reg, uint64_t actor) {
  return guard([&] {
    auto& result = out_param(out);
    result = make_cursor(reg_of(reg).user_groups(actor_arg(actor)));
  });
}

// ---- history -----------------------------------------------------------------

int kt_history_query_new(kt_history_query** out) {
  return guard([&] { out_param(out) = make_handle<kt_history_query>(); });
}

void kt_history_query_free(kt_history_query* query) { free_handle(query, "kt_history_query_free"); }

int kt_history_query_set_record(kt_history_query* query, const char* kind, uint64_t id) {
  return change_query(query, [&](kt_history_query& q) {
    if (kind) q.record = RecordRef{enum_arg<RecordKind>(kind, "kind"), id};
    else q.record.reset();
  });
}

int kt_history_query_set_from(kt_history_query* query, const char* from) {
  return change_query(query, [&](kt_history_query& q) { q.range.from = optional_timestamp_arg(from, "from"); });
}

int kt_history_query_set_to(kt_history_query* query, const char* to) {
  return change_query(query, [&](kt_history_query& q) { q.range.to = optional_timestamp_arg(to, "to"); });
}

int kt_history(kt_cursor** out, kt_register* reg, uint64_t actor, const kt_history_query* query) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    kt_history_query q = query ? live(query, "query") : kt_history_query{};
    auto entries = q.record ? r.history(actor_arg(actor), *q.record, q.range) : r.history(actor_arg(actor), q.range);
    result = make_cursor(entries);
  });
}

}  // extern "C"
