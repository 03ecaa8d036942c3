// benchmarks/overhead.cpp

#include "overhead.hpp"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include "kartotek/register.hpp"
#include "kartotek_side.hpp"
#include "measure.hpp"
#include "workloads.hpp"

#ifdef KARTOTEK_BENCH_CAPI
#include "kartotek.h"
#endif

namespace bench {
namespace {

namespace fs = std::filesystem;

std::uint64_t digest_id(std::uint64_t id) { return Digest().add(id).value(); }

#ifdef KARTOTEK_BENCH_CAPI
// CRegister: a register on disk opened through the C API, closed and freed
// at the end of its scope.
class CRegister {
 public:
  explicit CRegister(const std::string& path) {
    kt_open_options* options = nullptr;
    if (kt_open_options_new(&options) != KT_OK) throw std::runtime_error(kt_error_message());
    kt_open_options_set_create(options, 0);
    const int rc = kt_register_open(&reg_, path.c_str(), options);
    kt_open_options_free(options);
    if (rc != KT_OK) throw std::runtime_error("the C API cannot open " + path + ": " + kt_error_message());
  }
  ~CRegister() { kt_register_free(reg_); }
  CRegister(const CRegister&) = delete;
  CRegister& operator=(const CRegister&) = delete;

  kt_register* get() const { return reg_; }

 private:
  kt_register* reg_ = nullptr;
};

// The id of the customer a C API lookup returns, read from its JSON; 0 for none.
std::uint64_t c_lookup_id(kt_register* reg, const std::string& number) {
  char* json = nullptr;
  const int rc = kt_customer_get_by_number(&json, reg, kAdministrator.value, number.c_str());
  if (rc == KT_NOT_FOUND) return 0;
  if (rc != KT_OK) throw std::runtime_error(std::string("kt_customer_get_by_number: ") + kt_error_message());
  rapidjson::Document customer;
  customer.Parse(json);
  kt_string_free(json);
  if (!customer.IsObject() || !customer.HasMember("id") || !customer["id"].IsUint64())
    throw std::runtime_error("kt_customer_get_by_number returned a customer without an id");
  return customer["id"].GetUint64();
}
#endif

// PythonLookups: what benchmarks/python_lookup.py reported.
struct PythonLookups {
  std::string version;
  std::vector<std::uint64_t> ids;
  std::vector<double> cpu, wall;  // seconds per pass
};

#ifdef KARTOTEK_BENCH_PYTHON
// Runs `argv` (argv[0] a path) with KARTOTEK_BENCH_PYTHONPATH before the
// PYTHONPATH of this process, and returns what it wrote to its standard
// output; its standard error goes to ours, so a traceback is seen. Throws
// when it cannot be started or does not exit with status 0.
std::string run_python(const std::vector<std::string>& argv) {
  std::vector<std::string> environment;
  std::string python_path = KARTOTEK_BENCH_PYTHONPATH;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "PYTHONPATH=", 11) == 0)
      python_path += std::string(":") + (*e + 11);
    else
      environment.emplace_back(*e);
  }
  environment.push_back("PYTHONPATH=" + python_path);
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (auto& e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (spawned != 0) {
    ::close(fds[0]);
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(spawned));
  }
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t got = ::read(fds[0], buf, sizeof buf);
    if (got > 0) out.append(buf, static_cast<std::size_t>(got));
    else if (got == 0 || errno != EINTR) break;
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(argv[1] + " failed (wait status " + std::to_string(status) + ")");
  return out;
}
#endif

