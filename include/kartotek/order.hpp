// kartotek/order.hpp: orders of every kind, their article lines, notes log,
// time entries, bookings and files; the article catalogue; the order list's
// query and the favourites users save. Rules: docs/orders.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "kartotek/clock.hpp"
#include "kartotek/custom_fields.hpp"
#include "kartotek/describe.hpp"
#include "kartotek/ids.hpp"

namespace kartotek {

// The kinds of order; each has its own running number. New kinds go at the
// end: the numbers are stored.
enum class OrderKind : std::uint8_t {
  work_order,
  service_order,
  error_report,
  quotation,
  contact_order,
  sales_order,
};

inline constexpr std::size_t kOrderKinds = 6;

template <> struct EnumNames<OrderKind> {
  static constexpr std::array<std::pair<OrderKind, std::string_view>, kOrderKinds> names{{
      {OrderKind::work_order, "work_order"},
      {OrderKind::service_order, "service_order"},
      {OrderKind::error_report, "error_report"},
      {OrderKind::quotation, "quotation"},
      {OrderKind::contact_order, "contact_order"},
      {OrderKind::sales_order, "sales_order"},
  }};
};

// Article: an entry of the group's catalogue. `number` is unique (ignoring
// case); `id`, `created_at` and `revision` are kept by the register.
struct Article {
  ArticleId id;
  std::string number;
  std::string name;
  std::string unit;
  double price = 0;
  bool time_article = false;
  Timestamp created_at{};
  std::uint64_t revision = 0;

  friend bool operator==(const Article&, const Article&) = default;
};

template <> struct Describe<Article> {
  static constexpr auto fields = std::make_tuple(
      field("id", &Article::id), field("number", &Article::number), field("name", &Article::name),
      field("unit", &Article::unit), field("price", &Article::price),
      field("time_article", &Article::time_article), field("created_at", &Article::created_at),
      field("revision", &Article::revision));
};

// OrderLine: one article line of an order. `id` (0 for a new line) and
// `date` are kept by the register. A time article counts `hours`: a line
// saved with 0 hours gets its date when its hours are first changed from 0,
// and again whenever the line is changed later; a time line saved with hours
// gets its date at once.
struct OrderLine {
  std::uint32_t id = 0;
  std::string article_number;
  std::string description;
  double quantity = 1;
  std::string unit;
  double price = 0;
  bool time_article = false;
  double hours = 0;
  std::optional<Timestamp> date;

  friend bool operator==(const OrderLine&, const OrderLine&) = default;
};

template <> struct Describe<OrderLine> {
  static constexpr auto fields = std::make_tuple(
      field("id", &OrderLine::id), field("article_number", &OrderLine::article_number),
      field("description", &OrderLine::description), field("quantity", &OrderLine::quantity),
      field("unit", &OrderLine::unit), field("price", &OrderLine::price),
      field("time_article", &OrderLine::time_article), field("hours", &OrderLine::hours),
      field("date", &OrderLine::date));
};

// OrderNote: one entry of an order's notes log. Entries are added with
// AddOrderNote and never changed.
struct OrderNote {
  Timestamp at{};
  UserId author;
  std::string text;

  friend bool operator==(const OrderNote&, const OrderNote&) = default;
};

template <> struct Describe<OrderNote> {
  static constexpr auto fields = std::make_tuple(
      field("at", &OrderNote::at), field("author", &OrderNote::author), field("text", &OrderNote::text));
};

// TimeEntry: time spent on an order, added with AddTimeEntry.
struct TimeEntry {
  Timestamp at{};
  UserId user;
  double hours = 0;
  std::string text;

  friend bool operator==(const TimeEntry&, const TimeEntry&) = default;
};

template <> struct Describe<TimeEntry> {
  static constexpr auto fields = std::make_tuple(
      field("at", &TimeEntry::at), field("user", &TimeEntry::user), field("hours", &TimeEntry::hours),
      field("text", &TimeEntry::text));
};

enum class BookingKind : std::uint8_t { phone, meeting, digital };

template <> struct EnumNames<BookingKind> {
  static constexpr std::array<std::pair<BookingKind, std::string_view>, 3> names{{
      {BookingKind::phone, "phone"}, {BookingKind::meeting, "meeting"}, {BookingKind::digital, "digital"}}};
};

// Booking: the next contact, booked for `user` at `when`. It is in his
// to-do list until done, and raises a reminder when due. `id` (0 for a new
// booking) and `reminded` are kept by the register.
struct Booking {
  std::uint32_t id = 0;
  BookingKind kind = BookingKind::phone;
  Timestamp when{};
  UserId user;
  std::string text;
  bool done = false;
  bool reminded = false;

