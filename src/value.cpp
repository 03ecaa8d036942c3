// src/value.cpp: Value, and timestamps in ISO 8601.

#include <charconv>
#include <cstdio>

#include "kartotek/error.hpp"
#include "kartotek/value.hpp"

namespace kartotek {

const Value* Value::find(std::string_view key) const noexcept {
  if (!is<Object>()) return nullptr;
  for (const auto& m : as<Object>())
    if (m.key == key) return &m.value;
  return nullptr;
}

bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }

std::string format_timestamp(Timestamp t) {
  using namespace std::chrono;
  if (!in_timestamp_range(t))
    throw ValidationError("", "time " + std::to_string(t.time_since_epoch().count()) +
                                  " µs since 1970 is outside the years 0000 to 9999");
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss<microseconds> hms{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
  return buf;
}

Timestamp parse_timestamp(std::string_view text) {
  using namespace std::chrono;
  auto fail = [&]() -> Timestamp {
    throw ValidationError("", "'" + std::string(text) +
                                  "' is not a timestamp like 2026-11-23T09:30:00Z or 2026-11-23");
  };
  auto number = [&](std::size_t pos, std::size_t len, int& out) {
    if (pos + len > text.size()) return false;
    auto [p, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, out);
    return ec == std::errc() && p == text.data() + pos + len;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!number(0, 4, y) || text.size() < 10 || text[4] != '-' || !number(5, 2, mo) || text[7] != '-' ||
      !number(8, 2, d) || y < 0)
    return fail();
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return fail();
  Timestamp t = time_point_cast<microseconds>(sys_days{ymd});
  if (text.size() == 10) return t;
  if (text.size() < 20 || (text[10] != 'T' && text[10] != ' ') || !number(11, 2, h) || text[13] != ':' ||
      !number(14, 2, mi) || text[16] != ':' || !number(17, 2, s))
    return fail();
  if (h > 23 || mi > 59 || s > 59) return fail();
  std::size_t pos = 19;
  std::int64_t micros = 0;
  if (text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return fail();
    for (; digits < 6; ++digits) micros *= 10;
  }
  if (pos + 1 != text.size() || text[pos] != 'Z') return fail();
  return t + hours{h} + minutes{mi} + seconds{s} + microseconds{micros};
}

}  // namespace kartotek
