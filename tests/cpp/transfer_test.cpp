// CSV import (Register::import_csv) and list export (export_*): Nordic
// headers and encodings, the dry run's report, all or nothing, upsert,
// history, rights, progress and cancel, the journal, and the round trip.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <set>
#include <unistd.h>

#include "test_support.hpp"

using namespace kartotek;
using namespace kartotek::test;
namespace fs = std::filesystem;

namespace {

ImportOptions options(ListKind kind = ListKind::customers) {
  ImportOptions o;
  o.kind = kind;
  return o;
}

ImportOptions dry(ListKind kind = ListKind::customers) {
  ImportOptions o = options(kind);
  o.dry_run = true;
  return o;
}

const ImportProblem* problem_at(const ImportReport& report, std::size_t row) {
  for (const auto& p : report.problems)
    if (p.row == row) return &p;
  return nullptr;
}

std::string column_of(const ImportReport& report, const std::string& header) {
  for (const auto& m : report.columns)
    if (m.header == header) return m.column;
  return "?";
}

struct TempDir {
  fs::path path;
  TempDir() {
    static std::atomic<int> n{0};
    path = fs::temp_directory_path() / ("kartotek-transfer-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

// The records of a list apart from what the register keeps (id, times,
// revision), for comparing a register with one imported from its export.
Customer without_keys(Customer c) {
  c.id = {};
  c.created_at = {};
  c.revision = 0;
  return c;
}

}  // namespace

TEST_CASE("a Windows-1252 file with semicolons and Swedish headers imports Åsa Öberg", "[transfer]") {
  Fixture f;
  // As a Swedish Excel saves "CSV (semicolon separated)": Windows-1252, CR LF.
  const std::string file =
      "Kundnummer;Namn;E-post;Postnummer;Ort\r\n"
      "1001;\xC5sa \xD6" "berg;asa@example.se;123 45;G\xF6teborg\r\n"
      "1002;\xC4ngs Bygg AB;info@angs.se;702 10;\xD6rebro\r\n";
  ImportReport report = f.reg.import_csv(f.staff, file, options());
  CHECK(report.encoding == "windows-1252");
  CHECK(report.delimiter == ";");
  CHECK(report.rows == 2);
  CHECK(report.created == 2);
  CHECK(report.problems.empty());
  CHECK(report.applied);
  CHECK(column_of(report, "Kundnummer") == "number");
  CHECK(column_of(report, "Namn") == "name");
  CHECK(column_of(report, "E-post") == "email");
  CHECK(column_of(report, "Postnummer") == "invoice_address.postal_code");
  CHECK(column_of(report, "Ort") == "invoice_address.city");
  auto asa = f.reg.find_customer_by_number(f.staff, "1001");
  REQUIRE(asa);
  CHECK(asa->name == "Åsa Öberg");
  CHECK(asa->email == "asa@example.se");
  CHECK(asa->invoice_address.postal_code == "123 45");
  CHECK(asa->invoice_address.city == "Göteborg");
  CHECK(f.reg.find_customer_by_number(f.staff, "1002")->invoice_address.city == "Örebro");
}

TEST_CASE("UTF-8 files with and without BOM and Danish, Norwegian and English headers import", "[transfer]") {
  Fixture f;
  SECTION("Danish, UTF-8 with BOM, comma") {
    auto report = f.reg.import_csv(f.staff, "\xEF\xBB\xBFKundenummer,Navn,Postnummer,By\n2001,Søren Ærø,8000,Aarhus\n",
                                   options());
    CHECK(report.encoding == "UTF-8 with BOM");
    CHECK(report.created == 1);
    auto c = f.reg.find_customer_by_number(f.staff, "2001");
    REQUIRE(c);
    CHECK(c->name == "Søren Ærø");
    CHECK(c->invoice_address.city == "Aarhus");
  }
  SECTION("Norwegian, UTF-8, semicolon") {
    auto report = f.reg.import_csv(f.staff, "Kundenummer;Navn;E-post;Poststed\n3001;Bjørn Ødegård AS;post@odegard.no;Tromsø\n",
                                   options());
    CHECK(report.encoding == "UTF-8");
    CHECK(report.created == 1);
    CHECK(f.reg.find_customer_by_number(f.staff, "3001")->invoice_address.city == "Tromsø");
  }
  SECTION("English, tab separated, quoted line breaks and doubled quotes") {
    auto report = f.reg.import_csv(f.staff,
                                   "Customer number\tName\tE-mail\tComments\n"
                                   "4001\t\"Smith \"\"& Sons\"\" Ltd\"\tsales@smith.example\t\"first line\nsecond line\"\n",
                                   options());
    CHECK(report.delimiter == "\t");
    REQUIRE(report.created == 1);
    auto c = f.reg.find_customer_by_number(f.staff, "4001");
    CHECK(c->name == "Smith \"& Sons\" Ltd");
    CHECK(c->comments == "first line\nsecond line");
  }
}

TEST_CASE("a dry run reports what would be imported and changes nothing", "[transfer]") {
  Fixture f;
  const std::string before = f.state();
  auto report = f.reg.import_csv(f.staff, "Kundnummer;Namn\n1;Ett AB\n2;Två AB\n", dry());
  CHECK(report.dry_run);
  CHECK(report.created == 2);
  CHECK_FALSE(report.applied);
  CHECK(report.change == 0);
  CHECK(f.state() == before);
}

TEST_CASE("the report names each bad row's row, column, value and reason", "[transfer]") {
  Fixture f;
  f.add_customer("500", "Redan Här AB");
  Settings s = f.reg.settings(f.admin);
  s.number_max_length = 10;
  f.reg.apply(f.admin, UpdateSettings{s});
  const std::string before = f.state();
  const std::string file =
      "Kundnummer;Namn;E-post;Aktiv\n"        // row 1
      "101;Bra AB;bra@example.se;ja\n"       // row 2: good
      "102;Dålig Post AB;dalig@;ja\n"        // row 3: bad e-mail
      "101;Dubbel AB;;\n"                    // row 4: number twice in the file
      "500;Krock AB;;\n"                     // row 5: number in the register
      "12345678901;Lång AB;;\n"              // row 6: number too long
      "103;;;\n"                             // row 7: name missing
      "104;Kanske AB;;kanske\n"              // row 8: not yes or no
      "105;Extra AB;;;överbliven\n";         // row 9: a cell beyond the header
  auto report = f.reg.import_csv(f.staff, file, dry());
  CHECK(report.rows == 8);
  CHECK(report.created == 1);
  CHECK(report.skipped == 7);
  REQUIRE(report.problems.size() == 7);
  for (std::size_t i = 0; i + 1 < report.problems.size(); ++i) CHECK(report.problems[i].row < report.problems[i + 1].row);

  const auto* p = problem_at(report, 3);
  REQUIRE(p);
  CHECK(p->column == "E-post");
  CHECK(p->value == "dalig@");
  CHECK_THAT(p->reason, Catch::Contains("not an e-mail address"));

  p = problem_at(report, 4);
  REQUIRE(p);
  CHECK(p->column == "Kundnummer");
  CHECK(p->value == "101");
  CHECK(p->reason == "the same customer number as row 2");

  p = problem_at(report, 5);
  REQUIRE(p);
  CHECK(p->column == "Kundnummer");
  CHECK(p->value == "500");
  CHECK_THAT(p->reason, Catch::Contains("already used by customer 500 (Redan Här AB)"));

  p = problem_at(report, 6);
  REQUIRE(p);
  CHECK(p->column == "Kundnummer");
  CHECK_THAT(p->reason, Catch::Contains("has 11 characters; customer numbers have 1 to 10"));

  p = problem_at(report, 7);
  REQUIRE(p);
  CHECK(p->column == "Namn");
  CHECK(p->reason == "required");

  p = problem_at(report, 8);
  REQUIRE(p);
  CHECK(p->column == "Aktiv");
  CHECK(p->value == "kanske");

  p = problem_at(report, 9);
  REQUIRE(p);
  CHECK(p->column.empty());
  CHECK(p->value == "överbliven");
  CHECK(p->reason == "has 5 cells; the header has 4");
  CHECK(f.state() == before);
}

TEST_CASE("one bad row imports nothing, unless bad rows are skipped", "[transfer]") {
  Fixture f;
  const std::string file = "Kundnummer;Namn;E-post\n1;Ett AB;\n2;Två AB;inte-en-adress\n3;Tre AB;\n";
  const std::string before = f.state();
  auto refused = f.reg.import_csv(f.staff, file, options());
  CHECK_FALSE(refused.applied);
  CHECK(refused.problems.size() == 1);
  CHECK(f.state() == before);
  CHECK(f.reg.counts().customers == 0);

  ImportOptions skip = options();
  skip.skip_bad_rows = true;
  auto report = f.reg.import_csv(f.staff, file, skip);
  CHECK(report.applied);
  CHECK(report.created == 2);
  CHECK(report.skipped == 1);
  CHECK(f.reg.find_customer_by_number(f.staff, "1"));
  CHECK_FALSE(f.reg.find_customer_by_number(f.staff, "2"));
  CHECK(f.reg.find_customer_by_number(f.staff, "3"));
}

TEST_CASE("every imported record is in history as created by the importing user", "[transfer]") {
  Fixture f;
  auto report = f.reg.import_csv(f.staff, "Kundnummer;Namn;Tekniker;Aktiv\n7;Sju AB;tekla;nej\n", options());
  REQUIRE(report.applied);
  auto c = f.reg.find_customer_by_number(f.staff, "7");
  REQUIRE(c);
  CHECK_FALSE(c->active);
  CHECK(c->assigned_technician == f.staff);
  auto entries = f.reg.history(f.admin, RecordRef{RecordKind::customer, c->id.value});
  REQUIRE(entries.size() >= 3);
  CHECK(entries.front().action == Action::created);
  for (const auto& e : entries) {
    CHECK(e.actor == f.staff);
    CHECK(e.source == Source::import);
    CHECK(e.change == report.change);
  }
  // The technician hears of his new customer, as with AssignTechnician.
  CHECK(f.reg.notifications(f.staff).size() == 1);
}

TEST_CASE("upsert updates the customers the file names by number and creates the others", "[transfer]") {
  Fixture f;
  Customer existing;
  existing.number = "K1";
  existing.name = "Gamla Namnet AB";
  existing.phone = "08-123 45";
  existing.email = "gammal@example.se";
  f.reg.apply(f.staff, CreateCustomer{existing});
  f.add_customer("K2", "Oförändrad AB");

  const std::string file = "Kundnummer;Namn;E-post\nk1;Nya Namnet AB;ny@example.se\nK2;Oförändrad AB;\nK3;Ny Kund AB;\n";
  SECTION("without upsert a number in the register is a bad row") {
    auto report = f.reg.import_csv(f.staff, file, dry());
    CHECK(report.problems.size() == 2);
  }
  SECTION("with upsert") {
    ImportOptions o = options();
    o.upsert = true;
    auto report = f.reg.import_csv(f.staff, file, o);
    CHECK(report.problems.empty());
    CHECK(report.created == 1);
    CHECK(report.updated == 1);  // K2 is as the file says already
    auto k1 = f.reg.find_customer_by_number(f.staff, "K1");
    CHECK(k1->name == "Nya Namnet AB");
    CHECK(k1->email == "ny@example.se");
    CHECK(k1->phone == "08-123 45");  // not in the file: kept
    CHECK(k1->number == "K1");
    CHECK(k1->revision == 2);
    CHECK(f.reg.find_customer_by_number(f.staff, "K3"));
  }
}

TEST_CASE("an import needs the upload right, and each row the rights its records need", "[transfer]") {
  Fixture f;
  UserId no_upload = f.reg.apply(f.admin, CreateUser{staff_user("nils", "Nils", {Right::customers_view, Right::customers_create})});
  CHECK_THROWS_WITH(f.reg.import_csv(no_upload, "Kundnummer;Namn\n1;A\n", options()),
                    Catch::Contains("customers.upload"));
  UserId no_create = f.reg.apply(f.admin, CreateUser{staff_user("ulla", "Ulla", {Right::customers_view, Right::customers_upload})});
  auto report = f.reg.import_csv(no_create, "Kundnummer;Namn\n1;A\n", options());
  CHECK_FALSE(report.applied);
  REQUIRE(report.problems.size() == 1);
  CHECK_THAT(report.problems[0].reason, Catch::Contains("customers.create"));
  // Contacts and facilities have uploads of their own.
  CHECK_THROWS_WITH(f.reg.import_csv(no_create, "Förnamn;Efternamn\nÅsa;Öberg\n", options(ListKind::contacts)),
                    Catch::Contains("contacts.upload"));
  CHECK_THROWS_WITH(f.reg.import_csv(no_create, "Kundnummer;Namn\n1;Hus\n", options(ListKind::facilities)),
                    Catch::Contains("facilities.upload"));
  CHECK(f.reg.counts().customers == 0);
}

TEST_CASE("progress reports reading and rows, and returning false cancels with nothing imported", "[transfer]") {
  Fixture f;
  std::string file = "Kundnummer;Namn\n";
  for (int i = 1; i <= 2500; ++i) file += std::to_string(i) + ";Kund " + std::to_string(i) + "\n";
  const std::string before = f.state();

  std::vector<TransferProgress> seen;
  ImportOptions o = options();
  o.progress = [&](const TransferProgress& p) {
    seen.push_back(p);
    return true;
  };
  SECTION("every phase is reported, ending at its total") {
    auto report = f.reg.import_csv(f.staff, file, o);
    CHECK(report.created == 2500);
    REQUIRE(!seen.empty());
    CHECK(seen.front().phase == "reading");
    auto last_reading = std::find_if(seen.rbegin(), seen.rend(), [](auto& p) { return p.phase == "reading"; });
    CHECK(last_reading->done == file.size());
    CHECK(last_reading->total == file.size());
    CHECK(seen.back().phase == "rows");
    CHECK(seen.back().done == 2500);
    CHECK(seen.back().total == 2500);
    std::size_t rows_calls = std::count_if(seen.begin(), seen.end(), [](auto& p) { return p.phase == "rows"; });
    CHECK(rows_calls >= 3);
  }
  SECTION("cancel while applying rows") {
    o.progress = [](const TransferProgress& p) { return !(p.phase == "rows" && p.done >= 1000); };
    auto report = f.reg.import_csv(f.staff, file, o);
    CHECK(report.cancelled);
    CHECK_FALSE(report.applied);
    CHECK(f.state() == before);
  }
  SECTION("cancel while reading") {
    o.progress = [](const TransferProgress& p) { return p.phase != "reading"; };
    auto report = f.reg.import_csv(f.staff, file, o);
    CHECK(report.cancelled);
    CHECK(f.state() == before);
  }
  SECTION("a callback that uses the register gets Conflict, not a deadlock") {
    o.progress = [&](const TransferProgress& p) {
      if (p.phase == "rows") f.reg.find_customer_by_number(f.staff, "1");
      return true;
    };
    CHECK_THROWS_AS(f.reg.import_csv(f.staff, file, o), Conflict);
    CHECK(f.state() == before);
    // The register is usable afterwards.
    CHECK(f.reg.import_csv(f.staff, "Kundnummer;Namn\n1;Ett\n", options()).applied);
  }
}

TEST_CASE("contacts import with their links to customers", "[transfer]") {
  Fixture f;
  CustomerId a = f.add_customer("1001", "Alfa AB");
  CustomerId b = f.add_customer("1002", "Beta AB");
  const std::string file =
      "Förnamn;Efternamn;E-post;Mobil;Kundnummer;Roll\n"
      "Åsa;Öberg;asa@alfa.se;070-123 45 67;1001|1002;Inköp\n"
      "Per;Berg;;;1001|1002;VD|Styrelse\n"
      "Ingen;Kund;;;;\n"
      "Fel;Kund;;;9999;\n";
  auto report = f.reg.import_csv(f.staff, file, dry(ListKind::contacts));
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].row == 5);
  CHECK(report.problems[0].column == "Kundnummer");
  CHECK(report.problems[0].reason == "there is no customer with number '9999'");

