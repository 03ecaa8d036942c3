// python/src/register.cpp: Register, its clocks and the results of its reads.
//
// Threads: kartotek::Register is safe to call from several threads, so every
// call into it runs with the GIL released; the arguments are converted (and
// copied out of Python objects, which another thread may change meanwhile)
// before the release, and results become Python objects after the GIL is
// taken back.

#include <pybind11/pybind11.h>
#include <pybind11/stl/filesystem.h>

#include <cstdint>
#include <exception>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "convert.hpp"

namespace kartotek::python {

namespace {

using namespace pybind11::literals;

// Page: one page of a search and the size of the whole result. `items` is a
// list made once, when the page is read.
struct Page {
  py::list items;
  std::size_t total = 0;
  std::size_t offset = 0;
};

// Runs `f` (a call into the register) with the GIL released.
template <class F>
auto released(F&& f) -> decltype(f()) {
  py::gil_scoped_release nogil;
  return f();
}

template <class T>
py::list to_list(const std::vector<T>& items) {
  py::list out;
  for (const auto& x : items) out.append(py::cast(x));
  return out;
}

template <class T>
py::object to_optional(const std::optional<T>& x) {
  return x ? py::cast(*x) : py::object(py::none());
}

template <class T>
Page to_page(const kartotek::Page<T>& page, std::size_t offset) {
  return Page{to_list(page.items), page.total, offset};
}

Source source_arg(const std::string& source) { return enum_arg<Source>(source, "source"); }

Applied run(Register& r, std::uint64_t actor, Command command, const std::string& source) {
  Source s = source_arg(source);
  return released([&] { return r.apply_command(UserId{actor}, command, s); });
}

// A command whose result is the new record's id.
template <class C>
std::uint64_t create(Register& r, std::uint64_t actor, C command, const std::string& source) {
  return run(r, actor, Command(std::move(command)), source).created.id;
}

template <class C>
void change(Register& r, std::uint64_t actor, C command, const std::string& source) {
  run(r, actor, Command(std::move(command)), source);
}

// Converts a Python command object to the Command variant.
template <std::size_t I = 0>
Command command_arg(py::handle h) {
  if constexpr (I == std::variant_size_v<Command>) {
    throw py::type_error("expected a command of kartotek.commands, not " +
                         std::string(py::str(py::type::handle_of(h).attr("__qualname__"))));
  } else {
    using C = std::variant_alternative_t<I, Command>;
    if (py::isinstance<C>(h)) return Command(h.cast<const C&>());
    return command_arg<I + 1>(h);
  }
}

RecordRef record_arg(py::handle h) {
  if (py::isinstance<RecordRef>(h)) return h.cast<const RecordRef&>();
  if (py::isinstance<py::tuple>(h) && py::len(h) == 2) {
    auto t = py::reinterpret_borrow<py::tuple>(h);
    return from_py<RecordRef>(py::dict("kind"_a = t[0], "id"_a = t[1]), "record");
  }
  throw ValidationError("record", "expected a RecordRef or a (kind, id) pair such as ('customer', 3)");
}

TimeRange range_arg(py::handle since, py::handle until) {
  TimeRange range;
  if (!since.is_none()) range.from = py_to_timestamp(since, "since");
  if (!until.is_none()) range.to = py_to_timestamp(until, "until");
  return range;
}

// search_in: None (everywhere), one name, or a collection of names.
std::uint8_t search_in_arg(py::handle h) {
  static constexpr std::pair<const char*, SearchIn> names[] = {{"name", search_name},
                                                               {"contact_name", search_contact_name},
                                                               {"email", search_email},
                                                               {"custom", search_custom}};
  if (h.is_none()) return search_everywhere;
  std::vector<py::handle> items;
  py::list held;
  if (py::isinstance<py::str>(h)) {
    items.push_back(h);
  } else if (py::isinstance<py::iterable>(h)) {
    for (auto e : py::reinterpret_borrow<py::iterable>(h)) held.append(e);
    for (auto e : held) items.push_back(e);
  } else {
    throw ValidationError("search_in", "expected names among name, contact_name, email, custom");
  }
  std::uint8_t mask = 0;
  for (py::handle e : items) {
    bool known = false;
    if (py::isinstance<py::str>(e)) {
      std::string s = py::str(e);
      for (const auto& [n, bit] : names)
        if (s == n) {
          mask |= bit;
          known = true;
        }
    }
    if (!known)
      throw ValidationError("search_in", "expected names among name, contact_name, email, custom, not " +
                                             std::string(py::repr(e)));
  }
  if (mask == 0) throw ValidationError("search_in", "name at least one of name, contact_name, email, custom");
  return mask;
}

std::optional<std::string> optional_text(py::handle h, const char* field) {
  if (h.is_none()) return std::nullopt;
  return from_py<std::string>(h, field);
}

std::string counts_repr(const Register::Counts& c) {
  return "customers=" + std::to_string(c.customers) + ", contacts=" + std::to_string(c.contacts) +
         ", facilities=" + std::to_string(c.facilities) + ", service_objects=" +
         std::to_string(c.service_objects) + ", users=" + std::to_string(c.users) +
         ", history_entries=" + std::to_string(c.history_entries) + ", orders=" + std::to_string(c.orders) +
         ", activities=" + std::to_string(c.activities);
}

// ---- the CRM: activities made by the add_* helpers ----------------------------

// One name or a collection of names (a str is one name, not its letters).
template <class T>
std::vector<T> names_arg(py::handle h, const char* field) {
  if (h.is_none()) return {};
  if (py::isinstance<py::str>(h)) return {from_py<T>(h, field)};
  return from_py<std::vector<T>>(h, field);
}

std::optional<Timestamp> optional_time(py::handle h, const char* field) {
  if (h.is_none()) return std::nullopt;
  return py_to_timestamp(h, field);
}

// The activity an add_* helper makes: its kind and the record it is on;
// the helper fills in the rest and the register checks all of it.
Activity activity_on(ActivityKind kind, std::optional<std::uint64_t> customer, std::optional<std::uint64_t> contact) {
  Activity a;
  a.kind = kind;
  if (customer) a.customer = CustomerId{*customer};
  if (contact) a.contact = ContactId{*contact};
  return a;
}

// A field of a record and the name a method's parameter gives it ("at" is
// a meeting's `start`).
struct Rename {
  const char* field;
  const char* parameter;
};

// Runs `f`. A refusal naming a field that the method calls otherwise names
// the method's parameter instead, so the error points at what the caller
// wrote.
template <class F>
auto renamed(std::initializer_list<Rename> renames, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const ValidationError& e) {
    for (const Rename& n : renames) {
      if (e.field() != n.field) continue;
      std::string message = e.what();
      throw ValidationError(n.parameter, message.substr(e.field().size() + 2));  // drops "field: "
    }
    throw;
  }
}

// Creates `a` and returns its id; `renames` as for renamed().
std::uint64_t add_activity(Register& r, std::uint64_t actor, Activity a, const std::string& source,
                           std::initializer_list<Rename> renames = {}) {
  return renamed(renames, [&] { return create(r, actor, CreateActivity{std::move(a)}, source); });
}

ActivityQuery activity_query(py::handle kinds, std::optional<std::uint64_t> customer,
                             std::optional<std::uint64_t> contact, bool company_notes,
                             std::optional<std::uint64_t> owner, py::handle statuses, py::handle since,
                             py::handle until, bool descending, std::size_t offset, std::size_t limit) {
  ActivityQuery q;
  q.kinds = names_arg<ActivityKind>(kinds, "kinds");
  if (customer) q.customer = CustomerId{*customer};
  if (contact) q.contact = ContactId{*contact};
  q.company_notes = company_notes;
  if (owner) q.owner = UserId{*owner};
  q.statuses = names_arg<std::string>(statuses, "statuses");
  q.since = optional_time(since, "since");
  q.until = optional_time(until, "until");
  q.descending = descending;
  q.offset = offset;
  q.limit = limit;
  return q;
}

// ---- custom fields: labels, choices and the searches' filters -----------------

// labels: a mapping {language: text} or FieldLabel objects (or their dicts).
std::vector<FieldLabel> labels_arg(py::handle h) {
  if (py::hasattr(h, "items") && !py::isinstance<py::str>(h)) {
    std::vector<FieldLabel> out;
    for (auto item : h.attr("items")()) {
      auto pair = py::reinterpret_borrow<py::tuple>(item);
      std::string language = from_py<std::string>(pair[0], "labels");
      out.push_back(FieldLabel{language, from_py<std::string>(pair[1], "labels." + language)});
    }
    return out;
  }
  if (py::isinstance<py::str>(h) || !py::isinstance<py::iterable>(h))
    throw ValidationError("labels", "expected a dict of language: text, such as {'sv': 'Anställda'}, or a list "
                                    "of FieldLabel");
  return from_py<std::vector<FieldLabel>>(h, "labels");
}

// choices: a collection of texts (a str alone is refused: it is no list).
// A list of texts given as a Python collection; a bare str (a collection of
// its letters to Python) is refused naming `path`.
std::vector<std::string> texts_arg(py::handle h, const std::string& path, std::string_view example) {
  if (py::isinstance<py::str>(h))
    throw ValidationError(path, "expected a list such as " + std::string(example) + ", not a str");
  return from_py<std::vector<std::string>>(h, path);
}

std::vector<std::string> choices_arg(py::handle h) { return texts_arg(h, "choices", "['Nord', 'Syd']"); }

// custom: None (no filter), a mapping {key: value} (each field equals its
// value; None: has no value), or a collection of CustomFilter objects (or
// their dicts) and (key, match, value) tuples. A refused filter names
// custom[i] as the register does.
std::vector<CustomFilter> custom_arg(py::handle h) {
  std::vector<CustomFilter> out;
  if (h.is_none()) return out;
  auto path = [&out] { return "custom[" + std::to_string(out.size()) + "]"; };
  if (py::hasattr(h, "items") && !py::isinstance<py::str>(h)) {
    for (auto item : h.attr("items")()) {
      auto pair = py::reinterpret_borrow<py::tuple>(item);
      CustomFilter f;
      f.key = from_py<std::string>(pair[0], path() + ".key");
      f.value = py_to_value(pair[1], path() + ".value");
      out.push_back(std::move(f));
    }
    return out;
  }
  if (py::isinstance<py::str>(h) || !py::isinstance<py::iterable>(h))
    throw ValidationError("custom", "expected a dict of key: value, or a list of CustomFilter or (key, match, "
                                    "value) tuples");
  for (auto e : py::reinterpret_borrow<py::iterable>(h)) {
    if (py::isinstance<py::tuple>(e)) {
      auto t = py::reinterpret_borrow<py::tuple>(e);
      if (py::len(t) != 3)
        throw ValidationError(path(), "expected (key, match, value), such as ('employees', 'at_least', 10)");
      out.push_back(from_py<CustomFilter>(py::dict("key"_a = t[0], "match"_a = t[1], "value"_a = t[2]), path()));
    } else {
      out.push_back(from_py<CustomFilter>(e, path()));
    }
  }
  return out;
}

// ---- queries: the keywords of search_* and export_* -------------------------

CustomerQuery customer_query(const std::string& text, const std::string& match, py::handle search_in,
                             std::optional<bool> active, py::handle kind, py::handle category,
                             std::optional<std::uint64_t> technician, bool unassigned_only, py::handle custom,
                             const std::string& sort, const std::optional<std::string>& custom_sort,
                             bool descending, std::size_t offset, std::size_t limit) {
  CustomerQuery q;
  q.text = text;
  q.match = enum_arg<TextMatch>(match, "match");
  q.search_in = search_in_arg(search_in);
  q.active = active;
  if (!kind.is_none()) q.kind = from_py<CustomerKind>(kind, "kind");
  q.category = optional_text(category, "category");
  if (technician) q.technician = UserId{*technician};
  q.unassigned_only = unassigned_only;
  q.custom = custom_arg(custom);
  q.sort = enum_arg<CustomerColumn>(sort, "sort");
  q.custom_sort = custom_sort.value_or("");
  q.descending = descending;
  q.offset = offset;
  q.limit = limit;
  return q;
}

ContactQuery contact_query(const std::string& last_name, const std::string& match, std::optional<bool> active,
                           py::handle category, std::optional<std::uint64_t> customer, py::handle custom,
                           const std::string& sort, const std::optional<std::string>& custom_sort,
                           bool descending, std::size_t offset, std::size_t limit) {
  ContactQuery q;
  q.last_name = last_name;
  q.match = enum_arg<TextMatch>(match, "match");
  q.active = active;
  q.category = optional_text(category, "category");
  if (customer) q.customer = CustomerId{*customer};
  q.custom = custom_arg(custom);
  q.sort = enum_arg<ContactColumn>(sort, "sort");
  q.custom_sort = custom_sort.value_or("");
  q.descending = descending;
  q.offset = offset;
  q.limit = limit;
  return q;
}

FacilityQuery facility_query(const std::string& text, std::optional<std::uint64_t> customer,
                             std::optional<bool> active, py::handle custom, const std::string& sort,
                             const std::optional<std::string>& custom_sort, bool descending, std::size_t offset,
                             std::size_t limit) {
  FacilityQuery q;
  q.text = text;
  if (customer) q.customer = CustomerId{*customer};
  q.active = active;
  q.custom = custom_arg(custom);
  q.sort = enum_arg<FacilityColumn>(sort, "sort");
  q.custom_sort = custom_sort.value_or("");
  q.descending = descending;
  q.offset = offset;
  q.limit = limit;
  return q;
}

// `query` (an OrderQuery or its dict form; None: OrderQuery()) with each
// keyword that is not None put in its place.
OrderQuery order_query(py::handle query, py::handle kind, std::optional<std::uint64_t> customer, py::handle status,
                       std::optional<bool> assigned_to_me, std::optional<std::uint64_t> assigned_to,
                       py::handle planned_from, py::handle planned_to, std::optional<bool> closed,
                       py::handle custom, const std::optional<std::string>& sort,
                       const std::optional<std::string>& custom_sort, std::optional<bool> descending,
                       std::optional<std::size_t> offset, std::optional<std::size_t> limit) {
  OrderQuery q = query.is_none() ? OrderQuery{} : from_py<OrderQuery>(query, "query");
  if (!kind.is_none()) q.kind = from_py<OrderKind>(kind, "kind");
  if (customer) q.customer = CustomerId{*customer};
  if (!status.is_none()) q.status = optional_text(status, "status");
  if (assigned_to_me) q.assigned_to_me = *assigned_to_me;
  if (assigned_to) q.assigned_to = UserId{*assigned_to};
  if (!planned_from.is_none()) q.planned_from = py_to_timestamp(planned_from, "planned_from");
  if (!planned_to.is_none()) q.planned_to = py_to_timestamp(planned_to, "planned_to");
  if (closed) q.closed = *closed;
  if (!custom.is_none()) q.custom = custom_arg(custom);
  if (sort) q.sort = enum_arg<OrderColumn>(*sort, "sort");
  if (custom_sort) q.custom_sort = *custom_sort;
  if (descending) q.descending = *descending;
  if (offset) q.offset = *offset;
  if (limit) q.limit = *limit;
  return q;
}

// An export's limit: None is every record from the offset on.
std::size_t export_limit(std::optional<std::size_t> limit) {
  return limit ? *limit : std::numeric_limits<std::size_t>::max();
}

// ---- transfer: progress callbacks, the bytes of a file, mappings -------------

// Progress: the ProgressCallback of an import or export, calling a Python
// callable(phase, done, total). The register calls it with the GIL released
// (and the register locked), so it takes the GIL for the call. A callable
// returning False cancels the work; one that raises cancels it too, and the
// exception is kept for rethrow(). A pending signal (Ctrl-C) is checked on
// every call, with or without a callable, and cancels the same way.
class ProgressBridge {
 public:
  explicit ProgressBridge(py::handle callable) {
    if (!callable.is_none()) {
      if (!PyCallable_Check(callable.ptr()))
        throw py::type_error("progress must be a callable(phase, done, total), not " +
                             std::string(py::str(py::type::handle_of(callable).attr("__qualname__"))));
      callable_ = py::reinterpret_borrow<py::object>(callable);
    }
  }

