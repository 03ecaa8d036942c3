// benchmarks/workloads.cpp: the workloads of one size, engine by engine.

#include "workloads.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "concurrency.hpp"
#include "data_set.hpp"
#include "kartotek/register.hpp"
#include "kartotek_side.hpp"
#include "measure.hpp"
#include "overhead.hpp"
#include "queries.hpp"
#include "size_context.hpp"
#include "sqlite_register.hpp"

namespace bench {

void say(const std::string& text) {
  std::cerr << "kartotek_bench: " << text << std::endl;
}

namespace {

namespace fs = std::filesystem;
using kartotek::CustomerQuery;
using kartotek::OrderQuery;
using kartotek::Register;

std::uint64_t digest(const std::optional<kartotek::Customer>& c) {
  return Digest().add(c ? c->id.value : 0).value();
}

template <class T>
std::uint64_t digest(const kartotek::Page<T>& page) {
  Digest d;
  d.add(page.total);
  for (const auto& item : page.items) d.add(item.id.value);
  return d.value();
}

std::uint64_t digest(const std::vector<kartotek::DuplicatePair>& pairs) {
  Digest d;
  d.add(pairs.size());
  for (const auto& p : pairs) d.add(p.first).add(p.second).add(static_cast<std::uint64_t>(p.score));
  return d.value();
}

std::uint64_t digest(const std::vector<std::uint64_t>& ids) {
  Digest d;
  d.add(ids.size());
  for (auto id : ids) d.add(id);
  return d.value();
}

template <class T>
std::optional<double> median_of(const std::vector<Measurement>& runs, T Measurement::*field) {
  if (runs.empty()) return std::nullopt;
  std::vector<double> v;
  for (const auto& m : runs) v.push_back(static_cast<double>(m.*field));
  return median(v);
}

// IsolatedRun: a named body for in_child.
struct IsolatedRun {
  std::string what;
  std::function<void(Measurement&)> body;
};

// Runs each body `runs` times, in turns (a, b, a, b …) so that a slow spell of
// the machine falls on both engines, each run in its own child process.
// Throws on an error.
std::vector<std::vector<Measurement>> isolated_runs(int runs, const std::vector<IsolatedRun>& bodies) {
  std::vector<std::vector<Measurement>> out(bodies.size());
  for (int r = 0; r < runs; ++r) {
    for (std::size_t b = 0; b < bodies.size(); ++b) {
      release_free_memory();
      Measurement m = in_child(bodies[b].body);
      if (!m.error.empty()) throw std::runtime_error(bodies[b].what + ": " + m.error);
      say("  " + bodies[b].what + " run " + std::to_string(r + 1) + "/" + std::to_string(runs) + ": " +
          format_value(m.seconds, Unit::time_total) + " wall, " + format_value(m.cpu_seconds, Unit::time_total) +
          " CPU");
      out[b].push_back(m);
    }
  }
  return out;
}

std::int64_t memory_available() {
  std::ifstream meminfo("/proc/meminfo");
  for (std::string line; std::getline(meminfo, line);)
    if (line.rfind("MemAvailable:", 0) == 0) return std::stoll(line.substr(13)) * 1024;
  return 0;
}

// Register::save_as builds the snapshot in memory (its records written
// straight from the stores): at 100,000 customers the resident set grew by
// 0.93 times the register while saving (the save note of each report gives
// the figure).
constexpr double kSaveCopies = 2.0;
// SQLite's page cache for the WAL file, and slack for everything else.
constexpr double kFixedBytes = 1.5 * 1024 * 1024 * 1024;

std::string gib(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  return buf;
}

// One size: everything the options ask for.
class SizeRun {
 public:
  SizeRun(const Options& o, std::size_t customers, const std::string& work, const kartotek::TextRules& text)
      : o_(o), n_(customers), work_(work), text_(text) {}

  SizeResult run();

 private:
  void bulk_loads();
  void disk_loads();
  void csv_import();
  void load_for_queries();
  void load_kartotek();
  void query_rows();
  void save_and_load();
  void api_overhead();
  void durable_commits();
  void concurrent();
  void duplicates();

  void query_row(const std::string& name, std::size_t count, std::optional<Target> target, const QueryFunction& k,
                 const QueryFunction& memory, const QueryFunction& file);
  void add(Row row) {
    std::string line = "  " + row.workload + ":";
    if (row.kartotek) line += " kartotek " + format_value(*row.kartotek, row.unit);
    if (row.sqlite_memory) line += ", SQLite memory " + format_value(*row.sqlite_memory, row.unit);
    if (row.sqlite_file) line += ", SQLite file " + format_value(*row.sqlite_file, row.unit);
    say(line);
    result_.rows.push_back(std::move(row));
  }
  std::string saved_kartotek();
  SizeContext context() {
    return {o_, data_, queries_, work_, text_, [this](Row row) { add(std::move(row)); },
            [this](std::string note) { result_.notes.push_back(std::move(note)); }};
  }

  const Options& o_;
  std::size_t n_;
  std::string work_;
  const kartotek::TextRules& text_;
  DataSet data_;
  Queries queries_;
  SizeResult result_;

