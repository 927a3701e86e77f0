#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "model/wrapped_key.h"

namespace convault {

// Wrapped data keys, kept apart from the data store (its own file, keys.db,
// or its own PostgreSQL schema) so that a data backup never carries the keys
// that open it. Holds only wrapped (encrypted) keys.
//
// Contract (tests/store/key_store_conformance_test.cc):
// - Keys are scoped by tenant; another tenant's key id answers NotFound.
// - Delete removes the row for good (no soft delete): destroying a subject
//   key must leave nothing behind in this store.
// - A call that returns OK is durable.
// Thread safety: all methods may be called concurrently.
class KeyStore {
 public:
  virtual ~KeyStore() = default;

  virtual absl::Status CheckReady() = 0;
  // AlreadyExists when (tenant, key id) is taken.
  virtual absl::Status PutWrappedKey(const WrappedKey& key) = 0;
  virtual absl::StatusOr<WrappedKey> GetWrappedKey(std::string_view tenant_id,
                                                   std::string_view key_id) = 0;
  virtual absl::Status DeleteWrappedKey(std::string_view tenant_id, std::string_view key_id) = 0;
  virtual absl::StatusOr<int64_t> CountWrappedKeys(std::string_view tenant_id) = 0;
  virtual void Close() = 0;
};

}  // namespace convault