// python_lookups: the lookups of `numbers` through the Python module on the
// register in `dir`, in a child process. Throws, saying why, when Python or
// the module is not there or the child fails.
PythonLookups python_lookups(const std::string& dir, const std::vector<std::string>& numbers,
                             const std::string& work_dir, int passes) {
#ifdef KARTOTEK_BENCH_PYTHON
  const std::string file = fresh_directory(work_dir, "overhead-python") + "/numbers.txt";
  {
    std::ofstream out(file, std::ios::binary);
    for (std::size_t i = 0; i < numbers.size(); ++i) out << (i ? "\n" : "") << numbers[i];
    if (!out) throw std::runtime_error("cannot write " + file);
  }
  const std::string out = run_python({KARTOTEK_BENCH_PYTHON, KARTOTEK_BENCH_PYTHON_SCRIPT, dir, file,
                                      std::to_string(passes), std::to_string(kAdministrator.value)});
  rapidjson::Document report;
  report.Parse(out.c_str());
  if (!report.IsObject()) throw std::runtime_error("python_lookup.py printed no JSON object");
  if (report.HasMember("error") && report["error"].IsString()) throw std::runtime_error(report["error"].GetString());
  auto array = [&](const char* name) -> const rapidjson::Value& {
    if (!report.HasMember(name) || !report[name].IsArray())
      throw std::runtime_error(std::string("python_lookup.py printed no ") + name);
    return report[name];
  };
  PythonLookups result;
  if (report.HasMember("python") && report["python"].IsString()) result.version = report["python"].GetString();
  for (const auto& id : array("ids").GetArray()) result.ids.push_back(id.GetUint64());
  for (const auto& ns : array("cpu_ns").GetArray()) result.cpu.push_back(ns.GetDouble() * 1e-9);
  for (const auto& ns : array("wall_ns").GetArray()) result.wall.push_back(ns.GetDouble() * 1e-9);
  if (result.ids.size() != numbers.size() || result.cpu.empty() || result.cpu.size() != result.wall.size())
    throw std::runtime_error("python_lookup.py reported " + std::to_string(result.ids.size()) + " answers and " +
                             std::to_string(result.cpu.size()) + " passes");
  return result;
#else
  (void)dir, (void)numbers, (void)work_dir, (void)passes;
  throw std::runtime_error("the Python module was not built (-DKARTOTEK_BUILD_PYTHON=ON builds it)");
#endif
}

}  // namespace

