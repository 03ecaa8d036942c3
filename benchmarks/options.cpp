// benchmarks/options.cpp

#include "options.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace bench {
namespace {

const char* const kUsage = R"(usage: kartotek_bench [options]

Runs every workload on kartotek and on SQLite (in memory and in a WAL file)
with the same generated register and the same queries, and prints the
figures side by side with their ratios and the targets.

  --customers N        one register of N customers (default 10000)
  --sizes N,N,...      several sizes, one after the other
  --passes P           timed passes over each query list (default 5; the
                       figure is the median pass)
  --budget S           at most S seconds of timed passes per query list and
                       engine (default 20): fewer passes, at least one, when
                       the warm-up pass shows that P would take longer
  --load-runs R        runs of each bulk load, CSV import, save and load
                       (default 3 up to 100,000 customers, 1 above)
  --commit-seconds S   length of each durable-commit pass (default 1)
  --readers R          threads looking customers up while one thread writes
                       (default: the machine's cores)
  --concurrent-seconds S
                       length of each pass of the readers and the writer
                       (default 2)
  --engines E          kartotek, sqlite or both (default both)
  --only G,G,...       workload groups: load, disk-load, csv-import, lookup,
                       prefix, substring, technician, orders, custom-fields,
                       save-load, overhead, commit, concurrent, duplicates
  --out FILE           write the Markdown report to FILE
  --work-dir DIR       where registers on disk go: a new directory in DIR,
                       removed at the end (default: the system's temporary
                       directory). Durable commits are measured on its disk.
  --seed S             seed of the generated data and queries
  --smoke              1,000 customers, one pass, short commit and concurrent
                       passes: checks that everything runs (seconds)
  --no-memory-check    run sizes above 100,000 even when a probe says that
                       the machine's available memory cannot hold them
)";

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, sep);)
    if (!part.empty()) out.push_back(part);
  return out;
}

template <class T>
T number(const std::string& flag, const std::string& text) {
  T v{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size())
    throw std::invalid_argument(flag + ": '" + text + "' is not a number");
  return v;
}

}  // namespace

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 0; i < argc; ++i) {
    if (i) o.command += ' ';
    o.command += argv[i];
  }
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (a == "--customers") {
      o.sizes = {number<std::size_t>(a, value())};
    } else if (a == "--sizes") {
      o.sizes.clear();
      for (const auto& s : split(value(), ',')) o.sizes.push_back(number<std::size_t>(a, s));
    } else if (a == "--passes") {
      o.passes = number<int>(a, value());
    } else if (a == "--budget") {
      o.budget_seconds = std::stod(value());
    } else if (a == "--load-runs") {
      o.load_runs = number<int>(a, value());
    } else if (a == "--commit-seconds") {
      o.commit_seconds = std::stod(value());
    } else if (a == "--readers") {
      o.readers = number<int>(a, value());
      if (o.readers < 1) throw std::invalid_argument("--readers: at least 1");
    } else if (a == "--concurrent-seconds") {
      o.concurrent_seconds = std::stod(value());
    } else if (a == "--engines") {
      std::string v = value();
      if (v != "kartotek" && v != "sqlite" && v != "both") throw std::invalid_argument("--engines: " + v);
      o.kartotek = v != "sqlite";
      o.sqlite = v != "kartotek";
    } else if (a == "--only") {
      o.groups.clear();
      for (const auto& g : split(value(), ',')) {
        if (std::find(kGroups.begin(), kGroups.end(), g) == kGroups.end())
          throw std::invalid_argument("--only: unknown group '" + g + "'");
        o.groups.insert(g);
      }
    } else if (a == "--out") {
      o.out = value();
    } else if (a == "--work-dir") {
      o.work_dir = value();
    } else if (a == "--seed") {
      o.seed = number<std::uint64_t>(a, value());
    } else if (a == "--smoke") {
      o.smoke = true;
    } else if (a == "--no-memory-check") {
      o.check_memory = false;
    } else {
      throw std::invalid_argument("unknown argument '" + a + "' (see --help)");
    }
  }
  if (o.smoke) {
    o.sizes = {1000};
    o.passes = 1;
    o.commit_seconds = 0.2;
    o.concurrent_seconds = 0.3;
  }
  if (o.readers == 0) o.readers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (o.sizes.empty() || o.passes < 1) throw std::invalid_argument("nothing to run");
  for (auto n : o.sizes)
    if (n < 100) throw std::invalid_argument("a register needs at least 100 customers");
  return o;
}

}  // namespace bench
