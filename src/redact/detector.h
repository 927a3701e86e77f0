#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace convault::redact {

// What a scan knows about the text it reads.
struct ScanContext {
  std::string_view region = "US";  // ISO country for numbers written without a country code
};

// A built-in detector: Vectorscan patterns propose candidate spans, and
// Accept decides, using a validator where one exists (PRIVACY.md section 1).
// Implementations are stateless and shared by all threads.
class Detector {
 public:
  virtual ~Detector() = default;
  // Stable id: "credit_card", "us_ssn", ... (GET /v1/sensitive-data-rules/detectors).
  virtual std::string_view id() const = 0;
  virtual std::string_view description() const = 0;
  // Candidate patterns (Vectorscan dialect, byte semantics).
  virtual std::vector<std::string> patterns() const = 0;
  // Whether text[*start, *end) is a finding; may narrow the span.
  virtual bool Accept(std::string_view text, size_t* start, size_t* end,
                      const ScanContext& context) const = 0;
};

// Every built-in detector, in a fixed order.
const std::vector<std::unique_ptr<Detector>>& BuiltinDetectors();
const Detector* FindDetector(std::string_view id);

// Whether a span starting at `start` / ending at `end` stands alone: the
// neighbouring byte is the text edge or not an ASCII letter or digit (nor one
// of `extra`).
bool BoundaryBefore(std::string_view text, size_t start, std::string_view extra = "");
bool BoundaryAfter(std::string_view text, size_t end, std::string_view extra = "");

// Whether one of `words` (lower case) appears in the 40 bytes before `start`,
// compared case-insensitively: context for numbers that are ambiguous alone.
bool ContextBefore(std::string_view text, size_t start,
                   std::initializer_list<std::string_view> words);

// How far before `start` the nearest of `words` ends (in the same 40-byte
// window), or -1: lets a detector yield to a nearer context word of another
// type ("SSN 123-45-6789 and routing 021000021": the routing number is not an SSN).
int ContextDistance(std::string_view text, size_t start,
                    std::initializer_list<std::string_view> words);

}  // namespace convault::redact
