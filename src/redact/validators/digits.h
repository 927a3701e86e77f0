#pragma once

#include <string>
#include <string_view>

namespace convault::redact {

// The decimal digits of `text`, dropping the separators people type inside
// numbers (space, '-', '.', '/'). Returns false on any other character.
bool DigitsOf(std::string_view text, std::string* digits);

}  // namespace convault::redact
