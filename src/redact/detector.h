#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "redact/scan_input.h"

namespace convault::redact {

// What a scan knows about the text it reads.
struct ScanContext {
  std::string_view region = "US";  // ISO country for numbers written without a country code
};

// A byte span [start, end) of the input.
struct Span {
  size_t start;
  size_t end;
};

// A built-in detector: proposes candidate spans from the single-pass scan of
// the input (digit runs, '@', ':', credential prefixes; docs/decisions/0006)
// and keeps those its validator accepts (PRIVACY.md section 1).
// Implementations are stateless and shared by all threads; Find allocates
// nothing but the spans it appends.
class Detector {
 public:
  virtual ~Detector() = default;
  // Stable id: "credit_card", "us_ssn", ... (GET /v1/sensitive-data-rules/detectors).
  virtual std::string_view id() const = 0;
  virtual std::string_view description() const = 0;
  // The ScanInput::k* bits this detector starts from; it is not called for
  // a text without any of them.
  virtual uint32_t needs() const = 0;
  // The fewest ASCII digits a text must hold for this detector to find
  // anything in it (a card has 12): it is not called for texts with fewer.
  virtual size_t min_digits() const { return 0; }
  // The ScanInput::k*Word hints that must all be present for this detector
  // to find anything (its context word is not optional): it is not called
  // for a text without them.
  virtual uint32_t requires_words() const { return 0; }
  // Appends this detector's findings in input.text to `out`. Overlapping
  // findings are allowed (the policy keeps the longest).
  virtual void Find(const ScanInput& input, const ScanContext& context,
                    std::vector<Span>* out) const = 0;
};

// Every built-in detector, in a fixed order.
const std::vector<std::unique_ptr<Detector>>& BuiltinDetectors();
const Detector* FindDetector(std::string_view id);

// Whether a span starting at `start` / ending at `end` stands alone: the
// neighbouring byte is the text edge or not an ASCII letter or digit (nor one
// of `extra`).
// (Inline: every detector asks this of every candidate.)
inline bool AlnumOr(char c, std::string_view extra) {
  if (IsAlnum(c)) return true;
  for (char e : extra) {  // a byte or two: a loop, not memchr
    if (c == e) return true;
  }
  return false;
}
inline bool BoundaryBefore(std::string_view text, size_t start, std::string_view extra = "") {
  return start == 0 || !AlnumOr(text[start - 1], extra);
}
inline bool BoundaryAfter(std::string_view text, size_t end, std::string_view extra = "") {
  return end >= text.size() || !AlnumOr(text[end], extra);
}

// Context words (lower case, each beginning with a letter), with the bit of
// their first letter worked out once: a lookup tries only the words whose
// first letter begins a word in the window. Detectors keep theirs in statics.
class ContextWords {
 public:
  struct Word {
    std::string_view text;
    uint32_t first;  // bit text[0] - 'a'
  };
  // REQUIRES: `words` are string literals (they are kept as views).
  ContextWords(std::initializer_list<std::string_view> words);
  const std::vector<Word>& words() const { return words_; }

 private:
  std::vector<Word> words_;
};

// Whether one of `words` appears in the 40 bytes before `start`, compared
// case-insensitively: context for numbers that are ambiguous alone.
bool ContextBefore(const ScanInput& in, size_t start, const ContextWords& words);

// How far before `start` the nearest of `words` ends (in the same 40-byte
// window), or -1: lets a detector yield to a nearer context word of another
// type ("SSN 123-45-6789 and routing 021000021": the routing number is not an SSN).
int ContextDistance(const ScanInput& in, size_t start, const ContextWords& words);

// The context words of the detectors of bare numbers (SSN, ITIN, passport,
// routing) and of numbers that are none of them (account, order, ticket, ...):
// a detector keeps a bare number only when its own word is the nearest.
const ContextWords& NumberWords();

}  // namespace convault::redact
