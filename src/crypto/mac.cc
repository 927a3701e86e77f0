#include "crypto/mac.h"

// The SHA256_* functions are deprecated in OpenSSL 3 in favour of EVP, whose
// contexts cannot be copied without allocating a provider context each time.
// HMAC's precomputed padded-key states need exactly such copies, per call.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/sha.h>

#include <cstring>

namespace convault::crypto {
namespace {

EVP_MAC* HmacAlgorithm() {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

EVP_KDF* HkdfAlgorithm() {
  static EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  return kdf;
}

const unsigned char* U8(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

EVP_MAC_CTX* NewKeyed(std::string_view key) {
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(HmacAlgorithm());
  if (ctx == nullptr) return nullptr;
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  // A zero-length key is legal for HMAC; OpenSSL wants a non-null pointer.
  static const unsigned char kEmpty[1] = {0};
  if (EVP_MAC_init(ctx, key.empty() ? kEmpty : U8(key), key.size(), params) != 1) {
    EVP_MAC_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

absl::StatusOr<std::string> Finish(EVP_MAC_CTX* ctx, std::string_view message) {
  std::string out(32, '\0');
  size_t len = 0;
  bool ok = EVP_MAC_update(ctx, U8(message), message.size()) == 1 &&
            EVP_MAC_final(ctx, reinterpret_cast<unsigned char*>(out.data()), &len, out.size()) == 1;
  if (!ok || len != 32) return absl::InternalError("hmac");
  return out;
}

}  // namespace

struct HmacSha256::Keyed {
  SHA256_CTX inner;  // after the key XOR ipad block (RFC 2104)
  SHA256_CTX outer;  // after the key XOR opad block
};

HmacSha256::HmacSha256(std::unique_ptr<Keyed> keyed) : keyed_(std::move(keyed)) {}

absl::StatusOr<std::unique_ptr<HmacSha256>> HmacSha256::Create(const SecretBytes& key) {
  constexpr size_t kBlock = 64;
  unsigned char block[kBlock] = {};
  std::string_view k = key.Reveal();
  if (k.size() > kBlock) {
    SHA256(U8(k), k.size(), block);  // longer keys are hashed first
  } else if (!k.empty()) {
    std::memcpy(block, k.data(), k.size());
  }
  auto keyed = std::make_unique<Keyed>();
  unsigned char pad[kBlock];
  for (size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x36;
  bool ok = SHA256_Init(&keyed->inner) == 1 && SHA256_Update(&keyed->inner, pad, kBlock) == 1;
  for (size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x5c;
  ok = ok && SHA256_Init(&keyed->outer) == 1 && SHA256_Update(&keyed->outer, pad, kBlock) == 1;
  OPENSSL_cleanse(block, sizeof(block));
  OPENSSL_cleanse(pad, sizeof(pad));
  if (!ok) {
    OPENSSL_cleanse(keyed.get(), sizeof(Keyed));
    return absl::InternalError("hmac init");
  }
  return std::unique_ptr<HmacSha256>(new HmacSha256(std::move(keyed)));
}

HmacSha256::~HmacSha256() { OPENSSL_cleanse(keyed_.get(), sizeof(Keyed)); }

void HmacSha256::ComputeInto(std::string_view message, Tag& out) const {
  // SHA256_Update and SHA256_Final cannot fail on a valid context.
  SHA256_CTX ctx = keyed_->inner;
  SHA256_Update(&ctx, U8(message), message.size());
  unsigned char inner[SHA256_DIGEST_LENGTH];
  SHA256_Final(inner, &ctx);
  ctx = keyed_->outer;
  SHA256_Update(&ctx, inner, sizeof(inner));
  SHA256_Final(out.data(), &ctx);
  OPENSSL_cleanse(&ctx, sizeof(ctx));
  OPENSSL_cleanse(inner, sizeof(inner));
}

absl::StatusOr<std::string> HmacSha256::Compute(std::string_view message) const {
  Tag tag;
  ComputeInto(message, tag);
  return std::string(reinterpret_cast<const char*>(tag.data()), tag.size());
}

bool HmacSha256::Verify(std::string_view message, std::string_view tag) const {
  if (tag.size() < 16 || tag.size() > 32) return false;
  Tag full;
  ComputeInto(message, full);
  return CRYPTO_memcmp(full.data(), tag.data(), tag.size()) == 0;
}

absl::StatusOr<std::string> HmacSha256Once(std::string_view key, std::string_view message) {
  EVP_MAC_CTX* ctx = NewKeyed(key);
  if (ctx == nullptr) return absl::InternalError("hmac init");
  auto out = Finish(ctx, message);
  EVP_MAC_CTX_free(ctx);
  return out;
}

absl::StatusOr<SecretBytes> HkdfSha256(std::string_view ikm, std::string_view salt,
                                       std::string_view info, size_t size) {
  if (size == 0 || size > 255 * 32) return absl::InvalidArgumentError("unsupported HKDF size");
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(HkdfAlgorithm());
  if (ctx == nullptr) return absl::InternalError("hkdf");
  char digest[] = "SHA256";
  static unsigned char kEmpty[1] = {0};
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                        ikm.empty() ? kEmpty : const_cast<unsigned char*>(U8(ikm)),
                                        ikm.size()),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_SALT, salt.empty() ? kEmpty : const_cast<unsigned char*>(U8(salt)),
          salt.size()),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_INFO, info.empty() ? kEmpty : const_cast<unsigned char*>(U8(info)),
          info.size()),
      OSSL_PARAM_construct_end()};
  SecretBytes out(size);
  int ok = EVP_KDF_derive(ctx, out.mutable_data(), size, params);
  EVP_KDF_CTX_free(ctx);
  if (ok != 1) return absl::InternalError("hkdf derive");
  return out;
}

}  // namespace convault::crypto
