// benchmarks/sqlite_register.hpp: the same register kept in SQLite, as a host
// application would keep it if it embedded SQLite instead of kartotek.
//
// Schema and indexes mirror kartotek's stores (benchmarks/README.md):
// customers(number UNIQUE COLLATE NOCASE, name_fold, (name_order, id),
// (technician, name_order, id), (avtalsniva, name_order, id): the custom
// fields are columns), contacts(last_fold), contact_links (customer,
// contact) and (contact, customer), facilities(customer),
// service_objects(facility), orders((kind, number) UNIQUE, (customer,
// closed, planned DESC, id)), order_lines(order, line), users(login). Folded match keys and collation
// keys are computed with the same kartotek::TextRules the register uses, on
// the way in, as a host would. Every statement is prepared once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "data_set.hpp"
#include "kartotek/duplicates.hpp"
#include "kartotek/query.hpp"
#include "kartotek/text.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace bench {

// Statement: a prepared statement, reset before each use.
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Resets and clears bindings; returns *this for chained binds.
  Statement& reset();
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  // Text and blobs are bound without copying: they must live until the
  // statement is stepped to its end or reset.
  Statement& bind(int index, std::string_view text);
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind_null(int index);
  // True while a row is available.
  bool step();
  std::int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// SqliteRegister: one connection and its prepared statements. Not thread safe.
class SqliteRegister {
 public:
  // An empty register in ":memory:".
  static SqliteRegister in_memory(const kartotek::TextRules& text);
  // An empty register in file `path` (which must not exist): journal_mode=WAL,
  // synchronous=FULL — each committed transaction is on stable storage.
  static SqliteRegister on_disk(const std::string& path, const kartotek::TextRules& text);
  // The register saved in `path`, copied whole into ":memory:" (backup API).
  static SqliteRegister load_into_memory(const std::string& path, const kartotek::TextRules& text);
  // connect: another connection to the register on_disk made in `path`, as
  // each thread of a host has its own: the same pragmas as on_disk (its
  // synchronous=FULL can be changed with execute), waiting up to 10 s for a
  // lock rather than failing at once.
  static SqliteRegister connect(const std::string& path, const kartotek::TextRules& text);

  ~SqliteRegister();
  SqliteRegister(SqliteRegister&&) noexcept;
  SqliteRegister& operator=(SqliteRegister&&) noexcept;

  // bulk_load: every record of `data` (the customers with their custom
  // values, the orders with their lines) in one transaction, then ANALYZE so
  // that the query planner knows the indexes' selectivity.
  void bulk_load(const DataSet& data);

  // import_customers_csv: the customers of a CSV file, as a host importing a
  // spreadsheet would: a UTF-8 byte order mark skipped and the rest checked
  // to be UTF-8, the records parsed by libcsv (`;` between fields, RFC 4180
  // quoting), the header row mapped to columns by the Swedish names of
  // excel_customers_csv (ignoring ASCII case; other headers unread), each
  // cell trimmed, each row needing a name and inserted with its number and
  // keys as bulk_load inserts customers, all in one transaction; then
  // ANALYZE. All or nothing: a bad row or file throws and nothing is kept.
  // Returns the number of customers inserted.
  std::size_t import_customers_csv(std::string_view bytes);

  // insert_customer: one customer in its own transaction (autocommit), with
  // the next number; returns its id.
  kartotek::CustomerId insert_customer(const kartotek::Customer& customer);
  // update_comments: the customer's comments replaced and its revision
  // raised, in its own transaction (autocommit), if it still has `revision`
  // (kartotek refuses a stale update too); false when it has not. Only the
  // changed columns are written, as a careful host would.
  bool update_comments(kartotek::CustomerId id, std::uint64_t revision, std::string_view comments);

  std::optional<kartotek::Customer> find_customer(kartotek::CustomerId id);
  // By number, ignoring ASCII case (COLLATE NOCASE) after trimming.
  std::optional<kartotek::Customer> find_customer_by_number(std::string_view number);
  // The same answer as Register::search_customers for a query with text, one
  // of the search_in flags, sorted by name, first page; or with no text and
  // a technician, or one custom filter: avtalsniva equals a level.
  kartotek::Page<kartotek::Customer> search_customers(const kartotek::CustomerQuery& query);
  // The same answer as Register::search_orders for a customer's orders
  // sorted by planned date, newest first (sort planned, descending), with
  // no other filter: the count and the page's orders with their lines.
  kartotek::Page<kartotek::Order> search_orders(const kartotek::OrderQuery& query);

  // save_to: a copy of the whole database in file `path` (backup API).
  void save_to(const std::string& path);

  // ---- duplicates (the duplicates workload) ----
  // add_duplicate_keys: the exact match keys a host would keep to find
  // duplicates with SQL, computed on the way in by the rules of
  // docs/duplicates.md for the records loaded so far: organisation number
  // (its digits, when at least 6), e-mail (trimmed, case-folded) and phone
  // (the last 8 digits of a number with at least 7; a contact's phone and
  // mobile), in the tables customer_keys and contact_keys keyed by (kind,
  // key, record); then ANALYZE. Records inserted later get no keys.
  void add_duplicate_keys();
  // exact_key_pairs: the pairs of customers (or contacts) that share such a
  // key, scored with the weights kartotek gives those keys (customers:
  // organisation number 50, e-mail 35, phone 25; contacts: e-mail 50, phone
  // 30), those scoring at least `min_score`, best first, then by ids;
  // `reasons` stay empty. A key shared by more than 1000 records is skipped,
  // as kartotek skips it. Names are not compared: SQL has no typo distance.
  std::vector<kartotek::DuplicatePair> exact_key_pairs(kartotek::RecordKind kind, int min_score);
  // similar_customers: the ids, ascending, of the customers that share an
  // exact key with `candidate`, and of the first 50 in name_fold order whose
  // folded name starts with the first word of the candidate's.
  std::vector<std::uint64_t> similar_customers(const kartotek::Customer& candidate);

  struct Counts {
    std::int64_t customers = 0, contacts = 0, links = 0, facilities = 0, service_objects = 0, orders = 0;
  };
  Counts counts();

  // Runs a statement that returns no rows (PRAGMA, DDL).
  void execute(const char* sql);

 private:
  struct Statements;
  struct DuplicateStatements;
  SqliteRegister(sqlite3* db, const kartotek::TextRules& text);
  void prepare();
  void insert_customer_row(const kartotek::Customer& c, std::int64_t id, const std::string& number,
                           std::int64_t technician, std::int64_t created_at);
  kartotek::Page<kartotek::Customer> page(Statement& count, Statement& rows);

  sqlite3* db_ = nullptr;
  const kartotek::TextRules* text_ = nullptr;
  std::unique_ptr<Statements> st_;
  std::unique_ptr<DuplicateStatements> dup_;  // once add_duplicate_keys has run
  std::int64_t next_customer_ = 1;
};

// Version of the linked SQLite library.
const char* sqlite_version();

}  // namespace bench
