#include "crypto/aead.h"

#include <openssl/evp.h>

#include <cstring>

#include "absl/synchronization/mutex.h"
#include "crypto/nonce_source.h"

namespace convault::crypto {
namespace {

constexpr size_t kKeySize = 32;
constexpr size_t kNonceSize = NonceSource::kNonceSize;
constexpr size_t kTagSize = 16;

absl::Status OpenFailed() { return absl::InvalidArgumentError("ciphertext does not open"); }

const uint8_t* U8(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }

// Fetched once: EVP_aes_256_gcm() makes every context initialization look
// the implementation up in the provider store again.
const EVP_CIPHER* Aes256Gcm() {
  static EVP_CIPHER* fetched = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  return fetched != nullptr ? fetched : EVP_aes_256_gcm();
}

// A context with cipher and key set; nonce, AAD and data vary per call.
// Either direction can follow: each call sets its own with the nonce, and
// GCM runs the block cipher forwards both ways, so one key schedule serves
// sealing and opening.
EVP_CIPHER_CTX* NewKeyedContext(std::string_view key, bool encrypt) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr) return nullptr;
  int ok = encrypt ? EVP_EncryptInit_ex(ctx, Aes256Gcm(), nullptr, U8(key), nullptr)
                   : EVP_DecryptInit_ex(ctx, Aes256Gcm(), nullptr, U8(key), nullptr);
  if (ok != 1) {
    EVP_CIPHER_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

// Seals into out[0 .. pt.size() + 16): ciphertext then tag. AAD is the
// concatenation of aad1 and aad2.
absl::Status SealWith(EVP_CIPHER_CTX* ctx, const uint8_t* nonce, std::string_view aad1,
                      std::string_view aad2, std::string_view pt, uint8_t* out) {
  int len = 0;
  if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce) != 1) {
    return absl::InternalError("gcm init");
  }
  if (!aad1.empty() && EVP_EncryptUpdate(ctx, nullptr, &len, U8(aad1), aad1.size()) != 1) {
    return absl::InternalError("gcm aad");
  }
  if (!aad2.empty() && EVP_EncryptUpdate(ctx, nullptr, &len, U8(aad2), aad2.size()) != 1) {
    return absl::InternalError("gcm aad");
  }
  int written = 0;
  if (!pt.empty() && EVP_EncryptUpdate(ctx, out, &written, U8(pt), pt.size()) != 1) {
    return absl::InternalError("gcm encrypt");
  }
  if (EVP_EncryptFinal_ex(ctx, out + written, &len) != 1) return absl::InternalError("gcm final");
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagSize, out + pt.size()) != 1) {
    return absl::InternalError("gcm tag");
  }
  return absl::OkStatus();
}

