// capi/src/orders.cpp: orders of every kind and what is done to them (notes,
// time, files, assignment, closing, conversion), the order list's query
// object and saved filters, the to-do list, reminders, recipients and the
// article catalogue. The rules are the C++ API's (docs/orders.md); records
// cross as JSON in their Value form, as everywhere else.

#include <cmath>

#include "internal.hpp"

using namespace kartotek;
using namespace kartotek::capi;

namespace {

kartotek::Register& reg_of(kt_register* reg) { return live(reg, "reg").reg; }

// A record given as the JSON argument `name` of a call that takes several
// (NULL: none). A refusal names that argument rather than "json", and the
// paths of its members start with it ("new_customer.name"), so the caller
// can tell which of the texts was wrong.
template <class T>
std::optional<T> optional_record_arg(const char* json, const char* name) {
  if (!json) return std::nullopt;
  Value value;
  try {
    value = parse_json(text_arg(json, name));
  } catch (const ValidationError& e) {
    std::string why = e.what();
    const std::string prefix = e.field() + ": ";
    if (why.starts_with(prefix)) why.erase(0, prefix.size());
    invalid(name, why);
  }
  T record{};
  from_value(value, record, name);
  return record;
}

// The article with id `id` as the actor sees the catalogue. The C++ API
// reads articles as a list and by number; an update names one by id.
Article find_article(const kartotek::Register& r, UserId actor, std::uint64_t id) {
  for (auto& article : r.articles(actor))
    if (article.id.value == id) return article;
  throw NotFound("article " + std::to_string(id) + " does not exist");
}

}  // namespace

extern "C" {

// ---- orders ------------------------------------------------------------------

int kt_order_create(uint64_t* out, kt_register* reg, uint64_t actor, const char* order_json) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    auto order = record_from_json<Order>(order_json);
    result = r.apply(actor_arg(actor), CreateOrder{std::move(order), std::nullopt, std::nullopt}).value;
  });
}

int kt_contact_order_create(uint64_t* out, kt_register* reg, uint64_t actor, const char* order_json,
                            const char* new_customer_json, const char* new_facility_json) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    // The kind is implied by the function, so the JSON may leave it out; a
    // different kind is refused rather than silently overridden.
    Order order{};
    order.kind = OrderKind::contact_order;
    from_value(json_arg(order_json), order, "");
    if (order.kind != OrderKind::contact_order)
      invalid("kind", "kt_contact_order_create makes contact orders; other kinds are made with kt_order_create");
    auto customer = optional_record_arg<Customer>(new_customer_json, "new_customer");
    auto facility = optional_record_arg<Facility>(new_facility_json, "new_facility");
    result = r.apply(actor_arg(actor), CreateOrder{std::move(order), std::move(customer), std::move(facility)}).value;
  });
}

int kt_order_update(kt_register* reg, uint64_t actor, uint64_t order, uint64_t revision, const char* patch_json) {
  auto read = [&](const Register& r, UserId a) { return r.order(a, id_arg<OrderTag>(order)); };
  return update_record<UpdateOrder>(reg, actor, order, revision, patch_json, "order", read);
}

int kt_order_assign(kt_register* reg, uint64_t actor, uint64_t order, const uint64_t* users, size_t count) {
  return guard([&] {
    auto& r = reg_of(reg);
    r.apply(actor_arg(actor), AssignOrder{id_arg<OrderTag>(order), ids_arg<UserTag>(users, count, "users")});
  });
}

int kt_order_add_note(kt_register* reg, uint64_t actor, uint64_t order, const char* text) {
  return guard([&] {
    auto& r = reg_of(reg);
    AddOrderNote cmd{id_arg<OrderTag>(order), std::string(text_arg(text, "text"))};
    r.apply(actor_arg(actor), std::move(cmd));
  });
}

int kt_order_add_time(kt_register* reg, uint64_t actor, uint64_t order, double hours, const char* text) {
  return guard([&] {
    auto& r = reg_of(reg);
    // JSON cannot carry NaN or infinity, so neither may enter the register
    // (its history and export are JSON).
    if (!std::isfinite(hours)) invalid("hours", "expected a finite number");
    AddTimeEntry cmd{id_arg<OrderTag>(order), hours, optional_text_arg(text, "text").value_or(std::string())};
    r.apply(actor_arg(actor), std::move(cmd));
  });
}

