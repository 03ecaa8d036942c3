// capi/src/transfer.cpp: the CSV import of customers, contacts and
// facilities, the export of lists as files, their options objects and the
// lists' columns (kartotek/transfer.hpp). The import's report crosses as the
// JSON of ImportReport; an export's file as a byte buffer.

#include <limits>

#include "internal.hpp"

using namespace kartotek;
using namespace kartotek::capi;

namespace {

kartotek::Register& reg_of(kt_register* reg) { return live(reg, "reg").reg; }

// The C++ progress callback that calls the C one. Only a status crosses
// back: the C function returns, and its non-zero means "go on".
ProgressCallback progress_arg(kt_progress_fn progress, void* payload) {
  if (!progress) return {};
  return [progress, payload](const TransferProgress& p) {
    return progress(p.phase.c_str(), static_cast<std::uint64_t>(p.done), static_cast<std::uint64_t>(p.total),
                    payload) != 0;
  };
}

// The lists an import reads; orders are exported only.
ListKind import_kind_arg(const char* kind) {
  auto name = text_arg(kind, "kind");
  auto value = enum_from_name<ListKind>(name);
  if (value == ListKind::orders)
    invalid("kind", "orders are exported, not imported; expected customers, contacts or facilities");
  if (!value) invalid("kind", "expected one of customers, contacts, facilities");
  return *value;
}

ImportOptions import_options_arg(const kt_import_options* options) {
  if (!options) return {};
  const auto& o = live(options, "options");
  ImportOptions result = o.options;
  result.progress = progress_arg(o.progress, o.progress_payload);
  return result;
}

ExportOptions export_options_arg(const kt_export_options* options) {
  if (!options) return {};
  const auto& o = live(options, "options");
  ExportOptions result = o.options;
  result.progress = progress_arg(o.progress, o.progress_payload);
  return result;
}

// The query of an export: the caller's, or for NULL every record in the
// list's default order (a search's default page would cut the file short).
template <class Query, class Handle>
Query export_query_arg(const Handle* query) {
  Query q{};
  if (query) q = live(query, "query").query;
  else q.limit = std::numeric_limits<std::size_t>::max();
  q.limit = page_limit(q.offset, q.limit);
  return q;
}

// The common body of the four exports: runs `run(register, export
// options)` and hands its bytes to the caller.
template <class F>
int export_list(unsigned char** out, size_t* out_size, kt_register* reg, const kt_export_options* options,
                F&& run) {
  return buffer_result(out, out_size, [&] { return run(reg_of(reg), export_options_arg(options)); });
}

}  // namespace

extern "C" {

// ---- import options ----------------------------------------------------------

int kt_import_options_new(kt_import_options** out) {
  return guard([&] { out_param(out) = make_handle<kt_import_options>(); });
}

void kt_import_options_free(kt_import_options* options) { free_handle(options, "kt_import_options_free"); }

int kt_import_options_set_kind(kt_import_options* options, const char* kind) {
  return guard([&] {
    auto& o = live(options, "options");
    o.options.kind = import_kind_arg(kind);
  });
}

int kt_import_options_set_dry_run(kt_import_options* options, int dry_run) {
  return guard([&] { live(options, "options").options.dry_run = dry_run != 0; });
}

int kt_import_options_set_skip_bad_rows(kt_import_options* options, int skip_bad_rows) {
  return guard([&] { live(options, "options").options.skip_bad_rows = skip_bad_rows != 0; });
}

int kt_import_options_set_upsert(kt_import_options* options, int upsert) {
  return guard([&] { live(options, "options").options.upsert = upsert != 0; });
}

int kt_import_options_map_column(kt_import_options* options, const char* header, const char* column) {
  return guard([&] {
    auto& o = live(options, "options");
    ColumnMapping mapping{std::string(text_arg(header, "header")), std::string(text_arg(column, "column"))};
    for (auto& m : o.options.mapping)
      if (m.header == mapping.header) {
        m.column = std::move(mapping.column);
        return;
      }
    o.options.mapping.push_back(std::move(mapping));
  });
}

int kt_import_options_set_delimiter(kt_import_options* options, char delimiter) {
  return guard([&] {
    auto& o = live(options, "options");
    if (delimiter != 0 && delimiter != ',' && delimiter != ';' && delimiter != '\t')
      invalid("delimiter", "expected ',', ';', a tab, or 0 to detect it");
    o.options.delimiter = delimiter;
  });
}

int kt_import_options_set_progress(kt_import_options* options, kt_progress_fn progress, void* payload) {
  return guard([&] {
    auto& o = live(options, "options");
    o.progress = progress;
    o.progress_payload = progress ? payload : nullptr;
  });
}

// ---- import ------------------------------------------------------------------

int kt_import_csv(char** out, kt_register* reg, uint64_t actor, const void* data, size_t size,
                  const kt_import_options* options) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = reg_of(reg);
    if (!data && size) misuse("data is NULL");
    // The bytes are the file's, in whatever encoding it has: the import
    // decodes them, so they are not checked as UTF-8 here.
    std::string_view bytes = data ? std::string_view(static_cast<const char*>(data), size) : std::string_view();
    auto report = r.import_csv(actor_arg(actor), bytes, import_options_arg(options));
    result = json_string(report);
  });
}

