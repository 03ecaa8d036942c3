// kartotek/clock.hpp: time as the register sees it. The clock is injected so
// that tests fix it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace kartotek {

// Timestamp: UTC, microsecond resolution.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// Clock: where the register reads the time. Implementations must be safe to
// call from several threads.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

// SystemClock: the operating system's real-time clock.
class SystemClock final : public Clock {
 public:
  Timestamp now() const override {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
  }
};

// ManualClock: a clock that moves only when told; for tests and replays.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start = Timestamp{}) : micros_(start.time_since_epoch().count()) {}
  Timestamp now() const override { return Timestamp{std::chrono::microseconds{micros_.load()}}; }
  void set(Timestamp t) { micros_.store(t.time_since_epoch().count()); }
  void advance(std::chrono::microseconds d) { micros_.fetch_add(d.count()); }

 private:
  std::atomic<std::int64_t> micros_;
};

}  // namespace kartotek
