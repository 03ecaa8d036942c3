// The bounded reader of snapshots and journal records refuses, as Corrupt,
// bytes that would make an invalid value: a bool that is neither 0 nor 1, a
// time outside the years 0000 to 9999, an enumeration value without a name.
#include <catch2/catch.hpp>

#include <cstring>

#include "archive.hpp"
#include "test_support.hpp"

using namespace kartotek;

namespace {

template <class T>
T read_back(const std::string& bytes) {
  BoundedInputArchive ar(bytes);
  T out{};
  ar(out);
  if (ar.remaining() != 0) throw Corrupt("stray bytes");
  return out;
}

}  // namespace

TEST_CASE("a bool byte other than 0 or 1 is corrupt", "[persistence][faults]") {
  std::string bytes = write_archive(true);
  CHECK(read_back<bool>(bytes) == true);
  CHECK(read_back<bool>(write_archive(false)) == false);
  bytes.back() = 2;
  CHECK_THROWS_WITH(read_back<bool>(bytes), Catch::Contains("true/false byte holds 2"));

  // The same through an optional's presence flag.
  std::optional<std::string> some = "x";
  std::string opt = write_archive(some);
  opt[1] = '\x02';
  CHECK_THROWS_AS(read_back<std::optional<std::string>>(opt), Corrupt);
}

TEST_CASE("a stored time outside the years 0000 to 9999 is corrupt", "[persistence][faults]") {
  CHECK(read_back<Timestamp>(write_archive(kMaxTimestamp)) == kMaxTimestamp);
  CHECK(read_back<Timestamp>(write_archive(kMinTimestamp)) == kMinTimestamp);
  for (std::int64_t bad : {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                           kMaxTimestamp.time_since_epoch().count() + 1, kMinTimestamp.time_since_epoch().count() - 1}) {
    CAPTURE(bad);
    CHECK_THROWS_WITH(read_back<Timestamp>(write_archive(bad)), Catch::Contains("outside the years 0000 to 9999"));
  }
}

TEST_CASE("a stored enumeration value without a name is corrupt", "[persistence][faults]") {
  CHECK(read_back<CustomerKind>(write_archive(CustomerKind::private_person)) == CustomerKind::private_person);
  std::string bytes = write_archive(CustomerKind::company);
  auto raw = static_cast<std::underlying_type_t<CustomerKind>>(2);
  std::memcpy(bytes.data() + 1, &raw, sizeof raw);
  CHECK_THROWS_WITH(read_back<CustomerKind>(bytes), Catch::Contains("unknown value 2"));
}

TEST_CASE("a customer with a corrupt field in a snapshot payload is refused whole", "[persistence][faults]") {
  Customer c;
  c.id = CustomerId{1};
  c.number = "K1";
  c.visiting_address = Address{};
  std::string bytes = write_archive(c);
  CHECK(read_back<Customer>(bytes) == c);
  // Every single-byte change either reads back as a valid customer or is
  // refused as Corrupt; nothing else escapes.
  for (std::size_t i = 1; i < bytes.size(); ++i)
    for (int v : {2, 0x7f, 0xff}) {
      std::string spoilt = bytes;
      spoilt[i] = static_cast<char>(v);
      try {
        Customer back = read_back<Customer>(spoilt);
        CHECK(format_timestamp(back.created_at).size() == 27);
        CHECK(!enum_name(back.kind).empty());
      } catch (const Corrupt&) {
      }
    }
}

// Directly in kartotek's namespace (argument-dependent lookup finds the
// described types' serialize() there, not from an anonymous namespace).
namespace kartotek {

// A record as two format versions know it: `added` arrived in format 2.
struct Versioned {
  std::string kept;
  std::int64_t added = 7;
  std::vector<std::string> also_added;
  friend bool operator==(const Versioned&, const Versioned&) = default;
};

// The same record as format 1 wrote it.
struct VersionedV1 {
  std::string kept;
};

}  // namespace kartotek

template <> struct kartotek::Describe<Versioned> {
  static constexpr auto fields = std::make_tuple(field("kept", &Versioned::kept), field("added", &Versioned::added, 2),
                                                 field("also_added", &Versioned::also_added, 2));
};
template <> struct kartotek::Describe<VersionedV1> {
  static constexpr auto fields = std::make_tuple(field("kept", &VersionedV1::kept));
};

TEST_CASE("fields added in a later format read as their defaults from an earlier one", "[persistence][formats]") {
  std::string v1 = write_archive(VersionedV1{"Åberg"}, std::string("after"));
  BoundedInputArchive ar(v1, 1);
  Versioned x;
  std::string after;
  ar(x, after);
  CHECK(x == Versioned{"Åberg", 7, {}});
  CHECK(after == "after");  // nothing more was read for the record
  CHECK(ar.remaining() == 0);

  // The current format writes and reads every field.
  Versioned full{"Öberg", 42, {"a", "b"}};
  std::string v2 = write_archive(full);
  BoundedInputArchive current(v2, 2);
  Versioned back;
  current(back);
  CHECK(back == full);
  // Read as format 1, the bytes of the new fields are left over: a format
  // mix-up cannot pass unnoticed.
  BoundedInputArchive wrong(v2, 1);
  Versioned partial;
  wrong(partial);
  CHECK(wrong.remaining() > 0);
}