  std::optional<Register> register_;
  std::optional<SqliteRegister> memory_, file_;
  std::string file_path_;
  std::string saved_dir_;     // kartotek register written by save_as
  std::string saved_sqlite_;  // SQLite database written by save_to
  std::vector<std::string> reduced_passes_;
  double query_wall_ = 0, query_cpu_ = 0;  // sums over the timed query passes
};

SizeResult SizeRun::run() {
  Stopwatch clock;
  result_.customers = n_;
  const double load_before = load_average();
  say("generating " + format_count(n_) + " customers");
  data_ = generate(n_, o_.seed);
  queries_ = make_queries(data_, QueryCounts::for_size(n_, o_.smoke), o_.seed);
  std::size_t privates = data_.customers.size() - data_.companies;
  std::size_t values = 0, lines = 0, closed = 0;
  for (const auto& c : data_.customers) values += c.custom.size();
  for (const auto& o : data_.orders) {
    lines += o.lines.size();
    closed += o.closed;
  }
  result_.data_set = "Data set: " + format_count(n_) + " customers (" + format_count(data_.companies) +
                     " companies, " + format_count(privates) + " private persons) with " + format_count(values) +
                     " values of " + std::to_string(data_.customer_fields.size()) + " custom fields, " +
                     format_count(data_.contacts.size()) + " contact persons, " +
                     format_count(data_.links.size()) + " contact links, " +
                     format_count(data_.facilities.size()) + " facilities, " +
                     format_count(data_.service_objects.size()) + " service objects, " +
                     format_count(data_.orders.size()) + " orders (" + format_count(closed) + " closed) with " +
                     format_count(lines) + " article lines, " + format_count(data_.technicians.size()) +
                     " technicians (users).";

  if (o_.has("load")) bulk_loads();
  if (o_.has("disk-load")) disk_loads();
  if (o_.has("csv-import")) csv_import();
  bool queries = o_.has("lookup") || o_.has("prefix") || o_.has("substring") || o_.has("technician") ||
                 o_.has("orders") || o_.has("custom-fields");
  if (queries || o_.has("save-load") || o_.has("commit")) load_for_queries();
  if (queries) query_rows();
  if (o_.has("save-load")) save_and_load();
  // Before durable commits, which add customers to the saved register it opens.
  if (o_.has("overhead") && o_.kartotek) api_overhead();
  if (o_.has("commit")) durable_commits();
  // Its writes change the register in memory: after everything else that reads it.
  if (o_.has("concurrent")) concurrent();
  if (o_.has("duplicates")) duplicates();

  register_.reset();
  memory_.reset();
  file_.reset();
  result_.wall_seconds = clock.wall();
  char buf[200];
  std::snprintf(buf, sizeof buf, "The machine's load average was %.1f when this size started and %.1f when it ended "
                "(%u cores).", load_before, load_average(), std::thread::hardware_concurrency());
  std::string note = buf;
  if (query_cpu_ > 0) {
    std::snprintf(buf, sizeof buf, " The timed query passes took %.2f× their CPU time in wall time.",
                  query_wall_ / query_cpu_);
    note += buf;
  }
  result_.notes.push_back(note);
  return std::move(result_);
}

void SizeRun::bulk_loads() {
  const int runs = o_.load_runs_for(n_);
  std::vector<IsolatedRun> bodies;
  if (o_.kartotek) {
    bodies.push_back({"kartotek bulk load", [&](Measurement& m) {
                        MemoryUse before = memory_use();
                        Stopwatch t;
                        Register reg = empty_register();
                        load(reg, data_);
                        m.seconds = t.wall();
                        m.cpu_seconds = t.cpu();
                        MemoryUse after = memory_use();
                        m.resident_growth = after.resident - before.resident;
                        m.heap_growth = after.heap - before.heap;
                        m.value = static_cast<double>(reg.counts().history_entries);
                        keep_until_exit(std::move(reg));
                      }});
  }
  if (o_.sqlite) {
    bodies.push_back({"SQLite bulk load", [&](Measurement& m) {
                        MemoryUse before = memory_use();
                        Stopwatch t;
                        SqliteRegister db = SqliteRegister::in_memory(text_);
                        db.bulk_load(data_);
                        m.seconds = t.wall();
                        m.cpu_seconds = t.cpu();
                        MemoryUse after = memory_use();
                        m.resident_growth = after.resident - before.resident;
                        m.heap_growth = after.heap - before.heap;
                        keep_until_exit(std::move(db));
                      }});
  }
  say("bulk loads in memory");
  auto results = isolated_runs(runs, bodies);
  std::vector<Measurement> none;
  const auto& k = o_.kartotek ? results.front() : none;
  const auto& s = o_.sqlite ? results.back() : none;

  Row load;
  load.workload = "bulk load in memory";
  load.unit = Unit::time_total;
  load.kartotek = median_of(k, &Measurement::cpu_seconds);
  load.sqlite_memory = median_of(s, &Measurement::cpu_seconds);
  load.target = Target{Target::ratio, 5, Reference::memory, "≥ 5× SQLite in memory"};
  add(std::move(load));

  const double per = static_cast<double>(n_);
  Row memory;
  memory.workload = "memory per customer";
  memory.unit = Unit::bytes_per_customer;
  if (auto v = median_of(k, &Measurement::resident_growth)) memory.kartotek = *v / per;
  if (auto v = median_of(s, &Measurement::resident_growth)) memory.sqlite_memory = *v / per;
  memory.target = Target{Target::ratio, 1, Reference::memory, "≤ SQLite in memory"};
  add(std::move(memory));

  std::string note = "Bulk load in memory is CPU time (wall time:";
  if (auto v = median_of(k, &Measurement::seconds)) note += " kartotek " + format_value(*v, Unit::time_total);
  if (auto v = median_of(s, &Measurement::seconds))
    note += std::string(k.empty() ? "" : ",") + " SQLite " + format_value(*v, Unit::time_total);
  note += "). Memory is the growth of the resident set while loading, per customer, in a fresh process for each "
          "engine; it covers the customer with its custom values and its share of contacts, links, facilities, "
          "service objects and orders (with their lines)";
  if (!k.empty())
    note += ", and for kartotek also the history (" + format_count(static_cast<std::size_t>(k.front().value)) +
            " entries)";
  note += ". Heap bytes in use (mallinfo2) per customer:";
  if (auto v = median_of(k, &Measurement::heap_growth))
    note += " kartotek " + format_value(*v / per, Unit::bytes_per_customer);
  if (auto v = median_of(s, &Measurement::heap_growth))
    note += std::string(k.empty() ? "" : ",") + " SQLite " + format_value(*v / per, Unit::bytes_per_customer);
  result_.notes.push_back(note + ".");
}

void SizeRun::disk_loads() {
  const int runs = o_.load_runs_for(n_);
  std::vector<IsolatedRun> bodies;
  if (o_.kartotek) {
    bodies.push_back({"kartotek bulk load on disk", [&](Measurement& m) {
                        std::string dir = fresh_directory(work_, "bulk-kartotek");
                        Stopwatch t;
                        Register reg = open_register(dir, kartotek::Durability::none);
                        load(reg, data_);
                        reg.sync();
                        m.seconds = t.wall();
                        m.cpu_seconds = t.cpu();
                        fs::remove_all(dir);
                        keep_until_exit(std::move(reg));
                      }});
  }
  if (o_.sqlite) {
    bodies.push_back({"SQLite bulk load into a WAL file", [&](Measurement& m) {
                        std::string dir = fresh_directory(work_, "bulk-sqlite");
                        Stopwatch t;
                        SqliteRegister db = SqliteRegister::on_disk(dir + "/register.db", text_);
                        db.bulk_load(data_);
                        m.seconds = t.wall();
                        m.cpu_seconds = t.cpu();
                        fs::remove_all(dir);
                        keep_until_exit(std::move(db));
                      }});
  }
  say("bulk loads on disk");
  auto results = isolated_runs(runs, bodies);
  Row row;
  row.workload = "bulk load on disk";
  row.unit = Unit::time_total;
  if (o_.kartotek) row.kartotek = median_of(results.front(), &Measurement::seconds);
  if (o_.sqlite) row.sqlite_file = median_of(results.back(), &Measurement::seconds);
  add(std::move(row));
  result_.notes.push_back(
      "Bulk load on disk is wall time: kartotek journals every command with Durability::none and syncs once at "
      "the end; SQLite inserts everything in one transaction into a WAL file (synchronous=FULL) and runs "
      "ANALYZE.");
}

void SizeRun::csv_import() {
  const int runs = o_.load_runs_for(n_);
  std::size_t quoted = 0;
  const std::string file = excel_customers_csv(data_, &quoted);
  // Memory of a run: `value` is the peak growth of the resident set while
  // importing; resident_growth and heap_growth what the register holds
  // afterwards, once the free heap pages are given back.
  auto finish = [](Measurement& m, const MemoryUse& before) {
    const std::int64_t peak = peak_resident() - before.resident;
    release_free_memory();
    MemoryUse after = memory_use();
    m.resident_growth = after.resident - before.resident;
    m.heap_growth = after.heap - before.heap;
    // The kernel keeps the resident set in per-CPU counters that it sums
    // approximately, so the high-water mark can read a few hundred KB below
    // a later reading; the peak is never below what is held afterwards.
    m.value = static_cast<double>(std::max(peak, m.resident_growth));
  };
  std::vector<IsolatedRun> bodies;
  if (o_.kartotek) {
    bodies.push_back({"kartotek CSV import", [&](Measurement& m) {
                        MemoryUse before = memory_use();
                        reset_peak_resident();
                        Register reg = empty_register();
                        if (reg.create_first_administrator("admin", "Administratör") != kAdministrator)
                          throw std::runtime_error("the first administrator is not user 1");
                        kartotek::ImportOptions options;
                        options.kind = kartotek::ListKind::customers;
                        Stopwatch t;
                        kartotek::ImportReport report = reg.import_csv(kAdministrator, file, options);
                        m.seconds = t.wall();
                        m.cpu_seconds = t.cpu();
                        finish(m, before);
                        for (const auto& c : report.columns)
                          if (c.column.empty()) throw std::runtime_error("the header '" + c.header + "' was not read");
                        if (!report.problems.empty()) {
                          const auto& p = report.problems.front();
                          throw std::runtime_error(std::to_string(report.problems.size()) + " rows refused; row " +
                                                   std::to_string(p.row) + ", " + p.column + " ('" + p.value +
                                                   "'): " + p.reason);
                        }
                        if (!report.applied || report.created != n_ || reg.counts().customers != n_)
                          throw std::runtime_error("imported " + std::to_string(report.created) + " customers, not " +
                                                   std::to_string(n_));
                        keep_until_exit(std::move(reg));
                      }});
  }
  if (o_.sqlite) {
    bodies.push_back({"SQLite CSV import", [&](Measurement& m) {
                        MemoryUse before = memory_use();
                        reset_peak_resident();
                        SqliteRegister db = SqliteRegister::in_memory(text_);
                        Stopwatch t;
                        std::size_t created = db.import_customers_csv(file);
                        m.seconds = t.wall();
                        m.cpu_seconds = t.cpu();
                        finish(m, before);
                        if (created != n_ || db.counts().customers != static_cast<std::int64_t>(n_))
                          throw std::runtime_error("imported " + std::to_string(created) + " customers, not " +
                                                   std::to_string(n_));
                        keep_until_exit(std::move(db));
                      }});
  }
  say("CSV import of customers (" + format_value(static_cast<double>(file.size()) / static_cast<double>(n_),
                                                 Unit::bytes_per_customer) + " of file per customer)");
  auto results = isolated_runs(runs, bodies);
  std::vector<Measurement> none;
  const auto& k = o_.kartotek ? results.front() : none;
  const auto& s = o_.sqlite ? results.back() : none;

  Row row;
  row.workload = "CSV import (customers)";
  row.unit = Unit::time_total;
  row.kartotek = median_of(k, &Measurement::cpu_seconds);
  row.sqlite_memory = median_of(s, &Measurement::cpu_seconds);
  row.target = Target{Target::ratio, 5, Reference::memory, "≥ 5× SQLite in memory"};
  add(std::move(row));

  const double per = static_cast<double>(n_);
  char mib[32];
  std::snprintf(mib, sizeof mib, "%.1f MiB", static_cast<double>(file.size()) / (1024.0 * 1024));
  std::string note = "CSV import (customers) is CPU time of the import alone (wall time:";
  if (auto v = median_of(k, &Measurement::seconds)) note += " kartotek " + format_value(*v, Unit::time_total);
  if (auto v = median_of(s, &Measurement::seconds))
    note += std::string(k.empty() ? "" : ",") + " SQLite " + format_value(*v, Unit::time_total);
  note += ") of a file of the " + format_count(n_) + " customers as a Nordic Excel saves it (" + mib +
          ": UTF-8 with a byte order mark, `;`, CR LF, " + std::to_string(kCustomerCsvHeaders.size()) +
          " Swedish headers, " + format_count(quoted) +
          " fields quoted), written once before the runs. kartotek: Register::import_csv (customers, all or "
          "nothing) into an empty register with its administrator; SQLite in memory: libcsv (as kartotek), the "
          "header mapped to columns, one transaction of prepared INSERTs with the folded and collation keys, "
          "ANALYZE. Rows per second:";
  auto rate = [&](const std::vector<Measurement>& runs) {
    auto v = median_of(runs, &Measurement::cpu_seconds);
    return v && *v > 0 ? format_value(per / *v, Unit::per_second) : std::string("—");
  };
  if (!k.empty()) note += " kartotek " + rate(k);
  if (!s.empty()) note += std::string(k.empty() ? "" : ",") + " SQLite " + rate(s);
  note += ".";
  auto memory = [&](const char* who, const std::vector<Measurement>& runs) {
    auto peak = median_of(runs, &Measurement::value);
    auto held = median_of(runs, &Measurement::resident_growth);
    auto heap = median_of(runs, &Measurement::heap_growth);
    if (!peak || !held || !heap) return std::string();
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.2f×", *held > 0 ? *peak / *held : 0.0);
    return std::string(" ") + who + "'s resident set grew by up to " +
           format_value(*peak / per, Unit::bytes_per_customer) + " per customer while importing, " + ratio + " the " +
           format_value(*held / per, Unit::bytes_per_customer) + " it held afterwards (heap in use: " +
           format_value(*heap / per, Unit::bytes_per_customer) + ").";
  };
  note += memory("kartotek", k) + memory("SQLite", s);
  result_.notes.push_back(note);
}

// The register of the data set as loaded, in memory, for the workloads
// that need it when no earlier one left it there.
void SizeRun::load_kartotek() {
  say("loading kartotek");
  register_.emplace(empty_register());
  load(*register_, data_);
}

void SizeRun::load_for_queries() {
  if (o_.kartotek) {
    say("loading kartotek for the queries");
    register_.emplace(empty_register());
    load(*register_, data_);
  }
  if (o_.sqlite) {
    say("loading SQLite in memory and in a WAL file for the queries");
    memory_.emplace(SqliteRegister::in_memory(text_));
    memory_->bulk_load(data_);
    std::string dir = fresh_directory(work_, "sqlite");
    file_path_ = dir + "/register.db";
    file_.emplace(SqliteRegister::on_disk(file_path_, text_));
    file_->bulk_load(data_);
  }
  if (register_ && memory_) {
    auto k = register_->counts();
    auto s = memory_->counts();
    if (static_cast<std::int64_t>(k.customers) != s.customers ||
        static_cast<std::int64_t>(k.contacts) != s.contacts ||
        static_cast<std::int64_t>(k.facilities) != s.facilities ||
        static_cast<std::int64_t>(k.service_objects) != s.service_objects ||
        static_cast<std::int64_t>(k.orders) != s.orders)
      throw std::runtime_error("the engines hold different numbers of records after loading");
  }
}

void SizeRun::query_row(const std::string& name, std::size_t count, std::optional<Target> target,
                        const QueryFunction& k, const QueryFunction& memory, const QueryFunction& file) {
  say(name);
  Row row;
  row.workload = name;
  row.unit = Unit::time_per_query;
  row.queries = count;
  row.target = std::move(target);

  std::vector<QueryFunction> engines;
  std::vector<std::optional<double>*> figures;
  if (register_) {
    engines.push_back(k);
    figures.push_back(&row.kartotek);
  }
  if (memory_) {
    engines.push_back(memory);
    figures.push_back(&row.sqlite_memory);
  }
  if (file_) {
    engines.push_back(file);
    figures.push_back(&row.sqlite_file);
  }
  auto timings = time_queries(count, o_.passes, o_.budget_seconds, engines);

  std::string passes;
  bool reduced = false;
  for (std::size_t e = 0; e < timings.size(); ++e) {
    const auto& t = timings[e];
    *figures[e] = t.cpu_per_query;
    for (double w : t.pass_wall) query_wall_ += w;
    for (double c : t.pass_cpu) query_cpu_ += c;
    passes += (e ? "/" : "") + std::to_string(t.pass_cpu.size());
    reduced = reduced || static_cast<int>(t.pass_cpu.size()) != o_.passes;
    if (e > 0) row.differences += count_differences(timings[0].digests, t.digests);
  }
  row.passes = passes;
  if (reduced) reduced_passes_.push_back(name + " " + passes);
  if (row.differences)
    result_.notes.push_back("**" + name + ": " + std::to_string(row.differences) +
                            " answers differ between the engines — the figures of this row do not compare "
                            "like with like.**");
  add(std::move(row));
}

void SizeRun::query_rows() {
  const auto admin = kAdministrator;
  const auto& q = queries_;
  auto search = [](const std::string& text, kartotek::TextMatch match, std::uint8_t in) {
    CustomerQuery query;
    query.text = text;
    query.match = match;
    query.search_in = in;
    return query;
  };

  if (o_.has("lookup")) {
    query_row("lookup by customer number", q.numbers.size(),
              Target{Target::ratio, 25, Reference::memory, "≥ 25× SQLite in memory"},
              [&](std::size_t i) { return digest(register_->find_customer_by_number(admin, q.numbers[i])); },
              [&](std::size_t i) { return digest(memory_->find_customer_by_number(q.numbers[i])); },
              [&](std::size_t i) { return digest(file_->find_customer_by_number(q.numbers[i])); });
    query_row("lookup by id", q.ids.size(), std::nullopt,
              [&](std::size_t i) { return digest(register_->find_customer(admin, q.ids[i])); },
              [&](std::size_t i) { return digest(memory_->find_customer(q.ids[i])); },
              [&](std::size_t i) { return digest(file_->find_customer(q.ids[i])); });
  }
  if (o_.has("prefix")) {
    std::vector<CustomerQuery> list;
    for (const auto& p : q.name_prefixes)
      list.push_back(search(p, kartotek::TextMatch::prefix, kartotek::search_name));
    query_row("prefix search on name", list.size(),
              Target{Target::ratio, 15, Reference::memory, "≥ 15× SQLite in memory"},
              [&](std::size_t i) { return digest(register_->search_customers(admin, list[i])); },
              [&](std::size_t i) { return digest(memory_->search_customers(list[i])); },
              [&](std::size_t i) { return digest(file_->search_customers(list[i])); });
  }
  if (o_.has("substring")) {
    struct Kind {
      const char* name;
      const std::vector<std::string>* texts;
      std::uint8_t in;
      bool target;
    };
    const Kind kinds[] = {
        {"substring search on name", &q.name_parts, kartotek::search_name, true},
        {"substring search on contact name", &q.contact_parts, kartotek::search_contact_name, true},
        {"substring search on e-mail", &q.email_parts, kartotek::search_email, true},
        {"substring search everywhere", &q.everywhere, kartotek::search_everywhere, false}};
    for (const auto& kind : kinds) {
      std::vector<CustomerQuery> list;
      for (const auto& t : *kind.texts) list.push_back(search(t, kartotek::TextMatch::substring, kind.in));
      std::optional<Target> target;
      if (kind.target) target = Target{Target::ratio, 50, Reference::memory, "≥ 50× SQLite in memory"};
      query_row(kind.name, list.size(), target,
                [&](std::size_t i) { return digest(register_->search_customers(admin, list[i])); },
                [&](std::size_t i) { return digest(memory_->search_customers(list[i])); },
                [&](std::size_t i) { return digest(file_->search_customers(list[i])); });
    }
  }
  if (o_.has("technician")) {
    std::vector<CustomerQuery> list;
    for (auto t : q.technicians) {
      CustomerQuery query;
      query.technician = t;
      list.push_back(query);
    }
    query_row("a technician's customers by name", list.size(),
              Target{Target::ratio, 10, Reference::memory, "≥ 10× SQLite in memory"},
              [&](std::size_t i) { return digest(register_->search_customers(admin, list[i])); },
              [&](std::size_t i) { return digest(memory_->search_customers(list[i])); },
              [&](std::size_t i) { return digest(file_->search_customers(list[i])); });
  }
  if (o_.has("orders")) {
    // A customer card's order list: newest first by planned date.
    auto orders = [](kartotek::CustomerId customer, std::size_t offset) {
      OrderQuery query;
      query.customer = customer;
      query.sort = kartotek::OrderColumn::planned;
      query.descending = true;
      query.offset = offset;
      query.limit = kOrderPage;
      return query;
    };
    std::vector<OrderQuery> first, later;
    for (auto c : q.order_customers) first.push_back(orders(c, 0));
    for (std::size_t i = 0; i < q.paged_customers.size(); ++i)
      later.push_back(orders(q.paged_customers[i], q.page_offsets[i]));
    for (const auto* list : {&first, &later}) {
      if (list->empty()) continue;  // a register too small for a second page
      query_row(list == &first ? "a customer's orders, first page" : "a customer's orders, a later page",
                list->size(), std::nullopt,
                [&](std::size_t i) { return digest(register_->search_orders(admin, (*list)[i])); },
                [&](std::size_t i) { return digest(memory_->search_orders((*list)[i])); },
                [&](std::size_t i) { return digest(file_->search_orders((*list)[i])); });
    }
    result_.notes.push_back(
        "A customer's orders are listed as a customer card lists them: Register::search_orders for the customer, "
        "sorted by planned date, newest first (open orders before closed ones, undated last, ties by id), " +
        std::to_string(kOrderPage) + " a page, for customers with orders (the first page) and for customers with "
        "more than one page of them (a later page); each order is returned whole, with its article lines. On "
        "SQLite a count(*) and a `LIMIT … OFFSET …` query on the (customer, closed, planned DESC, id) index, then "
        "each order's lines by its key.");
  }
  if (o_.has("custom-fields")) {
    std::vector<CustomerQuery> list;
    for (const auto& level : q.agreement_levels) {
      CustomerQuery query;
      query.custom.push_back({std::string(kAgreementField), kartotek::CustomMatch::equals, kartotek::Value(level)});
      list.push_back(query);
    }
    query_row("customers by custom field value, by name", list.size(), std::nullopt,
              [&](std::size_t i) { return digest(register_->search_customers(admin, list[i])); },
              [&](std::size_t i) { return digest(memory_->search_customers(list[i])); },
              [&](std::size_t i) { return digest(file_->search_customers(list[i])); });
  }
  if (!reduced_passes_.empty()) {
    std::string note = "Fewer timed passes (kartotek/SQLite in memory/SQLite file) where one pass is long, to "
                       "stay within " + format_value(o_.budget_seconds, Unit::time_total) + " per list: ";
    for (std::size_t i = 0; i < reduced_passes_.size(); ++i) note += (i ? "; " : "") + reduced_passes_[i];
    result_.notes.push_back(note + ".");
  }
  std::string note =
      "Lookups and searches are CPU time of the benchmark thread per query. Searches return what "
      "Register::search_customers returns: the number of matches and the first 50 customers by Swedish "
      "collation (ties by id); on SQLite a count(*) and a LIMIT 50 query.";
  if (o_.has("custom-fields"))
    note += " Customers by custom field value are those whose Avtalsnivå (a choice: Guld, Silver or Brons) is "
            "the one asked for; SQLite keeps each custom field in a column and answers from the (avtalsniva, "
            "name_order) index.";
  result_.notes.push_back(note + " Every query's answer (total and ids) is compared across the engines.");
}

std::string SizeRun::saved_kartotek() {
  if (saved_dir_.empty()) {
    saved_dir_ = fresh_directory(work_, "saved-kartotek") + "/register";
    register_->save_as(saved_dir_);
  }
  return saved_dir_;
}

void SizeRun::save_and_load() {
  const int runs = o_.load_runs_for(n_);
  std::vector<double> ks, ss, kl, sl;
  std::int64_t save_peak = 0;
  say("saving (kartotek save_as, SQLite backup to a file), in turns");
  for (int r = 0; r < runs; ++r) {
    if (register_) {
      std::string dir = fresh_directory(work_, "saved-kartotek") + "/register";
      release_free_memory();
      reset_peak_resident();
      const std::int64_t before = memory_use().resident;
      Stopwatch t;
      register_->save_as(dir);
      ks.push_back(t.wall());
      save_peak = std::max(save_peak, peak_resident() - before);
      saved_dir_ = dir;
    }
    if (memory_) {
      std::string dir = fresh_directory(work_, "saved-sqlite");
      saved_sqlite_ = dir + "/register.db";
      Stopwatch t;
      memory_->save_to(saved_sqlite_);
      ss.push_back(t.wall());
    }
  }
  Row save;
  save.workload = "save the whole register";
  save.unit = Unit::time_total;
  if (!ks.empty()) save.kartotek = median(ks);
  if (!ss.empty()) save.sqlite_memory = median(ss);
  add(std::move(save));

  Row size;
  size.workload = "saved size per customer";
  size.unit = Unit::bytes_per_customer;
  if (!saved_dir_.empty()) size.kartotek = static_cast<double>(disk_size(saved_dir_)) / static_cast<double>(n_);
  if (!saved_sqlite_.empty())
    size.sqlite_memory = static_cast<double>(disk_size(saved_sqlite_)) / static_cast<double>(n_);
  if (file_) {
    file_->execute("PRAGMA wal_checkpoint(TRUNCATE)");
    size.sqlite_file = static_cast<double>(disk_size(file_path_)) / static_cast<double>(n_);
  }
  add(std::move(size));

  // The in-memory registers are not needed any more; their memory is.
  bool keep_register = o_.has("commit") && saved_dir_.empty() && register_;
  if (!keep_register) register_.reset();
  memory_.reset();
  release_free_memory();

  say("loading (kartotek Register::open, SQLite backup into memory), in turns");
  for (int r = 0; r < runs; ++r) {
    if (!saved_dir_.empty()) {
      Stopwatch t;
      Register reg = Register::open(saved_dir_, kartotek::OpenOptions{});
      kl.push_back(t.wall());
      if (reg.counts().customers != n_) throw std::runtime_error("the loaded kartotek register is not whole");
    }
    if (!saved_sqlite_.empty()) {
      Stopwatch t;
      SqliteRegister db = SqliteRegister::load_into_memory(saved_sqlite_, text_);
      sl.push_back(t.wall());
      if (db.counts().customers != static_cast<std::int64_t>(n_))
        throw std::runtime_error("the loaded SQLite register is not whole");
    }
  }
  Row loadrow;
  loadrow.workload = "load the whole register";
  loadrow.unit = Unit::time_total;
  if (!kl.empty()) loadrow.kartotek = median(kl);
  if (!sl.empty()) loadrow.sqlite_memory = median(sl);
  loadrow.target = Target{Target::time_below, 1.0, Reference::memory, "< 1 s at 1,000,000 customers"};
  add(std::move(loadrow));
  std::string note =
      "Save and load are wall time: kartotek writes a snapshot with Register::save_as and opens it with "
      "Register::open; SQLite copies the in-memory database to a file and back with the backup API. Files are "
      "read warm from the page cache. An on-disk SQLite database needs no load step at all, but then runs its "
      "queries from the file (the WAL file column).";
  if (save_peak > 0)
    note += " While saving, the benchmark process's resident set grew by up to " +
            format_value(static_cast<double>(save_peak) / static_cast<double>(n_), Unit::bytes_per_customer) +
            " per customer.";
  result_.notes.push_back(note);
}

void SizeRun::api_overhead() {
  if (saved_dir_.empty() && !register_) load_kartotek();
  overhead_rows(context(), saved_kartotek());
}

void SizeRun::concurrent() {
  if (o_.kartotek && !register_) load_kartotek();
  concurrent_rows(context(), register_ ? &*register_ : nullptr);
  // Its customers are changed now: no later workload may take it for the data set.
  register_.reset();
  release_free_memory();
}

void SizeRun::durable_commits() {
  std::size_t next = 0;
  auto customer = [&]() -> const kartotek::Customer& {
    return data_.extra_customers[next++ % data_.extra_customers.size()];
  };
  auto time_box = [&](const std::function<void()>& commit) {
    std::size_t commits = 0;
    Stopwatch t;
    double elapsed = 0;
    while (elapsed < o_.commit_seconds || commits < 10) {
      commit();
      ++commits;
      elapsed = t.wall();
    }
    return static_cast<double>(commits) / elapsed;
  };
  std::optional<Register> reg;
  if (o_.kartotek) {
    std::string dir = saved_dir_;
    if (dir.empty()) {
      if (!register_) throw std::runtime_error("no kartotek register to commit to");
      dir = saved_kartotek();
    }
    register_.reset();
    release_free_memory();
    reg.emplace(open_register(dir, kartotek::Durability::sync));
  }
  say("durable commits (kartotek Durability::sync, SQLite WAL synchronous=FULL), in turns");
  std::vector<double> k, s;
  for (int p = 0; p < o_.passes; ++p) {
    if (reg) k.push_back(time_box([&] { reg->apply(kAdministrator, kartotek::CreateCustomer{customer()}); }));
    if (file_) s.push_back(time_box([&] { file_->insert_customer(customer()); }));
  }
  auto spread = [](const char* who, std::vector<double> rates) {
    if (rates.empty()) return std::string();
    std::sort(rates.begin(), rates.end());
    return std::string(who) + " " + format_value(rates.front(), Unit::per_second) + " to " +
           format_value(rates.back(), Unit::per_second);
  };
  std::string spreads = spread("kartotek", k);
  if (!s.empty()) spreads += (spreads.empty() ? "" : ", ") + spread("SQLite", s);
  Row row;
  row.workload = "durable single-command commits";
  row.unit = Unit::per_second;
  if (!k.empty()) row.kartotek = median(k);
  if (!s.empty()) row.sqlite_file = median(s);
  row.target = Target{Target::ratio, 1, Reference::file, "≥ SQLite WAL, synchronous=FULL"};
  add(std::move(row));
  result_.notes.push_back(
      "Durable commits are wall time: one new customer per commit, on the register of this size; kartotek opened "
      "with Durability::sync (fdatasync per commit), SQLite in autocommit mode in WAL with synchronous=FULL, both "
      "in " + fs::path(work_).parent_path().string() + ". The passes ranged over " + spreads + ".");
}

// The share of customers the duplicates workload enters a second time, and
// the records it asks similar_customers about (per pass).
constexpr double kPlantedShare = 0.02;
constexpr std::size_t kSimilarCandidates = 50;

std::string percent(std::size_t part, std::size_t whole) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
  return buf;
}

// How many of `planted` (indices, so ids minus one) are among `pairs`.
std::size_t planted_found(const std::vector<PlantedDuplicates::Pair>& planted,
                          const std::vector<kartotek::DuplicatePair>& pairs) {
  std::set<std::pair<std::uint64_t, std::uint64_t>> found;
  for (const auto& p : pairs) found.emplace(p.first, p.second);
  std::size_t n = 0;
  for (const auto& p : planted) n += found.count({p.original + 1u, p.twin + 1u});
  return n;
}

// Runs last: it appends the planted twins to the data set and loads both
// engines again with them, so the other workloads keep the data set as
// generated.
void SizeRun::duplicates() {
  register_.reset();
  memory_.reset();
  file_.reset();
  release_free_memory();
  const std::size_t candidates = o_.smoke ? 10 : kSimilarCandidates;
  const PlantedDuplicates planted = plant_duplicates(data_, kPlantedShare, candidates, o_.seed);
  say("duplicates: " + format_count(planted.customers.size()) + " customers and " +
      format_count(planted.contacts.size()) + " contact persons entered twice; loading both engines with them");
  if (o_.kartotek) {
    register_.emplace(empty_register());
    load(*register_, data_);
  }
  double keys_cpu = 0;
  if (o_.sqlite) {
    memory_.emplace(SqliteRegister::in_memory(text_));
    memory_->bulk_load(data_);
    Stopwatch t;
    memory_->add_duplicate_keys();
    keys_cpu = t.cpu();
  }

  // find_duplicates over all customers, then all contacts, in turns.
  const int runs = o_.load_runs_for(n_);
  std::string found_note, peak_note;
  for (auto kind : {kartotek::RecordKind::customer, kartotek::RecordKind::contact}) {
    const bool customers = kind == kartotek::RecordKind::customer;
    const char* what = customers ? "customers" : "contacts";
    say(std::string("finding duplicate ") + what + " (kartotek find_duplicates, SQLite exact keys), in turns");
    std::vector<double> k, s;
    std::vector<kartotek::DuplicatePair> k_pairs, s_pairs;
    std::int64_t peak = 0;
    for (int r = 0; r < runs; ++r) {
      if (register_) {
        k_pairs.clear();
        k_pairs.shrink_to_fit();
        release_free_memory();
        reset_peak_resident();
        const std::int64_t before = memory_use().resident;
        Stopwatch t;
        k_pairs = register_->find_duplicates(kAdministrator, {kind, 50, std::numeric_limits<std::size_t>::max()});
        k.push_back(t.cpu());
        peak = std::max(peak, peak_resident() - before);
      }
      if (memory_) {
        Stopwatch t;
        s_pairs = memory_->exact_key_pairs(kind, 50);
        s.push_back(t.cpu());
      }
    }
    Row row;
    row.workload = std::string("find duplicate ") + what;
    row.unit = Unit::time_total;
    if (!k.empty()) row.kartotek = median(k);
    if (!s.empty()) row.sqlite_memory = median(s);
    add(std::move(row));
    if (peak > 0) {
      char mib[48];
      std::snprintf(mib, sizeof mib, "%.0f MiB for the %s", static_cast<double>(peak) / (1024.0 * 1024), what);
      peak_note += std::string(customers ? "" : " and ") + mib;
    }
    const auto& plants = customers ? planted.customers : planted.contacts;
    found_note += std::string(customers ? "" : "; ") + "among " + what + ", of the " + format_count(plants.size()) +
                  " planted pairs";
    if (register_)
      found_note += " kartotek found " + format_count(planted_found(plants, k_pairs)) + " (" +
                    percent(planted_found(plants, k_pairs), plants.size()) + ", in " + format_count(k_pairs.size()) +
                    " pairs)";
    if (memory_)
      found_note += std::string(register_ ? "," : "") + " SQLite " + format_count(planted_found(plants, s_pairs)) +
                    " (" + percent(planted_found(plants, s_pairs), plants.size()) + ", in " +
                    format_count(s_pairs.size()) + " pairs)";
  }

  // similar_customers: the first call folds every customer into the index
  // it keeps; then per call, like the lookups.
  say("similar customers of a record not yet saved");
  double first_call = 0;
  if (register_ && !planted.candidates.empty()) {
    Stopwatch t;
    register_->similar_customers(kAdministrator, planted.candidates[0], 50);
    first_call = t.cpu();
  }
  std::vector<QueryFunction> engines;
  std::vector<std::optional<double>*> figures;
  Row row;
  row.workload = "similar customers of a record not yet saved";
  row.unit = Unit::time_per_query;
  row.queries = planted.candidates.size();
  if (register_) {
    engines.push_back([&](std::size_t i) {
      return digest(register_->similar_customers(kAdministrator, planted.candidates[i], 50));
    });
    figures.push_back(&row.kartotek);
  }
  if (memory_) {
    engines.push_back([&](std::size_t i) { return digest(memory_->similar_customers(planted.candidates[i])); });
    figures.push_back(&row.sqlite_memory);
  }
  auto timings = time_queries(planted.candidates.size(), o_.passes, o_.budget_seconds, engines);
  std::string passes;
  bool reduced = false;
  for (std::size_t e = 0; e < timings.size(); ++e) {
    *figures[e] = timings[e].cpu_per_query;
    for (double w : timings[e].pass_wall) query_wall_ += w;
    for (double c : timings[e].pass_cpu) query_cpu_ += c;
    passes += (e ? "/" : "") + std::to_string(timings[e].pass_cpu.size());
    reduced = reduced || static_cast<int>(timings[e].pass_cpu.size()) != o_.passes;
  }
  row.passes = passes;
  add(std::move(row));
  // Whether each look-alike's original is among the answers, outside the timing.
  std::size_t look_alikes = 0, k_hits = 0, s_hits = 0, k_answers = 0, s_answers = 0;
  for (std::size_t i = 0; i < planted.candidates.size(); ++i) {
    const bool look_alike = planted.resembles[i] != PlantedDuplicates::kNew;
    const std::uint64_t original = look_alike ? planted.resembles[i] + 1u : 0;
    look_alikes += look_alike;
    if (register_) {
      auto pairs = register_->similar_customers(kAdministrator, planted.candidates[i], 50);
      k_answers += pairs.size();
      k_hits += look_alike && std::any_of(pairs.begin(), pairs.end(),
                                          [&](const kartotek::DuplicatePair& p) { return p.second == original; });
    }
    if (memory_) {
      auto ids = memory_->similar_customers(planted.candidates[i]);
      s_answers += ids.size();
      s_hits += look_alike && std::binary_search(ids.begin(), ids.end(), original);
    }
  }

  // A call after one customer has changed walks the index and folds that one again.
  double after_change = 0;
  if (register_ && !planted.candidates.empty()) {
    if (auto changed = register_->find_customer(kAdministrator, kartotek::CustomerId{1})) {
      changed->comments += " (changed)";
      register_->apply(kAdministrator, kartotek::UpdateCustomer{*changed});
    }
    Stopwatch t;
    register_->similar_customers(kAdministrator, planted.candidates[0], 50);
    after_change = t.cpu();
  }

  const double per_call = static_cast<double>(planted.candidates.size());
  char answers[96] = "";
  if (register_ && memory_)
    std::snprintf(answers, sizeof answers, " Answers per call on average: kartotek %.1f, SQLite %.1f.",
                  static_cast<double>(k_answers) / per_call, static_cast<double>(s_answers) / per_call);
  std::string note =
      "Duplicates: the data set above with " + format_count(planted.customers.size()) + " of its customers (" +
      percent(planted.customers.size(), n_) + ") and " + format_count(planted.contacts.size()) +
      " of their contact persons entered a second time with the variations people make (case, accents dropped, "
      "company form dropped or spelled out, \"&\" written out, a one-letter typo, a private person's names the other "
      "way round; some of the original's organisation number, e-mail, phone and address, written differently, or "
      "none of them), loaded again into kartotek and SQLite in memory. Finding duplicates is CPU time of one call "
      "over every customer (contact), minimum score 50, no limit, " +
      (runs == 1 ? std::string("one run") : "the median of " + std::to_string(runs) + " runs in turns") +
      ": kartotek's Register::find_duplicates (blocking by keys, every name compared with its "
      "typo neighbours)";
  if (!peak_note.empty()) note += ", during which the resident set grew by up to " + peak_note;
  note += "; SQLite: one statement of indexed self-joins over tables of exact keys (organisation number digits, "
          "case-folded e-mail, the last 8 digits of phones; built once after the load";
  if (memory_) note += " in " + format_value(keys_cpu, Unit::time_total) + " CPU, not in the figure";
  note += "), scored with kartotek's weights for those keys. **SQLite's side finds only pairs that share an exact "
          "key: no similar, reordered or respelled names, no addresses; the ratio is indicative, and the answers "
          "are not compared.** Recall of the planted pairs (without the name's score, a twin sharing only an "
          "e-mail or a phone stays below 50 on SQLite's side): " + found_note + ".";
  result_.notes.push_back(note);
  std::string similar =
      "Similar customers is CPU time per call for " + format_count(planted.candidates.size()) +
      " records typed into a create form (every other one a look-alike of a customer, varied like the planted "
      "twins, the others new customers): kartotek's Register::similar_customers (minimum score 50) scans the "
      "folded names and key hashes it keeps and scores the customers that may reach the minimum (its first call, "
      "which folds every customer, took " + format_value(first_call, Unit::time_total) +
      " CPU; a call after one customer changed, " + format_value(after_change, Unit::time_total) + "); SQLite looks up the record's exact keys and the first 50 customers whose "
      "folded name begins with the record's first word. The look-alike's original was among the answers for";
  if (register_) similar += " kartotek " + std::to_string(k_hits) + " of " + std::to_string(look_alikes);
  if (memory_)
    similar += std::string(register_ ? "," : "") + " SQLite " + std::to_string(s_hits) + " of " +
               std::to_string(look_alikes);
  similar += std::string(".") + answers;
  if (reduced) {
    std::string engines_named = register_ && memory_ ? "kartotek/SQLite" : register_ ? "kartotek" : "SQLite";
    similar += " Timed passes (" + engines_named + "): " + passes + ", to stay within " +
               format_value(o_.budget_seconds, Unit::time_total) + " per list.";
  }
  result_.notes.push_back(similar);
}

}  // namespace

