#include "api/auth.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/strings.h"
#include "crypto/api_key_token.h"

namespace convault {

absl::StatusOr<Principal> Authenticator::Authenticate(
    std::optional<std::string_view> authorization) const {
  if (!authorization.has_value() || authorization->empty()) {
    return absl::UnauthenticatedError("an API key is required: Authorization: Bearer <key>");
  }
  std::string_view value = StdSv(absl::StripAsciiWhitespace(Sv(*authorization)));
  if (value.size() < 7 || !absl::EqualsIgnoreCase(Sv(value.substr(0, 7)), "bearer ")) {
    return absl::UnauthenticatedError("the Authorization header must use the Bearer scheme");
  }
  std::string_view token = StdSv(absl::StripLeadingAsciiWhitespace(Sv(value.substr(7))));
  auto parsed = crypto::ParseApiKeyToken(token);
  if (!parsed.ok()) return parsed.status();
  auto key = store_.FindApiKeyForAuth(parsed->key_id);
  if (!key.ok()) {
    if (absl::IsNotFound(key.status())) {
      return absl::UnauthenticatedError("the API key is not valid");
    }
    return key.status();
  }
  if (!crypto::ApiKeySecretMatches(parsed->secret_hash, key->secret_hash)) {
    return absl::UnauthenticatedError("the API key is not valid");
  }
  return Principal{key->tenant_id, key->id, key->roles};
}

}  // namespace convault
