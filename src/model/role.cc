#include "model/role.h"

namespace convault {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kAgent:
      return "agent";
    case Role::kBot:
      return "bot";
    case Role::kPrivacyOfficer:
      return "privacy_officer";
    case Role::kAuditor:
      return "auditor";
    case Role::kIntegration:
      return "integration";
  }
  return "unknown";
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> roles = {Role::kAdmin,   Role::kAgent,
                                          Role::kBot,     Role::kPrivacyOfficer,
                                          Role::kAuditor, Role::kIntegration};
  return roles;
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : AllRoles()) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

bool RoleSet::IsValid() const {
  uint32_t known = 0;
  for (Role r : AllRoles()) known |= static_cast<uint32_t>(r);
  return (bits_ & ~known) == 0;
}

std::vector<std::string> RoleSet::Names() const {
  std::vector<std::string> out;
  for (Role r : AllRoles()) {
    if (Has(r)) out.emplace_back(RoleName(r));
  }
  return out;
}

}  // namespace convault
