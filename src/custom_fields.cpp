// src/custom_fields.cpp: custom field definitions and the check of the
// values records carry for them (docs/custom-fields.md).

#include <algorithm>
#include <cmath>
#include <set>

#include "applier.hpp"

namespace kartotek {

using namespace internal;

namespace detail {

namespace {

constexpr std::size_t kMaxFieldText = 2000;

bool custom_kind(RecordKind kind) {
  return kind == RecordKind::customer || kind == RecordKind::contact || kind == RecordKind::facility ||
         kind == RecordKind::service_object || kind == RecordKind::order;
}

// [a-z][a-z0-9_]*, at most 40 characters: stable in JSON, CSV headers and
// history ("custom.<key>").
bool valid_key(const std::string& key) {
  if (key.empty() || key.size() > 40 || !(key[0] >= 'a' && key[0] <= 'z')) return false;
  return std::all_of(key.begin(), key.end(),
                     [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'; });
}

std::string describe_field(RecordKind kind, const std::string& key) {
  return std::string(enum_name(kind)) + " field '" + key + "'";
}

// "YYYY-MM-DD" of a real day.
bool valid_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  try {
    return format_timestamp(parse_timestamp(s)).compare(0, 10, s) == 0;
  } catch (const ValidationError&) {
    return false;
  }
}

bool valid_url(const std::string& s) {
  auto scheme_end = s.find("://");
  if (scheme_end == std::string::npos) return false;
  std::string scheme = s.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return false;
  if (s.size() == scheme_end + 3) return false;
  return std::none_of(s.begin(), s.end(), [](char ch) { return static_cast<unsigned char>(ch) <= ' '; });
}

// The value `v` of field `d`, checked and in its normal form (null: none).
Value normalized_value(const FieldDefinition& d, Value v, const std::string& path) {
  if (v.is_null()) return v;
  auto text = [&]() -> std::string {
    if (!v.is<std::string>()) throw ValidationError(path, "expected text");
    std::string t(trim(v.as<std::string>()));
    check_text(path, t, kMaxFieldText, d.type == FieldType::text);
    return t;
  };
  switch (d.type) {
    case FieldType::text: {
      std::string t = text();
      return t.empty() ? Value() : Value(std::move(t));
    }
    case FieldType::integer:
      if (v.is<double>()) {
        double x = v.as<double>();
        if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 9.0e15) return Value(static_cast<std::int64_t>(x));
      }
      if (!v.is<std::int64_t>()) throw ValidationError(path, "expected a whole number");
      return v;
    case FieldType::decimal:
      if (v.is<std::int64_t>()) return Value(static_cast<double>(v.as<std::int64_t>()));
      if (!v.is<double>() || !std::isfinite(v.as<double>())) throw ValidationError(path, "expected a number");
      return v;
    case FieldType::date: {
      std::string t = text();
      if (t.empty()) return Value();
      if (!valid_date(t)) throw ValidationError(path, "'" + t + "' is not a date (YYYY-MM-DD)");
      return Value(std::move(t));
    }
    case FieldType::boolean:
      if (!v.is<bool>()) throw ValidationError(path, "expected true or false");
      return v;
    case FieldType::choice: {
      std::string t = text();
      if (t.empty()) return Value();
      if (std::find(d.choices.begin(), d.choices.end(), t) == d.choices.end())
        throw ValidationError(path, "'" + t + "' is not one of the field's choices");
      return Value(std::move(t));
    }
    case FieldType::multi_choice: {
      if (!v.is<Value::List>()) throw ValidationError(path, "expected a list of choices");
      std::set<std::string> picked;
      for (const auto& item : v.as<Value::List>()) {
        if (!item.is<std::string>()) throw ValidationError(path, "expected a list of choices");
        std::string t(trim(item.as<std::string>()));
        if (std::find(d.choices.begin(), d.choices.end(), t) == d.choices.end())
          throw ValidationError(path, "'" + t + "' is not one of the field's choices");
        picked.insert(t);
      }
      Value::List out;  // in the choices' order, each once
      for (const auto& c : d.choices)
        if (picked.count(c)) out.emplace_back(c);
      return out.empty() ? Value() : Value(std::move(out));
    }
    case FieldType::email: {
      std::string t = text();
      if (t.empty()) return Value();
      check_email(path, t);
      return Value(std::move(t));
    }
    case FieldType::phone: {
      std::string t = text();
      if (t.empty()) return Value();
      check_phone(path, t);
      return Value(std::move(t));
    }
    case FieldType::url: {
      std::string t = text();
      if (t.empty()) return Value();
      if (!valid_url(t)) throw ValidationError(path, "'" + t + "' is not an http or https address");
      return Value(std::move(t));
    }
  }
  return v;
}

FieldDefinition with_retired(const FieldDefinition& d, bool retired) {
  FieldDefinition out = d;
  out.retired = retired;
  out.revision = d.revision + 1;
  return out;
}

}  // namespace

std::vector<FieldDefinition>::iterator Applier::definition(RecordKind kind, const std::string& key) {
  auto& defs = r_.field_definitions;
  auto it = std::lower_bound(defs.begin(), defs.end(), std::tie(kind, key), [](const FieldDefinition& d, const auto& k) {
    return std::tie(d.kind, d.key) < k;
  });
  if (it == defs.end() || it->kind != kind || it->key != key)
    throw NotFound(describe_field(kind, key) + " does not exist");
  return it;
}

void Applier::store_definitions(std::vector<FieldDefinition> next) {
  std::sort(next.begin(), next.end(),
            [](const FieldDefinition& a, const FieldDefinition& b) { return std::tie(a.kind, a.key) < std::tie(b.kind, b.key); });
  auto before = std::make_shared<std::vector<FieldDefinition>>(std::move(r_.field_definitions));
  r_.field_definitions = std::move(next);
  tx_.on_undo([this, before] { r_.field_definitions = std::move(*before); });
}

void Applier::check_definition(FieldDefinition& d) {
  if (!custom_kind(d.kind))
    throw ValidationError("kind", "custom fields are defined on customers, contacts, facilities, service objects and orders");
  if (!valid_key(d.key))
    throw ValidationError("key", "'" + d.key + "' is not a key: a lowercase letter, then letters, digits or _ (at most 40)");
  if (d.labels.empty()) throw ValidationError("labels", "at least one label is required");
  std::set<std::string> languages;
  for (std::size_t i = 0; i < d.labels.size(); ++i) {
    auto& l = d.labels[i];
    std::string f = "labels[" + std::to_string(i) + "]";
    check_language(f + ".language", l.language);
    if (l.language.empty()) throw ValidationError(f + ".language", "required");
    if (!languages.insert(l.language).second) throw ValidationError(f + ".language", "'" + l.language + "' is given twice");
    l.text = trimmed(l.text);
    check_text(f + ".text", l.text, kMaxLine);
    if (l.text.empty()) throw ValidationError(f + ".text", "required");
  }
  bool has_choices = d.type == FieldType::choice || d.type == FieldType::multi_choice;
  if (has_choices && d.choices.empty()) throw ValidationError("choices", "a choice field needs at least one choice");
  if (!has_choices && !d.choices.empty()) throw ValidationError("choices", "only choice fields have choices");
  for (std::size_t i = 0; i < d.choices.size(); ++i) {
    std::string f = "choices[" + std::to_string(i) + "]";
    d.choices[i] = trimmed(d.choices[i]);
    check_text(f, d.choices[i], kMaxLine);
    if (d.choices[i].empty()) throw ValidationError(f, "required");
    if (std::find(d.choices.begin(), d.choices.begin() + static_cast<std::ptrdiff_t>(i), d.choices[i]) !=
        d.choices.begin() + static_cast<std::ptrdiff_t>(i))
      throw ValidationError(f, "'" + d.choices[i] + "' is given twice");
  }
  d.default_value = normalized_value(d, d.default_value, "default_value");
}

void Applier::check_custom(RecordKind kind, CustomFields& values, const CustomFields* before) {
  const auto& defs = r_.field_definitions;
  CustomFields out;
  for (const auto& m : values.values()) {
    const std::string path = "custom." + m.key;
    auto it = std::find_if(defs.begin(), defs.end(), [&](const FieldDefinition& d) { return d.kind == kind && d.key == m.key; });
    if (it == defs.end()) throw ValidationError(path, "no such custom field of " + std::string(enum_name(kind)) + "s");
    if (it->retired) {
      // A retired field keeps what the record held; it takes nothing new.
      const Value* kept = before ? before->find(m.key) : nullptr;
      if (!kept || !(*kept == m.value)) throw ValidationError(path, "the field is retired");
      out.set(m.key, m.value);
      continue;
    }
    out.set(m.key, normalized_value(*it, m.value, path));
  }
  // Retired values the command left out stay: retiring hides, never deletes.
  if (before)
    for (const auto& m : before->values()) {
      auto it = std::find_if(defs.begin(), defs.end(), [&](const FieldDefinition& d) { return d.kind == kind && d.key == m.key; });
      if (it != defs.end() && it->retired && !out.find(m.key)) out.set(m.key, m.value);
    }
  for (const auto& d : defs) {
    if (d.kind != kind || d.retired || out.find(d.key)) continue;
    if (!before && !d.default_value.is_null()) out.set(d.key, d.default_value);
    else if (d.required) throw ValidationError("custom." + d.key, "required");
  }
  values = std::move(out);
}

RecordRef Applier::operator()(const DefineField& cmd) {
  require_administrator("define custom fields");
  FieldDefinition d = cmd.field;
  require_same("retired", d.retired, false, "a new field is in use");
  require_same("revision", d.revision, std::uint64_t{0}, "the register sets it");
  check_definition(d);
  const auto& defs = r_.field_definitions;
  if (std::any_of(defs.begin(), defs.end(), [&](const FieldDefinition& x) { return x.kind == d.kind && x.key == d.key; }))
    throw Conflict(describe_field(d.kind, d.key) + " already exists (retired fields keep their key)");
  d.revision = 1;
  auto next = defs;
  next.push_back(d);
  store_definitions(std::move(next));
  tx_.record({RecordKind::settings, kSettingsId}, Action::linked, "field_definitions", nullptr, to_value(d));
  return {};
}

RecordRef Applier::operator()(const UpdateFieldDefinition& cmd) {
  require_administrator("change custom fields");
  FieldDefinition d = cmd.field;
  const FieldDefinition cur = *definition(d.kind, d.key);
  check_revision(describe_field(d.kind, d.key), d.revision, cur.revision);
  require_same("type", d.type, cur.type, "a field's type does not change here");
  require_same("retired", d.retired, cur.retired, "use RetireField and RestoreField");
  check_definition(d);
  // A choice still held by a record stays.
  for (const auto& gone : cur.choices) {
    if (std::find(d.choices.begin(), d.choices.end(), gone) != d.choices.end()) continue;
    auto holds = [&](const CustomFields& c) {
      const Value* v = c.find(d.key);
      if (!v) return false;
      if (v->is<std::string>()) return v->as<std::string>() == gone;
      if (v->is<Value::List>())
        for (const auto& x : v->as<Value::List>())
          if (x.is<std::string>() && x.as<std::string>() == gone) return true;
      return false;
    };
    std::size_t n = 0;
    switch (d.kind) {
      case RecordKind::customer: for (const auto& r : r_.customers) n += holds(r.record.custom); break;
      case RecordKind::contact: for (const auto& r : r_.contacts) n += holds(r.record.custom); break;
      case RecordKind::facility: for (const auto& r : r_.facilities) n += holds(r.record.custom); break;
      case RecordKind::service_object: for (const auto& r : r_.service_objects) n += holds(r.record.custom); break;
      case RecordKind::order: for (const auto& r : r_.orders) n += holds(r.record.custom); break;
      default: break;
    }
    if (n)
      throw Conflict("choice '" + gone + "' of " + describe_field(d.kind, d.key) + " is held by " + std::to_string(n) +
                     (n == 1 ? " record" : " records") + "; change them first");
  }
  d.revision = cur.revision;
  if (d == cur) return {};
  d.revision = cur.revision + 1;
  auto next = r_.field_definitions;
  *std::find(next.begin(), next.end(), cur) = d;
  store_definitions(std::move(next));
  tx_.record({RecordKind::settings, kSettingsId}, Action::changed, "field_definitions", to_value(cur), to_value(d));
  return {};
}

RecordRef Applier::operator()(const RetireField& cmd) {
  require_administrator("retire custom fields");
  const FieldDefinition cur = *definition(cmd.kind, cmd.key);
  if (cur.retired) return {};
  auto next = r_.field_definitions;
  FieldDefinition d = with_retired(cur, true);
  *std::find(next.begin(), next.end(), cur) = d;
  store_definitions(std::move(next));
  tx_.record({RecordKind::settings, kSettingsId}, Action::changed, "field_definitions", to_value(cur), to_value(d));
  return {};
}

RecordRef Applier::operator()(const RestoreField& cmd) {
  require_administrator("restore custom fields");
  const FieldDefinition cur = *definition(cmd.kind, cmd.key);
  if (!cur.retired) return {};
  auto next = r_.field_definitions;
  FieldDefinition d = with_retired(cur, false);
  *std::find(next.begin(), next.end(), cur) = d;
  store_definitions(std::move(next));
  tx_.record({RecordKind::settings, kSettingsId}, Action::changed, "field_definitions", to_value(cur), to_value(d));
  return {};
}

}  // namespace detail

std::vector<FieldDefinition> Register::field_definitions(UserId actor, std::optional<RecordKind> kind,
                                                         bool include_retired) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  std::vector<FieldDefinition> out;
  if (a.customer_user()) return out;
  for (const auto& d : impl_->field_definitions)
    if ((!kind || d.kind == *kind) && (include_retired || !d.retired)) out.push_back(d);
  std::stable_sort(out.begin(), out.end(), [](const FieldDefinition& x, const FieldDefinition& y) {
    return std::tie(x.kind, x.display_order, x.key) < std::tie(y.kind, y.display_order, y.key);
  });
  return out;
}

}  // namespace kartotek
