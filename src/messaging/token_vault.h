#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/ids.h"
#include "common/sensitive.h"
#include "crypto/field_cipher.h"
#include "model/token_row.h"
#include "redact/policy.h"

namespace convault {

// Tokens for the `tokenize` action: "tok_" + a fresh opaque id (the token
// says nothing about the value it replaces).
class IdTokenMinter final : public redact::TokenMinter {
 public:
  explicit IdTokenMinter(IdGenerator& ids) : ids_(ids) {}
  std::string NewToken() override { return ids_.NewId("tok"); }

 private:
  IdGenerator& ids_;
};

// The original of a tokenized value, sealed under the subject's DEK. The
// associated data binds it to (tenant, "token", token, "value", subject): it
// opens only for the subject it was taken from, and not at all once the
// subject's key is destroyed (erasure).
struct SealedToken {
  std::string token;
  std::string rule_id;
  std::string ciphertext;
};

// Seals and opens tokenized originals (docs/redaction.md, "tokenize").
// Thread safety: as FieldCipher.
class TokenVault {
 public:
  explicit TokenVault(crypto::FieldCipher& cipher) : cipher_(cipher) {}

  // Seals every value; the plaintexts in `values` are cleared afterwards.
  absl::StatusOr<std::vector<SealedToken>> Seal(std::string_view tenant_id,
                                                std::string_view subject_id,
                                                std::vector<redact::TokenizedValue>& values);
  // Seals `values` found in entry `entry_id` as rows of the tokens table.
  absl::StatusOr<std::vector<TokenRow>> SealRows(const std::string& tenant_id,
                                                 const std::string& subject_id,
                                                 const std::string& entry_id, absl::Time now,
                                                 std::vector<redact::TokenizedValue>& values);
  // FailedPrecondition "key_destroyed" after erasure; InvalidArgument when the
  // ciphertext belongs to another token, subject or tenant.
  absl::StatusOr<Sensitive<std::string>> Open(std::string_view tenant_id,
                                              std::string_view subject_id,
                                              const SealedToken& sealed);

 private:
  crypto::FieldCipher& cipher_;
};

}  // namespace convault
