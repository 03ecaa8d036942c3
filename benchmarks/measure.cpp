// benchmarks/measure.cpp

#include "measure.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bench {

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

MemoryUse memory_use() {
  MemoryUse m;
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  if (statm >> size >> resident) m.resident = static_cast<std::int64_t>(resident) * sysconf(_SC_PAGESIZE);
  struct mallinfo2 info = mallinfo2();
  m.heap = static_cast<std::int64_t>(info.uordblks + info.hblkhd);
  return m;
}

void release_free_memory() { malloc_trim(0); }

namespace {

// The child's report travels through a pipe as a fixed header and the error text.
struct Wire {
  double seconds;
  double cpu_seconds;
  std::int64_t resident_growth;
  std::int64_t heap_growth;
  double value;
  std::uint32_t error_length;
};

void write_all(int fd, const void* data, std::size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(3);
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

bool read_all(int fd, void* data, std::size_t size) {
  char* p = static_cast<char*>(data);
  while (size > 0) {
    ssize_t n = ::read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

Measurement in_child(const std::function<void(Measurement&)>& body) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::close(fds[0]);
    Measurement m;
    try {
      body(m);
    } catch (const std::exception& e) {
      m.error = e.what();
    }
    Wire w{m.seconds, m.cpu_seconds, m.resident_growth, m.heap_growth, m.value,
           static_cast<std::uint32_t>(m.error.size())};
    write_all(fds[1], &w, sizeof w);
    write_all(fds[1], m.error.data(), m.error.size());
    std::fflush(nullptr);
    _exit(0);  // no destructors: the child's state is thrown away whole
  }
  ::close(fds[1]);
  Wire w{};
  Measurement m;
  bool ok = read_all(fds[0], &w, sizeof w);
  if (ok) {
    m.seconds = w.seconds;
    m.cpu_seconds = w.cpu_seconds;
    m.resident_growth = w.resident_growth;
    m.heap_growth = w.heap_growth;
    m.value = w.value;
    m.error.resize(w.error_length);
    ok = read_all(fds[0], m.error.data(), m.error.size());
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!ok) m.error = "the measuring process ended without a report (status " + std::to_string(status) + ")";
  return m;
}

Stopwatch::Stopwatch() : wall_start_(Clock::now()), cpu_start_(thread_cpu_seconds()) {}
double Stopwatch::wall() const { return seconds_since(wall_start_); }
double Stopwatch::cpu() const { return thread_cpu_seconds() - cpu_start_; }

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::vector<QueryTiming> time_queries(std::size_t n, int passes, double budget_seconds,
                                      const std::vector<QueryFunction>& engines) {
  std::vector<QueryTiming> t(engines.size());
  std::vector<int> wanted(engines.size(), passes);
  for (std::size_t e = 0; e < engines.size(); ++e) {
    t[e].digests.reserve(n);
    Stopwatch warm_up;
    for (std::size_t i = 0; i < n; ++i) t[e].digests.push_back(engines[e](i));
    const double one_pass = warm_up.wall();
    if (one_pass > 0 && one_pass * passes > budget_seconds)
      wanted[e] = std::max(1, static_cast<int>(budget_seconds / one_pass));
  }
  for (int p = 0; p < passes; ++p) {
    for (std::size_t e = 0; e < engines.size(); ++e) {
      if (p >= wanted[e]) continue;
      std::uint64_t sink = 0;
      Stopwatch pass;
      for (std::size_t i = 0; i < n; ++i) sink += engines[e](i);
      t[e].pass_cpu.push_back(pass.cpu());
      t[e].pass_wall.push_back(pass.wall());
      t[e].checksum += sink;
    }
  }
  for (auto& x : t) {
    x.cpu_per_query = n ? median(x.pass_cpu) / static_cast<double>(n) : 0;
    x.wall_per_query = n ? median(x.pass_wall) / static_cast<double>(n) : 0;
  }
  return t;
}

double load_average() {
  std::ifstream in("/proc/loadavg");
  double one = 0;
  in >> one;
  return one;
}

void reset_peak_resident() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
}

std::int64_t peak_resident() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return 0;
}

std::size_t count_differences(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  if (a.size() != b.size()) return std::max(a.size(), b.size());
  std::size_t d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d += a[i] != b[i];
  return d;
}

std::string fresh_directory(const std::string& parent, const std::string& name) {
  std::filesystem::path p = std::filesystem::path(parent) / name;
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

std::uint64_t disk_size(const std::string& path) {
  namespace fs = std::filesystem;
  if (fs::is_regular_file(path)) return fs::file_size(path);
  std::uint64_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(path))
    if (e.is_regular_file()) total += e.file_size();
  return total;
}

}  // namespace bench
