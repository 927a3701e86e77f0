// The engine over any message text, with every built-in detector: never a
// crash, findings always inside the input and on character boundaries.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "redact/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto policy =
      *convault::redact::Policy::Compile(*convault::redact::RulesForDetectors({"all"}));
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = policy->Redact(text, {});
  if (!result.ok()) __builtin_trap();
  size_t last_end = 0;
  for (const auto& f : result->findings) {
    if (f.start >= f.end || f.end > size || f.start < last_end) __builtin_trap();
    last_end = f.end;
  }
  return 0;
}
