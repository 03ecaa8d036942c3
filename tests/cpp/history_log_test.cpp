// The register's change history (HistoryLog in kartotek/internal/stores.hpp):
// against a plain list of the same rows, through appends and undone
// appends, it finds the same rows by record, by time and by sequence.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "kartotek/internal/stores.hpp"

using namespace kartotek;
using namespace kartotek::internal;

namespace {

bool same(const HistoryRowView& a, const HistoryRow& b) {
  return a.seq == b.seq && a.change == b.change && a.time == b.time && a.actor == b.actor &&
         a.record == b.record && a.record_kind == b.record_kind && a.source == b.source && a.action == b.action &&
         a.packed == b.packed;
}

void check_against(const HistoryLog& log, const std::vector<HistoryRow>& rows, std::mt19937_64& rng) {
  REQUIRE(log.size() == rows.size());
  CHECK(log.empty() == rows.empty());
  CHECK(log.last_sequence() == (rows.empty() ? 0 : rows.back().seq));
  for (std::size_t i = 0; i < rows.size(); ++i) REQUIRE(same(log[i], rows[i]));

  for (std::uint64_t id = 1; id <= 6; ++id)
    for (RecordKind kind : {RecordKind::customer, RecordKind::order}) {
      std::vector<std::size_t> expected;
      for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].record == id && rows[i].record_kind == kind) expected.push_back(i);
      CHECK(log.rows_of(kind, id) == expected);
    }

  for (int q = 0; q < 4; ++q) {
    TimeRange range;
    if (rng() % 3 != 0) range.from = Timestamp(std::chrono::microseconds(static_cast<std::int64_t>(rng() % 120)));
    if (rng() % 3 != 0) range.to = Timestamp(std::chrono::microseconds(static_cast<std::int64_t>(rng() % 120)));
    std::vector<std::uint64_t> expected, found;
    for (const auto& r : rows)
      if (range.contains(r.time)) expected.push_back(r.seq);
    log.for_each_in(range, [&](const HistoryRowView& r) { found.push_back(r.seq); });
    CHECK(found == expected);

    const std::uint64_t seq = rng() % (rows.empty() ? 5 : rows.back().seq + 3);
    std::size_t after = 0;
    while (after < rows.size() && rows[after].seq <= seq) ++after;
    CHECK(log.after(seq) == after);
  }
}

}  // namespace

TEST_CASE("the history log finds what a list of its rows holds through appends and undone appends",
          "[history][log]") {
  std::mt19937_64 rng(GENERATE(1, 2, 3));
  const bool clock_goes_back = GENERATE(false, true);
  HistoryLog log;
  std::vector<HistoryRow> rows;
  std::uint64_t next_seq = 1;
  std::int64_t now = 0;
  for (int step = 0; step < 600; ++step) {
    if (!rows.empty() && rng() % 4 == 0) {
      // An undone command takes back its rows from the end; its sequence
      // numbers are handed out again.
      for (auto n = rng() % 3 + 1; n > 0 && !rows.empty(); --n) {
        log.pop_back(rows.back().seq);
        next_seq = rows.back().seq;
        rows.pop_back();
      }
    } else {
      HistoryRow r;
      r.seq = next_seq;
      next_seq += 1 + rng() % 2;  // gaps, as after a refused command's numbers went to another
      r.change = r.seq / 2;
      now += static_cast<std::int64_t>(rng() % 3);
      if (clock_goes_back && rng() % 10 == 0) now -= 5;
      r.time = Timestamp(std::chrono::microseconds(now));
      r.actor = rng() % 4;
      r.record = 1 + rng() % 6;
      r.record_kind = rng() % 2 ? RecordKind::customer : RecordKind::order;
      r.source = Source::api;
      r.action = rng() % 2 ? Action::changed : Action::created;
      // Mostly short, now and then longer than the blocks the bytes go into.
      const std::size_t length = rng() % 50 == 0 ? (std::size_t{1} << 20) + rng() % 5000 : rng() % 200;
      r.packed = std::string(length, static_cast<char>('a' + step % 26));
      REQUIRE(log.append(r));
      rows.push_back(r);
    }
    if (step % 25 == 0) check_against(log, rows, rng);
  }
  check_against(log, rows, rng);

  // A row out of sequence order is refused and leaves the log as it was.
  if (!rows.empty()) {
    HistoryRow late = rows.back();
    CHECK_FALSE(log.append(late));
    late.seq = rows.back().seq - 1;
    CHECK_FALSE(log.append(late));
    check_against(log, rows, rng);
    CHECK_THROWS_AS(log.pop_back(rows.back().seq + 1), std::logic_error);
  }
  // Everything taken back: empty, and as good as new.
  while (!rows.empty()) {
    log.pop_back(rows.back().seq);
    rows.pop_back();
  }
  check_against(log, rows, rng);
  HistoryRow first;
  first.seq = 1;
  first.packed = "x";
  CHECK(log.append(first));
  CHECK(log.rows_of(RecordKind::customer, 0) == std::vector<std::size_t>{0});
}
