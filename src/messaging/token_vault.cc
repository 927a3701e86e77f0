#include "messaging/token_vault.h"

#include <openssl/crypto.h>

namespace convault {
namespace {

crypto::FieldContext TokenContext(std::string_view tenant_id, std::string_view subject_id,
                                  std::string_view token) {
  return {tenant_id, "token", token, "value", subject_id};
}

}  // namespace

absl::StatusOr<std::vector<SealedToken>> TokenVault::Seal(
    std::string_view tenant_id, std::string_view subject_id,
    std::vector<redact::TokenizedValue>& values) {
  std::vector<SealedToken> out;
  out.reserve(values.size());
  absl::Status failed = absl::OkStatus();
  for (redact::TokenizedValue& v : values) {
    if (failed.ok()) {
      auto sealed = cipher_.Seal(TokenContext(tenant_id, subject_id, v.token), v.original.Reveal());
      if (sealed.ok()) {
        out.push_back({v.token, v.rule_id, std::move(*sealed)});
      } else {
        failed = sealed.status();
      }
    }
    std::string& plain = v.original.RevealMutable();
    OPENSSL_cleanse(plain.data(), plain.size());
    plain.clear();
  }
  if (!failed.ok()) return failed;
  return out;
}

absl::StatusOr<Sensitive<std::string>> TokenVault::Open(std::string_view tenant_id,
                                                        std::string_view subject_id,
                                                        const SealedToken& sealed) {
  auto plain = cipher_.Open(TokenContext(tenant_id, subject_id, sealed.token), sealed.ciphertext);
  if (!plain.ok()) return plain.status();
  return Sensitive<std::string>(std::move(*plain));
}

}  // namespace convault
