// benchmarks/report.hpp: the figures of a run, the targets they are held
// against, and their Markdown form.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace bench {

// Unit: how a figure is written. Times are in seconds.
enum class Unit { time_per_query, time_total, bytes_per_customer, per_second };

// Which SQLite a ratio is taken against.
enum class Reference { memory, file };

// Target: a goal from the issue. A ratio target wants the ratio against the
// reference (> 1 favours kartotek) at or above `threshold`; a time target
// wants kartotek's figure below `threshold` seconds, and is judged only at
// the size it is set for; an excess target wants kartotek's figure less than
// `threshold` seconds above the row's `baseline` (the same call made through
// another API), and is judged at every size: it is a cost per call, which
// the register's size does not change.
struct Target {
  enum Kind { ratio, time_below, excess_below } kind = ratio;
  double threshold = 1;
  Reference reference = Reference::memory;
  std::string goal;  // as the summary writes it
};

inline constexpr std::size_t kTargetCustomers = 1000000;

struct Row {
  std::string workload;
  Unit unit = Unit::time_per_query;
  std::optional<double> kartotek, sqlite_memory, sqlite_file;
  std::optional<double> baseline;  // what an excess target measures kartotek's figure against
  std::optional<Target> target;
  std::size_t queries = 0;      // per pass, for query workloads
  std::string passes;           // timed passes run per engine ("5/5/2")
  std::size_t differences = 0;  // queries whose answers differed between engines
  std::string note;

  // The ratio against `reference`, > 1 when kartotek is better.
  std::optional<double> ratio(Reference reference) const;
};

struct SizeResult {
  std::size_t customers = 0;
  std::string data_set;  // what was loaded, in words
  std::vector<Row> rows;
  std::vector<std::string> notes;
  double wall_seconds = 0;
  std::string skipped;  // why this size was not run; empty when it was
};

enum class Verdict { met, not_met, not_judged };
// The verdict of a row's target at the size of `result`.
Verdict judge(const Row& row, std::size_t customers);

struct RunInfo {
  std::string date;         // UTC, ISO 8601
  std::string machine;      // CPU, cores, memory, kernel
  std::string versions;     // kartotek, SQLite, compiler, build type
  std::string command;      // how the run was started
  std::string method;       // repetitions, passes
  std::string work_dir;     // where files were written
};

// The whole report in Markdown.
std::string markdown(const RunInfo& info, const std::vector<SizeResult>& sizes);
// One size's table in Markdown (also what the console shows as it goes).
std::string markdown_table(const SizeResult& size);

std::string format_value(double value, Unit unit);
std::string format_count(std::size_t n);  // 1,000,000

// The machine, from /proc and uname.
std::string describe_machine();
std::string utc_now();

}  // namespace bench
