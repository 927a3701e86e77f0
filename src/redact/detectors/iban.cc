// iban: international bank account numbers, compact or in groups of four.
#include "redact/validators/iban.h"

#include "redact/detectors/detectors.h"

namespace convault::redact {
namespace {

class Iban final : public Detector {
 public:
  std::string_view id() const override { return "iban"; }
  std::string_view description() const override {
    return "International Bank Account Numbers, compact (DE89370400440532013000) or in groups "
           "of four (GB82 WEST 1234 5698 7654 32); the country's length and the mod-97 check.";
  }
  uint32_t needs() const override { return ScanInput::kDigits; }
  void Find(const ScanInput& in, const ScanContext&, std::vector<Span>* out) const override {
    std::string_view t = in.text;
    std::string compact;
    for (const DigitRun& r : in.runs) {
      // A country code and the check digits: [A-Z]{2}\d{2}.
      if (r.size() < 2 || r.start < 2 || !IsUpper(t[r.start - 1]) || !IsUpper(t[r.start - 2])) {
        continue;
      }
      size_t start = r.start - 2;
      if (!BoundaryBefore(t, start)) continue;
      compact.assign(t.substr(start, 4));
      size_t at = r.start + 2;
      size_t best = 0;
      // Then 11 to 30 capitals or digits, each after an optional single space.
      for (int items = 0; items < 30; ++items) {
        size_t next = at < t.size() && t[at] == ' ' ? at + 1 : at;
        if (next >= t.size() || !(IsUpper(t[next]) || IsDigit(t[next]))) break;
        compact.push_back(t[next]);
        at = next + 1;
        if (items + 1 >= 11 && BoundaryAfter(t, at) && IbanValid(compact)) best = at;
      }
      if (best != 0) out->push_back({start, best});
    }
  }
};

}  // namespace

std::unique_ptr<Detector> NewIbanDetector() { return std::make_unique<Iban>(); }

}  // namespace convault::redact
