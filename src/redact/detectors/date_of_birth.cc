// date_of_birth: calendar dates only after words such as "born" or "DOB".
#include "redact/detectors/detectors.h"

namespace convault::redact {
namespace {

int Num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// Reads D/M/Y, M/D/Y or Y-M-D numerically; true when some reading is a real date.
bool PlausibleDate(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t from = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '/' || s[i] == '-' || s[i] == '.') {
      parts.push_back(s.substr(from, i - from));
      from = i + 1;
    }
  }
  if (parts.size() != 3) return false;
  auto ok = [](int y, int m, int d) { return y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31; };
  if (parts[0].size() == 4) return ok(Num(parts[0]), Num(parts[1]), Num(parts[2]));
  int a = Num(parts[0]), b = Num(parts[1]), y = Num(parts[2]);
  return ok(y, a, b) || ok(y, b, a);
}

class DateOfBirth final : public Detector {
 public:
  std::string_view id() const override { return "date_of_birth"; }
  std::string_view description() const override {
    return "Dates of birth: numeric dates (03/14/1985, 1985-03-14, 14.03.85) or written ones "
           "(March 14, 1985; 14 March 1985), only within 40 bytes after \"born\", \"DOB\", "
           "\"date of birth\" or \"birthday\".";
  }
  std::vector<std::string> patterns() const override {
    return {
        R"(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4})", R"(\d{4}-\d{1,2}-\d{1,2})",
        R"((?i)(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4})",
        R"((?i)\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,? \d{4})"};
  }
  bool Accept(std::string_view text, size_t* start, size_t* end,
              const ScanContext&) const override {
    if (!BoundaryBefore(text, *start) || !BoundaryAfter(text, *end)) return false;
    std::string_view span = text.substr(*start, *end - *start);
    bool numeric = span[0] >= '0' && span[0] <= '9' &&
                   span.find_first_of("/.-") != std::string_view::npos &&
                   span.find(' ') == std::string_view::npos;
    if (numeric && !PlausibleDate(span)) return false;
    return ContextBefore(text, *start,
                         {"born", "dob", "d.o.b", "date of birth", "birthday", "birth date"});
  }
};

}  // namespace

std::unique_ptr<Detector> NewDateOfBirthDetector() { return std::make_unique<DateOfBirth>(); }

}  // namespace convault::redact
