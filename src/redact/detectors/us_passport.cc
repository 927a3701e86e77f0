// us_passport: US passport numbers after the word "passport".
#include "redact/detectors/detectors.h"

namespace convault::redact {
namespace {

class UsPassport final : public Detector {
 public:
  std::string_view id() const override { return "us_passport"; }
  std::string_view description() const override {
    return "US passport numbers (9 digits, or a letter and 8 digits for next-generation "
           "books) within 40 bytes after the word \"passport\".";
  }
  std::vector<std::string> patterns() const override { return {R"([A-Za-z]?\d{8,9})"}; }
  bool Accept(std::string_view text, size_t* start, size_t* end,
              const ScanContext&) const override {
    if (!BoundaryBefore(text, *start) || !BoundaryAfter(text, *end)) return false;
    if (*end - *start != 9) return false;  // 9 digits, or a letter and 8 digits
    return ContextBefore(text, *start, {"passport"});
  }
};

}  // namespace

std::unique_ptr<Detector> NewUsPassportDetector() { return std::make_unique<UsPassport>(); }

}  // namespace convault::redact
