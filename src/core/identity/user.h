// A user account and a login session (bearer token; only its hash is stored).
#pragma once

#include <string>
#include <vector>

#include "core/common/time.h"
#include "core/identity/actor.h"

namespace civicgrid {

struct User {
  UserId id = 0;
  std::string username;
  std::string display_name;
  std::string password_hash;  // argon2id, libsodium string format
  RoleSet roles;
  RegionId region_id = 0;
  DepartmentId department_id = 0;
  bool disabled = false;
  // An initial or reset password: the user must choose their own before doing anything else.
  bool must_change_password = false;
};

// Users for the admin list, by descending id (keyset), within a region subtree.
struct UserQuery {
  std::string region_code;  // only users whose region's code starts with this; "" = everyone
  UserId before_id = 0;     // keyset cursor: ids below this (0: from the newest)
  int limit = 50;
};

struct UserPage {
  std::vector<User> items;
  bool has_more = false;
};

struct Session {
  std::string token_hash;  // SHA-256 hex of the bearer token
  UserId user_id = 0;
  TimeMs created_at = 0;
  TimeMs expires_at = 0;
};

}  // namespace civicgrid
