// ipv4: dotted quads with every octet at most 255, not part of a longer
// dotted number (versions such as 1.2.3.4.5 are left alone).
#include "redact/detectors/detectors.h"

namespace convault::redact {
namespace {

class Ipv4 final : public Detector {
 public:
  std::string_view id() const override { return "ipv4"; }
  std::string_view description() const override {
    return "IPv4 addresses in dotted-quad form, every part 0-255, not inside a longer dotted "
           "number.";
  }
  std::vector<std::string> patterns() const override {
    return {R"(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})"};
  }
  bool Accept(std::string_view text, size_t* start, size_t* end,
              const ScanContext&) const override {
    if (!BoundaryBefore(text, *start)) return false;
    if (*start > 0 && text[*start - 1] == '.') return false;
    if (!BoundaryAfter(text, *end)) return false;
    if (*end + 1 < text.size() && text[*end] == '.' && text[*end + 1] >= '0' &&
        text[*end + 1] <= '9') {
      return false;
    }
    int part = 0, digits = 0;
    for (char c : text.substr(*start, *end - *start)) {
      if (c == '.') {
        if (digits == 0 || part > 255) return false;
        part = 0;
        digits = 0;
      } else {
        part = part * 10 + (c - '0');
        ++digits;
      }
    }
    return digits > 0 && part <= 255;
  }
};

}  // namespace

std::unique_ptr<Detector> NewIpv4Detector() { return std::make_unique<Ipv4>(); }

}  // namespace convault::redact
