// kartotek/internal/stores.hpp: the Boost.MultiIndex stores behind a Register.
//
// Each row holds a record plus the keys derived from it under the register's
// TextRules (folded match keys and collation sort keys). Rows are only ever
// changed with replace(), never modify(): replace() leaves the container
// untouched when a unique key collides, where modify() would erase the element.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <boost/multi_index/composite_key.hpp>
#include <boost/multi_index/hashed_index.hpp>
#include <boost/multi_index/mem_fun.hpp>
#include <boost/multi_index/member.hpp>
#include <boost/multi_index/ordered_index.hpp>
#include <boost/multi_index/ranked_index.hpp>
#include <boost/multi_index_container.hpp>

#include "kartotek/contact.hpp"
#include "kartotek/crm.hpp"
#include "kartotek/customer.hpp"
#include "kartotek/facility.hpp"
#include "kartotek/history.hpp"
#include "kartotek/notification.hpp"
#include "kartotek/order.hpp"
#include "kartotek/user.hpp"

namespace kartotek::internal {

namespace mi = boost::multi_index;

struct by_id {};
struct by_number {};
struct by_name {};
struct by_name_order {};
struct by_technician {};
struct by_customer {};
struct by_contact {};
struct by_facility {};
struct by_login {};
struct by_record {};
struct by_time {};

struct CustomerRow {
  Customer record;
  std::string number_key;    // trimmed, folded number: the uniqueness key
  std::string number_order;  // numeric collation key of the number
  std::string name_key;      // folded name: prefix and substring search
  std::string name_order;    // collation key of the name
  std::string email_key;     // folded e-mail

  std::uint64_t id() const { return record.id.value; }
  std::uint64_t technician() const {
    return record.assigned_technician ? record.assigned_technician->value : 0;
  }
};

using CustomerStore = mi::multi_index_container<
    CustomerRow,
    mi::indexed_by<
        mi::ordered_unique<mi::tag<by_id>, mi::const_mem_fun<CustomerRow, std::uint64_t, &CustomerRow::id>>,
        mi::hashed_unique<mi::tag<by_number>, mi::member<CustomerRow, std::string, &CustomerRow::number_key>>,
        mi::ordered_non_unique<mi::tag<by_name>, mi::member<CustomerRow, std::string, &CustomerRow::name_key>>,
        // Ranked: a list sorted by name, all customers' or one technician's,
        // is counted and paged in logarithmic time instead of walked
        // (Register::search_customers).
        mi::ranked_unique<
            mi::tag<by_name_order>,
            mi::composite_key<CustomerRow, mi::member<CustomerRow, std::string, &CustomerRow::name_order>,
                              mi::const_mem_fun<CustomerRow, std::uint64_t, &CustomerRow::id>>>,
        mi::ranked_unique<
            mi::tag<by_technician>,
            mi::composite_key<CustomerRow,
                              mi::const_mem_fun<CustomerRow, std::uint64_t, &CustomerRow::technician>,
                              mi::member<CustomerRow, std::string, &CustomerRow::name_order>,
                              mi::const_mem_fun<CustomerRow, std::uint64_t, &CustomerRow::id>>>>>;

struct ContactRow {
  Contact record;
  std::string first_name_key;
  std::string last_name_key;
  std::string full_name_key;  // "first last", folded
  std::string email_key;
  std::string last_name_order;
  std::string first_name_order;

