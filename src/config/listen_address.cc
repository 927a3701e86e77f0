#include "config/listen_address.h"

#include "absl/strings/numbers.h"
#include "common/strings.h"

namespace convault {

absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view text) {
  ListenAddress out;
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return absl::InvalidArgumentError("expected [IPV6]:PORT");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return absl::InvalidArgumentError("expected HOST:PORT");
    host = text.substr(0, colon);
    if (host.find(':') != std::string_view::npos) {
      return absl::InvalidArgumentError("IPv6 addresses must be written [ADDR]:PORT");
    }
    port = text.substr(colon + 1);
  }
  uint32_t p = 0;
  if (!absl::SimpleAtoi(Sv(port), &p) || p > 65535) {
    return absl::InvalidArgumentError("port must be a number from 0 to 65535");
  }
  out.host = host.empty() ? "0.0.0.0" : std::string(host);
  out.port = static_cast<uint16_t>(p);
  return out;
}

}  // namespace convault
