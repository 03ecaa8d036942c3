// src/json.cpp: the JSON text of a Value, and Values from JSON text.

#include "rapidjson_config.hpp"

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <new>
#include <system_error>
#include <vector>

#include "kartotek/error.hpp"
#include "kartotek/text.hpp"
#include "kartotek/value.hpp"

namespace kartotek {

namespace {

constexpr std::size_t kMaxDepth = 64;

// RapidJSON's default allocator returns null when memory runs out and its
// stack does not check; this one throws std::bad_alloc instead.
struct ThrowingAllocator {
  static const bool kNeedFree = true;
  void* Malloc(size_t size) {
    if (size == 0) return nullptr;
    void* p = std::malloc(size);
    if (!p) throw std::bad_alloc();
    return p;
  }
  void* Realloc(void* old, size_t, size_t size) {
    if (size == 0) {
      std::free(old);
      return nullptr;
    }
    void* p = std::realloc(old, size);
    if (!p) throw std::bad_alloc();
    return p;
  }
  static void Free(void* p) { std::free(p); }
};

using Buffer = rapidjson::GenericStringBuffer<rapidjson::UTF8<>, ThrowingAllocator>;
using JsonWriter = rapidjson::Writer<Buffer, rapidjson::UTF8<>, rapidjson::UTF8<>, ThrowingAllocator>;

void write(JsonWriter& w, const Value& v) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) w.Null();
        else if constexpr (std::is_same_v<T, bool>) w.Bool(x);
        else if constexpr (std::is_same_v<T, std::int64_t>) w.Int64(x);
        else if constexpr (std::is_same_v<T, double>) {
          if (std::isfinite(x)) w.Double(x);
          else w.Null();  // JSON has no NaN or infinity
        } else if constexpr (std::is_same_v<T, std::string>) {
          w.String(x.data(), static_cast<rapidjson::SizeType>(x.size()));
        } else if constexpr (std::is_same_v<T, Value::List>) {
          w.StartArray();
          for (const auto& e : x) write(w, e);
          w.EndArray();
        } else {
          w.StartObject();
          for (const auto& m : x) {
            w.Key(m.key.data(), static_cast<rapidjson::SizeType>(m.key.size()));
            write(w, m.value);
          }
          w.EndObject();
        }
      },
      v.storage());
}

// Builds a Value from SAX events with an explicit stack, so nesting depth is
// bounded and hostile input cannot exhaust the call stack.
class Builder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Builder> {
 public:
  bool Null() { return add(Value()); }
  bool Bool(bool b) { return add(Value(b)); }
  // Numbers arrive as their text (kParseNumbersAsStringsFlag) and are read
  // with std::from_chars, which rounds correctly: RapidJSON's own
  // full-precision path misreads a zero with an exponent ("0e44").
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    const char* end = s + n;
    bool integral = std::find_if(s, end, [](char c) { return c == '.' || c == 'e' || c == 'E'; }) == end;
    if (integral) {
      std::int64_t i = 0;
      auto [p, ec] = std::from_chars(s, end, i);
      if (ec == std::errc() && p == end) return add(Value(i));
      error_ = "integer beyond 64 bits";
      return false;
    }
    double d = 0;
    auto [p, ec] = std::from_chars(s, end, d);
    if (ec == std::errc() && p == end && std::isfinite(d)) return add(Value(d));
    error_ = "number '" + std::string(s, n) + "' is out of range";
    return false;
  }
  bool String(const char* s, rapidjson::SizeType n, bool) { return add(Value(std::string(s, n))); }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    key_ = std::string(s, n);
    return true;
  }
  bool StartObject() { return open(Value(Value::Object{})); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(Value(Value::List{})); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  Value result;
  std::string error_;

 private:
  struct Frame {
    Value value;
    std::string key;  // the key under which this frame goes into its parent
  };

  bool add(Value v) {
    if (stack_.empty()) {
      result = std::move(v);
      return true;
    }
    auto& top = stack_.back().value;
    if (top.is<Value::Object>()) {
      auto& obj = top.as<Value::Object>();
      for (const auto& m : obj)
        if (m.key == key_) {
          error_ = "duplicate key '" + key_ + "'";
          return false;
        }
      obj.push_back(Member{std::move(key_), std::move(v)});
    } else {
      top.as<Value::List>().push_back(std::move(v));
    }
    return true;
  }
  bool open(Value v) {
    if (stack_.size() >= kMaxDepth) {
      error_ = "nested deeper than " + std::to_string(kMaxDepth) + " levels";
      return false;
    }
    stack_.push_back({std::move(v), std::move(key_)});
    return true;
  }
  bool close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    key_ = std::move(f.key);
    return add(std::move(f.value));
  }

  std::vector<Frame> stack_;
  std::string key_;
};

}  // namespace

std::string to_json(const Value& v) {
  Buffer buf;
  JsonWriter w(buf);
  write(w, v);
  return std::string(buf.GetString(), buf.GetSize());
}

Value parse_json(std::string_view json) {
  if (!is_valid_utf8(json)) throw ValidationError("json", "is not valid UTF-8");
  Builder builder;
  rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, ThrowingAllocator> reader;
  rapidjson::MemoryStream ms(json.data(), json.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
  auto ok = reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
                         rapidjson::kParseNumbersAsStringsFlag>(is, builder);
  if (!ok) {
    std::string why = builder.error_.empty() ? rapidjson::GetParseError_En(ok.Code()) : builder.error_;
    throw ValidationError("json", why + " at offset " + std::to_string(ok.Offset()));
  }
  return std::move(builder.result);
}

}  // namespace kartotek