void overhead_rows(const SizeContext& size, const std::string& saved_dir) {
  const Options& o = size.options;
  const auto& numbers = size.queries.numbers;
  const std::size_t count = numbers.size();
  const double calls = static_cast<double>(count);
  say("API overhead: lookups by customer number through C++, the C API and Python");

  // C++ and the C API take turns, each on a register opened from the saved
  // one. A register on disk is locked while it is open, so the C API opens
  // a copy.
  std::optional<kartotek::Register> reg;
  kartotek::OpenOptions open;
  open.create = false;
  reg.emplace(kartotek::Register::open(saved_dir, open));
  std::vector<QueryFunction> engines{[&](std::size_t i) {
    auto c = reg->find_customer_by_number(kAdministrator, numbers[i]);
    return digest_id(c ? c->id.value : 0);
  }};
  std::string c_missing;
  std::size_t c_differences = 0;
#ifdef KARTOTEK_BENCH_CAPI
  const std::string copy = fresh_directory(size.work_dir, "overhead-c") + "/register";
  fs::copy(saved_dir, copy, fs::copy_options::recursive);
  std::optional<CRegister> c_reg;
  c_reg.emplace(copy);
  // The JSON is freed unread: reading it is the host's business, not the C API's.
  engines.push_back([&](std::size_t i) {
    char* json = nullptr;
    const int rc = kt_customer_get_by_number(&json, c_reg->get(), kAdministrator.value, numbers[i].c_str());
    kt_string_free(json);
    return digest_id(static_cast<std::uint64_t>(rc));
  });
#else
  c_missing = "the C API was not built (-DKARTOTEK_BUILD_CAPI=ON builds it)";
#endif
  const auto timings = time_queries(count, o.passes, o.budget_seconds, engines);
  const QueryTiming& cpp = timings.front();
#ifdef KARTOTEK_BENCH_CAPI
  // The C API's answers, read from its JSON outside the timing.
  for (std::size_t i = 0; i < count; ++i)
    c_differences += digest_id(c_lookup_id(c_reg->get(), numbers[i])) != cpp.digests[i];
  c_reg.reset();
  fs::remove_all(fs::path(copy).parent_path());
#endif
  reg.reset();

  std::optional<PythonLookups> py;
  std::string py_missing;
  try {
    py = python_lookups(saved_dir, numbers, size.work_dir, o.passes);
  } catch (const std::exception& e) {
    py_missing = e.what();
    say("  no Python figure: " + py_missing);
  }
  std::size_t py_differences = 0;
  if (py)
    for (std::size_t i = 0; i < count; ++i) py_differences += digest_id(py->ids[i]) != cpp.digests[i];

  auto row = [&](const std::string& how) {
    Row r;
    r.workload = "lookup by customer number, " + how;
    r.unit = Unit::time_per_query;
    r.queries = count;
    return r;
  };
  Row cpp_row = row("C++ call");
  cpp_row.kartotek = cpp.cpu_per_query;
  cpp_row.passes = std::to_string(cpp.pass_cpu.size());
  size.add(std::move(cpp_row));
  Row c_row = row("C API call");
  if (timings.size() > 1) {
    c_row.kartotek = timings[1].cpu_per_query;
    c_row.passes = std::to_string(timings[1].pass_cpu.size());
  }
  c_row.differences = c_differences;
  size.add(std::move(c_row));
  Row py_row = row("Python call");
  if (py) {
    py_row.kartotek = median(py->cpu) / calls;
    py_row.passes = std::to_string(py->cpu.size());
  }
  py_row.baseline = cpp.cpu_per_query;
  py_row.target = Target{Target::excess_below, 1e-6, Reference::memory, "< 1 µs over the C++ call"};
  py_row.differences = py_differences;
  size.add(std::move(py_row));

  auto per_call = [](double seconds) { return format_value(seconds, Unit::time_per_query); };
  auto over = [&](double seconds) {
    const double excess = seconds - cpp.cpu_per_query;
    return (excess < 0 ? "−" : "+") + per_call(std::fabs(excess));
  };
  std::string note =
      "API overhead is CPU time per call of the calling thread, " +
      (o.passes == 1 ? std::string("one timed pass") : "the median of " + std::to_string(o.passes) + " timed passes") +
      " after a warm-up pass over the " + format_count(count) +
      " numbers of the lookup list, on the register saved by save_as and opened again (Register::open); "
      "C++ and the C API in turns, the C API on a copy of the saved register (a register on disk is locked "
      "while open). C++: Register::find_customer_by_number, a Customer returned. C API: "
      "kt_customer_get_by_number on a register opened with kt_register_open, which adds the checks of its "
      "arguments, the customer as JSON text (freed unread with kt_string_free) and, for a number that is "
      "missing, KT_NOT_FOUND and the thread's last error (no exception thrown). Python: "
      "kartotek.Register.open and find_customer_by_number in a loop, in a child process running "
      "benchmarks/python_lookup.py, timed with time.thread_time_ns (the clock of the other two); it adds the "
      "interpreter's call and loop, the number converted to a C++ string, the GIL released and taken back, "
      "and the customer converted to a Python object and freed again.";
  std::string excess;
  if (timings.size() > 1) excess += " C API " + over(timings[1].cpu_per_query);
  if (py) excess += std::string(excess.empty() ? "" : ",") + " Python " + over(median(py->cpu) / calls);
  if (!excess.empty()) note += " Over the C++ call:" + excess + ".";
  note += " Wall time per call: C++ " + per_call(cpp.wall_per_query);
  if (timings.size() > 1) note += ", C API " + per_call(timings[1].wall_per_query);
  if (py) note += ", Python " + per_call(median(py->wall) / calls) + " (Python " + py->version + ")";
  note += ". Every answer is compared with the C++ call's (the C API's by the id in its JSON, read outside the "
          "timing).";
  if (!c_missing.empty()) note += " No C API figure: " + c_missing + ".";
  if (!py_missing.empty()) note += " No Python figure: " + py_missing + ".";
  size.note(note);
  if (c_differences || py_differences)
    size.note("**API overhead: " + std::to_string(c_differences) + " C API and " + std::to_string(py_differences) +
              " Python lookups answered otherwise than the C++ call.**");
}

}  // namespace bench
