#include "server/key_jobs.h"

#include "common/log.h"
#include "common/strings.h"

namespace convault {

KeyJobs::KeyJobs(crypto::KekRotator& rotator, absl::Duration interval)
    : rotator_(rotator), interval_(interval), thread_([this] { Loop(); }) {}

KeyJobs::~KeyJobs() { Stop(); }

void KeyJobs::Wake() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

void KeyJobs::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

absl::Status KeyJobs::RunOnce(crypto::KekRotator& rotator) {
  auto moved = rotator.RunToCompletion();
  if (!moved.ok()) return moved.status();
  if (*moved > 0) log::Info("keys", "rewrapped", {{"keys", *moved}});
  return absl::OkStatus();
}

void KeyJobs::Loop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      // Waits for a rotation, a stop, or the interval (real time: this is
      // production pacing; tests call RunOnce directly).
      mu_.AwaitWithTimeout(absl::Condition(
                               +[](KeyJobs* j) ABSL_EXCLUSIVE_LOCKS_REQUIRED(j->mu_) {
                                 return j->wake_ || j->stop_;
                               },
                               this),
                           interval_);
      if (stop_) return;
      wake_ = false;
    }
    absl::Status s = RunOnce(rotator_);
    if (!s.ok()) log::Error("keys", "key_job_failed", {{"error", StdSv(s.ToString())}});
  }
}

}  // namespace convault
