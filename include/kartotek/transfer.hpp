// kartotek/transfer.hpp: CSV import of customers, contacts and facilities,
// and export of lists (docs/import-export.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kartotek/describe.hpp"
#include "kartotek/ids.hpp"

namespace kartotek {

// ListKind: a list that can be exported; the first three can be imported.
enum class ListKind : std::uint8_t { customers, contacts, facilities, orders };

template <> struct EnumNames<ListKind> {
  static constexpr std::array<std::pair<ListKind, std::string_view>, 4> names{{
      {ListKind::customers, "customers"}, {ListKind::contacts, "contacts"},
      {ListKind::facilities, "facilities"}, {ListKind::orders, "orders"}}};
};

// ColumnInfo: a column of a list's import and export. `name` is what export
// writes as the header and what a mapping names; `headers` are the other
// headers an import recognises for it (Swedish, Danish, Norwegian, English).
// Headers match ignoring case, spaces, dots, hyphens and underscores.
struct ColumnInfo {
  std::string name;
  std::vector<std::string> headers;
  bool importable = true;   // false: export only (id, created_at …)
  bool exported = true;     // in the default export columns
  std::string description;

  friend bool operator==(const ColumnInfo&, const ColumnInfo&) = default;
};

template <> struct Describe<ColumnInfo> {
  static constexpr auto fields = std::make_tuple(
      field("name", &ColumnInfo::name), field("headers", &ColumnInfo::headers),
      field("importable", &ColumnInfo::importable), field("exported", &ColumnInfo::exported),
      field("description", &ColumnInfo::description));
};

// ColumnMapping: a header of the file and the column it is read as; an empty
// column means the header is not read.
struct ColumnMapping {
  std::string header;
  std::string column;

  friend bool operator==(const ColumnMapping&, const ColumnMapping&) = default;
};

template <> struct Describe<ColumnMapping> {
  static constexpr auto fields =
      std::make_tuple(field("header", &ColumnMapping::header), field("column", &ColumnMapping::column));
};

// TransferProgress: how far an import or export has come. `phase` is
// "reading" (done and total in bytes of the file), "rows" (rows of the file
// checked or applied) or "records" (records written by an export).
struct TransferProgress {
  std::string phase;
  std::size_t done = 0;
  std::size_t total = 0;
};

// ProgressCallback: called now and then, and once at the end of each phase;
// returning false cancels the work. It runs on the calling thread while the
// register is locked, so it must not use the same register (a call from it
// throws Conflict instead of waiting forever).
using ProgressCallback = std::function<bool(const TransferProgress&)>;

// ImportOptions: what to import and how.
//
// - `dry_run`: check every row and report; nothing is applied.
// - Apply is all or nothing: one bad row and nothing is imported. With
//   `skip_bad_rows`, the good rows are imported and the bad ones reported.
// - `upsert` (customers: by customer number; facilities: by the customer and
//   the facility number): a row whose record exists updates the columns the
//   file has and keeps the rest; otherwise every row creates a record, and a
//   customer number already in the register is a bad row.
// - `mapping`: headers of the file and the columns they are read as (an
//   empty column: not read). Headers not named here are recognised by name.
// - `delimiter`: 0 detects it (`,` `;` or tab).
struct ImportOptions {
  ListKind kind = ListKind::customers;
  bool dry_run = false;
  bool skip_bad_rows = false;
  bool upsert = false;
  std::vector<ColumnMapping> mapping;
  char delimiter = 0;
  ProgressCallback progress;
};

// ImportProblem: why one row (counted as a spreadsheet counts them: the
// header is row 1) cannot be imported; `column` is the file's header (empty
// when the row as a whole is at fault), `value` the cell's text.
struct ImportProblem {
  std::size_t row = 0;
  std::string column;
  std::string value;
  std::string reason;

  friend bool operator==(const ImportProblem&, const ImportProblem&) = default;
};

template <> struct Describe<ImportProblem> {
  static constexpr auto fields =
      std::make_tuple(field("row", &ImportProblem::row), field("column", &ImportProblem::column),
                      field("value", &ImportProblem::value), field("reason", &ImportProblem::reason));
};

// ImportReport: what an import found and did. `rows` counts the data rows
// (not the header); `created` and `updated` the records imported (or, in a
// dry run, that would be); `skipped` the bad rows left out. `applied` is
// true when the register changed; then `change` is the import's change
// number in history.
struct ImportReport {
  ListKind kind = ListKind::customers;
  std::string encoding;
  std::string delimiter;
  std::vector<ColumnMapping> columns;  // every header of the file, in order
  std::size_t rows = 0;
  std::size_t created = 0;
  std::size_t updated = 0;
  std::size_t skipped = 0;
  std::vector<ImportProblem> problems;
  bool dry_run = false;
  bool applied = false;
  bool cancelled = false;
  std::uint64_t change = 0;

  friend bool operator==(const ImportReport&, const ImportReport&) = default;
};

template <> struct Describe<ImportReport> {
  static constexpr auto fields = std::make_tuple(
      field("kind", &ImportReport::kind), field("encoding", &ImportReport::encoding),
      field("delimiter", &ImportReport::delimiter), field("columns", &ImportReport::columns),
      field("rows", &ImportReport::rows), field("created", &ImportReport::created),
      field("updated", &ImportReport::updated), field("skipped", &ImportReport::skipped),
      field("problems", &ImportReport::problems), field("dry_run", &ImportReport::dry_run),
      field("applied", &ImportReport::applied), field("cancelled", &ImportReport::cancelled),
      field("change", &ImportReport::change));
};

// ExportFormat: `excel` is CSV as a Nordic Excel opens it (UTF-8 with a
// byte order mark, `;`, CR LF, decimal commas); `csv` is plain RFC 4180 CSV
// (UTF-8, `,`, CR LF); `json` is an array of objects, one per record, with
// the columns as members. The header row names the columns (ColumnInfo::name),
// so an export imports back as it is.
enum class ExportFormat : std::uint8_t { excel, csv, json };

template <> struct EnumNames<ExportFormat> {
  static constexpr std::array<std::pair<ExportFormat, std::string_view>, 3> names{{
      {ExportFormat::excel, "excel"}, {ExportFormat::csv, "csv"}, {ExportFormat::json, "json"}}};
};

// ExportOptions: the columns to write (empty: the list's default columns)
// and the format.
struct ExportOptions {
  std::vector<std::string> columns;
  ExportFormat format = ExportFormat::excel;
  ProgressCallback progress;
};

// FacilityQuery: facilities whose name or number holds `text` (empty:
// every facility), sorted by `sort` (ties by id) and cut to
// [offset, offset+limit).
enum class FacilityColumn : std::uint8_t { name, number, city, customer, created_at };

template <> struct EnumNames<FacilityColumn> {
  static constexpr std::array<std::pair<FacilityColumn, std::string_view>, 5> names{{
      {FacilityColumn::name, "name"}, {FacilityColumn::number, "number"},
      {FacilityColumn::city, "city"}, {FacilityColumn::customer, "customer"},
      {FacilityColumn::created_at, "created_at"}}};
};

struct FacilityQuery {
  std::string text;
  std::optional<CustomerId> customer;
  std::optional<bool> active;
  std::vector<CustomFilter> custom;  // each must hold
  FacilityColumn sort = FacilityColumn::name;
  std::string custom_sort;           // a custom field's key: sorts by it instead of `sort`
  bool descending = false;
  std::size_t offset = 0;
  std::size_t limit = 50;
};

}  // namespace kartotek
