// Custom rule patterns come from administrators: validating and compiling
// any text must answer with an error or a working set, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "redact/pattern_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string regex(reinterpret_cast<const char*>(data), size);
  if (!convault::redact::ValidateCustomPattern(regex).ok()) return 0;
  auto set = convault::redact::PatternSet::Compile({{regex, 1}});
  if (!set.ok()) __builtin_trap();  // validated patterns must compile
  (void)(*set)->Scan("card 4111 1111 1111 1111, ssn 123-45-6789, \xff\xfe",
                     [](unsigned, size_t start, size_t end) {
                       if (start > end) __builtin_trap();
                     });
  return 0;
}
