// kartotek/crm.hpp: the CRM around customers and contacts — notes,
// meetings, tasks, e-mails, the customer journal, files and reminders — as
// activities; the queries that list them, due reminders and a customer's
// linked employees. Rules: docs/crm.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "kartotek/clock.hpp"
#include "kartotek/describe.hpp"
#include "kartotek/ids.hpp"
#include "kartotek/order.hpp"

namespace kartotek {

// ActivityKind: what an activity is. New kinds go at the end: the numbers
// are stored.
enum class ActivityKind : std::uint8_t {
  note,      // a note on a customer or contact
  meeting,   // a meeting with an owner, a time and participants
  task,      // a task with an owner, a due date and a status
  email,     // an e-mail sent to or received from a contact
  journal,   // a dated entry of a customer's journal
  file,      // the metadata of a file uploaded to a customer or contact
  reminder,  // a reminder on a customer, due at a time, for a user
};

inline constexpr std::size_t kActivityKinds = 7;

template <> struct EnumNames<ActivityKind> {
  static constexpr std::array<std::pair<ActivityKind, std::string_view>, kActivityKinds> names{{
      {ActivityKind::note, "note"},
      {ActivityKind::meeting, "meeting"},
      {ActivityKind::task, "task"},
      {ActivityKind::email, "email"},
      {ActivityKind::journal, "journal"},
      {ActivityKind::file, "file"},
      {ActivityKind::reminder, "reminder"},
  }};
};

// The statuses a register's tasks start with; the first is a new task's.
inline std::vector<std::string> default_task_statuses() { return {"open", "in_progress", "waiting", "done"}; }

// Activity: one note, meeting, task, e-mail, journal entry, file or
// reminder, on exactly one customer or one contact (e-mails on a contact;
// journal entries and reminders on a customer). Which fields a kind uses:
//
//   kind      owner                 at              other fields
//   note      author (the register) written (reg.)  text
//   meeting   the meeting's owner   start           end, subject, text, participants
//   task      the task's owner      due             subject, text, status
//   email     —                     sent/received   subject, text (body), sender, recipients
//   journal   author (the register) the entry's day text
//   file      uploader (register)   uploaded (reg.) file
//   reminder  the user reminded     due             subject, text, done, reminded (reg.)
//
// A field a kind does not use must be left empty. `id`, `created_by`,
// `created_at`, `revision` and the fields marked "(register)" are kept by
// the register. `customer`, `contact` and `kind` never change after
// creation. Who sees and changes what: docs/crm.md.
struct Activity {
  ActivityId id;
  ActivityKind kind = ActivityKind::note;
  std::optional<CustomerId> customer;
  std::optional<ContactId> contact;
  UserId owner;
  Timestamp at{};
  std::optional<Timestamp> end;
  std::string subject;
  std::string text;
  std::string status;
  std::vector<UserId> participants;
  std::string sender;
  std::vector<std::string> recipients;
  std::optional<FileInfo> file;
  bool done = false;
  bool reminded = false;
  UserId created_by;
  Timestamp created_at{};
  std::uint64_t revision = 0;

  friend bool operator==(const Activity&, const Activity&) = default;
};

template <> struct Describe<Activity> {
  static constexpr auto fields = std::make_tuple(
      field("id", &Activity::id), field("kind", &Activity::kind), field("customer", &Activity::customer),
      field("contact", &Activity::contact), field("owner", &Activity::owner), field("at", &Activity::at),
      field("end", &Activity::end), field("subject", &Activity::subject), field("text", &Activity::text),
      field("status", &Activity::status), field("participants", &Activity::participants),
      field("sender", &Activity::sender), field("recipients", &Activity::recipients), field("file", &Activity::file),
      field("done", &Activity::done), field("reminded", &Activity::reminded), field("created_by", &Activity::created_by),
      field("created_at", &Activity::created_at), field("revision", &Activity::revision));
};

// ActivityQuery: which activities a list shows; every filter given narrows
// it. With `contact` set, the list also holds the notes written on the
// customers he is a contact person of (unless `company_notes` is off).
// `statuses` keeps tasks with any of the statuses listed. The time range
// [since, until) applies to `at`. Sorted by `at` (then id), oldest first unless
// `descending`; cut to [offset, offset+limit).
struct ActivityQuery {
  std::vector<ActivityKind> kinds;  // empty: every kind
  std::optional<CustomerId> customer;
  std::optional<ContactId> contact;
  bool company_notes = true;
  std::optional<UserId> owner;
  std::vector<std::string> statuses;
  std::optional<Timestamp> since;
  std::optional<Timestamp> until;
  bool descending = false;
  std::size_t offset = 0;
  std::size_t limit = 50;

  friend bool operator==(const ActivityQuery&, const ActivityQuery&) = default;
};

template <> struct Describe<ActivityQuery> {
  static constexpr auto fields = std::make_tuple(
      field("kinds", &ActivityQuery::kinds), field("customer", &ActivityQuery::customer),
      field("contact", &ActivityQuery::contact), field("company_notes", &ActivityQuery::company_notes),
      field("owner", &ActivityQuery::owner), field("statuses", &ActivityQuery::statuses),
      field("since", &ActivityQuery::since), field("until", &ActivityQuery::until),
      field("descending", &ActivityQuery::descending), field("offset", &ActivityQuery::offset),
      field("limit", &ActivityQuery::limit));
};

// Reminder: something due — a booking of an order (its time has come and it
// is not done), or a reminder on a customer (then `order` is 0, `booking`
// empty and `activity` holds it).
struct Reminder {
  OrderId order;
  Booking booking;
  std::optional<Activity> activity;

  friend bool operator==(const Reminder&, const Reminder&) = default;
};

template <> struct Describe<Reminder> {
  static constexpr auto fields = std::make_tuple(
      field("order", &Reminder::order), field("booking", &Reminder::booking), field("activity", &Reminder::activity));
};

// LinkedEmployee: a staff user tied to a customer — linked to it directly
// (LinkEmployee), or having worked on its orders (assigned to one, or having
// recorded time on one). `orders` counts the customer's orders he worked on
// that the reading user sees.
struct LinkedEmployee {
  UserId user;
  std::string name;
  bool linked = false;
  std::uint64_t orders = 0;

  friend bool operator==(const LinkedEmployee&, const LinkedEmployee&) = default;
};

template <> struct Describe<LinkedEmployee> {
  static constexpr auto fields = std::make_tuple(
      field("user", &LinkedEmployee::user), field("name", &LinkedEmployee::name),
      field("linked", &LinkedEmployee::linked), field("orders", &LinkedEmployee::orders));
};

}  // namespace kartotek
