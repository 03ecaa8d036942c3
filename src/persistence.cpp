// src/persistence.cpp: a register on disk — the state's binary form, open
// (snapshot + journal replay), compaction, and the directory lock.
// The formats are described in docs/file-formats.md.

#include <cerrno>
#include <cstring>
#include <mutex>
#include <shared_mutex>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "archive.hpp"
#include "register_impl.hpp"

namespace kartotek {

using namespace internal;

namespace {

const char* const kSnapshot = "snapshot";
const char* const kJournal = "journal";
const char* const kLock = "lock";

// The directory lock: an flock() on <dir>/lock, held while the register is
// open. The file is left behind; the lock dies with the process.
std::shared_ptr<void> lock_directory(const std::filesystem::path& dir) {
  auto path = dir / kLock;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw IoError("cannot open " + path.string() + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK)
      throw Conflict("the register at " + dir.string() + " is already open for writing");
    throw IoError("cannot lock " + path.string() + ": " + std::strerror(err));
  }
  return std::shared_ptr<void>(new int(fd), [](void* p) {
    int* fd = static_cast<int*>(p);
    ::close(*fd);
    delete fd;
  });
}

void replay(Register::Impl& r, const JournalRecord& rec) {
  const User* acting =
      std::holds_alternative<CreateFirstAdministrator>(rec.command) ? nullptr : &r.actor(rec.actor);
  Transaction tx(r, acting, rec.source, rec.at);
  tx.replaying = true;
  if (tx.change() != rec.change)
    throw Corrupt("record of change " + std::to_string(rec.change) + " follows change " +
                  std::to_string(tx.change() - 1));
  run_command(r, tx, rec.command);
  if (!tx.changed()) throw Corrupt("record of change " + std::to_string(rec.change) + " changes nothing");
  tx.commit();
}

void write_new_journal(FileSystem& fs, const std::filesystem::path& dir, std::uint64_t base_change) {
  auto tmp = dir / "journal.tmp";
  fs.write_synced(tmp, storage::encode_journal_header(base_change));
  fs.rename(tmp, dir / kJournal);
  fs.sync_directory(dir);
}

// `file`: a whole snapshot (snapshot_file).
void write_new_snapshot(FileSystem& fs, const std::filesystem::path& dir, std::string_view file) {
  auto tmp = dir / "snapshot.tmp";
  fs.write_synced(tmp, file);
  fs.rename(tmp, dir / kSnapshot);
  fs.sync_directory(dir);
}

// Replays the journal into `r`; cuts a torn tail. Throws Corrupt naming the
// offset for damage a cut-off write cannot explain, before changing any file.
// Returns the format the journal's records are written in.
std::uint32_t replay_journal(Register::Impl& r, FileSystem& fs, const std::filesystem::path& dir,
                             OpenReport& report) {
  auto path = dir / kJournal;
  std::string data = fs.read(path);
  if (data.size() < storage::kJournalHeader) {
    // Creating the journal was cut off: nothing was ever journaled in it.
    report.cut_tail = "journal header incomplete (" + std::to_string(data.size()) + " bytes); started anew";
    write_new_journal(fs, dir, r.counters.change);
    return storage::kFormatVersion;
  }
  auto header = storage::decode_journal_header(data);
  std::uint64_t base = header.base_change;
  if (base > r.counters.change)
    throw Corrupt("journal follows change " + std::to_string(base) + " but the snapshot ends at change " +
                  std::to_string(r.counters.change));
  std::size_t pos = storage::kJournalHeader;
  std::size_t cut = data.size();
  while (pos < data.size()) {
    auto f = storage::read_frame(data, pos);
    if (f.kind == storage::FrameCheck::torn_tail) {
      report.cut_tail = f.reason;
      cut = pos;
      break;
    }
    if (f.kind == storage::FrameCheck::corrupt) throw Corrupt("journal: " + f.reason);
    try {
      auto rec = storage::decode_record(f.payload, header.format);
      if (rec.change <= r.counters.change) {
        if (report.replayed) throw Corrupt("change " + std::to_string(rec.change) + " appears twice");
        ++report.skipped;  // already in the snapshot (compaction was cut off before the new journal)
      } else {
        replay(r, rec);
        ++report.replayed;
      }
    } catch (const Corrupt& e) {
      throw Corrupt("journal record at offset " + std::to_string(pos) + ": " + e.what());
    } catch (const Error& e) {
      throw Corrupt("journal record at offset " + std::to_string(pos) + " no longer applies: " + e.what());
    }
    pos = f.next;
  }
  if (cut < data.size()) {
    auto file = fs.open_append(path);
    file->truncate(cut);
    file->sync();
  }
  return header.format;
}

// Format 1 had no rights: every active user could do everything but what
// only administrators do. Its staff users keep that: they get every right.
void grant_format_1_rights(Register::Impl& r) {
  std::vector<UserRow> rows(r.users.begin(), r.users.end());
  for (auto& row : rows) {
    if (row.record.administrator || row.record.kind != UserKind::staff) continue;
    row.record.rights = every_right();
    r.users.replace(r.users.find(row.id()), row);
  }
}

// IdSet: the ids a store holds, for checking the references between records
// while loading. A register's ids are dense (each kind counts from 1), so a
// bitmap answers with one bit per id where the store's tree would be
// descended, a cache miss a level, for every reference; a store whose
// counter runs far ahead of its size (a hostile file) is asked itself.
template <class Store>
class IdSet {
 public:
  IdSet(const Store& store, std::uint64_t counter) : store_(&store) {
    if (counter / 8 <= store.size() + 4096) {
      bits_.assign(counter + 1, false);
      for (const auto& row : store) bits_[row.id()] = true;  // at most the counter: checked on insertion
    }
  }
  bool contains(std::uint64_t id) const {
    if (!bits_.empty()) return id < bits_.size() && bits_[id];
    return store_->find(id) != store_->end();
  }

