#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace convault::crypto {

// A bounded LRU cache of shared, immutable values with a time-to-live on the
// injected clock. Evicted or expired values are dropped here at once; the
// value is destroyed (and, for keys, zeroized) when its last user lets go.
// An entry is one list node holding the name once; the index refers to that
// name (a cache holds one entry per end user: docs/keys.md, key-cache memory).
// Thread safety: all methods may be called concurrently.
template <typename V>
class KeyCache {
 public:
  KeyCache(size_t capacity, absl::Duration ttl, Clock& clock)
      : capacity_(capacity == 0 ? 1 : capacity), ttl_(ttl), clock_(clock) {}

  // The live value for `key`, or null when absent or expired.
  std::shared_ptr<V> Get(const std::string& key) {
    absl::MutexLock lock(&mu_);
    auto it = index_.find(std::string_view(key));
    if (it == index_.end()) {
      ++misses_;
      return nullptr;
    }
    auto node = it->second;
    if (clock_.Now() - node->loaded_at >= ttl_) {
      index_.erase(it);  // before the node whose name it refers to
      lru_.erase(node);
      ++misses_;
      return nullptr;
    }
    if (node != lru_.begin()) lru_.splice(lru_.begin(), lru_, node);
    ++hits_;
    return node->value;
  }

  // Inserts or replaces; evicts the least recently used beyond capacity.
  void Put(const std::string& key, std::shared_ptr<V> value) {
    absl::MutexLock lock(&mu_);
    auto it = index_.find(std::string_view(key));
    if (it != index_.end()) {
      auto node = it->second;
      index_.erase(it);
      lru_.erase(node);
    }
    lru_.push_front(Node{key, std::move(value), clock_.Now()});
    index_.emplace(std::string_view(lru_.front().name), lru_.begin());
    while (index_.size() > capacity_) {
      index_.erase(std::string_view(lru_.back().name));
      lru_.pop_back();
    }
  }

  // Drops every entry whose key starts with `prefix`; returns how many.
  size_t EraseByPrefix(std::string_view prefix) {
    absl::MutexLock lock(&mu_);
    size_t n = 0;
    for (auto it = lru_.begin(); it != lru_.end();) {
      if (std::string_view(it->name).substr(0, prefix.size()) == prefix) {
        index_.erase(std::string_view(it->name));
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
    return index_.size();
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
  struct Node {
    std::string name;
    std::shared_ptr<V> value;
    absl::Time loaded_at;
  };
  using Position = typename std::list<Node>::iterator;
  const size_t capacity_;
  const absl::Duration ttl_;
  Clock& clock_;
  absl::Mutex mu_;
  // Most recently used first. List nodes do not move, so the index's keys
  // (views of their names) stay valid until the node is erased.
  std::list<Node> lru_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string_view, Position> index_ ABSL_GUARDED_BY(mu_);
  uint64_t hits_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t misses_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace convault::crypto
