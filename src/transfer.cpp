// src/transfer.cpp: CSV import of customers, contacts and facilities, and the
// export of lists (docs/import-export.md).
//
// An import is one command, ImportRecords: the file's rows as text cells
// under the columns they were read as. Register::import_csv reads the file,
// then applies the rows one by one inside one transaction, each row behind a
// savepoint, so that a bad row is undone and reported while the others stay;
// at the end the transaction is kept (and journaled with the good rows only)
// or undone whole (dry run, a bad row without skip_bad_rows, cancel).

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <unordered_map>

#include "applier.hpp"
#include "csv.hpp"

namespace kartotek {

using namespace internal;

namespace detail {

namespace {

// ---- cells ------------------------------------------------------------------

// Header and alias matching: case folded, without spaces, dots, hyphens,
// underscores and slashes ("E-post" = "epost", "Org.nr" = "orgnr").
std::string header_key(std::string_view header) {
  std::string folded = case_fold(trim(header));
  std::string out;
  out.reserve(folded.size());
  for (char ch : folded)
    if (ch != ' ' && ch != '.' && ch != '-' && ch != '_' && ch != '/' && ch != '\t') out += ch;
  return out;
}

bool parse_bool(const std::string& column, const std::string& cell) {
  static const std::set<std::string> yes{"1", "x", "yes", "y", "true", "ja", "j", "sant", "kyllä"};
  static const std::set<std::string> no{"0", "no", "n", "false", "nej", "nei", "falskt", "ei"};
  std::string k = case_fold(cell);
  if (yes.count(k)) return true;
  if (no.count(k)) return false;
  throw ValidationError(column, "'" + cell + "' is neither yes nor no");
}

CustomerKind parse_kind(const std::string& cell) {
  static const std::set<std::string> company{"company", "företag", "foretag", "firma", "bolag", "virksomhed",
                                             "bedrift", "business", "organisation", "organization"};
  static const std::set<std::string> private_person{"private", "privat", "privatperson", "privatkund",
                                                    "privatkunde", "person", "privateperson", "consumer"};
  std::string k = header_key(cell);
  if (company.count(k)) return CustomerKind::company;
  if (private_person.count(k)) return CustomerKind::private_person;
  throw ValidationError("kind", "'" + cell + "' is neither a company nor private");
}

// Parts of a cell holding several values ("K1|K2"), trimmed, empty ones left out.
std::vector<std::string> split_list(const std::string& cell) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= cell.size()) {
    std::size_t bar = cell.find('|', start);
    if (bar == std::string::npos) bar = cell.size();
    std::string part(trim(std::string_view(cell).substr(start, bar - start)));
    if (!part.empty()) out.push_back(std::move(part));
    start = bar + 1;
  }
  return out;
}

std::string join_list(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '|';
    out += p;
  }
  return out;
}

std::string reason_of(const ValidationError& e) {
  std::string_view what = e.what();
  if (!e.field().empty() && what.substr(0, e.field().size() + 2) == e.field() + ": ")
    what.remove_prefix(e.field().size() + 2);
  return std::string(what);
}

}  // namespace

// ---- columns ------------------------------------------------------------------

// ExportContext: what an export looks up besides the record, within the
// actor's sight.
struct ExportContext {
  const Register::Impl& r;
  const Access& access;
  bool decimal_comma = false;

  std::string customer_number(CustomerId id) const {
    auto it = r.customers.find(id.value);
    return it != r.customers.end() && access.sees(it->record) ? it->record.number : std::string();
  }
  std::string customer_name(CustomerId id) const {
    auto it = r.customers.find(id.value);
    return it != r.customers.end() && access.sees(it->record) ? it->record.name : std::string();
  }
  // Staff see every user; a customer user only himself (as in Register::users).
  std::string login(std::optional<UserId> id) const {
    if (!id) return {};
    if (access.customer_user() && *id != access.user().id) return {};
    auto it = r.users.find(id->value);
    return it != r.users.end() ? it->record.login : std::string();
  }
  std::string facility_name(std::optional<FacilityId> id) const {
    if (!id) return {};
    auto it = r.facilities.find(id->value);
    return it != r.facilities.end() && access.sees(it->record) ? it->record.name : std::string();
  }
  // The contact's links to customers the actor sees, by customer number.
  std::vector<ContactLink> links(ContactId id) const {
    std::vector<ContactLink> out;
    auto& by_c = r.links.get<by_contact>();
    for (auto it = by_c.lower_bound(std::make_tuple(id.value)); it != by_c.end() && it->contact() == id.value; ++it)
      if (access.sees_link(it->link)) out.push_back(it->link);
    std::sort(out.begin(), out.end(), [&](const ContactLink& a, const ContactLink& b) {
      return r.customers.find(a.customer.value)->number_order < r.customers.find(b.customer.value)->number_order;
    });
    return out;
  }
};

// Column<T>: one column of a list: how an export reads it (`get`) and how an
// import writes a cell into a record (`set`; empty for columns the import
// handles itself, such as a technician's login, and for export-only ones).
template <class T>
struct Column {
  ColumnInfo info;
  std::function<Value(const T&, const ExportContext&)> get;
  std::function<void(T&, const std::string&)> set;
  bool special = false;  // imported by the row handler itself
};