 private:
  const Store* store_;
  std::vector<bool> bits_;
};

}  // namespace

StateParts state_parts(const Register::Impl& r, bool with_history) {
  StateParts p;
  p.settings = r.settings;
  p.counters = r.counters;
  for (const auto& [number, owner] : r.retired_numbers) p.retired_numbers.push_back({number, owner});
  for (const auto& row : r.customers) p.customers.push_back(row.record);
  for (const auto& row : r.contacts) p.contacts.push_back(row.record);
  for (const auto& row : r.links) p.contact_links.push_back(row.link);
  for (const auto& row : r.facilities) p.facilities.push_back(row.record);
  for (const auto& row : r.service_objects) p.service_objects.push_back(row.record);
  for (const auto& row : r.users) p.users.push_back(row.record);
  if (with_history) {
    p.history.reserve(r.history.size());
    for (std::size_t i = 0; i < r.history.size(); ++i) p.history.push_back(unpack_row(r.history_keys, r.history[i]));
  }
  for (const auto& row : r.user_groups) p.user_groups.push_back(row.record);
  for (const auto& row : r.notifications) p.notifications.push_back(row.record);
  for (const auto& row : r.orders) p.orders.push_back(row.record);
  for (const auto& row : r.articles) p.articles.push_back(row.record);
  for (const auto& row : r.order_filters) p.order_filters.push_back(row.record);
  for (const auto& row : r.activities) p.activities.push_back(row.record);
  p.field_definitions = r.field_definitions;
  for (const auto& [number, customer] : r.merged_numbers) p.merged_numbers.push_back({number, customer});
  return p;
}