  ImportOptions o = options(ListKind::contacts);
  o.skip_bad_rows = true;
  report = f.reg.import_csv(f.staff, file, o);
  CHECK(report.created == 3);
  auto of_a = f.reg.contacts_of(f.staff, a);
  REQUIRE(of_a.size() == 2);
  CHECK(of_a[0].contact.last_name == "Berg");
  CHECK(of_a[0].link.role == "VD");
  CHECK(of_a[1].contact.first_name == "Åsa");
  CHECK(of_a[1].link.role == "Inköp");
  CHECK(of_a[1].contact.mobile == "070-123 45 67");
  auto of_b = f.reg.contacts_of(f.staff, b);
  REQUIRE(of_b.size() == 2);
  CHECK(of_b[0].link.role == "Styrelse");
  CHECK(of_b[1].link.role == "Inköp");

  SECTION("a whole name is split at its last space") {
    f.reg.import_csv(f.staff, "Namn;Kundnummer\nAnna Maria Lind;1001\n", options(ListKind::contacts));
    ContactQuery q;
    q.last_name = "Lind";
    auto page = f.reg.search_contacts(f.staff, q);
    REQUIRE(page.items.size() == 1);
    CHECK(page.items[0].first_name == "Anna Maria");
    CHECK(page.items[0].last_name == "Lind");
  }
  SECTION("roles that do not fit the customers are a bad row") {
    auto r = f.reg.import_csv(f.staff, "Förnamn;Kundnummer;Roll\nX;1001|1002;a|b|c\n", dry(ListKind::contacts));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].column == "Roll");
  }
  SECTION("contacts cannot be upserted") {
    ImportOptions up = options(ListKind::contacts);
    up.upsert = true;
    CHECK_THROWS_AS(f.reg.import_csv(f.staff, "Förnamn\nX\n", up), ValidationError);
  }
}

