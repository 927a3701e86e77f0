#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "crypto/aead.h"
#include "crypto/key_provider.h"

namespace convault::crypto {

// KEKs as files: DIR/kek-000001.key, ... each 32 random bytes, mode 0600,
// in a 0700 directory. The first version is created when the directory holds
// none. Destroying a version overwrites its file with zeros, syncs, and
// unlinks it. Wrapping is AES-256-GCM (envelope key id = KEK version) with
// associated data "convault-kek-wrap-v1|" + context.
class FileKeyProvider final : public KeyProvider {
 public:
  static absl::StatusOr<std::unique_ptr<FileKeyProvider>> Open(const std::string& dir);

  std::string_view kind() const override { return "file"; }
  absl::StatusOr<std::vector<uint32_t>> Versions() override;
  absl::StatusOr<uint32_t> CreateVersion() override;
  absl::StatusOr<std::string> Wrap(uint32_t version, const SecretBytes& key,
                                   std::string_view context) override;
  absl::StatusOr<SecretBytes> Unwrap(uint32_t version, std::string_view wrapped,
                                     std::string_view context) override;
  absl::Status DestroyVersion(uint32_t version) override;

 private:
  explicit FileKeyProvider(std::string dir) : dir_(std::move(dir)) {}
  std::string PathOf(uint32_t version) const;
  absl::Status Load() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<std::shared_ptr<const AesGcmAead>> Kek(uint32_t version) ABSL_LOCKS_EXCLUDED(mu_);

  const std::string dir_;
  absl::Mutex mu_;
  std::map<uint32_t, std::shared_ptr<const AesGcmAead>> keks_ ABSL_GUARDED_BY(mu_);
};

}  // namespace convault::crypto
