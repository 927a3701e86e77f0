#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "crypto/key_manager.h"

namespace convault::crypto {

// Where an encrypted field lives. The associated data of its ciphertext is
// built from all five parts, so a ciphertext copied to another tenant, object
// type, row, field or subject does not open.
struct FieldContext {
  std::string_view tenant_id;
  std::string_view object_type;  // "end_user", "entry", "context_entry", ...
  std::string_view object_id;
  std::string_view field;       // "message", "name", ...
  std::string_view subject_id;  // the end user the data is about; empty for tenant data
};

// The associated data for a field: "cv-field-v1" then each part as a 4-byte
// big-endian length and its bytes (docs/formats/field-ciphertext.md).
std::string FieldAssociatedData(const FieldContext& context);

// Seals and opens personal fields under the subject's DEK (or the tenant DEK
// when the context has no subject). Thread safety: safe for concurrent use.
class FieldCipher {
 public:
  explicit FieldCipher(KeyManager& keys) : keys_(keys) {}
  absl::StatusOr<std::string> Seal(const FieldContext& context, std::string_view plaintext);
  // FailedPrecondition "key_destroyed" after the subject's key was destroyed;
  // InvalidArgument when the ciphertext does not open in this context.
  absl::StatusOr<std::string> Open(const FieldContext& context, std::string_view ciphertext);
  // Opens many fields of one tenant and subject with one key lookup per key
  // version (a page of a subject's rows; see KeyManager::ScopedOpener).
  // Fields of another scope go through FieldCipher::Open. One per thread.
  class SubjectOpener {
   public:
    absl::StatusOr<std::string> Open(const FieldContext& context, std::string_view ciphertext);

   private:
    friend class FieldCipher;
    SubjectOpener(FieldCipher& cipher, KeyManager::ScopedOpener opener)
        : cipher_(cipher), opener_(std::move(opener)) {}
    FieldCipher& cipher_;
    KeyManager::ScopedOpener opener_;
  };
  SubjectOpener OpenerFor(std::string_view tenant_id, std::string_view subject_id) {
    return SubjectOpener(*this, keys_.OpenerFor({tenant_id, subject_id}));
  }
  // The key manager underneath (for KeyManager::NewSubject).
  KeyManager& keys() const { return keys_; }

 private:
  KeyManager& keys_;
};

}  // namespace convault::crypto
