// benchmarks/options.hpp: the command line of kartotek_bench.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace bench {

// The workload groups --only chooses from.
inline const std::vector<std::string> kGroups = {
    "load",   "disk-load",     "csv-import", "lookup",   "prefix", "substring",  "technician",
    "orders", "custom-fields", "save-load",  "overhead", "commit", "concurrent", "duplicates"};

// Options: what one run of kartotek_bench measures, from its command line.
struct Options {
  std::vector<std::size_t> sizes{10000};
  int passes = 5;
  double budget_seconds = 20;  // of the timed passes of one query list on one engine
  int load_runs = 0;           // 0: by size
  double commit_seconds = 1.0;
  int readers = 0;  // threads reading during writes; parse sets the machine's cores when not given
  double concurrent_seconds = 2.0;
  std::string out;
  std::string work_dir;
  std::uint64_t seed = 20261123;
  bool smoke = false;
  bool check_memory = true;
  bool kartotek = true, sqlite = true;
  std::set<std::string> groups{kGroups.begin(), kGroups.end()};
  std::string command;

  bool has(const std::string& group) const { return groups.count(group) != 0; }
  int load_runs_for(std::size_t customers) const {
    if (load_runs > 0) return load_runs;
    if (smoke) return 1;
    return customers <= 100000 ? 3 : 1;
  }
};

// parse: the options of `argv`; throws std::invalid_argument on a bad one.
// --help prints the usage and exits.
Options parse(int argc, char** argv);

}  // namespace bench
