// benchmarks/sqlite_register.cpp

#include "sqlite_register.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <exception>
#include <functional>
#include <stdexcept>
#include <utility>
#include <vector>

#include <csv.h>
#include <sqlite3.h>

namespace bench {

using kartotek::Customer;
using kartotek::CustomerId;
using kartotek::CustomerQuery;
using kartotek::Order;
using kartotek::OrderQuery;
using kartotek::Page;

namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  throw std::runtime_error("SQLite: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

void check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK) fail(db, what);
}

std::int64_t now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr const char* kSchema = R"sql(
CREATE TABLE users(
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  administrator INTEGER NOT NULL,
  active INTEGER NOT NULL);
CREATE TABLE customers(
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  name_fold TEXT NOT NULL,
  name_order BLOB NOT NULL,
  kind INTEGER NOT NULL,
  organisation_number TEXT NOT NULL,
  care_of TEXT NOT NULL,
  street TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  city TEXT NOT NULL,
  country TEXT NOT NULL,
  email TEXT NOT NULL,
  email_fold TEXT NOT NULL,
  phone TEXT NOT NULL,
  website TEXT NOT NULL,
  latitude REAL,
  longitude REAL,
  language TEXT NOT NULL,
  category TEXT NOT NULL,
  comments TEXT NOT NULL,
  active INTEGER NOT NULL,
  technician INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  -- The custom fields of customers, a column each, NULL for no value: a host
  -- adds the column (ALTER TABLE ADD COLUMN) when the group defines a field.
  avtalsniva TEXT,
  kund_sedan TEXT,
  antal_anstallda INTEGER);
CREATE INDEX customers_by_name ON customers(name_fold);
CREATE INDEX customers_by_name_order ON customers(name_order);
CREATE INDEX customers_by_technician ON customers(technician, name_order);
CREATE INDEX customers_by_avtalsniva ON customers(avtalsniva, name_order);
CREATE TABLE contacts(
  id INTEGER PRIMARY KEY,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  title TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT NOT NULL,
  mobile TEXT NOT NULL,
  category TEXT NOT NULL,
  comments TEXT NOT NULL,
  active INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  last_fold TEXT NOT NULL,
  full_fold TEXT NOT NULL,
  email_fold TEXT NOT NULL);
CREATE INDEX contacts_by_last_name ON contacts(last_fold);
CREATE TABLE contact_links(
  customer INTEGER NOT NULL REFERENCES customers(id),
  contact INTEGER NOT NULL REFERENCES contacts(id),
  role TEXT NOT NULL,
  send_service_protocol INTEGER NOT NULL,
  send_work_orders INTEGER NOT NULL,
  PRIMARY KEY(customer, contact)) WITHOUT ROWID;
CREATE UNIQUE INDEX contact_links_by_contact ON contact_links(contact, customer);
CREATE TABLE facilities(
  id INTEGER PRIMARY KEY,
  customer INTEGER NOT NULL REFERENCES customers(id),
  name TEXT NOT NULL,
  number TEXT NOT NULL,
  care_of TEXT NOT NULL,
  street TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  city TEXT NOT NULL,
  country TEXT NOT NULL,
  comments TEXT NOT NULL,
  active INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  revision INTEGER NOT NULL);
CREATE INDEX facilities_by_customer ON facilities(customer);
CREATE TABLE service_objects(
  id INTEGER PRIMARY KEY,
  facility INTEGER NOT NULL REFERENCES facilities(id),
  identifier TEXT NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  comments TEXT NOT NULL,
  active INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  revision INTEGER NOT NULL);
CREATE INDEX service_objects_by_facility ON service_objects(facility);
-- At most one assigned user per order: the data set assigns the customer's
-- technician, or nobody.
CREATE TABLE orders(
  id INTEGER PRIMARY KEY,
  kind INTEGER NOT NULL,
  number INTEGER NOT NULL,
  customer INTEGER NOT NULL REFERENCES customers(id),
  facility INTEGER REFERENCES facilities(id),
  service_object INTEGER REFERENCES service_objects(id),
  contact INTEGER REFERENCES contacts(id),
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  status TEXT NOT NULL,
  planned INTEGER,
  technician INTEGER REFERENCES users(id),
  customer_order_number TEXT NOT NULL,
  closed INTEGER NOT NULL,
  closed_at INTEGER,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  UNIQUE(kind, number));
CREATE INDEX orders_by_customer ON orders(customer, closed, planned DESC);
CREATE TABLE order_lines(
  order_id INTEGER NOT NULL REFERENCES orders(id),
  line INTEGER NOT NULL,
  article_number TEXT NOT NULL,
  description TEXT NOT NULL,
  quantity REAL NOT NULL,
  unit TEXT NOT NULL,
  price REAL NOT NULL,
  time_article INTEGER NOT NULL,
  hours REAL NOT NULL,
  date INTEGER,
  PRIMARY KEY(order_id, line)) WITHOUT ROWID;
)sql";

// The columns a Customer is read from, in read_customer's order.
#define CUSTOMER_COLUMNS                                                                  \
  "id, number, name, kind, organisation_number, care_of, street, postal_code, city, "     \
  "country, email, phone, website, latitude, longitude, language, category, comments, "  \
  "active, technician, created_at, revision, avtalsniva, kund_sedan, antal_anstallda"