std::unique_ptr<Register::Impl> assemble(StateParts p, std::shared_ptr<const Clock> clock,
                                         internal::PackedHistory* packed) {
  std::unique_ptr<Register::Impl> impl;
  try {
    impl = std::make_unique<Register::Impl>(std::move(clock), std::move(p.settings));
  } catch (const ValidationError& e) {
    throw Corrupt(std::string("settings: ") + e.what());
  }
  auto& r = *impl;
  const Counters& n = p.counters;
  r.counters = n;
  auto check = [](bool ok, const std::string& what) {
    if (!ok) throw Corrupt(what);
  };
  auto within = [](std::uint64_t id, std::uint64_t counter) { return id != 0 && id <= counter; };
  for (auto& x : p.retired_numbers)
    check(r.retired_numbers.emplace(std::move(x.number), x.customer).second, "a retired number appears twice");
  for (auto& c : p.customers) {
    check(within(c.id.value, n.customer), "customer " + std::to_string(c.id.value) + " is beyond the id counter");
    check(r.customers.insert(r.customer_row(std::move(c))).second, "two customers share an id or a number");
  }
  const IdSet customers(r.customers, n.customer);
  for (auto& x : p.merged_numbers) {
    check(r.retired_numbers.count(x.number) == 1, "merged number '" + x.number + "' is not a retired number");
    check(customers.contains(x.customer.value),
          "merged number '" + x.number + "' names a missing customer");
    check(r.merged_numbers.emplace(std::move(x.number), x.customer).second, "a merged number appears twice");
  }
  for (auto& c : p.contacts) {
    check(within(c.id.value, n.contact), "contact " + std::to_string(c.id.value) + " is beyond the id counter");
    check(r.contacts.insert(r.contact_row(std::move(c))).second, "two contacts share an id");
  }
  const IdSet contacts(r.contacts, n.contact);
  for (auto& l : p.contact_links) {
    check(customers.contains(l.customer.value) && contacts.contains(l.contact.value),
          "a contact link names a missing record");
    check(r.links.insert(LinkRow{l}).second, "a contact link appears twice");
  }
  for (auto& f : p.facilities) {
    check(within(f.id.value, n.facility), "facility " + std::to_string(f.id.value) + " is beyond the id counter");
    check(customers.contains(f.customer.value), "a facility names a missing customer");
    check(r.facilities.insert(FacilityRow{std::move(f)}).second, "two facilities share an id");
  }
  const IdSet facilities(r.facilities, n.facility);
  for (auto& s : p.service_objects) {
    check(within(s.id.value, n.service_object), "service object " + std::to_string(s.id.value) + " is beyond the id counter");
    check(facilities.contains(s.facility.value), "a service object names a missing facility");
    check(r.service_objects.insert(ServiceObjectRow{std::move(s)}).second, "two service objects share an id");
  }
  for (auto& u : p.users) {
    check(within(u.id.value, n.user), "user " + std::to_string(u.id.value) + " is beyond the id counter");
    check(r.users.insert(r.user_row(std::move(u))).second, "two users share an id or a login");
  }
  for (auto& g : p.user_groups) {
    check(within(g.id.value, n.user_group), "user group " + std::to_string(g.id.value) + " is beyond the id counter");
    check(r.user_groups.insert(UserGroupRow{std::move(g)}).second, "two user groups share an id");
  }
  for (const auto& row : r.users) {
    const User& u = row.record;
    for (UserGroupId g : u.groups)
      check(r.user_groups.find(g.value) != r.user_groups.end(),
            "user " + std::to_string(u.id.value) + " is in the missing user group " + std::to_string(g.value));
    check(u.kind == UserKind::customer ? u.customer.has_value() : !u.customer && !u.contact,
          "user " + std::to_string(u.id.value) + " is bound to a customer wrongly for his kind");
    if (u.customer) check(customers.contains(u.customer->value),
                          "user " + std::to_string(u.id.value) + " is bound to a missing customer");
    if (u.contact) check(contacts.contains(u.contact->value),
                         "user " + std::to_string(u.id.value) + " is made from a missing contact");
  }
  const IdSet users(r.users, n.user);
  for (auto& x : p.notifications) {
    check(within(x.id.value, n.notification), "notification " + std::to_string(x.id.value) + " is beyond the id counter");
    check(users.contains(x.recipient.value), "a notification names a missing user");
    check(r.notifications.insert(NotificationRow{std::move(x)}).second, "two notifications share an id");
  }
  for (const auto& row : r.customers)
    if (const auto& t = row.record.assigned_technician)
      check(users.contains(t->value),
            "customer " + std::to_string(row.record.id.value) + " is assigned to the missing user " +
                std::to_string(t->value));
  for (auto& a : p.articles) {
    check(within(a.id.value, n.article), "article " + std::to_string(a.id.value) + " is beyond the id counter");
    check(r.articles.insert(r.article_row(std::move(a))).second, "two articles share an id or a number");
  }
  const IdSet service_objects(r.service_objects, n.service_object);
  auto live_user = [&](UserId u) { return users.contains(u.value); };
  for (auto& o : p.orders) {
    const std::string what = "order " + std::to_string(o.id.value);
    auto kind = static_cast<std::size_t>(o.kind);
    check(within(o.id.value, n.order), what + " is beyond the id counter");
    check(kind < n.order_numbers.size() && within(o.number, n.order_numbers[kind]),
          what + " has a number beyond its kind's counter");
    check(customers.contains(o.customer.value), what + " names a missing customer");
    if (o.facility) check(facilities.contains(o.facility->value), what + " names a missing facility");
    if (o.service_object)
      check(service_objects.contains(o.service_object->value), what + " names a missing service object");
    if (o.contact) check(contacts.contains(o.contact->value), what + " names a missing contact");
    for (UserId u : o.assigned) check(live_user(u), what + " is assigned to a missing user");
    for (const auto& b : o.bookings) check(live_user(b.user), what + " has a booking for a missing user");
    check(r.orders.insert(OrderRow{std::move(o)}).second, "two orders share an id, or a kind and number");
  }
  const IdSet orders(r.orders, n.order);
  for (const auto& row : r.orders) {
    const Order& o = row.record;
    if (o.origin) check(orders.contains(o.origin->value), "an order names a missing origin");
    if (o.sales_order) check(orders.contains(o.sales_order->value), "an order names a missing sales order");
  }
  for (auto& f : p.order_filters) {
    check(live_user(f.owner), "a favourite filter belongs to a missing user");
    check(r.order_filters.insert(r.order_filter_row(std::move(f))).second, "a user has two filters of one name");
  }
  for (const auto& row : r.customers)
    for (UserId u : row.record.employees)
      check(live_user(u), "customer " + std::to_string(row.record.id.value) + " has a missing user as employee");
  for (auto& a : p.activities) {
    const std::string what = "activity " + std::to_string(a.id.value);
    check(within(a.id.value, n.activity), what + " is beyond the id counter");
    check(a.customer.has_value() != a.contact.has_value(), what + " is not on exactly one customer or contact");
    if (a.customer) check(customers.contains(a.customer->value), what + " names a missing customer");
    if (a.contact) check(contacts.contains(a.contact->value), what + " names a missing contact");
    if (a.owner) check(live_user(a.owner), what + " belongs to a missing user");
    for (UserId u : a.participants) check(live_user(u), what + " has a missing user as participant");
    check(r.activities.insert(ActivityRow{std::move(a)}).second, "two activities share an id");
  }
  for (std::size_t i = 0; i < p.field_definitions.size(); ++i) {
    const auto& d = p.field_definitions[i];
    check(i == 0 || std::tie(p.field_definitions[i - 1].kind, p.field_definitions[i - 1].key) < std::tie(d.kind, d.key),
          "custom field definitions are out of order or repeated");
  }
  r.field_definitions = std::move(p.field_definitions);
  auto add_history = [&](HistoryRow&& row) {
    check(within(row.seq, n.history), "history entry " + std::to_string(row.seq) + " is beyond its counter");
    check(row.change <= n.change, "a history entry is beyond the change counter");
    check(r.history.append(row), "the history entries are not in the order of their sequence numbers");
  };
  if (packed) {
    check(p.history.empty(), "history is both packed and unpacked");
    read_rows(*packed, r.history_keys, add_history);
  }
  for (const auto& e : p.history) add_history(pack_row(r.history_keys, e));
  return impl;
}

