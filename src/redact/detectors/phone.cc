// phone: telephone numbers, read by libphonenumber in the channel's region
// (numbers with a +country code are read as written) and kept only when valid.
#include "phonenumbers/phonenumberutil.h"
#include "redact/detectors/detectors.h"

namespace convault::redact {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

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
    // Cheap length checks first: libphonenumber parses with ICU regexes and
    // costs tens of microseconds per candidate.
    int digits = 0;
    for (char c : span) digits += (c >= '0' && c <= '9') ? 1 : 0;
    if (span[0] == '+') {
      if (digits < 8 || digits > 15) return false;
    } else if (context.region == "US" || context.region == "CA") {
      bool first_is_one = span.find_first_of("0123456789") != std::string_view::npos &&
                          span[span.find_first_of("0123456789")] == '1';
      if (digits != 10 && !(digits == 11 && first_is_one)) return false;
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
