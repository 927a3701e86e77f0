#pragma once

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace convault {

// Source of wall-clock time. Every component that needs "now" takes a Clock&
// so that tests can drive time with FakeClock instead of sleeping.
// Thread safety: implementations are safe to call from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The real clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  // A process-wide instance for the composition root.
  static SystemClock& Get();
};

// A clock that only moves when told to.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start = absl::FromUnixSeconds(1767225600)) : now_(start) {}
  absl::Time Now() const override;
  void Advance(absl::Duration d);
  void Set(absl::Time t);

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace convault