namespace {

// RecordsOf: the records of a store's rows, written as a std::vector of
// them is (a count, then each record), straight from the store.
template <class Store, class Get>
struct RecordsOf {
  const Store& store;
  Get get;  // row -> const record&
};

template <class Archive, class Store, class Get>
void save(Archive& ar, const RecordsOf<Store, Get>& records) {
  ar(cereal::make_size_tag(static_cast<cereal::size_type>(records.store.size())));
  for (const auto& row : records.store) ar(records.get(row));
}

// (Spelled out: clang before 17 deduces no template arguments of an aggregate.)
template <class Store, class Get>
RecordsOf<Store, Get> records_of(const Store& store, Get get) {
  return RecordsOf<Store, Get>{store, get};
}

template <class Store>
auto records_of(const Store& store) {
  return records_of(store, [](const auto& row) -> const auto& { return row.record; });
}

// StatePartsOf: what state_parts(r, false) makes, written byte for byte as
// it is, but from the stores, so that saving a register does not first copy
// every record (tests/cpp/persistence_test.cpp compares the two).
struct StatePartsOf {
  const Register::Impl& r;
};

// Written in the order of Describe<StateParts>; a field added there must be
// added here.
static_assert(std::tuple_size_v<decltype(Describe<StateParts>::fields)> == 18,
              "StatePartsOf writes every field of StateParts, in order");

template <class Archive>
void save(Archive& ar, const StatePartsOf& parts) {
  const Register::Impl& r = parts.r;
  std::vector<RetiredNumber> retired;
  for (const auto& [number, owner] : r.retired_numbers) retired.push_back({number, owner});
  std::vector<MergedNumber> merged;
  for (const auto& [number, customer] : r.merged_numbers) merged.push_back({number, customer});
  const std::vector<HistoryEntry> history;  // written packed, after the parts
  ar(r.settings, r.counters, retired, records_of(r.customers), records_of(r.contacts),
     records_of(r.links, [](const LinkRow& row) -> const ContactLink& { return row.link; }),
     records_of(r.facilities), records_of(r.service_objects), records_of(r.users), history,
     records_of(r.user_groups), records_of(r.notifications), records_of(r.orders), records_of(r.articles),
     records_of(r.order_filters), records_of(r.activities), r.field_definitions, merged);
}

}  // namespace