namespace {

template <class T>
ColumnInfo info(std::string name, std::vector<std::string> headers, std::string description, bool importable = true,
                bool exported = true) {
  return ColumnInfo{std::move(name), std::move(headers), importable, exported, std::move(description)};
}

template <class T>
Column<T> text_column(std::string name, std::vector<std::string> headers, std::string T::*member,
                      std::string description, bool exported = true) {
  return {info<T>(std::move(name), std::move(headers), std::move(description), true, exported),
          [member](const T& t, const ExportContext&) { return Value(t.*member); },
          [member](T& t, const std::string& cell) { t.*member = cell; }};
}

template <class T>
Column<T> bool_column(std::string name, std::vector<std::string> headers, bool T::*member, std::string description) {
  std::string n = name;
  return {info<T>(std::move(name), std::move(headers), std::move(description)),
          [member](const T& t, const ExportContext&) { return Value(t.*member); },
          [member, n](T& t, const std::string& cell) {
            if (!cell.empty()) t.*member = parse_bool(n, cell);
          }};
}

template <class T, class Id>
Column<T> id_column(Id T::*member) {
  return {info<T>("id", {}, "the record's id in this register (not imported)", false, false),
          [member](const T& t, const ExportContext&) { return Value(static_cast<std::int64_t>((t.*member).value)); },
          {}};
}

template <class T>
Column<T> created_column() {
  return {info<T>("created_at", {}, "when the record was created (not imported)", false, false),
          [](const T& t, const ExportContext&) { return Value(format_timestamp(t.created_at)); },
          {}};
}

// The headers an address's parts go by (for the main address of a record).
std::vector<std::string> address_headers(const std::string& part) {
  if (part == "care_of") return {"c/o", "Care of"};
  if (part == "street")
    return {"Adress", "Adresse", "Address", "Gatuadress", "Gateadresse", "Gadeadresse", "Street",
            "Utdelningsadress", "Fakturaadress", "Fakturaadresse", "Invoice address"};
  if (part == "postal_code")
    return {"Postnummer", "Postnr", "Post code", "Postcode", "Postal code", "Zip", "Zip code", "Postinumero"};
  if (part == "city") return {"Ort", "Postort", "By", "Poststed", "City", "Town", "Postitoimipaikka"};
  if (part == "country") return {"Land", "Country", "Maa"};
  return {};
}

const std::pair<const char*, std::string Address::*> kAddressParts[] = {
    {"care_of", &Address::care_of},
    {"street", &Address::street},
    {"postal_code", &Address::postal_code},
    {"city", &Address::city},
    {"country", &Address::country},
};

template <class T>
void add_address(std::vector<Column<T>>& out, const std::string& prefix, Address T::*address, bool main,
                 const std::string& what) {
  for (const auto& entry : kAddressParts) {
    const std::string p = entry.first;
    std::string Address::*member = entry.second;
    std::vector<std::string> headers = main ? address_headers(p) : std::vector<std::string>{};
    bool exported = main && p != "care_of";
    out.push_back({info<T>(prefix + "." + p, std::move(headers), what + ": " + p, true, exported),
                   [address, member](const T& t, const ExportContext&) { return Value(t.*address.*member); },
                   [address, member](T& t, const std::string& cell) { t.*address.*member = cell; }});
  }
}

template <class T>
void add_optional_address(std::vector<Column<T>>& out, const std::string& prefix,
                          std::optional<Address> T::*address, std::vector<std::string> street_headers,
                          const std::string& what) {
  for (const auto& entry : kAddressParts) {
    const std::string p = entry.first;
    std::string Address::*member = entry.second;
    std::vector<std::string> headers = p == "street" ? street_headers : std::vector<std::string>{};
    out.push_back({info<T>(prefix + "." + p, std::move(headers), what + ": " + p, true, false),
                   [address, member](const T& t, const ExportContext&) {
                     return Value((t.*address) ? (*(t.*address)).*member : std::string());
                   },
                   [address, member](T& t, const std::string& cell) {
                     if (!(t.*address)) t.*address = Address{};
                     (*(t.*address)).*member = cell;
                   }});
  }
}

std::vector<Column<Customer>> make_customer_columns() {
  using C = Customer;
  std::vector<Column<C>> out;
  out.push_back(text_column<C>("number", {"Kundnummer", "Kundenummer", "Kundnr", "Kundenr", "Customer number",
                                          "Customer no", "Customer id", "Nummer", "Number", "Asiakasnumero"},
                               &C::number, "the customer number (empty: the next automatic number)"));
  out.push_back(text_column<C>("name", {"Namn", "Navn", "Name", "Kundnamn", "Kundenavn", "Customer name",
                                        "Företag", "Firma", "Firmanamn", "Firmanavn", "Company", "Nimi"},
                               &C::name, "the customer's name (required)"));
  out.push_back({info<C>("kind", {"Typ", "Type", "Kundtyp", "Kundetype", "Customer type"},
                         "company or private (also företag/privat, virksomhed/privat …)"),
                 [](const C& c, const ExportContext&) { return Value(std::string(enum_name(c.kind))); },
                 [](C& c, const std::string& cell) {
                   if (!cell.empty()) c.kind = parse_kind(cell);
                 }});
  out.push_back(text_column<C>("organisation_number",
                               {"Organisationsnummer", "Orgnr", "Org nr", "Organisasjonsnummer", "CVR", "CVR-nummer",
                                "CVR-nr", "Organisation number", "Organization number", "Company number",
                                "Y-tunnus", "Personnummer"},
                               &C::organisation_number, "organisation (or personal) number"));
  add_address<C>(out, "invoice_address", &C::invoice_address, true, "invoice address");
  add_optional_address<C>(out, "visiting_address", &C::visiting_address,
                          {"Besöksadress", "Besøgsadresse", "Besøksadresse", "Visiting address"}, "visiting address");
  add_optional_address<C>(out, "postal_address", &C::postal_address, {"Postadress", "Postadresse", "Postal address"},
                          "postal address");
  out.push_back(text_column<C>("email", {"E-post", "Epost", "E-postadress", "E-postadresse", "E-mail", "Email",
                                         "Mail", "Mailadresse", "Sähköposti"},
                               &C::email, "e-mail address"));
  out.push_back(text_column<C>("phone", {"Telefon", "Tel", "Tlf", "Telefonnummer", "Phone", "Telephone",
                                         "Puhelin"},
                               &C::phone, "phone number"));
  out.push_back(text_column<C>("website", {"Webbplats", "Hemsida", "Hjemmeside", "Nettside", "Website", "Web",
                                           "www"},
                               &C::website, "web address", false));
  out.push_back(text_column<C>("language", {"Språk", "Sprog", "Language", "Kieli"}, &C::language,
                               "ISO 639 language code of messages (sv, da, nb, en …)", false));
  out.push_back(text_column<C>("category", {"Kategori", "Kundkategori", "Kundekategori", "Category"},
                               &C::category, "category"));
  out.push_back({info<C>("discount_letters", {"Rabattbokstäver", "Rabatbogstaver", "Discount letters"},
                         "discount letters, separated by |", true, false),
                 [](const C& c, const ExportContext&) { return Value(join_list(c.discount_letters)); },
                 [](C& c, const std::string& cell) { c.discount_letters = split_list(cell); }});
  out.push_back(text_column<C>("cost_center", {"Kostnadsställe", "Omkostningssted", "Kostnadssted", "Cost center",
                                               "Cost centre"},
                               &C::cost_center, "cost center", false));
  out.push_back(text_column<C>("customer_order_number", {"Kundens ordernummer", "Customer order number"},
                               &C::customer_order_number, "the customer's order number", false));
  out.push_back(text_column<C>("comments", {"Kommentar", "Kommentarer", "Anteckningar", "Bemærkninger",
                                            "Bemerkninger", "Merknader", "Comments", "Comment", "Notes", "Note"},
                               &C::comments, "comments", false));
  out.push_back(bool_column<C>("active", {"Aktiv", "Active", "Aktiivinen"}, &C::active,
                               "yes or no (no: the customer is deactivated); empty keeps it as it is"));
  out.back().special = true;
  out.back().set = {};
  out.push_back({info<C>("technician", {"Tekniker", "Ansvarig tekniker", "Ansvarlig tekniker", "Technician",
                                        "Assigned technician", "Vår referens", "Vores reference", "Vår referanse"},
                         "login of the assigned technician (empty: none)"),
                 [](const C& c, const ExportContext& x) { return Value(x.login(c.assigned_technician)); },
                 {},
                 true});
  out.push_back(id_column<C>(&C::id));
  out.push_back(created_column<C>());
  return out;
}

std::vector<Column<Contact>> make_contact_columns() {
  using C = Contact;
  std::vector<Column<C>> out;
  out.push_back(text_column<C>("first_name", {"Förnamn", "Fornavn", "First name", "Firstname", "Given name",
                                              "Etunimi"},
                               &C::first_name, "first name"));
  out.push_back(text_column<C>("last_name", {"Efternamn", "Efternavn", "Etternavn", "Last name", "Lastname",
                                             "Surname", "Family name", "Sukunimi"},
                               &C::last_name, "last name"));
  out.push_back({info<C>("full_name", {"Namn", "Navn", "Name", "Kontaktperson", "Contact person", "Contact", "Nimi"},
                         "the whole name, split at the last space into first and last name", true, false),
                 [](const C& c, const ExportContext&) {
                   return Value(std::string(trim(c.first_name + " " + c.last_name)));
                 },
                 {},
                 true});
  out.push_back(text_column<C>("title", {"Titel", "Tittel", "Title", "Befattning", "Stilling", "Position"},
                               &C::title, "title"));
  out.push_back(text_column<C>("email", {"E-post", "Epost", "E-postadress", "E-mail", "Email", "Mail",
                                         "Sähköposti"},
                               &C::email, "e-mail address"));
  out.push_back(text_column<C>("phone", {"Telefon", "Tel", "Tlf", "Telefonnummer", "Phone", "Telephone"},
                               &C::phone, "phone number"));
  out.push_back(text_column<C>("mobile", {"Mobil", "Mobiltelefon", "Mobilnummer", "Mobile", "Mobile phone", "Cell",
                                          "Matkapuhelin"},
                               &C::mobile, "mobile number"));
  out.push_back(text_column<C>("category", {"Kategori", "Category"}, &C::category, "category", false));
  out.push_back(text_column<C>("comments", {"Kommentar", "Kommentarer", "Anteckningar", "Bemærkninger", "Merknader",
                                            "Comments", "Notes"},
                               &C::comments, "comments", false));
  out.push_back(bool_column<C>("active", {"Aktiv", "Active"}, &C::active, "yes or no; empty keeps it as it is"));
  out.push_back({info<C>("customer_number", {"Kundnummer", "Kundenummer", "Kundnr", "Customer number", "Customer no",
                                             "Företag", "Firma", "Company", "Asiakasnumero"},
                         "the numbers of the customers he is a contact person of, separated by |"),
                 [](const C& c, const ExportContext& x) {
                   std::vector<std::string> numbers;
                   for (const auto& l : x.links(c.id)) numbers.push_back(x.customer_number(l.customer));
                   return Value(join_list(numbers));
                 },
                 {},
                 true});
  out.push_back({info<C>("role", {"Roll", "Rolle", "Role", "Funktion", "Function"},
                         "his role at each customer, separated by | (one role: at all of them)"),
                 [](const C& c, const ExportContext& x) {
                   std::vector<std::string> roles;
                   for (const auto& l : x.links(c.id)) roles.push_back(l.role);
                   bool all_same = std::all_of(roles.begin(), roles.end(),
                                               [&](const std::string& r) { return r == roles.front(); });
                   if (roles.size() > 1 && all_same) roles.resize(1);
                   // A role list of empty roles would read back as none at all.
                   if (std::all_of(roles.begin(), roles.end(), [](const std::string& r) { return r.empty(); }))
                     return Value(std::string());
                   return Value(join_list(roles));
                 },
                 {},
                 true});
  out.push_back(id_column<C>(&C::id));
  out.push_back(created_column<C>());
  return out;
}

std::vector<Column<Facility>> make_facility_columns() {
  using F = Facility;
  std::vector<Column<F>> out;
  out.push_back({info<F>("customer_number", {"Kundnummer", "Kundenummer", "Kundnr", "Customer number", "Customer no",
                                             "Asiakasnumero"},
                         "the number of the customer the facility belongs to (required)"),
                 [](const F& f, const ExportContext& x) { return Value(x.customer_number(f.customer)); },
                 {},
                 true});
  out.push_back({info<F>("customer_name", {"Kundnamn", "Kundenavn", "Customer name"},
                         "the customer's name (not imported)", false, true),
                 [](const F& f, const ExportContext& x) { return Value(x.customer_name(f.customer)); },
                 {}});
  out.push_back(text_column<F>("name", {"Namn", "Navn", "Name", "Anläggning", "Anläggningsnamn", "Anlæg",
                                        "Anlægsnavn", "Anlegg", "Anleggsnavn", "Facility", "Facility name", "Site"},
                               &F::name, "the facility's name (required)"));
  out.push_back(text_column<F>("number", {"Anläggningsnummer", "Anlægsnummer", "Anleggsnummer", "Facility number",
                                          "Nummer", "Number"},
                               &F::number, "the facility's number (with upsert: the facility of the customer that has it)"));
  add_address<F>(out, "address", &F::address, true, "address");
  out.push_back(text_column<F>("comments", {"Kommentar", "Kommentarer", "Anteckningar", "Bemærkninger", "Merknader",
                                            "Comments", "Notes"},
                               &F::comments, "comments", false));
  out.push_back(bool_column<F>("active", {"Aktiv", "Active"}, &F::active, "yes or no; empty keeps it as it is"));
  out.push_back(id_column<F>(&F::id));
  out.push_back(created_column<F>());
  return out;
}

std::vector<Column<Order>> make_order_columns() {
  using O = Order;
  std::vector<Column<O>> out;
  auto add = [&](std::string name, std::string description, std::function<Value(const O&, const ExportContext&)> get,
                 bool exported = true) {
    out.push_back({info<O>(std::move(name), {}, std::move(description), false, exported), std::move(get), {}});
  };
  add("kind", "kind of order", [](const O& o, const ExportContext&) { return Value(std::string(enum_name(o.kind))); });
  add("number", "running number within the kind",
      [](const O& o, const ExportContext&) { return Value(static_cast<std::int64_t>(o.number)); });
  add("customer_number", "the customer's number",
      [](const O& o, const ExportContext& x) { return Value(x.customer_number(o.customer)); });
  add("customer_name", "the customer's name",
      [](const O& o, const ExportContext& x) { return Value(x.customer_name(o.customer)); });
  add("facility", "the facility's name",
      [](const O& o, const ExportContext& x) { return Value(x.facility_name(o.facility)); });
  add("subject", "subject", [](const O& o, const ExportContext&) { return Value(o.subject); });
  add("description", "description", [](const O& o, const ExportContext&) { return Value(o.description); }, false);
  add("status", "status", [](const O& o, const ExportContext&) { return Value(o.status); });
  add("planned", "planned date and time",
      [](const O& o, const ExportContext&) { return o.planned ? Value(format_timestamp(*o.planned)) : Value(std::string()); });
  add("assigned", "logins of the assigned users, separated by |", [](const O& o, const ExportContext& x) {
    std::vector<std::string> logins;
    for (UserId u : o.assigned)
      if (auto l = x.login(u); !l.empty()) logins.push_back(l);
    return Value(join_list(logins));
  });
  add("cost_center", "cost center", [](const O& o, const ExportContext&) { return Value(o.cost_center); }, false);
  add("customer_order_number", "the customer's order number",
      [](const O& o, const ExportContext&) { return Value(o.customer_order_number); }, false);
  add("hours_spent", "hours of the time entries", [](const O& o, const ExportContext&) { return Value(o.hours_spent()); });
  add("closed", "whether the order is closed", [](const O& o, const ExportContext&) { return Value(o.closed); });
  add("closed_at", "when it was closed",
      [](const O& o, const ExportContext&) { return o.closed_at ? Value(format_timestamp(*o.closed_at)) : Value(std::string()); },
      false);
  add("created_by", "login of the user who created it",
      [](const O& o, const ExportContext& x) { return Value(x.login(o.created_by)); }, false);
  add("created_at", "when it was created",
      [](const O& o, const ExportContext&) { return Value(format_timestamp(o.created_at)); });
  add("id", "the order's id in this register",
      [](const O& o, const ExportContext&) { return Value(static_cast<std::int64_t>(o.id.value)); }, false);
  return out;
}

template <class T>
const std::vector<Column<T>>& columns_of();
template <>
const std::vector<Column<Customer>>& columns_of<Customer>() {
  static const auto columns = make_customer_columns();
  return columns;
}
template <>
const std::vector<Column<Contact>>& columns_of<Contact>() {
  static const auto columns = make_contact_columns();
  return columns;
}
template <>
const std::vector<Column<Facility>>& columns_of<Facility>() {
  static const auto columns = make_facility_columns();
  return columns;
}
template <>
const std::vector<Column<Order>>& columns_of<Order>() {
  static const auto columns = make_order_columns();
  return columns;
}

template <class T>
std::vector<ColumnInfo> infos() {
  std::vector<ColumnInfo> out;
  for (const auto& c : columns_of<T>()) out.push_back(c.info);
  return out;
}

// The column a header names: by its column name or one of its headers.
template <class T>
const Column<T>* recognise(std::string_view header) {
  static const auto index = [] {
    std::unordered_map<std::string, const Column<T>*> m;
    for (const auto& c : columns_of<T>()) {
      m.emplace(header_key(c.info.name), &c);
      for (const auto& h : c.info.headers) m.emplace(header_key(h), &c);
    }
    return m;
  }();
  auto it = index.find(header_key(header));
  return it == index.end() ? nullptr : it->second;
}

template <class T>
const Column<T>* column_named(std::string_view name) {
  for (const auto& c : columns_of<T>())
    if (c.info.name == name) return &c;
  return nullptr;
}

std::string list_name(ListKind kind) { return std::string(enum_name(kind)); }

Right upload_right(ListKind kind) {
  switch (kind) {
    case ListKind::customers: return Right::customers_upload;
    case ListKind::contacts: return Right::contacts_upload;
    case ListKind::facilities: return Right::facilities_upload;
    case ListKind::orders: break;
  }
  throw ValidationError("kind", "orders cannot be imported");
}

std::vector<ColumnInfo> column_infos(ListKind kind) {
  switch (kind) {
    case ListKind::customers: return infos<Customer>();
    case ListKind::contacts: return infos<Contact>();
    case ListKind::facilities: return infos<Facility>();
    case ListKind::orders: return infos<Order>();
  }
  return {};
}

RecordKind record_kind(ListKind kind) {
  switch (kind) {
    case ListKind::customers: return RecordKind::customer;
    case ListKind::contacts: return RecordKind::contact;
    case ListKind::facilities: return RecordKind::facility;
    case ListKind::orders: break;
  }
  return RecordKind::order;
}

constexpr std::string_view kCustomPrefix = "custom.";

// The custom field a column name "custom.<key>" names (nullptr: none, or
// not a custom column).
const FieldDefinition* custom_column(const std::vector<FieldDefinition>& defs, ListKind kind, std::string_view name,
                                     bool include_retired) {
  if (name.substr(0, kCustomPrefix.size()) != kCustomPrefix) return nullptr;
  const std::string_view key = name.substr(kCustomPrefix.size());
  for (const auto& d : defs)
    if (d.kind == record_kind(kind) && d.key == key && (include_retired || !d.retired)) return &d;
  return nullptr;
}

// Whether `name` is an importable column of `kind`: a column of the list,
// or "custom.<key>" of a field in use.
bool importable(ListKind kind, std::string_view name, const std::vector<FieldDefinition>& defs) {
  if (custom_column(defs, kind, name, false)) return true;
  for (const auto& c : column_infos(kind))
    if (c.name == name) return c.importable;
  return false;
}

// A cell of a custom column as the field's value (empty: no value). Numbers
// may have a decimal comma; booleans read as the list's yes/no columns; a
// multi-choice cell lists its choices separated by '|'.
Value custom_cell(const FieldDefinition& d, const std::string& cell) {
  const std::string column = std::string(kCustomPrefix) + d.key;
  std::string t(trim(cell));
  if (t.empty()) return Value();
  switch (d.type) {
    case FieldType::integer:
    case FieldType::decimal: {
      std::string n = t;
      std::replace(n.begin(), n.end(), ',', '.');
      std::int64_t i = 0;
      double x = 0;
      const char* end = n.data() + n.size();
      if (d.type == FieldType::integer) {
        if (auto [p, ec] = std::from_chars(n.data(), end, i); ec == std::errc() && p == end) return Value(i);
        throw ValidationError(column, "'" + t + "' is not a whole number");
      }
      if (auto [p, ec] = std::from_chars(n.data(), end, x); ec == std::errc() && p == end) return Value(x);
      throw ValidationError(column, "'" + t + "' is not a number");
    }
    case FieldType::boolean: return Value(parse_bool(column, t));
    case FieldType::multi_choice: {
      Value::List items;
      for (auto& part : split_list(t)) items.emplace_back(std::move(part));
      return Value(std::move(items));
    }
    default: return Value(std::move(t));
  }
}

// A custom value as an export cell: multi-choices joined by '|'.
Value custom_export_value(const Value* v) {
  if (!v) return Value();
  if (v->is<Value::List>()) {
    std::vector<std::string> parts;
    for (const auto& item : v->as<Value::List>())
      if (item.is<std::string>()) parts.push_back(item.as<std::string>());
    return Value(join_list(parts));
  }
  return *v;
}

}  // namespace