Customer read_customer(const Statement& s) {
  Customer c;
  c.id = CustomerId{static_cast<std::uint64_t>(s.integer(0))};
  c.number = s.text(1);
  c.name = s.text(2);
  c.kind = static_cast<kartotek::CustomerKind>(s.integer(3));
  c.organisation_number = s.text(4);
  c.invoice_address.care_of = s.text(5);
  c.invoice_address.street = s.text(6);
  c.invoice_address.postal_code = s.text(7);
  c.invoice_address.city = s.text(8);
  c.invoice_address.country = s.text(9);
  c.email = s.text(10);
  c.phone = s.text(11);
  c.website = s.text(12);
  if (!s.is_null(13)) c.position = kartotek::GeoPosition{s.real(13), s.real(14)};
  c.language = s.text(15);
  c.category = s.text(16);
  c.comments = s.text(17);
  c.active = s.integer(18) != 0;
  if (!s.is_null(19)) c.assigned_technician = kartotek::UserId{static_cast<std::uint64_t>(s.integer(19))};
  c.created_at = kartotek::Timestamp{std::chrono::microseconds{s.integer(20)}};
  c.revision = static_cast<std::uint64_t>(s.integer(21));
  if (!s.is_null(22)) c.custom.set(std::string(kAgreementField), kartotek::Value(s.text(22)));
  if (!s.is_null(23)) c.custom.set(std::string(kCustomerSinceField), kartotek::Value(s.text(23)));
  if (!s.is_null(24)) c.custom.set(std::string(kEmployeesField), kartotek::Value(s.integer(24)));
  return c;
}

kartotek::Timestamp timestamp(std::int64_t micros) {
  return kartotek::Timestamp{std::chrono::microseconds{micros}};
}

std::int64_t micros(kartotek::Timestamp t) { return t.time_since_epoch().count(); }

// The id in column `c`, or none when it is NULL.
template <class Id>
std::optional<Id> optional_id(const Statement& s, int c) {
  if (s.is_null(c)) return std::nullopt;
  return Id{static_cast<std::uint64_t>(s.integer(c))};
}

// The columns of an order, in the order insert_order binds them and
// read_order reads them; its lines come from order_lines (read_line).
#define ORDER_COLUMNS                                                                             \
  "id, kind, number, customer, facility, service_object, contact, subject, description, status, " \
  "planned, technician, customer_order_number, closed, closed_at, created_by, created_at, revision"

Order read_order(const Statement& s) {
  Order o;
  o.id = kartotek::OrderId{static_cast<std::uint64_t>(s.integer(0))};
  o.kind = static_cast<kartotek::OrderKind>(s.integer(1));
  o.number = static_cast<std::uint64_t>(s.integer(2));
  o.customer = CustomerId{static_cast<std::uint64_t>(s.integer(3))};
  o.facility = optional_id<kartotek::FacilityId>(s, 4);
  o.service_object = optional_id<kartotek::ServiceObjectId>(s, 5);
  o.contact = optional_id<kartotek::ContactId>(s, 6);
  o.subject = s.text(7);
  o.description = s.text(8);
  o.status = s.text(9);
  if (!s.is_null(10)) o.planned = timestamp(s.integer(10));
  if (auto technician = optional_id<kartotek::UserId>(s, 11)) o.assigned.push_back(*technician);
  o.customer_order_number = s.text(12);
  o.closed = s.integer(13) != 0;
  if (!s.is_null(14)) o.closed_at = timestamp(s.integer(14));
  o.created_by = kartotek::UserId{static_cast<std::uint64_t>(s.integer(15))};
  o.created_at = timestamp(s.integer(16));
  o.revision = static_cast<std::uint64_t>(s.integer(17));
  return o;
}

kartotek::OrderLine read_line(const Statement& s) {
  kartotek::OrderLine l;
  l.id = static_cast<std::uint32_t>(s.integer(0));
  l.article_number = s.text(1);
  l.description = s.text(2);
  l.quantity = s.real(3);
  l.unit = s.text(4);
  l.price = s.real(5);
  l.time_article = s.integer(6) != 0;
  l.hours = s.real(7);
  if (!s.is_null(8)) l.date = timestamp(s.integer(8));
  return l;
}

// A LIKE pattern matching `needle` anywhere, with % _ and \ escaped.
std::string contains_pattern(std::string_view needle) {
  std::string p = "%";
  for (char ch : needle) {
    if (ch == '%' || ch == '_' || ch == '\\') p.push_back('\\');
    p.push_back(ch);
  }
  p.push_back('%');
  return p;
}

// The least string above every string that starts with `prefix` (bytewise):
// the prefix with its last byte raised by one. UTF-8 never holds 0xff.
std::string prefix_end(std::string prefix) {
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

}  // namespace

// ---- Statement -------------------------------------------------------------

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  check(db, sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                               &stmt_, nullptr),
        "prepare");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)), stmt_(std::exchange(o.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(o.db_, nullptr);
    stmt_ = std::exchange(o.stmt_, nullptr);
  }
  return *this;
}

Statement& Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  return *this;
}

Statement& Statement::bind(int i, std::int64_t v) {
  check(db_, sqlite3_bind_int64(stmt_, i, v), "bind");
  return *this;
}

Statement& Statement::bind(int i, double v) {
  check(db_, sqlite3_bind_double(stmt_, i, v), "bind");
  return *this;
}

Statement& Statement::bind(int i, std::string_view v) {
  check(db_, sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC), "bind");
  return *this;
}

Statement& Statement::bind_blob(int i, std::string_view v) {
  check(db_, sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC), "bind");
  return *this;
}

Statement& Statement::bind_null(int i) {
  check(db_, sqlite3_bind_null(stmt_, i), "bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, std::string("step (") + sqlite3_sql(stmt_) + ")");
}

std::int64_t Statement::integer(int c) const { return sqlite3_column_int64(stmt_, c); }
double Statement::real(int c) const { return sqlite3_column_double(stmt_, c); }
bool Statement::is_null(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }

std::string Statement::text(int c) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c))) : std::string();
}

// ---- SqliteRegister ----------------------------------------------------------

struct SqliteRegister::Statements {
  Statement begin, commit;
  Statement insert_user, insert_customer, insert_contact, insert_link, insert_facility, insert_object;
  Statement insert_order, insert_line;
  Statement update_comments;
  Statement by_id, by_number;
  Statement prefix_count, prefix_rows;
  Statement name_count, name_rows;
  Statement contact_count, contact_rows;
  Statement email_count, email_rows;
  Statement everywhere_count, everywhere_rows;
  Statement technician_count, technician_rows;
  Statement agreement_count, agreement_rows;
  Statement customer_order_count, customer_order_rows, order_lines;
};

