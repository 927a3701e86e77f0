#pragma once

// Helpers for the detectors that read digit runs (ScanInput::runs).
#include <string_view>

#include "redact/scan_input.h"

namespace convault::redact {

// Whether runs i and i+1 are separated by exactly one byte from `separators`.
inline bool JoinedBy(const ScanInput& in, size_t i, std::string_view separators) {
  const DigitRun& a = in.runs[i];
  const DigitRun& b = in.runs[i + 1];
  if (b.start != a.end + 1) return false;
  char c = in.text[a.end];
  for (char s : separators) {
    if (c == s) return true;
  }
  return false;
}

// Runs i, i+1, i+2 shaped 3-2-4 and joined twice by the same separator, one of
// `separators` ("123-45-6789", "123 45 6789").
inline bool Shaped324(const ScanInput& in, size_t i, std::string_view separators) {
  if (i + 2 >= in.runs.size()) return false;
  if (in.runs[i].size() != 3 || in.runs[i + 1].size() != 2 || in.runs[i + 2].size() != 4) {
    return false;
  }
  return JoinedBy(in, i, separators) && JoinedBy(in, i + 1, separators) &&
         in.text[in.runs[i].end] == in.text[in.runs[i + 1].end];
}

}  // namespace convault::redact
