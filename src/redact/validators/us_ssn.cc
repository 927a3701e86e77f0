#include "redact/validators/us_ssn.h"

namespace convault::redact {
namespace {
bool NineDigits(std::string_view d) {
  if (d.size() != 9) return false;
  for (char c : d) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}
int Num(std::string_view d, size_t from, size_t n) {
  int v = 0;
  for (size_t i = from; i < from + n; ++i) v = v * 10 + (d[i] - '0');
  return v;
}
}  // namespace

bool UsSsnValid(std::string_view d) {
  if (!NineDigits(d)) return false;
  int area = Num(d, 0, 3), group = Num(d, 3, 2), serial = Num(d, 5, 4);
  if (area == 0 || area == 666 || area >= 900) return false;
  if (group == 0 || serial == 0) return false;
  if (d == "078051120" || d == "219099999") return false;
  return true;
}

bool UsItinValid(std::string_view d) {
  if (!NineDigits(d) || d[0] != '9') return false;
  int group = Num(d, 3, 2);
  return (group >= 50 && group <= 65) || (group >= 70 && group <= 88) ||
         (group >= 90 && group <= 92) || (group >= 94 && group <= 99);
}

}  // namespace convault::redact