// ---- applying rows -----------------------------------------------------------

// ImportPlan: an ImportRecords command's columns resolved once for all its rows.
struct ImportPlan {
  ListKind kind = ListKind::customers;
  bool upsert = false;
  std::size_t width = 0;
  std::vector<const Column<Customer>*> customer;
  std::vector<const Column<Contact>*> contact;
  std::vector<const Column<Facility>*> facility;
  std::vector<std::pair<std::size_t, FieldDefinition>> custom;  // position, field
  // Positions of the columns the row handler reads itself (npos: absent).
  std::size_t number = std::string::npos, active = std::string::npos, technician = std::string::npos,
              customer_number = std::string::npos, role = std::string::npos, full_name = std::string::npos;
  const std::vector<std::string>* names = nullptr;
};

namespace {

template <class T>
std::vector<const Column<T>*> resolve(const std::vector<std::string>& names) {
  std::vector<const Column<T>*> out;
  for (const auto& n : names) out.push_back(column_named<T>(n));  // nullptr: a custom column
  return out;
}

// Empty optional addresses are no addresses.
void drop_empty(std::optional<Address>& a) {
  if (a && *a == Address{}) a.reset();
}

}  // namespace

std::shared_ptr<const ImportPlan> Applier::import_plan(const ImportRecords& cmd) {
  access().require(upload_right(cmd.kind), "import " + list_name(cmd.kind));
  auto plan = std::make_shared<ImportPlan>();
  plan->kind = cmd.kind;
  plan->upsert = cmd.upsert;
  plan->width = cmd.columns.size();
  plan->names = &cmd.columns;
  if (cmd.upsert && cmd.kind == ListKind::contacts)
    throw ValidationError("upsert", "contacts have no number to match by; they are always created");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < cmd.columns.size(); ++i) {
    const std::string& name = cmd.columns[i];
    if (!importable(cmd.kind, name, r_.field_definitions))
      throw ValidationError("columns", "'" + name + "' is not an importable column of " + list_name(cmd.kind));
    if (!seen.insert(name).second) throw ValidationError("columns", "'" + name + "' is named twice");
    if (const FieldDefinition* d = custom_column(r_.field_definitions, cmd.kind, name, false))
      plan->custom.emplace_back(i, *d);
    if (name == "number") plan->number = i;
    if (name == "active") plan->active = i;
    if (name == "technician") plan->technician = i;
    if (name == "customer_number") plan->customer_number = i;
    if (name == "role") plan->role = i;
    if (name == "full_name") plan->full_name = i;
  }
  if (plan->width == 0) {
    if (!cmd.cells.empty()) throw ValidationError("cells", "cells without columns");
  } else if (cmd.cells.size() % plan->width != 0) {
    throw ValidationError("cells", "the cells do not fill whole rows of " + std::to_string(plan->width) + " columns");
  }
  if (cmd.kind == ListKind::facilities && plan->customer_number == std::string::npos)
    throw ValidationError("columns", "facilities need the column customer_number");
  switch (cmd.kind) {
    case ListKind::customers: plan->customer = resolve<Customer>(cmd.columns); break;
    case ListKind::contacts: plan->contact = resolve<Contact>(cmd.columns); break;
    case ListKind::facilities: plan->facility = resolve<Facility>(cmd.columns); break;
    case ListKind::orders: break;
  }
  return plan;
}

