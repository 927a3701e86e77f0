#pragma once

#include <optional>
#include <string>

#include "api/json.h"
#include "common/sensitive.h"

namespace convault {

// The message fields shared by the inbound and reply endpoints. Errors go to
// `fields` (as "text" or "payload").
// "text": a string of at most max_bytes (new lines and tabs allowed).
std::optional<Sensitive<std::string>> ReadMessageText(const Json& body, JsonFields& fields,
                                                      size_t max_bytes);
// "payload": an object or an array, as JSON text.
std::optional<Sensitive<std::string>> ReadMessagePayload(const Json& body, JsonFields& fields);

}  // namespace convault
