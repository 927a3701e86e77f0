// bank_routing: US ABA routing numbers after a context word.
#include "redact/detectors/detectors.h"
#include "redact/validators/aba_routing.h"

namespace convault::redact {
namespace {

class BankRouting final : public Detector {
 public:
  std::string_view id() const override { return "bank_routing"; }
  std::string_view description() const override {
    return "US ABA routing numbers: nine digits with a Federal Reserve prefix and the 3-7-1 "
           "checksum, after a context word such as \"routing\", \"ABA\" or \"RTN\".";
  }
  std::vector<std::string> patterns() const override { return {R"(\d{9})"}; }
  bool Accept(std::string_view text, size_t* start, size_t* end,
              const ScanContext&) const override {
    if (!BoundaryBefore(text, *start) || !BoundaryAfter(text, *end)) return false;
    return AbaRoutingValid(text.substr(*start, 9)) &&
           ContextBefore(text, *start, {"routing", "aba", "rtn", "transit"});
  }
};

}  // namespace

std::unique_ptr<Detector> NewBankRoutingDetector() { return std::make_unique<BankRouting>(); }

}  // namespace convault::redact