TEST_CASE("facilities import under their customer, and upsert by the facility number", "[transfer]") {
  Fixture f;
  CustomerId a = f.add_customer("1001", "Alfa AB");
  const std::string file =
      "Kundnummer;Anläggning;Anläggningsnummer;Adress;Postnummer;Ort\n"
      "1001;Huvudkontoret;A1;Storgatan 1;111 22;Stockholm\n"
      "1001;Lagret;A2;Hamnvägen 3;222 33;Malmö\n";
  auto report = f.reg.import_csv(f.staff, file, options(ListKind::facilities));
  CHECK(report.created == 2);
  auto list = f.reg.facilities_of(f.staff, a);
  REQUIRE(list.size() == 2);
  CHECK(list[0].name == "Huvudkontoret");
  CHECK(list[0].address.city == "Stockholm");
  CHECK(list[1].number == "A2");

  ImportOptions up = options(ListKind::facilities);
  up.upsert = true;
  report = f.reg.import_csv(f.staff, "Kundnummer;Anläggningsnummer;Ort\n1001;a2;Lund\n", up);
  CHECK(report.updated == 1);
  CHECK(report.created == 0);
  list = f.reg.facilities_of(f.staff, a);
  REQUIRE(list.size() == 2);
  CHECK(list[1].address.city == "Lund");
  CHECK(list[1].name == "Lagret");  // not in the file: kept
  CHECK(list[1].number == "A2");
  report = f.reg.import_csv(f.staff, "Kundnummer;Anläggningsnummer;Anläggning\n1001;A3;Verkstaden\n1001;A3;Igen\n", up);
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].reason == "the same customer and facility number as row 2");
  CHECK(f.reg.facilities_of(f.staff, a).size() == 2);

  SECTION("active: no imports a deactivated facility and contact; empty keeps it active") {
    f.reg.import_csv(f.staff, "Kundnummer;Anläggning;Aktiv\n1001;Gamla lagret;nej\n1001;Nya lagret;\n",
                     options(ListKind::facilities));
    auto all = f.reg.facilities_of(f.staff, a);
    REQUIRE(all.size() == 4);
    CHECK_FALSE(all[2].active);
    CHECK(all[3].active);
    f.reg.import_csv(f.staff, "Förnamn;Efternamn;Aktiv\nInaktiv;Person;nej\n", options(ListKind::contacts));
    ContactQuery q;
    q.last_name = "Person";
    auto page = f.reg.search_contacts(f.staff, q);
    REQUIRE(page.items.size() == 1);
    CHECK_FALSE(page.items[0].active);
  }
  SECTION("a facility needs its customer") {
    CHECK_THROWS_WITH(f.reg.import_csv(f.staff, "Anläggning\nX\n", options(ListKind::facilities)),
                      Catch::Contains("customer_number"));
    auto r = f.reg.import_csv(f.staff, "Kundnummer;Anläggning\n;X\n", dry(ListKind::facilities));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].reason == "required");
  }
}

