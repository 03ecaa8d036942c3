// kartotek/notification.hpp: the register's outbox of notifications to users.
//
// Commands that concern a user (being assigned a customer, or no longer)
// leave a notification for him in the outbox, in the same transaction. The
// host application delivers them (in the app, by e-mail …) and then
// acknowledges them; until then they stay, also across crashes and restarts.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "kartotek/clock.hpp"
#include "kartotek/describe.hpp"
#include "kartotek/history.hpp"
#include "kartotek/ids.hpp"

namespace kartotek {

using NotificationId = Id<struct NotificationTag>;

// What happened. New kinds go at the end: the numbers are stored.
enum class NotificationKind : std::uint8_t {
  assigned,    // you were made responsible for `subject` (a customer)
  unassigned,  // you are no longer responsible for `subject`
  order_assigned,    // you were assigned order `subject`
  order_unassigned,  // you are no longer assigned order `subject`
  booking,           // a booking of order `subject` was made for you
  reminder,          // a booking of order `subject` is due
};

template <> struct EnumNames<NotificationKind> {
  static constexpr std::array<std::pair<NotificationKind, std::string_view>, 6> names{{
      {NotificationKind::assigned, "assigned"}, {NotificationKind::unassigned, "unassigned"},
      {NotificationKind::order_assigned, "order_assigned"},
      {NotificationKind::order_unassigned, "order_unassigned"}, {NotificationKind::booking, "booking"},
      {NotificationKind::reminder, "reminder"}}};
};

// How the host should deliver it: the settings say which channels the group
// allows; e-mail goes to users who have an address.
enum class Channel : std::uint8_t { in_app, email, sms };

template <> struct EnumNames<Channel> {
  static constexpr std::array<std::pair<Channel, std::string_view>, 3> names{{
      {Channel::in_app, "in_app"}, {Channel::email, "email"}, {Channel::sms, "sms"}}};
};

// Notification: one message to one user. `text` is in the recipient's
// language (sv, da, nb, fi or en; else the register's) and names the subject
// only if the recipient may see it. Everything is set by the register.
struct Notification {
  NotificationId id;
  UserId recipient;
  NotificationKind kind = NotificationKind::assigned;
  RecordRef subject;
  std::string text;
  std::string language;
  Channel channel = Channel::in_app;
  Timestamp created_at{};

  friend bool operator==(const Notification&, const Notification&) = default;
};

template <> struct Describe<Notification> {
  static constexpr auto fields = std::make_tuple(
      field("id", &Notification::id), field("recipient", &Notification::recipient),
      field("kind", &Notification::kind), field("subject", &Notification::subject),
      field("text", &Notification::text), field("language", &Notification::language),
      field("channel", &Notification::channel), field("created_at", &Notification::created_at));
};

}  // namespace kartotek
