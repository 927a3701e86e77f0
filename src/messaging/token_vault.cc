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

absl::StatusOr<std::vector<TokenRow>> TokenVault::SealRows(
    const std::string& tenant_id, const std::string& subject_id, const std::string& entry_id,
    absl::Time now, std::vector<redact::TokenizedValue>& values) {
  std::vector<TokenRow> rows;
  if (values.empty()) return rows;
  auto sealed = Seal(tenant_id, subject_id, values);
  if (!sealed.ok()) return sealed.status();
  for (SealedToken& t : *sealed) {
    rows.push_back(
        {tenant_id, t.token, subject_id, entry_id, t.rule_id, std::move(t.ciphertext), now});
  }
  return rows;
}

absl::StatusOr<Sensitive<std::string>> TokenVault::Open(std::string_view tenant_id,
                                                        std::string_view subject_id,
                                                        const SealedToken& sealed) {
  auto plain = cipher_.Open(TokenContext(tenant_id, subject_id, sealed.token), sealed.ciphertext);
  if (!plain.ok()) return plain.status();
  return Sensitive<std::string>(std::move(*plain));
}

}  // namespace convault
