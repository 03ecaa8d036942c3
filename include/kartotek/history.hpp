// kartotek/history.hpp: the append-only change history.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kartotek/clock.hpp"
#include "kartotek/describe.hpp"
#include "kartotek/ids.hpp"
#include "kartotek/value.hpp"

namespace kartotek {

// Source: where a change came from.
enum class Source : std::uint8_t { api, import, merge, system };

template <> struct EnumNames<Source> {
  static constexpr std::array<std::pair<Source, std::string_view>, 4> names{{
      {Source::api, "api"}, {Source::import, "import"}, {Source::merge, "merge"},
      {Source::system, "system"}}};
};

// Action: what happened to the record.
//  created  — `new_value` holds the whole record as created;
//  changed  — `field` changed from `old_value` to `new_value`;
//  deleted  — `old_value` holds the whole record as it was; a record merged
//             into another (MergeCustomers, MergeContacts) has `field`
//             "merged_into" and the kept record in `new_value`;
//  linked / unlinked — a member of a linked collection (`field`: "contacts",
//             "customers", "facilities", "service_objects", "activities",
//             "employees"; after a merge also "merged", "orders",
//             "customer_users", "numbers") was added or removed; the value
//             holds the link (docs/duplicates.md).
enum class Action : std::uint8_t { created, changed, deleted, linked, unlinked };

template <> struct EnumNames<Action> {
  static constexpr std::array<std::pair<Action, std::string_view>, 5> names{{
      {Action::created, "created"}, {Action::changed, "changed"},
      {Action::deleted, "deleted"}, {Action::linked, "linked"},
      {Action::unlinked, "unlinked"}}};
};

template <> struct EnumNames<RecordKind> {
  static constexpr std::array<std::pair<RecordKind, std::string_view>, 10> names{{
      {RecordKind::customer, "customer"}, {RecordKind::contact, "contact"},
      {RecordKind::facility, "facility"}, {RecordKind::service_object, "service_object"},
      {RecordKind::user, "user"}, {RecordKind::settings, "settings"},
      {RecordKind::user_group, "user_group"}, {RecordKind::order, "order"},
      {RecordKind::article, "article"}, {RecordKind::activity, "activity"}}};
};

template <> struct Describe<RecordRef> {
  static constexpr auto fields =
      std::make_tuple(field("kind", &RecordRef::kind), field("id", &RecordRef::id));
};

// HistoryEntry: one fact of the history. Entries are never changed or removed.
// `sequence` orders all entries; `change` is the number of the command that
// made it (every entry of one command shares it).
struct HistoryEntry {
  std::uint64_t sequence = 0;
  std::uint64_t change = 0;
  Timestamp at{};
  UserId actor;
  Source source = Source::api;
  RecordRef record;
  Action action = Action::changed;
  std::string field;
  Value old_value;
  Value new_value;

  friend bool operator==(const HistoryEntry&, const HistoryEntry&) = default;
};

template <> struct Describe<HistoryEntry> {
  static constexpr auto fields = std::make_tuple(
      field("sequence", &HistoryEntry::sequence), field("change", &HistoryEntry::change),
      field("at", &HistoryEntry::at), field("actor", &HistoryEntry::actor),
      field("source", &HistoryEntry::source), field("record", &HistoryEntry::record),
      field("action", &HistoryEntry::action), field("field", &HistoryEntry::field),
      field("old_value", &HistoryEntry::old_value), field("new_value", &HistoryEntry::new_value));
};

// TimeRange: [from, to); an absent end is open.
struct TimeRange {
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
  bool contains(Timestamp t) const noexcept {
    return (!from || t >= *from) && (!to || t < *to);
  }
};

}  // namespace kartotek
