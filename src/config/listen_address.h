#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace convault {

struct ListenAddress {
  std::string host;   // numeric IPv4/IPv6 address or "localhost"
  uint16_t port = 0;  // 0 asks the OS for a free port
};

// Parses "HOST:PORT", "[IPv6]:PORT" or ":PORT" (all interfaces).
absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view text);

}  // namespace convault
