// benchmarks/main.cpp: kartotek_bench — every workload on kartotek and on
// SQLite, on the same generated register, in one process run; prints the
// figures side by side and writes them as Markdown (benchmarks/README.md).

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include "data_set.hpp"
#include "kartotek/text.hpp"
#include "kartotek/version.hpp"
#include "options.hpp"
#include "report.hpp"
#include "sqlite_register.hpp"
#include "workloads.hpp"

#ifndef KARTOTEK_BENCH_BUILD_TYPE
#define KARTOTEK_BENCH_BUILD_TYPE "unknown"
#endif

namespace bench {
namespace {

namespace fs = std::filesystem;

std::string compiler() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "g++ " __VERSION__;
#else
  return "unknown compiler";
#endif
}

int run(int argc, char** argv) {
  Options o = parse(argc, argv);
  // Everything on disk goes into a directory of this run's own, removed at the end.
  fs::path parent = o.work_dir.empty() ? fs::temp_directory_path() : fs::path(o.work_dir);
  o.work_dir = (fs::absolute(parent) / ("kartotek-bench-" + std::to_string(::getpid()))).string();
  fs::create_directories(o.work_dir);

  RunInfo info;
  info.date = utc_now();
  info.machine = describe_machine();
  info.versions = std::string("kartotek ") + kartotek::version() + " (" KARTOTEK_BENCH_BUILD_TYPE " build, " +
                  compiler() + "), SQLite " + sqlite_version();
  info.command = o.command;
  info.method =
      "lookups, searches, bulk loads in memory, CSV imports and finding duplicates are CPU time of the benchmark "
      "thread, everything else wall time. Query figures are the median of " + std::to_string(o.passes) +
      " timed passes over each query list after one warm-up pass, the engines taking turns; bulk loads, CSV "
      "imports, finding duplicates, saves and loads the median of their runs (" +
      (o.load_runs ? std::to_string(o.load_runs)
                   : std::string(o.smoke ? "1" : "3 up to 100,000 customers, 1 above")) +
      "); durable commits the median of " + std::to_string(o.passes) + " passes of " +
      format_value(o.commit_seconds, Unit::time_total) + ", concurrent readers and writer of " +
      std::to_string(o.passes) + " passes of " + format_value(o.concurrent_seconds, Unit::time_total) +
      ". × is how many times faster (or smaller) kartotek is; above 1 favours kartotek.";

  const kartotek::TextRules text(bench_settings().locale);
  std::optional<Footprint> footprint;
  std::vector<SizeResult> results;
  std::size_t differences = 0;
  for (std::size_t n : o.sizes) {
    if (n > 100000 && o.check_memory) {
      if (!footprint) {
        say("measuring memory per customer on a small register, to check that the machine can hold the sizes");
        footprint = probe_footprint(text, o.seed);
      }
      if (std::string why = too_large(o, n, *footprint); !why.empty()) {
        say(format_count(n) + " customers: " + why);
        SizeResult skipped;
        skipped.customers = n;
        skipped.skipped = why;
        results.push_back(std::move(skipped));
        continue;
      }
    }
    results.push_back(run_size(o, n, o.work_dir, text));
    for (const auto& row : results.back().rows) differences += row.differences;
    std::cout << "\n" << format_count(n) << " customers\n\n" << markdown_table(results.back()) << std::endl;
  }
  std::string report = markdown(info, results);
  if (!o.out.empty()) {
    std::ofstream out(o.out);
    out << report;
    if (!out) throw std::runtime_error("cannot write " + o.out);
    say("wrote " + o.out);
  } else {
    std::cout << "\n" << report;
  }
  fs::remove_all(o.work_dir);
  if (differences) {
    say(std::to_string(differences) + " query answers differed between the engines");
    return 2;
  }
  return 0;
}

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
  try {
    return bench::run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "kartotek_bench: " << e.what() << std::endl;
    return 1;
  }
}
