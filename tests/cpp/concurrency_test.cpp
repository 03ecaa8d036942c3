// Parallel readers and one writer at a time, hammered from several threads.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "test_support.hpp"
#include "writer_first_mutex.hpp"

using namespace kartotek;
using kartotek::test::Fixture;

TEST_CASE("many threads reading and writing keep the register consistent", "[concurrency]") {
  Fixture f;
  constexpr int kWriters = 3;
  constexpr int kPerWriter = 150;
  std::atomic<bool> writing{true};
  std::atomic<int> read_failures{0};
  std::atomic<int> reads{0};

  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        Customer c;
        c.number = "W" + std::to_string(w) + "-" + std::to_string(i);
        c.name = (i % 2 ? "Östlund " : "Åberg ") + std::to_string(w * 1000 + i);
        auto id = f.reg.apply(f.staff, CreateCustomer{c});
        Customer got = f.reg.customer(f.staff, id);
        got.phone = std::to_string(i);
        f.reg.apply(f.staff, UpdateCustomer{got});
        if (i % 10 == 0) f.reg.apply(f.staff, DeactivateCustomer{id});
      }
    });
  }
  for (int r = 0; r < 3; ++r) {
    threads.emplace_back([&] {
      do {
        CustomerQuery q;
        q.limit = 1000;
        auto page = f.reg.search_customers(f.staff, q);
        // A page is a consistent snapshot: sorted, and every record complete.
        for (std::size_t i = 0; i < page.items.size(); ++i) {
          if (page.items[i].revision == 0) ++read_failures;
          if (page.items[i].number.empty()) ++read_failures;
        }
        if (page.total < page.items.size()) ++read_failures;
        q.text = "berg";
        f.reg.search_customers(f.staff, q);
        auto h = f.reg.history(f.staff, TimeRange{});
        for (std::size_t i = 1; i < h.size(); ++i)
          if (h[i].sequence <= h[i - 1].sequence) ++read_failures;
        ++reads;
      } while (writing.load());
    });
  }
  for (int w = 0; w < kWriters; ++w) threads[static_cast<std::size_t>(w)].join();
  writing = false;
  for (std::size_t t = kWriters; t < threads.size(); ++t) threads[t].join();

  CHECK(read_failures == 0);
  CHECK(reads > 0);
  auto counts = f.reg.counts();
  CHECK(counts.customers == kWriters * kPerWriter);
  CustomerQuery all;
  all.limit = 100000;
  auto page = f.reg.search_customers(f.staff, all);
  REQUIRE(page.items.size() == kWriters * kPerWriter);
  std::set<std::string> numbers;
  for (const auto& c : page.items) {
    numbers.insert(c.number);
    CHECK(c.revision >= 2);
  }
  CHECK(numbers.size() == page.items.size());
  // Every command left its history: 1 created + 1 change (+ deactivation).
  std::size_t deactivated = kWriters * ((kPerWriter + 9) / 10);
  CHECK(counts.history_entries ==
        2 /* users */ + kWriters * kPerWriter * 2 + deactivated);
  all.active = false;
  CHECK(f.reg.search_customers(f.staff, all).total == deactivated);
}

#if defined(__GLIBC__)
// Readers who keep coming must not keep a writer out: once a writer waits
// for the lock, a new reader waits behind him.
TEST_CASE("a waiting writer goes before readers that come after it", "[concurrency]") {
  internal::WriterFirstMutex m;
  m.lock_shared();  // a reader inside
  std::atomic<bool> written{false};
  std::thread writer([&] {
    m.lock();
    written = true;
    m.unlock();
  });
  bool turned_away = false;  // a new reader, once the writer waits
  for (int i = 0; i < 10000 && !turned_away; ++i) {
    if (m.try_lock_shared()) {
      m.unlock_shared();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    } else {
      turned_away = true;
    }
  }
  CHECK(turned_away);
  CHECK_FALSE(written);
  m.unlock_shared();
  writer.join();
  CHECK(written);
}
#endif