  std::uint64_t id() const { return record.id.value; }
};

using ContactStore = mi::multi_index_container<
    ContactRow,
    mi::indexed_by<
        mi::ordered_unique<mi::tag<by_id>, mi::const_mem_fun<ContactRow, std::uint64_t, &ContactRow::id>>,
        mi::ordered_non_unique<mi::tag<by_name>, mi::member<ContactRow, std::string, &ContactRow::last_name_key>>>>;

struct LinkRow {
  ContactLink link;
  std::uint64_t customer() const { return link.customer.value; }
  std::uint64_t contact() const { return link.contact.value; }
};

using LinkStore = mi::multi_index_container<
    LinkRow,
    mi::indexed_by<
        mi::ordered_unique<mi::tag<by_customer>,
                           mi::composite_key<LinkRow, mi::const_mem_fun<LinkRow, std::uint64_t, &LinkRow::customer>,
                                             mi::const_mem_fun<LinkRow, std::uint64_t, &LinkRow::contact>>>,
        mi::ordered_unique<mi::tag<by_contact>,
                           mi::composite_key<LinkRow, mi::const_mem_fun<LinkRow, std::uint64_t, &LinkRow::contact>,
                                             mi::const_mem_fun<LinkRow, std::uint64_t, &LinkRow::customer>>>>>;

struct FacilityRow {
  Facility record;
  std::uint64_t id() const { return record.id.value; }
  std::uint64_t customer() const { return record.customer.value; }
};

using FacilityStore = mi::multi_index_container<
    FacilityRow,
    mi::indexed_by<
        mi::ordered_unique<mi::tag<by_id>, mi::const_mem_fun<FacilityRow, std::uint64_t, &FacilityRow::id>>,
        mi::ordered_unique<mi::tag<by_customer>,
                           mi::composite_key<FacilityRow, mi::const_mem_fun<FacilityRow, std::uint64_t, &FacilityRow::customer>,
                                             mi::const_mem_fun<FacilityRow, std::uint64_t, &FacilityRow::id>>>>>;

struct ServiceObjectRow {
  ServiceObject record;
  std::uint64_t id() const { return record.id.value; }
  std::uint64_t facility() const { return record.facility.value; }
};

using ServiceObjectStore = mi::multi_index_container<
    ServiceObjectRow,
    mi::indexed_by<
        mi::ordered_unique<mi::tag<by_id>, mi::const_mem_fun<ServiceObjectRow, std::uint64_t, &ServiceObjectRow::id>>,
        mi::ordered_unique<mi::tag<by_facility>,
                           mi::composite_key<ServiceObjectRow,
                                             mi::const_mem_fun<ServiceObjectRow, std::uint64_t, &ServiceObjectRow::facility>,
                                             mi::const_mem_fun<ServiceObjectRow, std::uint64_t, &ServiceObjectRow::id>>>>>;

struct UserRow {
  User record;
  std::string login_key;  // trimmed, folded login: unique
  std::uint64_t id() const { return record.id.value; }
};

using UserStore = mi::multi_index_container<
    UserRow,
    mi::indexed_by<
        mi::ordered_unique<mi::tag<by_id>, mi::const_mem_fun<UserRow, std::uint64_t, &UserRow::id>>,
        mi::hashed_unique<mi::tag<by_login>, mi::member<UserRow, std::string, &UserRow::login_key>>>>;

struct UserGroupRow {
  UserGroup record;
  std::uint64_t id() const { return record.id.value; }
};

using UserGroupStore = mi::multi_index_container<
    UserGroupRow,
    mi::indexed_by<
        mi::ordered_unique<mi::tag<by_id>, mi::const_mem_fun<UserGroupRow, std::uint64_t, &UserGroupRow::id>>>>;

struct by_recipient {};

struct NotificationRow {
  Notification record;
  std::uint64_t id() const { return record.id.value; }
  std::uint64_t recipient() const { return record.recipient.value; }
};

using NotificationStore = mi::multi_index_container<
    NotificationRow,
    mi::indexed_by<
        mi::ordered_unique<mi::tag<by_id>, mi::const_mem_fun<NotificationRow, std::uint64_t, &NotificationRow::id>>,
        mi::ordered_unique<mi::tag<by_recipient>,
                           mi::composite_key<NotificationRow,
                                             mi::const_mem_fun<NotificationRow, std::uint64_t, &NotificationRow::recipient>,
                                             mi::const_mem_fun<NotificationRow, std::uint64_t, &NotificationRow::id>>>>>;

// HistoryFacts: what a history row says besides its packed field and
// values, the same in a row and in a view of one.
struct HistoryFacts {
  std::uint64_t seq = 0;
  std::uint64_t change = 0;
  Timestamp time{};
  std::uint64_t actor = 0;
  std::uint64_t record = 0;
  RecordKind record_kind = RecordKind::customer;
  Source source = Source::api;
  Action action = Action::changed;
};

// HistoryRow: a HistoryEntry with its field name and values packed into
// bytes (src/history_codec.hpp); unpack_row gives the entry back. The form
// in which a row is made and read from a snapshot; the log keeps it apart.
struct HistoryRow : HistoryFacts {
  std::string packed;
};

// HistoryRowView: one row of the HistoryLog, its packed bytes in the log's
// storage (valid while the row is in the log).
struct HistoryRowView : HistoryFacts {
  std::string_view packed;

