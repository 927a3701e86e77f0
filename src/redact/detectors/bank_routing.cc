// bank_routing: US ABA routing numbers after a context word.
#include "redact/detectors/detectors.h"
#include "redact/validators/aba_routing.h"

namespace convault::redact {
namespace {

const ContextWords& RoutingWords() {
  static const ContextWords* words = new ContextWords{"routing", "aba", "rtn", "transit"};
  return *words;
}

class BankRouting final : public Detector {
 public:
  std::string_view id() const override { return "bank_routing"; }
  std::string_view description() const override {
    return "US ABA routing numbers: nine digits with a Federal Reserve prefix and the 3-7-1 "
           "checksum, after a context word such as \"routing\", \"ABA\" or \"RTN\".";
  }
  uint32_t needs() const override { return ScanInput::kDigits; }
  size_t min_digits() const override { return 9; }
  uint32_t requires_words() const override { return ScanInput::kRoutingWord; }
  void Find(const ScanInput& in, const ScanContext&, std::vector<Span>* out) const override {
    for (const DigitRun& r : in.runs) {
      if (r.size() != 9) continue;
      if (!BoundaryBefore(in.text, r.start) || !BoundaryAfter(in.text, r.end)) continue;
      if (!AbaRoutingValid(in.text.substr(r.start, 9))) continue;
      int mine = ContextDistance(in, r.start, RoutingWords());
      if (mine < 0) continue;
      int other = ContextDistance(in, r.start, NumberWords());
      if (other < 0 || mine <= other) out->push_back({r.start, r.end});
    }
  }
};

}  // namespace

std::unique_ptr<Detector> NewBankRoutingDetector() { return std::make_unique<BankRouting>(); }

}  // namespace convault::redact
