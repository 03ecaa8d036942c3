// src/custom_fields.cpp: custom field definitions and the check of the
// values records carry for them (docs/custom-fields.md).

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "applier.hpp"
#include "custom_search.hpp"

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

// "customers", "service objects" …: the records of a kind, in messages.
std::string records_of(RecordKind kind) {
  switch (kind) {
    case RecordKind::facility: return "facilities";
    case RecordKind::service_object: return "service objects";
    default: return std::string(enum_name(kind)) + "s";
  }
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

bool text_type(FieldType t) {
  return t == FieldType::text || t == FieldType::choice || t == FieldType::email || t == FieldType::phone ||
         t == FieldType::url;
}

std::string number_text(const Value& v) {
  if (v.is<std::int64_t>()) return std::to_string(v.as<std::int64_t>());
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.as<double>());
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

// The stored value `v` in the form of field `to` (a new type), or the
// reason it does not convert. Numbers and text convert where the text is a
// number; anything becomes text; a single choice becomes a multi-choice.
std::pair<Value, std::string> converted(const FieldDefinition& to, const Value& v) {
  Value candidate = v;
  std::string why;
  auto text_of = [&](const Value& x) -> std::optional<std::string> {
    if (x.is<std::string>()) return x.as<std::string>();
    if (x.is<std::int64_t>() || x.is<double>()) return number_text(x);
    if (x.is<bool>()) return std::string(x.as<bool>() ? "true" : "false");
    return std::nullopt;
  };
  switch (to.type) {
    case FieldType::integer:
    case FieldType::decimal:
      if (v.is<std::string>()) {
        std::string t(trim(v.as<std::string>()));
        std::int64_t i = 0;
        double d = 0;
        const char* end = t.data() + t.size();
        if (auto [p, ec] = std::from_chars(t.data(), end, i); ec == std::errc() && p == end && !t.empty())
          candidate = Value(i);
        else if (auto [q, ec2] = std::from_chars(t.data(), end, d); ec2 == std::errc() && q == end && !t.empty())
          candidate = Value(d);
        else
          return {Value(), "'" + t + "' is not a number"};
      } else if (!v.is<std::int64_t>() && !v.is<double>()) {
        return {Value(), "is not a number"};
      }
      break;
    case FieldType::boolean:
      if (v.is<std::string>()) {
        std::string t = case_fold(trim(v.as<std::string>()));
        if (t == "true" || t == "yes") candidate = Value(true);
        else if (t == "false" || t == "no") candidate = Value(false);
        else return {Value(), "'" + v.as<std::string>() + "' is not true or false"};
      } else if (v.is<std::int64_t>() && (v.as<std::int64_t>() == 0 || v.as<std::int64_t>() == 1)) {
        candidate = Value(v.as<std::int64_t>() == 1);
      }
      break;
    case FieldType::multi_choice:
      if (v.is<std::string>()) candidate = Value(Value::List{v});
      break;
    default:  // the text types and date
      if (v.is<Value::List>()) {
        const auto& items = v.as<Value::List>();
        if (to.type == FieldType::text) {
          std::string joined;
          for (const auto& item : items) {
            if (!joined.empty()) joined += ", ";
            joined += text_of(item).value_or(std::string());
          }
          candidate = Value(std::move(joined));
        } else if (items.size() == 1) {
          candidate = items.front();
        } else {
          return {Value(), "holds " + std::to_string(items.size()) + " choices"};
        }
      } else if (auto t = text_of(v)) {
        candidate = Value(std::move(*t));
      }
      break;
  }
  try {
    return {normalized_value(to, candidate, ""), std::string()};
  } catch (const ValidationError& e) {
    return {Value(), e.what()};
  }
}

// Calls f(record_id, custom_fields) for every record of `kind`.
template <class F>
void for_each_custom(const Register::Impl& r, RecordKind kind, F f) {
  switch (kind) {
    case RecordKind::customer: for (const auto& x : r.customers) f(x.record.id.value, x.record.custom); break;
    case RecordKind::contact: for (const auto& x : r.contacts) f(x.record.id.value, x.record.custom); break;
    case RecordKind::facility: for (const auto& x : r.facilities) f(x.record.id.value, x.record.custom); break;
    case RecordKind::service_object: for (const auto& x : r.service_objects) f(x.record.id.value, x.record.custom); break;
    case RecordKind::order: for (const auto& x : r.orders) f(x.record.id.value, x.record.custom); break;
    default: break;
  }
}

// The definition `d` with type `type` and `choices`, checked.
FieldDefinition retyped(const FieldDefinition& d, FieldType type, const std::vector<std::string>& choices) {
  FieldDefinition out = d;
  out.type = type;
  out.choices = choices;
  return out;
}

// What a change of type does to each stored value: the new values of the
// records that change, and the values that do not convert.
struct Conversion {
  std::vector<std::pair<std::uint64_t, Value>> changed;
  std::vector<FieldConversion> refused;
};

Conversion convert_all(const Register::Impl& r, const FieldDefinition& to) {
  Conversion out;
  for_each_custom(r, to.kind, [&](std::uint64_t id, const CustomFields& c) {
    const Value* v = c.find(to.key);
    if (!v) return;
    auto [value, why] = converted(to, *v);
    if (!why.empty()) out.refused.push_back({to.kind, id, *v, why});
    else if (!(value == *v)) out.changed.emplace_back(id, std::move(value));
  });
  std::sort(out.refused.begin(), out.refused.end(),
            [](const FieldConversion& a, const FieldConversion& b) { return a.record < b.record; });
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
  tx_.on_undo([&r = r_, before] { r.field_definitions = std::move(*before); });
}

// Checks a definition and puts its labels, choices and default in their
// normal form (shared by the commands and field_type_conversions).
void check_definition_of(FieldDefinition& d);

void Applier::check_definition(FieldDefinition& d) { check_definition_of(d); }

void check_definition_of(FieldDefinition& d) {
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
    if (it == defs.end()) throw ValidationError(path, "no such custom field of " + records_of(kind));
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
    for_each_custom(r_, d.kind, [&](std::uint64_t, const CustomFields& c) { n += holds(c); });
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

RecordRef Applier::operator()(const ChangeFieldType& cmd) {
  require_administrator("change custom fields");
  const FieldDefinition cur = *definition(cmd.kind, cmd.key);
  check_revision(describe_field(cmd.kind, cmd.key), cmd.revision, cur.revision);
  FieldDefinition d = retyped(cur, cmd.type, cmd.choices);
  if (!cur.default_value.is_null()) {
    // A default that does not convert is dropped, never guessed.
    auto [value, why] = converted(d, cur.default_value);
    d.default_value = why.empty() ? value : Value();
  }
  check_definition(d);
  if (d.type == cur.type && d.choices == cur.choices) return {};
  Conversion c = convert_all(r_, d);
  if (!c.refused.empty()) {
    const auto& first = c.refused.front();
    std::size_t n = c.refused.size();
    throw Conflict(describe_field(d.kind, d.key) + " cannot become " + std::string(enum_name(d.type)) + ": " +
                   std::to_string(n) + (n == 1 ? " value does" : " values do") + " not convert, the first " +
                   std::string(enum_name(first.kind)) + " " + std::to_string(first.record) + "'s " +
                   to_json(first.value) + " (" + first.reason + "); change them first");
  }
  d.revision = cur.revision + 1;
  auto next = r_.field_definitions;
  *std::find(next.begin(), next.end(), cur) = d;
  store_definitions(std::move(next));
  tx_.record({RecordKind::settings, kSettingsId}, Action::changed, "field_definitions", to_value(cur), to_value(d));
  for (const auto& change : c.changed) {
    const std::uint64_t id = change.first;
    const Value& value = change.second;
    auto with = [&](auto& store, auto make_row) {
      const auto& row = *store.find(id);
      auto next_record = row.record;
      next_record.custom.set(d.key, value);
      replace_record(store, row.record, std::move(next_record), make_row);
    };
    switch (d.kind) {
      case RecordKind::customer: with(r_.customers, [&](Customer x) { return r_.customer_row(std::move(x)); }); break;
      case RecordKind::contact: with(r_.contacts, [&](Contact x) { return r_.contact_row(std::move(x)); }); break;
      case RecordKind::facility: with(r_.facilities, [](Facility x) { return FacilityRow{std::move(x)}; }); break;
      case RecordKind::service_object:
        with(r_.service_objects, [](ServiceObject x) { return ServiceObjectRow{std::move(x)}; });
        break;
      case RecordKind::order: with(r_.orders, [](Order x) { return OrderRow{std::move(x)}; }); break;
      default: break;
    }
  }
  return {};
}

}  // namespace detail

std::vector<FieldConversion> Register::field_type_conversions(UserId actor, RecordKind kind, const std::string& key,
                                                              FieldType type,
                                                              const std::vector<std::string>& choices) const {
  std::shared_lock lock(impl_->mutex);
  const Access a(*impl_, impl_->actor(actor));
  a.require_administrator("change custom fields");
  const auto& defs = impl_->field_definitions;
  auto it = std::find_if(defs.begin(), defs.end(), [&](const FieldDefinition& d) { return d.kind == kind && d.key == key; });
  if (it == defs.end()) throw NotFound(detail::describe_field(kind, key) + " does not exist");
  FieldDefinition d = detail::retyped(*it, type, choices);
  d.default_value = Value();  // the report is about stored values
  detail::check_definition_of(d);  // choices the new type cannot have are refused, as by ChangeFieldType
  return detail::convert_all(*impl_, d).refused;
}

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

namespace kartotek::internal {

namespace {

// -1, 0, 1 for numbers of either form (integers exactly).
int compare_numbers(const Value& a, const Value& b) {
  if (a.is<std::int64_t>() && b.is<std::int64_t>()) {
    auto x = a.as<std::int64_t>(), y = b.as<std::int64_t>();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  auto num = [](const Value& v) { return v.is<std::int64_t>() ? static_cast<double>(v.as<std::int64_t>()) : v.as<double>(); };
  double x = num(a), y = num(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

}  // namespace

CustomSearch::CustomSearch(const std::vector<FieldDefinition>& definitions, const TextRules& text, RecordKind kind,
                           const std::vector<CustomFilter>& filters, const std::string& sort)
    : text_(text) {
  auto find = [&](const std::string& key, const std::string& path) -> const FieldDefinition* {
    auto it = std::find_if(definitions.begin(), definitions.end(),
                           [&](const FieldDefinition& d) { return d.kind == kind && d.key == key; });
    if (it == definitions.end())
      throw ValidationError(path, "no such custom field of " + detail::records_of(kind) + ": '" + key + "'");
    if (it->retired) throw ValidationError(path, "custom field '" + key + "' is retired");
    return &*it;
  };
  for (std::size_t i = 0; i < filters.size(); ++i) {
    const CustomFilter& f = filters[i];
    const std::string path = "custom[" + std::to_string(i) + "]";
    Filter out{find(f.key, path + ".key"), f.match, Value(), {}};
    const FieldDefinition& d = *out.field;
    const std::string vpath = path + ".value";
    switch (f.match) {
      case CustomMatch::equals:
        if (f.value.is_null()) break;  // no value
        if (d.type == FieldType::choice || d.type == FieldType::multi_choice) {
          // one of the choices, ignoring case as search does (a multi-choice: one it holds)
          if (!f.value.is<std::string>()) throw ValidationError(vpath, "expected one of the field's choices");
          const std::string wanted = text.fold(trim(f.value.as<std::string>()));
          auto it = std::find_if(d.choices.begin(), d.choices.end(),
                                 [&](const std::string& c) { return text.fold(c) == wanted; });
          if (it == d.choices.end())
            throw ValidationError(vpath, "'" + f.value.as<std::string>() + "' is not one of the field's choices");
          out.value = Value(*it);
        } else {
          out.value = detail::normalized_value(d, f.value, vpath);
        }
        if (out.value.is_null()) throw ValidationError(vpath, "required (null asks for no value)");
        if (detail::text_type(d.type)) out.folded = text.fold(out.value.as<std::string>());
        break;
      case CustomMatch::contains:
        if (!detail::text_type(d.type))
          throw ValidationError(path + ".match", "contains is for text fields; '" + d.key + "' is " +
                                                     std::string(enum_name(d.type)));
        if (!f.value.is<std::string>() || trim(f.value.as<std::string>()).empty())
          throw ValidationError(vpath, "expected text");
        check_text(vpath, f.value.as<std::string>(), 200);
        out.value = Value(std::string(trim(f.value.as<std::string>())));
        out.folded = text.fold(out.value.as<std::string>());
        break;
      case CustomMatch::at_least:
      case CustomMatch::at_most:
        if (d.type != FieldType::integer && d.type != FieldType::decimal && d.type != FieldType::date)
          throw ValidationError(path + ".match", std::string(enum_name(f.match)) +
                                                     " is for integer, decimal and date fields; '" + d.key + "' is " +
                                                     std::string(enum_name(d.type)));
        if (d.type == FieldType::integer && f.value.is<double>()) {
          FieldDefinition as_decimal = d;  // a bound need not be whole
          as_decimal.type = FieldType::decimal;
          out.value = detail::normalized_value(as_decimal, f.value, vpath);
        } else {
          out.value = detail::normalized_value(d, f.value, vpath);
        }
        if (out.value.is_null()) throw ValidationError(vpath, "required");
        break;
    }
    filters_.push_back(std::move(out));
  }
  if (!sort.empty()) sort_ = find(sort, "custom_sort");
  for (const auto& d : definitions)
    if (d.kind == kind && d.searchable && !d.retired && detail::text_type(d.type)) searchable_.push_back(&d);
}

bool CustomSearch::holds(const Filter& f, const Value* v) const {
  const FieldType type = f.field->type;
  switch (f.match) {
    case CustomMatch::equals:
      if (f.value.is_null()) return v == nullptr;
      if (!v) return false;
      if (type == FieldType::multi_choice) {
        if (!v->is<Value::List>()) return false;
        const auto& items = v->as<Value::List>();
        return std::find(items.begin(), items.end(), f.value) != items.end();
      }
      if (detail::text_type(type)) return v->is<std::string>() && text_.fold(v->as<std::string>()) == f.folded;
      if (type == FieldType::integer || type == FieldType::decimal)
        return (v->is<std::int64_t>() || v->is<double>()) && compare_numbers(*v, f.value) == 0;
      return *v == f.value;
    case CustomMatch::contains:
      return v && v->is<std::string>() && text_.fold(v->as<std::string>()).find(f.folded) != std::string::npos;
    case CustomMatch::at_least:
    case CustomMatch::at_most: {
      if (!v) return false;
      int c = 0;
      if (type == FieldType::date) {
        if (!v->is<std::string>()) return false;
        c = v->as<std::string>().compare(f.value.as<std::string>());
      } else {
        if (!v->is<std::int64_t>() && !v->is<double>()) return false;
        c = compare_numbers(*v, f.value);
      }
      return f.match == CustomMatch::at_least ? c >= 0 : c <= 0;
    }
  }
  return false;
}

bool CustomSearch::matches(const CustomFields& values) const {
  for (const auto& f : filters_)
    if (!holds(f, values.find(f.field->key))) return false;
  return true;
}

CustomSearch::SortKey CustomSearch::sort_key(const CustomFields& values) const {
  SortKey k;
  const Value* v = sort_ ? values.find(sort_->key) : nullptr;
  if (!v) return k;
  k.missing = false;
  const auto& choices = sort_->choices;
  auto choice_index = [&](const Value& x) {
    auto it = x.is<std::string>() ? std::find(choices.begin(), choices.end(), x.as<std::string>()) : choices.end();
    return static_cast<double>(it - choices.begin());
  };
  switch (sort_->type) {
    case FieldType::integer:
    case FieldType::decimal:
      if (v->is<std::int64_t>()) k.number = static_cast<double>(v->as<std::int64_t>());
      else if (v->is<double>()) k.number = v->as<double>();
      break;
    case FieldType::boolean: k.number = v->is<bool>() && v->as<bool>() ? 1 : 0; break;
    case FieldType::choice: k.number = choice_index(*v); break;  // in the choices' order
    case FieldType::multi_choice:
      if (v->is<Value::List>() && !v->as<Value::List>().empty()) k.number = choice_index(v->as<Value::List>().front());
      break;
    case FieldType::date:
      if (v->is<std::string>()) k.text = v->as<std::string>();
      break;
    default:
      if (v->is<std::string>()) k.text = text_.sort_key(v->as<std::string>());
      break;
  }
  return k;
}

int CustomSearch::compare(const SortKey& a, const SortKey& b, bool descending) {
  if (a.missing != b.missing) return a.missing ? 1 : -1;
  int c = a.number < b.number ? -1 : a.number > b.number ? 1 : a.text.compare(b.text) < 0 ? -1 : a.text.compare(b.text) > 0 ? 1 : 0;
  return descending ? -c : c;
}

bool CustomSearch::text_hit(const CustomFields& values, const std::string& needle, TextMatch how) const {
  for (const FieldDefinition* d : searchable_) {
    const Value* v = values.find(d->key);
    if (!v || !v->is<std::string>()) continue;
    std::string folded = text_.fold(v->as<std::string>());
    if (how == TextMatch::prefix ? folded.compare(0, needle.size(), needle) == 0 : folded.find(needle) != std::string::npos)
      return true;
  }
  return false;
}

}  // namespace kartotek::internal
