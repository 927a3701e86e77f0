#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace convault {

// An isolated organization. Every other row belongs to exactly one tenant.
struct Tenant {
  std::string id;    // "ten_..."
  std::string name;  // unique, [a-z0-9][a-z0-9-]{0,62}
  absl::Time created_at;
};

inline constexpr std::string_view kDefaultTenantName = "default";

// OK when `name` is a valid tenant name; otherwise says why (no personal data).
absl::Status ValidateTenantName(std::string_view name);

}  // namespace convault