TEST_CASE("an explicit mapping names columns the headers do not", "[transfer]") {
  Fixture f;
  ImportOptions o = options();
  o.mapping = {{"Kund", "number"}, {"Företagsnamn", "name"}, {"Intern kod", ""}, {"Ort", ""}};
  auto report = f.reg.import_csv(f.staff, "Kund;Företagsnamn;Intern kod;Ort;Okänd\nX1;Ett AB;zz;Lund;?\n", o);
  CHECK(report.created == 1);
  CHECK(column_of(report, "Intern kod").empty());
  CHECK(column_of(report, "Ort").empty());
  CHECK(column_of(report, "Okänd").empty());
  auto c = f.reg.find_customer_by_number(f.staff, "X1");
  REQUIRE(c);
  CHECK(c->name == "Ett AB");
  CHECK(c->invoice_address.city.empty());

  SECTION("mistakes in the mapping or the header refuse the file") {
    ImportOptions bad = options();
    bad.mapping = {{"Kund", "kundnr"}};
    CHECK_THROWS_WITH(f.reg.import_csv(f.staff, "Kund\n1\n", bad), Catch::Contains("'kundnr' is not an importable column"));
    bad.mapping = {{"Saknas", "name"}};
    CHECK_THROWS_WITH(f.reg.import_csv(f.staff, "Kund\n1\n", bad), Catch::Contains("no header 'Saknas'"));
    CHECK_THROWS_WITH(f.reg.import_csv(f.staff, "Namn;Navn\nA;B\n", options()),
                      Catch::Contains("'Namn' and 'Navn' are both read as column 'name'"));
    CHECK_THROWS_WITH(f.reg.import_csv(f.staff, "Foo;Bar\n1;2\n", options()), Catch::Contains("none of the headers"));
    CHECK_THROWS_WITH(f.reg.import_csv(f.staff, "", options()), Catch::Contains("no header row"));
    CHECK_THROWS_WITH(f.reg.import_csv(f.staff, "Kundnummer;Namn\n1;\"öppen\n", options()),
                      Catch::Contains("never closed"));
    CHECK_THROWS_AS(f.reg.import_csv(f.staff, "Namn\nX\n", options(ListKind::orders)), ValidationError);
  }
}

