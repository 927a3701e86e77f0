#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "crypto/key_provider.h"
#include "store/key_store.h"

namespace convault::crypto {

struct KekRotatorOptions {
  int batch_size = 500;
  // A drained version is destroyed only this long after it was superseded, so
  // that a process which read the version list just before the rotation
  // cannot wrap a key under a version that is then destroyed.
  absl::Duration destroy_grace = absl::Minutes(5);
};

struct KeyStatus {
  std::string provider;
  uint32_t current_version = 0;
  std::vector<KekVersionRecord> versions;
  std::map<uint32_t, int64_t> wrapped_keys;  // by KEK version
};

// KEK rotation (docs/keys.md): Rotate adds a provider version and marks the
// previous ones retiring; RewrapBatch moves wrapped keys from older versions
// to the current one (unwrap old, wrap new, compare-and-set in the key
// store), so the work is resumable and safe to run from several processes;
// DestroyDrained destroys retiring versions that no wrapped key uses any more.
// Thread safety: safe for concurrent use.
class KekRotator {
 public:
  KekRotator(KeyProvider& provider, KeyStore& store, Clock& clock, KekRotatorOptions options = {});

  // Brings the key store's registry in line with the provider (at start).
  absl::Status Sync();
  // Adds a KEK version; returns it.
  absl::StatusOr<uint32_t> Rotate();
  // Rewraps up to batch_size keys; returns how many moved.
  absl::StatusOr<int> RewrapBatch();
  // Returns the versions destroyed now.
  absl::StatusOr<std::vector<uint32_t>> DestroyDrained();
  // Rewraps until nothing is left on older versions, then DestroyDrained.
  absl::StatusOr<int64_t> RunToCompletion();
  absl::StatusOr<KeyStatus> Status();

 private:
  absl::StatusOr<uint32_t> CurrentVersion();

  KeyProvider& provider_;
  KeyStore& store_;
  Clock& clock_;
  const KekRotatorOptions options_;
  // One RunToCompletion at a time in this process (the background job and
  // an operator's call would otherwise both destroy the same drained version).
  absl::Mutex run_mu_;
};

std::string_view KekStateName(KekState state);

}  // namespace convault::crypto
