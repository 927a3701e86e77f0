#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "api/http_types.h"
#include "common/status.h"
#include "nlohmann/json.hpp"

namespace convault {

using Json = nlohmann::json;

// Serializes without throwing (invalid UTF-8 is replaced, never echoed raw).
std::string DumpJson(const Json& value);

struct JsonLimits {
  int max_depth = 32;
};

// Parses a request body as one JSON object. Refuses (invalid_request or
// unsupported_media_type) a non-JSON content type, an empty body, invalid
// JSON or UTF-8, nesting deeper than the limit, and anything but an object.
// Never throws.
absl::StatusOr<Json> ParseJsonObject(const HttpRequest& request, const JsonLimits& limits = {});

// Reads the fields of a JSON object with typed accessors, collecting one
// error per bad field (so that a client sees all its mistakes at once).
class JsonFields {
 public:
  explicit JsonFields(const Json& object) : object_(object) {}
  // For a nested object: errors are named "<prefix>.<field>".
  JsonFields(const Json& object, std::string prefix)
      : object_(object), prefix_(std::move(prefix)) {}

  bool Has(std::string_view name) const { return object_.contains(name); }

  // A string of min..max characters (bytes of UTF-8) without control characters.
  std::optional<std::string> RequiredString(std::string_view name, size_t min_len, size_t max_len);
  std::optional<std::string> OptionalString(std::string_view name, size_t min_len, size_t max_len);
  // An array of 1..max_items strings, each at most max_len bytes. Items that
  // are not such strings are reported (as "name[i]") and returned as nullopt,
  // so that the caller can still check the others.
  std::optional<std::vector<std::optional<std::string>>> RequiredStringArray(std::string_view name,
                                                                             size_t max_items,
                                                                             size_t max_len);
  std::optional<bool> OptionalBool(std::string_view name);
  // An integer within [min, max] (JSON floats and huge numbers are refused).
  std::optional<int64_t> OptionalInt(std::string_view name, int64_t min, int64_t max);
  // An array of at most max_items strings of 1..max_len bytes.
  std::optional<std::vector<std::string>> OptionalStringList(std::string_view name,
                                                             size_t max_items, size_t max_len);
  // An object of at most max_items string members (keys 1..max_key, values
  // 0..max_value bytes).
  std::optional<std::map<std::string, std::string>> OptionalStringMap(std::string_view name,
                                                                      size_t max_items,
                                                                      size_t max_key,
                                                                      size_t max_value);
  // A nested object, or nullptr when absent or null (an error when not an object).
  const Json* OptionalObject(std::string_view name);
  // Takes the errors of a nested reader.
  void Merge(const JsonFields& nested);

  // Records an error for any member not in `known`.
  void RejectUnknown(std::initializer_list<std::string_view> known);
  void AddError(std::string field, std::string message);

  // OK, or invalid_request listing every field error.
  absl::Status Finish() const;

 private:
  std::optional<std::string> String(std::string_view name, bool required, size_t min_len,
                                    size_t max_len);
  const Json& object_;
  std::string prefix_;
  std::vector<FieldError> errors_;
};

// Percent-decoded query parameters (first occurrence wins).
std::optional<std::string> QueryParam(std::string_view query, std::string_view name);

}  // namespace convault