int kt_order_add_file(kt_register* reg, uint64_t actor, uint64_t order, const char* file_json) {
  return guard([&] {
    auto& r = reg_of(reg);
    // Paths as the register names them ("file.sha256"), whichever refuses.
    FileInfo file{};
    from_value(json_arg(file_json), file, "file");
    r.apply(actor_arg(actor), AddOrderFile{id_arg<OrderTag>(order), std::move(file)});
  });
}

int kt_order_remove_file(kt_register* reg, uint64_t actor, uint64_t order, uint32_t file) {
  return guard([&] { reg_of(reg).apply(actor_arg(actor), RemoveOrderFile{id_arg<OrderTag>(order), file}); });
}

int kt_order_close(kt_register* reg, uint64_t actor, uint64_t order) {
  return guard([&] { reg_of(reg).apply(actor_arg(actor), CloseOrder{id_arg<OrderTag>(order)}); });
}

int kt_order_reopen(kt_register* reg, uint64_t actor, uint64_t order) {
  return guard([&] { reg_of(reg).apply(actor_arg(actor), ReopenOrder{id_arg<OrderTag>(order)}); });
}

int kt_order_delete(kt_register* reg, uint64_t actor, uint64_t order) {
  return guard([&] { reg_of(reg).apply(actor_arg(actor), DeleteOrder{id_arg<OrderTag>(order)}); });
}

int kt_order_convert_to_sales_order(uint64_t* out, kt_register* reg, uint64_t actor, uint64_t order) {
  return guard([&] {
    auto& result = out_param(out);
    result = reg_of(reg).apply(actor_arg(actor), ConvertToSalesOrder{id_arg<OrderTag>(order)}).value;
  });
}

int kt_reminders_raise(kt_register* reg, uint64_t actor) {
  return guard([&] { reg_of(reg).apply(actor_arg(actor), RaiseReminders{}); });
}

int kt_order_get(char** out, kt_register* reg, uint64_t actor, uint64_t order) {
  return guard([&] {
    auto& result = out_param(out);
    result = json_string(reg_of(reg).order(actor_arg(actor), id_arg<OrderTag>(order)));
  });
}

int kt_order_get_by_number(char** out, kt_register* reg, uint64_t actor, const char* kind, uint64_t number) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    auto k = enum_arg<OrderKind>(kind, "kind");
    auto found = r.find_order_by_number(actor_arg(actor), k, number);
    if (!found) throw NotFound("there is no " + std::string(enum_name(k)) + " number " + std::to_string(number));
    result = json_string(*found);
  });
}

int kt_order_recipients(char** out, kt_register* reg, uint64_t actor, uint64_t order) {
  return guard([&] {
    auto& result = out_param(out);
    result = json_string(reg_of(reg).recipients(actor_arg(actor), id_arg<OrderTag>(order)));
  });
}

// ---- the order list ----------------------------------------------------------

int kt_order_query_new(kt_order_query** out) {
  return guard([&] { out_param(out) = make_handle<kt_order_query>(); });
}

void kt_order_query_free(kt_order_query* query) { free_handle(query, "kt_order_query_free"); }

int kt_order_query_set_kind(kt_order_query* query, const char* kind) {
  return change_query(query, [&](kt_order_query& q) {
    if (kind) q.query.kind = enum_arg<OrderKind>(kind, "kind");
    else q.query.kind.reset();
  });
}

int kt_order_query_set_customer(kt_order_query* query, uint64_t customer) {
  return change_query(query, [&](kt_order_query& q) { q.query.customer = optional_id_arg<CustomerTag>(customer); });
}

int kt_order_query_set_status(kt_order_query* query, const char* status) {
  return change_query(query, [&](kt_order_query& q) { q.query.status = optional_text_arg(status, "status"); });
}

int kt_order_query_set_assigned_to_me(kt_order_query* query, int assigned_to_me) {
  return change_query(query, [&](kt_order_query& q) { q.query.assigned_to_me = assigned_to_me != 0; });
}

int kt_order_query_set_assigned_to(kt_order_query* query, uint64_t user) {
  return change_query(query, [&](kt_order_query& q) { q.query.assigned_to = optional_id_arg<UserTag>(user); });
}

int kt_order_query_set_planned_from(kt_order_query* query, const char* from) {
  return change_query(query, [&](kt_order_query& q) {
    q.query.planned_from = optional_timestamp_arg(from, "planned_from");
  });
}

int kt_order_query_set_planned_to(kt_order_query* query, const char* to) {
  return change_query(query, [&](kt_order_query& q) {
    q.query.planned_to = optional_timestamp_arg(to, "planned_to");
  });
}