namespace {

// Sets the plain columns of a row into `record`, naming the column of a bad cell.
template <class T>
void set_cells(T& record, const std::vector<const Column<T>*>& columns, const std::string* cells,
               const ImportPlan& plan) {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] && columns[i]->set) columns[i]->set(record, cells[i]);
  for (const auto& [pos, field] : plan.custom) record.custom.set(field.key, custom_cell(field, cells[pos]));
}

}  // namespace

Applier::RowOutcome Applier::import_row(const ImportPlan& plan, const std::string* cells) {
  auto cell = [&](std::size_t pos) -> const std::string* { return pos == std::string::npos ? nullptr : &cells[pos]; };
  auto customer_by_number = [&](const std::string& number, const char* column) -> const Customer& {
    auto& by_num = r_.customers.get<by_number>();
    auto it = by_num.find(case_fold(trim(number)));
    if (it == by_num.end() || !access().sees(it->record))
      throw ValidationError(column, "there is no customer with number '" + number + "'");
    return it->record;
  };
  auto active_of = [&](const std::string* c) -> std::optional<bool> {
    if (!c || c->empty()) return std::nullopt;
    return parse_bool("active", *c);
  };

  switch (plan.kind) {
    case ListKind::customers: {
      const Customer* cur = nullptr;
      if (plan.upsert && cell(plan.number) && !trim(*cell(plan.number)).empty()) {
        auto& by_num = r_.customers.get<by_number>();
        auto it = by_num.find(case_fold(trim(*cell(plan.number))));
        if (it != by_num.end() && access().sees(it->record)) cur = &it->record;
      }
      Customer c = cur ? *cur : Customer{};
      set_cells(c, plan.customer, cells, plan);
      // The number that found the record keeps the register's spelling.
      if (cur) c.number = cur->number;
      drop_empty(c.visiting_address);
      drop_empty(c.postal_address);
      const std::optional<bool> active = active_of(cell(plan.active));
      std::optional<std::optional<UserId>> technician;
      if (const std::string* login = cell(plan.technician)) {
        if (login->empty()) {
          technician.emplace();
        } else {
          auto& by_l = r_.users.get<by_login>();
          auto it = by_l.find(case_fold(*login));
          if (it == by_l.end()) throw ValidationError("technician", "there is no user with login '" + *login + "'");
          technician.emplace(it->record.id);
        }
      }
      RowOutcome outcome = RowOutcome::created;
      CustomerId id;
      if (cur) {
        id = cur->id;
        outcome = c == *cur ? RowOutcome::unchanged : RowOutcome::updated;
        if (outcome == RowOutcome::updated) (*this)(UpdateCustomer{c});
      } else {
        id = CustomerId{(*this)(CreateCustomer{c}).id};
      }
      auto now = [&]() -> const Customer& { return r_.customers.find(id.value)->record; };
      if (active && *active != now().active) {
        if (*active)
          (*this)(ReactivateCustomer{id});
        else
          (*this)(DeactivateCustomer{id});
        if (outcome == RowOutcome::unchanged) outcome = RowOutcome::updated;
      }
      if (technician && *technician != now().assigned_technician) {
        (*this)(AssignTechnician{id, *technician});
        if (outcome == RowOutcome::unchanged) outcome = RowOutcome::updated;
      }
      return outcome;
    }

    case ListKind::contacts: {
      Contact c;
      set_cells(c, plan.contact, cells, plan);
      if (const std::string* full = cell(plan.full_name); full && !full->empty()) {
        if (!c.first_name.empty() || !c.last_name.empty())
          throw ValidationError("full_name", "give either the whole name or first and last name");
        std::string_view name = trim(*full);
        auto space = name.find_last_of(' ');
        if (space == std::string_view::npos) {
          c.last_name = std::string(name);
        } else {
          c.first_name = std::string(trim(name.substr(0, space)));
          c.last_name = std::string(name.substr(space + 1));
        }
      }
      std::vector<CustomerId> customers;
      if (const std::string* numbers = cell(plan.customer_number))
        for (const auto& n : split_list(*numbers)) {
          CustomerId cid = customer_by_number(n, "customer_number").id;
          if (std::find(customers.begin(), customers.end(), cid) == customers.end()) customers.push_back(cid);
        }
      std::vector<std::string> roles;
      if (const std::string* r = cell(plan.role)) roles = split_list(*r);
      if (roles.size() > 1 && roles.size() != customers.size())
        throw ValidationError("role", "gives " + std::to_string(roles.size()) + " roles for " +
                                          std::to_string(customers.size()) + " customers");
      if (!roles.empty() && customers.empty())
        throw ValidationError("role", "a role needs a customer (the column customer_number)");
      const ContactId id{(*this)(CreateContact{c}).id};
      for (std::size_t i = 0; i < customers.size(); ++i) {
        ContactLink link{id, customers[i], roles.empty() ? std::string() : roles[roles.size() == 1 ? 0 : i]};
        (*this)(LinkContact{link});
      }
      return RowOutcome::created;
    }

    case ListKind::facilities: {
      const std::string& number_cell = *cell(plan.customer_number);
      if (trim(number_cell).empty()) throw ValidationError("customer_number", "required");
      const CustomerId owner = customer_by_number(number_cell, "customer_number").id;
      const Facility* cur = nullptr;
      if (plan.upsert && cell(plan.number) && !trim(*cell(plan.number)).empty()) {
        const std::string key = case_fold(trim(*cell(plan.number)));
        auto [lb, ub] = r_.facilities.get<by_customer>().equal_range(std::make_tuple(owner.value));
        for (auto it = lb; it != ub; ++it)
          if (case_fold(trim(it->record.number)) == key && access().sees(it->record)) {
            cur = &it->record;
            break;
          }
      }
      Facility f = cur ? *cur : Facility{};
      f.customer = owner;
      set_cells(f, plan.facility, cells, plan);
      if (cur) f.number = cur->number;
      if (!cur) {
        (*this)(CreateFacility{f});
        return RowOutcome::created;
      }
      if (f == *cur) return RowOutcome::unchanged;
      (*this)(UpdateFacility{f});
      return RowOutcome::updated;
    }

    case ListKind::orders:
      break;
  }
  throw ValidationError("kind", "orders cannot be imported");
}

