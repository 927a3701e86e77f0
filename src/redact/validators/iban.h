#pragma once

#include <string_view>

namespace convault::redact {

// An IBAN without spaces, upper case: a known country code, that country's
// length, and the ISO 7064 mod-97 check (remainder 1).
bool IbanValid(std::string_view compact);

// The length of an IBAN of `country` (two capitals), or 0 for a country
// without IBANs.
int IbanLength(std::string_view country);

}  // namespace convault::redact
