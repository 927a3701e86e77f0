#pragma once

// Helpers for the detectors that read digit runs (ScanInput::runs).
#include <string_view>
#include <vector>

#include "redact/detector.h"
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

// The spans shaped like a US taxpayer number: 3-2-4 joined by '-' or ' ', or
// nine bare digits; `accept(start, end)` decides. With `first_digit`, only
// numbers starting with it.
template <typename Accept>
void FindTaxpayerShaped(const ScanInput& in, char first_digit, Accept accept,
                        std::vector<Span>* out) {
  for (size_t i = 0; i < in.runs.size(); ++i) {
    const DigitRun& r = in.runs[i];
    if (first_digit != 0 && in.text[r.start] != first_digit) continue;
    size_t end = Shaped324(in, i, "- ") ? in.runs[i + 2].end : (r.size() == 9 ? r.end : 0);
    if (end != 0 && accept(r.start, end)) out->push_back({r.start, end});
  }
}

}  // namespace convault::redact
