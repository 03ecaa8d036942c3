// benchmarks/workloads.hpp: one size of the benchmark — the data set, both
// engines, every workload the options ask for — and the memory probe that
// tells beforehand whether the machine can hold a size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "kartotek/text.hpp"
#include "options.hpp"
#include "report.hpp"

namespace bench {

// Footprint: resident bytes per customer of the data set and of each engine
// holding it, measured on a small register.
struct Footprint {
  double data = 0, kartotek = 0, sqlite = 0;
};

// probe_footprint: loads 20,000 customers into each engine, each in a child
// process, and measures. Call only while the process has a single thread.
Footprint probe_footprint(const kartotek::TextRules& text, std::uint64_t seed);

// Why the machine cannot hold a register of `customers` for these options
// (with the figures), or empty when it can.
std::string too_large(const Options& options, std::size_t customers, const Footprint& footprint);

// run_size: every workload of `options` on a register of `customers`, with
// files in `work_dir`; progress goes to standard error. `text` is the
// register's TextRules, which the SQLite side uses for its keys.
SizeResult run_size(const Options& options, std::size_t customers, const std::string& work_dir,
                    const kartotek::TextRules& text);

// Prints a progress line to standard error.
void say(const std::string& text);

}  // namespace bench
