#include "store/memory/memory_key_store.h"

#include <set>

#include "common/status.h"

namespace convault {

absl::Status MemoryKeyStore::CheckOpen() const {
  return closed_ ? absl::UnavailableError("the key store is closed") : absl::OkStatus();
}

absl::Status MemoryKeyStore::CheckReady() {
  absl::MutexLock lock(&mu_);
  return CheckOpen();
}

absl::Status MemoryKeyStore::PutWrappedKey(const WrappedKey& key) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  KeyRef ref{key.tenant_id, key.kind, key.subject_id};
  if (!keys_.emplace(MakeKey(ref, key.version), key).second) {
    return absl::AlreadyExistsError("key version taken");
  }
  return absl::OkStatus();
}

absl::Status MemoryKeyStore::PutWrappedKeys(const std::vector<WrappedKey>& keys) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::set<Key> names;
  for (const WrappedKey& key : keys) {
    Key name = MakeKey(KeyRef{key.tenant_id, key.kind, key.subject_id}, key.version);
    if (keys_.contains(name) || !names.insert(name).second) {
      return absl::AlreadyExistsError("key version taken");
    }
  }
  for (const WrappedKey& key : keys) {
    keys_.emplace(MakeKey(KeyRef{key.tenant_id, key.kind, key.subject_id}, key.version), key);
  }
  return absl::OkStatus();
}

absl::StatusOr<WrappedKey> MemoryKeyStore::GetWrappedKey(const KeyRef& ref, uint32_t version) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = keys_.find(MakeKey(ref, version));
  if (it == keys_.end()) return absl::NotFoundError("key not found");
  return it->second;
}

absl::StatusOr<std::vector<WrappedKey>> MemoryKeyStore::ListVersions(const KeyRef& ref) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<WrappedKey> out;
  auto last = keys_.upper_bound(MakeKey(ref, UINT32_MAX));
  for (auto it = keys_.lower_bound(MakeKey(ref, 0)); it != last; ++it) out.push_back(it->second);
  return out;
}

absl::StatusOr<int64_t> MemoryKeyStore::DeleteAllVersions(const KeyRef& ref) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto first = keys_.lower_bound(MakeKey(ref, 0));
  auto last = keys_.upper_bound(MakeKey(ref, UINT32_MAX));
  int64_t n = std::distance(first, last);
  keys_.erase(first, last);
  return n;
}

absl::StatusOr<int64_t> MemoryKeyStore::ReserveSeals(const KeyRef& ref, uint32_t version,
                                                     int64_t count, int64_t limit) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = keys_.find(MakeKey(ref, version));
  if (it == keys_.end()) return absl::NotFoundError("key not found");
  int64_t total = it->second.seals_reserved + count;
  if (total > limit) return absl::ResourceExhaustedError("key usage limit reached");
  it->second.seals_reserved = total;
  return total;
}

absl::StatusOr<int64_t> MemoryKeyStore::CountWrappedKeys(std::string_view tenant_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  int64_t n = 0;
  for (const auto& [k, v] : keys_) n += (std::get<0>(k) == tenant_id) ? 1 : 0;
  return n;
}

absl::StatusOr<std::map<uint32_t, int64_t>> MemoryKeyStore::CountByKekVersion() {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::map<uint32_t, int64_t> out;
  for (const auto& [k, v] : keys_) ++out[v.kek_version];
  return out;
}

absl::StatusOr<std::vector<WrappedKey>> MemoryKeyStore::ListWrappedBelow(uint32_t kek_version,
                                                                         int limit) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<WrappedKey> out;
  for (const auto& [k, v] : keys_) {
    if (static_cast<int>(out.size()) >= limit) break;
    if (v.kek_version < kek_version) out.push_back(v);
  }
  return out;
}

absl::Status MemoryKeyStore::Rewrap(const KeyRef& ref, uint32_t version, uint32_t expected_kek,
                                    uint32_t new_kek, std::string_view new_wrapped) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = keys_.find(MakeKey(ref, version));
  if (it == keys_.end() || it->second.kek_version != expected_kek) {
    return absl::NotFoundError("key gone or already rewrapped");
  }
  it->second.kek_version = new_kek;
  it->second.wrapped = std::string(new_wrapped);
  return absl::OkStatus();
}

absl::Status MemoryKeyStore::PutKekVersion(const KekVersionRecord& record) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = keks_.find(record.version);
  if (it == keks_.end()) {
    keks_[record.version] = record;
  } else {
    it->second.state = record.state;
    it->second.changed_at = record.changed_at;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<KekVersionRecord>> MemoryKeyStore::ListKekVersions() {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<KekVersionRecord> out;
  for (const auto& [v, r] : keks_) out.push_back(r);
  return out;
}

void MemoryKeyStore::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

}  // namespace convault
