#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "config/config.h"

namespace convault {

// What a backup holds (docs/backups.md, docs/formats/backup.md):
//   BACKUP/data.db          a consistent online copy of the data store
//   BACKUP/keys.db.sealed   a copy of the key store, AES-256-GCM under a
//                           fresh backup key
//   BACKUP/manifest.json    the backup key wrapped under the current KEK,
//                           SHA-256 of each file, times
// The shred log is never part of a backup.
struct BackupSummary {
  std::string dir;
  uint32_t kek_version = 0;
  int64_t data_bytes = 0;
  int64_t keys_bytes = 0;
};

// Takes a backup of config.data_dir into `out` (created; must not exist or
// be empty), while a server may be running on the directory.
absl::StatusOr<BackupSummary> TakeBackup(const Config& config, const std::string& out);

struct RestoreSummary {
  int shred_records_replayed = 0;
};

// Restores `from` into config.data_dir (the server must be stopped): checks
// the manifest's hashes, unseals the key store with the KEK, replaces
// data.db and keys.db, then replays the shred log of the data directory so
// that every subject erased since the backup is erased again.
absl::StatusOr<RestoreSummary> RestoreBackup(const Config& config, const std::string& from);

}  // namespace convault
