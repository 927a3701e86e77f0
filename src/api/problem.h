#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "api/http_types.h"
#include "common/status.h"

namespace convault {

// An RFC 9457 problem with convault's stable `code` (API.md, "Errors").
struct Problem {
  int status = 500;
  std::string code = "internal";
  std::string detail;
  std::vector<FieldError> errors;                            // for invalid_request
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Allow, WWW-Authenticate
};

// The one place where a Status becomes an HTTP status and code
// (STYLE.md habit 2). Server errors never expose their message.
Problem ProblemFromStatus(const absl::Status& status);

// HTTP status for a known problem code (500 for an unknown one).
int HttpStatusForCode(std::string_view code);

// Renders `application/problem+json` with type, title, status, detail, code,
// request_id and, when present, errors: [{field, message}].
HttpResponse RenderProblem(const Problem& problem, std::string_view request_id);

}  // namespace convault
