#include "crypto/field_cipher.h"

namespace convault::crypto {
namespace {
void AppendPart(std::string& out, std::string_view part) {
  uint32_t n = static_cast<uint32_t>(part.size());
  char len[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                 static_cast<char>(n)};
  out.append(len, 4);
  out.append(part);
}
void BuildAssociatedData(const FieldContext& c, std::string& ad) {
  ad.clear();
  ad.reserve(11 + 20 + c.tenant_id.size() + c.object_type.size() + c.object_id.size() +
             c.field.size() + c.subject_id.size());
  ad.append("cv-field-v1");
  AppendPart(ad, c.tenant_id);
  AppendPart(ad, c.object_type);
  AppendPart(ad, c.object_id);
  AppendPart(ad, c.field);
  AppendPart(ad, c.subject_id);
}

// Sealing and opening build the associated data into a per-thread buffer:
// no allocation per field.
std::string_view ThreadAssociatedData(const FieldContext& c) {
  thread_local std::string ad;
  BuildAssociatedData(c, ad);
  return ad;
}
}  // namespace

std::string FieldAssociatedData(const FieldContext& c) {
  std::string ad;
  BuildAssociatedData(c, ad);
  return ad;
}

absl::StatusOr<std::string> FieldCipher::Seal(const FieldContext& context,
                                              std::string_view plaintext) {
  return keys_.Seal({context.tenant_id, context.subject_id}, plaintext,
                    ThreadAssociatedData(context));
}

absl::StatusOr<std::string> FieldCipher::Open(const FieldContext& context,
                                              std::string_view ciphertext) {
  return keys_.Open({context.tenant_id, context.subject_id}, ciphertext,
                    ThreadAssociatedData(context));
}

absl::StatusOr<std::string> FieldCipher::SubjectOpener::Open(const FieldContext& context,
                                                             std::string_view ciphertext) {
  if (context.tenant_id != opener_.tenant_id() || context.subject_id != opener_.subject_id()) {
    return cipher_.Open(context, ciphertext);
  }
  return opener_.Open(ciphertext, ThreadAssociatedData(context));
}

}  // namespace convault::crypto
