// CSV reading (src/csv.hpp): the csv-spectrum conformance suite, Nordic
// encodings as Excel and accounting software write them, delimiters, and
// errors that name the record.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "csv.hpp"
#include "test_support.hpp"

using namespace kartotek;
namespace fs = std::filesystem;

namespace {

std::vector<csv::Record> read_all(std::string_view text, char delimiter) {
  std::vector<csv::Record> out;
  csv::parse(text, delimiter, [&](csv::Record&& r) { out.push_back(std::move(r)); });
  return out;
}

std::vector<std::vector<std::string>> fields_of(const std::vector<csv::Record>& records) {
  std::vector<std::vector<std::string>> out;
  for (const auto& r : records) out.push_back(r.fields);
  return out;
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The records of a CSV file as the suite's JSON has them: one object per
// record after the header, members named by the header.
Value as_objects(const std::vector<csv::Record>& records) {
  Value::List list;
  for (std::size_t i = 1; i < records.size(); ++i) {
    Value::Object object;
    for (std::size_t f = 0; f < records[0].fields.size(); ++f)
      object.push_back(Member{records[0].fields[f], Value(f < records[i].fields.size() ? records[i].fields[f] : "")});
    list.push_back(Value(std::move(object)));
  }
  return Value(std::move(list));
}

}  // namespace

TEST_CASE("every case of the csv-spectrum suite parses to exactly its JSON", "[csv][conformance]") {
  const char* root = std::getenv("KARTOTEK_CONFORMANCE_DIR");
  if (!root || !*root) {
    WARN("KARTOTEK_CONFORMANCE_DIR is not set: the csv-spectrum suite is not run (.ci/run sets it)");
    return;
  }
  fs::path suite = fs::path(root) / "csv-spectrum";
  REQUIRE(fs::is_directory(suite / "csvs"));
  std::size_t cases = 0;
  for (const auto& entry : fs::directory_iterator(suite / "csvs")) {
    if (entry.path().extension() != ".csv") continue;
    fs::path expected = suite / "json" / entry.path().filename().replace_extension(".json");
    INFO(entry.path().filename().string());
    REQUIRE(fs::exists(expected));
    csv::Text text = csv::decode(file_bytes(entry.path()));
    char delimiter = csv::detect_delimiter(text.utf8);
    CHECK(delimiter == ',');
    Value got = as_objects(read_all(text.utf8, delimiter));
    Value want = parse_json(file_bytes(expected));
    // The suite's errata: location_coordinates.json is one object, not a
    // list of one, and gives the phone number 1234567890 where its CSV has
    // 2095257564. Everything else of that case (the quotes and U+FFFD
    // inside unquoted fields) is compared as it stands.
    if (want.is<Value::Object>()) want = Value(Value::List{want});
    if (entry.path().filename() == "location_coordinates.csv") {
      auto& record = want.as<Value::List>().at(0).as<Value::Object>();
      REQUIRE(record.at(0).key == "Contact Phone Number");
      CHECK(record.at(0).value == Value("1234567890"));
      record.at(0).value = Value("2095257564");
    }
    CHECK(to_json(got) == to_json(want));
    ++cases;
  }
  CHECK(cases >= 12);
}

TEST_CASE("decoding: UTF-8 with or without a BOM, else Windows-1252, UTF-16 refused", "[csv]") {
  auto plain = csv::decode("Namn;Ort\r\nSøren Ærø;Århus\r\n");
  CHECK(plain.encoding == "UTF-8");
  CHECK(plain.utf8 == "Namn;Ort\r\nSøren Ærø;Århus\r\n");

  auto bom = csv::decode("\xEF\xBB\xBFKundnummer;Namn\r\n1001;Åsa Öberg\r\n");
  CHECK(bom.encoding == "UTF-8 with BOM");
  CHECK(bom.utf8 == "Kundnummer;Namn\r\n1001;Åsa Öberg\r\n");

  // Excel's "CSV (semikolonavgränsad)" on a Swedish Windows: Windows-1252.
  auto excel = csv::decode("Kundnummer;Namn;Ort\r\n1001;\xC5" "sa \xD6" "berg;G\xF6teborg\r\n1002;S\xF8ren \xC6r\xF8;\x80 5\r\n");
  CHECK(excel.encoding == "windows-1252");
  CHECK(excel.utf8 == "Kundnummer;Namn;Ort\r\n1001;Åsa Öberg;Göteborg\r\n1002;Søren Ærø;€ 5\r\n");

  CHECK_THROWS_WITH(csv::decode("\xFF\xFEK\0u\0n\0"), Catch::Contains("UTF-16"));
  try {
    csv::decode("\xEF\xBB\xBF" "ab\xC5");
    FAIL("a broken UTF-8 file with a BOM was read");
  } catch (const ValidationError& e) {
    CHECK(e.field() == "file");
    CHECK_THAT(e.what(), Catch::Contains("byte 6"));
  }
}

TEST_CASE("the delimiter is the one that splits the lines evenly", "[csv]") {
  CHECK(csv::detect_delimiter("a,b,c\n1,2,3\n") == ',');
  // Decimal commas inside a semicolon file (Nordic Excel).
  CHECK(csv::detect_delimiter("Namn;Rabatt;Belopp\nÅberg AB;2,5;1 200,50\nEk AB;0;300\n") == ';');
  CHECK(csv::detect_delimiter("Namn\tOrt\nÅberg AB\tUmeå, Västerbotten\n") == '\t');
  // Delimiters inside quotes do not count.
  CHECK(csv::detect_delimiter("\"a;b;c\",d\n\"e;f\",g\n") == ',');
  CHECK(csv::detect_delimiter("ensam\nkolumn\n") == ',');
  CHECK(csv::detect_delimiter("") == ',');
}

TEST_CASE("parsing: RFC 4180 quoting, line breaks in fields, spaces kept, records numbered", "[csv]") {
  auto records = read_all("Namn;Adress\r\n\"Åberg \"\"Kyl\"\" AB\";\"Storgatan 1\r\n411 05 Göteborg\"\r\n\r\n Ek AB ;\r\n", ';');
  REQUIRE(records.size() == 3);
  CHECK(fields_of(records) == std::vector<std::vector<std::string>>{
                                  {"Namn", "Adress"},
                                  {"Åberg \"Kyl\" AB", "Storgatan 1\r\n411 05 Göteborg"},
                                  {" Ek AB ", ""}});
  CHECK(records[0].number == 1);
  CHECK(records[2].number == 3);  // the blank line is not counted
  // The last record needs no line break.
  CHECK(fields_of(read_all("a\tb\n1\t2", '\t')) == std::vector<std::vector<std::string>>{{"a", "b"}, {"1", "2"}});
}

TEST_CASE("parsing: an unclosed quote is refused naming the record, a failing consumer stops the parse", "[csv]") {
  try {
    read_all("a,b\n1,\"open\n2,3\n", ',');
    FAIL("an unclosed quote was accepted");
  } catch (const ValidationError& e) {
    CHECK(e.field() == "record 2");
  }
  // A quote inside an unquoted field is a character (37°36'37.8"N).
  CHECK(fields_of(read_all("a,b\n1,x\"y\"\n", ',')) == std::vector<std::vector<std::string>>{{"a", "b"}, {"1", "x\"y\""}});

  std::size_t seen = 0;
  std::string many;
  for (int i = 0; i < 100000; ++i) many += std::to_string(i) + ",x\n";
  CHECK_THROWS_WITH(csv::parse(many, ',',
                               [&](csv::Record&& r) {
                                 ++seen;
                                 if (r.number == 10) throw Conflict("stop at record 10");
                               }),
                    "stop at record 10");
  CHECK(seen == 10);
}
