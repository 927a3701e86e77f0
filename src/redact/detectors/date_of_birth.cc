// date_of_birth: calendar dates only after words such as "born" or "DOB".
#include "redact/detectors/detectors.h"
#include "redact/detectors/numeric.h"

namespace convault::redact {
namespace {

const ContextWords& BirthWords() {
  static const ContextWords* words =
      new ContextWords{"born", "dob", "d.o.b", "date of birth", "birthday", "birth date"};
  return *words;
}

int Num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// Reads D/M/Y, M/D/Y or Y-M-D numerically; true when some reading is a real date.
bool PlausibleDate(std::string_view s) {
  std::string_view parts[3];
  size_t count = 0, from = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '/' || s[i] == '-' || s[i] == '.') {
      if (count == 3) return false;
      parts[count++] = s.substr(from, i - from);
      from = i + 1;
    }
  }
  if (count != 3) return false;
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
  uint32_t needs() const override { return ScanInput::kDigits; }
  size_t min_digits() const override { return 4; }
  uint32_t requires_words() const override { return ScanInput::kBirthWord; }
  void Find(const ScanInput& in, const ScanContext&, std::vector<Span>* out) const override {
    const auto& runs = in.runs;
    std::string_view t = in.text;
    for (size_t i = 0; i < runs.size(); ++i) {
      const DigitRun& r = runs[i];
      size_t n = runs.size();
      auto in_range = [](uint32_t v, uint32_t lo, uint32_t hi) { return v >= lo && v <= hi; };
      // 03/14/1985, 14.03.85, 1985-03-14
      if (i + 2 < n && JoinedBy(in, i, "/.-") && JoinedBy(in, i + 1, "/.-")) {
        bool dmy = in_range(r.size(), 1, 2) && in_range(runs[i + 1].size(), 1, 2) &&
                   in_range(runs[i + 2].size(), 2, 4);
        bool ymd = r.size() == 4 && in_range(runs[i + 1].size(), 1, 2) &&
                   in_range(runs[i + 2].size(), 1, 2) && t[r.end] == '-' &&
                   t[runs[i + 1].end] == '-';
        if ((dmy || ymd) && Accept(in, r.start, runs[i + 2].end, true)) {
          out->push_back({r.start, runs[i + 2].end});
        }
      }
      if (!in_range(r.size(), 1, 2) || i + 1 >= n || runs[i + 1].size() != 4) continue;
      size_t year = runs[i + 1].start;
      // "14 March 1985", "14th March, 1985"
      size_t at = SkipOrdinal(t, r.end);
      if (at < t.size() && t[at] == ' ') {
        size_t word_end = MonthWordAt(t, at + 1);
        if (word_end != 0 && YearFollows(t, word_end, year) &&
            Accept(in, r.start, runs[i + 1].end, false)) {
          out->push_back({r.start, runs[i + 1].end});
        }
      }
      // "March 14, 1985", "Mar. 14th 1985"
      at = SkipOrdinal(t, r.end);
      if (at < t.size() && t[at] == ',') ++at;
      if (at + 1 == year && t[at] == ' ' && r.start >= 2 && t[r.start - 1] == ' ') {
        size_t word_end = r.start - 1;
        if (t[word_end - 1] == '.') --word_end;
        size_t word_start = word_end;
        while (word_start > 0 && IsLetter(t[word_start - 1])) --word_start;
        if (word_start < word_end && MonthWordAt(t, word_start) == word_end &&
            Accept(in, word_start, runs[i + 1].end, false)) {
          out->push_back({word_start, runs[i + 1].end});
        }
      }
    }
  }

 private:
  // After the day: an optional st, nd, rd or th.
  static size_t SkipOrdinal(std::string_view t, size_t at) {
    if (at + 2 > t.size()) return at;
    char a = static_cast<char>(t[at] | 0x20), b = static_cast<char>(t[at + 1] | 0x20);
    bool ordinal = (a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
                   (a == 't' && b == 'h');
    return ordinal ? at + 2 : at;
  }
  // If a month name (any case, any length from its three-letter prefix) starts
  // at `at`, where its letters end; else 0.
  static size_t MonthWordAt(std::string_view t, size_t at) {
    static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};
    if (at + 3 > t.size()) return 0;
    char prefix[3];
    for (int k = 0; k < 3; ++k) prefix[k] = static_cast<char>(t[at + k] | 0x20);
    std::string_view p(prefix, 3);
    bool month = false;
    for (std::string_view m : kMonths) month = month || p == m;
    if (!month) return 0;
    size_t end = at;
    while (end < t.size() && IsLetter(t[end])) ++end;
    return end;
  }
  // After a month word: an optional '.', an optional ',', one space, and the year run.
  static bool YearFollows(std::string_view t, size_t at, size_t year) {
    if (at < t.size() && t[at] == '.') ++at;
    if (at < t.size() && t[at] == ',') ++at;
    return at + 1 == year && t[at] == ' ';
  }
  static bool Accept(const ScanInput& in, size_t start, size_t end, bool numeric) {
    std::string_view text = in.text;
    if (!BoundaryBefore(text, start) || !BoundaryAfter(text, end)) return false;
    if (numeric && !PlausibleDate(text.substr(start, end - start))) return false;
    return ContextBefore(in, start, BirthWords());
  }
};

}  // namespace

std::unique_ptr<Detector> NewDateOfBirthDetector() { return std::make_unique<DateOfBirth>(); }

}  // namespace convault::redact
