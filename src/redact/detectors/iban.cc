// iban: international bank account numbers, compact or in groups of four.
#include "redact/validators/iban.h"

#include <cstring>

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
  size_t min_digits() const override { return 2; }  // the check digits
  void Find(const ScanInput& in, const ScanContext&, std::vector<Span>* out) const override {
    std::string_view t = in.text;
    char compact[34];
    for (const DigitRun& r : in.runs) {
      // A country code and the check digits: [A-Z]{2}\d{2}.
      if (r.size() < 2 || r.start < 2 || !IsUpper(t[r.start - 1]) || !IsUpper(t[r.start - 2])) {
        continue;
      }
      size_t start = r.start - 2;
      if (!BoundaryBefore(t, start)) continue;
      // Every IBAN of a country has that country's length.
      size_t length = static_cast<size_t>(IbanLength(t.substr(start, 2)));
      if (length == 0) continue;
      std::memcpy(compact, t.data() + start, 4);
      size_t size = 4;
      size_t at = r.start + 2;
      // Then capitals or digits, each after an optional single space.
      while (size < length) {
        size_t next = at < t.size() && t[at] == ' ' ? at + 1 : at;
        if (next >= t.size() || !(IsUpper(t[next]) || IsDigit(t[next]))) break;
        compact[size++] = t[next];
        at = next + 1;
      }
      if (size == length && BoundaryAfter(t, at) && IbanValid(std::string_view(compact, size))) {
        out->push_back({start, at});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Detector> NewIbanDetector() { return std::make_unique<Iban>(); }

}  // namespace convault::redact
