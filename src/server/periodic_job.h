#pragma once

#include <functional>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace convault {

// Runs `round` on its own thread every `interval` (real time: production
// pacing; tests call the work's RunOnce on a fake clock) and at once after
// Wake(). Stop() lets the current round finish and joins.
class PeriodicJob {
 public:
  PeriodicJob(absl::Duration interval, std::function<void()> round);
  ~PeriodicJob();
  void Wake();
  void Stop();

 private:
  void Loop();

  const absl::Duration interval_;
  const std::function<void()> round_;
  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace convault
