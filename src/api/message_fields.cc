#include "api/message_fields.h"

#include "absl/strings/str_cat.h"

namespace convault {

std::optional<Sensitive<std::string>> ReadMessageText(const Json& body, JsonFields& fields,
                                                      size_t max_bytes) {
  auto it = body.find("text");
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    fields.AddError("text", "must be a string");
  } else if (it->get_ref<const std::string&>().size() > max_bytes) {
    fields.AddError("text", absl::StrCat("must be at most ", max_bytes, " bytes"));
  } else {
    return Sensitive<std::string>(it->get<std::string>());
  }
  return std::nullopt;
}

std::optional<Sensitive<std::string>> ReadMessagePayload(const Json& body, JsonFields& fields) {
  auto it = body.find("payload");
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_object() && !it->is_array()) {
    fields.AddError("payload", "must be an object or an array");
    return std::nullopt;
  }
  return Sensitive<std::string>(it->dump());
}

}  // namespace convault
