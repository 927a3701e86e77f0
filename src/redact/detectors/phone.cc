// phone: telephone numbers, read by libphonenumber in the channel's region
// (numbers with a +country code are read as written) and kept only when valid.
#include <vector>

#include "phonenumbers/phonenumberutil.h"
#include "redact/detectors/detectors.h"

namespace convault::redact {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

const std::initializer_list<std::string_view> kPhoneWords = {
    "call",     "phone", "tel",     "mobile", "cell", "text",     "sms",
    "whatsapp", "reach", "contact", "fax",    "dial", "my number"};

class Phone final : public Detector {
 public:
  std::string_view id() const override { return "phone"; }
  std::string_view description() const override {
    return "Telephone numbers in international (+44 20 7946 0958) or national form "
           "((415) 555-0123, 415.555.0123), read with libphonenumber in the channel's region and "
           "kept only when valid for that numbering plan.";
  }
  std::vector<std::string> patterns() const override {
    return {R"(\+?\d[\d .()\-]{5,18}\d)", R"(\(\d{2,4}\)[ .\-]?\d[\d .\-]{3,12}\d)"};
  }
  bool Accept(std::string_view text, size_t* start, size_t* end,
              const ScanContext& context) const override {
    if (!BoundaryBefore(text, *start, "+") || !BoundaryAfter(text, *end)) return false;
    // A leading '+' belongs to the number even when the match began after it.
    if (*start > 0 && text[*start - 1] == '+') --*start;
    std::string_view span = text.substr(*start, *end - *start);
    // Part of a hyphenated identifier (ORD-2024-118834): not a number on its own.
    if (*start >= 2 && text[*start - 1] == '-' && IsAlnum(text[*start - 2])) return false;
    if (*end + 1 < text.size() && text[*end] == '-' && IsAlnum(text[*end + 1])) return false;
    // Cheap shape checks first: libphonenumber parses with ICU regexes and
    // costs tens of microseconds per candidate.
    int digits = 0, dots = 0;
    std::vector<int> groups;  // lengths of the digit runs
    bool in_group = false;
    for (char c : span) {
      bool digit = c >= '0' && c <= '9';
      digits += digit ? 1 : 0;
      dots += c == '.' ? 1 : 0;
      if (digit && !in_group) groups.push_back(0);
      if (digit) ++groups.back();
      in_group = digit;
    }
    if (dots == 3 && groups.size() == 4) return false;  // a dotted quad (IPv4)
    if (span[0] == '+') {
      if (digits < 8 || digits > 15) return false;
    } else if (context.region == "US" || context.region == "CA") {
      // North American grouping: 3-3-4 (optionally after a 1), 3-7, or one run
      // of 10 digits (11 with a leading 1), which needs a word such as "call"
      // before it: bare runs are mostly order, ticket and account numbers.
      using G = std::vector<int>;
      bool grouped = groups == G{3, 3, 4} || groups == G{1, 3, 3, 4} || groups == G{3, 7};
      bool bare = groups == G{10} || (groups == G{11} && span[0] == '1');
      if (!grouped && !(bare && ContextBefore(text, *start, kPhoneWords))) return false;
    } else if (digits < 7 || digits > 15) {
      return false;
    }
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util.Parse(std::string(span), std::string(context.region), &number) !=
        PhoneNumberUtil::NO_PARSING_ERROR) {
      return false;
    }
    return util.IsValidNumber(number);
  }
};

}  // namespace

std::unique_ptr<Detector> NewPhoneDetector() { return std::make_unique<Phone>(); }

}  // namespace convault::redact
