// benchmarks/size_context.hpp: what the workloads kept in files of their own
// (concurrency.cpp, overhead.cpp) get from the size they run in.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "data_set.hpp"
#include "kartotek/text.hpp"
#include "options.hpp"
#include "queries.hpp"
#include "report.hpp"

namespace bench {

// SizeContext: one size's data set, query lists and work directory, and
// where a workload's rows and notes go.
struct SizeContext {
  const Options& options;
  const DataSet& data;
  const Queries& queries;
  const std::string& work_dir;
  const kartotek::TextRules& text;  // the register's, for the SQLite side's keys
  std::function<void(Row)> add;     // a row of the size's table, with its progress line
  std::function<void(std::string)> note;
};

}  // namespace bench