namespace {

// Pragmas of every connection. temp_store=MEMORY keeps ORDER BY's sorter in
// memory; foreign keys are enforced because kartotek checks every reference.
void configure(sqlite3* db) {
  check(db, sqlite3_exec(db, "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;", nullptr, nullptr, nullptr),
        "pragma");
}

// Connections are opened NOMUTEX (SQLite's multi-thread mode): each is used
// by one thread, as a host with a connection per thread would, and SQLite
// then takes no lock per call.
sqlite3* open_database(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw std::runtime_error("SQLite: cannot open " + path + ": " + msg);
  }
  return db;
}

void backup(sqlite3* from, sqlite3* to) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (!b) fail(to, "backup");
  int rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) fail(to, "backup step");
}

}  // namespace

SqliteRegister::SqliteRegister(sqlite3* db, const kartotek::TextRules& text) : db_(db), text_(&text) {}

SqliteRegister::~SqliteRegister() {
  st_.reset();
  dup_.reset();
  sqlite3_close(db_);
}

SqliteRegister::SqliteRegister(SqliteRegister&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)),
      text_(o.text_),
      st_(std::move(o.st_)),
      dup_(std::move(o.dup_)),
      next_customer_(o.next_customer_) {}

SqliteRegister& SqliteRegister::operator=(SqliteRegister&& o) noexcept {
  if (this != &o) {
    st_.reset();
    dup_.reset();
    sqlite3_close(db_);
    db_ = std::exchange(o.db_, nullptr);
    text_ = o.text_;
    st_ = std::move(o.st_);
    dup_ = std::move(o.dup_);
    next_customer_ = o.next_customer_;
  }
  return *this;
}

void SqliteRegister::execute(const char* sql) { check(db_, sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), sql); }

SqliteRegister SqliteRegister::in_memory(const kartotek::TextRules& text) {
  SqliteRegister r(open_database(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX), text);
  configure(r.db_);
  r.execute(kSchema);
  r.prepare();
  return r;
}

SqliteRegister SqliteRegister::on_disk(const std::string& path, const kartotek::TextRules& text) {
  SqliteRegister r(open_database(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX), text);
  configure(r.db_);
  // A host keeping a register of this size on disk gives SQLite a page cache
  // to match (the default is 2 MiB): 1 GiB.
  r.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-1048576;");
  r.execute(kSchema);
  r.prepare();
  return r;
}

SqliteRegister SqliteRegister::connect(const std::string& path, const kartotek::TextRules& text) {
  SqliteRegister r(open_database(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX), text);
  configure(r.db_);
  r.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-1048576;");
  sqlite3_busy_timeout(r.db_, 10000);
  r.prepare();
  Statement max(r.db_, "SELECT coalesce(max(id), 0) FROM customers");
  max.step();
  r.next_customer_ = max.integer(0) + 1;
  return r;
}

