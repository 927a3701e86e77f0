#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "config/listen_address.h"

namespace convault {

// HTTP server limits and threads. Defaults suit a small production install.
struct HttpOptions {
  ListenAddress listen{"127.0.0.1", 8080};
  int io_threads = 0;                   // 0: half the cores, at least one
  int handler_threads = 32;             // blocking request handlers (store commits wait here)
  int64_t max_body_bytes = 1 << 20;     // larger bodies get 413
  int64_t max_header_bytes = 16 << 10;  // larger header blocks get 431
  int header_timeout_ms = 10000;        // slow headers get 408 and a close
  int read_timeout_ms = 30000;          // whole request, headers and body
  int write_timeout_ms = 30000;
  int idle_timeout_ms = 60000;  // keep-alive connection with no request
  int max_connections = 10000;
  int shutdown_grace_ms = 30000;  // in-flight requests get this long on SIGTERM
};

struct StoreOptions {
  std::string url;  // empty or "sqlite": embedded store in the data directory
  int busy_timeout_ms = 5000;
  int max_batch = 512;  // writes per group commit
  int read_connections = 8;
};

// Keys (docs/keys.md).
struct KeyOptions {
  std::string provider;  // "file" (DATA_DIR/kek, the default), "file:/dir" or "pkcs11:..."
  int cache_capacity = 100000;
  int cache_ttl_seconds = 600;
  int blind_index_bits = 24;
  int rewrap_interval_seconds = 60;
  int destroy_grace_seconds = 300;
};

struct MessagingOptions {
  int max_text_bytes = 64 * 1024;   // longest message text (400 above)
  int max_payload_depth = 16;       // deepest nesting of a message payload
  int sweep_interval_seconds = 30;  // how often idle sessions are looked for
  int delivery_interval_ms = 500;   // how often the outbox is looked at
};

struct LogOptions {
  std::string level = "info";
};

// The whole validated configuration. Immutable once loaded.
struct Config {
  std::string data_dir = "convault-data";
  std::string config_file;  // the file that was read, if any
  HttpOptions http;
  StoreOptions store;
  KeyOptions keys;
  MessagingOptions messaging;
  LogOptions log;
};

// Where configuration comes from. Precedence: defaults < file < environment < flags.
struct ConfigSources {
  // Explicit --config FILE; otherwise CONVAULT_CONFIG; otherwise DATA_DIR/convault.toml
  // when that file exists.
  std::optional<std::string> config_file;
  // CONVAULT_* variables (other entries are ignored).
  std::map<std::string, std::string> env;
  // Flag values by field name ("data_dir", "listen", "http.max_body_bytes", ...).
  std::map<std::string, std::string> flags;
};

// Reads and validates. Errors name the field and the source, e.g.
// "config: http.max_body_bytes (from CONVAULT_HTTP_MAX_BODY_BYTES): must be at least 1024".
absl::StatusOr<Config> LoadConfig(const ConfigSources& sources);

// Applies TOML text to `config` (what LoadConfig does with the file), naming
// `source` in errors. Exposed for the fuzzer and tests.
absl::Status ApplyConfigText(Config& config, std::string_view toml_text, std::string_view source);

// The environment of this process as a map of its CONVAULT_* variables.
std::map<std::string, std::string> ConvaultEnvironment();

// Field names with their environment variable, for --help and docs.
struct ConfigFieldInfo {
  std::string name;
  std::string env;
  std::string description;
};
std::vector<ConfigFieldInfo> ConfigFields();

}  // namespace convault