  ProgressCallback callback() {
    return [this](const TransferProgress& p) {
      py::gil_scoped_acquire gil;
      if (error_) return false;
      try {
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
        if (!callable_) return true;
        py::object answer = callable_(py::str(p.phase), p.done, p.total);
        if (answer.is_none()) return true;
        int truth = PyObject_IsTrue(answer.ptr());
        if (truth < 0) throw py::error_already_set();
        return truth == 1;
      } catch (...) {
        error_ = std::current_exception();
        return false;
      }
    };
  }

  // Raises what the callable raised, if it did.
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

  // Runs `f` (a call into the register that takes callback()) with the GIL
  // released; what the callable raised wins over the register's own refusal
  // of the cancelled work.
  template <class F>
  auto run(F&& f) -> decltype(f()) {
    try {
      auto result = released(std::forward<F>(f));
      rethrow();
      return result;
    } catch (const kartotek::Error&) {
      rethrow();
      throw;
    }
  }

 private:
  py::object callable_;
  std::exception_ptr error_;
};

// The bytes import_csv reads, viewed where `data` holds them and owned
// otherwise: bytes as they are, str as UTF-8, bytearray and memoryview
// copied, an os.PathLike the file it names.
struct InputBytes {
  py::object owner;
  std::string_view bytes;
};

InputBytes input_bytes(py::handle data) {
  InputBytes in;
  if (PyUnicode_Check(data.ptr())) {
    Py_ssize_t size = 0;
    const char* utf8 = PyUnicode_AsUTF8AndSize(data.ptr(), &size);
    if (!utf8) {
      PyErr_Clear();
      throw ValidationError("data", "is not valid text (it holds a lone surrogate)");
    }
    in.owner = py::reinterpret_borrow<py::object>(data);
    in.bytes = std::string_view(utf8, static_cast<std::size_t>(size));
    return in;
  }
  if (PyBytes_Check(data.ptr())) {
    in.owner = py::reinterpret_borrow<py::object>(data);
  } else if (PyByteArray_Check(data.ptr()) || PyMemoryView_Check(data.ptr())) {
    in.owner = py::reinterpret_steal<py::object>(PyBytes_FromObject(data.ptr()));
    if (!in.owner) throw py::error_already_set();
  } else if (py::hasattr(data, "__fspath__")) {
    py::object path = py::module_::import("os").attr("fspath")(data);
    py::object file = py::module_::import("io").attr("open")(path, "rb");
    try {
      in.owner = file.attr("read")();
    } catch (...) {
      file.attr("close")();
      throw;
    }
    file.attr("close")();
    if (!PyBytes_Check(in.owner.ptr())) throw py::type_error("reading the file gave no bytes");
  } else {
    throw py::type_error("data must be bytes, str or an os.PathLike, not " +
                         std::string(py::str(py::type::handle_of(data).attr("__qualname__"))));
  }
  char* buffer = nullptr;
  Py_ssize_t size = 0;
  if (PyBytes_AsStringAndSize(in.owner.ptr(), &buffer, &size) != 0) throw py::error_already_set();
  in.bytes = std::string_view(buffer, static_cast<std::size_t>(size));
  return in;
}

// mapping: None, a mapping {header: column} (a column of "" or None: the
// header is not read), or ColumnMappings (an earlier report's columns).
std::vector<ColumnMapping> mapping_arg(py::handle h) {
  std::vector<ColumnMapping> out;
  if (h.is_none()) return out;
  auto column_of = [](py::handle c, const std::string& header) {
    return c.is_none() ? std::string() : from_py<std::string>(c, "mapping." + header);
  };
  if (py::hasattr(h, "items") && !py::isinstance<py::str>(h)) {
    for (auto item : h.attr("items")()) {
      auto pair = py::reinterpret_borrow<py::tuple>(item);
      std::string header = from_py<std::string>(pair[0], "mapping");
      out.push_back(ColumnMapping{header, column_of(pair[1], header)});
    }
    return out;
  }
  if (py::isinstance<py::iterable>(h) && !py::isinstance<py::str>(h)) {
    for (auto e : py::reinterpret_borrow<py::iterable>(h)) {
      if (!py::isinstance<ColumnMapping>(e))
        throw ValidationError("mapping", "expected ColumnMapping objects, not " +
                                             std::string(py::str(py::type::handle_of(e).attr("__qualname__"))));
      out.push_back(e.cast<const ColumnMapping&>());
    }
    return out;
  }
  throw ValidationError("mapping", "expected a dict of header: column, or a list of ColumnMapping");
}

// delimiter: None detects it; else ',', ';' or a tab.
char delimiter_arg(py::handle h) {
  if (h.is_none()) return 0;
  if (py::isinstance<py::str>(h)) {
    std::string d = py::str(h);
    if (d == "," || d == ";" || d == "\t") return d[0];
  }
  throw ValidationError("delimiter", "expected ',', ';', '\\t' or None (detect it), not " + std::string(py::repr(h)));
}

// columns: None (the list's default columns) or column names.
std::vector<std::string> columns_arg(py::handle h) {
  std::vector<std::string> out;
  if (h.is_none()) return out;
  if (py::isinstance<py::str>(h) || !py::isinstance<py::iterable>(h))
    throw ValidationError("columns", "expected a list of column names, such as ['number', 'name']");
  for (auto e : py::reinterpret_borrow<py::iterable>(h)) out.push_back(from_py<std::string>(e, "columns"));
  return out;
}

ExportOptions export_options(py::handle columns, const std::string& format, ProgressBridge& progress) {
  ExportOptions options;
  options.columns = columns_arg(columns);
  options.format = enum_arg<ExportFormat>(format, "format");
  options.progress = progress.callback();
  return options;
}

// Page[Customer] in annotations evaluated at run time.
py::object class_getitem(py::handle item) {
  return py::module_::import("types").attr("GenericAlias")(py::type::of<Page>(), item);
}

}  // namespace

void declare_register(py::module_& m) {
  py::class_<Clock, std::shared_ptr<Clock>>(
      m, "Clock", "Where a register reads the time: SystemClock or ManualClock.");
  py::class_<SystemClock, Clock, std::shared_ptr<SystemClock>>(
      m, "SystemClock", "The operating system's real-time clock.", py::is_final());
  py::class_<ManualClock, Clock, std::shared_ptr<ManualClock>>(
      m, "ManualClock", "A clock that moves only when told: for tests, replays and examples.",
      py::is_final());
  py::class_<Page>(m, "Page",
                   "One page of a search: `items`, and `total`, the size of the whole result.",
                   py::is_final());
  py::class_<LinkedContact>(m, "LinkedContact",
                            "A contact person of a customer with the link's role and flags.",
                            py::is_final());
  py::class_<Register::Counts>(m, "Counts", "The number of records of each kind.", py::is_final());
  py::class_<Applied>(m, "Applied", "What applying a command produced.", py::is_final());
  py::class_<OpenReport>(m, "OpenReport", "What Register.open() found on disk.", py::is_final());
  py::class_<Register>(m, "Register",
                       "A register of customers, contacts, facilities, service objects, orders, "
                       "users, settings and history: in memory (Register()) or kept in a directory "
                       "(Register.open(path), also a context manager).\n\n"
                       "Every change is a command on behalf of an acting user (an id); a refused "
                       "command raises and leaves the register as it was. Safe to use from "
                       "several threads: calls release the GIL while the register works.",
                       py::is_final());
  for (const char* name : {"Clock", "SystemClock", "ManualClock", "Page", "LinkedContact", "Counts",
                           "Applied", "OpenReport", "Register"})
    m.attr(name).attr("__module__") = "kartotek";
}