TEST_CASE("automatic numbers skip no number for a bad row", "[transfer]") {
  Fixture f;
  Settings s = f.reg.settings(f.admin);
  s.auto_number = true;
  s.number_prefix = "K";
  f.reg.apply(f.admin, UpdateSettings{s});
  ImportOptions o = options();
  o.skip_bad_rows = true;
  auto report = f.reg.import_csv(f.staff, "Namn;E-post\nEtt AB;\nTrasig AB;@\nTvå AB;\n", o);
  CHECK(report.created == 2);
  CHECK(f.reg.find_customer_by_number(f.staff, "K1")->name == "Ett AB");
  CHECK(f.reg.find_customer_by_number(f.staff, "K2")->name == "Två AB");
}

TEST_CASE("an import is journaled and opens again the same", "[transfer]") {
  TempDir dir;
  std::string before;
  {
    OpenOptions o;
    o.durability = Durability::none;
    o.clock = std::make_shared<ManualClock>(at("2026-04-01T08:00:00Z"));
    Register reg = Register::open(dir.path, o);
    UserId admin = reg.create_first_administrator("admin", "Ada");
    ImportOptions io = options();
    io.skip_bad_rows = true;
    auto report = reg.import_csv(admin, "Kundnummer;Namn;E-post\n1;Ett AB;\n2;Två AB;fel\n3;Tre AB;\n", io);
    REQUIRE(report.applied);
    reg.import_csv(admin, "Förnamn;Efternamn;Kundnummer\nÅsa;Öberg;1|3\n", options(ListKind::contacts));
    std::ostringstream out;
    reg.write_state(out);
    before = out.str();
  }
  Register again = Register::open(dir.path);
  std::ostringstream out;
  again.write_state(out);
  CHECK(out.str() == before);
  CHECK(again.counts().customers == 2);
}

