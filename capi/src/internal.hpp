// capi/src/internal.hpp: what the C API's translation units share: the
// bodies of the opaque handles, the registry of live handles, the per-thread
// last error, and guard(), which turns every exception into a status code.
// Private to libkartotek; nothing here is exported.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <kartotek/kartotek.hpp>

#include "kartotek.h"

// ---- handle bodies -----------------------------------------------------------
// The C header declares these structs without a body; their layout is private.

struct kt_register {
  kartotek::Register reg;
};

struct kt_register_options {
  kartotek::Settings settings;
  kt_clock_fn clock = nullptr;
  void* clock_payload = nullptr;
};

// kt_open_options: OpenOptions without the clock, which is kept as the C
// callback until a register is opened.
struct kt_open_options {
  kartotek::OpenOptions options;
  kt_clock_fn clock = nullptr;
  void* clock_payload = nullptr;
};

struct kt_customer_query {
  kartotek::CustomerQuery query;
};

struct kt_contact_query {
  kartotek::ContactQuery query;
};

struct kt_order_query {
  kartotek::OrderQuery query;
};

struct kt_facility_query {
  kartotek::FacilityQuery query;
};

// kt_import_options / kt_export_options: the C++ options without their
// progress callback, which is kept as the C function until a call uses it
// (progress_arg).
struct kt_import_options {
  kartotek::ImportOptions options;
  kt_progress_fn progress = nullptr;
  void* progress_payload = nullptr;
};

struct kt_export_options {
  kartotek::ExportOptions options;
  kt_progress_fn progress = nullptr;
  void* progress_payload = nullptr;
};

struct kt_activity_query {
  kartotek::ActivityQuery query;
};

struct kt_history_query {
  std::optional<kartotek::RecordRef> record;
  kartotek::TimeRange range;
};

// kt_cursor: the items of one result, copied when the result was taken, and
// how far kt_cursor_next has gone.
struct kt_cursor {
  std::vector<kartotek::Value> items;
  std::size_t position = 0;
  std::size_t total = 0;
};

