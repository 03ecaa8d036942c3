// capi/src/persistence.cpp: registers on disk (open options, open, the open
// report, compaction, sync, save_as) and the whole register as JSON (export,
// import).

#include <chrono>
#include <filesystem>

#include "internal.hpp"

using namespace kartotek;
using namespace kartotek::capi;

namespace {

// A directory argument: NUL-terminated UTF-8, not empty (field "path").
std::filesystem::path path_arg(const char* path) {
  std::string_view text = text_arg(path, "path");
  if (text.empty()) invalid("path", "is empty");
  return std::filesystem::path(std::string(text));
}

std::string open_report_json(const OpenReport& report) {
  auto n = [](std::uint64_t x) { return Value(static_cast<std::int64_t>(x)); };
  return to_json(Value(Value::Object{
      {"created", Value(report.created)},
      {"snapshot_format", n(report.snapshot_format)},
      {"snapshot_change", n(report.snapshot_change)},
      {"replayed", n(report.replayed)},
      {"skipped", n(report.skipped)},
      {"cut_tail", Value(report.cut_tail)},
      {"upgraded_from", n(report.upgraded_from)},
  }));
}

}  // namespace

extern "C" {

// ---- open options ----------------------------------------------------------------

int kt_open_options_new(kt_open_options** out) {
  return guard([&] { out_param(out) = make_handle<kt_open_options>(); });
}

void kt_open_options_free(kt_open_options* options) { free_handle(options, "kt_open_options_free"); }

int kt_open_options_set_durability(kt_open_options* options, const char* durability) {
  return guard([&] {
    auto& o = live(options, "options");
    o.options.durability = enum_arg<Durability>(durability, "durability");
  });
}

int kt_open_options_set_batch_interval_ms(kt_open_options* options, uint32_t milliseconds) {
  return guard([&] {
    auto& o = live(options, "options");
    if (milliseconds == 0) invalid("batch_interval_ms", "must be at least 1");
    o.options.batch_interval = std::chrono::milliseconds{milliseconds};
  });
}

int kt_open_options_set_create(kt_open_options* options, int create) {
  return guard([&] { live(options, "options").options.create = create != 0; });
}

int kt_open_options_set_settings(kt_open_options* options, const char* settings_json) {
  return guard([&] {
    auto& o = live(options, "options");
    Settings settings = o.options.settings;
    from_value(json_arg(settings_json), settings, "");
    o.options.settings = std::move(settings);
  });
}

int kt_open_options_set_clock(kt_open_options* options, kt_clock_fn now, void* payload) {
  return guard([&] {
    auto& o = live(options, "options");
    o.clock = now;
    o.clock_payload = now ? payload : nullptr;
  });
}

// ---- registers on disk -----------------------------------------------------------

int kt_register_open(kt_register** out, const char* path, const kt_open_options* options) {
  return guard([&] {
    auto& result = out_param(out);
    std::filesystem::path dir = path_arg(path);
    OpenOptions open_options;
    if (options) {
      const auto& o = live(options, "options");
      open_options = o.options;
      open_options.clock = clock_arg(o.clock, o.clock_payload);
    }
    result = make_handle<kt_register>(Register::open(dir, std::move(open_options)));
  });
}

int kt_register_open_report(char** out, kt_register* reg) {
  return guard([&] {
    auto& result = out_param(out);
    result = c_string(open_report_json(live(reg, "reg").reg.open_report()));
  });
}

int kt_register_is_persistent(int* out, kt_register* reg) {
  return guard([&] {
    auto& result = out_param(out);
    result = live(reg, "reg").reg.persistent() ? 1 : 0;
  });
}

int kt_register_compact(kt_register* reg) {
  return guard([&] { live(reg, "reg").reg.compact(); });
}

int kt_register_sync(kt_register* reg) {
  return guard([&] { live(reg, "reg").reg.sync(); });
}

int kt_register_close(kt_register* reg) {
  return guard([&] { live(reg, "reg").reg.close(); });
}

int kt_register_is_closed(int* out, kt_register* reg) {
  return guard([&] {
    auto& result = out_param(out);
    result = live(reg, "reg").reg.closed() ? 1 : 0;
  });
}

int kt_register_save_as(kt_register* reg, const char* path) {
  return guard([&] {
    auto& r = live(reg, "reg");
    r.reg.save_as(path_arg(path));
  });
}

// ---- the whole register as JSON --------------------------------------------------

int kt_register_export_json(char** out, kt_register* reg, uint64_t actor) {
  return guard([&] {
    auto& result = out_param(out);
    result = c_string(live(reg, "reg").reg.export_json(actor_arg(actor)));
  });
}

int kt_register_import_json(kt_register** out, const char* json, const kt_register_options* options) {
  return guard([&] {
    auto& result = out_param(out);
    std::shared_ptr<const Clock> clock;
    if (options) {
      const auto& o = live(options, "options");
      clock = clock_arg(o.clock, o.clock_payload);
    }
    std::string_view text = text_arg(json, "json");
    result = make_handle<kt_register>(Register::import_json(text, std::move(clock)));
  });
}

}  // extern "C"
