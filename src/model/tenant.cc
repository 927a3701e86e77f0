#include "model/tenant.h"

namespace convault {

absl::Status ValidateTenantName(std::string_view name) {
  if (name.empty() || name.size() > 63) {
    return absl::InvalidArgumentError("tenant name must be 1 to 63 characters");
  }
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
    if (!ok) {
      return absl::InvalidArgumentError("tenant name may hold only a-z, 0-9 and '-' (not first)");
    }
  }
  return absl::OkStatus();
}

}  // namespace convault