// ---- export options ----------------------------------------------------------

int kt_export_options_new(kt_export_options** out) {
  return guard([&] { out_param(out) = make_handle<kt_export_options>(); });
}

void kt_export_options_free(kt_export_options* options) { free_handle(options, "kt_export_options_free"); }

int kt_export_options_set_format(kt_export_options* options, const char* format) {
  return guard([&] {
    auto& o = live(options, "options");
    o.options.format = enum_arg<ExportFormat>(format, "format");
  });
}

int kt_export_options_add_column(kt_export_options* options, const char* column) {
  return guard([&] {
    auto& o = live(options, "options");
    o.options.columns.emplace_back(text_arg(column, "column"));
  });
}

int kt_export_options_clear_columns(kt_export_options* options) {
  return guard([&] { live(options, "options").options.columns.clear(); });
}

int kt_export_options_set_progress(kt_export_options* options, kt_progress_fn progress, void* payload) {
  return guard([&] {
    auto& o = live(options, "options");
    o.progress = progress;
    o.progress_payload = progress ? payload : nullptr;
  });
}

// ---- exports -----------------------------------------------------------------

int kt_customer_export(unsigned char** out, size_t* out_size, kt_register* reg, uint64_t actor,
                       const kt_customer_query* query, const kt_export_options* options) {
  return export_list(out, out_size, reg, options, [&](kartotek::Register& r, const ExportOptions& o) {
    return r.export_customers(actor_arg(actor), export_query_arg<CustomerQuery>(query), o);
  });
}

int kt_contact_export(unsigned char** out, size_t* out_size, kt_register* reg, uint64_t actor,
                      const kt_contact_query* query, const kt_export_options* options) {
  return export_list(out, out_size, reg, options, [&](kartotek::Register& r, const ExportOptions& o) {
    return r.export_contacts(actor_arg(actor), export_query_arg<ContactQuery>(query), o);
  });
}

int kt_facility_export(unsigned char** out, size_t* out_size, kt_register* reg, uint64_t actor,
                       const kt_facility_query* query, const kt_export_options* options) {
  return export_list(out, out_size, reg, options, [&](kartotek::Register& r, const ExportOptions& o) {
    return r.export_facilities(actor_arg(actor), export_query_arg<FacilityQuery>(query), o);
  });
}

int kt_order_export(unsigned char** out, size_t* out_size, kt_register* reg, uint64_t actor,
                    const kt_order_query* query, const kt_export_options* options) {
  return export_list(out, out_size, reg, options, [&](kartotek::Register& r, const ExportOptions& o) {
    return r.export_orders(actor_arg(actor), export_query_arg<OrderQuery>(query), o);
  });
}

// ---- columns -----------------------------------------------------------------

int kt_list_columns(char** out, const char* list) {
  return guard([&] {
    auto& result = out_param(out);
    result = json_string(kartotek::Register::columns(enum_arg<ListKind>(list, "list")));
  });
}

}  // extern "C"
