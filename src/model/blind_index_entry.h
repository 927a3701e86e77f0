#pragma once

#include <cstdint>
#include <string>

namespace convault {

// One blind-index token pointing at the encrypted field it was computed from.
struct BlindIndexEntry {
  std::string tenant_id;
  std::string index_name;  // "platform_key", "email", "phone", "name", ...
  uint64_t token = 0;
  std::string object_type;
  std::string object_id;
  std::string field;
  std::string subject_id;  // the end user, for erasure; may be empty
};

}  // namespace convault
