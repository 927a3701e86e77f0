// ipv4: dotted quads with every octet at most 255, not part of a longer
// dotted number (versions such as 1.2.3.4.5 are left alone).
#include "redact/detectors/detectors.h"
#include "redact/detectors/numeric.h"

namespace convault::redact {
namespace {

class Ipv4 final : public Detector {
 public:
  std::string_view id() const override { return "ipv4"; }
  std::string_view description() const override {
    return "IPv4 addresses in dotted-quad form, every part 0-255, not inside a longer dotted "
           "number.";
  }
  uint32_t needs() const override { return ScanInput::kDigits; }
  size_t min_digits() const override { return 4; }
  void Find(const ScanInput& in, const ScanContext&, std::vector<Span>* out) const override {
    const auto& runs = in.runs;
    for (size_t i = 0; i + 3 < runs.size(); ++i) {
      bool shaped = true;
      for (size_t k = i; k < i + 4 && shaped; ++k) {
        shaped = runs[k].size() <= 3 && (k == i + 3 || JoinedBy(in, k, "."));
      }
      if (shaped && Accept(in.text, runs[i].start, runs[i + 3].end)) {
        out->push_back({runs[i].start, runs[i + 3].end});
      }
    }
  }

 private:
  static bool Accept(std::string_view text, size_t start, size_t end) {
    if (!BoundaryBefore(text, start)) return false;
    if (start > 0 && text[start - 1] == '.') return false;
    if (!BoundaryAfter(text, end)) return false;
    if (end + 1 < text.size() && text[end] == '.' && IsDigit(text[end + 1])) return false;
    int part = 0;
    for (char c : text.substr(start, end - start)) {
      if (c == '.') {
        if (part > 255) return false;
        part = 0;
      } else {
        part = part * 10 + (c - '0');
      }
    }
    return part <= 255;
  }
};

}  // namespace

std::unique_ptr<Detector> NewIpv4Detector() { return std::make_unique<Ipv4>(); }

}  // namespace convault::redact
