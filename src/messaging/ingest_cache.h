#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace convault {

// What the ingest pipeline found for a sender at its last committed message:
// the end user and their open session, so that the next message of the same
// sender reads nothing before its commit (docs/decisions/0016). Only a hint:
// the commit checks each part (the end user still there with the restriction
// and locale seen, the session still open) and is Aborted otherwise; the
// pipeline then forgets the entry and looks again. So changes made elsewhere
// (the API, the CLI beside a running server, the sweeper) cost a retry, never
// a wrong write.
// Keys are keyed hashes of the platform key (no personal value is held).
// At most `capacity` entries, in two generations of half as many: when the
// recent one is full it becomes the older one (whose entries are dropped)
// and a new recent one starts; a sender found in the older one moves to the
// recent one when remembered again. So the senders of the last half of the
// capacity at least are always kept, where starting again empty at capacity
// made every returning sender miss at once.
// Thread safety: all methods may be called concurrently.
class IngestCache final {
 public:
  struct Known {
    std::string end_user_id;
    std::string locale;
    bool processing_restricted = false;
    std::string session_id;
  };

  explicit IngestCache(size_t capacity) : half_(capacity / 2 > 0 ? capacity / 2 : 1) {}

  std::optional<Known> Find(std::string_view key);
  void Remember(std::string_view key, Known known);
  void Forget(std::string_view key);
  size_t size();

 private:
  const size_t half_;  // entries per generation
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Known> recent_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Known> older_ ABSL_GUARDED_BY(mu_);
};

}  // namespace convault
