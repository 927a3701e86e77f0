// Request bodies: JSON parsing with limits, then the typed field readers.
#include <cstddef>
#include <cstdint>

#include "api/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  convault::HttpRequest request;
  request.headers.emplace_back("content-type", "application/json");
  request.body.assign(reinterpret_cast<const char*>(data), size);
  auto body = convault::ParseJsonObject(request);
  if (!body.ok()) return 0;
  convault::JsonFields fields(*body);
  fields.RejectUnknown({"name", "roles"});
  fields.RequiredString("name", 1, 200);
  fields.OptionalString("description", 0, 1000);
  fields.RequiredStringArray("roles", 16, 64);
  (void)fields.Finish();
  (void)convault::DumpJson(*body);
  return 0;
}
