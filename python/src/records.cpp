// python/src/records.cpp: the record and command classes, bound generically
// from Describe<T>: a new field of a model type appears in Python (attribute,
// keyword argument, to_dict, repr, stub) with no change here.

#include <pybind11/pybind11.h>

#include <concepts>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "bindings.hpp"
#include "convert.hpp"

namespace kartotek::python {

namespace {

using namespace pybind11::literals;

// ---- what each class is called and how it introduces itself ---------------

// Literal type aliases of the stubs, one per named enum (python/kartotek/_literals.py).
template <class E> constexpr const char* literal_alias = nullptr;
template <> constexpr const char* literal_alias<CustomerKind> = "CustomerKind";
template <> constexpr const char* literal_alias<Source> = "Source";
template <> constexpr const char* literal_alias<Action> = "Action";
template <> constexpr const char* literal_alias<RecordKind> = "RecordKind";
template <> constexpr const char* literal_alias<TextMatch> = "TextMatch";
template <> constexpr const char* literal_alias<CustomerColumn> = "CustomerColumn";
template <> constexpr const char* literal_alias<ContactColumn> = "ContactColumn";
template <> constexpr const char* literal_alias<Durability> = "Durability";
template <> constexpr const char* literal_alias<Right> = "Right";
template <> constexpr const char* literal_alias<UserKind> = "UserKind";
template <> constexpr const char* literal_alias<NotificationKind> = "NotificationKind";
template <> constexpr const char* literal_alias<Channel> = "Channel";
template <> constexpr const char* literal_alias<OrderKind> = "OrderKind";
template <> constexpr const char* literal_alias<BookingKind> = "BookingKind";
template <> constexpr const char* literal_alias<OrderColumn> = "OrderColumn";
template <> constexpr const char* literal_alias<ListKind> = "ListKind";
template <> constexpr const char* literal_alias<ExportFormat> = "ExportFormat";
template <> constexpr const char* literal_alias<FacilityColumn> = "FacilityColumn";
template <> constexpr const char* literal_alias<ActivityKind> = "ActivityKind";
template <> constexpr const char* literal_alias<FieldType> = "FieldType";
template <> constexpr const char* literal_alias<CustomMatch> = "CustomMatch";
template <> constexpr const char* literal_alias<VCardVersion> = "VCardVersion";
template <> constexpr const char* literal_alias<QrErrorCorrection> = "QrErrorCorrection";

struct ClassInfo {
  const char* name;
  const char* module;  // the public module the class belongs to
  const char* doc;
  // Fields shown by repr() (empty: all); with `skip_empty`, fields holding ""
  // or None are left out.
  std::vector<std::string_view> summary;
  bool skip_empty = false;
};

template <class T> struct Info;

#define KARTOTEK_RECORD(T, DOC, ...) \
  template <> struct Info<T> {       \
    static ClassInfo get() { return {#T, "kartotek", DOC, __VA_ARGS__}; } \
  }
#define KARTOTEK_COMMAND(T, DOC)                                          \
  template <> struct Info<T> {                                            \
    static ClassInfo get() { return {#T, "kartotek.commands", DOC, {}}; } \
  }

KARTOTEK_RECORD(Address, "A postal address.",
                {"care_of", "street", "postal_code", "city", "country"}, true);
KARTOTEK_RECORD(GeoPosition, "A position in WGS 84 degrees.", {"latitude", "longitude"});
KARTOTEK_RECORD(ArticleLine,
                "An article line kept on a customer and copied onto each new service or work order.",
                {"article_number", "description", "quantity"});
KARTOTEK_RECORD(Customer, "A customer card: a company or a private person that is invoiced.",
                {"id", "number", "name"});
KARTOTEK_RECORD(Contact, "A contact person; ContactLink ties him to customers.",
                {"id", "first_name", "last_name"});
KARTOTEK_RECORD(ContactLink, "A contact person of a customer, with his role and mail flags.",
                {"contact", "customer", "role"});
KARTOTEK_RECORD(Facility, "A site of a customer.", {"id", "customer", "name"});
KARTOTEK_RECORD(ServiceObject, "Something serviced at a facility.", {"id", "facility", "identifier"});
KARTOTEK_RECORD(User, "A user on whose behalf commands and reads run: staff or a customer user.",
                {"id", "login", "name"});
KARTOTEK_RECORD(UserGroup, "A named set of rights; its users hold them all.", {"id", "name"});
KARTOTEK_RECORD(AssignableGroup, "A user group with its active staff users, for the assign menu.",
                {"group", "name"});
KARTOTEK_RECORD(Notification, "A message to a user, in the outbox until acknowledged.",
                {"id", "recipient", "kind", "text"});
KARTOTEK_RECORD(DiscountLetter, "A discount letter of the group.", {"letter", "percent"});
KARTOTEK_RECORD(OrderStatuses, "The statuses an order of one kind may have; the first is a new order's.",
                {"kind", "statuses"});
KARTOTEK_RECORD(Settings, "The register's settings (administrators change them).",
                {"locale", "number_min_length", "number_max_length", "auto_number", "number_prefix",
                 "number_padding", "next_number", "discount_letters"});
KARTOTEK_RECORD(RecordRef, "A reference to any record: its kind and id.", {"kind", "id"});
KARTOTEK_RECORD(HistoryEntry, "One entry of the change history.",
                {"sequence", "record", "action", "field"}, true);
KARTOTEK_RECORD(Article, "An article of the group's catalogue; its number is unique, ignoring case.",
                {"id", "number", "name"});
KARTOTEK_RECORD(OrderLine, "An article line of an order; a time article counts hours.",
                {"id", "article_number", "description", "quantity"});
KARTOTEK_RECORD(OrderNote, "An entry of an order's notes log; never changed once added.", {"at", "author", "text"});
KARTOTEK_RECORD(TimeEntry, "Time a user spent on an order.", {"user", "hours", "text"});
KARTOTEK_RECORD(Booking, "A next contact booked for a user at a time; a reminder is raised when it is due.",
                {"id", "kind", "when", "user", "done"});
KARTOTEK_RECORD(FileInfo, "The metadata of a file uploaded to an order; the host keeps the content.",
                {"id", "name", "size"});
KARTOTEK_RECORD(Order,
                "A work order, service order, error report, quotation, contact order or sales order "
                "of one customer.",
                {"id", "kind", "number", "subject"});
// Every field, but the filters not given (None) are left out.
KARTOTEK_RECORD(OrderQuery, "Which orders a list shows, how they are sorted, and which page.", {}, true);
KARTOTEK_RECORD(OrderFilter, "A query a user saved under a name: one of his favourites.", {"owner", "name", "query"});
KARTOTEK_RECORD(TodoItem, "An entry of a user's to-do list: an open contact order or a booking not yet done.",
                {"when", "order", "booking", "text"});
KARTOTEK_RECORD(Reminder,
                "Something due: a booking of an order (its time has come and it is not done), or a "
                "reminder on a customer (`activity`; then `order` is 0).",
                {"order", "booking", "activity"}, true);
KARTOTEK_RECORD(Activity,
                "A note, meeting, task, e-mail, journal entry, file or reminder on one customer or contact.",
                {"id", "kind", "customer", "contact", "subject"}, true);
// Every field, but the filters not given (None) are left out.
KARTOTEK_RECORD(ActivityQuery, "Which activities a list shows, in time order, and which page.", {}, true);
KARTOTEK_RECORD(FieldLabel, "What a custom field is called in one language.", {"language", "text"});
KARTOTEK_RECORD(FieldDefinition, "A custom field the group defines on one kind of record.",
                {"kind", "key", "type", "retired"});
KARTOTEK_RECORD(CustomFilter, "One condition on a custom field in a search.", {"key", "match", "value"});
KARTOTEK_RECORD(FieldConversion, "A stored value a change of a custom field's type cannot convert, and why.",
                {"kind", "record", "value", "reason"});
KARTOTEK_RECORD(LinkedEmployee,
                "A staff user tied to a customer: linked directly, or having worked on its orders.",
                {"user", "name", "linked", "orders"});
KARTOTEK_RECORD(Recipient, "A contact person a work order or service protocol goes to.", {"contact", "name", "email"});
KARTOTEK_RECORD(Recipients, "Who receives an order: `to`, and the flagged contacts without an e-mail address.",
                {"to", "without_email"});
KARTOTEK_RECORD(ColumnInfo,
                "A column of a list's import and export: `name` is what export writes and a mapping "
                "names, `headers` the other headers an import recognises for it.",
                {"name", "importable", "exported"});
KARTOTEK_RECORD(ColumnMapping, "A header of an imported file and the column it is read as ('': not read).",
                {"header", "column"});
KARTOTEK_RECORD(ImportProblem,
                "Why one row of an imported file cannot be imported: its row (the header is row 1), "
                "the file's header of the cell at fault ('' for the whole row), the cell's text and "
                "the reason.",
                {"row", "column", "value", "reason"});
KARTOTEK_RECORD(ImportReport,
                "What an import found and did: the file's encoding, delimiter and columns, the rows "
                "created, updated and skipped, and the problems found.",
                {"kind", "rows", "created", "updated", "skipped", "dry_run", "applied", "cancelled"});

KARTOTEK_COMMAND(CreateFirstAdministrator, "The register's first user, an administrator.");
KARTOTEK_COMMAND(CreateCustomer, "Creates a customer; apply() returns its id.");
KARTOTEK_COMMAND(UpdateCustomer, "Replaces the editable fields of a customer (revision-checked).");
KARTOTEK_COMMAND(DeactivateCustomer, "Deactivates a customer.");
KARTOTEK_COMMAND(ReactivateCustomer, "Reactivates a customer.");
KARTOTEK_COMMAND(DeleteCustomer, "Deletes a customer that has no contacts or facilities.");
KARTOTEK_COMMAND(AssignTechnician, "Makes a user responsible for a customer; None removes him.");
KARTOTEK_COMMAND(CreateContact, "Creates a contact person; apply() returns his id.");
KARTOTEK_COMMAND(UpdateContact, "Replaces a contact person (revision-checked).");
KARTOTEK_COMMAND(DeleteContact, "Deletes a contact person and his links to customers.");
KARTOTEK_COMMAND(LinkContact, "Makes a contact a contact person of a customer.");
KARTOTEK_COMMAND(UpdateContactLink, "Changes the role and flags of an existing link.");
KARTOTEK_COMMAND(UnlinkContact, "Removes a contact person from a customer.");
KARTOTEK_COMMAND(CreateFacility, "Creates a facility; apply() returns its id.");
KARTOTEK_COMMAND(UpdateFacility, "Replaces a facility (revision-checked).");
KARTOTEK_COMMAND(DeleteFacility, "Deletes a facility that has no service objects.");
KARTOTEK_COMMAND(CreateServiceObject, "Creates a service object; apply() returns its id.");
KARTOTEK_COMMAND(UpdateServiceObject, "Replaces a service object (revision-checked).");
KARTOTEK_COMMAND(DeleteServiceObject, "Deletes a service object.");
KARTOTEK_COMMAND(CreateUser, "Creates a user (administrators only); apply() returns his id.");
KARTOTEK_COMMAND(UpdateUser, "Replaces a user (administrators only, revision-checked).");
KARTOTEK_COMMAND(UpdateSettings, "Replaces the settings (administrators only).");
KARTOTEK_COMMAND(CreateUserGroup, "Creates a user group (administrators only); apply() returns its id.");
KARTOTEK_COMMAND(UpdateUserGroup, "Replaces a user group (administrators only, revision-checked).");
KARTOTEK_COMMAND(DeleteUserGroup, "Deletes a user group that holds no users (administrators only).");
KARTOTEK_COMMAND(AcknowledgeNotifications, "Removes delivered notifications from the outbox.");
KARTOTEK_COMMAND(CreateCustomerUser, "Creates a portal login for a contact person of a customer.");
KARTOTEK_COMMAND(SetCustomerUserLocked, "Locks a customer user out, or lets him in again.");
KARTOTEK_COMMAND(DeleteCustomerUser, "Removes a customer user; his history stays.");
KARTOTEK_COMMAND(CreateOrder, "Creates an order for an active customer; apply() returns its id.");
KARTOTEK_COMMAND(UpdateOrder, "Replaces the editable fields of an open order (revision-checked).");
KARTOTEK_COMMAND(AssignOrder, "Makes `users` exactly the users assigned to an order, notifying the changed.");
KARTOTEK_COMMAND(AddOrderNote, "Appends an entry to an order's notes log (closed orders too).");
KARTOTEK_COMMAND(AddTimeEntry, "Records hours the actor spent on an open order.");
KARTOTEK_COMMAND(AddOrderFile, "Adds the metadata of an uploaded file to an order.");
KARTOTEK_COMMAND(RemoveOrderFile, "Removes a file from an order.");
KARTOTEK_COMMAND(CloseOrder, "Archives an order: it stays listed, after the open ones.");
KARTOTEK_COMMAND(ReopenOrder, "Opens a closed order again.");
KARTOTEK_COMMAND(DeleteOrder, "Deletes an order; a contact order that became a sales order, and that one, stay.");
KARTOTEK_COMMAND(ConvertToSalesOrder,
                 "Turns a contact order into a linked sales order and closes it; apply() returns the "
                 "sales order's id.");
KARTOTEK_COMMAND(RaiseReminders, "Notifies the users of due bookings not yet reminded, once each.");
KARTOTEK_COMMAND(CreateArticle, "Adds an article to the catalogue (administrators only); apply() returns its id.");
KARTOTEK_COMMAND(UpdateArticle, "Replaces an article of the catalogue (administrators only, revision-checked).");
KARTOTEK_COMMAND(DeleteArticle, "Removes an article from the catalogue (administrators only).");
KARTOTEK_COMMAND(SaveOrderFilter, "Saves the actor's favourite filter, replacing one of the same name.");
KARTOTEK_COMMAND(DeleteOrderFilter, "Removes one of the actor's favourite filters.");
KARTOTEK_COMMAND(ImportRecords, "The rows of an imported CSV file under their columns (made by Register.import_csv).");
KARTOTEK_COMMAND(CreateActivity,
                 "Adds a note, meeting, task, e-mail, journal entry, file or reminder to a customer or "
                 "contact; apply() returns its id.");
KARTOTEK_COMMAND(UpdateActivity, "Replaces the editable fields of an activity (revision-checked).");
KARTOTEK_COMMAND(DeleteActivity, "Removes an activity; its history stays.");
KARTOTEK_COMMAND(ReassignActivities, "Makes one user the owner of several meetings or tasks at once.");
KARTOTEK_COMMAND(RestrictEmails,
                 "Restricts a contact's e-mails to administrators, or gives the access back (administrators only).");
KARTOTEK_COMMAND(LinkEmployee, "Links a staff user to a customer directly.");
KARTOTEK_COMMAND(UnlinkEmployee, "Removes a staff user's direct link to a customer.");
KARTOTEK_COMMAND(DefineField, "Defines a custom field of one kind of record (administrators only).");
KARTOTEK_COMMAND(UpdateFieldDefinition,
                 "Relabels, reorders or adds choices to a custom field (administrators only, revision-checked).");
KARTOTEK_COMMAND(RetireField, "Hides a custom field, keeping every stored value (administrators only).");
KARTOTEK_COMMAND(RestoreField, "Shows a retired custom field again, with its values (administrators only).");
KARTOTEK_COMMAND(ChangeFieldType,
                 "Gives a custom field another type, converting every stored value, or refuses (administrators only).");

#undef KARTOTEK_RECORD
#undef KARTOTEK_COMMAND

// Methods of a class beside those every class gets, with their lines in the
// stub (python/tools/generate_stubs.py writes them into the generated part).
template <class T> struct Methods {
  static void define(py::class_<T>&) {}
  static std::vector<std::string> stubs() { return {}; }
};

template <> struct Methods<Order> {
  static void define(py::class_<Order>& cls) {
    cls.def("hours_spent", &Order::hours_spent, "The sum of the time entries' hours.");
  }
  static std::vector<std::string> stubs() { return {"def hours_spent(self) -> float: ..."}; }
};

// Every record class, nested ones first.
using Records = std::tuple<Address, GeoPosition, ArticleLine, Customer, Contact, ContactLink,
                           Facility, ServiceObject, User, UserGroup, DiscountLetter, OrderStatuses, Settings,
                           RecordRef, HistoryEntry, Notification, AssignableGroup, Article, OrderLine,
                           OrderNote, TimeEntry, Booking, FileInfo, Order, OrderQuery, OrderFilter, TodoItem,
                           Activity, Reminder, Recipient, Recipients, ColumnInfo, ColumnMapping, ImportProblem,
                           ImportReport, ActivityQuery, LinkedEmployee, FieldLabel, FieldDefinition, CustomFilter,
                           FieldConversion>;

template <class Tuple, class F, std::size_t... I>
void for_each_type(F&& f, std::index_sequence<I...>) {
  (f(static_cast<std::tuple_element_t<I, Tuple>*>(nullptr)), ...);
}
template <class Tuple, class F>
void for_each_type(F&& f) {
  for_each_type<Tuple>(std::forward<F>(f), std::make_index_sequence<std::tuple_size_v<Tuple>>{});
}
template <class F, std::size_t... I>
void for_each_command(F&& f, std::index_sequence<I...>) {
  (f(static_cast<std::variant_alternative_t<I, Command>*>(nullptr)), ...);
}
template <class F>
void for_each_command(F&& f) {
  for_each_command(std::forward<F>(f), std::make_index_sequence<std::variant_size_v<Command>>{});
}

// ---- stub types --------------------------------------------------------------

// The annotation of a field of C++ type T in python/kartotek/_kartotek.pyi.
template <class T>
std::string stub_type() {
  if constexpr (std::is_same_v<T, Value>) {
    return "Any";
  } else if constexpr (std::is_same_v<T, bool>) {
    return "bool";
  } else if constexpr (std::is_integral_v<T>) {
    return "int";
  } else if constexpr (std::is_floating_point_v<T>) {
    return "float";
  } else if constexpr (std::is_same_v<T, std::string>) {
    return "str";
  } else if constexpr (std::is_same_v<T, Timestamp>) {
    return "datetime";
  } else if constexpr (is_id<T>::value) {
    return "int";
  } else if constexpr (NamedEnum<T>) {
    static_assert(literal_alias<T> != nullptr, "name the Literal alias of this enum");
    return literal_alias<T>;
  } else if constexpr (is_optional<T>::value) {
    std::string inner = stub_type<typename T::value_type>();
    return inner.ends_with("| None") ? inner : inner + " | None";
  } else if constexpr (is_vector<T>::value) {
    return "list[" + stub_type<typename T::value_type>() + "]";
  } else if constexpr (ValueForm<T>) {
    return "dict[str, Any]";  // CustomFields: {key: value}
  } else if constexpr (Described<T>) {
    return Info<T>::get().name;
  } else {
    static_assert(sizeof(T) == 0, "no stub type for this field type");
  }
}

template <class T, class F>
using member_t = std::remove_cvref_t<decltype(std::declval<T&>().*(std::declval<F>().member))>;

// ---- the generic class ---------------------------------------------------------

template <class T>
py::class_<T> class_of() {
  return py::reinterpret_borrow<py::class_<T>>(py::type::of<T>());
}

template <class T>
void declare(py::module_& m) {
  ClassInfo info = Info<T>::get();
  py::class_<T> cls(m, info.name, info.doc, py::is_final());
  cls.attr("__module__") = info.module;
  register_value_form(reinterpret_cast<PyTypeObject*>(cls.ptr()),
                      [](py::handle h) { return to_value(h.cast<const T&>()); });
}

// Sets field `key` of `x` from a Python value; false when T has no such field.
template <class T>
bool set_field(T& x, std::string_view key, py::handle value) {
  bool known = false;
  for_each_field<T>([&](const auto& fld) {
    if (known || fld.name != key) return;
    known = true;
    using M = member_t<T, decltype(fld)>;
    x.*(fld.member) = from_py<M>(value, std::string(fld.name));
  });
  return known;
}

template <class T>
T from_dict(py::handle d) {
  T x{};
  from_value(py_to_value(d, ""), x, "");
  return x;
}

template <class T>
py::str repr(const T& x) {
  ClassInfo info = Info<T>::get();
  std::string out = std::string(info.name) + "(";
  bool first = true;
  if (info.summary.empty())  // commands: every field
    for_each_field<T>([&](const auto& fld) { info.summary.push_back(fld.name); });
  for (std::string_view wanted : info.summary) {
    for_each_field<T>([&](const auto& fld) {
      if (fld.name != wanted) return;
      py::object v = to_py(x.*(fld.member));
      if (info.skip_empty && (v.is_none() || (py::isinstance<py::str>(v) && py::len(v) == 0))) return;
      out += (first ? "" : ", ") + std::string(fld.name) + "=" + std::string(py::repr(v));
      first = false;
    });
  }
  return py::str(out + ")");
}

template <class T>
bool equal(const T& a, const T& b) {
  if constexpr (std::equality_comparable<T>) return a == b;
  else return to_value(a) == to_value(b);
}

template <class T>
void define(py::module_&) {
  py::class_<T> cls = class_of<T>();
  const std::string name = Info<T>::get().name;
  py::list names;

  for_each_field<T>([&](const auto& fld) {
    using M = member_t<T, decltype(fld)>;
    auto member = fld.member;
    // Describe's names are string literals, so data() is NUL-terminated and lives forever.
    const char* field = fld.name.data();
    names.append(py::str(field));
    auto set = [member, field](T& x, py::handle value) { x.*member = from_py<M>(value, field); };
    if constexpr (Described<M>) {
      // A nested record that is always present is a view into this one, so
      // `customer.invoice_address.city = "Umeå"` changes the customer.
      cls.def_property(
          field,
          [member](py::object self) {
            T& x = self.cast<T&>();
            return py::cast(&(x.*member), py::return_value_policy::reference_internal, self);
          },
          set);
    } else {
      // Everything else (optional records, lists, text, numbers) is a copy.
      cls.def_property(field, [member](const T& x) { return to_py(x.*member); }, set);
    }
  });
  cls.attr("_fields") = py::tuple(names);

  cls.def(py::init([name](const py::kwargs& kwargs) {
            T x{};
            for (auto item : kwargs) {
              std::string key = py::str(item.first);
              if (!set_field(x, key, item.second))
                throw py::type_error(name + "() got an unexpected keyword argument '" + key + "'");
            }
            return x;
          }),
          ("A " + name + " with the given fields; the others keep their defaults.").c_str());
  cls.def(
      "to_dict", [](const T& x) { return value_to_py(to_value(x), Form::json); },
      "The record's JSON form as a dict: what json.loads(to_json()) gives.");
  cls.def(
      "to_json", [](const T& x) { return to_json(to_value(x)); }, "The record's compact JSON text.");
  cls.def_static("from_dict", &from_dict<T>, "data"_a,
                 "A record from its JSON form (a mapping); missing fields keep their defaults, "
                 "unknown fields raise ValidationError.");
  cls.def_static(
      "from_json",
      [](const std::string& text) {
        T x{};
        from_value(parse_json(text), x, "");
        return x;
      },
      "text"_a, "A record from JSON text.");
  cls.def(
      "__eq__",
      [](const T& a, py::handle b) -> py::object {
        if (!py::isinstance<T>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        return py::bool_(equal(a, b.cast<const T&>()));
      },
      py::is_operator());
  cls.attr("__hash__") = py::none();  // mutable: not hashable
  cls.def("__repr__", &repr<T>);
  cls.def("__copy__", [](const T& x) { return T(x); });
  cls.def("__deepcopy__", [](const T& x, py::handle) { return T(x); }, "memo"_a);
  cls.def(py::pickle([](const T& x) { return value_to_py(to_value(x), Form::json); },
                     [](py::handle state) { return from_dict<T>(state); }));
  Methods<T>::define(cls);
}

// Stub information of one class: name, module, doc, (field, annotation) pairs
// and the stub lines of its Methods.
template <class T>
py::dict stub_info() {
  ClassInfo info = Info<T>::get();
  py::list fields;
  for_each_field<T>([&](const auto& fld) {
    using M = member_t<T, decltype(fld)>;
    fields.append(py::make_tuple(std::string(fld.name), stub_type<M>()));
  });
  py::dict d;
  d["name"] = info.name;
  d["module"] = info.module;
  d["doc"] = info.doc;
  d["fields"] = fields;
  py::list methods;
  for (const auto& line : Methods<T>::stubs()) methods.append(line);
  d["methods"] = methods;
  return d;
}

template <class E>
void add_enum_names(py::dict& out) {
  py::list names;
  for (const auto& [value, n] : EnumNames<E>::names) names.append(std::string(n));
  out[literal_alias<E>] = py::tuple(names);
}

}  // namespace

void declare_records(py::module_& m) {
  for_each_type<Records>([&](auto* tag) { declare<std::remove_pointer_t<decltype(tag)>>(m); });
  for_each_command([&](auto* tag) { declare<std::remove_pointer_t<decltype(tag)>>(m); });
}

void define_records(py::module_& m) {
  for_each_type<Records>([&](auto* tag) { define<std::remove_pointer_t<decltype(tag)>>(m); });
  for_each_command([&](auto* tag) { define<std::remove_pointer_t<decltype(tag)>>(m); });

  // For python/tools/generate_stubs.py and the tests that keep the stubs and
  // the Literal aliases in step with the C++ types.
  m.def(
      "_stub_info",
      [] {
        py::list out;
        for_each_type<Records>([&](auto* tag) { out.append(stub_info<std::remove_pointer_t<decltype(tag)>>()); });
        for_each_command([&](auto* tag) { out.append(stub_info<std::remove_pointer_t<decltype(tag)>>()); });
        return out;
      },
      "Internal: the classes bound from Describe<T>, with their fields' annotations.");
  m.def(
      "_enum_names",
      [] {
        py::dict out;
        add_enum_names<CustomerKind>(out);
        add_enum_names<Source>(out);
        add_enum_names<Action>(out);
        add_enum_names<RecordKind>(out);
        add_enum_names<TextMatch>(out);
        add_enum_names<CustomerColumn>(out);
        add_enum_names<ContactColumn>(out);
        add_enum_names<Durability>(out);
        add_enum_names<Right>(out);
        add_enum_names<UserKind>(out);
        add_enum_names<NotificationKind>(out);
        add_enum_names<Channel>(out);
        add_enum_names<OrderKind>(out);
        add_enum_names<BookingKind>(out);
        add_enum_names<OrderColumn>(out);
        add_enum_names<ListKind>(out);
        add_enum_names<ExportFormat>(out);
        add_enum_names<FacilityColumn>(out);
        add_enum_names<ActivityKind>(out);
        add_enum_names<FieldType>(out);
        add_enum_names<CustomMatch>(out);
        add_enum_names<VCardVersion>(out);
        add_enum_names<QrErrorCorrection>(out);
        return out;
      },
      "Internal: the names of each enum, as the Literal aliases spell them.");
}

}  // namespace kartotek::python
