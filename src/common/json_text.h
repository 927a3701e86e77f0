#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace convault {

// Writes JSON text straight into a string, without building a document: for
// the large documents written in one pass (subject exports, bulk exports).
// The output is what nlohmann::json::dump() writes for the same values:
// compact, strings escaped per RFC 8259 with non-ASCII passed through. Bytes
// that are not valid UTF-8 become U+FFFD instead of failing.
//
// Commas are inserted automatically between members and array elements; the
// caller opens and closes objects and arrays in a well-nested order.
// Thread safety: one writer per thread.
class JsonText {
 public:
  explicit JsonText(std::string& out) : out_(out) {}

  JsonText& BeginObject() { return Open('{'); }
  JsonText& EndObject() { return Close('}'); }
  JsonText& BeginArray() { return Open('['); }
  JsonText& EndArray() { return Close(']'); }
  // A member name; the value written next belongs to it.
  JsonText& Key(std::string_view name);

  JsonText& String(std::string_view s);
  JsonText& OptionalString(const std::optional<std::string>& s);  // null when absent
  JsonText& Int(int64_t v);
  JsonText& Bool(bool v);
  JsonText& Null();
  JsonText& Time(absl::Time t);  // RFC 3339 as FormatRfc3339 writes it
  // Text that is already one complete JSON value.
  JsonText& Raw(std::string_view json);

 private:
  void BeforeValue();
  JsonText& Open(char bracket);
  JsonText& Close(char bracket);

  std::string& out_;
  // Whether the open container at each depth (bit per level, up to 64) has a
  // member yet; levels beyond 64 fall back to looking at the last byte.
  uint64_t has_member_ = 0;
  int depth_ = 0;
  bool after_key_ = false;
};

// Appends `s` as a quoted JSON string (see JsonText).
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace convault
