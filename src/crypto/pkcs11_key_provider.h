#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "crypto/key_provider.h"

namespace convault::crypto {

// Where the HSM is and how to log in. The PIN comes from an environment
// variable or a file, never from the configuration file itself.
struct Pkcs11Options {
  std::string module;       // path of the PKCS#11 module (.so)
  std::string token_label;  // the token to use
  std::string pin_env;      // name of an environment variable holding the user PIN, or
  std::string pin_file;     // a file holding it (first line)
  int sessions = 4;         // concurrent operations
};

// "pkcs11:module=/usr/lib/softhsm/libsofthsm2.so;token=convault;pin-env=CONVAULT_PKCS11_PIN"
// (or pin-file=/path). Errors name the bad or missing attribute.
absl::StatusOr<Pkcs11Options> ParsePkcs11Uri(std::string_view uri);

// KEKs inside an HSM over PKCS#11: AES-256 secret keys labelled
// "convault-kek-NNNNNN", generated on the token as sensitive and
// non-extractable (CKA_EXTRACTABLE = false is checked on every key found; a
// key that could leave the HSM is refused). Wrapping is CKM_AES_GCM on the
// token with a fresh 96-bit IV, producing the same envelope as the file
// provider (key id = KEK version; AD = header || "convault-kek-wrap-v1|" ||
// context). The module is loaded with dlopen; sessions are pooled.
class Pkcs11KeyProvider final : public KeyProvider {
 public:
  static absl::StatusOr<std::unique_ptr<Pkcs11KeyProvider>> Open(const Pkcs11Options& options);
  ~Pkcs11KeyProvider() override;

  std::string_view kind() const override { return "pkcs11"; }
  absl::StatusOr<std::vector<uint32_t>> Versions() override;
  absl::StatusOr<uint32_t> CreateVersion() override;
  absl::StatusOr<std::string> Wrap(uint32_t version, const SecretBytes& key,
                                   std::string_view context) override;
  absl::StatusOr<SecretBytes> Unwrap(uint32_t version, std::string_view wrapped,
                                     std::string_view context) override;
  absl::Status DestroyVersion(uint32_t version) override;

  // Test hook: whether the token reports the KEK of `version` as extractable.
  absl::StatusOr<bool> IsExtractableForTesting(uint32_t version);

  struct Module;  // the loaded library (shared by providers of one module path)

 private:
  Pkcs11KeyProvider() = default;
  class Session;
  absl::StatusOr<std::unique_ptr<Session>> Acquire();
  void Release(std::unique_ptr<Session> session);
  // version -> object handle, from the token (enumerates every object: slow).
  absl::StatusOr<std::map<uint32_t, unsigned long>> FindKeks(Session& session);
  // The handle of one version: from the cache, or from FindKeks on a miss.
  absl::StatusOr<unsigned long> KekHandle(Session& session, uint32_t version);

  std::shared_ptr<Module> module_;
  unsigned long slot_ = 0;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Session>> idle_ ABSL_GUARDED_BY(mu_);
  // Handles of token objects stay valid until the object is destroyed, so
  // wrap and unwrap need not enumerate the token each time.
  std::map<uint32_t, unsigned long> handles_ ABSL_GUARDED_BY(mu_);
};

}  // namespace convault::crypto
