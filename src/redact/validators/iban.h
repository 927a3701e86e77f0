#pragma once

#include <string_view>

namespace convault::redact {

// An IBAN without spaces, upper case: a known country code, that country's
// length, and the ISO 7064 mod-97 check (remainder 1).
bool IbanValid(std::string_view compact);

}  // namespace convault::redact
