// src/archive.hpp: the binary archives of snapshots and journal records.
//
// Writing uses cereal's PortableBinaryOutputArchive fixed to little-endian.
// Reading uses BoundedInputArchive, which reads the same format from a buffer
// that is already in memory and refuses, as Corrupt, anything the bytes left
// cannot hold: a size tag larger than the remaining bytes, a read past the
// end, a Value nested deeper than 64 levels. Containers of records grow
// element by element instead of resizing to a size read from the file, so a
// few hostile bytes can never request gigabytes.
#pragma once

#include <chrono>
#include <cstring>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <cereal/archives/portable_binary.hpp>
#include <cereal/cereal.hpp>
#include <cereal/types/chrono.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/variant.hpp>
#include <cereal/types/vector.hpp>

#include "kartotek/describe.hpp"
#include "kartotek/error.hpp"
#include "kartotek/value.hpp"

namespace kartotek {

// The file format version this library writes (snapshots and journals; see
// docs/file-formats.md). It goes up whenever a described field or a stored
// container is added; the reader still reads every earlier version.
inline constexpr std::uint32_t kCurrentFormat = 8;
// From this version on, a snapshot's history follows the state packed
// (src/history_codec.hpp) and the state's own `history` list is empty.
inline constexpr std::uint32_t kPackedHistoryFormat = 8;

class BoundedInputArchive
    : public cereal::InputArchive<BoundedInputArchive, cereal::AllowEmptyClassElision> {
 public:
  // `format`: the file format version the bytes were written in; fields
  // added in a later version are left at their defaults.
  explicit BoundedInputArchive(std::string_view data, std::uint32_t format = kCurrentFormat)
      : cereal::InputArchive<BoundedInputArchive, cereal::AllowEmptyClassElision>(this),
        data_(data),
        format_(format) {
    std::uint8_t little = 0;
    (*this)(little);
    if (little != 1) throw Corrupt("not a little-endian kartotek archive");
  }

  template <std::size_t Size>
  void load_binary(void* out, std::size_t size) {
    if (size > remaining()) throw Corrupt("data ends early (needed " + std::to_string(size) +
                                          " bytes at offset " + std::to_string(pos_) + ")");
    if (size == 0) return;  // an empty vector of numbers hands over no buffer at all
    std::memcpy(out, data_.data() + pos_, size);
    pos_ += size;
    if constexpr (Size > 1 && std::endian::native == std::endian::big) {
      auto* bytes = static_cast<std::uint8_t*>(out);
      for (std::size_t i = 0; i < size; i += Size) std::reverse(bytes + i, bytes + i + Size);
    }
  }

  std::uint32_t format() const noexcept { return format_; }
  std::size_t remaining() const noexcept { return data_.size() - pos_; }
  std::size_t offset() const noexcept { return pos_; }

  void enter_value() {
    if (++depth_ > 64) throw Corrupt("a value is nested deeper than 64 levels");
  }
  void leave_value() noexcept { --depth_; }

 private:
  std::string_view data_;
  std::uint32_t format_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

template <class T>
std::enable_if_t<std::is_arithmetic_v<T> && !std::is_same_v<T, bool>> CEREAL_LOAD_FUNCTION_NAME(
    BoundedInputArchive& ar, T& t) {
  ar.load_binary<sizeof(T)>(std::addressof(t), sizeof(t));
}

// A bool is one byte, 0 or 1; any other byte would make an invalid bool.
inline void CEREAL_LOAD_FUNCTION_NAME(BoundedInputArchive& ar, bool& b) {
  std::uint8_t byte = 0;
  ar.load_binary<1>(&byte, 1);
  if (byte > 1)
    throw Corrupt("a true/false byte holds " + std::to_string(byte) + " at offset " +
                  std::to_string(ar.offset() - 1));
  b = byte == 1;
}

// Times are microseconds since 1970, within the years 0000 to 9999 (what
// the JSON form can spell).
template <class Duration>
void CEREAL_LOAD_FUNCTION_NAME(BoundedInputArchive& ar,
                               std::chrono::time_point<std::chrono::system_clock, Duration>& t) {
  typename Duration::rep count{};
  ar(count);
  t = std::chrono::time_point<std::chrono::system_clock, Duration>(Duration(count));
  if (!in_timestamp_range(std::chrono::time_point_cast<std::chrono::microseconds>(t)))
    throw Corrupt("a time of " + std::to_string(count) + " is outside the years 0000 to 9999 (offset " +
                  std::to_string(ar.offset() - sizeof(count)) + ")");
}

// An enumeration holds one of its named values, never an arbitrary number.
template <NamedEnum E>
void CEREAL_LOAD_MINIMAL_FUNCTION_NAME(const BoundedInputArchive& ar, E& e,
                                       const std::underlying_type_t<E>& stored) {
  for (const auto& [value, name] : EnumNames<E>::names)
    if (static_cast<std::underlying_type_t<E>>(value) == stored) {
      e = value;
      return;
    }
  throw Corrupt("an enumeration holds the unknown value " + std::to_string(+stored) + " (before offset " +
                std::to_string(ar.offset()) + ")");
}

template <class T>
void CEREAL_LOAD_FUNCTION_NAME(BoundedInputArchive& ar, cereal::NameValuePair<T>& t) {
  ar(t.value);
}

// Every element of every container takes at least one byte, so a count
// larger than the bytes left is a lie.
template <class T>
void CEREAL_LOAD_FUNCTION_NAME(BoundedInputArchive& ar, cereal::SizeTag<T>& t) {
  ar(t.size);
  if (static_cast<std::uint64_t>(t.size) > ar.remaining())
    throw Corrupt("a count of " + std::to_string(static_cast<std::uint64_t>(t.size)) +
                  " exceeds the " + std::to_string(ar.remaining()) + " bytes left");
}

template <class T>
void CEREAL_LOAD_FUNCTION_NAME(BoundedInputArchive& ar, cereal::BinaryData<T>& bd) {
  using TT = std::remove_pointer_t<T>;
  ar.load_binary<sizeof(TT)>(bd.data, static_cast<std::size_t>(bd.size));
}

// Vectors of records grow as elements are read.
template <class T, class A>
std::enable_if_t<!std::is_arithmetic_v<T> || std::is_same_v<T, bool>>
CEREAL_LOAD_FUNCTION_NAME(BoundedInputArchive& ar, std::vector<T, A>& v) {
  cereal::size_type n = 0;
  ar(cereal::make_size_tag(n));
  v.clear();
  for (cereal::size_type i = 0; i < n; ++i) {
    T e{};
    ar(e);
    v.push_back(std::move(e));
  }
}

inline void prologue(BoundedInputArchive& ar, const Value&) { ar.enter_value(); }
inline void epilogue(BoundedInputArchive& ar, const Value&) { ar.leave_value(); }

// write_archive: `value...` in the format BoundedInputArchive reads, after
// `room` zero bytes (room for a header written later in place).
template <class... T>
std::string write_archive_after(std::size_t room, const T&... value) {
  std::ostringstream out(std::ios::binary);
  for (std::size_t i = 0; i < room; ++i) out.put('\0');
  {
    cereal::PortableBinaryOutputArchive ar(out, cereal::PortableBinaryOutputArchive::Options::LittleEndian());
    ar(value...);
  }
  return std::move(out).str();  // the buffer moves out, not copied
}

template <class... T>
std::string write_archive(const T&... value) {
  return write_archive_after(0, value...);
}

}  // namespace kartotek

CEREAL_REGISTER_ARCHIVE(kartotek::BoundedInputArchive)

// Pairs the reader with the writer of the same format (cereal needs the pair
// for load_minimal types such as enums).
namespace cereal::traits::detail {
template <>
struct get_output_from_input<kartotek::BoundedInputArchive> {
  using type = cereal::PortableBinaryOutputArchive;
};
}  // namespace cereal::traits::detail
