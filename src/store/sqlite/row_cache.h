#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace convault::sqlite {

// Rows that almost every request reads and that rarely change (API keys,
// channels, tenant settings, a tenant's context key classes), kept in memory
// by the store that writes them.
// Only found rows are kept. A writer calls Invalidate after its commit; a row
// read from the database while an invalidation came in is not kept (it may be
// the row from before the change).
// Correct as long as every change to these rows goes through the store that
// owns the cache, in this process (docs/messaging.md, "Performance").
// Thread safety: all methods may be called concurrently.
template <typename V>
class RowCache {
 public:
  explicit RowCache(size_t capacity) : capacity_(capacity) {}

  std::optional<V> Get(std::string_view key) {
    absl::ReaderMutexLock lock(&mu_);
    auto it = rows_.find(absl::string_view(key.data(), key.size()));
    if (it == rows_.end()) return std::nullopt;
    return it->second;
  }

  // The kept row for `key`, or what `read()` (an absl::StatusOr<V>) returns,
  // kept when found and no invalidation came in while it read.
  template <typename Read>
  absl::StatusOr<V> GetOrRead(std::string_view key, Read read) {
    if (auto hit = Get(key)) return *std::move(hit);
    uint64_t read_at;
    {
      absl::ReaderMutexLock lock(&mu_);
      read_at = generation_;
    }
    absl::StatusOr<V> row = read();
    if (row.ok()) {
      absl::MutexLock lock(&mu_);
      if (read_at == generation_) {
        if (rows_.size() >= capacity_) rows_.clear();
        rows_.insert_or_assign(std::string(key), *row);
      }
    }
    return row;
  }

  void Invalidate(std::string_view key) {
    absl::MutexLock lock(&mu_);
    ++generation_;
    rows_.erase(absl::string_view(key.data(), key.size()));
  }

 private:
  const size_t capacity_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, V> rows_ ABSL_GUARDED_BY(mu_);
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace convault::sqlite
