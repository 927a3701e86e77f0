// phone: telephone numbers, read by libphonenumber in the channel's region
// (numbers with a +country code are read as written) and kept only when valid.
#include <vector>

#include "phonenumbers/phonenumberutil.h"
#include "redact/detectors/detectors.h"
#include "redact/validators/phone_number.h"

namespace convault::redact {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// The lengths of the digit runs of a candidate (at most 16 are kept).
struct Groups {
  int count = 0;
  int length[16] = {};
  void Add(int size) {
    if (count < 16) length[count] = size;
    ++count;
  }
  bool Is(std::initializer_list<int> want) const {
    if (count != static_cast<int>(want.size())) return false;
    int k = 0;
    for (int w : want) {
      if (length[k++] != w) return false;
    }
    return true;
  }
};

const ContextWords& PhoneWords() {
  static const ContextWords* words =
      new ContextWords{"call",     "phone", "tel",     "mobile", "cell", "text",     "sms",
                       "whatsapp", "reach", "contact", "fax",    "dial", "my number"};
  return *words;
}

class Phone final : public Detector {
 public:
  std::string_view id() const override { return "phone"; }
  std::string_view description() const override {
    return "Telephone numbers in international (+44 20 7946 0958) or national form "
           "((415) 555-0123, 415.555.0123), read with libphonenumber in the channel's region and "
           "kept only when valid for that numbering plan.";
  }
  uint32_t needs() const override { return ScanInput::kDigits; }
  size_t min_digits() const override { return 7; }
  void Find(const ScanInput& in, const ScanContext& context,
            std::vector<Span>* out) const override {
    const auto& runs = in.runs;
    std::string_view t = in.text;
    for (size_t j = 0; j < runs.size(); ++j) {
      // The runs joined to run j by separators; the number starts at the first
      // of them. A chain longer than a phone number is some other number.
      size_t first = j;
      while (first > 0 && Separators(t, runs[first - 1].end, runs[first].start)) --first;
      size_t length = runs[j].end - runs[first].start;
      if (length < 7 || length > 20) continue;
      size_t end = runs[j].end;
      size_t start = runs[first].start;
      if (start > 0 && t[start - 1] == '+') {
        size_t s = start - 1;
        if (Accept(in, first, j, &s, &end, context)) out->push_back({s, end});
        continue;
      }
      if (start > 0 && t[start - 1] == '(' && runs[first].size() >= 2 && runs[first].size() <= 4 &&
          t[runs[first].end] == ')') {
        size_t s = start - 1;  // "(415) 555-0123"
        if (Accept(in, first, j, &s, &end, context)) {
          out->push_back({s, end});
          continue;
        }
      }
      if (Accept(in, first, j, &start, &end, context)) out->push_back({start, end});
    }
  }

 private:
  // Whether text[from, to) is 1-3 bytes of " .()-".
  static bool Separators(std::string_view t, size_t from, size_t to) {
    if (to <= from || to - from > 3) return false;
    for (size_t k = from; k < to; ++k) {
      char c = t[k];
      if (c != ' ' && c != '.' && c != '(' && c != ')' && c != '-') return false;
    }
    return true;
  }

