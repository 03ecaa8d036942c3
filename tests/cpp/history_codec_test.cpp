// The packed form of history entries (src/history_codec.hpp): every Value
// comes back as it went in, and malformed bytes are refused, never read past.
#include <catch2/catch.hpp>

#include <limits>
#include <random>

#include "history_codec.hpp"
#include "test_support.hpp"

using namespace kartotek;
using namespace kartotek::internal;

namespace {

Value random_value(std::mt19937_64& rng, int depth) {
  const char* texts[] = {"", "a", "Åkesson Värme & Kyl AB", "Ærø\n\"citat\"", "custom.rabatt", "日本"};
  const std::int64_t numbers[] = {0, 1, -1, 63, 64, -64, -65, 127, 128, 300, -1250,
                                  std::numeric_limits<std::int64_t>::max(),
                                  std::numeric_limits<std::int64_t>::min()};
  switch (rng() % (depth < 4 ? 7 : 5)) {
    case 0: return Value();
    case 1: return Value(rng() % 2 == 0);
    case 2: return Value(numbers[rng() % std::size(numbers)]);
    case 3: return Value(static_cast<double>(static_cast<std::int64_t>(rng() % 20001) - 10000) / 8.0);
    case 4: return Value(std::string(texts[rng() % std::size(texts)]));
    case 5: {
      Value::List list;
      for (auto n = rng() % 4; n > 0; --n) list.push_back(random_value(rng, depth + 1));
      return Value(std::move(list));
    }
    default: {
      Value::Object object;
      for (auto n = rng() % 5; n > 0; --n)
        object.push_back(Member{texts[rng() % std::size(texts)], random_value(rng, depth + 1)});
      return Value(std::move(object));
    }
  }
}

HistoryEntry entry_of(Value old_value, Value new_value) {
  HistoryEntry e;
  e.sequence = 300;
  e.change = 129;
  e.at = parse_timestamp("2026-12-01T08:00:00.000123Z");
  e.actor = UserId{7};
  e.source = Source::import;
  e.record = RecordRef{RecordKind::service_object, 1ULL << 40};
  e.action = Action::changed;
  e.field = "invoice_address.city";
  e.old_value = std::move(old_value);
  e.new_value = std::move(new_value);
  return e;
}

}  // namespace

TEST_CASE("packed history entries unpack to the entries they were", "[history][codec]") {
  std::mt19937_64 rng(20261201);
  HistoryKeys keys;
  for (int i = 0; i < 500; ++i) {
    HistoryEntry e = entry_of(random_value(rng, 0), random_value(rng, 0));
    HistoryRow row = pack_row(keys, e);
    CHECK(row.packed.capacity() < row.packed.size() + 16);  // no spare room kept per row
    CHECK_NOTHROW(check_packed(row.packed, keys.size()));
    REQUIRE(unpack_row(keys, row) == e);
  }
  // Each name is kept once, however many entries use it.
  CHECK(keys.size() == 7);
  // A negative zero keeps its sign, and decimals their exact bits.
  HistoryEntry zero = entry_of(Value(-0.0), Value(0.1));
  HistoryEntry back = unpack_row(keys, pack_row(keys, zero));
  CHECK(std::signbit(back.old_value.as<double>()));
  CHECK(back.new_value.as<double>() == 0.1);
}

TEST_CASE("the store's rows survive their snapshot form", "[history][codec]") {
  std::mt19937_64 rng(7);
  HistoryKeys keys;
  HistoryLog store;
  for (std::uint64_t s = 1; s <= 50; ++s) {
    HistoryEntry e = entry_of(random_value(rng, 0), random_value(rng, 0));
    e.sequence = s;
    e.at = Timestamp(std::chrono::microseconds(static_cast<std::int64_t>(s) * 1000 - 20000));  // some before 1970
    REQUIRE(store.append(pack_row(keys, e)));
  }
  PackedHistory packed = write_rows(keys, store);
  HistoryKeys read_keys;
  std::vector<HistoryEntry> read;
  read_rows(packed, read_keys, [&](HistoryRow&& row) { read.push_back(unpack_row(read_keys, row)); });
  REQUIRE(read.size() == store.size());
  std::size_t i = 0;
  for (std::size_t j = 0; j < store.size(); ++j) CHECK(read[i++] == unpack_row(keys, store[j]));
}

