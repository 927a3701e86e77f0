#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace convault::redact {

namespace scan_internal {
// With false, every ScanInput marks its text and finds its word hints with
// SSE2, as on a CPU without AVX-512BW (redact_bench --portable; tests
// compare both). Default true: the fastest this CPU runs.
void UseSimd(bool on);
}  // namespace scan_internal

// A maximal run of ASCII digits: text[start, end).
struct DigitRun {
  uint32_t start;
  uint32_t end;
  uint32_t size() const { return end - start; }
};

// What the built-in detectors look at, gathered in one pass over the bytes
// (docs/decisions/0006): digit runs, '@' and ':' positions, and where a
// credential prefix (AKIA, eyJ, bearer, ghp_, sk_live_, xoxb-, -----BEGIN, ...)
// begins. A message without any of these cannot hold a built-in finding, and
// most chat messages are like that. Reused per thread: Reset keeps capacity.
struct ScanInput {
  std::string_view text;
  std::vector<DigitRun> runs;
  std::vector<uint32_t> at_signs;
  std::vector<uint32_t> colons;
  std::vector<uint32_t> credential_starts;
  size_t digit_count = 0;  // ASCII digits in the text

  // The 40 bytes before a position, lower-cased, and where words begin in
  // them: context-word lookups (detector.h ContextDistance) share it per position.
  struct ContextWindow {
    size_t position = SIZE_MAX;
    size_t size = 0;
    uint32_t start_letters = 0;  // bit c - 'a' for each letter that begins a word
    uint64_t word_starts = 0;    // bit i: a letter begins a word at bytes[i]
    char bytes[48];              // [size, 48) are zero
  };
  mutable ContextWindow window;

  // REQUIRES: text.size() < 2^32.
  void Reset(std::string_view input);
  // Which kinds of start the text has (Detector::needs bits).
  static constexpr uint32_t kDigits = 1, kAtSigns = 2, kColons = 4, kCredentials = 8;
  uint32_t Present() const {
    return (runs.empty() ? 0u : kDigits) | (at_signs.empty() ? 0u : kAtSigns) |
           (colons.empty() ? 0u : kColons) | (credential_starts.empty() ? 0u : kCredentials);
  }

  // Word hints (Detector::requires_words bits): the text holds, in any case,
  // one of the three-letter beginnings of the context words a detector cannot
  // do without. A hint is a necessary condition, not a finding ("passage"
  // sets kPassportWord). Worked out on first use after Reset, so that texts
  // with too few digits for those detectors never pay for it.
  static constexpr uint32_t kBirthWord = 1;     // bor, bir, dob, d.o (born, birthday, DOB, d.o.b)
  static constexpr uint32_t kPassportWord = 2;  // pas
  static constexpr uint32_t kRoutingWord = 4;   // rou, aba, rtn, tra (routing, ABA, RTN, transit)
  uint32_t WordHints() const {
    if (word_hints_ < 0) word_hints_ = static_cast<int32_t>(ComputeWordHints(text));
    return static_cast<uint32_t>(word_hints_);
  }
  static uint32_t ComputeWordHints(std::string_view text);
  // The same byte by byte (tests compare them; the fallback without SSE2).
  static uint32_t ComputeWordHintsPortable(std::string_view text);

 private:
  mutable int32_t word_hints_ = -1;
};

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsLetter(char c) { return IsUpper(c) || IsLower(c); }
inline bool IsAlnum(char c) { return IsDigit(c) || IsLetter(c); }

}  // namespace convault::redact
