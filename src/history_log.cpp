// src/history_log.cpp: the register's change history (HistoryLog, declared
// in kartotek/internal/stores.hpp).
#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "kartotek/internal/stores.hpp"

namespace kartotek::internal {

namespace {

// Packed bytes go into blocks that grow from 4 KiB to 1 MiB, so that a small
// register holds little and a large one allocates seldom; a row longer than
// a block gets a block of its own size.
constexpr std::size_t kFirstBlock = std::size_t{4} << 10;
constexpr std::size_t kLargestBlock = std::size_t{1} << 20;

}  // namespace

HistoryRowView HistoryLog::operator[](std::size_t i) const {
  const Slot& s = slots_[i];
  HistoryRowView v;
  v.seq = s.seq;
  v.change = s.change;
  v.time = Timestamp(std::chrono::microseconds(s.time));
  v.actor = s.actor;
  v.record = s.record;
  v.record_kind = s.kind;
  v.source = s.source;
  v.action = s.action;
  v.packed = std::string_view(s.bytes, s.length);
  return v;
}

std::size_t HistoryLog::after(std::uint64_t sequence) const {
  const auto it = std::partition_point(slots_.begin(), slots_.end(),
                                       [sequence](const Slot& s) { return s.seq <= sequence; });
  return static_cast<std::size_t>(it - slots_.begin());
}

std::size_t HistoryLog::first_at_or_after(Timestamp t) const {
  const std::int64_t us = t.time_since_epoch().count();
  const auto it = std::partition_point(slots_.begin(), slots_.end(), [us](const Slot& s) { return s.time < us; });
  return static_cast<std::size_t>(it - slots_.begin());
}

const char* HistoryLog::store_bytes(std::string_view bytes) {
  if (bytes.empty()) return nullptr;
  if (blocks_.empty() || blocks_.back().size - blocks_.back().used < bytes.size()) {
    const std::size_t grown = blocks_.empty() ? kFirstBlock : std::min(blocks_.back().size * 2, kLargestBlock);
    Block block;
    block.size = std::max(grown, bytes.size());
    block.data = std::make_unique_for_overwrite<char[]>(block.size);
    blocks_.push_back(std::move(block));
  }
  Block& b = blocks_.back();
  char* at = b.data.get() + b.used;
  std::memcpy(at, bytes.data(), bytes.size());
  b.used += bytes.size();
  return at;
}

// The last `length` bytes stored go back.
void HistoryLog::unstore_bytes(std::size_t length) noexcept {
  if (length == 0) return;
  Block& b = blocks_.back();
  b.used -= length;
  if (b.used == 0) blocks_.pop_back();
}

bool HistoryLog::append(const HistoryRow& row) {
  if (!slots_.empty() && row.seq <= slots_.back().seq) return false;
  if (slots_.size() >= kNone || row.packed.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("the history holds too many entries");
  const RecordKey key{row.record, row.record_kind};
  auto [newest, fresh] = newest_.try_emplace(key, kNone);
  Slot s{};
  s.seq = row.seq;
  s.change = row.change;
  s.time = row.time.time_since_epoch().count();
  s.actor = row.actor;
  s.record = row.record;
  s.length = static_cast<std::uint32_t>(row.packed.size());
  s.previous = fresh ? kNone : newest->second;
  s.kind = row.record_kind;
  s.source = row.source;
  s.action = row.action;
  s.time_went_back = !slots_.empty() && s.time < slots_.back().time;
  try {
    s.bytes = store_bytes(row.packed);
    try {
      slots_.push_back(s);
    } catch (...) {
      unstore_bytes(s.length);
      throw;
    }
  } catch (...) {
    if (fresh) newest_.erase(newest);
    throw;
  }
  // The bytes are stored and the slot is in: nothing below throws.
  newest->second = static_cast<std::uint32_t>(slots_.size() - 1);
  if (s.time_went_back) ++inversions_;
  return true;
}

void HistoryLog::pop_back(std::uint64_t sequence) {
  if (slots_.empty() || slots_.back().seq != sequence)
    throw std::logic_error("history: only the last entry can be taken back");
  const Slot s = slots_.back();
  slots_.pop_back();
  unstore_bytes(s.length);
  const auto newest = newest_.find(RecordKey{s.record, s.kind});
  if (s.previous == kNone) newest_.erase(newest);
  else newest->second = s.previous;
  if (s.time_went_back) --inversions_;
}

void HistoryLog::clear() {
  slots_.clear();
  blocks_.clear();
  newest_.clear();
  inversions_ = 0;
}

std::vector<std::size_t> HistoryLog::rows_of(RecordKind kind, std::uint64_t id) const {
  std::vector<std::size_t> out;
  const auto newest = newest_.find(RecordKey{id, kind});
  if (newest == newest_.end()) return out;
  for (std::uint32_t i = newest->second; i != kNone; i = slots_[i].previous) out.push_back(i);
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace kartotek::internal
