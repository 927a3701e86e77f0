#include "server/session_jobs.h"

#include "common/log.h"
#include "common/strings.h"

namespace convault {

SessionJobs::SessionJobs(SessionSweeper& sweeper, absl::Duration interval)
    : sweeper_(sweeper), interval_(interval), thread_([this] { Loop(); }) {}

SessionJobs::~SessionJobs() { Stop(); }

void SessionJobs::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void SessionJobs::Loop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&stop_), interval_);
      if (stop_) return;
    }
    auto counts = sweeper_.RunOnce();
    if (!counts.ok()) {
      log::Error("sessions", "sweep_failed", {{"error", StdSv(counts.status().ToString())}});
    } else if (counts->made_inactive + counts->ended > 0) {
      log::Info("sessions", "swept",
                {{"inactive", counts->made_inactive}, {"ended", counts->ended}});
    }
  }
}

}  // namespace convault
