// us_ssn: AAA-GG-SSSS (dashes or spaces), or 9 bare digits when a context
// word ("SSN", "social security") stands shortly before.
#include "redact/validators/us_ssn.h"

#include "redact/detectors/detectors.h"
#include "redact/detectors/numeric.h"
#include "redact/validators/digits.h"

namespace convault::redact {
namespace {

const ContextWords& SsnWords() {
  static const ContextWords* words =
      new ContextWords{"ssn", "social security", "soc sec", "ss#", "ss #"};
  return *words;
}

class UsSsn final : public Detector {
 public:
  std::string_view id() const override { return "us_ssn"; }
  std::string_view description() const override {
    return "US Social Security numbers: 123-45-6789 or 123 45 6789, or nine bare digits after "
           "a context word such as \"SSN\" or \"social security\"; area, group and serial rules "
           "(no 000, 666 or 9xx area, no 00 group, no 0000 serial).";
  }
  uint32_t needs() const override { return ScanInput::kDigits; }
  size_t min_digits() const override { return 9; }
  void Find(const ScanInput& in, const ScanContext&, std::vector<Span>* out) const override {
    FindTaxpayerShaped(
        in, 0, [&](size_t start, size_t end) { return Accept(in, start, end); }, out);
  }

 private:
  static bool Accept(const ScanInput& in, size_t start, size_t end) {
    std::string_view text = in.text;
    if (!BoundaryBefore(text, start, "-") || !BoundaryAfter(text, end, "-")) return false;
    std::string_view span = text.substr(start, end - start);
    std::string digits;
    if (!DigitsOf(span, &digits) || !UsSsnValid(digits)) return false;
    if (span.size() == 11) return true;
    // Nine bare digits: an SSN word must be the nearest context word.
    int ssn = ContextDistance(in, start, SsnWords());
    if (ssn < 0) return false;
    int other = ContextDistance(in, start, NumberWords());
    return other < 0 || ssn <= other;
  }
};

}  // namespace

std::unique_ptr<Detector> NewUsSsnDetector() { return std::make_unique<UsSsn>(); }

}  // namespace convault::redact