RecordRef Applier::operator()(const ImportRecords& cmd) {
  auto plan = import_plan(cmd);
  const std::size_t rows = plan->width ? cmd.cells.size() / plan->width : 0;
  for (std::size_t i = 0; i < rows; ++i) {
    try {
      import_row(*plan, &cmd.cells[i * plan->width]);
    } catch (const ValidationError& e) {
      throw ValidationError("rows[" + std::to_string(i) + "]" + (e.field().empty() ? "" : "." + e.field()),
                            reason_of(e));
    }
  }
  return {};
}

// ---- the import ----------------------------------------------------------------

namespace {

struct CancelledImport {};

// What reading the file gives: the mapped cells of every data row.
struct ReadFile {
  std::vector<std::string> columns;        // the command's columns, in file order
  std::vector<std::string> column_header;  // the header each column was read from
  std::vector<std::size_t> source;         // per column: the field of the record it comes from
  std::vector<std::string> cells;          // rows × columns
  std::vector<std::size_t> rows;           // each row's number in the file
  std::vector<char> bad;                   // rows refused while reading
};

// The column a header is read as: the caller's mapping first, then the
// column names and headers the list recognises ("" when none).
// A custom field's column is recognised by "custom.<key>", by the key
// and by its label in any language.
template <class T>
std::string column_for_header(const std::string& header, const ImportOptions& options,
                              const std::vector<FieldDefinition>& defs) {
  const std::string key = header_key(header);
  for (const auto& m : options.mapping)
    if (header_key(m.header) == key) return m.column;
  const Column<T>* c = recognise<T>(header);
  if (c && c->info.importable) return c->info.name;
  for (const auto& d : defs) {
    if (d.kind != record_kind(options.kind) || d.retired) continue;
    bool named = key == header_key(std::string(kCustomPrefix) + d.key) || key == header_key(d.key);
    for (const auto& l : d.labels) named = named || key == header_key(l.text);
    if (named) return std::string(kCustomPrefix) + d.key;
  }
  return std::string();
}

template <class T>
void read_header(const csv::Record& record, const ImportOptions& options, const std::vector<FieldDefinition>& defs,
                 ImportReport& report, ReadFile& file) {
  std::map<std::string, std::string> taken;  // column → header
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    const std::string header(trim(record.fields[i]));
    std::string column = header.empty() ? std::string() : column_for_header<T>(header, options, defs);
    report.columns.push_back({header, column});
    if (column.empty()) continue;
    if (auto [it, fresh] = taken.emplace(column, header); !fresh)
      throw ValidationError("header", "'" + it->second + "' and '" + header + "' are both read as column '" + column +
                                          "'; map one of them to another column or to none");
    file.columns.push_back(column);
    file.column_header.push_back(header);
    file.source.push_back(i);
  }
  for (const auto& m : options.mapping) {
    const std::string key = header_key(m.header);
    if (std::none_of(record.fields.begin(), record.fields.end(),
                     [&](const std::string& f) { return header_key(f) == key; }))
      throw ValidationError("mapping", "the file has no header '" + m.header + "'");
  }
  if (file.columns.empty()) {
    std::string headers;
    for (const auto& f : record.fields) headers += (headers.empty() ? "'" : ", '") + std::string(trim(f)) + "'";
    throw ValidationError("header", "none of the headers (" + headers + ") is a column of " + list_name(options.kind) +
                                        "; name the columns with a mapping");
  }
}

