#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "model/wrapped_key.h"

namespace convault {

// A KEK version as the key store remembers it (the provider holds the key).
// States are stored: never renumber.
enum class KekState : int {
  kActive = 1,     // the current version: new keys are wrapped under it
  kRetiring = 2,   // superseded; wrapped keys are being moved off it
  kDestroyed = 3,  // gone from the provider; no wrapped key uses it
};

struct KekVersionRecord {
  uint32_t version = 0;
  KekState state = KekState::kActive;
  absl::Time created_at;
  absl::Time changed_at;
};

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
  // All of `keys` in one durable write, or none of them (AlreadyExists when
  // one is taken).
  virtual absl::Status PutWrappedKeys(const std::vector<WrappedKey>& keys) = 0;
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

  // Rotation support (all tenants).
  // Wrapped keys per KEK version.
  virtual absl::StatusOr<std::map<uint32_t, int64_t>> CountByKekVersion() = 0;
  // Up to `limit` keys wrapped under a KEK version below `kek_version`.
  virtual absl::StatusOr<std::vector<WrappedKey>> ListWrappedBelow(uint32_t kek_version,
                                                                   int limit) = 0;
  // Replaces a key's wrapping if it is still wrapped under `expected_kek`
  // (NotFound when it is gone or was rewrapped meanwhile).
  virtual absl::Status Rewrap(const KeyRef& ref, uint32_t version, uint32_t expected_kek,
                              uint32_t new_kek, std::string_view new_wrapped) = 0;
  // The KEK version registry.
  virtual absl::Status PutKekVersion(const KekVersionRecord& record) = 0;  // insert or replace
  virtual absl::StatusOr<std::vector<KekVersionRecord>> ListKekVersions() = 0;

  virtual void Close() = 0;
};

}  // namespace convault
