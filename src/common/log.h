#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace convault::log {

// Structured JSON-line logging. One line per event:
//   {"ts":"...","level":"info","component":"http","event":"request", ...fields}
// Fields are typed scalars chosen by the caller. There is deliberately no way
// to log a Sensitive<T>, SecretBytes or a request/response body: callers log
// ids, counts, routes and statuses, never message text, names, numbers,
// credentials or keys (PRIVACY.md section 10).
// Thread safety: every function is safe to call from any thread.

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

class Field {
 public:
  using Value = std::variant<int64_t, double, bool, std::string_view>;
  Field(std::string_view key, int v) : key_(key), value_(int64_t{v}) {}
  Field(std::string_view key, unsigned v) : key_(key), value_(int64_t{v}) {}
  Field(std::string_view key, long v) : key_(key), value_(int64_t{v}) {}
  Field(std::string_view key, unsigned long v) : key_(key), value_(static_cast<int64_t>(v)) {}
  Field(std::string_view key, long long v) : key_(key), value_(int64_t{v}) {}
  Field(std::string_view key, double v) : key_(key), value_(v) {}
  Field(std::string_view key, bool v) : key_(key), value_(v) {}
  Field(std::string_view key, std::string_view v) : key_(key), value_(v) {}
  Field(std::string_view key, const char* v) : key_(key), value_(std::string_view(v)) {}
  Field(std::string_view key, const std::string& v) : key_(key), value_(std::string_view(v)) {}

  std::string_view key() const { return key_; }
  const Value& value() const { return value_; }

 private:
  std::string_view key_;
  Value value_;
};

struct Options {
  Level level = Level::kInfo;
};

// Sets the minimum level. Logging works before Init (level info, stderr).
void Init(const Options& options);
bool ParseLevel(std::string_view text, Level* level);

void Write(Level level, std::string_view component, std::string_view event,
           std::initializer_list<Field> fields = {});

inline void Debug(std::string_view c, std::string_view e, std::initializer_list<Field> f = {}) {
  Write(Level::kDebug, c, e, f);
}
inline void Info(std::string_view c, std::string_view e, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, c, e, f);
}
inline void Warn(std::string_view c, std::string_view e, std::initializer_list<Field> f = {}) {
  Write(Level::kWarn, c, e, f);
}
inline void Error(std::string_view c, std::string_view e, std::initializer_list<Field> f = {}) {
  Write(Level::kError, c, e, f);
}

// Tests: every formatted line also goes to `observer` (nullptr to stop).
void SetObserverForTesting(std::function<void(std::string_view line)> observer);

}  // namespace convault::log