std::string state_payload_by_copy(const Register::Impl& r) {
  return write_archive(state_parts(r, false), write_rows(r.history_keys, r.history));
}

std::string state_payload(const Register::Impl& r) {
  return write_archive(StatePartsOf{r}, write_rows(r.history_keys, r.history));
}

std::string snapshot_file(const Register::Impl& r) {
  // The payload is written after room for the header, which is then filled
  // in: a snapshot as large as the register is not copied on its way out,
  // and its records go into it straight from the stores.
  std::string file =
      write_archive_after(storage::kSnapshotHeader, StatePartsOf{r}, write_rows(r.history_keys, r.history));
  storage::seal_snapshot(file);
  return file;
}

std::unique_ptr<Register::Impl> load_state(std::string_view payload, std::shared_ptr<const Clock> clock,
                                           std::uint32_t format) {
  StateParts parts;
  internal::PackedHistory packed;
  const bool is_packed = format >= kPackedHistoryFormat;
  try {
    BoundedInputArchive ar(payload, format);
    ar(parts);
    if (is_packed) ar(packed);
    if (ar.remaining() != 0) throw Corrupt(std::to_string(ar.remaining()) + " stray bytes after the state");
  } catch (const cereal::Exception& e) {
    throw Corrupt(std::string("snapshot does not decode: ") + e.what());
  }
  return assemble(std::move(parts), std::move(clock), is_packed ? &packed : nullptr);
}

Register Register::open(const std::filesystem::path& dir, OpenOptions options) {
  if (options.durability == Durability::batch && options.batch_interval.count() <= 0)
    throw ValidationError("batch_interval", "must be at least 1 ms");
  auto fs = options.file_system ? options.file_system : posix_file_system();
  std::shared_ptr<const Clock> clock = options.clock;
  if (!clock) clock = std::make_shared<SystemClock>();
  if (!fs->exists(dir)) {
    if (!options.create) throw NotFound("no register at " + dir.string());
    fs->create_directory(dir);
  }
  auto lock = lock_directory(dir);

  std::unique_ptr<Impl> impl;
  OpenReport report;
  if (!fs->exists(dir / kSnapshot)) {
    if (fs->exists(dir / kJournal))
      throw Corrupt("register at " + dir.string() + " has a journal but no snapshot");
    if (!options.create) throw NotFound("no register at " + dir.string());
    impl = std::make_unique<Impl>(clock, options.settings);
    write_new_snapshot(*fs, dir, snapshot_file(*impl));
    write_new_journal(*fs, dir, 0);
    report.created = true;
    report.snapshot_format = storage::kFormatVersion;
  } else {
    std::string file = fs->read(dir / kSnapshot);
    storage::SnapshotView view;
    try {
      view = storage::decode_snapshot(file);
      impl = load_state(view.payload, clock, view.format);
    } catch (const Corrupt& e) {
      throw Corrupt((dir / kSnapshot).string() + ": " + e.what());
    }
    report.snapshot_format = view.format;
    report.snapshot_change = impl->counters.change;
    std::uint32_t journal_format = storage::kFormatVersion;
    if (fs->exists(dir / kJournal)) {
      try {
        journal_format = replay_journal(*impl, *fs, dir, report);
      } catch (const Corrupt& e) {
        throw Corrupt((dir / kJournal).string() + ": " + e.what());
      }
    } else {
      // Creation was cut off between the snapshot and the journal.
      write_new_journal(*fs, dir, impl->counters.change);
    }
    // A register of an earlier format is rewritten in the current one, as a
    // compaction does, so that new records never go into an old journal.
    std::uint32_t oldest = std::min(view.format, journal_format);
    if (view.format < 2) grant_format_1_rights(*impl);
    if (oldest < storage::kFormatVersion) {
      write_new_snapshot(*fs, dir, snapshot_file(*impl));
      write_new_journal(*fs, dir, impl->counters.change);
      report.upgraded_from = oldest;
    }
  }
  fs->remove(dir / "snapshot.tmp");
  fs->remove(dir / "journal.tmp");

  impl->directory = dir;
  impl->file_system = fs;
  impl->directory_lock = std::move(lock);
  impl->journal = std::make_unique<storage::Journal>(fs->open_append(dir / kJournal), options.durability,
                                                     options.batch_interval);
  impl->report = std::move(report);
  return Register(std::move(impl));
}

