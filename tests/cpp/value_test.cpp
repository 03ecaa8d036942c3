// Values, their JSON text, and records read back from Values.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace kartotek;

TEST_CASE("a record's JSON form round-trips exactly", "[json]") {
  Customer c;
  c.id = CustomerId{7};
  c.number = "K-7";
  c.name = "Ærø \"Service\" ApS\n";
  c.kind = CustomerKind::private_person;
  c.position = GeoPosition{55.0, 10.5};
  c.assigned_technician = UserId{3};
  c.discount_letters = {"A", "B"};
  c.service_articles = {ArticleLine{"T", "Tid", 1.5, "h", true, 2.25}};
  c.created_at = parse_timestamp("2026-11-23T10:11:12.000345Z");
  std::string json = to_json(to_value(c));
  CHECK(json.find("\"kind\":\"private\"") != std::string::npos);
  CHECK(json.find("\"created_at\":\"2026-11-23T10:11:12.000345Z\"") != std::string::npos);
  Customer back;
  from_value(parse_json(json), back, "");
  CHECK(back == c);
}

TEST_CASE("a partial object patches only the members it names", "[json]") {
  Customer c;
  c.name = "Före";
  c.phone = "123";
  from_value(parse_json(R"({"name":"Efter","visiting_address":{"city":"Lund"}})"), c, "");
  CHECK(c.name == "Efter");
  CHECK(c.phone == "123");
  CHECK(c.visiting_address->city == "Lund");
}

TEST_CASE("wrong types and unknown fields are refused with the path named", "[json][validation]") {
  Customer c;
  auto field_of = [&](const char* json) {
    try {
      from_value(parse_json(json), c, "");
    } catch (const ValidationError& e) {
      return e.field();
    }
    return std::string("accepted");
  };
  CHECK(field_of(R"({"name":5})") == "name");
  CHECK(field_of(R"({"kind":"robot"})") == "kind");
  CHECK(field_of(R"({"invoice_address":{"town":"x"}})") == "invoice_address.town");
  CHECK(field_of(R"({"service_articles":[{"quantity":"many"}]})") == "service_articles[0].quantity");
  CHECK(field_of(R"({"created_at":"yesterday"})") == "created_at");
  CHECK(field_of(R"({"revision":-1})") == "revision");
}

TEST_CASE("malformed and hostile JSON gives a clear error, never a crash", "[json][validation]") {
  CHECK_THROWS_AS(parse_json("{"), ValidationError);
  CHECK_THROWS_AS(parse_json("{\"a\":1,\"a\":2}"), ValidationError);
  CHECK_THROWS_AS(parse_json("\"\xff\""), ValidationError);
  CHECK_THROWS_AS(parse_json("18446744073709551615"), ValidationError);
  CHECK_THROWS_WITH(parse_json(std::string(100000, '[')), Catch::Contains("nested deeper"));
  CHECK_THROWS_AS(parse_json(""), ValidationError);
  CHECK(parse_json("[1,2.5,null,true,\"x\"]").as<Value::List>().size() == 5);
}

TEST_CASE("timestamps are ISO 8601 UTC", "[json]") {
  auto t = parse_timestamp("2024-02-29T23:59:59.5Z");
  CHECK(format_timestamp(t) == "2024-02-29T23:59:59.500000Z");
  CHECK(format_timestamp(parse_timestamp("2026-11-23")) == "2026-11-23T00:00:00.000000Z");
  CHECK_THROWS_AS(parse_timestamp("2026-02-30"), ValidationError);
  CHECK_THROWS_AS(parse_timestamp("2026-11-23T25:00:00Z"), ValidationError);
  CHECK_THROWS_AS(parse_timestamp("2026-11-23T10:00:00"), ValidationError);
}

TEST_CASE("timestamps outside the years 0000 to 9999 are refused both ways", "[json][validation]") {
  CHECK(format_timestamp(kMinTimestamp) == "0000-01-01T00:00:00.000000Z");
  CHECK(format_timestamp(kMaxTimestamp) == "9999-12-31T23:59:59.999999Z");
  CHECK(parse_timestamp("0000-01-01T00:00:00Z") == kMinTimestamp);
  CHECK(parse_timestamp("9999-12-31T23:59:59.999999Z") == kMaxTimestamp);
  CHECK_THROWS_AS(format_timestamp(kMaxTimestamp + std::chrono::microseconds(1)), ValidationError);
  CHECK_THROWS_AS(format_timestamp(kMinTimestamp - std::chrono::microseconds(1)), ValidationError);
  CHECK_THROWS_AS(format_timestamp(Timestamp{std::chrono::microseconds{INT64_MIN}}), ValidationError);
  CHECK_THROWS_AS(parse_timestamp("-001-01-01"), ValidationError);
}

TEST_CASE("JSON numbers are read exactly, zero with an exponent included", "[json]") {
  CHECK(parse_json("0e44").as<double>() == 0.0);
  CHECK(parse_json("0.000e44").as<double>() == 0.0);
  CHECK(parse_json("-0.0").as<double>() == 0.0);
  CHECK(parse_json("0.1").as<double>() == 0.1);
  CHECK(parse_json("1e308").as<double>() == 1e308);
  CHECK(parse_json("2.2250738585072014e-308").as<double>() == 2.2250738585072014e-308);
  CHECK(parse_json("9223372036854775807").as<std::int64_t>() == INT64_MAX);
  CHECK(parse_json("-9223372036854775808").as<std::int64_t>() == INT64_MIN);
  CHECK_THROWS_WITH(parse_json("9223372036854775808"), Catch::Contains("beyond 64 bits"));
  CHECK_THROWS_WITH(parse_json("1e400"), Catch::Contains("too big"));
  CHECK(parse_json("[0e44]").as<Value::List>().at(0).as<double>() == 0.0);
}

TEST_CASE("an id in JSON is positive or null, never 0", "[json][validation]") {
  Customer c;
  CHECK_THROWS_WITH(from_value(parse_json(R"({"assigned_technician":0})"), c, ""), Catch::Contains("positive id"));
  CHECK_FALSE(c.assigned_technician.has_value());
  from_value(parse_json(R"({"assigned_technician":null})"), c, "");
  CHECK_FALSE(c.assigned_technician.has_value());
  from_value(parse_json(R"({"assigned_technician":4})"), c, "");
  CHECK(c.assigned_technician == UserId{4});
}