void check_options(const ImportOptions& options, const std::vector<FieldDefinition>& defs) {
  upload_right(options.kind);  // refuses orders
  if (options.upsert && options.kind == ListKind::contacts)
    throw ValidationError("upsert", "contacts have no number to match by; they are always created");
  if (options.delimiter && options.delimiter != ',' && options.delimiter != ';' && options.delimiter != '\t')
    throw ValidationError("delimiter", "must be ',', ';' or a tab");
  for (const auto& m : options.mapping) {
    if (!is_valid_utf8(m.header)) throw ValidationError("mapping", "a header is not valid UTF-8");
    if (!is_valid_utf8(m.column)) throw ValidationError("mapping", "a column is not valid UTF-8");
    if (!m.column.empty() && !importable(options.kind, m.column, defs))
      throw ValidationError("mapping", "'" + m.column + "' is not an importable column of " + list_name(options.kind));
  }
}

// The problem a refused row gives: the column the error names (or the
// number for a customer number taken), its cell and the reason.
ImportProblem problem_of(const Error& e, std::size_t row, const ReadFile& file, const std::string* cells,
                         ListKind kind) {
  std::string field;
  std::string reason = e.what();
  if (auto* v = dynamic_cast<const ValidationError*>(&e)) {
    field = v->field();
  } else if (e.code() == ErrorCode::conflict && kind == ListKind::customers) {
    field = "number";
  }
  for (std::size_t i = 0; i < file.columns.size(); ++i)
    if (file.columns[i] == field) {
      if (auto* v = dynamic_cast<const ValidationError*>(&e)) reason = reason_of(*v);
      return {row, file.column_header[i], cells[i], reason};
    }
  return {row, "", "", reason};
}

