#include "redact/validators/digits.h"

namespace convault::redact {

bool DigitsOf(std::string_view text, std::string* digits) {
  digits->clear();
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digits->push_back(c);
    } else if (c != ' ' && c != '-' && c != '.' && c != '/') {
      return false;
    }
  }
  return true;
}

}  // namespace convault::redact
