#pragma once

#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "crypto/kek_rotator.h"

namespace convault {

// The background key work of a server: rewrap keys still on an older KEK
// version and destroy drained versions, every `interval` and at once after
// Wake() (a rotation). Stop() finishes the current round and joins.
class KeyJobs {
 public:
  KeyJobs(crypto::KekRotator& rotator, absl::Duration interval);
  ~KeyJobs();
  void Wake();
  void Stop();

  // One round: rewrap until nothing is left, then destroy drained versions.
  static absl::Status RunOnce(crypto::KekRotator& rotator);

 private:
  void Loop();

  crypto::KekRotator& rotator_;
  const absl::Duration interval_;
  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = true;  // a first round at start
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace convault
