#include "store/memory/memory_key_store.h"

namespace convault {

absl::Status MemoryKeyStore::CheckReady() {
  absl::MutexLock lock(&mu_);
  return closed_ ? absl::UnavailableError("the key store is closed") : absl::OkStatus();
}

absl::Status MemoryKeyStore::PutWrappedKey(const WrappedKey& key) {
  absl::MutexLock lock(&mu_);
  if (closed_) return absl::UnavailableError("the key store is closed");
  if (!keys_.emplace(std::make_pair(key.tenant_id, key.key_id), key).second) {
    return absl::AlreadyExistsError("key id taken");
  }
  return absl::OkStatus();
}

absl::StatusOr<WrappedKey> MemoryKeyStore::GetWrappedKey(std::string_view tenant_id,
                                                         std::string_view key_id) {
  absl::MutexLock lock(&mu_);
  if (closed_) return absl::UnavailableError("the key store is closed");
  auto it = keys_.find({std::string(tenant_id), std::string(key_id)});
  if (it == keys_.end()) return absl::NotFoundError("key not found");
  return it->second;
}

absl::Status MemoryKeyStore::DeleteWrappedKey(std::string_view tenant_id, std::string_view key_id) {
  absl::MutexLock lock(&mu_);
  if (closed_) return absl::UnavailableError("the key store is closed");
  if (keys_.erase({std::string(tenant_id), std::string(key_id)}) == 0) {
    return absl::NotFoundError("key not found");
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> MemoryKeyStore::CountWrappedKeys(std::string_view tenant_id) {
  absl::MutexLock lock(&mu_);
  if (closed_) return absl::UnavailableError("the key store is closed");
  int64_t n = 0;
  for (const auto& [k, v] : keys_) n += (k.first == tenant_id) ? 1 : 0;
  return n;
}

void MemoryKeyStore::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

}  // namespace convault