namespace kartotek::capi {

// ---- live handles ------------------------------------------------------------

enum class HandleKind : std::uint8_t {
  register_,
  register_options,
  open_options,
  customer_query,
  contact_query,
  history_query,
  order_query,
  cursor,
  facility_query,
  import_options,
  export_options,
  activity_query,
};

template <class T> constexpr HandleKind kind_of();
template <> constexpr HandleKind kind_of<kt_register>() { return HandleKind::register_; }
template <> constexpr HandleKind kind_of<kt_register_options>() { return HandleKind::register_options; }
template <> constexpr HandleKind kind_of<kt_open_options>() { return HandleKind::open_options; }
template <> constexpr HandleKind kind_of<kt_customer_query>() { return HandleKind::customer_query; }
template <> constexpr HandleKind kind_of<kt_contact_query>() { return HandleKind::contact_query; }
template <> constexpr HandleKind kind_of<kt_history_query>() { return HandleKind::history_query; }
template <> constexpr HandleKind kind_of<kt_order_query>() { return HandleKind::order_query; }
template <> constexpr HandleKind kind_of<kt_cursor>() { return HandleKind::cursor; }
template <> constexpr HandleKind kind_of<kt_facility_query>() { return HandleKind::facility_query; }
template <> constexpr HandleKind kind_of<kt_import_options>() { return HandleKind::import_options; }
template <> constexpr HandleKind kind_of<kt_export_options>() { return HandleKind::export_options; }
template <> constexpr HandleKind kind_of<kt_activity_query>() { return HandleKind::activity_query; }

// The C type name of a handle kind ("kt_register"), for messages.
const char* handle_type_name(HandleKind kind) noexcept;

// The process-wide set of live handles and their kinds. A handle is checked
// against it before its memory is touched, so a freed handle (until its
// address is reused), a pointer of another kind or a stray pointer is
// reported as KT_MISUSE instead of being dereferenced. Thread-safe.
void add_handle(const void* handle, HandleKind kind);               // throws bad_alloc
bool remove_handle(const void* handle, HandleKind kind) noexcept;   // false: not live as `kind`
bool handle_is_live(const void* handle, HandleKind kind) noexcept;

// ---- errors ------------------------------------------------------------------

// Failure: an error the C layer itself finds (misuse, an argument it refuses
// before the C++ API sees it). Thrown inside guard() only.
struct Failure {
  int status;
  std::string message;
  std::string field;
};

[[noreturn]] void misuse(std::string message);
[[noreturn]] void invalid(std::string field, const std::string& reason);

// Sets this thread's last error; never throws. When the message cannot be
// stored (memory ran out), a fixed message stands in for it.
int set_error(int status, std::string_view message, std::string_view field = {}) noexcept;
int set_out_of_memory() noexcept;
// Records KT_MISUSE for a `_free` call given a pointer that is not live.
void report_bad_free(const char* function, HandleKind kind) noexcept;
void clear_error() noexcept;

int status_of(ErrorCode code) noexcept;

// guard: runs `body` (which returns void, or KT_OK / KT_DONE, or a failure
// it has recorded with set_error: an expected outcome such as a number
// that names no customer, which needs no exception) and turns every
// exception into a status code and this thread's last error; on success the
// last error is cleared. Nothing escapes.
template <class F>
int guard(F&& body) noexcept {
  try {
    int status = KT_OK;
    if constexpr (std::is_void_v<std::invoke_result_t<F&>>) body();
    else status = body();
    if (status == KT_OK || status == KT_DONE) clear_error();
    return status;
  } catch (const Failure& f) {
    return set_error(f.status, f.message, f.field);
  } catch (const ValidationError& e) {
    return set_error(KT_INVALID, e.what(), e.field());
  } catch (const Error& e) {
    return set_error(status_of(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    return set_out_of_memory();
  } catch (const std::exception& e) {
    return set_error(KT_INTERNAL, e.what());
  } catch (...) {
    return set_error(KT_INTERNAL, "an exception of unknown type");
  }
}

// ---- handles: check, make, free ----------------------------------------------

// The handle behind `p`, which must be live and of type T; else KT_MISUSE
// naming the argument.
template <class T>
T& live(T* p, const char* name) {
  using Plain = std::remove_const_t<T>;
  if (!p) misuse(std::string(name) + " is NULL");
  if (!handle_is_live(p, kind_of<Plain>()))
    misuse(std::string(name) + " is not a live " + handle_type_name(kind_of<Plain>()) +
           " (freed already, or another kind of pointer)");
  return *p;
}

// A new handle of type T, registered as live.
template <class T, class... Args>
T* make_handle(Args&&... args) {
  auto handle = std::make_unique<T>(std::forward<Args>(args)...);
  add_handle(handle.get(), kind_of<T>());
  return handle.release();
}

// Frees a handle made by make_handle. NULL is a no-op; a pointer that is not
// live as T is left alone and reported as KT_MISUSE in the last error.
template <class T>
void free_handle(T* p, const char* function) noexcept {
  if (!p) return;
  if (!remove_handle(p, kind_of<T>())) {
    report_bad_free(function, kind_of<T>());
    return;
  }
  delete p;
}

// Requires a non-NULL out-parameter and clears what it points to, so that a
// failing call leaves NULL (or 0) there.
template <class T>
T& out_param(T* out, const char* name = "out") {
  if (!out) misuse(std::string(name) + " is NULL");
  *out = T{};
  return *out;
}

// ---- arguments and results ---------------------------------------------------

// A NUL-terminated UTF-8 argument: KT_MISUSE when NULL, KT_INVALID (field
// `name`) when not valid UTF-8.
std::string_view text_arg(const char* text, const char* name);
// The same, but NULL gives nothing.
std::optional<std::string> optional_text_arg(const char* text, const char* name);
// The Value of a JSON argument (field "json" in errors).
Value json_arg(const char* json);
// The Value of the JSON argument `name` of a call that takes JSON beside
// other arguments: a malformed text is refused naming `name`, not "json".
Value json_value_arg(const char* json, const char* name);

// The enum value named `name` (its JSON spelling); KT_INVALID naming `field`
// and the accepted names otherwise.
template <NamedEnum E>
E enum_arg(const char* name, const char* field) {
  auto value = enum_from_name<E>(text_arg(name, field));
  if (!value) {
    std::string names;
    for (const auto& [e, n] : EnumNames<E>::names) names += (names.empty() ? "" : ", ") + std::string(n);
    invalid(field, "expected one of " + names);
  }
  return *value;
}

// A tri-state filter: 1, 0 or KT_ANY; KT_INVALID naming `field` otherwise.
std::optional<bool> active_arg(int active, const char* field = "active");

// An ISO 8601 UTC time argument (parse_timestamp's forms); KT_MISUSE when
// NULL, KT_INVALID naming `field` otherwise.
Timestamp timestamp_arg(const char* text, const char* field);

// The same, but NULL gives nothing (an open end of a time range).
std::optional<Timestamp> optional_timestamp_arg(const char* text, const char* field);

// A search page's limit: a page whose end lies past SIZE_MAX asks for
// everything from `offset` on.
std::size_t page_limit(std::size_t offset, std::size_t limit);

// The clock a C callback gives (kt_register_options_set_clock,
// kt_open_options_set_clock); the system clock for a NULL `now`.
std::shared_ptr<const Clock> clock_arg(kt_clock_fn now, void* payload);

// A copy of `text` in memory from malloc, for kt_string_free.
char* c_string(const std::string& text);

template <class T>
char* json_string(const T& x) {
  return c_string(to_json(to_value(x)));
}

// A copy of `bytes` in memory from malloc, for kt_buffer_free, with a NUL
// after the last byte that the size does not count (so that text can be
// read as a C string).
unsigned char* c_buffer(std::string_view bytes);

// buffer_result: the body of a call that returns a byte buffer through
// `out` and `out_size`: checks both, then runs `make` (returning a
// std::string or a byte vector) and hands its bytes to the caller.
template <class F>
int buffer_result(unsigned char** out, size_t* out_size, F&& make) noexcept {
  return guard([&] {
    auto& result = out_param(out);
    auto& size = out_param(out_size, "out_size");
    const auto bytes = make();
    result = c_buffer(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    size = bytes.size();
  });
}

template <class Tag>
Id<Tag> id_arg(std::uint64_t id) {
  return Id<Tag>{id};
}

// The `count` ids of the array argument `name` (NULL only when `count` is
// 0: KT_MISUSE otherwise).
template <class Tag>
std::vector<Id<Tag>> ids_arg(const std::uint64_t* ids, std::size_t count, const char* name) {
  if (count && !ids) misuse(std::string(name) + " is NULL");
  std::vector<Id<Tag>> result;
  result.reserve(count);
  for (std::size_t i = 0; i < count; ++i) result.push_back(Id<Tag>{ids[i]});
  return result;
}

// A filter's id argument: 0 names no record (the filter is off).
template <class Tag>
std::optional<Id<Tag>> optional_id_arg(std::uint64_t id) {
  if (!id) return std::nullopt;
  return Id<Tag>{id};
}

inline UserId actor_arg(std::uint64_t actor) { return UserId{actor}; }

// ---- records -----------------------------------------------------------------

// A new record of type T from a JSON object over T's defaults.
template <class T>
T record_from_json(const char* json) {
  T record{};
  from_value(json_arg(json), record, "");
  return record;
}

// custom_patch: `patch` with its "custom" object (when it has one) laid
// over the record's `current` custom values, so that custom values are
// patched key by key like any nested object: keys the patch names replace
// (null: remove) the current values, the others stay.
Value custom_patch(const Value& patch, const CustomFields& current);

// patched: `current` with `patch` applied, for an update based on
// `revision`. The base must be the revision the caller read, else the change
// would silently undo whatever happened since (KT_CONFLICT). The patch may
// repeat the record's id and revision, not change them. The command then
// carries `revision`, so a change that slips in between this read and the
// command is caught by the register. `what` names the record in messages
// ("customer 4").
template <class T>
T patched(T current, std::uint64_t revision, const Value& patch, const std::string& what) {
  if (current.revision != revision)
    throw Conflict(what + " has changed since it was read (revision " + std::to_string(revision) +
                   ", now " + std::to_string(current.revision) + "); read it again and repeat the change");
  const auto id = current.id;
  if constexpr (requires { current.custom.value_form(); })
    from_value(custom_patch(patch, current.custom), current, "");
  else
    from_value(patch, current, "");
  if (current.id != id) invalid("id", "differs from the record being updated");
  if (current.revision != revision) invalid("revision", "differs from the revision argument");
  return current;
}

// create_record: the body of a `_create` call that takes its record as JSON:
// the record, read over Record's defaults, goes into Command, and the new
// record's id to `*out`.
template <class Command, class Record>
int create_record(std::uint64_t* out, kt_register* reg, std::uint64_t actor, const char* json) noexcept {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = live(reg, "reg").reg;
    auto record = record_from_json<Record>(json);
    result = r.apply(actor_arg(actor), Command{std::move(record)}).value;
  });
}

// update_record: the body of an `_update` call: `read(register, actor)`
// gives the record as the actor sees it (throwing NotFound when he sees
// none), patched() applies `patch_json` to it on `revision`, and Command
// carries the result. `kind` and `id` name the record in messages
// ("customer 4").
template <class Command, class Read>
int update_record(kt_register* reg, std::uint64_t actor, std::uint64_t id, std::uint64_t revision,
                  const char* patch_json, const char* kind, Read&& read) noexcept {
  return guard([&] {
    auto& r = live(reg, "reg").reg;
    Value patch = json_arg(patch_json);
    auto current = read(std::as_const(r), actor_arg(actor));
    auto next = patched(std::move(current), revision, patch, std::string(kind) + " " + std::to_string(id));
    r.apply(actor_arg(actor), Command{std::move(next)});
  });
}

// A cursor over `items`, each turned into its Value form; `total` defaults to
// the number of items.
template <class T>
kt_cursor* make_cursor(const std::vector<T>& items, std::optional<std::size_t> total = {}) {
  auto cursor = std::make_unique<kt_cursor>();
  cursor->items.reserve(items.size());
  for (const auto& item : items) cursor->items.push_back(to_value(item));
  cursor->total = total ? *total : items.size();
  add_handle(cursor.get(), HandleKind::cursor);
  return cursor.release();
}

// ---- custom fields -----------------------------------------------------------

// The custom filter a query's `_add_custom_filter` adds: the field's key,
// the match by name and the value as JSON (NULL: null, no value). The key
// and value are checked against the definitions by the search, which names
// the filter ("custom[1].value").
CustomFilter custom_filter_arg(const char* key, const char* match, const char* value_json);

// ---- query objects and searches ----------------------------------------------

// change_query: the body of a query object's setter: `change` edits the
// handle `query` once it is known to be live (KT_MISUSE otherwise).
template <class Handle, class F>
int change_query(Handle* query, F&& change) noexcept {
  return guard([&] { change(live(query, "query")); });
}

// set_query_page: the body of every `_set_page`: the matches at
// [offset, offset + limit). A limit of 0 is refused by the search.
template <class Handle>
int set_query_page(Handle* query, std::size_t offset, std::size_t limit) noexcept {
  return change_query(query, [&](Handle& q) {
    q.query.offset = offset;
    q.query.limit = limit;
  });
}

// set_query_json: the body of every `_set_json`: the C++ query's JSON form
// read over its current values, into a copy, so that a refused member
// leaves the query as it was.
template <class Handle>
int set_query_json(Handle* query, const char* json) noexcept {
  return change_query(query, [&](Handle& q) {
    auto next = q.query;
    from_value(json_arg(json), next, "");
    q.query = std::move(next);
  });
}

// search_result: the body of a search: `run(register, query)` returns the
// Page of the query the handle holds (NULL: the query type's defaults), its
// limit bounded by page_limit; the page becomes the cursor, with the total
// of every page.
template <class Handle, class F>
int search_result(kt_cursor** out, kt_register* reg, const Handle* query, F&& run) noexcept {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = live(reg, "reg").reg;
    auto q = query ? live(query, "query").query : decltype(query->query){};
    q.limit = page_limit(q.offset, q.limit);
    auto page = run(std::as_const(r), q);
    result = make_cursor(page.items, page.total);
  });
}

}  // namespace kartotek::capi
