#include "redact/validators/aba_routing.h"

namespace convault::redact {

bool AbaRoutingValid(std::string_view d) {
  if (d.size() != 9) return false;
  int n[9];
  for (int i = 0; i < 9; ++i) {
    if (d[i] < '0' || d[i] > '9') return false;
    n[i] = d[i] - '0';
  }
  int prefix = n[0] * 10 + n[1];
  bool fed = prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) ||
             prefix == 80;
  if (!fed) return false;
  int sum = 3 * (n[0] + n[3] + n[6]) + 7 * (n[1] + n[4] + n[7]) + (n[2] + n[5] + n[8]);
  return sum % 10 == 0 && d != "000000000";
}

}  // namespace convault::redact
