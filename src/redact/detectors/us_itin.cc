// us_itin: IRS individual taxpayer numbers, 9XX-GG-XXXX with the IRS group ranges.
#include "redact/detectors/detectors.h"
#include "redact/validators/digits.h"
#include "redact/validators/us_ssn.h"

namespace convault::redact {
namespace {

class UsItin final : public Detector {
 public:
  std::string_view id() const override { return "us_itin"; }
  std::string_view description() const override {
    return "US Individual Taxpayer Identification Numbers: 9XX-GG-XXXX (dashes, spaces or none) "
           "with the group in 50-65, 70-88, 90-92 or 94-99; bare digits need a context word "
           "such as \"ITIN\" or \"taxpayer\".";
  }
  std::vector<std::string> patterns() const override {
    return {R"(9\d{2}-\d{2}-\d{4})", R"(9\d{2} \d{2} \d{4})", R"(9\d{8})"};
  }
  bool Accept(std::string_view text, size_t* start, size_t* end,
              const ScanContext&) const override {
    if (!BoundaryBefore(text, *start, "-") || !BoundaryAfter(text, *end, "-")) return false;
    std::string_view span = text.substr(*start, *end - *start);
    std::string digits;
    if (!DigitsOf(span, &digits) || !UsItinValid(digits)) return false;
    return span.size() == 11 || ContextBefore(text, *start, {"itin", "taxpayer", "tax id"});
  }
};

}  // namespace

std::unique_ptr<Detector> NewUsItinDetector() { return std::make_unique<UsItin>(); }

}  // namespace convault::redact
