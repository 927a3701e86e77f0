#pragma once

#include <string>

#include "absl/time/time.h"

namespace convault {

// One customer address on one channel (DATA-MODEL.md end_user). The personal
// fields hold sealed bytes (FieldCipher under the end user's own DEK: the
// end user id is the subject).
struct EndUser {
  std::string id;  // "eu_..."
  std::string tenant_id;
  std::string channel_id;
  std::string platform_key_sealed;
  std::string name_sealed;                 // empty when unknown
  std::string profile_picture_url_sealed;  // empty when unknown
  std::string locale;
  bool has_initial_response_sent = false;
  bool processing_restricted = false;
  bool legal_hold = false;
  absl::Time created_at;
  absl::Time updated_at;
};

}  // namespace convault
