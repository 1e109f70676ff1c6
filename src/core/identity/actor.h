// Who is acting: the authenticated user with roles and scope, as the use cases see them.
#pragma once

#include <cstdint>
#include <string>

#include "core/identity/role.h"

namespace civicgrid {

using UserId = std::int64_t;
using RegionId = std::int64_t;
using DepartmentId = std::int64_t;

// A user's scope: a region subtree (0 = none) and/or a department (0 = none). A user with
// neither and no admin/leader role sees nothing but what they reported.
struct Scope {
  RegionId region_id = 0;
  std::string region_code;  // code prefix of the subtree, e.g. "210102001"
  int region_level = 0;     // RegionLevel of region_id
  DepartmentId department_id = 0;
};

struct Actor {
  UserId user_id = 0;
  std::string username;
  std::string display_name;
  RoleSet roles;
  Scope scope;
  std::string remote_address;
  bool must_change_password = false;  // only the password change and logout are open to them
};

}  // namespace civicgrid
