#include "messaging/ingest_cache.h"

#include <utility>

#include "absl/strings/string_view.h"

namespace convault {

std::optional<IngestCache::Known> IngestCache::Find(std::string_view key) {
  const absl::string_view k(key.data(), key.size());
  absl::MutexLock lock(&mu_);
  auto it = recent_.find(k);
  if (it != recent_.end()) return it->second;
  it = older_.find(k);
  if (it != older_.end()) return it->second;
  return std::nullopt;
}

void IngestCache::Remember(std::string_view key, Known known) {
  const absl::string_view k(key.data(), key.size());
  absl::MutexLock lock(&mu_);
  auto it = recent_.find(k);
  if (it != recent_.end()) {
    it->second = std::move(known);
    return;
  }
  older_.erase(k);
  if (recent_.size() >= half_) {
    older_ = std::move(recent_);
    recent_ = {};
  }
  recent_.emplace(std::string(key), std::move(known));
}

void IngestCache::Forget(std::string_view key) {
  const absl::string_view k(key.data(), key.size());
  absl::MutexLock lock(&mu_);
  recent_.erase(k);
  older_.erase(k);
}

size_t IngestCache::size() {
  absl::MutexLock lock(&mu_);
  return recent_.size() + older_.size();
}

}  // namespace convault