TEST_CASE("ImportRecords applied directly checks its columns and rows", "[transfer]") {
  Fixture f;
  ImportRecords cmd;
  cmd.columns = {"number", "name", "email"};
  cmd.cells = {"1", "Ett AB", "", "2", "Två AB", "nej"};
  const std::string before = f.state();
  CHECK_THROWS_WITH(f.reg.apply(f.staff, cmd), Catch::Contains("rows[1].email"));
  CHECK(f.state() == before);
  cmd.cells.pop_back();
  CHECK_THROWS_WITH(f.reg.apply(f.staff, cmd), Catch::Contains("whole rows"));
  cmd.columns = {"number", "name", "id"};
  CHECK_THROWS_WITH(f.reg.apply(f.staff, cmd), Catch::Contains("'id' is not an importable column"));
  cmd.columns = {"number", "name", "name"};
  CHECK_THROWS_WITH(f.reg.apply(f.staff, cmd), Catch::Contains("named twice"));
  cmd.columns = {"number", "name"};
  cmd.cells = {"1", "Ett AB", "2", "Två AB"};
  f.reg.apply(f.staff, cmd);
  CHECK(f.reg.counts().customers == 2);
}

TEST_CASE("customers export as Excel CSV, plain CSV and JSON with the search's filter and sort", "[transfer]") {
  Fixture f;
  Customer c;
  c.number = "2";
  c.name = "Öst; \"Bygg\" AB";
  c.comments = "rad ett\nrad två";
  f.reg.apply(f.staff, CreateCustomer{c});
  f.add_customer("10", "Ängs AB");
  f.add_customer("1", "Zeta AB");
  CustomerQuery q;
  q.sort = CustomerColumn::name;
  ExportOptions o;
  o.columns = {"number", "name", "comments"};

  std::string excel = f.reg.export_customers(f.staff, q, o);
  CHECK(excel.rfind("\xEF\xBB\xBFnumber;name;comments\r\n", 0) == 0);
  // Swedish order: Z < Å < Ä < Ö; quoted where a cell needs it.
  CHECK(excel.substr(3) ==
        "number;name;comments\r\n"
        "1;Zeta AB;\r\n"
        "10;Ängs AB;\r\n"
        "2;\"Öst; \"\"Bygg\"\" AB\";\"rad ett\nrad två\"\r\n");

  o.format = ExportFormat::csv;
  q.sort = CustomerColumn::number;
  q.descending = true;
  std::string plain = f.reg.export_customers(f.staff, q, o);
  CHECK(plain ==
        "number,name,comments\r\n"
        "10,Ängs AB,\r\n"
        "2,\"Öst; \"\"Bygg\"\" AB\",\"rad ett\nrad två\"\r\n"
        "1,Zeta AB,\r\n");

  o.format = ExportFormat::json;
  q.text = "ängs";
  Value json = parse_json(f.reg.export_customers(f.staff, q, o));
  REQUIRE(json.is<Value::List>());
  REQUIRE(json.as<Value::List>().size() == 1);
  const Value& first = json.as<Value::List>()[0];
  CHECK(first.find("number")->as<std::string>() == "10");
  CHECK(first.find("name")->as<std::string>() == "Ängs AB");

  SECTION("default columns, and unknown ones refused") {
    ExportOptions d;
    std::string text = f.reg.export_customers(f.staff, CustomerQuery{}, d);
    CHECK(text.find("number;name;kind;organisation_number;invoice_address.street") == 3);
    d.columns = {"number", "shoe_size"};
    CHECK_THROWS_WITH(f.reg.export_customers(f.staff, CustomerQuery{}, d), Catch::Contains("'shoe_size'"));
  }
  SECTION("progress and cancel") {
    ExportOptions p;
    std::size_t last = 0;
    p.progress = [&](const TransferProgress& t) {
      CHECK(t.phase == "records");
      last = t.done;
      return true;
    };
    f.reg.export_customers(f.staff, CustomerQuery{}, p);
    CHECK(last == 3);
    p.progress = [](const TransferProgress&) { return false; };
    CHECK_THROWS_AS(f.reg.export_customers(f.staff, CustomerQuery{}, p), Conflict);
  }
}