TEST_CASE("malformed packed history is refused as Corrupt", "[history][codec]") {
  HistoryKeys keys;
  HistoryEntry e = entry_of(Value(Value::Object{Member{"a", Value(Value::List{Value(std::int64_t{300})})}}),
                            Value("Väst"));
  const std::string good = pack_row(keys, e).packed;
  REQUIRE_NOTHROW(check_packed(good, keys.size()));

  // Cut anywhere, it ends early; with a byte more, a byte is left over.
  for (std::size_t n = 0; n < good.size(); ++n) CHECK_THROWS_AS(check_packed(good.substr(0, n), keys.size()), Corrupt);
  CHECK_THROWS_AS(check_packed(good + '\0', keys.size()), Corrupt);
  // A key the table does not have.
  CHECK_THROWS_AS(check_packed(good, keys.size() - 1), Corrupt);
  // An unknown tag: field key 0, then tag 8.
  CHECK_THROWS_AS(check_packed(std::string("\x00\x08\x00", 3), keys.size()), Corrupt);
  // A number in more bytes than it needs (0 as 0x80 0x00), and one over 64 bits.
  CHECK_THROWS_AS(check_packed(std::string("\x80\x00\x00\x00", 4), keys.size()), Corrupt);
  CHECK_THROWS_AS(check_packed(std::string("\x00\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02\x00", 13), keys.size()),
                  Corrupt);
  // A text longer than the bytes left.
  CHECK_THROWS_AS(check_packed(std::string("\x00\x05\x7f" "abc\x00", 7), keys.size()), Corrupt);
  // Lists nested 65 deep; 64 are read.
  auto nested = [](int depth) {
    std::string s(1, '\0');
    for (int i = 0; i < depth; ++i) s += std::string("\x06\x01", 2);
    return s + std::string(2, '\0');  // the innermost item, then the new value
  };
  CHECK_NOTHROW(check_packed(nested(64), keys.size()));
  CHECK_THROWS_AS(check_packed(nested(65), keys.size()), Corrupt);

  // Rows: an unknown action, more rows than the bytes hold, a repeated key.
  HistoryLog store;
  REQUIRE(store.append(pack_row(keys, e)));
  PackedHistory packed = write_rows(keys, store);
  HistoryKeys read_keys;
  auto ignore = [](HistoryRow&&) {};
  PackedHistory more = packed;
  more.count = 2;
  CHECK_THROWS_AS(read_rows(more, read_keys, ignore), Corrupt);
  PackedHistory fewer = packed;
  fewer.count = 0;
  CHECK_THROWS_AS(read_rows(fewer, read_keys, ignore), Corrupt);
  PackedHistory repeated = packed;
  repeated.keys.push_back(repeated.keys.front());
  CHECK_THROWS_AS(read_rows(repeated, read_keys, ignore), Corrupt);
  PackedHistory action = packed;
  // The action is the byte before the packed bytes' length (one byte here).
  const std::size_t at = action.rows.size() - good.size() - 2;
  REQUIRE(static_cast<Action>(action.rows[at]) == Action::changed);
  action.rows[at] = 9;
  CHECK_THROWS_AS(read_rows(action, read_keys, ignore), Corrupt);
  // A time the JSON form cannot spell (after the year 9999).
  HistoryLog late;
  HistoryEntry far = e;
  far.at = Timestamp(std::chrono::microseconds(std::numeric_limits<std::int64_t>::max() / 2));
  REQUIRE(late.append(pack_row(keys, far)));
  PackedHistory late_packed = write_rows(keys, late);
  CHECK_THROWS_AS(read_rows(late_packed, read_keys, ignore), Corrupt);
}
