#pragma once

#include <string_view>

#include "absl/strings/string_view.h"

namespace convault {

// Debian's Abseil is built with its own absl::string_view (not an alias of
// std::string_view). These convert between the two without copying, for the
// places where our std::string_view meets an Abseil API.
inline absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view StdSv(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace convault
