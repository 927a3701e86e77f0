#pragma once

#include <string>

#include "absl/time/time.h"

namespace convault {

// The first answer to a POST that carried an Idempotency-Key (API.md;
// docs/api-conventions.md), kept so that a retry gets the same answer instead
// of doing the work twice. The body is sealed: under the end user's key when
// the request concerned one (it goes with them on erasure), else the tenant
// key. Kept 24 hours.
struct IdempotentResponse {
  std::string tenant_id;
  std::string api_key_id;   // keys are scoped to the API key that sent them
  std::string key;          // the header value
  std::string fingerprint;  // hex SHA-256 of the method, path and body
  int status = 0;
  std::string content_type;
  std::string subject_id;   // the end user the request concerned, or empty
  std::string body_sealed;  // empty when the answer is not kept (it held a secret)
  absl::Time created_at;
};

}  // namespace convault
