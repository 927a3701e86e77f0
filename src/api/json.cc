#include "api/json.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/strings.h"

namespace convault {

std::string DumpJson(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

namespace {

// Depth of [ and { nesting outside strings; stops early past `limit`.
bool DepthWithin(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

bool HasControlChars(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<Json> ParseJsonObject(const HttpRequest& request, const JsonLimits& limits) {
  if (auto ct = request.Header("content-type"); ct.has_value()) {
    std::string media =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(Sv(ct->substr(0, ct->find(';')))));
    if (media != "application/json" && !(media.size() > 5 && media.ends_with("+json"))) {
      return WithCode(absl::InvalidArgumentError("the body must be application/json"),
                      "unsupported_media_type");
    }
  }
  if (request.body.empty()) return absl::InvalidArgumentError("a JSON body is required");
  if (!DepthWithin(request.body, limits.max_depth)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the JSON body is nested deeper than ", limits.max_depth, " levels"));
  }
  Json value = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return absl::InvalidArgumentError("the body is not valid JSON (or not valid UTF-8)");
  }
  if (!value.is_object()) return absl::InvalidArgumentError("the JSON body must be an object");
  return value;
}

std::optional<std::string> JsonFields::String(std::string_view name, bool required, size_t min_len,
                                              size_t max_len) {
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) {
    if (required) AddError(std::string(name), "is required");
    return std::nullopt;
  }
  if (!it->is_string()) {
    AddError(std::string(name), "must be a string");
    return std::nullopt;
  }
  const std::string& s = it->get_ref<const std::string&>();
  if (s.size() < min_len || s.size() > max_len) {
    AddError(std::string(name), absl::StrCat("must be ", min_len, " to ", max_len, " bytes long"));
    return std::nullopt;
  }
  if (HasControlChars(s)) {
    AddError(std::string(name), "must not contain control characters");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> JsonFields::RequiredString(std::string_view name, size_t min_len,
                                                      size_t max_len) {
  return String(name, true, min_len, max_len);
}

std::optional<std::string> JsonFields::OptionalString(std::string_view name, size_t min_len,
                                                      size_t max_len) {
  return String(name, false, min_len, max_len);
}

std::optional<std::vector<std::optional<std::string>>> JsonFields::RequiredStringArray(
    std::string_view name, size_t max_items, size_t max_len) {
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) {
    AddError(std::string(name), "is required");
    return std::nullopt;
  }
  if (!it->is_array() || it->empty() || it->size() > max_items) {
    AddError(std::string(name), absl::StrCat("must be an array of 1 to ", max_items, " strings"));
    return std::nullopt;
  }
  std::vector<std::optional<std::string>> out;
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& item = (*it)[i];
    if (!item.is_string() || item.get_ref<const std::string&>().size() > max_len) {
      AddError(absl::StrCat(Sv(name), "[", i, "]"), "must be a short string");
      out.emplace_back(std::nullopt);
      continue;
    }
    out.emplace_back(item.get<std::string>());
  }
  return out;
}

void JsonFields::RejectUnknown(std::initializer_list<std::string_view> known) {
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    bool found = false;
    for (std::string_view k : known) found = found || it.key() == k;
    if (!found) AddError(it.key(), "unknown field");
  }
}

void JsonFields::AddError(std::string field, std::string message) {
  if (!prefix_.empty()) field = prefix_ + "." + field;
  errors_.push_back(FieldError{std::move(field), std::move(message)});
}

void JsonFields::Merge(const JsonFields& nested) {
  errors_.insert(errors_.end(), nested.errors_.begin(), nested.errors_.end());
}

std::optional<bool> JsonFields::OptionalBool(std::string_view name) {
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) {
    AddError(std::string(name), "must be true or false");
    return std::nullopt;
  }
  return it->get<bool>();
}

std::optional<int64_t> JsonFields::OptionalInt(std::string_view name, int64_t min, int64_t max) {
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  bool in_range = false;
  int64_t v = 0;
  if (it->is_number_unsigned()) {
    uint64_t u = it->get<uint64_t>();
    in_range = u <= static_cast<uint64_t>(max);
    v = static_cast<int64_t>(u);
  } else if (it->is_number_integer()) {
    v = it->get<int64_t>();
    in_range = true;
  }
  if (!in_range || v < min || v > max) {
    AddError(std::string(name), absl::StrCat("must be an integer from ", min, " to ", max));
    return std::nullopt;
  }
  return v;
}

std::optional<std::vector<std::string>> JsonFields::OptionalStringList(std::string_view name,
                                                                       size_t max_items,
                                                                       size_t max_len) {
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  std::string why = absl::StrCat("must be an array of at most ", max_items, " strings of 1 to ",
                                 max_len, " bytes");
  if (!it->is_array() || it->size() > max_items) {
    AddError(std::string(name), why);
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const Json& item : *it) {
    if (!item.is_string() || item.get_ref<const std::string&>().empty() ||
        item.get_ref<const std::string&>().size() > max_len ||
        HasControlChars(item.get_ref<const std::string&>())) {
      AddError(std::string(name), why);
      return std::nullopt;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::map<std::string, std::string>> JsonFields::OptionalStringMap(
    std::string_view name, size_t max_items, size_t max_key, size_t max_value) {
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  std::string why = absl::StrCat("must be an object of at most ", max_items,
                                 " string members (values up to ", max_value, " bytes)");
  if (!it->is_object() || it->size() > max_items) {
    AddError(std::string(name), why);
    return std::nullopt;
  }
  std::map<std::string, std::string> out;
  for (auto m = it->begin(); m != it->end(); ++m) {
    if (m.key().empty() || m.key().size() > max_key || HasControlChars(m.key()) ||
        !m.value().is_string() || m.value().get_ref<const std::string&>().size() > max_value) {
      AddError(std::string(name), why);
      return std::nullopt;
    }
    out[m.key()] = m.value().get<std::string>();
  }
  return out;
}

const Json* JsonFields::OptionalObject(std::string_view name) {
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return nullptr;
  if (!it->is_object()) {
    AddError(std::string(name), "must be an object");
    return nullptr;
  }
  return &*it;
}

absl::Status JsonFields::Finish() const {
  if (errors_.empty()) return absl::OkStatus();
  return InvalidFields(errors_);
}

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
               HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}
}  // namespace

std::optional<std::string> QueryParam(std::string_view query, std::string_view name) {
  for (absl::string_view part_sv : absl::StrSplit(Sv(query), '&')) {
    std::string_view part = StdSv(part_sv);
    size_t eq = part.find('=');
    std::string key = PercentDecode(part.substr(0, eq));
    if (key != name) continue;
    return eq == std::string_view::npos ? std::string() : PercentDecode(part.substr(eq + 1));
  }
  return std::nullopt;
}

}  // namespace convault
