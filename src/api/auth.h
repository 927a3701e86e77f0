#pragma once

#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "api/router.h"
#include "store/store.h"

namespace convault {

// Resolves "Authorization: Bearer <api key>" to a Principal: finds the key by
// the id embedded in the token and compares the secret's SHA-256 with the
// stored hash in constant time. Every failure is Unauthenticated with a
// message that never echoes the token.
// Thread safety: safe for concurrent use.
class Authenticator {
 public:
  explicit Authenticator(Store& store) : store_(store) {}
  absl::StatusOr<Principal> Authenticate(std::optional<std::string_view> authorization) const;

 private:
  Store& store_;
};

}  // namespace convault
