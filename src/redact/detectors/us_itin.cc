// us_itin: IRS individual taxpayer numbers, 9XX-GG-XXXX with the IRS group ranges.
#include "redact/detectors/detectors.h"
#include "redact/detectors/numeric.h"
#include "redact/validators/digits.h"
#include "redact/validators/us_ssn.h"

namespace convault::redact {
namespace {

const ContextWords& ItinWords() {
  static const ContextWords* words = new ContextWords{"itin", "taxpayer", "tax id"};
  return *words;
}

class UsItin final : public Detector {
 public:
  std::string_view id() const override { return "us_itin"; }
  std::string_view description() const override {
    return "US Individual Taxpayer Identification Numbers: 9XX-GG-XXXX (dashes, spaces or none) "
           "with the group in 50-65, 70-88, 90-92 or 94-99; bare digits need a context word "
           "such as \"ITIN\" or \"taxpayer\".";
  }
  uint32_t needs() const override { return ScanInput::kDigits; }
  size_t min_digits() const override { return 9; }
  void Find(const ScanInput& in, const ScanContext&, std::vector<Span>* out) const override {
    FindTaxpayerShaped(
        in, '9', [&](size_t start, size_t end) { return Accept(in, start, end); }, out);
  }

 private:
  static bool Accept(const ScanInput& in, size_t start, size_t end) {
    std::string_view text = in.text;
    if (!BoundaryBefore(text, start, "-") || !BoundaryAfter(text, end, "-")) return false;
    std::string_view span = text.substr(start, end - start);
    std::string digits;
    if (!DigitsOf(span, &digits) || !UsItinValid(digits)) return false;
    return span.size() == 11 || ContextBefore(in, start, ItinWords());
  }
};

}  // namespace

std::unique_ptr<Detector> NewUsItinDetector() { return std::make_unique<UsItin>(); }

}  // namespace convault::redact
