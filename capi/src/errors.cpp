// capi/src/errors.cpp: the per-thread last error, status names, the registry
// of live handles, argument checks, returned memory and the version.

#include <algorithm>
#include <cstring>
#include <limits>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "internal.hpp"

static_assert(KT_VERSION_MAJOR == KARTOTEK_VERSION_MAJOR && KT_VERSION_MINOR == KARTOTEK_VERSION_MINOR &&
                  KT_VERSION_PATCH == KARTOTEK_VERSION_PATCH,
              "kartotek.h and kartotek/version.hpp disagree on the version");

namespace kartotek::capi {

namespace {

// LastError: the outcome of the last fallible call on a thread. When memory
// ran out while storing a message, `fallback` points at a fixed text instead.
struct LastError {
  int status = KT_OK;
  std::string message;
  std::string field;
  const char* fallback = nullptr;
};

thread_local LastError last_error;

constexpr const char* kOutOfMemory = "out of memory";
constexpr const char* kMessageLost = "an error occurred, and memory ran out while recording its message";

// Live handles. Never destroyed, so that kt_ calls made while the process
// exits (from atexit handlers or other threads) still find it.
struct Registry {
  std::shared_mutex mutex;
  std::unordered_map<const void*, HandleKind> handles;
};

Registry& registry() {
  static Registry* r = new Registry;
  return *r;
}

}  // namespace

int set_error(int status, std::string_view message, std::string_view field) noexcept {
  auto& e = last_error;
  e.status = status;
  try {
    e.message.assign(message);
    e.field.assign(field);
    e.fallback = nullptr;
  } catch (...) {
    e.message.clear();
    e.field.clear();
    e.fallback = kMessageLost;
  }
  return status;
}

int set_out_of_memory() noexcept {
  auto& e = last_error;
  e.status = KT_NOMEM;
  e.message.clear();
  e.field.clear();
  e.fallback = kOutOfMemory;
  return KT_NOMEM;
}

void clear_error() noexcept {
  auto& e = last_error;
  e.status = KT_OK;
  e.message.clear();
  e.field.clear();
  e.fallback = nullptr;
}

void report_bad_free(const char* function, HandleKind kind) noexcept {
  try {
    set_error(KT_MISUSE, std::string(function) + ": the pointer is not a live " + handle_type_name(kind) +
                             " (freed already, or another kind of pointer); nothing was freed");
  } catch (...) {
    set_error(KT_MISUSE, function);
  }
}

int status_of(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::not_found: return KT_NOT_FOUND;
    case ErrorCode::permission_denied: return KT_PERMISSION_DENIED;
    case ErrorCode::validation: return KT_INVALID;
    case ErrorCode::conflict: return KT_CONFLICT;
    case ErrorCode::corrupt: return KT_CORRUPT;
    case ErrorCode::io: return KT_IO;
  }
  return KT_INTERNAL;
}

void misuse(std::string message) { throw Failure{KT_MISUSE, std::move(message), {}}; }

void invalid(std::string field, const std::string& reason) {
  std::string message = field + ": " + reason;
  throw Failure{KT_INVALID, std::move(message), std::move(field)};
}

const char* handle_type_name(HandleKind kind) noexcept {
  switch (kind) {
    case HandleKind::register_: return "kt_register";
    case HandleKind::register_options: return "kt_register_options";
    case HandleKind::open_options: return "kt_open_options";
    case HandleKind::customer_query: return "kt_customer_query";
    case HandleKind::contact_query: return "kt_contact_query";
    case HandleKind::history_query: return "kt_history_query";
    case HandleKind::order_query: return "kt_order_query";
    case HandleKind::cursor: return "kt_cursor";
    case HandleKind::facility_query: return "kt_facility_query";
    case HandleKind::import_options: return "kt_import_options";
    case HandleKind::export_options: return "kt_export_options";
    case HandleKind::activity_query: return "kt_activity_query";
  }
  return "handle";
}

void add_handle(const void* handle, HandleKind kind) {
  auto& r = registry();
  std::unique_lock lock(r.mutex);
  r.handles.emplace(handle, kind);
}

