#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace convault {

// A status can carry a stable API error code (see API.md, e.g. "legal_hold")
// and, for invalid input, a list of field errors. The HTTP layer maps both to
// problem+json in one place (api/status_mapping.cc). Messages must never hold
// personal data: they reach clients and logs.

struct FieldError {
  std::string field;
  std::string message;
};

absl::Status WithCode(absl::Status status, std::string_view code);
std::optional<std::string> ErrorCode(const absl::Status& status);

absl::Status InvalidField(std::string_view field, std::string_view message);
absl::Status InvalidFields(const std::vector<FieldError>& errors);
std::vector<FieldError> FieldErrors(const absl::Status& status);

}  // namespace convault

#define CV_STATUS_CONCAT_INNER_(a, b) a##b
#define CV_STATUS_CONCAT_(a, b) CV_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` yields a non-OK status.
#define CV_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::absl::Status cv_status_ = (expr);      \
    if (!cv_status_.ok()) return cv_status_; \
  } while (0)

// `CV_ASSIGN_OR_RETURN(auto x, StatusOrExpr());`
#define CV_ASSIGN_OR_RETURN(lhs, expr) \
  CV_ASSIGN_OR_RETURN_IMPL_(CV_STATUS_CONCAT_(cv_statusor_, __LINE__), lhs, expr)
#define CV_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
