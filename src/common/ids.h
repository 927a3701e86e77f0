#pragma once

#include <string>
#include <string_view>

namespace convault {

// Makes opaque object ids: a type prefix and 20 random base32 characters
// (100 bits), e.g. "key_7h2kq...". Ids are not secrets; tenant isolation is
// enforced by queries, not by unguessable ids.
// Thread safety: implementations are safe to call from any thread.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // REQUIRES: prefix is a short lower-case type tag without the underscore.
  virtual std::string NewId(std::string_view prefix) = 0;
};

// Random ids from a per-thread generator seeded from the OS.
class RandomIdGenerator final : public IdGenerator {
 public:
  std::string NewId(std::string_view prefix) override;
  static RandomIdGenerator& Get();
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