SqliteRegister SqliteRegister::load_into_memory(const std::string& path, const kartotek::TextRules& text) {
  sqlite3* file = open_database(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
  SqliteRegister r(open_database(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX), text);
  try {
    backup(file, r.db_);
  } catch (...) {
    sqlite3_close(file);
    throw;
  }
  sqlite3_close(file);
  configure(r.db_);
  r.prepare();
  Statement max(r.db_, "SELECT coalesce(max(id), 0) FROM customers");
  max.step();
  r.next_customer_ = max.integer(0) + 1;
  return r;
}

void SqliteRegister::save_to(const std::string& path) {
  sqlite3* file = open_database(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
  try {
    backup(db_, file);
  } catch (...) {
    sqlite3_close(file);
    throw;
  }
  sqlite3_close(file);
}

void SqliteRegister::prepare() {
  auto s = std::make_unique<Statements>();
  auto p = [&](const char* sql) { return Statement(db_, sql); };
  s->begin = p("BEGIN");
  s->commit = p("COMMIT");
  s->insert_user = p("INSERT INTO users(id, login, name, email, administrator, active) VALUES(?1, ?2, ?3, ?4, ?5, 1)");
  s->insert_customer = p(
      "INSERT INTO customers(id, number, name, name_fold, name_order, kind, organisation_number, care_of, "
      "street, postal_code, city, country, email, email_fold, phone, website, latitude, longitude, language, "
      "category, comments, active, technician, created_at, revision, avtalsniva, kund_sedan, antal_anstallda) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, "
      "1, ?22, ?23, 1, ?24, ?25, ?26)");
  s->insert_contact = p(
      "INSERT INTO contacts(id, first_name, last_name, title, email, phone, mobile, category, comments, active, "
      "created_at, revision, last_fold, full_fold, email_fold) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, 1, ?11, ?12, ?13)");
  s->insert_link = p(
      "INSERT INTO contact_links(customer, contact, role, send_service_protocol, send_work_orders) "
      "VALUES(?1, ?2, ?3, ?4, ?5)");
  s->insert_facility = p(
      "INSERT INTO facilities(id, customer, name, number, care_of, street, postal_code, city, country, comments, "
      "active, created_at, revision) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, 1)");
  s->insert_object = p(
      "INSERT INTO service_objects(id, facility, identifier, type, name, comments, active, created_at, revision) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, 1)");
  s->insert_order = p("INSERT INTO orders(" ORDER_COLUMNS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                      "?12, ?13, ?14, ?15, ?16, ?17, ?18)");
  s->insert_line = p(
      "INSERT INTO order_lines(order_id, line, article_number, description, quantity, unit, price, time_article, "
      "hours, date) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");

  s->update_comments =
      p("UPDATE customers SET comments = ?3, revision = revision + 1 WHERE id = ?1 AND revision = ?2");
  s->by_id = p("SELECT " CUSTOMER_COLUMNS " FROM customers WHERE id = ?1");
  s->by_number = p("SELECT " CUSTOMER_COLUMNS " FROM customers WHERE number = ?1");

  // Each search is a count and a first page, as Register::search_customers
  // answers (Page::total and Page::items), sorted by name with ties by id.
#define ORDERED " ORDER BY name_order, id LIMIT ?3"
  const char* prefix = " FROM customers WHERE name_fold >= ?1 AND name_fold < ?2";
  s->prefix_count = p((std::string("SELECT count(*)") + prefix).c_str());
  s->prefix_rows = p((std::string("SELECT " CUSTOMER_COLUMNS) + prefix + ORDERED).c_str());
#undef ORDERED
#define ORDERED " ORDER BY name_order, id LIMIT ?2"
  const char* linked_contacts =
      "id IN (SELECT l.customer FROM contacts k JOIN contact_links l ON l.contact = k.id WHERE ";
  const std::string name = " FROM customers WHERE name_fold LIKE ?1 ESCAPE '\\'";
  const std::string contact =
      std::string(" FROM customers WHERE ") + linked_contacts + "k.full_fold LIKE ?1 ESCAPE '\\')";
  const std::string email = std::string(" FROM customers WHERE email_fold LIKE ?1 ESCAPE '\\' OR ") +
                            linked_contacts + "k.email_fold LIKE ?1 ESCAPE '\\')";
  const std::string everywhere =
      std::string(" FROM customers WHERE name_fold LIKE ?1 ESCAPE '\\' OR email_fold LIKE ?1 ESCAPE '\\' OR ") +
      linked_contacts + "k.full_fold LIKE ?1 ESCAPE '\\' OR k.email_fold LIKE ?1 ESCAPE '\\')";
  s->name_count = p(("SELECT count(*)" + name).c_str());
  s->name_rows = p(("SELECT " CUSTOMER_COLUMNS + name + ORDERED).c_str());
  s->contact_count = p(("SELECT count(*)" + contact).c_str());
  s->contact_rows = p(("SELECT " CUSTOMER_COLUMNS + contact + ORDERED).c_str());
  s->email_count = p(("SELECT count(*)" + email).c_str());
  s->email_rows = p(("SELECT " CUSTOMER_COLUMNS + email + ORDERED).c_str());
  s->everywhere_count = p(("SELECT count(*)" + everywhere).c_str());
  s->everywhere_rows = p(("SELECT " CUSTOMER_COLUMNS + everywhere + ORDERED).c_str());
  s->technician_count = p("SELECT count(*) FROM customers WHERE technician = ?1");
  s->technician_rows = p("SELECT " CUSTOMER_COLUMNS " FROM customers WHERE technician = ?1" ORDERED);
  s->agreement_count = p("SELECT count(*) FROM customers WHERE avtalsniva = ?1");
  s->agreement_rows = p("SELECT " CUSTOMER_COLUMNS " FROM customers WHERE avtalsniva = ?1" ORDERED);
#undef ORDERED
  // A customer's orders as Register::search_orders sorts them by planned
  // date, newest first: open before closed, undated last (SQLite puts NULL
  // last when descending), ties by id — the order of orders_by_customer.
  s->customer_order_count = p("SELECT count(*) FROM orders WHERE customer = ?1");
  s->customer_order_rows = p("SELECT " ORDER_COLUMNS " FROM orders WHERE customer = ?1 "
                             "ORDER BY closed, planned DESC, id LIMIT ?2 OFFSET ?3");
  s->order_lines = p(
      "SELECT line, article_number, description, quantity, unit, price, time_article, hours, date "
      "FROM order_lines WHERE order_id = ?1 ORDER BY line");
  st_ = std::move(s);
}

void SqliteRegister::insert_customer_row(const Customer& c, std::int64_t id, const std::string& number,
                                         std::int64_t technician, std::int64_t created_at) {
  const std::string name_fold = text_->fold(c.name);
  const std::string name_order = text_->sort_key(c.name);
  const std::string email_fold = text_->fold(c.email);
  auto& s = st_->insert_customer.reset();
  s.bind(1, id).bind(2, number).bind(3, c.name).bind(4, name_fold).bind_blob(5, name_order);
  s.bind(6, static_cast<std::int64_t>(c.kind)).bind(7, c.organisation_number);
  const auto& a = c.invoice_address;
  s.bind(8, a.care_of).bind(9, a.street).bind(10, a.postal_code).bind(11, a.city).bind(12, a.country);
  s.bind(13, c.email).bind(14, email_fold).bind(15, c.phone).bind(16, c.website);
  if (c.position) s.bind(17, c.position->latitude).bind(18, c.position->longitude);
  s.bind(19, c.language).bind(20, c.category).bind(21, c.comments);
  if (technician) s.bind(22, technician);
  s.bind(23, created_at);
  if (const auto* v = c.custom.find(kAgreementField)) s.bind(24, v->as<std::string>());
  if (const auto* v = c.custom.find(kCustomerSinceField)) s.bind(25, v->as<std::string>());
  if (const auto* v = c.custom.find(kEmployeesField)) s.bind(26, v->as<std::int64_t>());
  s.step();
}

void SqliteRegister::bulk_load(const DataSet& data) {
  const std::int64_t now = now_micros();
  auto& s = *st_;
  s.begin.reset().step();
  {
    auto& u = s.insert_user;
    u.reset().bind(1, std::int64_t{1}).bind(2, std::string_view("admin")).bind(3, std::string_view("Administratör"));
    u.bind(4, std::string_view("")).bind(5, std::int64_t{1}).step();
    for (std::size_t t = 0; t < data.technicians.size(); ++t) {
      const auto& tech = data.technicians[t];
      u.reset().bind(1, static_cast<std::int64_t>(t + 2)).bind(2, tech.login).bind(3, tech.name);
      u.bind(4, tech.email).bind(5, std::int64_t{0}).step();
    }
  }
  for (std::size_t i = 0; i < data.customers.size(); ++i) {
    std::uint32_t t = data.technician_of[i];
    insert_customer_row(data.customers[i], static_cast<std::int64_t>(i + 1), customer_number(i),
                        t ? static_cast<std::int64_t>(t + 1) : 0, now);
  }
  next_customer_ = static_cast<std::int64_t>(data.customers.size()) + 1;
  for (std::size_t i = 0; i < data.contacts.size(); ++i) {
    const auto& c = data.contacts[i];
    const std::string last_fold = text_->fold(c.last_name);
    const std::string full_fold = text_->fold(c.first_name + " " + c.last_name);
    const std::string email_fold = text_->fold(c.email);
    auto& st = s.insert_contact.reset();
    st.bind(1, static_cast<std::int64_t>(i + 1)).bind(2, c.first_name).bind(3, c.last_name).bind(4, c.title);
    st.bind(5, c.email).bind(6, c.phone).bind(7, c.mobile).bind(8, c.category).bind(9, c.comments);
    st.bind(10, now).bind(11, last_fold).bind(12, full_fold).bind(13, email_fold).step();
  }
  for (const auto& l : data.links) {
    auto& st = s.insert_link.reset();
    st.bind(1, static_cast<std::int64_t>(l.customer + 1)).bind(2, static_cast<std::int64_t>(l.contact + 1));
    st.bind(3, l.role).bind(4, std::int64_t{l.send_service_protocol}).bind(5, std::int64_t{l.send_work_orders});
    st.step();
  }
  for (std::size_t i = 0; i < data.facilities.size(); ++i) {
    const auto& f = data.facilities[i];
    auto& st = s.insert_facility.reset();
    st.bind(1, static_cast<std::int64_t>(i + 1)).bind(2, static_cast<std::int64_t>(f.customer.value));
    st.bind(3, f.name).bind(4, f.number).bind(5, f.address.care_of).bind(6, f.address.street);
    st.bind(7, f.address.postal_code).bind(8, f.address.city).bind(9, f.address.country).bind(10, f.comments);
    st.bind(11, now).step();
  }
  for (std::size_t i = 0; i < data.service_objects.size(); ++i) {
    const auto& o = data.service_objects[i];
    auto& st = s.insert_object.reset();
    st.bind(1, static_cast<std::int64_t>(i + 1)).bind(2, static_cast<std::int64_t>(o.facility.value));
    st.bind(3, o.identifier).bind(4, o.type).bind(5, o.name).bind(6, o.comments).bind(7, now).step();
  }
  // Each kind numbers its own orders, as the register does; a closed order
  // was changed once more (CloseOrder) there, hence its revision.
  std::array<std::int64_t, kartotek::kOrderKinds> numbers{};
  for (std::size_t i = 0; i < data.orders.size(); ++i) {
    const Order& o = data.orders[i];
    const auto id = static_cast<std::int64_t>(i + 1);
    auto& st = s.insert_order.reset();
    st.bind(1, id).bind(2, static_cast<std::int64_t>(o.kind)).bind(3, ++numbers[static_cast<std::size_t>(o.kind)]);
    st.bind(4, static_cast<std::int64_t>(o.customer.value));
    if (o.facility) st.bind(5, static_cast<std::int64_t>(o.facility->value));
    if (o.service_object) st.bind(6, static_cast<std::int64_t>(o.service_object->value));
    if (o.contact) st.bind(7, static_cast<std::int64_t>(o.contact->value));
    st.bind(8, o.subject).bind(9, o.description).bind(10, o.status);
    if (o.planned) st.bind(11, micros(*o.planned));
    if (!o.assigned.empty()) st.bind(12, static_cast<std::int64_t>(o.assigned.front().value));
    st.bind(13, o.customer_order_number).bind(14, std::int64_t{o.closed});
    if (o.closed) st.bind(15, now);
    st.bind(16, std::int64_t{1}).bind(17, now).bind(18, std::int64_t{o.closed ? 2 : 1}).step();
    for (std::size_t l = 0; l < o.lines.size(); ++l) {
      const auto& line = o.lines[l];
      auto& sl = s.insert_line.reset();
      sl.bind(1, id).bind(2, static_cast<std::int64_t>(l + 1)).bind(3, line.article_number);
      sl.bind(4, line.description).bind(5, line.quantity).bind(6, line.unit).bind(7, line.price);
      sl.bind(8, std::int64_t{line.time_article}).bind(9, line.hours);
      // A time line saved with hours is dated at once (docs/orders.md).
      if (line.time_article && line.hours != 0) sl.bind(10, now);
      sl.step();
    }
  }
  s.commit.reset().step();
  execute("ANALYZE");
}

namespace {

// The columns of the customer file a host reads, by their Swedish headers;
// "Typ" (the kind) is read apart.
struct CsvColumn {
  std::string_view header;
  std::string& (*field)(Customer&);
};

const CsvColumn kCsvColumns[] = {
    {"Kundnummer", [](Customer& c) -> std::string& { return c.number; }},
    {"Namn", [](Customer& c) -> std::string& { return c.name; }},
    {"Organisationsnummer", [](Customer& c) -> std::string& { return c.organisation_number; }},
    {"c/o", [](Customer& c) -> std::string& { return c.invoice_address.care_of; }},
    {"Adress", [](Customer& c) -> std::string& { return c.invoice_address.street; }},
    {"Postnummer", [](Customer& c) -> std::string& { return c.invoice_address.postal_code; }},
    {"Ort", [](Customer& c) -> std::string& { return c.invoice_address.city; }},
    {"Land", [](Customer& c) -> std::string& { return c.invoice_address.country; }},
    {"E-post", [](Customer& c) -> std::string& { return c.email; }},
    {"Telefon", [](Customer& c) -> std::string& { return c.phone; }},
    {"Webbplats", [](Customer& c) -> std::string& { return c.website; }},
    {"Språk", [](Customer& c) -> std::string& { return c.language; }},
    {"Kategori", [](Customer& c) -> std::string& { return c.category; }},
    {"Kommentar", [](Customer& c) -> std::string& { return c.comments; }},
};
constexpr int kUnread = -1, kKind = -2;

bool same_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// CsvCustomers: what libcsv's callbacks work on. They run inside C code and
// must not throw: a failure is kept and rethrown once csv_parse returns.
struct CsvCustomers {
  std::function<void(const Customer&)> insert;
  std::vector<int> target;  // per field of a record: a kCsvColumns index, kKind or kUnread
  bool header = true;
  std::size_t field = 0;    // of the current record
  std::size_t records = 0;  // ended so far, the header included
  Customer customer;
  std::string kind;
  std::exception_ptr failure;

  std::string where() const { return "CSV import, record " + std::to_string(records + 1) + ": "; }

  void on_field(std::string_view text) {
    text = kartotek::trim(text);
    if (header) {
      int t = kUnread;
      if (same_ascii_case(text, "Typ")) t = kKind;
      for (std::size_t c = 0; c < std::size(kCsvColumns); ++c)
        if (same_ascii_case(text, kCsvColumns[c].header)) t = static_cast<int>(c);
      if (t != kUnread && std::find(target.begin(), target.end(), t) != target.end())
        throw std::runtime_error(where() + "the header '" + std::string(text) + "' is there twice");
      target.push_back(t);
    } else if (field < target.size()) {
      if (int t = target[field]; t >= 0)
        kCsvColumns[t].field(customer).assign(text);
      else if (t == kKind)
        kind.assign(text);
    } else if (!text.empty()) {
      throw std::runtime_error(where() + "more fields than the header has");
    }
    ++field;
  }

  void on_record_end() {
    if (header) {
      auto has = [&](int t) { return std::find(target.begin(), target.end(), t) != target.end(); };
      if (!has(0) || !has(1)) throw std::runtime_error(where() + "the header needs Kundnummer and Namn");
      header = false;
    } else {
      if (customer.name.empty()) throw std::runtime_error(where() + "the name is empty");
      if (kind.empty() || same_ascii_case(kind, "Företag"))
        customer.kind = kartotek::CustomerKind::company;
      else if (same_ascii_case(kind, "Privat"))
        customer.kind = kartotek::CustomerKind::private_person;
      else
        throw std::runtime_error(where() + "'" + kind + "' is neither Företag nor Privat");
      insert(customer);
      // Cleared, not replaced: the next row reuses the strings' buffers.
      for (int t : target)
        if (t >= 0) kCsvColumns[t].field(customer).clear();
      kind.clear();
    }
    ++records;
    field = 0;
  }
};

extern "C" void csv_customer_field(void* data, std::size_t length, void* reader) {
  auto& r = *static_cast<CsvCustomers*>(reader);
  if (r.failure) return;
  try {
    r.on_field(std::string_view(static_cast<const char*>(data), data ? length : 0));
  } catch (...) {
    r.failure = std::current_exception();
  }
}

extern "C" void csv_customer_end(int, void* reader) {
  auto& r = *static_cast<CsvCustomers*>(reader);
  if (r.failure) return;
  try {
    r.on_record_end();
  } catch (...) {
    r.failure = std::current_exception();
  }
}

// Spaces around unquoted fields are data (the cells are trimmed afterwards).
extern "C" int csv_no_space(unsigned char) { return 0; }

}  // namespace

std::size_t SqliteRegister::import_customers_csv(std::string_view bytes) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (bytes.substr(0, kBom.size()) == kBom) bytes.remove_prefix(kBom.size());
  if (!kartotek::is_valid_utf8(bytes)) throw std::runtime_error("CSV import: the file is not UTF-8");

  const std::int64_t now = now_micros();
  const std::int64_t first = next_customer_;
  std::int64_t id = first;
  CsvCustomers reader;
  reader.insert = [&](const Customer& c) {
    insert_customer_row(c, id, c.number, 0, now);
    ++id;
  };
  csv_parser parser;
  // Strict: a quote inside an unquoted field, or a quoted field never closed,
  // is an error.
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) throw std::bad_alloc();
  csv_set_delim(&parser, ';');
  csv_set_space_func(&parser, csv_no_space);
  auto& s = *st_;
  s.begin.reset().step();
  try {
    const std::size_t done = csv_parse(&parser, bytes.data(), bytes.size(), csv_customer_field, csv_customer_end,
                                       &reader);
    if (reader.failure) std::rethrow_exception(reader.failure);
    if (done != bytes.size()) throw std::runtime_error(std::string("CSV import: ") + csv_strerror(csv_error(&parser)));
    if (csv_fini(&parser, csv_customer_field, csv_customer_end, &reader) != 0)
      throw std::runtime_error("CSV import: a quoted field is never closed");
    if (reader.failure) std::rethrow_exception(reader.failure);
    if (reader.header) throw std::runtime_error("CSV import: the file has no header");
    s.commit.reset().step();
  } catch (...) {
    csv_free(&parser);
    s.insert_customer.reset();
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  csv_free(&parser);
  next_customer_ = id;
  execute("ANALYZE");
  return static_cast<std::size_t>(id - first);
}

CustomerId SqliteRegister::insert_customer(const Customer& customer) {
  const std::int64_t id = next_customer_;
  insert_customer_row(customer, id, customer_number(static_cast<std::size_t>(id - 1)), 0, now_micros());
  ++next_customer_;
  return CustomerId{static_cast<std::uint64_t>(id)};
}

bool SqliteRegister::update_comments(CustomerId id, std::uint64_t revision, std::string_view comments) {
  auto& s = st_->update_comments.reset()
                .bind(1, static_cast<std::int64_t>(id.value))
                .bind(2, static_cast<std::int64_t>(revision))
                .bind(3, comments);
  s.step();
  s.reset();
  return sqlite3_changes(db_) == 1;
}

std::optional<Customer> SqliteRegister::find_customer(CustomerId id) {
  auto& s = st_->by_id.reset().bind(1, static_cast<std::int64_t>(id.value));
  std::optional<Customer> c;
  if (s.step()) c = read_customer(s);
  s.reset();  // ends the statement's read transaction
  return c;
}

std::optional<Customer> SqliteRegister::find_customer_by_number(std::string_view number) {
  auto& s = st_->by_number.reset().bind(1, kartotek::trim(number));
  std::optional<Customer> c;
  if (s.step()) c = read_customer(s);
  s.reset();
  return c;
}

Page<Customer> SqliteRegister::page(Statement& count, Statement& rows) {
  Page<Customer> out;
  if (count.step()) out.total = static_cast<std::size_t>(count.integer(0));
  while (rows.step()) out.items.push_back(read_customer(rows));
  count.reset();
  rows.reset();
  return out;
}

Page<Customer> SqliteRegister::search_customers(const CustomerQuery& q) {
  auto& s = *st_;
  const auto limit = static_cast<std::int64_t>(q.limit);
  if (q.text.empty()) {
    if (q.technician) {
      auto tech = static_cast<std::int64_t>(q.technician->value);
      s.technician_count.reset().bind(1, tech);
      s.technician_rows.reset().bind(1, tech).bind(2, limit);
      return page(s.technician_count, s.technician_rows);
    }
    const bool agreement = q.custom.size() == 1 && q.custom[0].key == kAgreementField &&
                           q.custom[0].match == kartotek::CustomMatch::equals;
    if (!agreement)
      throw std::logic_error("SqliteRegister: a query needs text, a technician or an agreement level");
    const std::string& level = q.custom[0].value.as<std::string>();
    s.agreement_count.reset().bind(1, level);
    s.agreement_rows.reset().bind(1, level).bind(2, limit);
    return page(s.agreement_count, s.agreement_rows);
  }
  const std::string needle = text_->fold(kartotek::trim(q.text));
  if (needle.empty()) throw std::logic_error("SqliteRegister: blank search text");
  if (q.match == kartotek::TextMatch::prefix) {
    if (q.search_in != kartotek::search_name)
      throw std::logic_error("SqliteRegister: prefix search is on names only");
    const std::string end = prefix_end(needle);
    s.prefix_count.reset().bind(1, needle).bind(2, end);
    s.prefix_rows.reset().bind(1, needle).bind(2, end).bind(3, limit);
    return page(s.prefix_count, s.prefix_rows);
  }
  const std::string pattern = contains_pattern(needle);
  auto substring = [&](Statement& count, Statement& rows) {
    count.reset().bind(1, pattern);
    rows.reset().bind(1, pattern).bind(2, limit);
    return page(count, rows);
  };
  switch (q.search_in) {
    case kartotek::search_name: return substring(s.name_count, s.name_rows);
    case kartotek::search_contact_name: return substring(s.contact_count, s.contact_rows);
    case kartotek::search_email: return substring(s.email_count, s.email_rows);
    case kartotek::search_everywhere: return substring(s.everywhere_count, s.everywhere_rows);
    default: throw std::logic_error("SqliteRegister: unsupported search_in");
  }
}

Page<Order> SqliteRegister::search_orders(const OrderQuery& q) {
  if (!q.customer || q.sort != kartotek::OrderColumn::planned || !q.descending)
    throw std::logic_error("SqliteRegister: an order list is a customer's, by planned date, newest first");
  auto& s = *st_;
  const auto customer = static_cast<std::int64_t>(q.customer->value);
  Page<Order> out;
  auto& count = s.customer_order_count.reset().bind(1, customer);
  if (count.step()) out.total = static_cast<std::size_t>(count.integer(0));
  count.reset();
  auto& rows = s.customer_order_rows.reset().bind(1, customer);
  rows.bind(2, static_cast<std::int64_t>(q.limit)).bind(3, static_cast<std::int64_t>(q.offset));
  while (rows.step()) out.items.push_back(read_order(rows));
  rows.reset();
  for (Order& o : out.items) {
    auto& lines = s.order_lines.reset().bind(1, static_cast<std::int64_t>(o.id.value));
    while (lines.step()) o.lines.push_back(read_line(lines));
    lines.reset();
    o.last_item = static_cast<std::uint32_t>(o.lines.size());
  }
  return out;
}

// ---- duplicates --------------------------------------------------------------

namespace {

// Kinds of exact match key, and their weights (docs/duplicates.md).
enum KeyKind : std::int64_t { organisation_key = 0, email_key = 1, phone_key = 2 };

constexpr const char* kDuplicateSchema = R"sql(
CREATE TABLE customer_keys(
  kind INTEGER NOT NULL,
  key TEXT NOT NULL,
  record INTEGER NOT NULL REFERENCES customers(id),
  PRIMARY KEY(kind, key, record)) WITHOUT ROWID;
CREATE TABLE contact_keys(
  kind INTEGER NOT NULL,
  key TEXT NOT NULL,
  record INTEGER NOT NULL REFERENCES contacts(id),
  PRIMARY KEY(kind, key, record)) WITHOUT ROWID;
)sql";

std::string key_digits(std::string_view s) {
  std::string out;
  for (char ch : s)
    if (ch >= '0' && ch <= '9') out.push_back(ch);
  return out;
}

std::string organisation_key_of(std::string_view number) {
  std::string d = key_digits(number);
  return d.size() >= 6 ? d : std::string();
}

std::string email_key_of(std::string_view email) {
  email = kartotek::trim(email);
  return email.find('@') == std::string_view::npos ? std::string() : kartotek::case_fold(email);
}

std::string phone_key_of(std::string_view phone) {
  std::string d = key_digits(phone);
  if (d.size() < 7) return {};
  return d.size() > 8 ? d.substr(d.size() - 8) : d;
}

// Pairs of records of `table` sharing a key of a group of 2 to 1000, each
// kind of key counted once per pair, scored by ?2 (organisation number), ?3
// (e-mail) and ?4 (phone), those scoring ?1 or more.
std::string pairs_sql(const char* table) {
  std::string t = table;
  return "WITH shared(kind, key) AS (SELECT kind, key FROM " + t +
         " GROUP BY kind, key HAVING count(*) BETWEEN 2 AND 1000), "
         "matched(first, second, kind) AS (SELECT DISTINCT a.record, b.record, s.kind FROM shared s "
         "JOIN " + t + " a ON a.kind = s.kind AND a.key = s.key "
         "JOIN " + t + " b ON b.kind = s.kind AND b.key = s.key AND b.record > a.record) "
         "SELECT first, second, sum(CASE kind WHEN 0 THEN ?2 WHEN 1 THEN ?3 ELSE ?4 END) AS score "
         "FROM matched GROUP BY first, second HAVING score >= ?1 ORDER BY score DESC, first, second";
}

}  // namespace

