#pragma once

#include <string_view>

namespace convault::redact {

// A US ABA routing number: 9 digits, a Federal Reserve prefix (00-12, 21-32,
// 61-72, 80) and the 3-7-1 checksum.
bool AbaRoutingValid(std::string_view digits);

}  // namespace convault::redact
