#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "api/http_types.h"
#include "store/store.h"

namespace convault {

// Reads ?limit= (1..500, default 50) and ?cursor= (an id of `id_prefix`, as
// returned in next_cursor) for list endpoints (API.md, "Lists").
absl::StatusOr<ListOptions> ParseListOptions(const HttpRequest& request,
                                             std::string_view id_prefix);

}  // namespace convault