int kt_order_query_set_closed(kt_order_query* query, int closed) {
  return change_query(query, [&](kt_order_query& q) { q.query.closed = active_arg(closed, "closed"); });
}

int kt_order_query_set_sort(kt_order_query* query, const char* column, int descending) {
  return change_query(query, [&](kt_order_query& q) {
    if (column) q.query.sort = enum_arg<OrderColumn>(column, "sort");
    else q.query.sort.reset();
    q.query.descending = descending != 0;
  });
}

int kt_order_query_set_page(kt_order_query* query, size_t offset, size_t limit) {
  return set_query_page(query, offset, limit);
}

int kt_order_query_add_custom_filter(kt_order_query* query, const char* key, const char* match,
                                     const char* value_json) {
  return change_query(query, [&](kt_order_query& q) {
    q.query.custom.push_back(custom_filter_arg(key, match, value_json));
  });
}

int kt_order_query_clear_custom_filters(kt_order_query* query) {
  return change_query(query, [](kt_order_query& q) { q.query.custom.clear(); });
}

int kt_order_query_set_custom_sort(kt_order_query* query, const char* key, int descending) {
  return change_query(query, [&](kt_order_query& q) {
    q.query.custom_sort = optional_text_arg(key, "key").value_or(std::string());
    q.query.descending = descending != 0;
  });
}

int kt_order_query_set_json(kt_order_query* query, const char* query_json) {
  return set_query_json(query, query_json);
}

int kt_order_search(kt_cursor** out, kt_register* reg, uint64_t actor, const kt_order_query* query) {
  return search_result(out, reg, query, [&](const Register& r, const OrderQuery& q) {
    return r.search_orders(actor_arg(actor), q);
  });
}

int kt_order_filter_save(kt_register* reg, uint64_t actor, const char* name, const kt_order_query* query) {
  return guard([&] {
    auto& r = reg_of(reg);
    std::string filter_name(text_arg(name, "name"));
    OrderQuery q = query ? live(query, "query").query : OrderQuery{};
    r.apply(actor_arg(actor), SaveOrderFilter{OrderFilter{UserId{}, std::move(filter_name), std::move(q)}});
  });
}

int kt_order_filter_delete(kt_register* reg, uint64_t actor, const char* name) {
  return guard([&] {
    auto& r = reg_of(reg);
    r.apply(actor_arg(actor), DeleteOrderFilter{std::string(text_arg(name, "name"))});
  });
}

int kt_order_filters(kt_cursor** out, kt_register* reg, uint64_t actor) {
  return guard([&] {
    auto& result = out_param(out);
    result = make_cursor(reg_of(reg).order_filters(actor_arg(actor)));
  });
}

// ---- to-do list and reminders ------------------------------------------------

int kt_todo(kt_cursor** out, kt_register* reg, uint64_t actor) {
  return guard([&] {
    auto& result = out_param(out);
    result = make_cursor(reg_of(reg).todo(actor_arg(actor)));
  });
}

int kt_due_reminders(kt_cursor** out, kt_register* reg, uint64_t actor, const char* now) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    auto at = timestamp_arg(now, "now");
    result = make_cursor(r.due_reminders(actor_arg(actor), at));
  });
}

// ---- articles ----------------------------------------------------------------

int kt_article_create(uint64_t* out, kt_register* reg, uint64_t actor, const char* article_json) {
  return create_record<CreateArticle, Article>(out, reg, actor, article_json);
}

int kt_article_update(kt_register* reg, uint64_t actor, uint64_t article, uint64_t revision,
                      const char* patch_json) {
  auto read = [&](const Register& r, UserId a) { return find_article(r, a, article); };
  return update_record<UpdateArticle>(reg, actor, article, revision, patch_json, "article", read);
}

int kt_article_delete(kt_register* reg, uint64_t actor, uint64_t article) {
  return guard([&] { reg_of(reg).apply(actor_arg(actor), DeleteArticle{id_arg<ArticleTag>(article)}); });
}

int kt_article_list(kt_cursor** out, kt_register* reg, uint64_t actor) {
  return guard([&] {
    auto& result = out_param(out);
    result = make_cursor(reg_of(reg).articles(actor_arg(actor)));
  });
}

int kt_article_get_by_number(char** out, kt_register* reg, uint64_t actor, const char* number) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    auto wanted = text_arg(number, "number");
    auto article = r.find_article_by_number(actor_arg(actor), wanted);
    if (!article) throw NotFound("no article has the number '" + std::string(wanted) + "'");
    result = json_string(*article);
  });
}

}  // extern "C"