  friend bool operator==(const Booking&, const Booking&) = default;
};

template <> struct Describe<Booking> {
  static constexpr auto fields = std::make_tuple(
      field("id", &Booking::id), field("kind", &Booking::kind), field("when", &Booking::when),
      field("user", &Booking::user), field("text", &Booking::text), field("done", &Booking::done),
      field("reminded", &Booking::reminded));
};

// FileInfo: the metadata of an uploaded file; the content lives with the
// host. `uploaded_by` and `uploaded_at` are set by the register.
struct FileInfo {
  std::uint32_t id = 0;
  std::string name;
  std::uint64_t size = 0;
  std::string sha256;  // 64 lowercase hex digits
  std::string media_type;
  UserId uploaded_by;
  Timestamp uploaded_at{};

  friend bool operator==(const FileInfo&, const FileInfo&) = default;
};

template <> struct Describe<FileInfo> {
  static constexpr auto fields = std::make_tuple(
      field("id", &FileInfo::id), field("name", &FileInfo::name), field("size", &FileInfo::size),
      field("sha256", &FileInfo::sha256), field("media_type", &FileInfo::media_type),
      field("uploaded_by", &FileInfo::uploaded_by), field("uploaded_at", &FileInfo::uploaded_at));
};

// Order: a work order, service order, error report, quotation, contact order
// or sales order of one customer.
//
// Kept by the register (an UpdateOrder that alters them is refused): `id`,
// `kind`, `number`, `customer`, `assigned` (AssignOrder), `notes`
// (AddOrderNote), `time_entries` (AddTimeEntry), `files` (AddOrderFile,
// RemoveOrderFile), `closed`, `closed_at` (CloseOrder, ReopenOrder),
// `origin`, `sales_order` (ConvertToSalesOrder), `created_by`, `created_at`,
// `revision` and `last_item`. `status` is one of the statuses the settings
// list for the kind (empty when the list is).
struct Order {
  OrderId id;
  OrderKind kind = OrderKind::work_order;
  std::uint64_t number = 0;
  CustomerId customer;
  std::optional<FacilityId> facility;
  std::optional<ServiceObjectId> service_object;
  std::optional<ContactId> contact;
  std::string subject;
  std::string description;
  std::string status;
  std::optional<Timestamp> planned;
  std::vector<UserId> assigned;
  std::string cost_center;
  std::string customer_order_number;
  std::vector<OrderLine> lines;
  std::vector<OrderNote> notes;
  std::vector<TimeEntry> time_entries;
  std::vector<Booking> bookings;
  std::vector<FileInfo> files;
  std::optional<OrderId> origin;       // the contact order a sales order came from
  std::optional<OrderId> sales_order;  // the sales order a contact order became
  bool closed = false;
  std::optional<Timestamp> closed_at;
  UserId created_by;
  Timestamp created_at{};
  std::uint64_t revision = 0;
  std::uint32_t last_item = 0;  // the last id given to a line, booking or file
  CustomFields custom;          // docs/custom-fields.md

  // The sum of the time entries' hours.
  double hours_spent() const {
    double sum = 0;
    for (const auto& t : time_entries) sum += t.hours;
    return sum;
  }

  friend bool operator==(const Order&, const Order&) = default;
};

template <> struct Describe<Order> {
  static constexpr auto fields = std::make_tuple(
      field("id", &Order::id), field("kind", &Order::kind), field("number", &Order::number),
      field("customer", &Order::customer), field("facility", &Order::facility),
      field("service_object", &Order::service_object), field("contact", &Order::contact),
      field("subject", &Order::subject), field("description", &Order::description),
      field("status", &Order::status), field("planned", &Order::planned),
      field("assigned", &Order::assigned), field("cost_center", &Order::cost_center),
      field("customer_order_number", &Order::customer_order_number), field("lines", &Order::lines),
      field("notes", &Order::notes), field("time_entries", &Order::time_entries),
      field("bookings", &Order::bookings), field("files", &Order::files), field("origin", &Order::origin),
      field("sales_order", &Order::sales_order), field("closed", &Order::closed),
      field("closed_at", &Order::closed_at), field("created_by", &Order::created_by),
      field("created_at", &Order::created_at), field("revision", &Order::revision),
      field("last_item", &Order::last_item), field("custom", &Order::custom, 6));
};

// Columns an order list sorts by. Whatever the column, closed orders come
// after open ones; ties go by id.
enum class OrderColumn : std::uint8_t {
  number, kind, customer, subject, status, planned, created_at, cost_center, customer_order_number,
};

template <> struct EnumNames<OrderColumn> {
  static constexpr std::array<std::pair<OrderColumn, std::string_view>, 9> names{{
      {OrderColumn::number, "number"}, {OrderColumn::kind, "kind"}, {OrderColumn::customer, "customer"},
      {OrderColumn::subject, "subject"}, {OrderColumn::status, "status"}, {OrderColumn::planned, "planned"},
      {OrderColumn::created_at, "created_at"}, {OrderColumn::cost_center, "cost_center"},
      {OrderColumn::customer_order_number, "customer_order_number"}}};
};

// OrderQuery: which orders a list shows. Every filter given narrows it.
// `assigned_to_me` keeps the orders the reading user is assigned to; the
// planned range is [planned_from, planned_to) and leaves out orders without
// a planned date. Without `sort`, a list of contact orders goes by planned
// date (orders without one last), or by number when the settings say
// contact_orders_by_number; any other list newest first (by creation).
// Results are cut to [offset, offset+limit): the first 10 by default.
struct OrderQuery {
  std::optional<OrderKind> kind;
  std::optional<CustomerId> customer;
  std::optional<std::string> status;
  bool assigned_to_me = false;
  std::optional<UserId> assigned_to;
  std::optional<Timestamp> planned_from;
  std::optional<Timestamp> planned_to;
  std::optional<bool> closed;
  std::vector<CustomFilter> custom;  // each must hold
  std::optional<OrderColumn> sort;
  std::string custom_sort;           // a custom field's key: sorts by it instead of `sort`
  bool descending = false;
  std::size_t offset = 0;
  std::size_t limit = 10;

