#include "core/identity/user_admin.h"

#include "core/audit/audit_record.h"
#include "core/common/text.h"
#include "core/identity/auth_service.h"
#include "core/ports/clock.h"
#include "core/ports/crypto.h"
#include "core/routing/reference_data.h"

namespace civicgrid {

namespace {

constexpr std::size_t kMaxDisplayNameChars = 50;

Unexpected<Error> NoSuchUser(UserId id) {
  return Fail(ErrorCode::kNotFound, "user " + std::to_string(id) + " not found", "id");
}

bool IsValidUsername(std::string_view name) {
  if (name.size() < 2 || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status CheckDisplayName(const std::string& name) {
  if (!IsValidUtf8(name)) {
    return Fail(ErrorCode::kMalformed, "display_name is not valid UTF-8", "display_name",
                "invalid_utf8");
  }
  if (Utf8Length(name) > kMaxDisplayNameChars) {
    return Fail(ErrorCode::kInvalidArgument, "display_name is longer than 50 characters",
                "display_name");
  }
  return Status::Ok();
}

}  // namespace

UserAdminService::UserAdminService(Store& store, const Clock& clock, const Crypto& crypto,
                                   AuthService& auth, ReferenceSource reference)
    : store_(store),
      clock_(clock),
      crypto_(crypto),
      auth_(auth),
      reference_(std::move(reference)) {}

std::string UserAdminService::AuditJson(const User& u) {
  std::string s = "{\"username\":";
  AppendJsonString(s, u.username);
  s += ",\"display_name\":";
  AppendJsonString(s, u.display_name);
  s += ",\"roles\":[";
  bool first = true;
  for (int i = 0; i < kRoleCount; ++i) {
    if (!u.roles.Has(static_cast<Role>(i))) continue;
    if (!first) s += ',';
    first = false;
    AppendJsonString(s, RoleName(static_cast<Role>(i)));
  }
  s += "],\"region_id\":" + std::to_string(u.region_id);
  s += ",\"department_id\":" + std::to_string(u.department_id);
  s += std::string(",\"disabled\":") + (u.disabled ? "true" : "false");
  s += std::string(",\"must_change_password\":") + (u.must_change_password ? "true" : "false");
  s += '}';
  return s;
}

Status UserAdminService::MayAdminister(const Actor& actor) const {
  if (!actor.roles.Has(Role::kAdmin)) {
    return Fail(ErrorCode::kPermissionDenied, "only an admin may manage users");
  }
  return Status::Ok();
}

bool UserAdminService::InScope(const Actor& actor, const ReferenceData& ref,
                               RegionId region) const {
  if (actor.scope.region_id == 0 && actor.scope.department_id == 0) return true;  // city-wide
  if (actor.scope.region_level == static_cast<int>(RegionLevel::kCity)) return true;
  if (actor.scope.region_code.empty()) return false;
  const Region* r = ref.territory().Find(region);
  return r != nullptr &&
         r->code.compare(0, actor.scope.region_code.size(), actor.scope.region_code) == 0;
}

Status UserAdminService::CheckScopeFields(const Actor& actor, const ReferenceData& ref,
                                          RegionId region, DepartmentId department) const {
  if (region != 0 && ref.territory().Find(region) == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "no region " + std::to_string(region), "region_id",
                "unknown_region");
  }
  if (department != 0 && ref.FindDepartment(department) == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "no department " + std::to_string(department),
                "department_id", "unknown_department");
  }
  if (!InScope(actor, ref, region)) {
    return Fail(ErrorCode::kInvalidArgument, "the region is outside your own scope", "region_id",
                "out_of_scope");
  }
  return Status::Ok();
}

Result<UserPage> UserAdminService::List(const Actor& actor, UserQuery query) {
  if (auto s = MayAdminister(actor); !s) return s.error();
  if (query.limit < 1 || query.limit > 500) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be 1 to 500", "limit");
  }
  auto ref = reference_();
  query.region_code.clear();
  if (!InScope(actor, *ref, 0)) {
    // Not city-wide: only the users of the caller's region subtree ("" would be everyone).
    query.region_code = actor.scope.region_code.empty() ? "\x01" : actor.scope.region_code;
  }
  return store_.ListUsers(query);
}

Result<User> UserAdminService::Get(const Actor& actor, UserId id) {
  if (auto s = MayAdminister(actor); !s) return s.error();
  auto user = store_.FindUser(id);
  if (!user) return user.error();
  auto ref = reference_();
  if (!user->has_value() || !InScope(actor, *ref, (*user)->region_id)) return NoSuchUser(id);
  return std::move(**user);
}

