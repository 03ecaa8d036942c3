// benchmarks/concurrency.hpp: the `concurrent` workload — threads looking
// customers up while one thread writes.
#pragma once

#include "kartotek/register.hpp"
#include "size_context.hpp"

namespace bench {

// concurrent_rows: reads per second of options.readers threads looking
// customers up by number while one thread commits single changes, and that
// thread's writes per second, in passes of options.concurrent_seconds, the
// engines taking turns. kartotek: `reg` (a register in memory holding the
// data set as loaded; null for none), which the writes change. SQLite: a WAL
// file of the same data set made in the work directory, a connection per
// thread. Adds two rows and a note. Starts threads: call it only where
// nothing forks a child meanwhile (in_child needs a process of one thread).
void concurrent_rows(const SizeContext& size, kartotek::Register* reg);

}  // namespace bench
