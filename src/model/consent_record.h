#pragma once

#include <string>

#include "absl/time/time.h"

namespace convault {

// One line of the append-only consent ledger (DATA-MODEL.md consent_record,
// PRIVACY.md section 6); the current state is derived from the ledger.
struct ConsentRecord {
  std::string id;  // "con_..."
  std::string tenant_id;
  std::string end_user_id;
  std::string channel_id;
  std::string purpose;   // messaging | marketing | transcript_storage | analytics | bot_processing
  std::string status;    // opted_in | opted_out | implicit | double_opted_in
  std::string source;    // keyword | api | web_form | acknowledgment | import
  std::string evidence;  // JSON: e.g. {"acknowledgment_version": 3, "entry_id": "ent_..."}
  absl::Time captured_at;
  absl::Time effective_from;
};

}  // namespace convault