struct SqliteRegister::DuplicateStatements {
  Statement customer_pairs, contact_pairs;
  Statement by_key, by_name_prefix;
};

void SqliteRegister::add_duplicate_keys() {
  execute(kDuplicateSchema);
  Statement insert_customer(db_, "INSERT OR IGNORE INTO customer_keys(kind, key, record) VALUES(?1, ?2, ?3)");
  Statement insert_contact(db_, "INSERT OR IGNORE INTO contact_keys(kind, key, record) VALUES(?1, ?2, ?3)");
  auto add = [](Statement& insert, KeyKind kind, const std::string& key, std::int64_t record) {
    if (!key.empty()) insert.reset().bind(1, std::int64_t{kind}).bind(2, key).bind(3, record).step();
  };
  st_->begin.reset().step();
  {
    Statement rows(db_, "SELECT id, organisation_number, email, phone FROM customers");
    while (rows.step()) {
      const std::int64_t id = rows.integer(0);
      add(insert_customer, organisation_key, organisation_key_of(rows.text(1)), id);
      add(insert_customer, email_key, email_key_of(rows.text(2)), id);
      add(insert_customer, phone_key, phone_key_of(rows.text(3)), id);
    }
  }
  {
    Statement rows(db_, "SELECT id, email, phone, mobile FROM contacts");
    while (rows.step()) {
      const std::int64_t id = rows.integer(0);
      add(insert_contact, email_key, email_key_of(rows.text(1)), id);
      add(insert_contact, phone_key, phone_key_of(rows.text(2)), id);
      add(insert_contact, phone_key, phone_key_of(rows.text(3)), id);
    }
  }
  st_->commit.reset().step();
  execute("ANALYZE");
  auto d = std::make_unique<DuplicateStatements>();
  d->customer_pairs = Statement(db_, pairs_sql("customer_keys"));
  d->contact_pairs = Statement(db_, pairs_sql("contact_keys"));
  d->by_key = Statement(db_, "SELECT record FROM customer_keys WHERE kind = ?1 AND key = ?2");
  d->by_name_prefix =
      Statement(db_, "SELECT id FROM customers WHERE name_fold >= ?1 AND name_fold < ?2 ORDER BY name_fold LIMIT 50");
  dup_ = std::move(d);
}

