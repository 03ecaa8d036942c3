// capi/src/duplicates.cpp: duplicates — the pairs of customers or contacts
// that look like one (kt_duplicates_find), the records an unsaved customer
// or contact resembles (kt_customer_similar, kt_contact_similar), and the
// merges that join two into one (kt_customers_merge, kt_contacts_merge).
// The rules are the C++ API's (docs/duplicates.md); pairs cross as the JSON
// of DuplicatePair, candidates as the JSON a create takes.

#include "internal.hpp"

using namespace kartotek;
using namespace kartotek::capi;

namespace {

kartotek::Register& reg_of(kt_register* reg) { return live(reg, "reg").reg; }

// The kinds of record duplicates are found among; the other record kinds
// ("order", "user" ...) are refused where the mistake is made.
RecordKind duplicate_kind_arg(const char* kind) {
  auto value = enum_from_name<RecordKind>(text_arg(kind, "kind"));
  if (!value || (*value != RecordKind::customer && *value != RecordKind::contact))
    invalid("kind", "expected one of customer, contact");
  return *value;
}

// The `take` argument of a merge: NULL for none, else a JSON array of field
// names (refusals name "take", and "take[1]" for an element that is no
// text; the merge itself names "take[1]" for a name it cannot take).
std::vector<std::string> take_arg(const char* take_json) {
  std::vector<std::string> take;
  if (take_json) from_value(json_value_arg(take_json, "take"), take, "take");
  return take;
}

// merge_records: the body of a merge of two records of Tag's kind, one
// Command (MergeCustomers, MergeContacts).
template <class Command, class Tag>
int merge_records(kt_register* reg, std::uint64_t actor, std::uint64_t keep, std::uint64_t remove,
                  const char* take_json) noexcept {
  return guard([&] {
    auto& r = reg_of(reg);
    Command cmd{id_arg<Tag>(keep), id_arg<Tag>(remove), take_arg(take_json)};
    r.apply(actor_arg(actor), std::move(cmd));
  });
}

}  // namespace

extern "C" {

int kt_duplicates_find(kt_cursor** out, kt_register* reg, uint64_t actor, const char* kind, int min_score,
                       size_t limit) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    DuplicateQuery query;
    query.kind = duplicate_kind_arg(kind);
    query.min_score = min_score;
    query.limit = limit;
    result = make_cursor(r.find_duplicates(actor_arg(actor), query));
  });
}

int kt_customer_similar(kt_cursor** out, kt_register* reg, uint64_t actor, const char* customer_json,
                        int min_score) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    const auto candidate = record_from_json<Customer>(customer_json);
    result = make_cursor(r.similar_customers(actor_arg(actor), candidate, min_score));
  });
}

int kt_contact_similar(kt_cursor** out, kt_register* reg, uint64_t actor, const char* contact_json, int min_score) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    const auto candidate = record_from_json<Contact>(contact_json);
    result = make_cursor(r.similar_contacts(actor_arg(actor), candidate, min_score));
  });
}

int kt_customers_merge(kt_register* reg, uint64_t actor, uint64_t keep, uint64_t remove, const char* take_json) {
  return merge_records<MergeCustomers, CustomerTag>(reg, actor, keep, remove, take_json);
}

int kt_contacts_merge(kt_register* reg, uint64_t actor, uint64_t keep, uint64_t remove, const char* take_json) {
  return merge_records<MergeContacts, ContactTag>(reg, actor, keep, remove, take_json);
}

}  // extern "C"