  // The candidate text[*start, *end) holds digit runs first..last and the
  // separators between them (and perhaps a leading '+' or '(').
  static bool Accept(const ScanInput& in, size_t first, size_t last, size_t* start, size_t* end,
                     const ScanContext& context) {
    std::string_view text = in.text;
    if (!BoundaryBefore(text, *start, "+") || !BoundaryAfter(text, *end)) return false;
    // A leading '+' belongs to the number even when the match began after it.
    if (*start > 0 && text[*start - 1] == '+') --*start;
    std::string_view span = text.substr(*start, *end - *start);
    // Part of a hyphenated identifier (ORD-2024-118834): not a number on its own.
    if (*start >= 2 && text[*start - 1] == '-' && IsAlnum(text[*start - 2])) return false;
    if (*end + 1 < text.size() && text[*end] == '-' && IsAlnum(text[*end + 1])) return false;
    // Cheap shape checks first: libphonenumber parses with ICU regexes and
    // costs tens of microseconds per candidate.
    // The digit runs are those of the scan; dots can only be in the separators.
    int digits = 0, dots = 0;
    Groups groups;  // lengths of the digit runs
    for (size_t k = first; k <= last; ++k) {
      const DigitRun& r = in.runs[k];
      digits += static_cast<int>(r.size());
      groups.Add(static_cast<int>(r.size()));
      if (k < last) {
        for (size_t x = r.end; x < in.runs[k + 1].start; ++x) dots += text[x] == '.' ? 1 : 0;
      }
    }
    if (dots == 3 && groups.count == 4) return false;  // a dotted quad (IPv4)
    if (span[0] == '+') {
      if (digits < 8 || digits > 15) return false;
    } else if (context.region == "US" || context.region == "CA") {
      // North American grouping: 3-3-4 (optionally after a 1), 3-7, or one run
      // of 10 digits (11 with a leading 1), which needs a word such as "call"
      // before it: bare runs are mostly order, ticket and account numbers.
      bool grouped = groups.Is({3, 3, 4}) || groups.Is({1, 3, 3, 4}) || groups.Is({3, 7});
      bool bare = groups.Is({10}) || (groups.Is({11}) && span[0] == '1');
      if (!grouped && !(bare && ContextBefore(in, *start, PhoneWords()))) return false;
    } else if (digits < 7 || digits > 15) {
      return false;
    }
    // The country code and national number read straight from the digits
    // where that is unambiguous; libphonenumber's Parse (ICU regexes, tens of
    // microseconds) only for the rest (a national prefix, other regions).
    int code = 0;
    char national[20];
    size_t national_size = 0;
    if (!Build(span, context.region, &code, national, &national_size)) {
      const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
      PhoneNumber number;
      if (util.Parse(std::string(span), std::string(context.region), &number) !=
          PhoneNumberUtil::NO_PARSING_ERROR) {
        return false;
      }
      std::string nsn;
      util.GetNationalSignificantNumber(number, &nsn);
      if (nsn.size() > sizeof national) return false;
      code = number.country_code();
      national_size = nsn.size();
      std::copy(nsn.begin(), nsn.end(), national);
    }
    // libphonenumber's own metadata, compiled into Vectorscan once
    // (validators/phone_number.h): what IsValidNumber answers, without ICU.
    return PhoneNumberValidator::Get().IsValid(code, std::string_view(national, national_size));
  }

  // +<country code><national number>, or a North American number in the US or
  // Canada: the calling code and the national number's digits.
  static bool Build(std::string_view span, std::string_view region, int* code, char* national,
                    size_t* national_size) {
    char digits[16];
    size_t n = 0;
    for (char c : span) {
      if (IsDigit(c)) {
        if (n == sizeof digits) return false;
        digits[n++] = c;
      }
    }
    auto take = [&](size_t from) {
      std::copy(digits + from, digits + n, national);
      *national_size = n - from;
    };
    if (span[0] != '+') {
      if (region != "US" && region != "CA") return false;
      if (n == 11 && digits[0] != '1') return false;
      if (n != 10 && n != 11) return false;
      *code = 1;
      take(n - 10);
      return true;
    }
    // Country codes are prefix-free: the first 1-3 digits naming a region.
    const PhoneNumberValidator& validator = PhoneNumberValidator::Get();
    int value = 0;
    for (size_t k = 1; k <= 3 && k < n; ++k) {
      value = value * 10 + (digits[k - 1] - '0');
      if (!validator.IsCallingCode(value)) continue;
      if (digits[k] == '0') return false;  // national prefixes and leading zeros: Parse
      *code = value;
      take(k);
      return true;
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Detector> NewPhoneDetector() { return std::make_unique<Phone>(); }

}  // namespace convault::redact