TEST_CASE("an exported list imports back to the same records", "[transfer]") {
  Fixture f;
  Customer c;
  c.number = "1001";
  c.name = "Åsa Öberg";
  c.kind = CustomerKind::private_person;
  c.organisation_number = "19700101-1234";
  c.invoice_address = {"c/o Berg", "Storgatan 1\nLägenhet 3", "111 22", "Stockholm", "Sverige"};
  c.visiting_address = Address{"", "Besöksvägen 2", "", "Solna", ""};
  c.email = "asa@example.se";
  c.phone = "+46 8 123 45";
  c.website = "https://oberg.example";
  c.language = "sv";
  c.category = "Privat; VIP";
  c.cost_center = "100";
  c.customer_order_number = "PO-7";
  c.comments = "Säger \"hej\"";
  CustomerId a = f.reg.apply(f.staff, CreateCustomer{c});
  f.reg.apply(f.staff, AssignTechnician{a, f.staff});
  CustomerId b = f.add_customer("1002", "Søren Ærø ApS");
  f.reg.apply(f.staff, DeactivateCustomer{b});
  Contact p;
  p.first_name = "Per";
  p.last_name = "Ågren";
  p.email = "per@example.se";
  ContactId pid = f.reg.apply(f.staff, CreateContact{p});
  f.reg.apply(f.staff, LinkContact{{pid, a, "Ägare"}});
  f.reg.apply(f.staff, LinkContact{{pid, b, "Styrelse"}});
  Facility fa;
  fa.customer = a;
  fa.name = "Sommarstugan";
  fa.number = "S1";
  fa.address.city = "Visby";
  f.reg.apply(f.staff, CreateFacility{fa});

  auto importable = [](ListKind kind) {
    std::vector<std::string> out;
    for (const auto& col : Register::columns(kind))
      if (col.importable && col.name != "full_name") out.push_back(col.name);
    return out;
  };

  for (ExportFormat format : {ExportFormat::excel, ExportFormat::csv}) {
    Fixture g;
    ExportOptions o;
    o.format = format;
    o.columns = importable(ListKind::customers);
    CustomerQuery all;
    all.sort = CustomerColumn::number;
    std::string customers = f.reg.export_customers(f.staff, all, o);
    o.columns = importable(ListKind::contacts);
    std::string contacts = f.reg.export_contacts(f.staff, ContactQuery{}, o);
    o.columns = importable(ListKind::facilities);
    std::string facilities = f.reg.export_facilities(f.staff, FacilityQuery{}, o);

    REQUIRE(g.reg.import_csv(g.staff, customers, options()).applied);
    REQUIRE(g.reg.import_csv(g.staff, contacts, options(ListKind::contacts)).applied);
    REQUIRE(g.reg.import_csv(g.staff, facilities, options(ListKind::facilities)).applied);

    for (const char* number : {"1001", "1002"}) {
      auto original = f.reg.find_customer_by_number(f.staff, number);
      auto copy = g.reg.find_customer_by_number(g.staff, number);
      REQUIRE(copy);
      CHECK(without_keys(*copy) == without_keys(*original));
    }
    auto copied_a = g.reg.find_customer_by_number(g.staff, "1001")->id;
    auto copied_b = g.reg.find_customer_by_number(g.staff, "1002")->id;
    auto people = g.reg.contacts_of(g.staff, copied_a);
    REQUIRE(people.size() == 1);
    CHECK(people[0].contact.last_name == "Ågren");
    CHECK(people[0].contact.email == "per@example.se");
    CHECK(people[0].link.role == "Ägare");
    auto people_b = g.reg.contacts_of(g.staff, copied_b);
    REQUIRE(people_b.size() == 1);
    CHECK(people_b[0].link.role == "Styrelse");
    CHECK(people_b[0].contact.id == people[0].contact.id);
    auto sites = g.reg.facilities_of(g.staff, copied_a);
    REQUIRE(sites.size() == 1);
    CHECK(sites[0].name == "Sommarstugan");
    CHECK(sites[0].number == "S1");
    CHECK(sites[0].address.city == "Visby");
  }
}

