#pragma once

#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "messaging/reply_service.h"

namespace convault {

// The session sweeper of a server: every `interval` (real time: production
// pacing; tests call SessionSweeper::RunOnce with a fake clock), idle sessions
// become inactive and long-inactive ones end. Stop() joins.
class SessionJobs {
 public:
  SessionJobs(SessionSweeper& sweeper, absl::Duration interval);
  ~SessionJobs();
  void Stop();

 private:
  void Loop();

  SessionSweeper& sweeper_;
  const absl::Duration interval_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace convault
