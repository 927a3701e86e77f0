#include "config/config.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <variant>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/log.h"
#include "common/status.h"
#include "common/strings.h"
#include "toml++/toml.h"

extern char** environ;

namespace convault {
namespace {

using Value = std::variant<int64_t, bool, std::string>;
enum class Kind { kInt, kBool, kString };

struct Field {
  std::string name;
  std::string env;  // CONVAULT_... variable
  Kind kind;
  int64_t min = 0;
  int64_t max = 0;
  std::string description;
  std::function<absl::Status(Config&, const Value&)> set;
};

Field IntField(std::string name, int64_t min, int64_t max, std::string description,
               std::function<void(Config&, int64_t)> set) {
  Field f{name, "", Kind::kInt, min, max, std::move(description), nullptr};
  f.set = [set = std::move(set)](Config& c, const Value& v) {
    set(c, std::get<int64_t>(v));
    return absl::OkStatus();
  };
  return f;
}

Field StringField(std::string name, std::string description,
                  std::function<absl::Status(Config&, const std::string&)> set) {
  Field f{name, "", Kind::kString, 0, 0, std::move(description), nullptr};
  f.set = [set = std::move(set)](Config& c, const Value& v) {
    return set(c, std::get<std::string>(v));
  };
  return f;
}

const std::vector<Field>& Fields() {
  static const std::vector<Field>* fields = [] {
    constexpr int64_t kMaxMs = 24LL * 3600 * 1000;
    auto* f = new std::vector<Field>{
        StringField("data_dir", "data directory (embedded store, key store, admin.key)",
                    [](Config& c, const std::string& v) {
                      if (v.empty()) return absl::InvalidArgumentError("must not be empty");
                      c.data_dir = v;
                      return absl::OkStatus();
                    }),
        StringField("listen", "HOST:PORT to serve HTTP on",
                    [](Config& c, const std::string& v) -> absl::Status {
                      auto addr = ParseListenAddress(v);
                      if (!addr.ok()) return addr.status();
                      c.http.listen = *addr;
                      return absl::OkStatus();
                    }),
        StringField("log.level", "debug, info, warn or error",
                    [](Config& c, const std::string& v) {
                      log::Level level;
                      if (!log::ParseLevel(v, &level)) {
                        return absl::InvalidArgumentError("must be debug, info, warn or error");
                      }
                      c.log.level = v;
                      return absl::OkStatus();
                    }),
        StringField("store.url", "empty or \"sqlite\" for the embedded store",
                    [](Config& c, const std::string& v) {
                      if (!v.empty() && v != "sqlite") {
                        return absl::InvalidArgumentError(
                            "only the embedded store (\"sqlite\") is available in this build");
                      }
                      c.store.url = v;
                      return absl::OkStatus();
                    }),
        IntField("store.busy_timeout_ms", 0, kMaxMs, "wait this long for another writer",
                 [](Config& c, int64_t v) { c.store.busy_timeout_ms = static_cast<int>(v); }),
        IntField("store.max_batch", 1, 100000, "writes per group commit",
                 [](Config& c, int64_t v) { c.store.max_batch = static_cast<int>(v); }),
        IntField("store.read_connections", 1, 256, "pooled read connections",
                 [](Config& c, int64_t v) { c.store.read_connections = static_cast<int>(v); }),
        StringField("keys.provider",
                    "KEK provider: \"file\" (DATA_DIR/kek), \"file:/dir\" or "
                    "\"pkcs11:module=...;token=...;pin-env=VAR\" (docs/keys.md)",
                    [](Config& c, const std::string& v) {
                      if (!v.empty() && v != "file" && v.rfind("file:", 0) != 0 &&
                          v.rfind("pkcs11:", 0) != 0) {
                        return absl::InvalidArgumentError(
                            "must be \"file\", \"file:/dir\" or \"pkcs11:...\"");
                      }
                      c.keys.provider = v;
                      return absl::OkStatus();
                    }),
        IntField("keys.cache_capacity", 1, 10000000, "unwrapped data keys cached at most",
                 [](Config& c, int64_t v) { c.keys.cache_capacity = static_cast<int>(v); }),
        IntField("keys.cache_ttl_seconds", 1, 86400, "how long an unwrapped key stays cached",
                 [](Config& c, int64_t v) { c.keys.cache_ttl_seconds = static_cast<int>(v); }),
        IntField("keys.blind_index_bits", 8, 64, "bits kept of each blind-index token",
                 [](Config& c, int64_t v) { c.keys.blind_index_bits = static_cast<int>(v); }),
        IntField(
            "keys.rewrap_interval_seconds", 1, 86400, "pause between rewrap job rounds",
            [](Config& c, int64_t v) { c.keys.rewrap_interval_seconds = static_cast<int>(v); }),
        IntField("keys.destroy_grace_seconds", 0, 30 * 86400,
                 "a drained KEK version is destroyed this long after rotation",
                 [](Config& c, int64_t v) { c.keys.destroy_grace_seconds = static_cast<int>(v); }),
        IntField("messaging.max_text_bytes", 1, 1 << 24, "longest message text in bytes",
                 [](Config& c, int64_t v) { c.messaging.max_text_bytes = static_cast<int>(v); }),
        IntField("messaging.max_payload_depth", 1, 64, "deepest nesting of a message payload",
                 [](Config& c, int64_t v) { c.messaging.max_payload_depth = static_cast<int>(v); }),
        IntField(
            "messaging.sweep_interval_seconds", 1, 3600,
            "how often idle sessions are made inactive or ended",
            [](Config& c, int64_t v) { c.messaging.sweep_interval_seconds = static_cast<int>(v); }),
        IntField("http.io_threads", 0, 256, "network threads (0: half the cores, at least one)",
                 [](Config& c, int64_t v) { c.http.io_threads = static_cast<int>(v); }),
        IntField("http.handler_threads", 1, 4096, "request handler threads",
                 [](Config& c, int64_t v) { c.http.handler_threads = static_cast<int>(v); }),
        IntField("http.max_body_bytes", 1024, 1LL << 30, "largest request body (413 above)",
                 [](Config& c, int64_t v) { c.http.max_body_bytes = v; }),
        IntField("http.max_header_bytes", 1024, 1 << 20, "largest header block (431 above)",
                 [](Config& c, int64_t v) { c.http.max_header_bytes = v; }),
        IntField("http.header_timeout_ms", 1, kMaxMs, "time allowed to send the headers",
                 [](Config& c, int64_t v) { c.http.header_timeout_ms = static_cast<int>(v); }),
        IntField("http.read_timeout_ms", 1, kMaxMs, "time allowed to send a whole request",
                 [](Config& c, int64_t v) { c.http.read_timeout_ms = static_cast<int>(v); }),
        IntField("http.write_timeout_ms", 1, kMaxMs, "time allowed to read a response",
                 [](Config& c, int64_t v) { c.http.write_timeout_ms = static_cast<int>(v); }),
        IntField("http.idle_timeout_ms", 1, kMaxMs, "keep-alive connection idle limit",
                 [](Config& c, int64_t v) { c.http.idle_timeout_ms = static_cast<int>(v); }),
        IntField("http.max_connections", 1, 1000000, "open connections at most",
                 [](Config& c, int64_t v) { c.http.max_connections = static_cast<int>(v); }),
        IntField("http.shutdown_grace_ms", 0, kMaxMs, "drain time for in-flight requests",
                 [](Config& c, int64_t v) { c.http.shutdown_grace_ms = static_cast<int>(v); }),
    };
    for (Field& field : *f) {
      if (field.name == "data_dir") {
        field.env = "CONVAULT_DATA";
      } else {
        field.env = absl::StrCat(
            "CONVAULT_", absl::AsciiStrToUpper(absl::StrReplaceAll(field.name, {{".", "_"}})));
      }
    }
    return f;
  }();
  return *fields;
}

const Field* FindField(std::string_view name) {
  for (const Field& f : Fields()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

absl::Status FieldError(const Field& f, std::string_view source, std::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat("config: ", f.name, " (from ", Sv(source), "): ", Sv(message)));
}

// Checks range and applies a typed value.
absl::Status Apply(Config& config, const Field& f, const Value& v, std::string_view source) {
  if (f.kind == Kind::kInt) {
    int64_t n = std::get<int64_t>(v);
    if (n < f.min || n > f.max) {
      return FieldError(f, source,
                        absl::StrCat("must be between ", f.min, " and ", f.max, " (got ", n, ")"));
    }
  }
  absl::Status s = f.set(config, v);
  if (!s.ok()) return FieldError(f, source, StdSv(s.message()));
  return absl::OkStatus();
}

// Applies a value given as text (environment, flags).
absl::Status ApplyText(Config& config, const Field& f, const std::string& text,
                       std::string_view source) {
  switch (f.kind) {
    case Kind::kInt: {
      int64_t n = 0;
      if (!absl::SimpleAtoi(text, &n)) return FieldError(f, source, "expected an integer");
      return Apply(config, f, n, source);
    }
    case Kind::kBool: {
      bool b = false;
      if (!absl::SimpleAtob(text, &b)) return FieldError(f, source, "expected true or false");
      return Apply(config, f, b, source);
    }
    case Kind::kString:
      return Apply(config, f, text, source);
  }
  return absl::InternalError("unreachable");
}

absl::Status ApplyToml(Config& config, const toml::table& table, const std::string& prefix,
                       const std::string& file) {
  for (const auto& [key, node] : table) {
    std::string name =
        prefix.empty() ? std::string(key.str()) : absl::StrCat(prefix, ".", Sv(key.str()));
    if (const toml::table* sub = node.as_table()) {
      CV_RETURN_IF_ERROR(ApplyToml(config, *sub, name, file));
      continue;
    }
    const Field* f = FindField(name);
    std::string source = absl::StrCat(file);
    if (f == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: ", name, " (from ", file, "): unknown field"));
    }
    switch (f->kind) {
      case Kind::kInt:
        if (!node.is_integer()) return FieldError(*f, source, "expected an integer");
        CV_RETURN_IF_ERROR(Apply(config, *f, node.as_integer()->get(), source));
        break;
      case Kind::kBool:
        if (!node.is_boolean()) return FieldError(*f, source, "expected true or false");
        CV_RETURN_IF_ERROR(Apply(config, *f, node.as_boolean()->get(), source));
        break;
      case Kind::kString:
        if (!node.is_string()) return FieldError(*f, source, "expected a string");
        CV_RETURN_IF_ERROR(Apply(config, *f, node.as_string()->get(), source));
        break;
    }
  }
  return absl::OkStatus();
}

absl::Status ParseToml(Config& config, std::string_view text, const std::string& source) {
  // toml++ as packaged reports errors by exception; this adapter turns them into a Status.
  toml::table table;
  try {
    table = toml::parse(text, source);
  } catch (const toml::parse_error& err) {
    return absl::InvalidArgumentError(absl::StrCat("config: ", source, ":", err.source().begin.line,
                                                   ":", err.source().begin.column, ": ",
                                                   Sv(err.description())));
  }
  return ApplyToml(config, table, "", source);
}

absl::Status ReadFile(Config& config, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("config: cannot read ", path));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > (1 << 20)) {
    return absl::InvalidArgumentError(absl::StrCat("config: ", path, " is larger than 1 MiB"));
  }
  CV_RETURN_IF_ERROR(ParseToml(config, text, path));
  config.config_file = path;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Config> LoadConfig(const ConfigSources& sources) {
  Config config;
  // Where is the file? An explicit choice wins; else the data dir's own file.
  std::optional<std::string> file = sources.config_file;
  if (!file.has_value()) {
    auto it = sources.env.find("CONVAULT_CONFIG");
    if (it != sources.env.end() && !it->second.empty()) file = it->second;
  }
  if (file.has_value()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*file, ec)) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: file ", *file, " does not exist or is not a regular file"));
    }
  } else {
    std::string data_dir = config.data_dir;
    if (auto it = sources.env.find("CONVAULT_DATA"); it != sources.env.end()) data_dir = it->second;
    if (auto it = sources.flags.find("data_dir"); it != sources.flags.end()) data_dir = it->second;
    std::string candidate = (std::filesystem::path(data_dir) / "convault.toml").string();
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) file = candidate;
  }
  if (file.has_value()) CV_RETURN_IF_ERROR(ReadFile(config, *file));

  for (const auto& [name, value] : sources.env) {
    if (name == "CONVAULT_CONFIG") continue;
    for (const Field& f : Fields()) {
      if (f.env == name) CV_RETURN_IF_ERROR(ApplyText(config, f, value, name));
    }
  }
  for (const auto& [name, value] : sources.flags) {
    const Field* f = FindField(name);
    if (f == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("config: ", name, ": unknown field"));
    }
    CV_RETURN_IF_ERROR(ApplyText(config, *f, value, absl::StrCat("flag --", name)));
  }
  return config;
}

absl::Status ApplyConfigText(Config& config, std::string_view toml_text, std::string_view source) {
  return ParseToml(config, toml_text, std::string(source));
}

std::map<std::string, std::string> ConvaultEnvironment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    if (entry.substr(0, 9) != "CONVAULT_") continue;
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return out;
}

std::vector<ConfigFieldInfo> ConfigFields() {
  std::vector<ConfigFieldInfo> out;
  for (const Field& f : Fields()) out.push_back({f.name, f.env, f.description});
  return out;
}

}  // namespace convault