namespace {
constexpr const char* kJsonFormat = "kartotek-register";
constexpr std::int64_t kJsonVersion = 1;
}  // namespace

std::string Register::export_json(UserId actor) const {
  std::shared_lock lock(impl_->mutex);
  if (!impl_->actor(actor).administrator)
    throw PermissionDenied("only an administrator may export the whole register");
  Value doc = to_value(state_parts(*impl_));
  auto& members = doc.as<Value::Object>();
  members.insert(members.begin(), {Member{"format", Value(kJsonFormat)},
                                   Member{"version", Value(kJsonVersion)}});
  return to_json(doc);
}

Register Register::import_json(std::string_view json, std::shared_ptr<const Clock> clock) {
  if (!clock) clock = std::make_shared<SystemClock>();
  Value doc = parse_json(json);
  if (!doc.is<Value::Object>()) throw ValidationError("", "a register document is a JSON object");
  const Value* format = doc.find("format");
  const Value* version = doc.find("version");
  if (!format || !(*format == Value(kJsonFormat)))
    throw ValidationError("format", std::string("expected \"") + kJsonFormat + "\"");
  if (!version || !(*version == Value(kJsonVersion)))
    throw ValidationError("version", "expected " + std::to_string(kJsonVersion));
  auto& members = doc.as<Value::Object>();
  std::erase_if(members, [](const Member& m) { return m.key == "format" || m.key == "version"; });
  for (const char* required : {"settings", "counters", "customers", "users", "history"})
    if (!doc.find(required)) throw ValidationError(required, "missing");
  StateParts parts;
  from_value(doc, parts, "");
  return Register(assemble(std::move(parts), std::move(clock)));
}

void Register::save_as(const std::filesystem::path& dir, std::shared_ptr<FileSystem> file_system) const {
  auto fs = file_system ? file_system : posix_file_system();
  std::string file;
  std::uint64_t change = 0;
  {
    std::shared_lock lock(impl_->mutex);
    file = snapshot_file(*impl_);
    change = impl_->counters.change;
  }
  if (!fs->exists(dir)) fs->create_directory(dir);
  auto lock = lock_directory(dir);
  if (fs->exists(dir / kSnapshot) || fs->exists(dir / kJournal))
    throw Conflict("a register already exists at " + dir.string());
  write_new_snapshot(*fs, dir, file);
  write_new_journal(*fs, dir, change);
}

const OpenReport& Register::open_report() const { return impl_->report; }

bool Register::persistent() const { return !impl_->directory.empty(); }

void Register::compact() {
  auto& r = *impl_;
  std::unique_lock lock(r.mutex);
  if (r.closed) throw Conflict("the register is closed");
  if (!r.journal) return;
  r.journal->check_usable();
  auto& fs = *r.file_system;
  write_new_snapshot(fs, r.directory, snapshot_file(r));
  // From here the old journal's records are all in the snapshot. If starting
  // the new journal fails, later commands must not go to a file that a
  // rename may already have replaced: the journal refuses them.
  try {
    write_new_journal(fs, r.directory, r.counters.change);
    r.journal->replace_file(fs.open_append(r.directory / kJournal));
  } catch (const Error& e) {
    r.journal->set_broken(std::string("compaction could not start a new journal: ") + e.what());
    throw;
  }
}

void Register::sync() {
  std::shared_lock lock(impl_->mutex);
  if (impl_->journal) impl_->journal->sync();
}

void Register::close() {
  auto& r = *impl_;
  std::unique_lock lock(r.mutex);
  if (r.closed) return;
  if (r.journal) {
    r.journal->sync();
    r.journal.reset();
    r.directory_lock.reset();
  }
  r.closed = true;
}

bool Register::closed() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->closed;
}

}  // namespace kartotek