void check_duplicates(ListKind kind, bool upsert, ReadFile& file, ImportReport& report) {
  const std::size_t width = file.columns.size();
  auto pos = [&](const char* name) -> std::size_t {
    for (std::size_t i = 0; i < width; ++i)
      if (file.columns[i] == name) return i;
    return std::string::npos;
  };
  std::size_t key_column = std::string::npos, owner_column = std::string::npos;
  const char* what = nullptr;
  if (kind == ListKind::customers) {
    key_column = pos("number");
    what = "the same customer number as row ";
  } else if (kind == ListKind::facilities && upsert) {
    key_column = pos("number");
    owner_column = pos("customer_number");
    what = "the same customer and facility number as row ";
  }
  if (key_column == std::string::npos) return;
  std::unordered_map<std::string, std::size_t> first;
  for (std::size_t r = 0; r < file.rows.size(); ++r) {
    const std::string* cells = &file.cells[r * width];
    if (cells[key_column].empty()) continue;
    std::string key = case_fold(cells[key_column]);
    if (owner_column != std::string::npos) key = case_fold(cells[owner_column]) + '\x1f' + key;
    auto [it, fresh] = first.emplace(std::move(key), file.rows[r]);
    if (fresh) continue;
    file.bad[r] = 1;
    report.problems.push_back({file.rows[r], file.column_header[key_column], cells[key_column],
                               what + std::to_string(it->second)});
  }
}

template <class T>
ReadFile read_file(const csv::Text& text, char delimiter, const ImportOptions& options,
                   const std::vector<FieldDefinition>& defs, ImportReport& report,
                   const std::function<bool(const char*, std::size_t, std::size_t)>& progress) {
  ReadFile file;
  bool header = false;
  std::size_t header_size = 0;
  auto on_record = [&](csv::Record&& record) {
    if (!header) {
      read_header<T>(record, options, defs, report, file);
      header = true;
      header_size = record.fields.size();
      return;
    }
    if (std::all_of(record.fields.begin(), record.fields.end(),
                    [](const std::string& f) { return trim(f).empty(); }))
      return;  // an empty row, as spreadsheets write below the data
    file.rows.push_back(record.number);
    file.bad.push_back(0);
    for (std::size_t source : file.source)
      file.cells.emplace_back(source < record.fields.size() ? trim(record.fields[source]) : std::string_view());
    for (std::size_t i = header_size; i < record.fields.size(); ++i)
      if (!trim(record.fields[i]).empty()) {
        file.bad.back() = 1;
        report.problems.push_back({record.number, "", std::string(trim(record.fields[i])),
                                   "has " + std::to_string(record.fields.size()) + " cells; the header has " +
                                       std::to_string(header_size)});
        break;
      }
  };
  const std::size_t total = text.utf8.size();
  csv::parse(text.utf8, delimiter, on_record, [&](std::size_t done) {
    if (!progress("reading", done, total)) throw CancelledImport{};
  });
  if (!header) throw ValidationError("file", "is empty: there is no header row");
  return file;
}

}  // namespace

}  // namespace detail

ImportReport Register::import_csv(UserId actor, std::string_view bytes, const ImportOptions& options) {
  using namespace detail;
  auto& r = *impl_;
  upload_right(options.kind);  // refuses orders
  ImportReport report;
  report.kind = options.kind;
  report.dry_run = options.dry_run;
  std::vector<FieldDefinition> defs;  // to read the header by; the rows are checked against the current ones
  {
    std::shared_lock lock(r.mutex);
    if (r.closed) throw Conflict("the register is closed");
    const Access access(r, r.actor(actor));
    access.require(upload_right(options.kind), "import " + list_name(options.kind));
    defs = r.field_definitions;
  }
  check_options(options, defs);
  auto progress = [&](const char* phase, std::size_t done, std::size_t total) {
    return !options.progress || options.progress(TransferProgress{phase, done, total});
  };

  ReadFile file;
  try {
    const csv::Text text = csv::decode(bytes);
    report.encoding = text.encoding;
    const char delimiter = options.delimiter ? options.delimiter : csv::detect_delimiter(text.utf8);
    report.delimiter = std::string(1, delimiter);
    switch (options.kind) {
      case ListKind::customers: file = read_file<Customer>(text, delimiter, options, defs, report, progress); break;
      case ListKind::contacts: file = read_file<Contact>(text, delimiter, options, defs, report, progress); break;
      case ListKind::facilities: file = read_file<Facility>(text, delimiter, options, defs, report, progress); break;
      case ListKind::orders: break;
    }
  } catch (const CancelledImport&) {
    report.cancelled = true;
    return report;
  }
  check_duplicates(options.kind, options.upsert, file, report);
  const std::size_t width = file.columns.size();
  report.rows = file.rows.size();

  std::unique_lock lock(r.mutex);
  if (r.closed) throw Conflict("the register is closed");
  if (r.journal) r.journal->check_usable();
  const User& acting = r.actor(actor);
  const Timestamp now = r.clock->now();
  if (!in_timestamp_range(now)) throw ValidationError("clock", "the clock's time is outside the years 0000 to 9999");
  Transaction tx(r, &acting, Source::import, now);
  Applier applier(r, tx);
  ImportRecords command{options.kind, options.upsert, file.columns, {}};
  const auto plan = applier.import_plan(command);

  constexpr std::size_t kProgressEvery = 1000;
  for (std::size_t i = 0; i < file.rows.size(); ++i) {
    if (i % kProgressEvery == 0 && !progress("rows", i, file.rows.size())) {
      report.cancelled = true;
      return report;  // the transaction undoes every row
    }
    if (file.bad[i]) continue;
    const std::string* cells = &file.cells[i * width];
    const auto point = tx.savepoint();
    try {
      switch (applier.import_row(*plan, cells)) {
        case Applier::RowOutcome::created: ++report.created; break;
        case Applier::RowOutcome::updated: ++report.updated; break;
        case Applier::RowOutcome::unchanged: break;
      }
    } catch (const Error& e) {
      if (e.code() == ErrorCode::corrupt || e.code() == ErrorCode::io) throw;
      tx.rollback_to(point);
      file.bad[i] = 1;
      report.problems.push_back(problem_of(e, file.rows[i], file, cells, options.kind));
    }
  }
  if (!progress("rows", file.rows.size(), file.rows.size())) {
    report.cancelled = true;
    return report;
  }
  std::stable_sort(report.problems.begin(), report.problems.end(),
                   [](const ImportProblem& a, const ImportProblem& b) { return a.row < b.row; });
  report.skipped = static_cast<std::size_t>(std::count(file.bad.begin(), file.bad.end(), 1));
  if (options.dry_run || (!report.problems.empty() && !options.skip_bad_rows) || !tx.changed()) return report;

  // Journaled with the good rows only: replayed, they give the same records.
  for (std::size_t i = 0; i < file.rows.size(); ++i)
    if (!file.bad[i])
      std::move(file.cells.begin() + static_cast<std::ptrdiff_t>(i * width),
                file.cells.begin() + static_cast<std::ptrdiff_t>((i + 1) * width), std::back_inserter(command.cells));
  std::uint64_t journal_end = 0;
  std::shared_ptr<storage::Journal> journal = r.journal;
  if (journal)
    journal_end = journal->append(
        storage::frame(storage::encode_record({tx.change(), now, acting.id, Source::import, Command(std::move(command))})));
  tx.commit();
  report.applied = true;
  report.change = tx.change();
  lock.unlock();
  if (journal_end) journal->wait_durable(journal_end);
  return report;
}