// Opens ct_and_tag into out[0 .. size - 16).
absl::Status OpenWith(EVP_CIPHER_CTX* ctx, const uint8_t* nonce, std::string_view aad1,
                      std::string_view aad2, std::string_view ct_and_tag, uint8_t* out) {
  if (ct_and_tag.size() < kTagSize) return OpenFailed();
  std::string_view ct = ct_and_tag.substr(0, ct_and_tag.size() - kTagSize);
  uint8_t tag[kTagSize];
  std::memcpy(tag, ct_and_tag.data() + ct.size(), kTagSize);
  int len = 0;
  if (EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce) != 1) return OpenFailed();
  if (!aad1.empty() && EVP_DecryptUpdate(ctx, nullptr, &len, U8(aad1), aad1.size()) != 1) {
    return OpenFailed();
  }
  if (!aad2.empty() && EVP_DecryptUpdate(ctx, nullptr, &len, U8(aad2), aad2.size()) != 1) {
    return OpenFailed();
  }
  int written = 0;
  if (!ct.empty() && EVP_DecryptUpdate(ctx, out, &written, U8(ct), ct.size()) != 1) {
    return OpenFailed();
  }
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTagSize, tag) != 1) return OpenFailed();
  if (EVP_DecryptFinal_ex(ctx, out + written, &len) != 1) return OpenFailed();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<uint32_t> EnvelopeKeyId(std::string_view envelope) {
  if (envelope.size() < kEnvelopeOverhead ||
      static_cast<uint8_t>(envelope[0]) != kEnvelopeVersion ||
      static_cast<uint8_t>(envelope[1]) != kAlgAes256Gcm) {
    return absl::InvalidArgumentError("not a convault ciphertext");
  }
  const uint8_t* p = U8(envelope) + 2;
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

absl::StatusOr<std::unique_ptr<AesGcmAead>> AesGcmAead::Create(SecretBytes key, uint32_t key_id) {
  if (key.size() != kKeySize) return absl::InvalidArgumentError("AES-256-GCM needs a 32-byte key");
  return std::unique_ptr<AesGcmAead>(new AesGcmAead(std::move(key), key_id));
}

// The keys that hold pooled contexts, and the clock that bounds them.
//
// A key joins when Release pools a context and it is not a member; a member
// leaves when the clock frees its contexts or when it is destroyed. Release
// stores the context into its slot before it reads `registered_`, and the
// clock clears `registered_` before it empties the slots (both sequentially
// consistent), so a context pooled while the clock frees the others is
// either freed by the clock or makes its key join again.
class ContextRegistry {
 public:
  static ContextRegistry& Get() {
    static ContextRegistry* registry = new ContextRegistry();
    return *registry;
  }

  void Join(const AesGcmAead* key) {
    absl::MutexLock lock(&mu_);
    if (key->registered_.load()) return;  // another thread's Release was first
    key->registered_.store(true);
    key->index_ = keys_.size();
    keys_.push_back(key);
    // The use that brought it here earns no second chance: a key used once
    // and never again goes at the hand's first pass, while keys in use are
    // marked again before it comes round.
    key->referenced_.store(false);
    // Second chance: a key used since the hand last passed it keeps its
    // contexts this time round. Two turns clear every mark, unless other
    // threads keep setting them; the bound stops a sweep in that case.
    size_t steps = 2 * keys_.size() + 2;
    while (keys_.size() > budget_ && steps-- > 0) {
      if (hand_ >= keys_.size()) hand_ = 0;
      const AesGcmAead* at = keys_[hand_];
      if (at->referenced_.exchange(false)) {
        ++hand_;
        continue;
      }
      LeaveLocked(at);  // the hand now points at the key moved into its place
      at->FreePooled();
    }
  }

  // Called by the destructor, whether or not `key` is a member: the lock
  // also waits for a sweep that may be freeing its contexts right now.
  void Leave(const AesGcmAead* key) {
    absl::MutexLock lock(&mu_);
    if (key->registered_.load()) LeaveLocked(key);
  }

  size_t size() {
    absl::MutexLock lock(&mu_);
    return keys_.size();
  }

  size_t SetBudget(size_t budget) {
    absl::MutexLock lock(&mu_);
    size_t before = budget_;
    budget_ = budget == 0 ? 1 : budget;
    return before;
  }

 private:
  void LeaveLocked(const AesGcmAead* key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    key->registered_.store(false);
    const size_t i = key->index_;
    keys_[i] = keys_.back();
    keys_[i]->index_ = i;
    keys_.pop_back();
  }

  absl::Mutex mu_;
  std::vector<const AesGcmAead*> keys_ ABSL_GUARDED_BY(mu_);
  size_t hand_ ABSL_GUARDED_BY(mu_) = 0;
  size_t budget_ ABSL_GUARDED_BY(mu_) = 16384;
};

AesGcmAead::~AesGcmAead() {
  ContextRegistry::Get().Leave(this);
  FreePooled();
}

void AesGcmAead::FreePooled() const {
  for (auto& slot : slots_) EVP_CIPHER_CTX_free(slot.exchange(nullptr));
}

size_t AesGcmAead::PooledKeys() { return ContextRegistry::Get().size(); }

size_t AesGcmAead::SetPooledKeyBudgetForTesting(size_t budget) {
  return ContextRegistry::Get().SetBudget(budget);
}

size_t AesGcmAead::PooledContextsForTesting() const {
  size_t n = 0;
  for (auto& slot : slots_) n += slot.load() != nullptr ? 1 : 0;
  return n;
}

EVP_CIPHER_CTX* AesGcmAead::Acquire() const {
  if (!referenced_.load(std::memory_order_relaxed)) {
    referenced_.store(true, std::memory_order_relaxed);
  }
  for (auto& slot : slots_) {
    if (slot.load(std::memory_order_relaxed) == nullptr) continue;
    if (EVP_CIPHER_CTX* c = slot.exchange(nullptr, std::memory_order_acquire)) return c;
  }
  return NewKeyedContext(key_.Reveal(), /*encrypt=*/true);
}

void AesGcmAead::Release(EVP_CIPHER_CTX* ctx) const {
  for (auto& slot : slots_) {
    EVP_CIPHER_CTX* expected = nullptr;
    if (slot.compare_exchange_strong(expected, ctx)) {
      if (!registered_.load()) ContextRegistry::Get().Join(this);
      return;
    }
  }
  EVP_CIPHER_CTX_free(ctx);  // more concurrent users than slots: let this one go
}

absl::StatusOr<std::string> AesGcmAead::Encrypt(std::string_view plaintext,
                                                std::string_view associated_data) const {
  std::string out(kEnvelopeOverhead + plaintext.size(), '\0');
  uint8_t* p = reinterpret_cast<uint8_t*>(out.data());
  p[0] = kEnvelopeVersion;
  p[1] = kAlgAes256Gcm;
  p[2] = static_cast<uint8_t>(key_id_ >> 24);
  p[3] = static_cast<uint8_t>(key_id_ >> 16);
  p[4] = static_cast<uint8_t>(key_id_ >> 8);
  p[5] = static_cast<uint8_t>(key_id_);
  NonceSource::Fill(p + kEnvelopeHeaderSize);
  EVP_CIPHER_CTX* ctx = Acquire();
  if (ctx == nullptr) return absl::InternalError("cipher context");
  absl::Status s =
      SealWith(ctx, p + kEnvelopeHeaderSize, std::string_view(out.data(), kEnvelopeHeaderSize),
               associated_data, plaintext, p + kEnvelopeHeaderSize + kNonceSize);
  Release(ctx);
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::string> AesGcmAead::Decrypt(std::string_view envelope,
                                                std::string_view associated_data) const {
  auto id = EnvelopeKeyId(envelope);
  if (!id.ok() || *id != key_id_) return OpenFailed();
  std::string out(envelope.size() - kEnvelopeOverhead, '\0');
  EVP_CIPHER_CTX* ctx = Acquire();
  if (ctx == nullptr) return absl::InternalError("cipher context");
  absl::Status s =
      OpenWith(ctx, U8(envelope) + kEnvelopeHeaderSize, envelope.substr(0, kEnvelopeHeaderSize),
               associated_data, envelope.substr(kEnvelopeHeaderSize + kNonceSize),
               reinterpret_cast<uint8_t*>(out.data()));
  Release(ctx);
  if (!s.ok()) {
    SecureZero(out.data(), out.size());
    return s;
  }
  return out;
}

namespace raw {

absl::StatusOr<std::string> AesGcmSeal(std::string_view key, std::string_view nonce,
                                       std::string_view aad, std::string_view plaintext) {
  if (key.size() != kKeySize) return absl::InvalidArgumentError("unsupported key size");
  if (nonce.size() != kNonceSize) return absl::InvalidArgumentError("unsupported nonce size");
  EVP_CIPHER_CTX* ctx = NewKeyedContext(key, true);
  if (ctx == nullptr) return absl::InternalError("cipher context");
  std::string out(plaintext.size() + kTagSize, '\0');
  absl::Status s =
      SealWith(ctx, U8(nonce), aad, {}, plaintext, reinterpret_cast<uint8_t*>(out.data()));
  EVP_CIPHER_CTX_free(ctx);
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::string> AesGcmOpen(std::string_view key, std::string_view nonce,
                                       std::string_view aad, std::string_view ct_and_tag) {
  if (key.size() != kKeySize) return absl::InvalidArgumentError("unsupported key size");
  if (nonce.size() != kNonceSize) return absl::InvalidArgumentError("unsupported nonce size");
  if (ct_and_tag.size() < kTagSize) return OpenFailed();
  EVP_CIPHER_CTX* ctx = NewKeyedContext(key, false);
  if (ctx == nullptr) return absl::InternalError("cipher context");
  std::string out(ct_and_tag.size() - kTagSize, '\0');
  absl::Status s =
      OpenWith(ctx, U8(nonce), aad, {}, ct_and_tag, reinterpret_cast<uint8_t*>(out.data()));
  EVP_CIPHER_CTX_free(ctx);
  if (!s.ok()) return s;
  return out;
}

}  // namespace raw
}  // namespace convault::crypto
