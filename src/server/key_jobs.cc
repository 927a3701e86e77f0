#include "server/key_jobs.h"

#include "common/log.h"
#include "common/strings.h"

namespace convault {

KeyJobs::KeyJobs(crypto::KekRotator& rotator, absl::Duration interval)
    : rotator_(rotator), job_(interval, [this] {
        absl::Status s = RunOnce(rotator_);
        if (!s.ok()) log::Error("keys", "key_job_failed", {{"error", StdSv(s.ToString())}});
      }) {
  job_.Wake();  // a first round at start
}

absl::Status KeyJobs::RunOnce(crypto::KekRotator& rotator) {
  auto moved = rotator.RunToCompletion();
  if (!moved.ok()) return moved.status();
  if (*moved > 0) log::Info("keys", "rewrapped", {{"keys", *moved}});
  return absl::OkStatus();
}

}  // namespace convault