  HistoryRowView() = default;
  HistoryRowView(const HistoryFacts& facts, std::string_view bytes) : HistoryFacts(facts), packed(bytes) {}
  HistoryRowView(const HistoryRow& r)  // NOLINT(google-explicit-constructor): a row is its own view
      : HistoryRowView(r, r.packed) {}

  std::uint64_t sequence() const { return seq; }
  RecordKind kind() const { return record_kind; }
  std::uint64_t record_id() const { return record; }
  Timestamp at() const { return time; }
};

// HistoryLog: the register's change history, in sequence order. History is
// only ever appended to (an undone command takes its rows back from the
// end), so it needs no tree: a row is 64 bytes in a deque, its packed
// bytes lie one after the other in blocks, and a record's rows are linked
// from the newest back. Rows are found by sequence number and by time by
// halving (times are in order unless the clock went back, and are then
// scanned), and a record's rows by following its links. Compared with a
// multi-index container of three ordered indexes a row takes about a third
// less memory, and nothing is allocated per row (docs/architecture.md).
class HistoryLog {
 public:
  HistoryLog() = default;
  HistoryLog(const HistoryLog&) = delete;
  HistoryLog& operator=(const HistoryLog&) = delete;

  std::size_t size() const noexcept { return slots_.size(); }
  bool empty() const noexcept { return slots_.empty(); }
  HistoryRowView operator[](std::size_t i) const;
  // The last row's sequence number; 0 when there is none.
  std::uint64_t last_sequence() const noexcept { return slots_.empty() ? 0 : slots_.back().seq; }
  // The position of the first row whose sequence number is above `sequence`.
  std::size_t after(std::uint64_t sequence) const;

  // Appends `row`; false (and nothing appended) unless its sequence number
  // is above the last row's.
  bool append(const HistoryRow& row);
  // Takes back the last row, which has sequence number `sequence` (an undo
  // step; anything else is a logic error).
  void pop_back(std::uint64_t sequence);
  void clear();

  // The positions of the rows of one record, in sequence order.
  std::vector<std::size_t> rows_of(RecordKind kind, std::uint64_t id) const;
  // Calls `visit(HistoryRowView)` for each row within `range`, in sequence
  // order: found by halving while the times are in order, else by a scan.
  template <class F>
  void for_each_in(const TimeRange& range, F visit) const {
    if (inversions_ == 0) {
      const std::size_t first = range.from ? first_at_or_after(*range.from) : 0;
      const std::size_t last = range.to ? first_at_or_after(*range.to) : slots_.size();
      for (std::size_t i = first; i < last; ++i) visit((*this)[i]);
    } else {
      for (std::size_t i = 0; i < slots_.size(); ++i)
        if (range.contains(Timestamp(std::chrono::microseconds(slots_[i].time)))) visit((*this)[i]);
    }
  }

 private:
  static constexpr std::uint32_t kNone = 0xffffffffu;
  struct Slot {
    std::uint64_t seq;
    std::uint64_t change;
    std::int64_t time;  // microseconds since 1970
    std::uint64_t actor;
    std::uint64_t record;
    const char* bytes;  // in blocks_
    std::uint32_t length;
    std::uint32_t previous;  // the same record's row before, or kNone
    RecordKind kind;
    Source source;
    Action action;
    bool time_went_back;  // earlier than the row before it
  };
  struct Block {
    std::unique_ptr<char[]> data;
    std::size_t size = 0;
    std::size_t used = 0;
  };
  struct RecordKey {
    std::uint64_t id;
    RecordKind kind;
    friend bool operator==(const RecordKey&, const RecordKey&) = default;
  };
  struct RecordHash {
    std::size_t operator()(const RecordKey& k) const noexcept {
      return std::hash<std::uint64_t>{}(k.id * 0x9E3779B97F4A7C15ull ^ static_cast<std::uint64_t>(k.kind));
    }
  };

  std::size_t first_at_or_after(Timestamp t) const;
  const char* store_bytes(std::string_view bytes);
  void unstore_bytes(std::size_t length) noexcept;

