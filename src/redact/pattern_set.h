#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

typedef struct hs_database hs_database_t;

namespace convault::redact {

// One regular expression of a pattern set (Vectorscan/Hyperscan dialect).
struct Pattern {
  std::string regex;
  unsigned id = 0;  // reported with each match
  bool caseless = false;
  bool start_of_match = true;  // report the leftmost start (costs some throughput)
};

// A set of patterns compiled once into an immutable Vectorscan block-mode
// database (byte semantics: any input is safe, valid UTF-8 or not), scanned from any number of
// threads: each thread keeps its own scratch space, allocated on its first scan of a set and reused
// after. Nothing is compiled or allocated per byte scanned.
class PatternSet {
 public:
  // Compiles `patterns` together. An invalid pattern fails with
  // InvalidArgument naming its id and Vectorscan's reason.
  static absl::StatusOr<std::shared_ptr<const PatternSet>> Compile(
      const std::vector<Pattern>& patterns);
  ~PatternSet();
  PatternSet(const PatternSet&) = delete;
  PatternSet& operator=(const PatternSet&) = delete;

  // Calls on_match(id, start, end) for every match; start is 0 for patterns
  // compiled without start_of_match. Matches come in order of their end.
  using OnMatch = std::function<void(unsigned id, size_t start, size_t end)>;
  absl::Status Scan(std::string_view text, const OnMatch& on_match) const;

  size_t size() const { return count_; }

 private:
  PatternSet(hs_database_t* db, size_t count) : db_(db), count_(count), serial_(NextSerial()) {}
  static uint64_t NextSerial();

  hs_database_t* db_;
  size_t count_;
  uint64_t serial_;  // identifies this set to the per-thread scratch cache
};

// Checks an administrator's custom rule pattern: at most 1,000 bytes,
// compiles in Vectorscan's linear-time dialect, and cannot match the empty
// string. The error says why, in words a person can act on.
absl::Status ValidateCustomPattern(std::string_view regex);

}  // namespace convault::redact
