// capi/src/register.cpp: making and freeing registers, their options, the
// first administrator, counts and the state dump.

#include <chrono>
#include <cstring>
#include <sstream>

#include "internal.hpp"

using namespace kartotek;
using namespace kartotek::capi;

namespace {

// CallbackClock: the time from a C function (kt_register_options_set_clock).
class CallbackClock final : public Clock {
 public:
  CallbackClock(kt_clock_fn now, void* payload) : now_(now), payload_(payload) {}
  Timestamp now() const override { return Timestamp{std::chrono::microseconds{now_(payload_)}}; }

 private:
  kt_clock_fn now_;
  void* payload_;
};

}  // namespace

std::shared_ptr<const Clock> kartotek::capi::clock_arg(kt_clock_fn now, void* payload) {
  if (now) return std::make_shared<CallbackClock>(now, payload);
  return std::make_shared<SystemClock>();
}

extern "C" {

int kt_register_options_new(kt_register_options** out) {
  return guard([&] { out_param(out) = make_handle<kt_register_options>(); });
}

void kt_register_options_free(kt_register_options* options) {
  free_handle(options, "kt_register_options_free");
}

int kt_register_options_set_settings(kt_register_options* options, const char* settings_json) {
  return guard([&] {
    auto& o = live(options, "options");
    Settings settings = o.settings;
    from_value(json_arg(settings_json), settings, "");
    o.settings = std::move(settings);
  });
}

int kt_register_options_set_clock(kt_register_options* options, kt_clock_fn now, void* payload) {
  return guard([&] {
    auto& o = live(options, "options");
    o.clock = now;
    o.clock_payload = now ? payload : nullptr;
  });
}

int kt_register_new(kt_register** out) {
  return guard([&] { out_param(out) = make_handle<kt_register>(); });
}

int kt_register_new_with_options(kt_register** out, const kt_register_options* options) {
  return guard([&] {
    auto& result = out_param(out);
    if (!options) {
      result = make_handle<kt_register>();
      return;
    }
    const auto& o = live(options, "options");
    result = make_handle<kt_register>(Register(clock_arg(o.clock, o.clock_payload), o.settings));
  });
}

void kt_register_free(kt_register* reg) { free_handle(reg, "kt_register_free"); }

int kt_register_create_first_administrator(uint64_t* out, kt_register* reg, const char* login,
                                           const char* name) {
  return guard([&] {
    auto& result = out_param(out);
    auto& r = live(reg, "reg");
    std::string login_text(text_arg(login, "login"));
    std::string name_text(text_arg(name, "name"));
    result = r.reg.create_first_administrator(login_text, name_text).value;
  });
}

int kt_register_counts(char** out, kt_register* reg) {
  return guard([&] {
    auto& result = out_param(out);
    auto c = live(reg, "reg").reg.counts();
    auto n = [](std::size_t x) { return Value(static_cast<std::int64_t>(x)); };
    result = c_string(to_json(Value(Value::Object{
        {"customers", n(c.customers)},
        {"contacts", n(c.contacts)},
        {"facilities", n(c.facilities)},
        {"service_objects", n(c.service_objects)},
        {"users", n(c.users)},
        {"history_entries", n(c.history_entries)},
        {"orders", n(c.orders)},
        {"activities", n(c.activities)},
    })));
  });
}

int kt_register_state(unsigned char** out, size_t* out_size, kt_register* reg) {
  return guard([&] {
    auto& result = out_param(out);
    auto& size = out_param(out_size, "out_size");
    std::ostringstream state;
    live(reg, "reg").reg.write_state(state);
    std::string bytes = std::move(state).str();
    auto* buffer = static_cast<unsigned char*>(std::malloc(bytes.empty() ? 1 : bytes.size()));
    if (!buffer) throw std::bad_alloc();
    std::memcpy(buffer, bytes.data(), bytes.size());
    result = buffer;
    size = bytes.size();
  });
}

}  // extern "C"
