// credit_card: 12-19 digits, optionally grouped with spaces or dashes; a
// known network with its lengths, and Luhn.
#include <algorithm>

#include "redact/detectors/detectors.h"
#include "redact/detectors/numeric.h"
#include "redact/validators/digits.h"
#include "redact/validators/payment_card.h"

namespace convault::redact {
namespace {

bool UpperOrDigit(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Whether the groups before `start` ("GB43 JBYT 3990 ...") begin an IBAN:
// walk back over four-character groups of capitals and digits joined by `sep`
// to one shaped like a country code and check digits.
bool InsideIban(std::string_view text, size_t start, char sep) {
  size_t pos = start;
  for (int groups = 0; groups < 8 && pos >= 5 && text[pos - 1] == sep; ++groups) {
    std::string_view g = text.substr(pos - 5, 4);
    if (!std::all_of(g.begin(), g.end(), UpperOrDigit)) return false;
    bool country = g[0] >= 'A' && g[0] <= 'Z' && g[1] >= 'A' && g[1] <= 'Z' && g[2] >= '0' &&
                   g[2] <= '9' && g[3] >= '0' && g[3] <= '9';
    if (country && (pos == 5 || !UpperOrDigit(text[pos - 6]))) return true;
    pos -= 5;
  }
  return false;
}

class CreditCard final : public Detector {
 public:
  std::string_view id() const override { return "credit_card"; }
  std::string_view description() const override {
    return "Payment card numbers (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, "
           "Maestro): 12-19 digits, grouped with spaces or dashes or not, checked against the "
           "network's prefixes and lengths and the Luhn checksum.";
  }
  uint32_t needs() const override { return ScanInput::kDigits; }
  size_t min_digits() const override { return 12; }
  void Find(const ScanInput& in, const ScanContext&, std::vector<Span>* out) const override {
    const auto& runs = in.runs;
    for (size_t i = 0; i < runs.size(); ++i) {
      if (!BoundaryBefore(in.text, runs[i].start)) continue;
      size_t digits = 0;
      for (size_t j = i; j < runs.size(); ++j) {
        if (j > i && !JoinedBy(in, j - 1, " -")) break;
        digits += runs[j].size();
        if (digits > 19) break;
        if (digits >= 12 && BoundaryAfter(in.text, runs[j].end) &&
            Accept(in.text, runs[i].start, runs[j].end)) {
          out->push_back({runs[i].start, runs[j].end});
        }
      }
    }
  }

 private:
  static bool Accept(std::string_view text, size_t start, size_t end) {
    // A grouped number that continues with another group in the same style
    // ("FR15 3005 3699 1052 0439 3787 161") is a longer number, not a card.
    std::string_view span = text.substr(start, end - start);
    size_t sep_at = 0;
    while (sep_at < span.size() && IsDigit(span[sep_at])) ++sep_at;
    if (sep_at < span.size()) {  // the span holds digits, ' ' and '-' only
      char sep = span[sep_at];
      if (start >= 2 && text[start - 1] == sep && IsDigit(text[start - 2])) return false;
      if (end + 1 < text.size() && text[end] == sep && IsDigit(text[end + 1])) return false;
      if (InsideIban(text, start, sep)) return false;
    }
    char digits[19];
    size_t n = 0;
    for (char c : span) {
      if (IsDigit(c)) {
        if (n == sizeof digits) return false;
        digits[n++] = c;
      }
    }
    return PaymentCardValid(std::string_view(digits, n));
  }
};

}  // namespace

std::unique_ptr<Detector> NewCreditCardDetector() { return std::make_unique<CreditCard>(); }

}  // namespace convault::redact
