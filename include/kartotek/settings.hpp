// kartotek/settings.hpp: the group's settings. Only an administrator changes them.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include "kartotek/describe.hpp"
#include "kartotek/notification.hpp"

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
      field("notification_channels", &Settings::notification_channels, 3));
};

}  // namespace kartotek
