// benchmarks/concurrency.cpp

#include "concurrency.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <latch>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kartotek_side.hpp"
#include "measure.hpp"
#include "sqlite_register.hpp"
#include "workloads.hpp"

namespace bench {
namespace {

// Lookup: a reader's answer to query i of the number list: the customer's
// id, 0 for none.
using Lookup = std::function<std::uint64_t(std::size_t)>;

// Engine: one engine's side of a pass. Each reader has its own lookup (on
// SQLite its own connection); `write` commits the next change and is only
// ever called by one thread at a time.
struct Engine {
  std::vector<Lookup> readers;
  std::function<void()> write;
};

// Pass: what the threads of one pass did.
struct Pass {
  double reads_per_second = 0;  // all readers together
  double writes_per_second = 0;
  std::size_t reads = 0;
  std::size_t wrong = 0;  // lookups whose answer was not the one from before the writes
};

// The comments the k-th write gives a customer: new text every time, so that
// every write changes the customer.
std::string comment(std::size_t k) { return "Ändrad vid servicebesök " + std::to_string(k); }

// run_pass: the readers of `engine`, and its writer when `writing`, for
// `seconds` of wall time, all starting together. Reader r walks the number
// list from r/R of the way in, so that the readers do not look up the same
// customers in step. Each thread's rate is its operations over its own time,
// from the start until it saw the stop.
Pass run_pass(const Engine& engine, bool writing, const std::vector<std::uint64_t>& expected, double seconds) {
  struct Tally {
    std::size_t done = 0, wrong = 0;
    double seconds = 0;
    std::string error;
  };
  const std::size_t readers = engine.readers.size();
  const std::size_t n = expected.size();
  std::vector<Tally> tallies(readers + 1);
  std::atomic<bool> stop{false};
  std::latch start(static_cast<std::ptrdiff_t>(readers + (writing ? 1 : 0) + 1));
  // An operation returns false for a wrong answer.
  auto run = [&](Tally& tally, const std::function<bool(std::size_t)>& operation) {
    start.arrive_and_wait();
    const auto begin = Clock::now();
    try {
      for (std::size_t k = 0; !stop.load(std::memory_order_relaxed); ++k) {
        tally.wrong += !operation(k);
        ++tally.done;
      }
    } catch (const std::exception& e) {
      tally.error = e.what();
      stop = true;
    }
    tally.seconds = seconds_since(begin);
  };
  std::vector<std::thread> threads;
  for (std::size_t r = 0; r < readers; ++r) {
    threads.emplace_back(run, std::ref(tallies[r]), [&, r, first = r * n / readers](std::size_t k) {
      const std::size_t i = (first + k) % n;
      return engine.readers[r](i) == expected[i];
    });
  }
  if (writing) {
    threads.emplace_back(run, std::ref(tallies[readers]), [&](std::size_t) {
      engine.write();
      return true;
    });
  }
  start.arrive_and_wait();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();

  Pass pass;
  for (std::size_t t = 0; t < tallies.size(); ++t) {
    const Tally& tally = tallies[t];
    if (!tally.error.empty()) throw std::runtime_error((t < readers ? "a reader: " : "the writer: ") + tally.error);
    if (tally.seconds <= 0) continue;
    const double rate = static_cast<double>(tally.done) / tally.seconds;
    if (t < readers) {
      pass.reads_per_second += rate;
      pass.reads += tally.done;
      pass.wrong += tally.wrong;
    } else {
      pass.writes_per_second = rate;
    }
  }
  return pass;
}

// EngineRun: one engine's passes.
struct EngineRun {
  Engine engine;
  std::vector<std::uint64_t> expected;  // each lookup's answer before any write
  std::optional<Pass> alone;            // the readers without the writer
  std::vector<double> reads, writes;
  std::size_t checked = 0, wrong = 0;
};

}  // namespace

void concurrent_rows(const SizeContext& size, kartotek::Register* reg) {
  const Options& o = size.options;
  const auto& numbers = size.queries.numbers;
  const std::size_t customers = size.data.customers.size();
  const auto readers = static_cast<std::size_t>(o.readers);

  std::optional<EngineRun> k;
  if (reg) {
    k.emplace();
    const Lookup lookup = [reg, &numbers](std::size_t i) -> std::uint64_t {
      auto c = reg->find_customer_by_number(kAdministrator, numbers[i]);
      return c ? c->id.value : 0;
    };
    k->engine.readers.assign(readers, lookup);
    k->engine.write = [reg, customers, next = std::size_t{0}]() mutable {
      auto c = reg->find_customer(kAdministrator, kartotek::CustomerId{1 + next % customers});
      if (!c) throw std::runtime_error("customer " + std::to_string(1 + next % customers) + " is missing");
      c->comments = comment(next++);
      reg->apply(kAdministrator, kartotek::UpdateCustomer{std::move(*c)});
    };
    for (std::size_t i = 0; i < numbers.size(); ++i) k->expected.push_back(lookup(i));
  }

  // The connections must outlive the engine's functions, which refer to them.
  std::optional<SqliteRegister> writer;
  std::vector<SqliteRegister> connections;
  std::optional<EngineRun> s;
  if (o.sqlite) {
    say("loading SQLite into a WAL file for the concurrent readers");
    const std::string path = fresh_directory(size.work_dir, "concurrent-sqlite") + "/register.db";
    SqliteRegister::on_disk(path, size.text).bulk_load(size.data);
    // Every thread's connection made alike, each waiting for a lock it
    // meets rather than failing: in WAL a reader briefly takes the write
    // lock when it catches the WAL's index in the middle of a commit.
    writer.emplace(SqliteRegister::connect(path, size.text));
    writer->execute("PRAGMA synchronous=OFF");
    for (std::size_t r = 0; r < readers; ++r) connections.push_back(SqliteRegister::connect(path, size.text));
    s.emplace();
    for (auto& db : connections) {
      s->engine.readers.push_back([&db, &numbers](std::size_t i) -> std::uint64_t {
        auto c = db.find_customer_by_number(numbers[i]);
        return c ? c->id.value : 0;
      });
    }
    s->engine.write = [&db = *writer, customers, next = std::size_t{0}]() mutable {
      const kartotek::CustomerId id{1 + next % customers};
      auto c = db.find_customer(id);
      if (!c || !db.update_comments(id, c->revision, comment(next)))
        throw std::runtime_error("customer " + std::to_string(id.value) + " is missing or was changed meanwhile");
      ++next;
    };
    for (std::size_t i = 0; i < numbers.size(); ++i) s->expected.push_back(s->engine.readers.front()(i));
  }

  const std::string readers_named = std::to_string(readers) + (readers == 1 ? " reader" : " readers");
  say("concurrent readers during writes (" + readers_named + ", one writer), in turns");
  std::vector<EngineRun*> runs;
  if (k) runs.push_back(&*k);
  if (s) runs.push_back(&*s);
  // The readers alone first, once per engine: the rate without a writer,
  // which also warms the caches.
  for (auto* run : runs) run->alone = run_pass(run->engine, false, run->expected, o.concurrent_seconds);
  for (int p = 0; p < o.passes; ++p) {
    for (auto* run : runs) {
      Pass pass = run_pass(run->engine, true, run->expected, o.concurrent_seconds);
      run->reads.push_back(pass.reads_per_second);
      run->writes.push_back(pass.writes_per_second);
      run->checked += pass.reads;
      run->wrong += pass.wrong;
    }
  }

  Row reads;
  reads.workload = "reads per second during writes (" + readers_named + ")";
  reads.unit = Unit::per_second;
  Row writes;
  writes.workload = "writes per second during reads";
  writes.unit = Unit::per_second;
  if (k) {
    reads.kartotek = median(k->reads);
    writes.kartotek = median(k->writes);
    reads.differences += k->wrong;
  }
  if (s) {
    reads.sqlite_file = median(s->reads);
    writes.sqlite_file = median(s->writes);
    reads.differences += s->wrong;
  }
  std::size_t before = k && s ? count_differences(k->expected, s->expected) : 0;
  reads.differences += before;
  size.add(std::move(reads));
  size.add(std::move(writes));

  auto per_engine = [&](const std::function<std::string(const EngineRun&)>& figure) {
    std::string out;
    if (k) out += "kartotek " + figure(*k);
    if (s) out += std::string(k ? ", " : "") + "SQLite " + figure(*s);
    return out;
  };
  std::string note =
      "Concurrent readers during writes are wall time: " +
      (readers == 1 ? std::string("one reader thread looks") : std::to_string(readers) + " reader threads look") +
      " customers up by number (the lookup list, each reader walking it from its own place) while one writer "
      "thread commits one change after another, for " +
      format_value(o.concurrent_seconds, Unit::time_total) + " per pass; the figures are " +
      (o.passes == 1 ? std::string("one pass") : "the median of " + std::to_string(o.passes) + " passes") +
      ", the engines taking turns, the readers' rate summed over the readers. A write reads a customer "
      "(each in turn) and saves it with its comments changed, as an edit form does; customers are updated, not "
      "created, so that the register keeps its size during the passes. kartotek: one Register in memory, "
      "without journal or durability, shared by all threads: find_customer_by_number under its shared lock, "
      "find_customer and apply(UpdateCustomer) (which also records the change in history) under its exclusive "
      "lock. SQLite: a WAL file of the same data set with a connection per thread, so that readers and writer do "
      "not block each other (a commit makes the other connections drop their page caches at their next read); "
      "the writer in autocommit with synchronous=OFF, which like kartotek in memory makes no write durable (each "
      "commit still writes its pages into the WAL file through the page cache): a SELECT by id, then an UPDATE "
      "of the comments and the revision where the revision is unchanged. The " +
      std::to_string(readers + 1) + " threads share this machine's " +
      std::to_string(std::thread::hardware_concurrency()) + " cores. The same readers without the writer (one "
      "pass each, before the others): " +
      per_engine([](const EngineRun& r) { return format_value(r.alone->reads_per_second, Unit::per_second); }) +
      ". Lookups during writes that found the customer they found before the writes began (misses staying "
      "misses): " +
      per_engine([](const EngineRun& r) {
        return format_count(r.checked - r.wrong) + " of " + format_count(r.checked);
      }) + ".";
  size.note(note);
  if (const std::size_t wrong = (k ? k->wrong : 0) + (s ? s->wrong : 0); wrong || before)
    size.note("**Concurrent readers: " + std::to_string(wrong) +
              " lookups during writes did not find what they found before the writes, and " +
              std::to_string(before) + " lookups were answered differently by the two engines before them.**");
}

}  // namespace bench
