#pragma once

#include <string_view>

namespace convault::redact {

// Luhn (mod 10) over a string of digits.
bool LuhnValid(std::string_view digits);

// Whether a 12-19 digit number belongs to a known card network whose numbers
// have that length (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay,
// Maestro), and passes Luhn.
bool PaymentCardValid(std::string_view digits);

}  // namespace convault::redact