std::vector<ColumnInfo> Register::columns(ListKind kind) { return detail::column_infos(kind); }

// ---- the export ------------------------------------------------------------------

namespace detail {
namespace {

std::string cell_text(const Value& v, bool decimal_comma) {
  if (v.is_null()) return {};
  if (v.is<bool>()) return v.as<bool>() ? "true" : "false";
  if (v.is<std::int64_t>()) return std::to_string(v.as<std::int64_t>());
  if (v.is<double>()) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.15g", v.as<double>());
    std::string out = buffer;
    if (decimal_comma) std::replace(out.begin(), out.end(), '.', ',');
    return out;
  }
  if (v.is<std::string>()) return v.as<std::string>();
  return to_json(v);
}

void append_csv_field(std::string& out, const std::string& text, char delimiter) {
  if (text.find_first_of(std::string{delimiter, '"', '\r', '\n'}) == std::string::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}

template <class T>
std::string write_export(const Register::Impl& r, const Access& access, const std::vector<T>& records,
                         const ExportOptions& options, ListKind kind) {
  std::vector<const Column<T>*> columns;
  std::deque<Column<T>> custom;  // the custom fields' columns, made for this export
  auto custom_of = [&](const FieldDefinition& d) {
    const std::string key = d.key;
    custom.push_back({info<T>(std::string(kCustomPrefix) + d.key, {}, "custom field"),
                      [key](const T& t, const ExportContext&) { return custom_export_value(t.custom.find(key)); },
                      {}});
    return &custom.back();
  };
  if (options.columns.empty()) {
    for (const auto& c : columns_of<T>())
      if (c.info.exported) columns.push_back(&c);
    // then the fields in use, in display order
    std::vector<const FieldDefinition*> fields;
    for (const auto& d : r.field_definitions)
      if (d.kind == record_kind(kind) && !d.retired) fields.push_back(&d);
    std::stable_sort(fields.begin(), fields.end(), [](const FieldDefinition* a, const FieldDefinition* b) {
      return std::tie(a->display_order, a->key) < std::tie(b->display_order, b->key);
    });
    for (const auto* d : fields) columns.push_back(custom_of(*d));
  } else {
    for (const auto& name : options.columns) {
      const Column<T>* c = column_named<T>(name);
      if (!c) {
        if (const FieldDefinition* d = custom_column(r.field_definitions, kind, name, true)) c = custom_of(*d);
      }
      if (!c) throw ValidationError("columns", "'" + name + "' is not a column of " + list_name(kind));
      columns.push_back(c);
    }
  }
  const bool excel = options.format == ExportFormat::excel;
  const ExportContext context{r, access, excel};
  auto progress = [&](std::size_t done) {
    if (options.progress && !options.progress(TransferProgress{"records", done, records.size()}))
      throw Conflict("the export was cancelled");
  };
  std::string out;
  if (options.format == ExportFormat::json) {
    out += '[';
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (i % 1000 == 0) progress(i);
      Value::Object object;
      for (const auto* c : columns) object.push_back({c->info.name, c->get(records[i], context)});
      out += i ? ",\n" : "\n";
      out += to_json(Value(std::move(object)));
    }
    out += records.empty() ? "]\n" : "\n]\n";
  } else {
    const char delimiter = excel ? ';' : ',';
    if (excel) out += "\xEF\xBB\xBF";
    for (std::size_t j = 0; j < columns.size(); ++j) {
      if (j) out += delimiter;
      append_csv_field(out, columns[j]->info.name, delimiter);
    }
    out += "\r\n";
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (i % 1000 == 0) progress(i);
      for (std::size_t j = 0; j < columns.size(); ++j) {
        if (j) out += delimiter;
        append_csv_field(out, cell_text(columns[j]->get(records[i], context), excel), delimiter);
      }
      out += "\r\n";
    }
  }
  progress(records.size());
  return out;
}

}  // namespace
}  // namespace detail

std::string Register::export_customers(UserId actor, const CustomerQuery& query, const ExportOptions& options) const {
  auto page = search_customers(actor, query);
  std::shared_lock lock(impl_->mutex);
  const Access access(*impl_, impl_->actor(actor));
  return detail::write_export(*impl_, access, page.items, options, ListKind::customers);
}

std::string Register::export_contacts(UserId actor, const ContactQuery& query, const ExportOptions& options) const {
  auto page = search_contacts(actor, query);
  std::shared_lock lock(impl_->mutex);
  const Access access(*impl_, impl_->actor(actor));
  return detail::write_export(*impl_, access, page.items, options, ListKind::contacts);
}

std::string Register::export_facilities(UserId actor, const FacilityQuery& query, const ExportOptions& options) const {
  auto page = search_facilities(actor, query);
  std::shared_lock lock(impl_->mutex);
  const Access access(*impl_, impl_->actor(actor));
  return detail::write_export(*impl_, access, page.items, options, ListKind::facilities);
}

std::string Register::export_orders(UserId actor, const OrderQuery& query, const ExportOptions& options) const {
  auto page = search_orders(actor, query);
  std::shared_lock lock(impl_->mutex);
  const Access access(*impl_, impl_->actor(actor));
  return detail::write_export(*impl_, access, page.items, options, ListKind::orders);
}

}  // namespace kartotek
