// us_passport: US passport numbers after the word "passport".
#include "redact/detectors/detectors.h"

namespace convault::redact {
namespace {

const ContextWords& PassportWords() {
  static const ContextWords* words = new ContextWords{"passport"};
  return *words;
}

class UsPassport final : public Detector {
 public:
  std::string_view id() const override { return "us_passport"; }
  std::string_view description() const override {
    return "US passport numbers (9 digits, or a letter and 8 digits for next-generation "
           "books) within 40 bytes after the word \"passport\".";
  }
  uint32_t needs() const override { return ScanInput::kDigits; }
  size_t min_digits() const override { return 8; }
  uint32_t requires_words() const override { return ScanInput::kPassportWord; }
  void Find(const ScanInput& in, const ScanContext&, std::vector<Span>* out) const override {
    for (const DigitRun& r : in.runs) {
      size_t start = r.start;
      if (r.size() == 8 && start > 0 && IsLetter(in.text[start - 1])) {
        --start;  // a letter and 8 digits
      } else if (r.size() != 9) {
        continue;
      }
      if (!BoundaryBefore(in.text, start) || !BoundaryAfter(in.text, r.end)) continue;
      int mine = ContextDistance(in, start, PassportWords());
      if (mine < 0) continue;
      int other = ContextDistance(in, start, NumberWords());
      if (other < 0 || mine <= other) out->push_back({start, r.end});
    }
  }
};

}  // namespace

std::unique_ptr<Detector> NewUsPassportDetector() { return std::make_unique<UsPassport>(); }

}  // namespace convault::redact
