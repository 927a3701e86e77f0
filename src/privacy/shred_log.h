#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace convault::privacy {

// One erasure, as the shred log remembers it.
struct ShredRecord {
  std::string request_id;
  std::string tenant_id;
  std::string subject_id;  // the end user id (an opaque id, no personal data)
  absl::Time at;
};

// The shred log (PRIVACY.md section 3): every erasure is appended here, and
// synced, before anything is deleted, in a file of its own
// (DATA_DIR/shred.log) that no backup of the data or key store contains. A
// restore replays it, so that an erased subject stays erased. One JSON object
// per line (docs/formats/shred-log.md).
// Thread safety: all methods may be called concurrently.
class ShredLog {
 public:
  explicit ShredLog(std::string path) : path_(std::move(path)) {}

  // Appends and fsyncs; OK means durable.
  absl::Status Append(const ShredRecord& record);
  // Every record, oldest first (empty when the file does not exist). A
  // torn last line (a crash mid-append) is skipped.
  absl::StatusOr<std::vector<ShredRecord>> ReadAll();

  const std::string& path() const { return path_; }

 private:
  const std::string path_;
  absl::Mutex mu_;
};

}  // namespace convault::privacy
