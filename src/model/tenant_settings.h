#pragma once

#include <string>

namespace convault {

// Per-tenant settings (API.md GET/PATCH /v1/settings).
struct TenantSettings {
  bool hipaa_mode = false;            // non-eligible channels cannot be created or enabled
  std::string default_region = "US";  // ISO country for national phone numbers
  int default_retention_days = 365;
  int erase_due_days = 30;
};

}  // namespace convault
