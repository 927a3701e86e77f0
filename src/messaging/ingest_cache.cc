#include "messaging/ingest_cache.h"

#include "absl/strings/string_view.h"

namespace convault {

std::optional<IngestCache::Known> IngestCache::Find(std::string_view key) {
  absl::MutexLock lock(&mu_);
  auto it = known_.find(absl::string_view(key.data(), key.size()));
  if (it == known_.end()) return std::nullopt;
  return it->second;
}

void IngestCache::Remember(std::string_view key, Known known) {
  absl::MutexLock lock(&mu_);
  auto it = known_.find(absl::string_view(key.data(), key.size()));
  if (it != known_.end()) {
    it->second = std::move(known);
    return;
  }
  if (known_.size() >= capacity_) known_.clear();
  known_.emplace(std::string(key), std::move(known));
}

void IngestCache::Forget(std::string_view key) {
  absl::MutexLock lock(&mu_);
  known_.erase(absl::string_view(key.data(), key.size()));
}

size_t IngestCache::size() {
  absl::MutexLock lock(&mu_);
  return known_.size();
}

}  // namespace convault
