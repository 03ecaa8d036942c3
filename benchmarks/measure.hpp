// benchmarks/measure.hpp: timing, memory and isolation in a child process.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values);

// MemoryUse: the process's resident set (/proc/self/statm) and the bytes its
// heap has handed out (mallinfo2: in-use arena chunks plus mmapped blocks).
struct MemoryUse {
  std::int64_t resident = 0;
  std::int64_t heap = 0;
};
MemoryUse memory_use();

// Gives free heap pages back to the system (malloc_trim), so that growth
// measured afterwards is growth in pages really touched.
void release_free_memory();

// Measurement: what one isolated run reports.
struct Measurement {
  double seconds = 0;      // wall time
  double cpu_seconds = 0;  // CPU time of the measuring thread
  std::int64_t resident_growth = 0;
  std::int64_t heap_growth = 0;
  double value = 0;  // a run's own figure (a rate, a size)
  std::string error;
};

// in_child: runs `body` in a forked child process and returns what it filled
// in. A run that loads a whole register so starts from the same heap every
// time and leaves nothing behind. `body` may throw; the message comes back in
// `error`. Call only while the process has a single thread.
Measurement in_child(const std::function<void(Measurement&)>& body);

// keep_until_exit: moves `value` to the heap and never frees it. For the
// bodies of in_child: the child ends without running destructors, so a large
// register is not torn down piece by piece for nothing.
template <class T>
void keep_until_exit(T&& value) {
  new std::decay_t<T>(std::forward<T>(value));
}

// Digest: an order-sensitive hash of a query's answer (total and ids), so that
// the two engines' answers can be compared without keeping them.
class Digest {
 public:
  Digest& add(std::uint64_t v) {
    state_ = (state_ ^ v) * 0x100000001b3ULL;
    state_ ^= state_ >> 29;
    return *this;
  }
  std::uint64_t value() const { return state_; }

 private:
  std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

// Stopwatch: wall time and the CPU time of the calling thread (user and
// system, so page faults count) since construction. On a machine shared with
// other work the CPU time is the steadier figure of CPU-bound work; the wall
// time is what I/O-bound work is judged by.
class Stopwatch {
 public:
  Stopwatch();
  double wall() const;
  double cpu() const;

 private:
  Clock::time_point wall_start_;
  double cpu_start_;
};

double thread_cpu_seconds();

// QueryTiming: one engine's figures for one query list.
struct QueryTiming {
  double cpu_per_query = 0;   // median timed pass, CPU time, divided by the queries
  double wall_per_query = 0;  // the same in wall time
  std::vector<double> pass_cpu, pass_wall;
  std::vector<std::uint64_t> digests;  // each query's answer, from the warm-up pass
  std::uint64_t checksum = 0;          // of the timed passes' answers: keeps them observable
};

using QueryFunction = std::function<std::uint64_t(std::size_t)>;

// time_queries: for each engine (a function answering query i of n), one
// warm-up pass over the whole list, which also records the digests; then up
// to `passes` timed passes per engine, taken in turns (engine 1, 2, 3, 1, 2,
// 3 …) so that a slow spell of the machine falls on all of them. An engine
// whose warm-up shows that its passes would take more than `budget_seconds`
// gets fewer, but at least one.
std::vector<QueryTiming> time_queries(std::size_t n, int passes, double budget_seconds,
                                      const std::vector<QueryFunction>& engines);

// The load average over the last minute (/proc/loadavg).
double load_average();

// Resets the process's peak resident set (/proc/self/clear_refs) and reads
// it (VmHWM); 0 where the kernel does not offer it.
void reset_peak_resident();
std::int64_t peak_resident();

// Number of positions where two digest lists differ (lists of unequal
// length count as all different).
std::size_t count_differences(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b);

// A fresh, empty directory `name` under `parent` (removed first if present).
std::string fresh_directory(const std::string& parent, const std::string& name);

// Bytes in a file or, recursively, a directory.
std::uint64_t disk_size(const std::string& path);

}  // namespace bench
