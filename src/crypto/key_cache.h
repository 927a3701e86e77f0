#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace convault::crypto {

// A bounded LRU cache of shared, immutable values with a time-to-live on the
// injected clock. Evicted or expired values are dropped here at once; the
// value is destroyed (and, for keys, zeroized) when its last user lets go.
// Thread safety: all methods may be called concurrently.
template <typename V>
class KeyCache {
 public:
  KeyCache(size_t capacity, absl::Duration ttl, Clock& clock)
      : capacity_(capacity == 0 ? 1 : capacity), ttl_(ttl), clock_(clock) {}

  // The live value for `key`, or null when absent or expired.
  std::shared_ptr<V> Get(const std::string& key) {
    absl::MutexLock lock(&mu_);
    auto it = map_.find(key);
    if (it == map_.end()) {
      ++misses_;
      return nullptr;
    }
    if (clock_.Now() - it->second.loaded_at >= ttl_) {
      lru_.erase(it->second.position);
      map_.erase(it);
      ++misses_;
      return nullptr;
    }
    if (it->second.position != lru_.begin()) {
      lru_.splice(lru_.begin(), lru_, it->second.position);
    }
    ++hits_;
    return it->second.value;
  }

  // Inserts or replaces; evicts the least recently used beyond capacity.
  void Put(const std::string& key, std::shared_ptr<V> value) {
    absl::MutexLock lock(&mu_);
    auto it = map_.find(key);
    if (it != map_.end()) {
      lru_.erase(it->second.position);
      map_.erase(it);
    }
    lru_.push_front(key);
    map_.emplace(key, Entry{std::move(value), clock_.Now(), lru_.begin()});
    while (map_.size() > capacity_) {
      map_.erase(lru_.back());
      lru_.pop_back();
    }
  }

  // Drops every entry whose key starts with `prefix`; returns how many.
  size_t EraseByPrefix(std::string_view prefix) {
    absl::MutexLock lock(&mu_);
    size_t n = 0;
    for (auto it = lru_.begin(); it != lru_.end();) {
      if (std::string_view(*it).substr(0, prefix.size()) == prefix) {
        map_.erase(*it);
        it = lru_.erase(it);
        ++n;
      } else {
        ++it;
      }
    }
    return n;
  }

  size_t size() {
    absl::MutexLock lock(&mu_);
    return map_.size();
  }
  uint64_t hits() {
    absl::MutexLock lock(&mu_);
    return hits_;
  }
  uint64_t misses() {
    absl::MutexLock lock(&mu_);
    return misses_;
  }

 private:
  struct Entry {
    std::shared_ptr<V> value;
    absl::Time loaded_at;
    std::list<std::string>::iterator position;
  };
  const size_t capacity_;
  const absl::Duration ttl_;
  Clock& clock_;
  absl::Mutex mu_;
  std::list<std::string> lru_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, Entry> map_ ABSL_GUARDED_BY(mu_);
  uint64_t hits_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t misses_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace convault::crypto
