#include "api/pagination.h"

#include "absl/strings/numbers.h"
#include "api/json.h"
#include "common/ids.h"

namespace convault {

absl::StatusOr<ListOptions> ParseListOptions(const HttpRequest& request,
                                             std::string_view id_prefix) {
  ListOptions options;
  std::vector<FieldError> errors;
  if (auto limit = QueryParam(request.query, "limit"); limit.has_value()) {
    int n = 0;
    if (!absl::SimpleAtoi(*limit, &n) || n < 1 || n > 500) {
      errors.push_back({"limit", "must be an integer from 1 to 500"});
    } else {
      options.limit = n;
    }
  }
  if (auto cursor = QueryParam(request.query, "cursor"); cursor.has_value()) {
    if (!IsWellFormedId(*cursor, id_prefix)) {
      errors.push_back({"cursor", "is not a cursor this endpoint returned"});
    } else {
      options.after = *cursor;
    }
  }
  if (!errors.empty()) return InvalidFields(errors);
  return options;
}

}  // namespace convault
