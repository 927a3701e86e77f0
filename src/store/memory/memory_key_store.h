#pragma once

#include <map>
#include <string>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "store/key_store.h"

namespace convault {

// An in-memory KeyStore for unit tests.
class MemoryKeyStore final : public KeyStore {
 public:
  absl::Status CheckReady() override;
  absl::Status PutWrappedKey(const WrappedKey& key) override;
  absl::StatusOr<WrappedKey> GetWrappedKey(std::string_view tenant_id,
                                           std::string_view key_id) override;
  absl::Status DeleteWrappedKey(std::string_view tenant_id, std::string_view key_id) override;
  absl::StatusOr<int64_t> CountWrappedKeys(std::string_view tenant_id) override;
  void Close() override;

 private:
  mutable absl::Mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  std::map<std::pair<std::string, std::string>, WrappedKey> keys_ ABSL_GUARDED_BY(mu_);
};

}  // namespace convault
