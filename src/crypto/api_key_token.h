#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/secret.h"

namespace convault::crypto {

// API key tokens: "cvk_<key id suffix>_<64 lower-case hex chars>".
// The id part finds the stored row; the 256-bit secret part is checked
// against the stored SHA-256 in constant time. The token is a bearer
// credential: it lives in SecretBytes and is shown to the operator once.

struct NewApiKeyToken {
  SecretBytes token;        // the plaintext, shown once
  std::string secret_hash;  // SHA-256 of the secret part, stored
};

struct ParsedApiKeyToken {
  std::string key_id;       // "key_..."
  std::string secret_hash;  // SHA-256 of the presented secret
};

// REQUIRES: key_id is "key_<suffix>" with suffix of [a-z0-9].
absl::StatusOr<NewApiKeyToken> GenerateApiKeyToken(std::string_view key_id);

// Fails (unauthenticated) on anything that is not a well-formed token.
absl::StatusOr<ParsedApiKeyToken> ParseApiKeyToken(std::string_view token);

// True when the presented hash matches the stored one (constant time).
bool ApiKeySecretMatches(std::string_view presented_hash, std::string_view stored_hash);

}  // namespace convault::crypto
