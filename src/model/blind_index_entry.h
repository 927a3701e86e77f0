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
  // The normalized value, sealed under the subject's DEK (identifiers found in
  // texts, whose stored text may be masked); empty where the field itself can
  // be opened and compared (end user platform key and name).
  std::string value_sealed = {};
};

}  // namespace convault
