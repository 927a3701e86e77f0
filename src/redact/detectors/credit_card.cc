// credit_card: 12-19 digits, optionally grouped with spaces or dashes; a
// known network with its lengths, and Luhn.
#include "redact/detectors/detectors.h"
#include "redact/validators/digits.h"
#include "redact/validators/payment_card.h"

namespace convault::redact {
namespace {

class CreditCard final : public Detector {
 public:
  std::string_view id() const override { return "credit_card"; }
  std::string_view description() const override {
    return "Payment card numbers (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, "
           "Maestro): 12-19 digits, grouped with spaces or dashes or not, checked against the "
           "network's prefixes and lengths and the Luhn checksum.";
  }
  std::vector<std::string> patterns() const override { return {R"(\d(?:[ -]?\d){11,18})"}; }
  bool Accept(std::string_view text, size_t* start, size_t* end,
              const ScanContext&) const override {
    if (!BoundaryBefore(text, *start) || !BoundaryAfter(text, *end)) return false;
    std::string digits;
    return DigitsOf(text.substr(*start, *end - *start), &digits) && PaymentCardValid(digits);
  }
};

}  // namespace

std::unique_ptr<Detector> NewCreditCardDetector() { return std::make_unique<CreditCard>(); }

}  // namespace convault::redact
