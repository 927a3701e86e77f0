#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "model/wrapped_key.h"

namespace convault {

// Which key: (tenant, kind, subject). Subject is empty for tenant-level keys.
struct KeyRef {
  std::string_view tenant_id;
  WrappedKeyKind kind;
  std::string_view subject_id;
};

// Wrapped data keys, kept apart from the data store (its own file, keys.db,
// or its own PostgreSQL schema) so that a data backup never carries the keys
// that open it. Holds only wrapped (encrypted) keys.
//
// Contract (tests/store/key_store_conformance_test.cc):
// - Keys are scoped by tenant; another tenant's key answers NotFound.
// - Deletion removes rows for good (no soft delete): destroying a subject's
//   keys must leave nothing behind in this store.
// - A call that returns OK is durable.
// Thread safety: all methods may be called concurrently.
class KeyStore {
 public:
  virtual ~KeyStore() = default;

  virtual absl::Status CheckReady() = 0;
  // AlreadyExists when (tenant, kind, subject, version) is taken.
  virtual absl::Status PutWrappedKey(const WrappedKey& key) = 0;
  virtual absl::StatusOr<WrappedKey> GetWrappedKey(const KeyRef& ref, uint32_t version) = 0;
  // Every version of one key, ascending (empty when none).
  virtual absl::StatusOr<std::vector<WrappedKey>> ListVersions(const KeyRef& ref) = 0;
  // Deletes every version; returns how many rows went.
  virtual absl::StatusOr<int64_t> DeleteAllVersions(const KeyRef& ref) = 0;
  // Adds `count` to seals_reserved if the result stays <= limit; returns the
  // new total. ResourceExhausted (and no change) otherwise; NotFound if absent.
  virtual absl::StatusOr<int64_t> ReserveSeals(const KeyRef& ref, uint32_t version, int64_t count,
                                               int64_t limit) = 0;
  virtual absl::StatusOr<int64_t> CountWrappedKeys(std::string_view tenant_id) = 0;
  virtual void Close() = 0;
};

}  // namespace convault
