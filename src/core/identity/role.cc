#include "core/identity/role.h"

#include <array>

namespace civicgrid {

namespace {
constexpr std::array<std::string_view, kRoleCount> kRoleNames = {
    "citizen",         "grid_worker",      "operator",    "dispatcher",
    "handler",         "street_lead",      "leader",      "mediator",
    "police_clerk",    "prosecutor_clerk", "court_clerk", "custodian",
    "finance_officer", "lawyer",           "auditor",     "admin",
};
}  // namespace

std::string_view RoleName(Role r) { return kRoleNames[static_cast<std::size_t>(r)]; }

std::optional<Role> RoleFromName(std::string_view name) {
  for (std::size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  }
  return std::nullopt;
}

}  // namespace civicgrid
