#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace convault {

// A body produced piece by piece (an HTTP answer sent with chunked transfer
// encoding), so that a large document is never whole in memory. Next returns
// the next piece, or an empty optional at the end; an error ends the
// transfer mid-body, so that the receiver sees an incomplete answer.
class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual absl::StatusOr<std::optional<std::string>> Next() = 0;
};

}  // namespace convault
