#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/secret.h"

namespace convault::crypto {

// Holds the key-encryption keys (KEKs) and wraps data keys with them. A KEK
// never leaves the provider: with PKCS#11 it is a non-extractable key inside
// the HSM; with the file provider it is a 0600 file read by this process only.
//
// Versions are numbered 1, 2, ...; the highest is the current one (new data
// keys are wrapped under it). `context` is bound to the wrapped bytes as
// associated data: a wrapped key moved to another row does not unwrap.
//
// Contract (tests/crypto/key_provider_conformance_test.cc, run on every provider):
// - Unwrap(v, Wrap(v, k, c), c) == k; any change to the bytes, the version or
//   the context fails with InvalidArgument.
// - DestroyVersion makes that version's wrapped keys unrecoverable and removes
//   it from Versions(); destroying the only version is refused.
// Thread safety: all methods may be called concurrently.
class KeyProvider {
 public:
  virtual ~KeyProvider() = default;
  // "file" or "pkcs11": for status output.
  virtual std::string_view kind() const = 0;
  // Versions held, ascending; never empty once the provider is open.
  virtual absl::StatusOr<std::vector<uint32_t>> Versions() = 0;
  // Adds version max + 1 and returns it.
  virtual absl::StatusOr<uint32_t> CreateVersion() = 0;
  virtual absl::StatusOr<std::string> Wrap(uint32_t version, const SecretBytes& key,
                                           std::string_view context) = 0;
  virtual absl::StatusOr<SecretBytes> Unwrap(uint32_t version, std::string_view wrapped,
                                             std::string_view context) = 0;
  virtual absl::Status DestroyVersion(uint32_t version) = 0;
};

}  // namespace convault::crypto
