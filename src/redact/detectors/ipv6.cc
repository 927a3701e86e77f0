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
  std::vector<std::string> patterns() const override {
    return {R"([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})"};
  }
  bool Accept(std::string_view text, size_t* start, size_t* end,
              const ScanContext&) const override {
    if (!BoundaryBefore(text, *start, ":") || !BoundaryAfter(text, *end, ":")) return false;
    std::string span(text.substr(*start, *end - *start));
    size_t colons = 0;
    for (char c : span) colons += c == ':' ? 1 : 0;
    // Clock times (10:30:00) are not addresses: demand "::" or all eight groups.
    if (span.find("::") == std::string::npos && colons != 7) return false;
    if (span.size() < 3) return false;
    in6_addr addr;
    return inet_pton(AF_INET6, span.c_str(), &addr) == 1;
  }
};

}  // namespace

std::unique_ptr<Detector> NewIpv6Detector() { return std::make_unique<Ipv6>(); }

}  // namespace convault::redact
