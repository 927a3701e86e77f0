#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/secret.h"
#include "store/store.h"

namespace convault {

// The files of a data directory.
struct DataDirLayout {
  explicit DataDirLayout(std::string dir);
  std::string dir;
  std::string data_db;    // the data store
  std::string keys_db;    // the key store, kept apart from the data store
  std::string admin_key;  // the first admin key, written once (mode 0600)
};

// Creates the directory (mode 0700) when missing.
absl::Status EnsureDataDir(const DataDirLayout& layout);

// True when the data store holds the "default" tenant.
absl::StatusOr<bool> IsInitialized(Store& store);

struct NewTenant {
  Tenant tenant;
  std::string admin_key_id;
  SecretBytes admin_key;  // the plaintext token, to show once
};

// Creates a tenant and its first admin key.
absl::StatusOr<NewTenant> CreateTenantWithAdminKey(Store& store, std::string_view name,
                                                   Clock& clock, IdGenerator& ids);

// Initializes an empty store: tenant "default" with an admin key, the key
// written to layout.admin_key (0600) before the tenant is committed, so that
// a crash in between leaves an uninitialized store that the next start
// initializes again. FailedPrecondition when already initialized.
absl::StatusOr<NewTenant> InitializeDataDir(const DataDirLayout& layout, Store& store, Clock& clock,
                                            IdGenerator& ids);

// Writes `contents` to `path` atomically with mode 0600 (temp file, fsync, rename).
absl::Status WritePrivateFile(const std::string& path, std::string_view contents);

}  // namespace convault