std::vector<kartotek::DuplicatePair> SqliteRegister::exact_key_pairs(kartotek::RecordKind kind, int min_score) {
  if (!dup_) throw std::logic_error("SqliteRegister: add_duplicate_keys first");
  const bool customers = kind == kartotek::RecordKind::customer;
  Statement& s = customers ? dup_->customer_pairs : dup_->contact_pairs;
  s.reset().bind(1, std::int64_t{min_score});
  s.bind(2, std::int64_t{customers ? 50 : 0}).bind(3, std::int64_t{customers ? 35 : 50});
  s.bind(4, std::int64_t{customers ? 25 : 30});
  std::vector<kartotek::DuplicatePair> out;
  while (s.step())
    out.push_back({kind, static_cast<std::uint64_t>(s.integer(0)), static_cast<std::uint64_t>(s.integer(1)),
                   static_cast<int>(std::min<std::int64_t>(s.integer(2), 100)), {}});
  s.reset();
  return out;
}

std::vector<std::uint64_t> SqliteRegister::similar_customers(const Customer& candidate) {
  if (!dup_) throw std::logic_error("SqliteRegister: add_duplicate_keys first");
  std::vector<std::uint64_t> ids;
  auto collect = [&](Statement& s) {
    while (s.step()) ids.push_back(static_cast<std::uint64_t>(s.integer(0)));
    s.reset();
  };
  const std::pair<KeyKind, std::string> keys[] = {{organisation_key, organisation_key_of(candidate.organisation_number)},
                                                  {email_key, email_key_of(candidate.email)},
                                                  {phone_key, phone_key_of(candidate.phone)}};
  for (const auto& [kind, key] : keys) {
    if (key.empty()) continue;
    dup_->by_key.reset().bind(1, std::int64_t{kind}).bind(2, key);
    collect(dup_->by_key);
  }
  const std::string folded = text_->fold(kartotek::trim(candidate.name));
  const std::string first_word = folded.substr(0, folded.find(' '));
  if (!first_word.empty()) {
    const std::string end = prefix_end(first_word);
    dup_->by_name_prefix.reset().bind(1, first_word).bind(2, end);
    collect(dup_->by_name_prefix);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

SqliteRegister::Counts SqliteRegister::counts() {
  auto one = [&](const char* sql) {
    Statement s(db_, sql);
    s.step();
    return s.integer(0);
  };
  return {one("SELECT count(*) FROM customers"), one("SELECT count(*) FROM contacts"),
          one("SELECT count(*) FROM contact_links"), one("SELECT count(*) FROM facilities"),
          one("SELECT count(*) FROM service_objects"), one("SELECT count(*) FROM orders")};
}

const char* sqlite_version() { return sqlite3_libversion(); }

}  // namespace bench