  std::deque<Slot> slots_;
  std::vector<Block> blocks_;
  std::unordered_map<RecordKey, std::uint32_t, RecordHash> newest_;  // each record's last row
  std::size_t inversions_ = 0;                                       // rows with time_went_back
};

struct by_kind_number {};
struct by_owner {};

struct OrderRow {
  Order record;
  std::uint64_t id() const { return record.id.value; }
  OrderKind kind() const { return record.kind; }
  std::uint64_t number() const { return record.number; }
  std::uint64_t customer() const { return record.customer.value; }
};

using OrderStore = mi::multi_index_container<
    OrderRow,
    mi::indexed_by<
        mi::ordered_unique<mi::tag<by_id>, mi::const_mem_fun<OrderRow, std::uint64_t, &OrderRow::id>>,
        mi::ordered_unique<mi::tag<by_kind_number>,
                           mi::composite_key<OrderRow, mi::const_mem_fun<OrderRow, OrderKind, &OrderRow::kind>,
                                             mi::const_mem_fun<OrderRow, std::uint64_t, &OrderRow::number>>>,
        mi::ordered_unique<mi::tag<by_customer>,
                           mi::composite_key<OrderRow, mi::const_mem_fun<OrderRow, std::uint64_t, &OrderRow::customer>,
                                             mi::const_mem_fun<OrderRow, std::uint64_t, &OrderRow::id>>>>>;

struct ArticleRow {
  Article record;
  std::string number_key;  // trimmed, folded number: unique
  std::uint64_t id() const { return record.id.value; }
};

using ArticleStore = mi::multi_index_container<
    ArticleRow,
    mi::indexed_by<
        mi::ordered_unique<mi::tag<by_id>, mi::const_mem_fun<ArticleRow, std::uint64_t, &ArticleRow::id>>,
        mi::ordered_unique<mi::tag<by_number>, mi::member<ArticleRow, std::string, &ArticleRow::number_key>>>>;

struct OrderFilterRow {
  OrderFilter record;
  std::string name_key;  // trimmed, case-folded name: unique per owner
  std::uint64_t owner() const { return record.owner.value; }
};

using OrderFilterStore = mi::multi_index_container<
    OrderFilterRow,
    mi::indexed_by<mi::ordered_unique<
        mi::tag<by_owner>,
        mi::composite_key<OrderFilterRow, mi::const_mem_fun<OrderFilterRow, std::uint64_t, &OrderFilterRow::owner>,
                          mi::member<OrderFilterRow, std::string, &OrderFilterRow::name_key>>>>>;

struct by_kind {};

// ActivityRow: an activity, found by the record it is on, by its owner and
// by kind (due reminders), each in time order.
struct ActivityRow {
  Activity record;
  std::uint64_t id() const { return record.id.value; }
  ActivityKind kind() const { return record.kind; }
  std::uint64_t customer() const { return record.customer ? record.customer->value : 0; }
  std::uint64_t contact() const { return record.contact ? record.contact->value : 0; }
  std::uint64_t owner() const { return record.owner.value; }
  Timestamp at() const { return record.at; }
};

using ActivityStore = mi::multi_index_container<
    ActivityRow,
    mi::indexed_by<
        mi::ordered_unique<mi::tag<by_id>, mi::const_mem_fun<ActivityRow, std::uint64_t, &ActivityRow::id>>,
        mi::ordered_unique<mi::tag<by_customer>,
                           mi::composite_key<ActivityRow, mi::const_mem_fun<ActivityRow, std::uint64_t, &ActivityRow::customer>,
                                             mi::const_mem_fun<ActivityRow, Timestamp, &ActivityRow::at>,
                                             mi::const_mem_fun<ActivityRow, std::uint64_t, &ActivityRow::id>>>,
        mi::ordered_unique<mi::tag<by_contact>,
                           mi::composite_key<ActivityRow, mi::const_mem_fun<ActivityRow, std::uint64_t, &ActivityRow::contact>,
                                             mi::const_mem_fun<ActivityRow, Timestamp, &ActivityRow::at>,
                                             mi::const_mem_fun<ActivityRow, std::uint64_t, &ActivityRow::id>>>,
        mi::ordered_unique<mi::tag<by_owner>,
                           mi::composite_key<ActivityRow, mi::const_mem_fun<ActivityRow, std::uint64_t, &ActivityRow::owner>,
                                             mi::const_mem_fun<ActivityRow, Timestamp, &ActivityRow::at>,
                                             mi::const_mem_fun<ActivityRow, std::uint64_t, &ActivityRow::id>>>,
        mi::ordered_unique<mi::tag<by_kind>,
                           mi::composite_key<ActivityRow, mi::const_mem_fun<ActivityRow, ActivityKind, &ActivityRow::kind>,
                                             mi::const_mem_fun<ActivityRow, Timestamp, &ActivityRow::at>,
                                             mi::const_mem_fun<ActivityRow, std::uint64_t, &ActivityRow::id>>>>>;

}  // namespace kartotek::internal
