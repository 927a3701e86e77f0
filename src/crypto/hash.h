#pragma once

#include <string>
#include <string_view>

namespace convault::crypto {

// SHA-256 of `data`: 32 raw bytes.
std::string Sha256(std::string_view data);
std::string HexEncode(std::string_view bytes);

// Compares in time that depends only on the lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace convault::crypto
