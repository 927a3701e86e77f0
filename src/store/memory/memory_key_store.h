#pragma once

#include <map>
#include <string>
#include <tuple>

#include "absl/synchronization/mutex.h"
#include "store/key_store.h"

namespace convault {

// An in-memory KeyStore for unit tests.
class MemoryKeyStore final : public KeyStore {
 public:
  absl::Status CheckReady() override;
  absl::Status PutWrappedKey(const WrappedKey& key) override;
  absl::Status PutWrappedKeys(const std::vector<WrappedKey>& keys) override;
  absl::StatusOr<WrappedKey> GetWrappedKey(const KeyRef& ref, uint32_t version) override;
  absl::StatusOr<std::vector<WrappedKey>> ListVersions(const KeyRef& ref) override;
  absl::StatusOr<int64_t> DeleteAllVersions(const KeyRef& ref) override;
  absl::StatusOr<int64_t> ReserveSeals(const KeyRef& ref, uint32_t version, int64_t count,
                                       int64_t limit) override;
  absl::StatusOr<int64_t> CountWrappedKeys(std::string_view tenant_id) override;
  absl::StatusOr<std::map<uint32_t, int64_t>> CountByKekVersion() override;
  absl::StatusOr<std::vector<WrappedKey>> ListWrappedBelow(uint32_t kek_version,
                                                           int limit) override;
  absl::Status Rewrap(const KeyRef& ref, uint32_t version, uint32_t expected_kek, uint32_t new_kek,
                      std::string_view new_wrapped) override;
  absl::Status PutKekVersion(const KekVersionRecord& record) override;
  absl::StatusOr<std::vector<KekVersionRecord>> ListKekVersions() override;
  void Close() override;

 private:
  using Key = std::tuple<std::string, int, std::string, uint32_t>;
  static Key MakeKey(const KeyRef& ref, uint32_t version) {
    return {std::string(ref.tenant_id), static_cast<int>(ref.kind), std::string(ref.subject_id),
            version};
  }
  absl::Status CheckOpen() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  std::map<Key, WrappedKey> keys_ ABSL_GUARDED_BY(mu_);
  std::map<uint32_t, KekVersionRecord> keks_ ABSL_GUARDED_BY(mu_);
};

}  // namespace convault