void UserAdminService::Create(const Actor& actor, NewUser nu, UserDone done) {
  if (auto s = MayAdminister(actor); !s) return done(s.error());
  if (!IsValidUsername(nu.username)) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "username must be 2 to 64 of a-z, 0-9, '_', '.' and '-'", "username",
                     "invalid_username"));
  }
  if (auto s = CheckDisplayName(nu.display_name); !s) return done(s.error());
  if (nu.roles.empty()) {
    return done(Fail(ErrorCode::kInvalidArgument, "a user needs at least one role", "roles"));
  }
  if (auto s = CheckNewPassword(nu.password); !s) return done(s.error());
  auto ref = reference_();
  if (auto s = CheckScopeFields(actor, *ref, nu.region_id, nu.department_id); !s) {
    return done(s.error());
  }
  auto hash = crypto_.HashPassword(nu.password);
  if (!hash) return done(hash.error());
  auto user = std::make_shared<User>();
  user->username = nu.username;
  user->display_name = nu.display_name;
  user->password_hash = std::move(*hash);
  user->roles = nu.roles;
  user->region_id = nu.region_id;
  user->department_id = nu.department_id;
  user->must_change_password = true;
  AuditRecord record = AuditOf(actor, clock_.Now(), "user.create", "user", "");
  const Crypto& crypto = crypto_;
  const User initial = *user;
  store_.Submit(
      [user, initial, record, &crypto](WriteTx& tx) mutable -> Status {
        *user = initial;
        if (auto s = tx.InsertUser(*user); !s) {
          if (s.error().code == ErrorCode::kAlreadyExists ||
              s.error().message.find("UNIQUE") != std::string::npos) {
            return Fail(ErrorCode::kAlreadyExists, "the username is taken", "username",
                        "username_taken");
          }
          return s;
        }
        // InsertUser writes the columns every user has; the flag goes with the full update.
        if (auto s = tx.UpdateUser(*user); !s) return s;
        record.object_id = std::to_string(user->id);
        record.after = AuditJson(*user);
        return AppendAuditRecord(tx, crypto, record);
      },
      [user, done = std::move(done)](Status s) {
        if (!s) return done(s.error());
        done(*user);
      });
}

void UserAdminService::Modify(const Actor& actor, UserId id, std::string action,
                              std::function<Status(User&)> change, bool end_sessions,
                              UserDone done) {
  if (auto s = MayAdminister(actor); !s) return done(s.error());
  auto ref = reference_();
  auto result = std::make_shared<User>();
  AuditRecord record = AuditOf(actor, clock_.Now(), std::move(action), "user", std::to_string(id));
  const Crypto& crypto = crypto_;
  auth_.ForgetUser(id);  // and again after the commit (below): nothing read in between sticks
  store_.Submit(
      [this, actor, ref, id, record, change, end_sessions, result,
       &crypto](WriteTx& tx) mutable -> Status {
        auto found = tx.FindUser(id);
        if (!found) return found.error();
        if (!found->has_value() || !InScope(actor, *ref, (*found)->region_id)) {
          return NoSuchUser(id);
        }
        User user = **found;
        record.before = AuditJson(user);
        if (auto s = change(user); !s) return s;
        record.after = AuditJson(user);
        if (auto s = tx.UpdateUser(user); !s) return s;
        if (end_sessions) {
          if (auto s = tx.DeleteUserSessions(id); !s) return s;
        }
        *result = std::move(user);
        return AppendAuditRecord(tx, crypto, record);
      },
      [this, id, result, done = std::move(done)](Status s) {
        // Whatever changed (roles, scope, disabled, password), the next request re-reads it.
        auth_.ForgetUser(id);
        if (!s) return done(s.error());
        done(*result);
      });
}

void UserAdminService::Update(const Actor& actor, UserId id, UserChange change, UserDone done) {
  if (change.display_name) {
    if (auto s = CheckDisplayName(*change.display_name); !s) return done(s.error());
  }
  if (change.roles && change.roles->empty()) {
    return done(Fail(ErrorCode::kInvalidArgument, "a user needs at least one role", "roles"));
  }
  auto ref = reference_();
  const Actor self = actor;
  Modify(
      actor, id, "user.update",
      [this, self, ref, change](User& u) -> Status {
        if (change.display_name) u.display_name = *change.display_name;
        if (change.roles) u.roles = *change.roles;
        if (change.region_id) u.region_id = *change.region_id;
        if (change.department_id) u.department_id = *change.department_id;
        if (change.region_id || change.department_id) {
          if (auto s = CheckScopeFields(self, *ref, u.region_id, u.department_id); !s) return s;
        }
        if (u.id == self.user_id && !u.roles.Has(Role::kAdmin)) {
          return Fail(ErrorCode::kFailedPrecondition, "you may not take your own admin role",
                      "roles", "self_lockout");
        }
        return Status::Ok();
      },
      false, std::move(done));
}

void UserAdminService::SetDisabled(const Actor& actor, UserId id, bool disabled, UserDone done) {
  if (disabled && id == actor.user_id) {
    if (auto s = MayAdminister(actor); !s) return done(s.error());
    return done(Fail(ErrorCode::kFailedPrecondition, "you may not disable your own account", "id",
                     "self_lockout"));
  }
  Modify(
      actor, id, disabled ? "user.disable" : "user.enable",
      [disabled](User& u) -> Status {
        u.disabled = disabled;
        return Status::Ok();
      },
      disabled, std::move(done));
}

void UserAdminService::ResetPassword(const Actor& actor, UserId id, std::string password,
                                     UserDone done) {
  if (auto s = MayAdminister(actor); !s) return done(s.error());
  if (auto s = CheckNewPassword(password); !s) return done(s.error());
  auto hash = crypto_.HashPassword(password);
  if (!hash) return done(hash.error());
  Modify(
      actor, id, "user.password_reset",
      [hash = std::move(*hash)](User& u) -> Status {
        u.password_hash = hash;
        u.must_change_password = true;
        return Status::Ok();
      },
      true, std::move(done));
}

}  // namespace civicgrid
