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
  std::vector<std::string> patterns() const override {
    return {R"([A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30})"};
  }
  bool Accept(std::string_view text, size_t* start, size_t* end,
              const ScanContext&) const override {
    if (!BoundaryBefore(text, *start) || !BoundaryAfter(text, *end)) return false;
    std::string compact;
    for (char c : text.substr(*start, *end - *start)) {
      if (c != ' ') compact.push_back(c);
    }
    return IbanValid(compact);
  }
};

}  // namespace

std::unique_ptr<Detector> NewIbanDetector() { return std::make_unique<Iban>(); }

}  // namespace convault::redact
