// kartotek/settings.hpp: the group's settings. Only an administrator changes them.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include "kartotek/crm.hpp"
#include "kartotek/describe.hpp"
#include "kartotek/notification.hpp"
#include "kartotek/order.hpp"

namespace kartotek {

// DiscountLetter: a letter the group hands out to customers, with its discount.
struct DiscountLetter {
  std::string letter;
  double percent = 0;
  friend bool operator==(const DiscountLetter&, const DiscountLetter&) = default;
};

template <> struct Describe<DiscountLetter> {
  static constexpr auto fields = std::make_tuple(
      field("letter", &DiscountLetter::letter), field("percent", &DiscountLetter::percent));
};

// The statuses a register starts with, for every kind of order.
inline std::vector<OrderStatuses> default_order_statuses() {
  std::vector<OrderStatuses> out;
  for (const auto& [kind, name] : EnumNames<OrderKind>::names) out.push_back({kind, {"new", "in_progress"}});
  return out;
}

// Settings of the register.
//
// Customer numbers: a number's length (in characters, after trimming) must lie
// within [number_min_length, number_max_length]. With auto_number on, a new
// customer given no number gets `number_prefix` followed by `next_number`
// zero-padded to `number_padding` digits; the counter only moves forward, and
// a number that is taken or once belonged to a deleted customer is skipped.
struct Settings {
  // ICU locale of matching and sorting ("sv", "da", "nb", "fi", "en" …).
  std::string locale = "sv";
  std::uint32_t number_min_length = 1;
  std::uint32_t number_max_length = 20;
  bool auto_number = false;
  std::string number_prefix;
  std::uint32_t number_padding = 0;
  std::uint64_t next_number = 1;
  std::vector<DiscountLetter> discount_letters;
  // The channels notifications may use; in_app is always allowed.
  std::vector<Channel> notification_channels{Channel::in_app};
  // The statuses of each kind of order (docs/orders.md); a kind not listed
  // has none.
  std::vector<OrderStatuses> order_statuses = default_order_statuses();
  // Contact order lists go by running number instead of planned date.
  bool contact_orders_by_number = false;
  // Work orders, service orders, quotations and sales orders need the
  // customer's order number.
  bool require_customer_order_number = false;
  // The statuses of CRM tasks, in the order they are listed; the first is a
  // new task's (docs/crm.md).
  std::vector<std::string> task_statuses = default_task_statuses();

  friend bool operator==(const Settings&, const Settings&) = default;
};

template <> struct Describe<Settings> {
  static constexpr auto fields = std::make_tuple(
      field("locale", &Settings::locale),
      field("number_min_length", &Settings::number_min_length),
      field("number_max_length", &Settings::number_max_length),
      field("auto_number", &Settings::auto_number),
      field("number_prefix", &Settings::number_prefix),
      field("number_padding", &Settings::number_padding),
      field("next_number", &Settings::next_number),
      field("discount_letters", &Settings::discount_letters),
      field("notification_channels", &Settings::notification_channels, 3),
      field("order_statuses", &Settings::order_statuses, 4),
      field("contact_orders_by_number", &Settings::contact_orders_by_number, 4),
      field("require_customer_order_number", &Settings::require_customer_order_number, 4),
      field("task_statuses", &Settings::task_statuses, 5));
};

}  // namespace kartotek
