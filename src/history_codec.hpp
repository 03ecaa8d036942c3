// src/history_codec.hpp: the compact form the history store keeps entries in.
//
// History is most of a register: every record's first version, every change
// and every link. As HistoryEntry (a tree of Values per entry, each object
// member a key string and a variant) it took three quarters of the memory of
// a register of customers with contacts and facilities. A HistoryRow keeps
// the entry's fixed fields as they are and packs its field name and both
// values into one string:
//
//   packed   = varint(field key) value(old) value(new)
//   value    = tag byte, then by tag:
//              0 null, 1 false, 2 true — nothing more
//              3 integer — zigzag varint
//              4 decimal — the 8 bytes of the IEEE double, little-endian
//              5 text    — varint(length) bytes
//              6 list    — varint(count) value…
//              7 object  — varint(count) (varint(key) value)…
//   varint   = LEB128: 7 bits a byte, low bits first, high bit set on all
//              but the last byte
//
// Keys are numbers into the register's HistoryKeys: the field names and
// object member names, each kept once. Snapshots of format 8 and later hold
// the keys and the rows in this form (docs/file-formats.md), so loading
// copies bytes instead of building Value trees.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kartotek/history.hpp"
#include "kartotek/internal/stores.hpp"
#include "kartotek/value.hpp"

namespace kartotek::internal {

// HistoryKeys: the names packed history refers to by number. Names are only
// ever added, so a number names the same text for as long as the register
// (and any snapshot written of it) exists.
class HistoryKeys {
 public:
  // The number of `name`, given it if it has none yet.
  std::uint32_t id(std::string_view name);
  const std::string& name(std::uint32_t id) const { return names_[id]; }
  std::size_t size() const noexcept { return names_.size(); }
  const std::vector<std::string>& names() const noexcept { return names_; }
  // Forgets the names numbered `size` and above (those of an undone command).
  void truncate(std::size_t size);
  // Replaces every name (a snapshot's); throws Corrupt when one repeats.
  void assign(std::vector<std::string> names);

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> ids_;
};

// pack_row: `entry` in the store's form; adds its names to `keys`.
HistoryRow pack_row(HistoryKeys& keys, const HistoryEntry& entry);
// unpack_row: the entry `row` holds. `row` was packed with `keys` (or checked
// against them with check_packed).
HistoryEntry unpack_row(const HistoryKeys& keys, const HistoryRowView& row);

// check_packed: throws Corrupt unless `packed` is one field key and two values
// in the form above, every key below `key_count`, nested at most 64 deep.
void check_packed(std::string_view packed, std::size_t key_count);

// The history of a snapshot (format 8 on): the keys, then every row in
// sequence order.
struct PackedHistory {
  std::vector<std::string> keys;
  std::uint64_t count = 0;
  std::string rows;  // write_rows' bytes

  template <class Archive>
  void serialize(Archive& ar) { ar(keys, count, rows); }
};

// The store's rows in PackedHistory form: per row varint(sequence)
// varint(change) zigzag-varint(microseconds since 1970) varint(actor)
// byte(record kind) varint(record id) byte(source) byte(action)
// varint(length) packed.
PackedHistory write_rows(const HistoryKeys& keys, const HistoryLog& history);
// read_rows: calls `add(HistoryRow&&)` for every row of `packed`, after
// checking it; throws Corrupt on anything malformed. Sets `keys` to
// packed.keys first.
template <class Add>
void read_rows(PackedHistory& packed, HistoryKeys& keys, Add add);

// ---- implementation of read_rows ----

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  bool done() const noexcept { return pos_ == bytes_.size(); }
  std::uint8_t byte();
  std::uint64_t varint();
  std::string_view take(std::uint64_t n);

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

HistoryRow read_row(ByteReader& in, std::size_t key_count);

template <class Add>
void read_rows(PackedHistory& packed, HistoryKeys& keys, Add add) {
  keys.assign(std::move(packed.keys));
  ByteReader in(packed.rows);
  for (std::uint64_t i = 0; i < packed.count; ++i) add(read_row(in, keys.size()));
  if (!in.done()) throw Corrupt("history: stray bytes after the last entry");
  std::string().swap(packed.rows);
}

}  // namespace kartotek::internal
