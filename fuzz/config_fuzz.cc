// convault.toml text and listen addresses.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  convault::Config config;
  (void)convault::ApplyConfigText(config, text, "fuzz.toml");
  (void)convault::ParseListenAddress(text);
  return 0;
}
