// email: addresses with a dotted domain and an alphabetic top-level domain.
#include "redact/detectors/detectors.h"

namespace convault::redact {
namespace {

class Email final : public Detector {
 public:
  std::string_view id() const override { return "email"; }
  std::string_view description() const override {
    return "Email addresses: local part, '@', a domain with at least one dot and a top-level "
           "domain of letters.";
  }
  std::vector<std::string> patterns() const override {
    return {R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24})"};
  }
  bool Accept(std::string_view text, size_t* start, size_t* end,
              const ScanContext&) const override {
    // Leftmost start already; the domain must end where the word ends.
    return BoundaryAfter(text, *end, "-") && BoundaryBefore(text, *start, "._%+-") &&
           text[*start] != '.';
  }
};

}  // namespace

std::unique_ptr<Detector> NewEmailDetector() { return std::make_unique<Email>(); }

}  // namespace convault::redact