bool remove_handle(const void* handle, HandleKind kind) noexcept {
  auto& r = registry();
  std::unique_lock lock(r.mutex);
  auto it = r.handles.find(handle);
  if (it == r.handles.end() || it->second != kind) return false;
  r.handles.erase(it);
  return true;
}

bool handle_is_live(const void* handle, HandleKind kind) noexcept {
  auto& r = registry();
  std::shared_lock lock(r.mutex);
  auto it = r.handles.find(handle);
  return it != r.handles.end() && it->second == kind;
}

std::string_view text_arg(const char* text, const char* name) {
  if (!text) misuse(std::string(name) + " is NULL");
  std::string_view view(text);
  if (!is_valid_utf8(view)) invalid(name, "is not valid UTF-8");
  return view;
}

std::optional<std::string> optional_text_arg(const char* text, const char* name) {
  if (!text) return std::nullopt;
  return std::string(text_arg(text, name));
}

Value json_arg(const char* json) { return parse_json(text_arg(json, "json")); }

Value json_value_arg(const char* json, const char* name) {
  auto text = text_arg(json, name);
  try {
    return parse_json(text);
  } catch (const ValidationError& e) {
    std::string why = e.what();
    const std::string prefix = e.field() + ": ";
    if (why.starts_with(prefix)) why.erase(0, prefix.size());
    invalid(name, why);
  }
}

std::optional<bool> active_arg(int active, const char* field) {
  if (active == KT_ANY) return std::nullopt;
  if (active != 0 && active != 1) invalid(field, "expected 1, 0 or KT_ANY (-1)");
  return active == 1;
}

Timestamp timestamp_arg(const char* text, const char* field) {
  try {
    return parse_timestamp(text_arg(text, field));
  } catch (const ValidationError& e) {
    invalid(field, e.what());
  }
}

std::optional<Timestamp> optional_timestamp_arg(const char* text, const char* field) {
  if (!text) return std::nullopt;
  return timestamp_arg(text, field);
}

std::size_t page_limit(std::size_t offset, std::size_t limit) {
  return std::min(limit, std::numeric_limits<std::size_t>::max() - offset);
}

char* c_string(const std::string& text) {
  auto* s = static_cast<char*>(std::malloc(text.size() + 1));
  if (!s) throw std::bad_alloc();
  std::memcpy(s, text.data(), text.size());
  s[text.size()] = '\0';
  return s;
}

unsigned char* c_buffer(std::string_view bytes) {
  auto* buffer = static_cast<unsigned char*>(std::malloc(bytes.size() + 1));
  if (!buffer) throw std::bad_alloc();
  std::memcpy(buffer, bytes.data(), bytes.size());
  buffer[bytes.size()] = '\0';
  return buffer;
}

}  // namespace kartotek::capi

using namespace kartotek::capi;

extern "C" {

const char* kt_version(void) { return kartotek::version(); }

int kt_abi_version(void) { return KT_ABI_VERSION; }

int kt_error_code(void) { return last_error.status; }

const char* kt_error_message(void) {
  const auto& e = last_error;
  return e.fallback ? e.fallback : e.message.c_str();
}

const char* kt_error_field(void) { return last_error.field.c_str(); }

void kt_error_clear(void) { clear_error(); }

const char* kt_status_name(int status) {
  switch (status) {
    case KT_OK: return "KT_OK";
    case KT_DONE: return "KT_DONE";
    case KT_NOT_FOUND: return "KT_NOT_FOUND";
    case KT_PERMISSION_DENIED: return "KT_PERMISSION_DENIED";
    case KT_INVALID: return "KT_INVALID";
    case KT_CONFLICT: return "KT_CONFLICT";
    case KT_CORRUPT: return "KT_CORRUPT";
    case KT_IO: return "KT_IO";
    case KT_NOMEM: return "KT_NOMEM";
    case KT_MISUSE: return "KT_MISUSE";
    case KT_INTERNAL: return "KT_INTERNAL";
    default: return "KT_UNKNOWN";
  }
}

void kt_string_free(char* str) { std::free(str); }

void kt_buffer_free(unsigned char* buffer) { std::free(buffer); }

}  // extern "C"
