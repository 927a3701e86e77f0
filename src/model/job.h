#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace convault {

// A background job of a tenant (GET /v1/jobs/{id}). `cursor` is where a
// resumable job continues after a restart.
struct Job {
  std::string id;  // "job_..."
  std::string tenant_id;
  std::string kind;    // "reapply"
  std::string status;  // running | completed | failed
  std::string cursor;
  int64_t scanned = 0;
  int64_t changed = 0;
  int64_t target_version = 0;  // reapply: the rule-set version applied
  std::string error;           // failed: why (no personal data)
  absl::Time created_at;
  absl::Time updated_at;
};

}  // namespace convault
