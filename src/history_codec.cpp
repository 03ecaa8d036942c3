// src/history_codec.cpp: packing history entries (the form is described in
// history_codec.hpp).

#include "history_codec.hpp"

#include <bit>

#include "kartotek/error.hpp"

namespace kartotek::internal {

namespace {

enum Tag : std::uint8_t { null_tag, false_tag, true_tag, integer_tag, decimal_tag, text_tag, list_tag, object_tag };
constexpr int kMaxDepth = 64;  // as BoundedInputArchive allows for Values

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t unzigzag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

void put_value(std::string& out, HistoryKeys& keys, const Value& v) {
  struct Put {
    std::string& out;
    HistoryKeys& keys;
    void operator()(std::monostate) const { out.push_back(static_cast<char>(null_tag)); }
    void operator()(bool b) const { out.push_back(static_cast<char>(b ? true_tag : false_tag)); }
    void operator()(std::int64_t i) const {
      out.push_back(static_cast<char>(integer_tag));
      put_varint(out, zigzag(i));
    }
    void operator()(double d) const {
      out.push_back(static_cast<char>(decimal_tag));
      const auto bits = std::bit_cast<std::uint64_t>(d);
      for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
    }
    void operator()(const std::string& s) const {
      out.push_back(static_cast<char>(text_tag));
      put_varint(out, s.size());
      out.append(s);
    }
    void operator()(const Value::List& l) const {
      out.push_back(static_cast<char>(list_tag));
      put_varint(out, l.size());
      for (const auto& item : l) put_value(out, keys, item);
    }
    void operator()(const Value::Object& o) const {
      out.push_back(static_cast<char>(object_tag));
      put_varint(out, o.size());
      for (const auto& m : o) {
        put_varint(out, keys.id(m.key));
        put_value(out, keys, m.value);
      }
    }
  };
  std::visit(Put{out, keys}, v.storage());
}

// Reads one value; builds it into `*into` unless `into` is null (checking
// only).
void get_value(ByteReader& in, const HistoryKeys* keys, std::size_t key_count, Value* into, int depth) {
  if (depth > kMaxDepth) throw Corrupt("history: a value is nested deeper than 64 levels");
  auto key = [&]() {
    const std::uint64_t k = in.varint();
    if (k >= key_count) throw Corrupt("history: a value names key " + std::to_string(k) + " of " +
                                      std::to_string(key_count));
    return k;
  };
  switch (const std::uint8_t tag = in.byte()) {
    case null_tag:
      if (into) *into = Value();
      return;
    case false_tag:
    case true_tag:
      if (into) *into = Value(tag == true_tag);
      return;
    case integer_tag: {
      const std::int64_t i = unzigzag(in.varint());
      if (into) *into = Value(i);
      return;
    }
    case decimal_tag: {
      const std::string_view b = in.take(8);
      std::uint64_t bits = 0;
      for (int i = 7; i >= 0; --i) bits = (bits << 8) | static_cast<unsigned char>(b[static_cast<std::size_t>(i)]);
      if (into) *into = Value(std::bit_cast<double>(bits));
      return;
    }
    case text_tag: {
      const std::string_view s = in.take(in.varint());
      if (into) *into = Value(std::string(s));
      return;
    }
    case list_tag: {
      const std::uint64_t n = in.varint();
      Value::List list;
      // Each item takes at least one byte, so a count beyond the bytes left
      // is refused by the reads themselves, before much is allocated.
      for (std::uint64_t i = 0; i < n; ++i) {
        Value item;
        get_value(in, keys, key_count, into ? &item : nullptr, depth + 1);
        if (into) list.push_back(std::move(item));
      }
      if (into) *into = Value(std::move(list));
      return;
    }
    case object_tag: {
      const std::uint64_t n = in.varint();
      Value::Object object;
      for (std::uint64_t i = 0; i < n; ++i) {
        const std::uint64_t k = key();
        Value item;
        get_value(in, keys, key_count, into ? &item : nullptr, depth + 1);
        if (into) object.push_back(Member{keys->name(static_cast<std::uint32_t>(k)), std::move(item)});
      }
      if (into) *into = Value(std::move(object));
      return;
    }
    default:
      throw Corrupt("history: unknown value tag " + std::to_string(tag));
  }
}

template <class E>
E enum_byte(ByteReader& in, const char* what) {
  const std::uint8_t b = in.byte();
  if (b >= EnumNames<E>::names.size()) throw Corrupt(std::string("history: unknown ") + what + " " + std::to_string(b));
  return static_cast<E>(b);
}

}  // namespace

std::uint32_t HistoryKeys::id(std::string_view name) {
  if (auto it = ids_.find(name); it != ids_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(names_.size());
  names_.emplace_back(name);
  ids_.emplace(names_.back(), id);
  return id;
}

void HistoryKeys::truncate(std::size_t size) {
  while (names_.size() > size) {
    ids_.erase(names_.back());
    names_.pop_back();
  }
}

void HistoryKeys::assign(std::vector<std::string> names) {
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> ids;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (!ids.emplace(names[i], static_cast<std::uint32_t>(i)).second)
      throw Corrupt("history: the key '" + names[i] + "' appears twice");
  names_ = std::move(names);
  ids_ = std::move(ids);
}

std::uint8_t ByteReader::byte() {
  if (pos_ >= bytes_.size()) throw Corrupt("history: data ends early");
  return static_cast<std::uint8_t>(bytes_[pos_++]);
}

std::uint64_t ByteReader::varint() {
  // Only the shortest form is read, so that every value has one form and a
  // loaded snapshot saves to the same bytes.
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    const std::uint8_t b = byte();
    if (shift == 63 && b > 1) break;
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      if (b == 0 && shift > 0) throw Corrupt("history: a number is written in more bytes than it needs");
      return v;
    }
  }
  throw Corrupt("history: a number runs over 64 bits");
}

