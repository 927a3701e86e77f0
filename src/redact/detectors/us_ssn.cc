// us_ssn: AAA-GG-SSSS (dashes or spaces), or 9 bare digits when a context
// word ("SSN", "social security") stands shortly before.
#include "redact/validators/us_ssn.h"

#include "redact/detectors/detectors.h"
#include "redact/validators/digits.h"

namespace convault::redact {
namespace {

// Words that make a nearer nine-digit number something else.
const std::initializer_list<std::string_view> kOtherNumberWords = {
    "routing", "aba",   "rtn",    "transit",  "passport", "itin",
    "account", "order", "ticket", "tracking", "invoice",  "zip"};

class UsSsn final : public Detector {
 public:
  std::string_view id() const override { return "us_ssn"; }
  std::string_view description() const override {
    return "US Social Security numbers: 123-45-6789 or 123 45 6789, or nine bare digits after "
           "a context word such as \"SSN\" or \"social security\"; area, group and serial rules "
           "(no 000, 666 or 9xx area, no 00 group, no 0000 serial).";
  }
  std::vector<std::string> patterns() const override {
    return {R"(\d{3}-\d{2}-\d{4})", R"(\d{3} \d{2} \d{4})", R"(\d{9})"};
  }
  bool Accept(std::string_view text, size_t* start, size_t* end,
              const ScanContext&) const override {
    if (!BoundaryBefore(text, *start, "-") || !BoundaryAfter(text, *end, "-")) return false;
    std::string_view span = text.substr(*start, *end - *start);
    std::string digits;
    if (!DigitsOf(span, &digits) || !UsSsnValid(digits)) return false;
    if (span.size() == 11) return true;
    // Nine bare digits: an SSN word must be the nearest context word.
    int ssn = ContextDistance(text, *start, {"ssn", "social security", "soc sec", "ss#", "ss #"});
    if (ssn < 0) return false;
    int other = ContextDistance(text, *start, kOtherNumberWords);
    return other < 0 || ssn < other;
  }
};

}  // namespace

std::unique_ptr<Detector> NewUsSsnDetector() { return std::make_unique<UsSsn>(); }

}  // namespace convault::redact
