// benchmarks/overhead.hpp: the `overhead` workload — what a lookup costs
// through the C API and through the Python module over the C++ call.
#pragma once

#include <string>

#include "size_context.hpp"

namespace bench {

// overhead_rows: the lookups by customer number of the query list, timed per
// call through Register::find_customer_by_number, through the C API
// (kt_customer_get_by_number) and through the Python module, each on the
// register saved in `saved_dir` and opened again (which must not be open).
// Adds three rows and a note; an API that was not built or cannot run gets
// no figure and a note saying why.
void overhead_rows(const SizeContext& size, const std::string& saved_dir);

}  // namespace bench
