#include "crypto/api_key_token.h"

#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/strings.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace convault::crypto {
namespace {
constexpr std::string_view kTokenPrefix = "cvk_";
constexpr std::string_view kIdPrefix = "key";
constexpr size_t kSecretBytes = 32;
constexpr size_t kSecretHexChars = kSecretBytes * 2;

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}
}  // namespace

absl::StatusOr<NewApiKeyToken> GenerateApiKeyToken(std::string_view key_id) {
  if (!IsWellFormedId(key_id, kIdPrefix)) {
    return absl::InvalidArgumentError("malformed api key id");
  }
  auto secret = SecureRandomBytes(kSecretBytes);
  if (!secret.ok()) return secret.status();
  std::string hex = HexEncode(secret->Reveal());
  NewApiKeyToken out;
  out.secret_hash = Sha256(hex);
  std::string token =
      absl::StrCat(Sv(kTokenPrefix), Sv(key_id.substr(kIdPrefix.size() + 1)), "_", hex);
  out.token = SecretBytes(token);
  SecureZero(token.data(), token.size());
  SecureZero(hex.data(), hex.size());
  return out;
}

absl::StatusOr<ParsedApiKeyToken> ParseApiKeyToken(std::string_view token) {
  auto bad = [] { return absl::UnauthenticatedError("the API key is malformed"); };
  if (token.size() <= kTokenPrefix.size() + 1 + kSecretHexChars) return bad();
  if (token.substr(0, kTokenPrefix.size()) != kTokenPrefix) return bad();
  std::string_view rest = token.substr(kTokenPrefix.size());
  std::string_view secret = rest.substr(rest.size() - kSecretHexChars);
  std::string_view suffix = rest.substr(0, rest.size() - kSecretHexChars);
  if (suffix.size() < 2 || suffix.back() != '_') return bad();
  suffix.remove_suffix(1);
  std::string key_id = absl::StrCat(Sv(kIdPrefix), "_", Sv(suffix));
  if (!IsWellFormedId(key_id, kIdPrefix) || !IsLowerHex(secret)) return bad();
  return ParsedApiKeyToken{std::move(key_id), Sha256(secret)};
}

bool ApiKeySecretMatches(std::string_view presented_hash, std::string_view stored_hash) {
  return ConstantTimeEquals(presented_hash, stored_hash);
}

}  // namespace convault::crypto
