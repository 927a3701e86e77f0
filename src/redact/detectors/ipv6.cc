// ipv6: IPv6 addresses in full or compressed form, checked with inet_pton.
#include <arpa/inet.h>

#include "redact/detectors/detectors.h"

namespace convault::redact {
namespace {

class Ipv6 final : public Detector {
 public:
  std::string_view id() const override { return "ipv6"; }
  std::string_view description() const override {
    return "IPv6 addresses, full (2001:0db8:85a3:0000:0000:8a2e:0370:7334) or compressed "
           "(2001:db8::1, ::1), accepted when the system parser reads them.";
  }
  uint32_t needs() const override { return ScanInput::kColons; }
  void Find(const ScanInput& in, const ScanContext&, std::vector<Span>* out) const override {
    std::string_view t = in.text;
    size_t done = 0;  // end of the last region looked at
    for (uint32_t colon : in.colons) {
      if (colon < done) continue;
      // The maximal run of hex digits and colons around this colon.
      size_t start = colon, end = colon + 1;
      while (start > 0 && (IsHex(t[start - 1]) || t[start - 1] == ':')) --start;
      while (end < t.size() && (IsHex(t[end]) || t[end] == ':')) ++end;
      done = end;
      if (Accept(t, start, end)) out->push_back({start, end});
    }
  }

 private:
  static bool IsHex(char c) {
    return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
  static bool Accept(std::string_view text, size_t start, size_t end) {
    if (!BoundaryBefore(text, start, ":") || !BoundaryAfter(text, end, ":")) return false;
    std::string_view span = text.substr(start, end - start);
    if (span.size() < 3 || span.size() > 39) return false;
    size_t colons = 0;
    for (char c : span) colons += c == ':' ? 1 : 0;
    // Clock times (10:30:00) are not addresses: demand "::" or all eight groups.
    if (span.find("::") == std::string_view::npos && colons != 7) return false;
    char buf[40];
    span.copy(buf, span.size());
    buf[span.size()] = '\0';
    in6_addr addr;
    return inet_pton(AF_INET6, buf, &addr) == 1;
  }
};

}  // namespace

std::unique_ptr<Detector> NewIpv6Detector() { return std::make_unique<Ipv6>(); }

}  // namespace convault::redact