  friend bool operator==(const OrderQuery&, const OrderQuery&) = default;
};

template <> struct Describe<OrderQuery> {
  static constexpr auto fields = std::make_tuple(
      field("kind", &OrderQuery::kind), field("customer", &OrderQuery::customer),
      field("status", &OrderQuery::status), field("assigned_to_me", &OrderQuery::assigned_to_me),
      field("assigned_to", &OrderQuery::assigned_to), field("planned_from", &OrderQuery::planned_from),
      field("planned_to", &OrderQuery::planned_to), field("closed", &OrderQuery::closed),
      field("sort", &OrderQuery::sort), field("descending", &OrderQuery::descending),
      field("offset", &OrderQuery::offset), field("limit", &OrderQuery::limit),
      field("custom", &OrderQuery::custom, 6), field("custom_sort", &OrderQuery::custom_sort, 6));
};

// OrderFilter: a query a user saved under a name, for himself. `owner` is
// set by the register.
struct OrderFilter {
  UserId owner;
  std::string name;
  OrderQuery query;

  friend bool operator==(const OrderFilter&, const OrderFilter&) = default;
};

template <> struct Describe<OrderFilter> {
  static constexpr auto fields = std::make_tuple(
      field("owner", &OrderFilter::owner), field("name", &OrderFilter::name), field("query", &OrderFilter::query));
};

// OrderStatuses: the statuses an order of `kind` may have, in the order the
// administrator lists them; the first is a new order's.
struct OrderStatuses {
  OrderKind kind = OrderKind::work_order;
  std::vector<std::string> statuses;

  friend bool operator==(const OrderStatuses&, const OrderStatuses&) = default;
};

template <> struct Describe<OrderStatuses> {
  static constexpr auto fields =
      std::make_tuple(field("kind", &OrderStatuses::kind), field("statuses", &OrderStatuses::statuses));
};

// TodoItem: one entry of a user's to-do list: an open contact order he is
// assigned to (booking 0) or a booking of his not yet done.
struct TodoItem {
  std::optional<Timestamp> when;  // the booking's time, or the order's planned date
  OrderId order;
  std::uint32_t booking = 0;
  std::string text;  // the booking's text, or the order's subject

  friend bool operator==(const TodoItem&, const TodoItem&) = default;
};

template <> struct Describe<TodoItem> {
  static constexpr auto fields = std::make_tuple(
      field("when", &TodoItem::when), field("order", &TodoItem::order), field("booking", &TodoItem::booking),
      field("text", &TodoItem::text));
};

// Recipient: a contact person a service protocol or work order goes to.
struct Recipient {
  ContactId contact;
  std::string name;
  std::string email;

  friend bool operator==(const Recipient&, const Recipient&) = default;
};

template <> struct Describe<Recipient> {
  static constexpr auto fields = std::make_tuple(
      field("contact", &Recipient::contact), field("name", &Recipient::name), field("email", &Recipient::email));
};

// Recipients: for a work order, the contacts of its customer flagged "send
// work orders"; for a service order, those flagged "send service protocol".
// Flagged contacts without an e-mail address are listed apart: they cannot
// receive it.
struct Recipients {
  std::vector<Recipient> to;
  std::vector<Recipient> without_email;

  friend bool operator==(const Recipients&, const Recipients&) = default;
};

template <> struct Describe<Recipients> {
  static constexpr auto fields =
      std::make_tuple(field("to", &Recipients::to), field("without_email", &Recipients::without_email));
};

}  // namespace kartotek
