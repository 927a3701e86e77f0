#pragma once

#include <string_view>

namespace convault::redact {

// A US Social Security number as 9 digits: area not 000, 666 or 900-999,
// group not 00, serial not 0000, and not one of the numbers published in
// advertising (078-05-1120, 219-09-9999).
bool UsSsnValid(std::string_view digits);

// A US ITIN as 9 digits: area 9xx, group 50-65, 70-88, 90-92 or 94-99.
bool UsItinValid(std::string_view digits);

}  // namespace convault::redact
