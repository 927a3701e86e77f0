#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "crypto/pkcs11_key_provider.h"

namespace convault::testing {

inline constexpr char kSoftHsmModule[] = "/usr/lib/softhsm/libsofthsm2.so";
inline constexpr char kSoftHsmPinEnv[] = "CONVAULT_TEST_PKCS11_PIN";

// Opens a PKCS#11 provider on a SoftHSM2 token kept under `dir`: the first
// call writes DIR/softhsm2.conf and initializes a token there with
// softhsm2-util; later calls reopen the same token.
absl::StatusOr<std::unique_ptr<crypto::Pkcs11KeyProvider>> OpenSoftHsmProvider(
    const std::string& dir);

// The provider URI for that token (for configuration tests).
std::string SoftHsmUri();

}  // namespace convault::testing
