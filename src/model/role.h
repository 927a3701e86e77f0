#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace convault {

// API key roles (API.md). The numeric values are bits stored on disk: never
// renumber them.
enum class Role : uint32_t {
  kAdmin = 1,
  kAgent = 2,
  kBot = 4,
  kPrivacyOfficer = 8,
  kAuditor = 16,
  kIntegration = 32,
};

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
const std::vector<Role>& AllRoles();

// A set of roles, stored as the OR of their bits.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr explicit RoleSet(uint32_t bits) : bits_(bits) {}
  RoleSet(std::initializer_list<Role> roles) {
    for (Role r : roles) Add(r);
  }

  void Add(Role r) { bits_ |= static_cast<uint32_t>(r); }
  bool Has(Role r) const { return (bits_ & static_cast<uint32_t>(r)) != 0; }
  bool HasAny(RoleSet other) const { return (bits_ & other.bits_) != 0; }
  bool empty() const { return bits_ == 0; }
  uint32_t bits() const { return bits_; }
  // True when every bit is a known role.
  bool IsValid() const;
  std::vector<std::string> Names() const;

  friend bool operator==(RoleSet a, RoleSet b) { return a.bits_ == b.bits_; }

 private:
  uint32_t bits_ = 0;
};

}  // namespace convault