TEST_CASE("exports show only what the actor sees", "[transfer]") {
  Fixture f;
  CustomerId a = f.add_customer("1001", "Alfa AB");
  Order o;
  o.kind = OrderKind::work_order;
  o.customer = a;
  o.subject = "Byt filter";
  f.reg.apply(f.staff, CreateOrder{o, {}, {}});
  // Sees orders, not customers.
  UserId orders_only = f.reg.apply(f.admin, CreateUser{staff_user("olle", "Olle", {Right::orders_view})});
  OrderQuery q;
  q.limit = 100;
  ExportOptions json;
  json.format = ExportFormat::json;
  json.columns = {"kind", "number", "customer_number", "customer_name", "subject"};
  Value list = parse_json(f.reg.export_orders(orders_only, q, json));
  REQUIRE(list.as<Value::List>().size() == 1);
  const Value& row = list.as<Value::List>()[0];
  CHECK(row.find("subject")->as<std::string>() == "Byt filter");
  CHECK(row.find("kind")->as<std::string>() == "work_order");
  CHECK(row.find("number")->as<std::int64_t>() == 1);
  CHECK(row.find("customer_number")->as<std::string>().empty());
  CHECK(row.find("customer_name")->as<std::string>().empty());
  Value staff_list = parse_json(f.reg.export_orders(f.staff, q, json));
  CHECK(staff_list.as<Value::List>()[0].find("customer_name")->as<std::string>() == "Alfa AB");
  // No customer rights: an empty customer list.
  CHECK(f.reg.export_customers(orders_only, CustomerQuery{}, ExportOptions{{"number"}, ExportFormat::csv, {}}) ==
        "number\r\n");
}

TEST_CASE("search_facilities filters, sorts and pages within the actor's sight", "[transfer]") {
  Fixture f;
  CustomerId a = f.add_customer("2", "Alfa AB");
  CustomerId b = f.add_customer("1", "Beta AB");
  auto add = [&](CustomerId c, std::string name, std::string number, std::string city, bool active = true) {
    Facility x;
    x.customer = c;
    x.name = std::move(name);
    x.number = std::move(number);
    x.address.city = std::move(city);
    x.active = active;
    return f.reg.apply(f.staff, CreateFacility{x});
  };
  add(a, "Östra lagret", "F10", "Umeå");
  add(a, "Ängen", "F2", "Lund");
  add(b, "Zenit", "F1", "Arvika", false);
  FacilityQuery q;
  auto names = [&](const Page<Facility>& p) {
    std::vector<std::string> out;
    for (const auto& x : p.items) out.push_back(x.name);
    return out;
  };
  CHECK(names(f.reg.search_facilities(f.staff, q)) == std::vector<std::string>{"Zenit", "Ängen", "Östra lagret"});
  q.sort = FacilityColumn::number;
  CHECK(names(f.reg.search_facilities(f.staff, q)) == std::vector<std::string>{"Zenit", "Ängen", "Östra lagret"});
  q.sort = FacilityColumn::city;
  q.descending = true;
  CHECK(names(f.reg.search_facilities(f.staff, q)) == std::vector<std::string>{"Östra lagret", "Ängen", "Zenit"});
  q = {};
  q.sort = FacilityColumn::customer;
  CHECK(names(f.reg.search_facilities(f.staff, q)).front() == "Zenit");
  q = {};
  q.text = "ÄNG";
  CHECK(names(f.reg.search_facilities(f.staff, q)) == std::vector<std::string>{"Ängen"});
  q.text = "f1";
  CHECK(names(f.reg.search_facilities(f.staff, q)) == std::vector<std::string>{"Zenit", "Östra lagret"});
  q = {};
  q.customer = a;
  q.active = true;
  q.limit = 1;
  q.offset = 1;
  auto page = f.reg.search_facilities(f.staff, q);
  CHECK(page.total == 2);
  CHECK(names(page) == std::vector<std::string>{"Östra lagret"});
  q.limit = 0;
  CHECK_THROWS_AS(f.reg.search_facilities(f.staff, q), ValidationError);

  // "Only assigned": the facilities of his own customers.
  UserId assigned = f.reg.apply(f.admin, CreateUser{staff_user("asta", "Asta",
                                                               {Right::customers_view_assigned,
                                                                Right::facilities_view_assigned})});
  f.reg.apply(f.admin, AssignTechnician{b, assigned});
  CHECK(names(f.reg.search_facilities(assigned, FacilityQuery{})) == std::vector<std::string>{"Zenit"});
}

TEST_CASE("the columns of each list name their headers", "[transfer]") {
  auto customers = Register::columns(ListKind::customers);
  auto number = std::find_if(customers.begin(), customers.end(), [](auto& c) { return c.name == "number"; });
  REQUIRE(number != customers.end());
  CHECK(std::find(number->headers.begin(), number->headers.end(), "Kundnummer") != number->headers.end());
  CHECK(std::find(number->headers.begin(), number->headers.end(), "Kundenummer") != number->headers.end());
  auto id = std::find_if(customers.begin(), customers.end(), [](auto& c) { return c.name == "id"; });
  REQUIRE(id != customers.end());
  CHECK_FALSE(id->importable);
  for (ListKind kind : {ListKind::customers, ListKind::contacts, ListKind::facilities, ListKind::orders}) {
    auto cols = Register::columns(kind);
    CHECK_FALSE(cols.empty());
    std::set<std::string> names;
    for (const auto& c : cols) CHECK(names.insert(c.name).second);
  }
  for (const auto& c : Register::columns(ListKind::orders)) CHECK_FALSE(c.importable);
}
