#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace convault {

// RFC 3339 UTC with millisecond precision: 2026-01-01T00:00:00.000Z.
std::string FormatRfc3339(absl::Time t);
// Appends the same text to `out` (fast for years 1000-9999).
void AppendRfc3339(std::string& out, absl::Time t);
absl::StatusOr<absl::Time> ParseRfc3339(std::string_view text);

// Storage representation: microseconds since the Unix epoch.
inline int64_t ToStorageMicros(absl::Time t) { return absl::ToUnixMicros(t); }
inline absl::Time FromStorageMicros(int64_t us) { return absl::FromUnixMicros(us); }

}  // namespace convault