std::string_view ByteReader::take(std::uint64_t n) {
  if (n > bytes_.size() - pos_) throw Corrupt("history: data ends early");
  const std::string_view s = bytes_.substr(pos_, n);
  pos_ += n;
  return s;
}

HistoryRow pack_row(HistoryKeys& keys, const HistoryEntry& entry) {
  // Packed into a reused buffer and copied out, so that each row's string
  // holds no spare capacity.
  thread_local std::string buffer;
  buffer.clear();
  put_varint(buffer, keys.id(entry.field));
  put_value(buffer, keys, entry.old_value);
  put_value(buffer, keys, entry.new_value);

  HistoryRow row;
  row.seq = entry.sequence;
  row.change = entry.change;
  row.time = entry.at;
  row.actor = entry.actor.value;
  row.record = entry.record.id;
  row.record_kind = entry.record.kind;
  row.source = entry.source;
  row.action = entry.action;
  row.packed = std::string(buffer);
  return row;
}

HistoryEntry unpack_row(const HistoryKeys& keys, const HistoryRowView& row) {
  HistoryEntry e;
  e.sequence = row.seq;
  e.change = row.change;
  e.at = row.time;
  e.actor = UserId{row.actor};
  e.record = RecordRef{row.record_kind, row.record};
  e.source = row.source;
  e.action = row.action;
  ByteReader in(row.packed);
  const std::uint64_t field = in.varint();
  if (field >= keys.size()) throw Corrupt("history: entry " + std::to_string(row.seq) + " names a missing key");
  e.field = keys.name(static_cast<std::uint32_t>(field));
  get_value(in, &keys, keys.size(), &e.old_value, 0);
  get_value(in, &keys, keys.size(), &e.new_value, 0);
  return e;
}

void check_packed(std::string_view packed, std::size_t key_count) {
  ByteReader in(packed);
  if (in.varint() >= key_count) throw Corrupt("history: an entry names a missing field key");
  get_value(in, nullptr, key_count, nullptr, 0);
  get_value(in, nullptr, key_count, nullptr, 0);
  if (!in.done()) throw Corrupt("history: stray bytes after an entry's values");
}

PackedHistory write_rows(const HistoryKeys& keys, const HistoryLog& history) {
  PackedHistory out;
  out.keys = keys.names();
  out.count = history.size();
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < history.size(); ++i) bytes += history[i].packed.size() + 32;
  out.rows.reserve(bytes);
  for (std::size_t i = 0; i < history.size(); ++i) {
    const HistoryRowView row = history[i];
    put_varint(out.rows, row.seq);
    put_varint(out.rows, row.change);
    put_varint(out.rows, zigzag(row.time.time_since_epoch().count()));
    put_varint(out.rows, row.actor);
    out.rows.push_back(static_cast<char>(row.record_kind));
    put_varint(out.rows, row.record);
    out.rows.push_back(static_cast<char>(row.source));
    out.rows.push_back(static_cast<char>(row.action));
    put_varint(out.rows, row.packed.size());
    out.rows.append(row.packed);
  }
  return out;
}

HistoryRow read_row(ByteReader& in, std::size_t key_count) {
  HistoryRow row;
  row.seq = in.varint();
  row.change = in.varint();
  row.time = Timestamp(std::chrono::microseconds(unzigzag(in.varint())));
  if (!in_timestamp_range(row.time)) throw Corrupt("history: entry " + std::to_string(row.seq) +
                                                   " has a time outside the years 0000 to 9999");
  row.actor = in.varint();
  row.record_kind = enum_byte<RecordKind>(in, "record kind");
  row.record = in.varint();
  row.source = enum_byte<Source>(in, "source");
  row.action = enum_byte<Action>(in, "action");
  const std::string_view packed = in.take(in.varint());
  check_packed(packed, key_count);
  row.packed = std::string(packed);
  return row;
}

}  // namespace kartotek::internal