Footprint probe_footprint(const kartotek::TextRules& text, std::uint64_t seed) {
  constexpr std::size_t kProbe = 20000;
  // The larger of resident and heap growth: a child may reuse heap pages its
  // parent freed (no resident growth) or leave pages half used.
  auto per = [](const Measurement& m) {
    return static_cast<double>(std::max(m.resident_growth, m.heap_growth)) / kProbe;
  };
  auto measure = [](const std::function<void()>& body) {
    release_free_memory();
    return in_child([&](Measurement& m) {
      MemoryUse before = memory_use();
      body();
      MemoryUse after = memory_use();
      m.resident_growth = after.resident - before.resident;
      m.heap_growth = after.heap - before.heap;
    });
  };
  Footprint f;
  f.data = per(measure([&] { keep_until_exit(generate(kProbe, seed)); }));
  DataSet data = generate(kProbe, seed);
  f.kartotek = per(measure([&] {
    Register reg = empty_register();
    load(reg, data);
    keep_until_exit(std::move(reg));
  }));
  f.sqlite = per(measure([&] {
    SqliteRegister db = SqliteRegister::in_memory(text);
    db.bulk_load(data);
    keep_until_exit(std::move(db));
  }));
  return f;
}

std::string too_large(const Options& options, std::size_t customers, const Footprint& f) {
  const double n = static_cast<double>(customers);
  double needed = kFixedBytes + n * f.data;
  if (options.kartotek) needed += n * f.kartotek * kSaveCopies;
  if (options.sqlite) needed += n * f.sqlite;
  const auto available = static_cast<double>(memory_available());
  if (needed <= available) return {};
  return "not run: it needs about " + gib(needed) + " of memory and " + gib(available) +
         " is available. Measured per customer on a 20,000-customer register: data set " +
         format_value(f.data, Unit::bytes_per_customer) + ", kartotek " +
         format_value(f.kartotek, Unit::bytes_per_customer) + " (held 2.25 times over while saving), SQLite in memory " +
         format_value(f.sqlite, Unit::bytes_per_customer) + "; plus " + gib(kFixedBytes) +
         " for SQLite's page cache and the rest.";
}

SizeResult run_size(const Options& options, std::size_t customers, const std::string& work_dir,
                    const kartotek::TextRules& text) {
  SizeRun size(options, customers, work_dir, text);
  return size.run();
}

}  // namespace bench
