#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"

namespace convault {

// Makes opaque object ids: a type prefix, then 9 characters of creation time
// (milliseconds since 1970, base32 in an alphabet that sorts like the
// numbers) and 16 random base32 characters (80 bits), e.g. "ent_2c9x...".
// The time part makes ids made close together sort close together, so new
// rows land on the same few B-tree pages of the store instead of one random
// page each (docs/decisions/0007). Ids are not secrets; tenant isolation is
// enforced by queries, not by unguessable ids.
// Thread safety: implementations are safe to call from any thread.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // REQUIRES: prefix is a short lower-case type tag without the underscore.
  virtual std::string NewId(std::string_view prefix) = 0;
};

// Random ids from a per-thread generator seeded from the OS.
// The time part comes from `clock` (the system clock by default; it only
// orders ids, nothing depends on it).
class RandomIdGenerator final : public IdGenerator {
 public:
  RandomIdGenerator() : RandomIdGenerator(SystemClock::Get()) {}
  explicit RandomIdGenerator(Clock& clock) : clock_(clock) {}
  std::string NewId(std::string_view prefix) override;
  static RandomIdGenerator& Get();

 private:
  Clock& clock_;
};

// Deterministic ids for tests: prefix_000001, prefix_000002, ...
class SequentialIdGenerator final : public IdGenerator {
 public:
  std::string NewId(std::string_view prefix) override;

 private:
  unsigned long next_ = 1;
};

// True when `id` has the given prefix followed by '_' and 1..64 characters of [a-z0-9].
bool IsWellFormedId(std::string_view id, std::string_view prefix);

}  // namespace convault
