// capi/src/custom_fields.cpp: custom fields — their definitions (define,
// update on a revision, retire, restore, change of type and what it would
// not convert, the list), the custom filters of the query objects and the
// key-by-key patch of a record's values. The rules are the C++ API's
// (docs/custom-fields.md); definitions cross as the JSON of
// FieldDefinition, records carry their values in "custom".

#include "internal.hpp"

using namespace kartotek;
using namespace kartotek::capi;

namespace {

kartotek::Register& reg_of(kt_register* reg) { return live(reg, "reg").reg; }

// The kinds of record that have custom fields; the other record kinds
// ("user", "article" ...) are refused where the mistake is made.
RecordKind field_kind_arg(const char* kind) {
  auto value = enum_from_name<RecordKind>(text_arg(kind, "kind"));
  if (!value || (*value != RecordKind::customer && *value != RecordKind::contact && *value != RecordKind::facility &&
                 *value != RecordKind::service_object && *value != RecordKind::order))
    invalid("kind", "expected one of customer, contact, facility, service_object, order");
  return *value;
}

// The choices argument of a change of type: NULL for none, else a JSON array
// of texts (refusals name "choices", and "choices[1]" for an element).
std::vector<std::string> choices_arg(const char* choices_json) {
  std::vector<std::string> choices;
  if (choices_json) from_value(json_value_arg(choices_json, "choices"), choices, "choices");
  return choices;
}

// The definition of field `key` of `kind` as the actor reads it, retired or
// not. A customer user reads none: to him no field exists (KT_NOT_FOUND).
FieldDefinition find_definition(const kartotek::Register& r, UserId actor, RecordKind kind, const std::string& key) {
  for (auto& d : r.field_definitions(actor, kind, true))
    if (d.key == key) return d;
  throw NotFound(std::string(enum_name(kind)) + " field '" + key + "' does not exist");
}

}  // namespace

namespace kartotek::capi {

Value custom_patch(const Value& patch, const CustomFields& current) {
  const Value* custom = patch.find("custom");
  if (!custom || !custom->is<Value::Object>()) return patch;
  CustomFields merged = current;
  for (const auto& m : custom->as<Value::Object>()) merged.set(m.key, m.value);
  Value out = patch;
  for (auto& m : out.as<Value::Object>())
    if (m.key == "custom") m.value = merged.value_form();
  return out;
}

CustomFilter custom_filter_arg(const char* key, const char* match, const char* value_json) {
  CustomFilter filter;
  filter.key = std::string(text_arg(key, "key"));
  filter.match = enum_arg<CustomMatch>(match, "match");
  if (value_json) filter.value = json_value_arg(value_json, "value");
  return filter;
}

}  // namespace kartotek::capi

extern "C" {

// ---- definitions -------------------------------------------------------------

int kt_field_define(kt_register* reg, uint64_t actor, const char* definition_json) {
  return guard([&] {
    auto& r = reg_of(reg);
    auto definition = record_from_json<FieldDefinition>(definition_json);
    r.apply(actor_arg(actor), DefineField{std::move(definition)});
  });
}

int kt_field_update(kt_register* reg, uint64_t actor, const char* kind, const char* key, uint64_t revision,
                    const char* patch_json) {
  return guard([&] {
    auto& r = reg_of(reg);
    const RecordKind k = field_kind_arg(kind);
    const std::string name(text_arg(key, "key"));
    Value patch = json_arg(patch_json);
    FieldDefinition current = find_definition(std::as_const(r), actor_arg(actor), k, name);
    const std::string what = std::string(enum_name(k)) + " field '" + name + "'";
    if (current.revision != revision)
      throw Conflict(what + " has changed since it was read (revision " + std::to_string(revision) + ", now " +
                     std::to_string(current.revision) + "); read it again and repeat the change");
    from_value(patch, current, "");
    // The kind and key name the field: a patch changing them would change
    // another field (or none), so they are refused here; the type and the
    // retired flag the command itself refuses to change.
    if (current.kind != k) invalid("kind", "differs from the field being updated; a field's kind never changes");
    if (current.key != name) invalid("key", "differs from the field being updated; a field's key never changes");
    if (current.revision != revision) invalid("revision", "differs from the revision argument");
    r.apply(actor_arg(actor), UpdateFieldDefinition{std::move(current)});
  });
}

int kt_field_retire(kt_register* reg, uint64_t actor, const char* kind, const char* key) {
  return guard([&] {
    auto& r = reg_of(reg);
    RetireField cmd{field_kind_arg(kind), std::string(text_arg(key, "key"))};
    r.apply(actor_arg(actor), std::move(cmd));
  });
}

int kt_field_restore(kt_register* reg, uint64_t actor, const char* kind, const char* key) {
  return guard([&] {
    auto& r = reg_of(reg);
    RestoreField cmd{field_kind_arg(kind), std::string(text_arg(key, "key"))};
    r.apply(actor_arg(actor), std::move(cmd));
  });
}

int kt_field_change_type(kt_register* reg, uint64_t actor, const char* kind, const char* key, uint64_t revision,
                         const char* type, const char* choices_json) {
  return guard([&] {
    auto& r = reg_of(reg);
    ChangeFieldType cmd;
    cmd.kind = field_kind_arg(kind);
    cmd.key = std::string(text_arg(key, "key"));
    cmd.type = enum_arg<FieldType>(type, "type");
    cmd.choices = choices_arg(choices_json);
    cmd.revision = revision;
    r.apply(actor_arg(actor), std::move(cmd));
  });
}

int kt_field_type_conversions(kt_cursor** out, kt_register* reg, uint64_t actor, const char* kind, const char* key,
                              const char* type, const char* choices_json) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    const RecordKind k = field_kind_arg(kind);
    const std::string name(text_arg(key, "key"));
    const FieldType t = enum_arg<FieldType>(type, "type");
    result = make_cursor(r.field_type_conversions(actor_arg(actor), k, name, t, choices_arg(choices_json)));
  });
}

int kt_field_definitions(kt_cursor** out, kt_register* reg, uint64_t actor, const char* kind, int include_retired) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    std::optional<RecordKind> k;
    if (kind) k = field_kind_arg(kind);
    result = make_cursor(r.field_definitions(actor_arg(actor), k, include_retired != 0));
  });
}

}  // extern "C"
