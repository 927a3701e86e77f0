#include "redact/validators/payment_card.h"

namespace convault::redact {
namespace {

int Prefix(std::string_view d, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n && i < d.size(); ++i) v = v * 10 + (d[i] - '0');
  return v;
}

bool KnownIssuerAndLength(std::string_view d) {
  size_t n = d.size();
  int p1 = Prefix(d, 1), p2 = Prefix(d, 2), p3 = Prefix(d, 3), p4 = Prefix(d, 4);
  if (p1 == 4) return n == 13 || n == 16 || n == 19;                                 // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n == 16;          // Mastercard
  if (p2 == 34 || p2 == 37) return n == 15;                                          // Amex
  if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65) return n >= 16;            // Discover
  if (p4 >= 3528 && p4 <= 3589) return n >= 16;                                      // JCB
  if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) return n >= 14;  // Diners
  if (p2 == 62) return n >= 16;                                                      // UnionPay
  if (p2 == 50 || (p2 >= 56 && p2 <= 69)) return n >= 12;                            // Maestro
  return false;
}

}  // namespace

bool LuhnValid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool twice = false;
  for (size_t i = digits.size(); i-- > 0;) {
    char c = digits[i];
    if (c < '0' || c > '9') return false;
    int d = c - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool PaymentCardValid(std::string_view digits) {
  if (digits.size() < 12 || digits.size() > 19) return false;
  return KnownIssuerAndLength(digits) && LuhnValid(digits);
}

}  // namespace convault::redact
