// User administration (SPEC §1): an admin lists, creates and changes accounts, their roles and
// scope, disables them (their tokens die at once) and resets passwords. An admin whose scope
// is a region manages the users of that subtree only: others answer kNotFound, as everywhere.
// Every write appends its audit record in the same write unit.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/common/result.h"
#include "core/identity/actor.h"
#include "core/identity/user.h"
#include "core/ports/store.h"

namespace civicgrid {

class AuthService;
class Clock;
class Crypto;
class ReferenceData;

struct NewUser {
  std::string username;  // 2 to 64 of [a-z0-9_.-]
  std::string display_name;
  std::string password;  // initial: the user must change it at first login
  RoleSet roles;         // at least one
  RegionId region_id = 0;
  DepartmentId department_id = 0;
};

// The fields to change; absent ones stay.
struct UserChange {
  std::optional<std::string> display_name;
  std::optional<RoleSet> roles;
  std::optional<RegionId> region_id;
  std::optional<DepartmentId> department_id;
};

class UserAdminService {
 public:
  using ReferenceSource = std::function<std::shared_ptr<const ReferenceData>()>;
  using UserDone = std::function<void(Result<User>)>;

  UserAdminService(Store& store, const Clock& clock, const Crypto& crypto, AuthService& auth,
                   ReferenceSource reference);

  Result<UserPage> List(const Actor& actor, UserQuery query);
  Result<User> Get(const Actor& actor, UserId id);
  // Hashes the password (argon2id): call it off the I/O threads.
  void Create(const Actor& actor, NewUser user, UserDone done);
  void Update(const Actor& actor, UserId id, UserChange change, UserDone done);
  void SetDisabled(const Actor& actor, UserId id, bool disabled, UserDone done);
  // Sets a new initial password (argon2id: off the I/O threads) and ends the user's sessions.
  void ResetPassword(const Actor& actor, UserId id, std::string password, UserDone done);

  // The audited fields of a user as compact JSON (never the password hash).
  static std::string AuditJson(const User& u);

 private:
  // Checks role and scope; the user row when the caller may manage it.
  Status MayAdminister(const Actor& actor) const;
  bool InScope(const Actor& actor, const ReferenceData& ref, RegionId region) const;
  Status CheckScopeFields(const Actor& actor, const ReferenceData& ref, RegionId region,
                          DepartmentId department) const;
  // Runs `change` on the stored user inside a write unit, with scope check and audit record.
  void Modify(const Actor& actor, UserId id, std::string action,
              std::function<Status(User&)> change, bool end_sessions, UserDone done);

  Store& store_;
  const Clock& clock_;
  const Crypto& crypto_;
  AuthService& auth_;
  ReferenceSource reference_;
};

}  // namespace civicgrid
