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
  uint32_t needs() const override { return ScanInput::kAtSigns; }
  void Find(const ScanInput& in, const ScanContext&, std::vector<Span>* out) const override {
    std::string_view t = in.text;
    for (uint32_t at : in.at_signs) {
      // The local part: as far back as its alphabet goes, not starting with '.'.
      size_t start = at;
      while (start > 0 && IsLocal(t[start - 1])) --start;
      if (start == at || t[start] == '.') continue;
      // The domain: labels of [A-Za-z0-9-] joined by single dots, ending with a
      // dot and 2-24 letters where the word ends; the longest such end wins.
      size_t best = 0;
      size_t label_start = at + 1;
      size_t i = at + 1;
      bool letters_only = true;
      while (true) {
        char c = i < t.size() ? t[i] : '\0';
        if (IsAlnum(c) || c == '-') {
          letters_only = letters_only && IsLetter(c);
          ++i;
          continue;
        }
        size_t label = i - label_start;
        if (label == 0) break;  // empty label
        if (label_start > at + 1 && letters_only && label >= 2 && label <= 24 &&
            BoundaryAfter(t, i, "-")) {
          best = i;
        }
        if (c != '.') break;
        label_start = ++i;
        letters_only = true;
      }
      if (best != 0) out->push_back({start, best});
    }
  }

 private:
  static bool IsLocal(char c) {
    return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }
};

}  // namespace

std::unique_ptr<Detector> NewEmailDetector() { return std::make_unique<Email>(); }

}  // namespace convault::redact
