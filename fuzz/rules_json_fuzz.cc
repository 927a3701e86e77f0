// Rule files and API bodies: parsing any bytes answers with rules or an error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "redact/rules_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)convault::redact::ParseRulesJson(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
