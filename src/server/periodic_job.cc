#include "server/periodic_job.h"

namespace convault {

PeriodicJob::PeriodicJob(absl::Duration interval, std::function<void()> round)
    : interval_(interval), round_(std::move(round)), thread_([this] { Loop(); }) {}

PeriodicJob::~PeriodicJob() { Stop(); }

void PeriodicJob::Wake() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

void PeriodicJob::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void PeriodicJob::Loop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(
                               +[](PeriodicJob* j) ABSL_EXCLUSIVE_LOCKS_REQUIRED(j->mu_) {
                                 return j->wake_ || j->stop_;
                               },
                               this),
                           interval_);
      if (stop_) return;
      wake_ = false;
    }
    round_();
  }
}

}  // namespace convault
