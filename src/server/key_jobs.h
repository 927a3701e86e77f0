#pragma once

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "crypto/kek_rotator.h"
#include "server/periodic_job.h"

namespace convault {

// The background key work of a server: rewrap keys still on an older KEK
// version and destroy drained versions, at start, every `interval` and at
// once after Wake() (a rotation). Stop() finishes the current round and joins.
class KeyJobs {
 public:
  KeyJobs(crypto::KekRotator& rotator, absl::Duration interval);
  void Wake() { job_.Wake(); }
  void Stop() { job_.Stop(); }

  // One round: rewrap until nothing is left, then destroy drained versions.
  static absl::Status RunOnce(crypto::KekRotator& rotator);

 private:
  crypto::KekRotator& rotator_;
  PeriodicJob job_;
};

}  // namespace convault