void define_register(py::module_& m) {
  // ---- clocks ----
  py::class_<Clock, std::shared_ptr<Clock>> clock(m.attr("Clock"));
  clock.def(
      "now", [](const Clock& c) { return timestamp_to_py(c.now()); },
      "The current time, a timezone-aware datetime in UTC.");

  py::class_<SystemClock, Clock, std::shared_ptr<SystemClock>> system_clock(m.attr("SystemClock"));
  system_clock.def(py::init<>());
  system_clock.def("__repr__", [](const SystemClock&) { return "SystemClock()"; });

  py::class_<ManualClock, Clock, std::shared_ptr<ManualClock>> manual_clock(m.attr("ManualClock"));
  manual_clock.def(py::init([](py::handle start) {
                     return std::make_shared<ManualClock>(
                         start.is_none() ? Timestamp{} : py_to_timestamp(start, "start"));
                   }),
                   "start"_a = py::none(),
                   "A clock standing at `start` (a datetime, a date or an ISO 8601 string; "
                   "default 1970-01-01T00:00:00Z).");
  manual_clock.def(
      "set", [](ManualClock& c, py::handle t) { c.set(py_to_timestamp(t, "time")); }, "time"_a,
      "Sets the clock to `time`.");
  manual_clock.def(
      "advance", [](ManualClock& c, py::handle d) { c.advance(py_to_duration(d, "delta")); },
      "delta"_a, "Moves the clock by `delta`, a timedelta or a number of seconds.");
  manual_clock.def("__repr__", [](const ManualClock& c) {
    return "ManualClock(" + std::string(py::repr(py::str(format_timestamp(c.now())))) + ")";
  });

  // ---- results ----
  py::class_<Page> page(m.attr("Page"));
  page.def_readonly("items", &Page::items, "The records of this page, in order.");
  page.def_readonly("total", &Page::total, "The number of records the whole result holds.");
  page.def_readonly("offset", &Page::offset, "The position of the first item in the whole result.");
  page.def_property_readonly(
      "next_offset",
      [](const Page& p) -> std::optional<std::size_t> {
        std::size_t next = p.offset + py::len(p.items);
        if (py::len(p.items) == 0 || next >= p.total) return std::nullopt;
        return next;
      },
      "The offset of the next page, or None on the last page.");
  page.def("__len__", [](const Page& p) { return py::len(p.items); });
  page.def("__iter__", [](const Page& p) { return p.items.attr("__iter__")(); });
  page.def("__getitem__", [](const Page& p, py::handle i) -> py::object { return p.items[i]; }, "index"_a);
  page.def("__repr__", [](const Page& p) {
    std::string out = "Page(total=" + std::to_string(p.total) + ", offset=" + std::to_string(p.offset) +
                      ", items=[";
    std::size_t n = py::len(p.items);
    for (std::size_t i = 0; i < n && i < 3; ++i)
      out += (i ? ", " : "") + std::string(py::repr(p.items[i]));
    if (n > 3) out += ", … " + std::to_string(n - 3) + " more";
    return out + "])";
  });
  page.def_static("__class_getitem__", &class_getitem, "item"_a);

  py::class_<LinkedContact> linked(m.attr("LinkedContact"));
  linked.def(py::init([](py::handle link, py::handle contact) {
               return LinkedContact{from_py<ContactLink>(link, "link"), from_py<Contact>(contact, "contact")};
             }),
             py::kw_only(), "link"_a = ContactLink{}, "contact"_a = Contact{});
  linked.def_property(
      "link",
      [](py::object self) {
        return py::cast(&self.cast<LinkedContact&>().link, py::return_value_policy::reference_internal, self);
      },
      [](LinkedContact& x, py::handle v) { x.link = from_py<ContactLink>(v, "link"); });
  linked.def_property(
      "contact",
      [](py::object self) {
        return py::cast(&self.cast<LinkedContact&>().contact, py::return_value_policy::reference_internal,
                        self);
      },
      [](LinkedContact& x, py::handle v) { x.contact = from_py<Contact>(v, "contact"); });
  linked.def(
      "to_dict",
      [](const LinkedContact& x) {
        py::dict d;
        d["link"] = value_to_py(to_value(x.link), Form::json);
        d["contact"] = value_to_py(to_value(x.contact), Form::json);
        return d;
      },
      "{'link': link.to_dict(), 'contact': contact.to_dict()}");
  linked.def(
      "__eq__",
      [](const LinkedContact& a, py::handle b) -> py::object {
        if (!py::isinstance<LinkedContact>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        const auto& o = b.cast<const LinkedContact&>();
        return py::bool_(a.link == o.link && a.contact == o.contact);
      },
      py::is_operator());
  linked.attr("__hash__") = py::none();
  linked.def("__repr__", [](const LinkedContact& x) {
    return "LinkedContact(link=" + std::string(py::repr(py::cast(x.link))) +
           ", contact=" + std::string(py::repr(py::cast(x.contact))) + ")";
  });

  py::class_<Register::Counts> counts(m.attr("Counts"));
  counts.def_readonly("customers", &Register::Counts::customers);
  counts.def_readonly("contacts", &Register::Counts::contacts);
  counts.def_readonly("facilities", &Register::Counts::facilities);
  counts.def_readonly("service_objects", &Register::Counts::service_objects);
  counts.def_readonly("users", &Register::Counts::users);
  counts.def_readonly("history_entries", &Register::Counts::history_entries);
  counts.def_readonly("orders", &Register::Counts::orders);
  counts.def_readonly("activities", &Register::Counts::activities);
  counts.def("to_dict", [](const Register::Counts& c) {
    return py::dict("customers"_a = c.customers, "contacts"_a = c.contacts, "facilities"_a = c.facilities,
                    "service_objects"_a = c.service_objects, "users"_a = c.users,
                    "history_entries"_a = c.history_entries, "orders"_a = c.orders,
                    "activities"_a = c.activities);
  });
  counts.def(
      "__eq__",
      [](const Register::Counts& a, py::handle b) -> py::object {
        if (!py::isinstance<Register::Counts>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        const auto& o = b.cast<const Register::Counts&>();
        return py::bool_(a.customers == o.customers && a.contacts == o.contacts &&
                         a.facilities == o.facilities && a.service_objects == o.service_objects &&
                         a.users == o.users && a.history_entries == o.history_entries &&
                         a.orders == o.orders && a.activities == o.activities);
      },
      py::is_operator());
  counts.attr("__hash__") = py::none();
  counts.def("__repr__", [](const Register::Counts& c) { return "Counts(" + counts_repr(c) + ")"; });

  py::class_<OpenReport> report(m.attr("OpenReport"));
  report.def_readonly("created", &OpenReport::created, "Whether the open created the register.");
  report.def_readonly("snapshot_format", &OpenReport::snapshot_format, "The snapshot's format version.");
  report.def_readonly("snapshot_change", &OpenReport::snapshot_change, "The last change the snapshot holds.");
  report.def_readonly("replayed", &OpenReport::replayed, "Journal records applied.");
  report.def_readonly("skipped", &OpenReport::skipped, "Journal records the snapshot held already.");
  report.def_readonly("cut_tail", &OpenReport::cut_tail,
                      "The torn last journal record that was cut off, with its offset and why; '' when "
                      "the journal ended cleanly.");
  report.def_readonly("upgraded_from", &OpenReport::upgraded_from,
                      "The earlier file format the register was written in, which opening rewrote it "
                      "from; 0 when it was current.");
  report.def("to_dict", [](const OpenReport& o) {
    return py::dict("created"_a = o.created, "snapshot_format"_a = o.snapshot_format,
                    "snapshot_change"_a = o.snapshot_change, "replayed"_a = o.replayed, "skipped"_a = o.skipped,
                    "cut_tail"_a = o.cut_tail, "upgraded_from"_a = o.upgraded_from);
  });
  report.def("__repr__", [](const OpenReport& o) {
    return "OpenReport(created=" + std::string(o.created ? "True" : "False") +
           ", snapshot_format=" + std::to_string(o.snapshot_format) +
           ", snapshot_change=" + std::to_string(o.snapshot_change) + ", replayed=" + std::to_string(o.replayed) +
           ", skipped=" + std::to_string(o.skipped) + ", cut_tail=" + std::string(py::repr(py::str(o.cut_tail))) +
           ", upgraded_from=" + std::to_string(o.upgraded_from) + ")";
  });

  py::class_<Applied> applied(m.attr("Applied"));
  applied.def_readonly("change", &Applied::change,
                       "The command's change number in history; 0 when it changed nothing.");
  applied.def_property_readonly(
      "created", [](const Applied& a) { return a.created.id ? py::cast(a.created) : py::object(py::none()); },
      "The record a create command made, else None.");
  applied.def("__repr__", [](const Applied& a) {
    return "Applied(change=" + std::to_string(a.change) + ", created=" +
           (a.created.id ? std::string(py::repr(py::cast(a.created))) : std::string("None")) + ")";
  });

  // ---- Register ----
  py::class_<Register> reg(m.attr("Register"));
  reg.def(py::init([](std::shared_ptr<Clock> clock, py::handle settings) {
            Settings s = settings.is_none() ? Settings{} : from_py<Settings>(settings, "settings");
            if (!clock) clock = std::make_shared<SystemClock>();
            return std::make_unique<Register>(std::move(clock), std::move(s));
          }),
          py::kw_only(), "clock"_a = py::none(), "settings"_a = py::none(),
          "An empty register in memory, on `clock` (default: the system clock) and with "
          "`settings` (default: Settings()). Its first user comes from "
          "create_first_administrator().");
  reg.def("__repr__", [](const Register& r) {
    // Released: the register may be locked by an import whose progress
    // callback waits for the GIL.
    auto [closed, counts] = released([&] { return std::pair(r.closed(), r.counts()); });
    std::string where = r.persistent() ? std::string(closed ? "closed, " : "on disk, ") : "";
    return "Register(" + where + counts_repr(counts) + ")";
  });

  // ---- on disk ----
  reg.def_static(
      "open",
      [](const std::filesystem::path& path, bool create, const std::string& durability, py::handle batch_interval,
         std::shared_ptr<Clock> clock, py::handle settings) {
        OpenOptions options;
        options.create = create;
        options.durability = enum_arg<Durability>(durability, "durability");
        auto interval = py_to_duration(batch_interval, "batch_interval");
        if (interval < std::chrono::milliseconds(1))
          throw ValidationError("batch_interval", "must be at least 1 ms");
        options.batch_interval = std::chrono::duration_cast<std::chrono::milliseconds>(interval);
        if (!settings.is_none()) options.settings = from_py<Settings>(settings, "settings");
        options.clock = std::move(clock);
        return std::make_unique<Register>(released([&] { return Register::open(path, std::move(options)); }));
      },
      "path"_a, py::kw_only(), "create"_a = true, "durability"_a = "sync", "batch_interval"_a = 0.1,
      "clock"_a = py::none(), "settings"_a = py::none(),
      "The register kept in directory `path` (a str or os.PathLike): its snapshot loaded and its "
      "journal replayed. A missing register is created when `create` (else NotFound); a torn last "
      "journal record is cut and reported in open_report; damage elsewhere raises CorruptError "
      "and changes no file; a register open elsewhere raises Conflict. `durability`: 'sync' "
      "(every command on disk before it returns), 'batch' (within `batch_interval`, a timedelta "
      "or seconds) or 'none' (at sync() and close()). `settings` apply to a new register. "
      "Use it in a with-block, or call close().");
  reg.def_property_readonly(
      "open_report", [](const Register& r) { return r.open_report(); },
      "What open() found (all zero for a register in memory).");
  reg.def_property_readonly("persistent", &Register::persistent, "True for a register opened on a path.");
  reg.def_property_readonly(
      "closed", [](const Register& r) { return released([&] { return r.closed(); }); }, "True after close().");
  reg.def(
      "close", [](Register& r) { released([&] { r.close(); }); },
      "Makes every applied command durable, closes the journal and releases the directory's "
      "lock. Reads still answer from memory; commands then raise Conflict. Closing twice is fine.");
  reg.def("__enter__", [](py::object self) { return self; });
  reg.def(
      "__exit__",
      [](Register& r, py::handle, py::handle, py::handle) {
        released([&] { r.close(); });
        return false;
      },
      "exc_type"_a, "exc"_a, "traceback"_a);
  reg.def(
      "compact", [](Register& r) { released([&] { r.compact(); }); },
      "Writes the whole state as a new snapshot and starts an empty journal (a no-op in memory).");
  reg.def(
      "sync", [](Register& r) { released([&] { r.sync(); }); },
      "Makes every applied command durable now (for the 'batch' and 'none' durability).");
  reg.def(
      "save_as",
      [](const Register& r, const std::filesystem::path& path) { released([&] { r.save_as(path); }); },
      "path"_a,
      "Writes the whole state as a new register in the empty or missing directory `path`; "
      "raises Conflict when a register is there.");
  reg.def(
      "export_json",
      [](const Register& r, std::uint64_t actor) {
        return released([&] { return r.export_json(UserId{actor}); });
      },
      "actor"_a,
      "The whole register as one JSON document (docs/json-schema.md). Administrators only.");
  reg.def_static(
      "import_json",
      [](const std::string& json, std::shared_ptr<Clock> clock) {
        return std::make_unique<Register>(released([&] { return Register::import_json(json, std::move(clock)); }));
      },
      "json"_a, py::kw_only(), "clock"_a = py::none(),
      "A new register in memory holding exactly what an export_json() document holds.");

  reg.def(
      "create_first_administrator",
      [](Register& r, const std::string& login, const std::string& name) {
        return released([&] { return r.create_first_administrator(login, name).value; });
      },
      "login"_a, "name"_a,
      "Creates the register's first user, an administrator, and returns his id. Raises Conflict "
      "once the register has users.");

  reg.def(
      "apply",
      [](Register& r, std::uint64_t actor, py::handle command, const std::string& source) {
        return run(r, actor, command_arg(command), source);
      },
      "actor"_a, "command"_a, py::kw_only(), "source"_a = "api",
      "Applies a command of kartotek.commands for `actor`; returns Applied.");

  // ---- customers ----
  reg.def(
      "create_customer",
      [](Register& r, std::uint64_t actor, const Customer& c, const std::string& source) {
        return create(r, actor, CreateCustomer{c}, source);
      },
      "actor"_a, "customer"_a, py::kw_only(), "source"_a = "api",
      "Creates a customer and returns its id. An empty number gets the next generated number "
      "when the auto_number setting is on.");
  reg.def(
      "update_customer",
      [](Register& r, std::uint64_t actor, const Customer& c, const std::string& source) {
        change(r, actor, UpdateCustomer{c}, source);
      },
      "actor"_a, "customer"_a, py::kw_only(), "source"_a = "api",
      "Replaces the editable fields of customer `customer.id`; `customer.revision` must be the "
      "current one (else Conflict).");
  reg.def(
      "deactivate_customer",
      [](Register& r, std::uint64_t actor, std::uint64_t id, const std::string& source) {
        change(r, actor, DeactivateCustomer{CustomerId{id}}, source);
      },
      "actor"_a, "customer_id"_a, py::kw_only(), "source"_a = "api");
  reg.def(
      "reactivate_customer",
      [](Register& r, std::uint64_t actor, std::uint64_t id, const std::string& source) {
        change(r, actor, ReactivateCustomer{CustomerId{id}}, source);
      },
      "actor"_a, "customer_id"_a, py::kw_only(), "source"_a = "api");
  reg.def(
      "delete_customer",
      [](Register& r, std::uint64_t actor, std::uint64_t id, const std::string& source) {
        change(r, actor, DeleteCustomer{CustomerId{id}}, source);
      },
      "actor"_a, "customer_id"_a, py::kw_only(), "source"_a = "api",
      "Deletes a customer; refused (Conflict) while contacts or facilities are linked to it.");
  reg.def(
      "assign_technician",
      [](Register& r, std::uint64_t actor, std::uint64_t id, std::optional<std::uint64_t> technician,
         const std::string& source) {
        std::optional<UserId> tech;
        if (technician) tech = UserId{*technician};
        change(r, actor, AssignTechnician{CustomerId{id}, tech}, source);
      },
      "actor"_a, "customer_id"_a, "technician"_a = py::none(), py::kw_only(), "source"_a = "api",
      "Makes user `technician` responsible for the customer; None removes the assignment.");

  // ---- contacts ----
  reg.def(
      "create_contact",
      [](Register& r, std::uint64_t actor, const Contact& c, const std::string& source) {
        return create(r, actor, CreateContact{c}, source);
      },
      "actor"_a, "contact"_a, py::kw_only(), "source"_a = "api", "Creates a contact person and returns his id.");
  reg.def(
      "update_contact",
      [](Register& r, std::uint64_t actor, const Contact& c, const std::string& source) {
        change(r, actor, UpdateContact{c}, source);
      },
      "actor"_a, "contact"_a, py::kw_only(), "source"_a = "api", "Replaces a contact person (revision-checked).");
  reg.def(
      "delete_contact",
      [](Register& r, std::uint64_t actor, std::uint64_t id, const std::string& source) {
        change(r, actor, DeleteContact{ContactId{id}}, source);
      },
      "actor"_a, "contact_id"_a, py::kw_only(), "source"_a = "api",
      "Deletes a contact person and his links to customers.");
  reg.def(
      "link_contact",
      [](Register& r, std::uint64_t actor, std::uint64_t contact, std::uint64_t customer, const std::string& role,
         bool send_service_protocol, bool send_work_orders, const std::string& source) {
        change(r, actor,
               LinkContact{ContactLink{ContactId{contact}, CustomerId{customer}, role, send_service_protocol,
                                       send_work_orders}},
               source);
      },
      "actor"_a, "contact_id"_a, "customer_id"_a, py::kw_only(), "role"_a = "", "send_service_protocol"_a = false,
      "send_work_orders"_a = false, "source"_a = "api",
      "Makes the contact a contact person of the customer (Conflict if he already is one).");
  reg.def(
      "update_contact_link",
      [](Register& r, std::uint64_t actor, const ContactLink& link, const std::string& source) {
        change(r, actor, UpdateContactLink{link}, source);
      },
      "actor"_a, "link"_a, py::kw_only(), "source"_a = "api",
      "Replaces the role and flags of the existing link between link.contact and link.customer.");
  reg.def(
      "unlink_contact",
      [](Register& r, std::uint64_t actor, std::uint64_t contact, std::uint64_t customer, const std::string& source) {
        change(r, actor, UnlinkContact{ContactId{contact}, CustomerId{customer}}, source);
      },
      "actor"_a, "contact_id"_a, "customer_id"_a, py::kw_only(), "source"_a = "api");

  // ---- facilities and service objects ----
  reg.def(
      "create_facility",
      [](Register& r, std::uint64_t actor, const Facility& f, const std::string& source) {
        return create(r, actor, CreateFacility{f}, source);
      },
      "actor"_a, "facility"_a, py::kw_only(), "source"_a = "api", "Creates a facility and returns its id.");
  reg.def(
      "update_facility",
      [](Register& r, std::uint64_t actor, const Facility& f, const std::string& source) {
        change(r, actor, UpdateFacility{f}, source);
      },
      "actor"_a, "facility"_a, py::kw_only(), "source"_a = "api",
      "Replaces a facility (revision-checked); it may move to another customer.");
  reg.def(
      "delete_facility",
      [](Register& r, std::uint64_t actor, std::uint64_t id, const std::string& source) {
        change(r, actor, DeleteFacility{FacilityId{id}}, source);
      },
      "actor"_a, "facility_id"_a, py::kw_only(), "source"_a = "api",
      "Deletes a facility; refused (Conflict) while service objects sit at it.");
  reg.def(
      "create_service_object",
      [](Register& r, std::uint64_t actor, const ServiceObject& s, const std::string& source) {
        return create(r, actor, CreateServiceObject{s}, source);
      },
      "actor"_a, "service_object"_a, py::kw_only(), "source"_a = "api",
      "Creates a service object and returns its id.");
  reg.def(
      "update_service_object",
      [](Register& r, std::uint64_t actor, const ServiceObject& s, const std::string& source) {
        change(r, actor, UpdateServiceObject{s}, source);
      },
      "actor"_a, "service_object"_a, py::kw_only(), "source"_a = "api",
      "Replaces a service object (revision-checked).");
  reg.def(
      "delete_service_object",
      [](Register& r, std::uint64_t actor, std::uint64_t id, const std::string& source) {
        change(r, actor, DeleteServiceObject{ServiceObjectId{id}}, source);
      },
      "actor"_a, "service_object_id"_a, py::kw_only(), "source"_a = "api");

  // ---- users and settings ----
  reg.def(
      "create_user",
      [](Register& r, std::uint64_t actor, const User& u, const std::string& source) {
        return create(r, actor, CreateUser{u}, source);
      },
      "actor"_a, "user"_a, py::kw_only(), "source"_a = "api",
      "Creates a user and returns his id (administrators only).");
  reg.def(
      "update_user",
      [](Register& r, std::uint64_t actor, const User& u, const std::string& source) {
        change(r, actor, UpdateUser{u}, source);
      },
      "actor"_a, "user"_a, py::kw_only(), "source"_a = "api",
      "Replaces a user (administrators only, revision-checked). The last active administrator "
      "can be neither deactivated nor demoted.");
  reg.def(
      "create_user_group",
      [](Register& r, std::uint64_t actor, const UserGroup& g, const std::string& source) {
        return create(r, actor, CreateUserGroup{g}, source);
      },
      "actor"_a, "group"_a, py::kw_only(), "source"_a = "api",
      "Creates a user group and returns its id (administrators only); its users hold its rights.");
  reg.def(
      "update_user_group",
      [](Register& r, std::uint64_t actor, const UserGroup& g, const std::string& source) {
        change(r, actor, UpdateUserGroup{g}, source);
      },
      "actor"_a, "group"_a, py::kw_only(), "source"_a = "api",
      "Replaces a user group (administrators only, revision-checked).");
  reg.def(
      "delete_user_group",
      [](Register& r, std::uint64_t actor, std::uint64_t id, const std::string& source) {
        change(r, actor, DeleteUserGroup{UserGroupId{id}}, source);
      },
      "actor"_a, "group_id"_a, py::kw_only(), "source"_a = "api",
      "Deletes a user group that holds no users (administrators only; else Conflict).");
  reg.def(
      "update_settings",
      [](Register& r, std::uint64_t actor, const Settings& s, const std::string& source) {
        change(r, actor, UpdateSettings{s}, source);
      },
      "actor"_a, "settings"_a, py::kw_only(), "source"_a = "api",
      "Replaces the settings (administrators only); next_number may only move forward.");
  reg.def(
      "settings",
      [](const Register& r, std::uint64_t actor) { return released([&] { return r.settings(UserId{actor}); }); },
      "actor"_a, "The register's settings.");

  // ---- reads ----
  reg.def(
      "customer",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        return released([&] { return r.customer(UserId{actor}, CustomerId{id}); });
      },
      "actor"_a, "customer_id"_a, "The customer with this id; raises NotFound.");
  reg.def(
      "find_customer",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        return to_optional(released([&] { return r.find_customer(UserId{actor}, CustomerId{id}); }));
      },
      "actor"_a, "customer_id"_a, "The customer with this id, or None.");
  reg.def(
      "find_customer_by_number",
      [](const Register& r, std::uint64_t actor, const std::string& number) {
        return to_optional(released([&] { return r.find_customer_by_number(UserId{actor}, number); }));
      },
      "actor"_a, "number"_a,
      "The customer with this number (compared trimmed and ignoring case), or None.");
  reg.def(
      "search_customers",
      [](const Register& r, std::uint64_t actor, const std::string& text, const std::string& match,
         py::handle search_in, std::optional<bool> active, py::handle kind, py::handle category,
         std::optional<std::uint64_t> technician, bool unassigned_only, py::handle custom, const std::string& sort,
         const std::optional<std::string>& custom_sort, bool descending, std::size_t offset, std::size_t limit) {
        CustomerQuery q = customer_query(text, match, search_in, active, kind, category, technician,
                                         unassigned_only, custom, sort, custom_sort, descending, offset, limit);
        return to_page(released([&] { return r.search_customers(UserId{actor}, q); }), offset);
      },
      "actor"_a, "text"_a = "", py::kw_only(), "match"_a = "substring", "search_in"_a = py::none(),
      "active"_a = py::none(), "kind"_a = py::none(), "category"_a = py::none(), "technician"_a = py::none(),
      "unassigned_only"_a = false, "custom"_a = py::none(), "sort"_a = "name", "custom_sort"_a = py::none(),
      "descending"_a = false, "offset"_a = 0, "limit"_a = 50,
      "Customers whose name, contact persons' names, e-mail addresses or searchable text custom "
      "fields match `text` (empty: every customer), narrowed by the filters, sorted by `sort` "
      "(ties by id) and cut to [offset, offset + limit). `search_in` names where text is looked "
      "for: 'name', 'contact_name', 'email', 'custom' (default: all four). `custom` filters by "
      "custom fields: {key: value} (equal; None: no value), or CustomFilter objects or (key, "
      "match, value) tuples, all of which must hold. `custom_sort` (a field's key) sorts by that "
      "field instead of `sort`, customers without a value last.");

  reg.def(
      "contact",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        return released([&] { return r.contact(UserId{actor}, ContactId{id}); });
      },
      "actor"_a, "contact_id"_a, "The contact with this id; raises NotFound.");
  reg.def(
      "find_contact",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        return to_optional(released([&] { return r.find_contact(UserId{actor}, ContactId{id}); }));
      },
      "actor"_a, "contact_id"_a, "The contact with this id, or None.");
  reg.def(
      "search_contacts",
      [](const Register& r, std::uint64_t actor, const std::string& last_name, const std::string& match,
         std::optional<bool> active, py::handle category, std::optional<std::uint64_t> customer,
         py::handle custom, const std::string& sort, const std::optional<std::string>& custom_sort,
         bool descending, std::size_t offset, std::size_t limit) {
        ContactQuery q = contact_query(last_name, match, active, category, customer, custom, sort, custom_sort,
                                       descending, offset, limit);
        return to_page(released([&] { return r.search_contacts(UserId{actor}, q); }), offset);
      },
      "actor"_a, "last_name"_a = "", py::kw_only(), "match"_a = "substring", "active"_a = py::none(),
      "category"_a = py::none(), "customer"_a = py::none(), "custom"_a = py::none(), "sort"_a = "last_name",
      "custom_sort"_a = py::none(), "descending"_a = false, "offset"_a = 0, "limit"_a = 50,
      "Contacts by all or part of the last name (empty: every contact), narrowed by the filters "
      "(`customer`: only contact persons of that customer; `custom` and `custom_sort` as for "
      "search_customers).");
  reg.def(
      "contacts_of",
      [](const Register& r, std::uint64_t actor, std::uint64_t customer) {
        return to_list(released([&] { return r.contacts_of(UserId{actor}, CustomerId{customer}); }));
      },
      "actor"_a, "customer_id"_a, "The contact persons of a customer, by last and first name.");
  reg.def(
      "links_of",
      [](const Register& r, std::uint64_t actor, std::uint64_t contact) {
        return to_list(released([&] { return r.links_of(UserId{actor}, ContactId{contact}); }));
      },
      "actor"_a, "contact_id"_a, "The links of a contact to customers, in customer id order.");
  reg.def(
      "customer_vcard",
      [](const Register& r, std::uint64_t actor, std::uint64_t id, const std::string& version) {
        VCardVersion v = enum_arg<VCardVersion>(version, "version");
        return released([&] { return r.customer_vcard(UserId{actor}, CustomerId{id}, v); });
      },
      "actor"_a, "customer_id"_a, "version"_a = "4.0",
      "The customer's main contact data as a vCard, version '3.0' or '4.0' (docs/vcard.md), for "
      "a QR code (qr_svg, qr_png); raises NotFound.");
  reg.def(
      "contact_vcard",
      [](const Register& r, std::uint64_t actor, std::uint64_t id, const std::string& version) {
        VCardVersion v = enum_arg<VCardVersion>(version, "version");
        return released([&] { return r.contact_vcard(UserId{actor}, ContactId{id}, v); });
      },
      "actor"_a, "contact_id"_a, "version"_a = "4.0",
      "A contact person as a vCard, version '3.0' or '4.0'; his ORG is the first company (by "
      "customer id) he is the contact person of that the actor sees. Raises NotFound.");

  reg.def(
      "facility",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        return released([&] { return r.facility(UserId{actor}, FacilityId{id}); });
      },
      "actor"_a, "facility_id"_a, "The facility with this id; raises NotFound.");
  reg.def(
      "find_facility",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        return to_optional(released([&] { return r.find_facility(UserId{actor}, FacilityId{id}); }));
      },
      "actor"_a, "facility_id"_a, "The facility with this id, or None.");
  reg.def(
      "facilities_of",
      [](const Register& r, std::uint64_t actor, std::uint64_t customer) {
        return to_list(released([&] { return r.facilities_of(UserId{actor}, CustomerId{customer}); }));
      },
      "actor"_a, "customer_id"_a, "The facilities of a customer, in id order.");
  reg.def(
      "service_object",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        return released([&] { return r.service_object(UserId{actor}, ServiceObjectId{id}); });
      },
      "actor"_a, "service_object_id"_a, "The service object with this id; raises NotFound.");
  reg.def(
      "find_service_object",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        return to_optional(released([&] { return r.find_service_object(UserId{actor}, ServiceObjectId{id}); }));
      },
      "actor"_a, "service_object_id"_a, "The service object with this id, or None.");
  reg.def(
      "service_objects_of",
      [](const Register& r, std::uint64_t actor, std::uint64_t facility) {
        return to_list(released([&] { return r.service_objects_of(UserId{actor}, FacilityId{facility}); }));
      },
      "actor"_a, "facility_id"_a, "The service objects at a facility, in id order.");

  reg.def(
      "user",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        auto u = released([&] { return r.find_user(UserId{actor}, UserId{id}); });
        if (!u) throw NotFound("user " + std::to_string(id) + " does not exist");
        return *u;
      },
      "actor"_a, "user_id"_a, "The user with this id; raises NotFound.");
  reg.def(
      "find_user",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        return to_optional(released([&] { return r.find_user(UserId{actor}, UserId{id}); }));
      },
      "actor"_a, "user_id"_a, "The user with this id, or None.");
  reg.def(
      "users",
      [](const Register& r, std::uint64_t actor) { return to_list(released([&] { return r.users(UserId{actor}); })); },
      "actor"_a, "Every user, in id order.");

  reg.def(
      "create_customer_user",
      [](Register& r, std::uint64_t actor, std::uint64_t customer, std::uint64_t contact, const std::string& login,
         const std::string& source) {
        return create(r, actor, CreateCustomerUser{CustomerId{customer}, ContactId{contact}, login}, source);
      },
      "actor"_a, "customer_id"_a, "contact_id"_a, "login"_a, py::kw_only(), "source"_a = "api",
      "Creates a portal login for contact person `contact_id` of customer `customer_id` and returns "
      "his user id (right customers.create_customer_users).");
  reg.def(
      "set_customer_user_locked",
      [](Register& r, std::uint64_t actor, std::uint64_t user, bool locked, const std::string& source) {
        change(r, actor, SetCustomerUserLocked{UserId{user}, locked}, source);
      },
      "actor"_a, "user_id"_a, "locked"_a, py::kw_only(), "source"_a = "api",
      "Locks a customer user out (True) or lets him in again (right customers.change_customer_user_rights).");
  reg.def(
      "delete_customer_user",
      [](Register& r, std::uint64_t actor, std::uint64_t user, const std::string& source) {
        change(r, actor, DeleteCustomerUser{UserId{user}}, source);
      },
      "actor"_a, "user_id"_a, py::kw_only(), "source"_a = "api",
      "Removes a customer user; his history stays (right customers.delete_customer_users).");
  reg.def(
      "notifications",
      [](const Register& r, std::uint64_t actor, std::size_t limit) {
        return to_list(released([&] { return r.notifications(UserId{actor}, limit); }));
      },
      "actor"_a, "limit"_a = 100,
      "The actor's own notifications still in the outbox, oldest first.");
  reg.def(
      "outbox",
      [](const Register& r, std::uint64_t actor, std::size_t limit) {
        return to_list(released([&] { return r.outbox(UserId{actor}, limit); }));
      },
      "actor"_a, "limit"_a = 100,
      "Every user's notifications still in the outbox, oldest first, for the host that delivers "
      "them (administrators only).");
  reg.def(
      "acknowledge_notifications",
      [](Register& r, std::uint64_t actor, const std::vector<std::uint64_t>& ids, const std::string& source) {
        AcknowledgeNotifications cmd;
        for (auto id : ids) cmd.notifications.push_back(NotificationId{id});
        change(r, actor, std::move(cmd), source);
      },
      "actor"_a, "notification_ids"_a, py::kw_only(), "source"_a = "api",
      "Removes delivered notifications from the outbox (a recipient his own, an administrator any); "
      "ids already acknowledged are skipped.");
  reg.def(
      "user_group",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        auto g = released([&] { return r.find_user_group(UserId{actor}, UserGroupId{id}); });
        if (!g) throw NotFound("user group " + std::to_string(id) + " does not exist");
        return *g;
      },
      "actor"_a, "group_id"_a, "The user group with this id; raises NotFound.");
  reg.def(
      "find_user_group",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        return to_optional(released([&] { return r.find_user_group(UserId{actor}, UserGroupId{id}); }));
      },
      "actor"_a, "group_id"_a, "The user group with this id, or None.");
  reg.def(
      "user_groups",
      [](const Register& r, std::uint64_t actor) {
        return to_list(released([&] { return r.user_groups(UserId{actor}); }));
      },
      "actor"_a, "Every user group, in id order (none for a customer user).");
  reg.def(
      "assign_menu",
      [](const Register& r, std::uint64_t actor) {
        return to_list(released([&] { return r.assign_menu(UserId{actor}); }));
      },
      "actor"_a,
      "The active staff users by user group, groups by name and the users in no group last "
      "(group 0), for choosing whom to assign.");
  reg.def(
      "rights_of",
      [](const Register& r, std::uint64_t actor, std::uint64_t user) {
        auto rights = released([&] { return r.rights_of(UserId{actor}, UserId{user}); });
        py::list out;
        for (Right right : rights) out.append(std::string(enum_name(right)));
        return out;
      },
      "actor"_a, "user_id"_a,
      "The names of the rights user `user_id` holds, his own and his groups' (every right for an "
      "administrator, none for a customer user).");

  // ---- orders (docs/orders.md) ----
  reg.def(
      "create_order",
      [](Register& r, std::uint64_t actor, const Order& o, std::optional<Customer> new_customer,
         std::optional<Facility> new_facility, const std::string& source) {
        return create(r, actor, CreateOrder{o, std::move(new_customer), std::move(new_facility)}, source);
      },
      "actor"_a, "order"_a, "new_customer"_a = py::none(), "new_facility"_a = py::none(), py::kw_only(),
      "source"_a = "api",
      "Creates an order of `order.kind` for the active customer `order.customer` and returns its id; "
      "the register sets its number (the kind's next), status (the kind's first when empty) and "
      "copies the customer's service or work order articles onto a service or work order. A "
      "contact order may name its customer by `new_customer` instead (the one customer of that "
      "name the actor sees; a new one when there is none; several are refused, naming "
      "new_customer.name) and its facility by `new_facility` (likewise among the customer's).");
  reg.def(
      "update_order",
      [](Register& r, std::uint64_t actor, const Order& o, const std::string& source) {
        change(r, actor, UpdateOrder{o}, source);
      },
      "actor"_a, "order"_a, py::kw_only(), "source"_a = "api",
      "Replaces the editable fields of open order `order.id` (facility, service object, contact, "
      "subject, description, status, planned, cost center, customer's order number, lines, "
      "bookings); `order.revision` must be the current one (else Conflict). Lines and bookings "
      "with id 0 are new, those left out are removed.");
  reg.def(
      "assign_order",
      [](Register& r, std::uint64_t actor, std::uint64_t id, const std::vector<std::uint64_t>& users,
         const std::string& source) {
        AssignOrder cmd{OrderId{id}, {}};
        for (auto u : users) cmd.users.push_back(UserId{u});
        change(r, actor, std::move(cmd), source);
      },
      "actor"_a, "order_id"_a, "user_ids"_a, py::kw_only(), "source"_a = "api",
      "Makes `user_ids` exactly the users assigned to the order; the newly assigned get an "
      "order_assigned notification, those taken off an order_unassigned one. Needs the assign "
      "right, or assign-self to add or remove only the actor himself.");
  reg.def(
      "add_order_note",
      [](Register& r, std::uint64_t actor, std::uint64_t id, const std::string& text, const std::string& source) {
        change(r, actor, AddOrderNote{OrderId{id}, text}, source);
      },
      "actor"_a, "order_id"_a, "text"_a, py::kw_only(), "source"_a = "api",
      "Appends an entry (now, the actor, `text`) to the order's notes log; closed orders too.");
  reg.def(
      "add_time_entry",
      [](Register& r, std::uint64_t actor, std::uint64_t id, double hours, const std::string& text,
         const std::string& source) {
        change(r, actor, AddTimeEntry{OrderId{id}, hours, text}, source);
      },
      "actor"_a, "order_id"_a, "hours"_a, "text"_a = "", py::kw_only(), "source"_a = "api",
      "Records `hours` (more than 0) the actor spent on the open order.");
  reg.def(
      "add_order_file",
      [](Register& r, std::uint64_t actor, std::uint64_t id, const FileInfo& file, const std::string& source) {
        change(r, actor, AddOrderFile{OrderId{id}, file}, source);
      },
      "actor"_a, "order_id"_a, "file"_a, py::kw_only(), "source"_a = "api",
      "Adds the metadata of an uploaded file to the open order (upload right); the register sets "
      "its id, uploaded_by and uploaded_at.");
  reg.def(
      "remove_order_file",
      [](Register& r, std::uint64_t actor, std::uint64_t id, std::uint32_t file, const std::string& source) {
        change(r, actor, RemoveOrderFile{OrderId{id}, file}, source);
      },
      "actor"_a, "order_id"_a, "file_id"_a, py::kw_only(), "source"_a = "api",
      "Removes file `file_id` from the open order (delete-files right).");
  reg.def(
      "close_order",
      [](Register& r, std::uint64_t actor, std::uint64_t id, const std::string& source) {
        change(r, actor, CloseOrder{OrderId{id}}, source);
      },
      "actor"_a, "order_id"_a, py::kw_only(), "source"_a = "api",
      "Archives the order: it stays listed, after the open ones, and is not changed until reopened.");
  reg.def(
      "reopen_order",
      [](Register& r, std::uint64_t actor, std::uint64_t id, const std::string& source) {
        change(r, actor, ReopenOrder{OrderId{id}}, source);
      },
      "actor"_a, "order_id"_a, py::kw_only(), "source"_a = "api", "Opens a closed order again.");
  reg.def(
      "delete_order",
      [](Register& r, std::uint64_t actor, std::uint64_t id, const std::string& source) {
        change(r, actor, DeleteOrder{OrderId{id}}, source);
      },
      "actor"_a, "order_id"_a, py::kw_only(), "source"_a = "api",
      "Deletes the order; a contact order that became a sales order, and that sales order, are "
      "refused (Conflict).");
  reg.def(
      "convert_to_sales_order",
      [](Register& r, std::uint64_t actor, std::uint64_t id, const std::string& source) {
        return create(r, actor, ConvertToSalesOrder{OrderId{id}}, source);
      },
      "actor"_a, "order_id"_a, py::kw_only(), "source"_a = "api",
      "Turns contact order `order_id` into a sales order for the same customer with the same "
      "lines, links the two, closes the contact order and returns the sales order's id.");
  reg.def(
      "raise_reminders",
      [](Register& r, std::uint64_t actor, const std::string& source) { change(r, actor, RaiseReminders{}, source); },
      "actor"_a, py::kw_only(), "source"_a = "api",
      "Gives every due booking and every due reminder on a customer not yet reminded a reminder "
      "notification to its user, once (administrators; the host runs it now and then).");
  reg.def(
      "create_article",
      [](Register& r, std::uint64_t actor, const Article& a, const std::string& source) {
        return create(r, actor, CreateArticle{a}, source);
      },
      "actor"_a, "article"_a, py::kw_only(), "source"_a = "api",
      "Adds an article to the catalogue and returns its id (administrators only).");
  reg.def(
      "update_article",
      [](Register& r, std::uint64_t actor, const Article& a, const std::string& source) {
        change(r, actor, UpdateArticle{a}, source);
      },
      "actor"_a, "article"_a, py::kw_only(), "source"_a = "api",
      "Replaces an article of the catalogue (administrators only, revision-checked).");
  reg.def(
      "delete_article",
      [](Register& r, std::uint64_t actor, std::uint64_t id, const std::string& source) {
        change(r, actor, DeleteArticle{ArticleId{id}}, source);
      },
      "actor"_a, "article_id"_a, py::kw_only(), "source"_a = "api",
      "Removes an article from the catalogue (administrators only); lines naming it stay.");
  reg.def(
      "save_order_filter",
      [](Register& r, std::uint64_t actor, const std::string& name, py::handle query, const std::string& source) {
        change(r, actor, SaveOrderFilter{OrderFilter{UserId{}, name, from_py<OrderQuery>(query, "query")}}, source);
      },
      "actor"_a, "name"_a, "query"_a, py::kw_only(), "source"_a = "api",
      "Saves `query` as the actor's own favourite filter `name`, replacing one of that name.");
  reg.def(
      "delete_order_filter",
      [](Register& r, std::uint64_t actor, const std::string& name, const std::string& source) {
        change(r, actor, DeleteOrderFilter{name}, source);
      },
      "actor"_a, "name"_a, py::kw_only(), "source"_a = "api", "Removes the actor's favourite filter `name`.");

  reg.def(
      "order",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        return released([&] { return r.order(UserId{actor}, OrderId{id}); });
      },
      "actor"_a, "order_id"_a, "The order with this id; raises NotFound.");
  reg.def(
      "find_order",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        return to_optional(released([&] { return r.find_order(UserId{actor}, OrderId{id}); }));
      },
      "actor"_a, "order_id"_a, "The order with this id, or None.");
  reg.def(
      "find_order_by_number",
      [](const Register& r, std::uint64_t actor, const std::string& kind, std::uint64_t number) {
        OrderKind k = enum_arg<OrderKind>(kind, "kind");
        return to_optional(released([&] { return r.find_order_by_number(UserId{actor}, k, number); }));
      },
      "actor"_a, "kind"_a, "number"_a, "The order of this kind with this running number, or None.");
  reg.def(
      "search_orders",
      [](const Register& r, std::uint64_t actor, py::handle query, py::handle kind,
         std::optional<std::uint64_t> customer, py::handle status,
         std::optional<bool> assigned_to_me, std::optional<std::uint64_t> assigned_to, py::handle planned_from,
         py::handle planned_to, std::optional<bool> closed, py::handle custom, std::optional<std::string> sort,
         std::optional<std::string> custom_sort, std::optional<bool> descending, std::optional<std::size_t> offset,
         std::optional<std::size_t> limit) {
        OrderQuery q = order_query(query, kind, customer, status, assigned_to_me, assigned_to, planned_from,
                                   planned_to, closed, custom, sort, custom_sort, descending, offset, limit);
        return to_page(released([&] { return r.search_orders(UserId{actor}, q); }), q.offset);
      },
      "actor"_a, "query"_a = py::none(), py::kw_only(), "kind"_a = py::none(), "customer"_a = py::none(),
      "status"_a = py::none(), "assigned_to_me"_a = py::none(), "assigned_to"_a = py::none(),
      "planned_from"_a = py::none(), "planned_to"_a = py::none(), "closed"_a = py::none(), "custom"_a = py::none(),
      "sort"_a = py::none(), "custom_sort"_a = py::none(), "descending"_a = py::none(), "offset"_a = py::none(),
      "limit"_a = py::none(),
      "The orders the actor sees that `query` (an OrderQuery, e.g. a favourite's; default "
      "OrderQuery()) keeps, with each keyword that is not None put in its place: filters by "
      "kind, customer, status, assigned to the actor or to a user, planned in "
      "[planned_from, planned_to), open (closed=False) or closed, and by custom fields "
      "(`custom`, as for search_customers). Sorted by `sort`, or by the custom field "
      "`custom_sort` (ties by id; closed orders always last) and cut to [offset, offset + limit): "
      "the first 10 unless `limit` says otherwise.");
  reg.def(
      "todo",
      [](const Register& r, std::uint64_t actor) { return to_list(released([&] { return r.todo(UserId{actor}); })); },
      "actor"_a,
      "The actor's to-do list: his open contact orders and his bookings not yet done, by date "
      "(undated last).");
  reg.def(
      "due_reminders",
      [](const Register& r, std::uint64_t actor, py::handle now) {
        Timestamp t = py_to_timestamp(now, "now");
        return to_list(released([&] { return r.due_reminders(UserId{actor}, t); }));
      },
      "actor"_a, "now"_a,
      "The bookings and the reminders on customers due at `now` (their time has come, not done), "
      "oldest first: the actor's own, or everyone's for an administrator. A reminder on a "
      "customer has `order` 0 and the reminder in `activity`.");
  reg.def(
      "recipients",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        return released([&] { return r.recipients(UserId{actor}, OrderId{id}); });
      },
      "actor"_a, "order_id"_a,
      "Who a work order, or a service order's protocol, is sent to: the customer's contact "
      "persons flagged for it; those without an e-mail address in `without_email`. Other kinds "
      "raise ValidationError (field 'kind').");
  reg.def(
      "articles",
      [](const Register& r, std::uint64_t actor) {
        return to_list(released([&] { return r.articles(UserId{actor}); }));
      },
      "actor"_a, "The article catalogue, by number (staff only).");
  reg.def(
      "find_article_by_number",
      [](const Register& r, std::uint64_t actor, const std::string& number) {
        return to_optional(released([&] { return r.find_article_by_number(UserId{actor}, number); }));
      },
      "actor"_a, "number"_a, "The article with this number (ignoring case), or None.");
  reg.def(
      "order_filters",
      [](const Register& r, std::uint64_t actor) {
        return to_list(released([&] { return r.order_filters(UserId{actor}); }));
      },
      "actor"_a, "The actor's own favourite filters, by name.");

  // ---- the CRM (docs/crm.md) ----
  reg.def(
      "create_activity",
      [](Register& r, std::uint64_t actor, const Activity& a, const std::string& source) {
        return create(r, actor, CreateActivity{a}, source);
      },
      "actor"_a, "activity"_a, py::kw_only(), "source"_a = "api",
      "Creates a note, meeting, task, e-mail, journal entry, file or reminder (`activity.kind`) on "
      "`activity.customer` or `activity.contact` (exactly one) and returns its id. The register "
      "sets id, created_by, created_at, revision, a note's and journal entry's author and time, a "
      "file's uploader; a task without a status gets the settings' first task status; a meeting, "
      "task or reminder without an owner is the actor's. A field the kind does not use must be "
      "left empty. Needs the right to edit the record (a file: the upload right). The add_* "
      "methods make each kind.");
  reg.def(
      "update_activity",
      [](Register& r, std::uint64_t actor, const Activity& a, const std::string& source) {
        change(r, actor, UpdateActivity{a}, source);
      },
      "actor"_a, "activity"_a, py::kw_only(), "source"_a = "api",
      "Replaces the editable fields of activity `activity.id`; `activity.revision` must be the "
      "current one (else Conflict). Kind, record, author and created_* never change; a note or "
      "journal entry is changed by its author or an administrator only; a file not at all.");
  reg.def(
      "delete_activity",
      [](Register& r, std::uint64_t actor, std::uint64_t id, const std::string& source) {
        change(r, actor, DeleteActivity{ActivityId{id}}, source);
      },
      "actor"_a, "activity_id"_a, py::kw_only(), "source"_a = "api",
      "Removes an activity; its history stays. A note or journal entry: its author or an "
      "administrator; a file: the delete-files right; the rest: the right to edit the record.");
  reg.def(
      "reassign_activities",
      [](Register& r, std::uint64_t actor, const std::vector<std::uint64_t>& ids, std::uint64_t owner,
         const std::string& source) {
        ReassignActivities cmd{{}, UserId{owner}};
        for (auto id : ids) cmd.activities.push_back(ActivityId{id});
        change(r, actor, std::move(cmd), source);
      },
      "actor"_a, "activity_ids"_a, "owner"_a, py::kw_only(), "source"_a = "api",
      "Makes `owner` (an active staff user) the owner of every meeting and task listed, all at "
      "once: one that cannot change (another kind, no right) refuses them all.");
  reg.def(
      "restrict_emails",
      [](Register& r, std::uint64_t actor, std::uint64_t contact, bool restricted, const std::string& source) {
        change(r, actor, RestrictEmails{ContactId{contact}, restricted}, source);
      },
      "actor"_a, "contact_id"_a, "restricted"_a = true, py::kw_only(), "source"_a = "api",
      "Restricts the e-mails of a contact to administrators (True), or gives the access back "
      "(False); administrators only. Contact.emails_restricted tells which.");
  reg.def(
      "link_employee",
      [](Register& r, std::uint64_t actor, std::uint64_t customer, std::uint64_t user, const std::string& source) {
        change(r, actor, LinkEmployee{CustomerId{customer}, UserId{user}}, source);
      },
      "actor"_a, "customer_id"_a, "user_id"_a, py::kw_only(), "source"_a = "api",
      "Ties staff user `user_id` to the customer (Customer.employees); Conflict if he is already "
      "tied. Needs the right to edit the customer.");
  reg.def(
      "unlink_employee",
      [](Register& r, std::uint64_t actor, std::uint64_t customer, std::uint64_t user, const std::string& source) {
        change(r, actor, UnlinkEmployee{CustomerId{customer}, UserId{user}}, source);
      },
      "actor"_a, "customer_id"_a, "user_id"_a, py::kw_only(), "source"_a = "api",
      "Unties a user linked with link_employee (NotFound if he is not).");

  // The add_* helpers: one kind each, made with create_activity.
  reg.def(
      "add_note",
      [](Register& r, std::uint64_t actor, std::optional<std::uint64_t> customer,
         std::optional<std::uint64_t> contact, const std::string& text, const std::string& source) {
        Activity a = activity_on(ActivityKind::note, customer, contact);
        a.text = text;
        return add_activity(r, actor, std::move(a), source);
      },
      "actor"_a, py::kw_only(), "customer"_a = py::none(), "contact"_a = py::none(), "text"_a, "source"_a = "api",
      "Writes a note on a customer or a contact (one of them) and returns its id; the actor is "
      "its author and now its time.");
  reg.def(
      "add_meeting",
      [](Register& r, std::uint64_t actor, std::optional<std::uint64_t> customer,
         std::optional<std::uint64_t> contact, py::handle start, const std::string& subject, py::handle end,
         const std::string& text, const std::vector<std::uint64_t>& participants, std::optional<std::uint64_t> owner,
         const std::string& source) {
        Activity a = activity_on(ActivityKind::meeting, customer, contact);
        a.at = py_to_timestamp(start, "start");
        a.end = optional_time(end, "end");
        a.subject = subject;
        a.text = text;
        for (auto u : participants) a.participants.push_back(UserId{u});
        if (owner) a.owner = UserId{*owner};
        return add_activity(r, actor, std::move(a), source, {{"at", "start"}});
      },
      "actor"_a, py::kw_only(), "customer"_a = py::none(), "contact"_a = py::none(), "start"_a, "subject"_a,
      "end"_a = py::none(), "text"_a = "", "participants"_a = std::vector<std::uint64_t>{}, "owner"_a = py::none(),
      "source"_a = "api",
      "Books a meeting with a customer or a contact (one of them) at `start` (until `end`, if "
      "given) and returns its id. `participants` are staff users; `owner` (default: the actor) "
      "is the meeting's.");
  reg.def(
      "add_task",
      [](Register& r, std::uint64_t actor, std::optional<std::uint64_t> customer,
         std::optional<std::uint64_t> contact, py::handle due, const std::string& subject, const std::string& text,
         const std::string& status, std::optional<std::uint64_t> owner, const std::string& source) {
        Activity a = activity_on(ActivityKind::task, customer, contact);
        a.at = py_to_timestamp(due, "due");
        a.subject = subject;
        a.text = text;
        a.status = status;
        if (owner) a.owner = UserId{*owner};
        return add_activity(r, actor, std::move(a), source, {{"at", "due"}});
      },
      "actor"_a, py::kw_only(), "customer"_a = py::none(), "contact"_a = py::none(), "due"_a, "subject"_a,
      "text"_a = "", "status"_a = "", "owner"_a = py::none(), "source"_a = "api",
      "Adds a task on a customer or a contact (one of them), due at `due`, and returns its id. "
      "`status` is one of the settings' task_statuses (default: the first); `owner` (default: "
      "the actor) is the task's.");
  reg.def(
      "add_email",
      [](Register& r, std::uint64_t actor, std::uint64_t contact, const std::string& sender, py::handle recipients,
         const std::string& subject, const std::string& body, py::handle at, const std::string& source) {
        Activity a = activity_on(ActivityKind::email, std::nullopt, contact);
        a.sender = sender;
        a.recipients = names_arg<std::string>(recipients, "recipients");
        a.subject = subject;
        a.text = body;
        if (auto t = optional_time(at, "at")) a.at = *t;
        return add_activity(r, actor, std::move(a), source, {{"text", "body"}});
      },
      "actor"_a, py::kw_only(), "contact"_a, "sender"_a, "recipients"_a, "subject"_a = "", "body"_a = "",
      "at"_a = py::none(), "source"_a = "api",
      "Files an e-mail sent to or received from a contact and returns its id: `sender` and "
      "`recipients` (one address or several) are e-mail addresses; `at` (default: now) when it "
      "was sent. Refused (PermissionDenied) on a contact whose e-mails are restricted, unless the "
      "actor is an administrator.");
  reg.def(
      "add_journal_entry",
      [](Register& r, std::uint64_t actor, std::uint64_t customer, const std::string& text, py::handle day,
         const std::string& source) {
        Activity a = activity_on(ActivityKind::journal, customer, std::nullopt);
        a.text = text;
        if (auto t = optional_time(day, "day")) a.at = *t;
        return add_activity(r, actor, std::move(a), source, {{"at", "day"}});
      },
      "actor"_a, py::kw_only(), "customer"_a, "text"_a, "day"_a = py::none(), "source"_a = "api",
      "Writes a dated entry in a customer's journal and returns its id; `day` defaults to now. "
      "Only its author or an administrator changes or deletes it.");
  reg.def(
      "add_file",
      [](Register& r, std::uint64_t actor, std::optional<std::uint64_t> customer,
         std::optional<std::uint64_t> contact, const FileInfo& file, const std::string& source) {
        Activity a = activity_on(ActivityKind::file, customer, contact);
        a.file = file;
        return add_activity(r, actor, std::move(a), source);
      },
      "actor"_a, py::kw_only(), "customer"_a = py::none(), "contact"_a = py::none(), "file"_a, "source"_a = "api",
      "Adds the metadata of a file uploaded to a customer or a contact (one of them; the upload "
      "right of its module) and returns the activity's id; the register sets the file's "
      "uploaded_by and uploaded_at.");
  reg.def(
      "add_reminder",
      [](Register& r, std::uint64_t actor, std::uint64_t customer, py::handle due, const std::string& subject,
         const std::string& text, std::optional<std::uint64_t> owner, const std::string& source) {
        Activity a = activity_on(ActivityKind::reminder, customer, std::nullopt);
        a.at = py_to_timestamp(due, "due");
        a.subject = subject;
        a.text = text;
        if (owner) a.owner = UserId{*owner};
        return add_activity(r, actor, std::move(a), source, {{"at", "due"}});
      },
      "actor"_a, py::kw_only(), "customer"_a, "due"_a, "subject"_a, "text"_a = "", "owner"_a = py::none(),
      "source"_a = "api",
      "Sets a reminder on a customer for `owner` (default: the actor), due at `due`, and returns "
      "its id: due_reminders() lists it from then on, and raise_reminders() notifies him once.");

  reg.def(
      "activity",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        return released([&] { return r.activity(UserId{actor}, ActivityId{id}); });
      },
      "actor"_a, "activity_id"_a, "The activity with this id; raises NotFound.");
  reg.def(
      "find_activity",
      [](const Register& r, std::uint64_t actor, std::uint64_t id) {
        return to_optional(released([&] { return r.find_activity(UserId{actor}, ActivityId{id}); }));
      },
      "actor"_a, "activity_id"_a, "The activity with this id, or None.");
  reg.def(
      "search_activities",
      [](const Register& r, std::uint64_t actor, py::handle kinds, std::optional<std::uint64_t> customer,
         std::optional<std::uint64_t> contact, bool company_notes, std::optional<std::uint64_t> owner,
         py::handle statuses, py::handle since, py::handle until, bool descending, std::size_t offset,
         std::size_t limit) {
        ActivityQuery q = activity_query(kinds, customer, contact, company_notes, owner, statuses, since, until,
                                         descending, offset, limit);
        return to_page(released([&] { return r.search_activities(UserId{actor}, q); }), offset);
      },
      "actor"_a, py::kw_only(), "kinds"_a = py::none(), "customer"_a = py::none(), "contact"_a = py::none(),
      "company_notes"_a = true, "owner"_a = py::none(), "statuses"_a = py::none(), "since"_a = py::none(),
      "until"_a = py::none(), "descending"_a = false, "offset"_a = 0, "limit"_a = 50,
      "The activities the actor sees, narrowed by each filter given: `kinds` (a kind or several), "
      "on `customer` or on `contact` (with the notes written on the customers he is a contact "
      "person of, unless not `company_notes`), of `owner`, tasks with any of `statuses`, at a time "
      "in [since, until) (datetimes, dates or ISO 8601 strings). Sorted by time (ties by id), "
      "oldest first unless `descending`, and cut to [offset, offset + limit).");
  reg.def(
      "linked_employees",
      [](const Register& r, std::uint64_t actor, std::uint64_t customer) {
        return to_list(released([&] { return r.linked_employees(UserId{actor}, CustomerId{customer}); }));
      },
      "actor"_a, "customer_id"_a,
      "The staff users tied to a customer, by id: linked directly (link_employee; `linked`) and "
      "those who worked on its orders the actor sees (assigned, or recording time; `orders` counts "
      "them).");

  // ---- custom fields (docs/custom-fields.md) ----
  reg.def(
      "define_field",
      [](Register& r, std::uint64_t actor, const FieldDefinition& d, const std::string& source) {
        change(r, actor, DefineField{d}, source);
      },
      "actor"_a, "definition"_a, py::kw_only(), "source"_a = "api",
      "Defines a custom field as `definition` (a FieldDefinition) says (administrators only).");
  reg.def(
      "define_field",
      [](Register& r, std::uint64_t actor, const std::string& kind, const std::string& key, const std::string& type,
         py::handle labels, bool required, py::handle default_value, py::handle choices, std::int32_t display_order,
         bool searchable, const std::string& source) {
        FieldDefinition d;
        d.kind = enum_arg<RecordKind>(kind, "kind");
        d.key = key;
        d.type = enum_arg<FieldType>(type, "type");
        d.labels = labels_arg(labels);
        d.required = required;
        d.default_value = py_to_value(default_value, "default");
        d.choices = choices_arg(choices);
        d.display_order = display_order;
        d.searchable = searchable;
        renamed({{"default_value", "default"}}, [&] { change(r, actor, DefineField{std::move(d)}, source); });
      },
      "actor"_a, "kind"_a, "key"_a, "type"_a, py::kw_only(), "labels"_a, "required"_a = false,
      "default"_a = py::none(), "choices"_a = py::tuple(), "display_order"_a = 0, "searchable"_a = false,
      "source"_a = "api",
      "Defines custom field `key` (a lowercase letter, then lowercase letters, digits or '_') of "
      "the records of `kind` ('customer', 'contact', 'facility', 'service_object', 'order') "
      "holding values of `type`; administrators only. `labels` names it per language "
      "({'sv': 'Anställda', 'en': 'Employees'} or FieldLabel objects; at least one). `default` "
      "is given to new records without a value; `choices` are those of a choice or multi_choice "
      "field; `searchable` text fields are found by search_customers' text. A key the kind "
      "already has is refused (Conflict).");
  reg.def(
      "update_field",
      [](Register& r, std::uint64_t actor, const FieldDefinition& d, const std::string& source) {
        change(r, actor, UpdateFieldDefinition{d}, source);
      },
      "actor"_a, "definition"_a, py::kw_only(), "source"_a = "api",
      "Replaces the labels, display order, required and searchable flags, default and choices of "
      "field `definition.key` of `definition.kind`; `definition.revision` must be the current one "
      "(else Conflict). The type changes only by change_field_type, retired by retire_field and "
      "restore_field; a choice a record still holds cannot be removed (Conflict). "
      "Administrators only.");
  reg.def(
      "retire_field",
      [](Register& r, std::uint64_t actor, const std::string& kind, const std::string& key,
         const std::string& source) {
        change(r, actor, RetireField{enum_arg<RecordKind>(kind, "kind"), key}, source);
      },
      "actor"_a, "kind"_a, "key"_a, py::kw_only(), "source"_a = "api",
      "Hides a custom field: field_definitions() leaves it out unless asked, and its values are "
      "kept but not changed (administrators only).");
  reg.def(
      "restore_field",
      [](Register& r, std::uint64_t actor, const std::string& kind, const std::string& key,
         const std::string& source) {
        change(r, actor, RestoreField{enum_arg<RecordKind>(kind, "kind"), key}, source);
      },
      "actor"_a, "kind"_a, "key"_a, py::kw_only(), "source"_a = "api",
      "Shows a retired custom field again, with its values (administrators only).");
  reg.def(
      "change_field_type",
      [](Register& r, std::uint64_t actor, const std::string& kind, const std::string& key, const std::string& type,
         py::handle choices, std::uint64_t revision, const std::string& source) {
        ChangeFieldType cmd;
        cmd.kind = enum_arg<RecordKind>(kind, "kind");
        cmd.key = key;
        cmd.type = enum_arg<FieldType>(type, "type");
        cmd.choices = choices_arg(choices);
        cmd.revision = revision;
        change(r, actor, std::move(cmd), source);
      },
      "actor"_a, "kind"_a, "key"_a, "type"_a, py::kw_only(), "choices"_a = py::tuple(), "revision"_a,
      "source"_a = "api",
      "Gives custom field `key` of `kind` the type `type` (and, for choice and multi_choice, the "
      "`choices`), converting every stored value; `revision` must be the definition's current "
      "one. When a value does not convert, nothing changes: Conflict names how many do not and "
      "the first (field_type_conversions lists them). Administrators only.");
  reg.def(
      "field_definitions",
      [](const Register& r, std::uint64_t actor, py::handle kind, bool include_retired) {
        std::optional<RecordKind> k;
        if (!kind.is_none()) k = from_py<RecordKind>(kind, "kind");
        return to_list(released([&] { return r.field_definitions(UserId{actor}, k, include_retired); }));
      },
      "actor"_a, "kind"_a = py::none(), py::kw_only(), "include_retired"_a = false,
      "The custom fields of `kind` (of every kind when None), by kind, display order and key; "
      "retired ones only when `include_retired`. Staff read them; a customer user gets none.");
  reg.def(
      "field_type_conversions",
      [](const Register& r, std::uint64_t actor, const std::string& kind, const std::string& key,
         const std::string& type, py::handle choices) {
        RecordKind k = enum_arg<RecordKind>(kind, "kind");
        FieldType t = enum_arg<FieldType>(type, "type");
        std::vector<std::string> c = choices_arg(choices);
        return to_list(released([&] { return r.field_type_conversions(UserId{actor}, k, key, t, c); }));
      },
      "actor"_a, "kind"_a, "key"_a, "type"_a, py::kw_only(), "choices"_a = py::tuple(),
      "The stored values of custom field `key` of `kind` that change_field_type() to `type` (with "
      "`choices`) could not convert, as FieldConversions (record id, value, reason) by record "
      "id; empty when the change would go through. Administrators only.");

  // ---- duplicates (docs/duplicates.md) ----
  reg.def(
      "find_duplicates",
      [](const Register& r, std::uint64_t actor, const std::string& kind, int min_score, std::size_t limit) {
        DuplicateQuery q{enum_arg<RecordKind>(kind, "kind"), min_score, limit};
        return to_list(released([&] { return r.find_duplicates(UserId{actor}, q); }));
      },
      "actor"_a, "kind"_a = "customer", py::kw_only(), "min_score"_a = 50, "limit"_a = 1000,
      "The pairs of customers (kind 'customer') or contacts ('contact') the actor sees that look "
      "like one record entered twice, as DuplicatePairs (first < second, score 1-100, reasons), "
      "the best first: those scoring at least `min_score`, at most `limit`. Deactivated records "
      "are included. Finding only warns: merge_customers / merge_contacts join a pair.");
  reg.def(
      "similar_customers",
      [](const Register& r, std::uint64_t actor, const Customer& candidate, int min_score) {
        return to_list(released([&] { return r.similar_customers(UserId{actor}, candidate, min_score); }));
      },
      "actor"_a, "customer"_a, py::kw_only(), "min_score"_a = 50,
      "The customers the actor sees that look like `customer`, a Customer not yet saved, as "
      "DuplicatePairs whose `first` is 0 (the unsaved one) and `second` the existing customer, "
      "the best first. Nothing is saved: ask before create_customer.");
  reg.def(
      "similar_contacts",
      [](const Register& r, std::uint64_t actor, const Contact& candidate, int min_score) {
        return to_list(released([&] { return r.similar_contacts(UserId{actor}, candidate, min_score); }));
      },
      "actor"_a, "contact"_a, py::kw_only(), "min_score"_a = 50,
      "The contacts the actor sees that look like `contact`, a Contact not yet saved; as "
      "similar_customers.");
  reg.def(
      "merge_customers",
      [](Register& r, std::uint64_t actor, std::uint64_t keep, std::uint64_t remove, py::handle take,
         const std::string& source) {
        MergeCustomers m{CustomerId{keep}, CustomerId{remove}, texts_arg(take, "take", "['email', 'custom.region']")};
        change(r, actor, std::move(m), source);
      },
      "actor"_a, "keep"_a, "remove"_a, py::kw_only(), "take"_a = py::tuple(), "source"_a = "api",
      "Joins customer `remove` into customer `keep`, all or nothing: every contact link, "
      "facility, order, activity, customer user and saved filter naming `remove` names `keep` "
      "instead; `keep` takes the custom values it lacks and the fields `take` names (such as "
      "'email', 'invoice_address' or 'custom.<key>'), every other field keeps its value. "
      "`remove` is deleted and its number finds `keep` from then on. Needs the rights to edit "
      "and to delete customers; `keep` must be active and both of one kind.");
  reg.def(
      "merge_contacts",
      [](Register& r, std::uint64_t actor, std::uint64_t keep, std::uint64_t remove, py::handle take,
         const std::string& source) {
        MergeContacts m{ContactId{keep}, ContactId{remove}, texts_arg(take, "take", "['email', 'custom.region']")};
        change(r, actor, std::move(m), source);
      },
      "actor"_a, "keep"_a, "remove"_a, py::kw_only(), "take"_a = py::tuple(), "source"_a = "api",
      "Joins contact `remove` into contact `keep` likewise: his customer links, orders, "
      "activities and customer users move to `keep`, which takes the custom values it lacks and "
      "the fields `take` names. Needs the rights to edit and to delete contacts.");

  // ---- facility search, CSV import and list export (docs/python.md) ----
  reg.def(
      "search_facilities",
      [](const Register& r, std::uint64_t actor, const std::string& text, std::optional<std::uint64_t> customer,
         std::optional<bool> active, py::handle custom, const std::string& sort,
         const std::optional<std::string>& custom_sort, bool descending, std::size_t offset, std::size_t limit) {
        FacilityQuery q = facility_query(text, customer, active, custom, sort, custom_sort, descending, offset, limit);
        return to_page(released([&] { return r.search_facilities(UserId{actor}, q); }), offset);
      },
      "actor"_a, "text"_a = "", py::kw_only(), "customer"_a = py::none(), "active"_a = py::none(),
      "custom"_a = py::none(), "sort"_a = "name", "custom_sort"_a = py::none(), "descending"_a = false,
      "offset"_a = 0, "limit"_a = 50,
      "Facilities whose name or number holds `text` (empty: every facility), narrowed to "
      "`customer`'s, to active (or inactive) ones and by `custom` (as for search_customers), "
      "sorted by `sort` ('name', 'number', 'city', 'customer', 'created_at'; ties by id) or by "
      "the custom field `custom_sort`, and cut to [offset, offset + limit).");
  reg.def(
      "import_csv",
      [](Register& r, std::uint64_t actor, py::handle data, const std::string& kind, bool dry_run,
         bool skip_bad_rows, bool upsert, py::handle mapping, py::handle delimiter, py::handle progress) {
        ImportOptions options;
        options.kind = enum_arg<ListKind>(kind, "kind");
        options.dry_run = dry_run;
        options.skip_bad_rows = skip_bad_rows;
        options.upsert = upsert;
        options.mapping = mapping_arg(mapping);
        options.delimiter = delimiter_arg(delimiter);
        ProgressBridge bridge(progress);
        options.progress = bridge.callback();
        InputBytes in = input_bytes(data);
        return bridge.run([&] { return r.import_csv(UserId{actor}, in.bytes, options); });
      },
      "actor"_a, "data"_a, py::kw_only(), "kind"_a = "customers", "dry_run"_a = false, "skip_bad_rows"_a = false,
      "upsert"_a = false, "mapping"_a = py::none(), "delimiter"_a = py::none(), "progress"_a = py::none(),
      "Imports the customers, contacts (with their links to customers) or facilities (`kind`) of a "
      "CSV file as one change, and returns an ImportReport. `data` is the file's bytes (UTF-8, "
      "with or without a byte order mark, or Windows-1252: the encoding is detected), a str, or "
      "an os.PathLike naming the file. Headers are recognised by name (Register.columns(kind)); "
      "`mapping` ({header: column}; a column of '' or None: not read) names others. `delimiter` "
      "None detects ',', ';' or a tab. One bad row and nothing is imported, unless "
      "`skip_bad_rows`; `dry_run` checks every row and changes nothing; `upsert` updates the "
      "records that exist (customers by number, facilities by customer and number). "
      "`progress(phase, done, total)` is called now and then ('reading', then 'rows'); returning "
      "False cancels, and an exception it raises cancels and is raised here. A refused file (its "
      "encoding, its CSV, a header twice, an unknown column) raises ValidationError; refused rows "
      "are in the report's problems.");
  reg.def(
      "export_customers",
      [](const Register& r, std::uint64_t actor, const std::string& text, const std::string& match,
         py::handle search_in, std::optional<bool> active, py::handle kind, py::handle category,
         std::optional<std::uint64_t> technician, bool unassigned_only, py::handle custom, const std::string& sort,
         const std::optional<std::string>& custom_sort, bool descending, std::size_t offset,
         std::optional<std::size_t> limit, py::handle columns, const std::string& format, py::handle progress) {
        CustomerQuery q = customer_query(text, match, search_in, active, kind, category, technician,
                                         unassigned_only, custom, sort, custom_sort, descending, offset,
                                         export_limit(limit));
        ProgressBridge bridge(progress);
        ExportOptions options = export_options(columns, format, bridge);
        return py::bytes(bridge.run([&] { return r.export_customers(UserId{actor}, q, options); }));
      },
      "actor"_a, "text"_a = "", py::kw_only(), "match"_a = "substring", "search_in"_a = py::none(),
      "active"_a = py::none(), "kind"_a = py::none(), "category"_a = py::none(), "technician"_a = py::none(),
      "unassigned_only"_a = false, "custom"_a = py::none(), "sort"_a = "name", "custom_sort"_a = py::none(),
      "descending"_a = false, "offset"_a = 0, "limit"_a = py::none(), "columns"_a = py::none(),
      "format"_a = "excel", "progress"_a = py::none(),
      "The customers search_customers() finds with the same keywords (but every one from "
      "`offset` on unless `limit` is given) as a file's bytes: `format` 'excel' (UTF-8 with a "
      "byte order mark, ';', CR LF, decimal commas), 'csv' (UTF-8, ',', CR LF) or 'json' (an "
      "array of objects); "
      "`columns` (default: the list's exported columns, Register.columns('customers'), then a "
      "column custom.<key> for each custom field in use; chosen columns may name them too). "
      "`progress(phase, done, total)` as for import_csv; a cancelled export raises Conflict.");
  reg.def(
      "export_contacts",
      [](const Register& r, std::uint64_t actor, const std::string& last_name, const std::string& match,
         std::optional<bool> active, py::handle category, std::optional<std::uint64_t> customer,
         py::handle custom, const std::string& sort, const std::optional<std::string>& custom_sort,
         bool descending, std::size_t offset, std::optional<std::size_t> limit, py::handle columns,
         const std::string& format, py::handle progress) {
        ContactQuery q = contact_query(last_name, match, active, category, customer, custom, sort, custom_sort,
                                       descending, offset, export_limit(limit));
        ProgressBridge bridge(progress);
        ExportOptions options = export_options(columns, format, bridge);
        return py::bytes(bridge.run([&] { return r.export_contacts(UserId{actor}, q, options); }));
      },
      "actor"_a, "last_name"_a = "", py::kw_only(), "match"_a = "substring", "active"_a = py::none(),
      "category"_a = py::none(), "customer"_a = py::none(), "custom"_a = py::none(), "sort"_a = "last_name",
      "custom_sort"_a = py::none(), "descending"_a = false, "offset"_a = 0, "limit"_a = py::none(),
      "columns"_a = py::none(), "format"_a = "excel", "progress"_a = py::none(),
      "The contacts search_contacts() finds with the same keywords (every one unless `limit` is "
      "given), as a file's bytes in `format` with `columns`; see export_customers.");
  reg.def(
      "export_facilities",
      [](const Register& r, std::uint64_t actor, const std::string& text, std::optional<std::uint64_t> customer,
         std::optional<bool> active, py::handle custom, const std::string& sort,
         const std::optional<std::string>& custom_sort, bool descending, std::size_t offset,
         std::optional<std::size_t> limit, py::handle columns, const std::string& format, py::handle progress) {
        FacilityQuery q = facility_query(text, customer, active, custom, sort, custom_sort, descending, offset,
                                         export_limit(limit));
        ProgressBridge bridge(progress);
        ExportOptions options = export_options(columns, format, bridge);
        return py::bytes(bridge.run([&] { return r.export_facilities(UserId{actor}, q, options); }));
      },
      "actor"_a, "text"_a = "", py::kw_only(), "customer"_a = py::none(), "active"_a = py::none(),
      "custom"_a = py::none(), "sort"_a = "name", "custom_sort"_a = py::none(), "descending"_a = false,
      "offset"_a = 0, "limit"_a = py::none(), "columns"_a = py::none(), "format"_a = "excel",
      "progress"_a = py::none(),
      "The facilities search_facilities() finds with the same keywords (every one unless `limit` "
      "is given), as a file's bytes in `format` with `columns`; see export_customers.");
  reg.def(
      "export_orders",
      [](const Register& r, std::uint64_t actor, py::handle query, py::handle kind,
         std::optional<std::uint64_t> customer, py::handle status, std::optional<bool> assigned_to_me,
         std::optional<std::uint64_t> assigned_to, py::handle planned_from, py::handle planned_to,
         std::optional<bool> closed, py::handle custom, std::optional<std::string> sort,
         std::optional<std::string> custom_sort, std::optional<bool> descending, std::optional<std::size_t> offset,
         std::optional<std::size_t> limit, py::handle columns, const std::string& format, py::handle progress) {
        OrderQuery q = order_query(query, kind, customer, status, assigned_to_me, assigned_to, planned_from,
                                   planned_to, closed, custom, sort, custom_sort, descending, offset, limit);
        if (!limit) q.limit = export_limit(limit);
        ProgressBridge bridge(progress);
        ExportOptions options = export_options(columns, format, bridge);
        return py::bytes(bridge.run([&] { return r.export_orders(UserId{actor}, q, options); }));
      },
      "actor"_a, "query"_a = py::none(), py::kw_only(), "kind"_a = py::none(), "customer"_a = py::none(),
      "status"_a = py::none(), "assigned_to_me"_a = py::none(), "assigned_to"_a = py::none(),
      "planned_from"_a = py::none(), "planned_to"_a = py::none(), "closed"_a = py::none(), "custom"_a = py::none(),
      "sort"_a = py::none(), "custom_sort"_a = py::none(), "descending"_a = py::none(), "offset"_a = py::none(),
      "limit"_a = py::none(), "columns"_a = py::none(), "format"_a = "excel", "progress"_a = py::none(),
      "The orders search_orders() finds with the same query and keywords, as a file's bytes in "
      "`format` with `columns`; see export_customers. Every order from the offset on unless "
      "`limit` is given (the query's own limit, a page size, is not used).");
  reg.def_static(
      "columns", [](const std::string& kind) { return to_list(Register::columns(enum_arg<ListKind>(kind, "kind"))); },
      "kind"_a,
      "The columns of a list ('customers', 'contacts', 'facilities', 'orders') in export order: "
      "each ColumnInfo's name, the headers an import recognises for it, whether it is importable "
      "and whether it is exported by default.");

  reg.def(
      "history",
      [](const Register& r, std::uint64_t actor, py::handle record, py::handle since, py::handle until) {
        TimeRange range = range_arg(since, until);
        if (record.is_none())
          return to_list(released([&] { return r.history(UserId{actor}, range); }));
        RecordRef ref = record_arg(record);
        return to_list(released([&] { return r.history(UserId{actor}, ref, range); }));
      },
      "actor"_a, "record"_a = py::none(), py::kw_only(), "since"_a = py::none(), "until"_a = py::none(),
      "History entries, oldest first: of `record` (a RecordRef or a (kind, id) pair such as "
      "('customer', 3)), or of every record when it is None; only those made in "
      "[since, until) when given (datetimes, dates or ISO 8601 strings).");
  reg.def(
      "counts", [](const Register& r) { return released([&] { return r.counts(); }); },
      "The number of records of each kind.");
  reg.def(
      "write_state",
      [](const Register& r) {
        std::string state = released([&] {
          std::ostringstream out;
          r.write_state(out);
          return std::move(out).str();
        });
        return py::bytes(state);
      },
      "A deterministic binary dump of the whole state: two registers with equal state give "
      "equal bytes.");
}

}  // namespace kartotek::python
