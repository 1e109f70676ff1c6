#include "core/identity/auth_service.h"

#include <algorithm>

#include "core/audit/audit_record.h"
#include "core/common/text.h"
#include "core/ports/clock.h"
#include "core/ports/crypto.h"
#include "core/routing/reference_data.h"

namespace civicgrid {

namespace {
constexpr std::size_t kMaxCachedSessions = 100000;
constexpr std::size_t kMaxTrackedNames = 100000;
constexpr std::size_t kMaxCredentialBytes = 256;
constexpr std::size_t kMinPasswordBytes = 8;
constexpr std::size_t kMaxPasswordBytes = 128;

Unexpected<Error> BadCredentials() {
  return Fail(ErrorCode::kUnauthenticated, "wrong username or password", "", "invalid_credentials");
}

std::string MustChangeJson(bool must_change) {
  return std::string("{\"must_change_password\":") + (must_change ? "true" : "false") + "}";
}
}  // namespace

Status CheckNewPassword(std::string_view password) {
  if (!IsValidUtf8(password)) {
    return Fail(ErrorCode::kMalformed, "the password is not valid UTF-8", "password",
                "invalid_utf8");
  }
  if (password.size() < kMinPasswordBytes || password.size() > kMaxPasswordBytes) {
    return Fail(ErrorCode::kInvalidArgument, "a password must be 8 to 128 bytes long", "password",
                "weak_password");
  }
  return Status::Ok();
}

AuthService::AuthService(Store& store, const Clock& clock, const Crypto& crypto,
                         ReferenceSource reference, TimeMs token_lifetime_ms, LockoutPolicy lockout)
    : store_(store),
      clock_(clock),
      crypto_(crypto),
      reference_(std::move(reference)),
      token_lifetime_ms_(token_lifetime_ms),
      lockout_(lockout) {}

Actor AuthService::ActorOf(const User& user) const {
  Actor a;
  a.user_id = user.id;
  a.username = user.username;
  a.display_name = user.display_name;
  a.roles = user.roles;
  a.must_change_password = user.must_change_password;
  a.scope.department_id = user.department_id;
  a.scope.region_id = user.region_id;
  if (user.region_id != 0) {
    auto ref = reference_();
    if (const Region* r = ref->territory().Find(user.region_id); r != nullptr) {
      a.scope.region_code = r->code;
      a.scope.region_level = static_cast<int>(r->level);
    }
  }
  return a;
}

TimeMs AuthService::LockedForMs(std::string_view username) {
  const TimeMs now = clock_.Now();
  std::lock_guard lock(mu_);
  auto it = failures_.find(std::string(username));
  if (it == failures_.end() || it->second.locked_until <= now) return 0;
  return it->second.locked_until - now;
}

bool AuthService::RecordFailure(const std::string& username, TimeMs now) {
  std::lock_guard lock(mu_);
  if (failures_.size() >= kMaxTrackedNames && failures_.find(username) == failures_.end()) {
    // Forget names whose lock has run out before giving up on tracking.
    std::erase_if(failures_, [now](const auto& kv) { return kv.second.locked_until <= now; });
    if (failures_.size() >= kMaxTrackedNames) failures_.clear();
  }
  Failures& f = failures_[username];
  ++f.count;
  if (f.count < lockout_.max_failures) return false;
  const int doublings = std::min(f.count - lockout_.max_failures, 20);
  const TimeMs lock_ms = std::min(lockout_.max_lock_ms, lockout_.first_lock_ms << doublings);
  f.locked_until = now + lock_ms;
  return true;
}

void AuthService::Login(std::string_view username, std::string_view password,
                        std::string remote_address, LoginDone done) {
  if (username.empty() || password.empty() || username.size() > kMaxCredentialBytes ||
      password.size() > kMaxCredentialBytes) {
    return done(BadCredentials());
  }
  const std::string name(username);
  const TimeMs start = clock_.Now();
  if (TimeMs locked = LockedForMs(name); locked > 0) {
    return done(Fail(ErrorCode::kResourceExhausted,
                     "too many failed logins: try again in " +
                         std::to_string((locked + 999) / 1000) + " seconds",
                     "username", "account_locked"));
  }
  auto user = store_.FindUserByName(username);
  if (!user) return done(user.error());
  bool ok = false;
  if (!user->has_value()) {
    // Spend the same time as a real check so that timing does not reveal which names exist.
    static const std::string dummy = crypto_.HashPassword("not-a-password").value();
    (void)crypto_.VerifyPassword(dummy, password);
  } else {
    ok = crypto_.VerifyPassword((*user)->password_hash, password) && !(*user)->disabled;
  }
  if (!ok) {
    if (RecordFailure(name, start)) {
      // The lock engages: record it (who tried, from where), without waiting for the commit.
      Actor attempt;
      attempt.user_id = user->has_value() ? (*user)->id : 0;
      attempt.username = name;
      attempt.remote_address = remote_address;
      TimeMs until = start + LockedForMs(name);
      AuditRecord r = AuditOf(attempt, start, "auth.lockout", "user", name);
      r.after = "{\"locked_until\":" + std::to_string(until) + "}";
      const Crypto& crypto = crypto_;
      store_.Submit([r, &crypto](WriteTx& tx) { return AppendAuditRecord(tx, crypto, r); },
                    [](Status) {});
    }
    return done(BadCredentials());
  }
  {
    std::lock_guard lock(mu_);
    failures_.erase(name);
  }
  Actor actor = ActorOf(**user);
  actor.remote_address = std::move(remote_address);
  StartSession(**user, actor, "auth.login", "", false, nullptr, std::move(done));
}

void AuthService::StartSession(const User& user, const Actor& actor, std::string action,
                               std::string ended_token_hash, bool end_all_sessions,
                               const User* password_change, LoginDone done) {
  auto result = std::make_shared<LoginResult>();
  result->token = crypto_.RandomToken();
  result->user = password_change != nullptr ? *password_change : user;
  const TimeMs now = clock_.Now();
  result->expires_at = now + token_lifetime_ms_;
  Session session{crypto_.Sha256Hex(result->token), user.id, now, result->expires_at};
  AuditRecord record = AuditOf(actor, now, std::move(action), "user", std::to_string(user.id));
  std::optional<User> changed;
  if (password_change != nullptr) {
    changed = *password_change;
    record.before = MustChangeJson(user.must_change_password);
    record.after = MustChangeJson(password_change->must_change_password);
  }
  const Crypto& crypto = crypto_;
  store_.Submit(
      [session, record, changed, ended_token_hash, end_all_sessions, &crypto](WriteTx& tx) {
        if (changed) {
          if (auto s = tx.UpdateUser(*changed); !s) return s;
        }
        if (end_all_sessions) {
          if (auto s = tx.DeleteUserSessions(session.user_id); !s) return s;
        } else if (!ended_token_hash.empty()) {
          if (auto s = tx.DeleteSession(ended_token_hash); !s) return s;
        }
        if (auto s = tx.InsertSession(session); !s) return s;
        return AppendAuditRecord(tx, crypto, record);
      },
      [this, result, end_all_sessions, ended_token_hash, done = std::move(done)](Status s) {
        if (!s) return done(s.error());
        if (end_all_sessions) ForgetUser(result->user.id);
        if (!ended_token_hash.empty()) ForgetToken(ended_token_hash);
        done(std::move(*result));
      });
}

Result<Actor> AuthService::Authenticate(std::string_view token, std::string_view remote_address) {
  if (token.empty() || token.size() > kMaxCredentialBytes) {
    return Fail(ErrorCode::kUnauthenticated, "a bearer token is required", "Authorization");
  }
  const std::string token_hash = crypto_.Sha256Hex(token);
  const TimeMs now = clock_.Now();
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(token_hash);
    if (it != cache_.end()) {
      if (it->second.expires_at > now) {
        Actor a = it->second.actor;
        a.remote_address = std::string(remote_address);
        return a;
      }
      cache_.erase(it);
    }
    generation = generation_;
  }
  auto session = store_.FindSession(token_hash);
  if (!session) return session.error();
  if (!session->has_value() || (*session)->expires_at <= now) {
    return Fail(ErrorCode::kUnauthenticated, "the token is unknown or has expired", "Authorization",
                "invalid_token");
  }
  auto user = store_.FindUser((*session)->user_id);
  if (!user) return user.error();
  if (!user->has_value() || (*user)->disabled) {
    return Fail(ErrorCode::kUnauthenticated, "the account is disabled", "Authorization",
                "invalid_token");
  }
  Actor actor = ActorOf(**user);
  {
    std::lock_guard lock(mu_);
    // A user forgotten while we read may have been disabled: do not cache what we read.
    if (generation == generation_) {
      if (cache_.size() >= kMaxCachedSessions) cache_.clear();
      cache_[token_hash] = CachedActor{actor, (*session)->expires_at};
    }
  }
  actor.remote_address = std::string(remote_address);
  return actor;
}

void AuthService::ForgetToken(const std::string& token_hash) {
  std::lock_guard lock(mu_);
  ++generation_;
  cache_.erase(token_hash);
}

void AuthService::ForgetUser(UserId id) {
  std::lock_guard lock(mu_);
  ++generation_;
  std::erase_if(cache_, [id](const auto& kv) { return kv.second.actor.user_id == id; });
}

void AuthService::Logout(const Actor& actor, std::string_view token,
                         std::function<void(Status)> done) {
  const std::string token_hash = crypto_.Sha256Hex(token);
  ForgetToken(token_hash);
  AuditRecord record =
      AuditOf(actor, clock_.Now(), "auth.logout", "user", std::to_string(actor.user_id));
  const Crypto& crypto = crypto_;
  store_.Submit(
      [token_hash, record, &crypto](WriteTx& tx) {
        if (auto s = tx.DeleteSession(token_hash); !s) return s;
        return AppendAuditRecord(tx, crypto, record);
      },
      [this, token_hash, done = std::move(done)](Status s) {
        // A request that read the session before the commit may have cached it since.
        ForgetToken(token_hash);
        done(s);
      });
}

void AuthService::Refresh(const Actor& actor, std::string_view token, LoginDone done) {
  auto user = store_.FindUser(actor.user_id);
  if (!user) return done(user.error());
  if (!user->has_value() || (*user)->disabled) {
    return done(Fail(ErrorCode::kUnauthenticated, "the account is disabled", "Authorization",
                     "invalid_token"));
  }
  const std::string token_hash = crypto_.Sha256Hex(token);
  ForgetToken(token_hash);
  StartSession(**user, actor, "auth.refresh", token_hash, false, nullptr, std::move(done));
}

void AuthService::ChangePassword(const Actor& actor, std::string_view old_password,
                                 std::string_view new_password, LoginDone done) {
  if (auto s = CheckNewPassword(new_password); !s) return done(s.error());
  if (old_password == new_password) {
    return done(Fail(ErrorCode::kInvalidArgument, "the new password must differ from the old one",
                     "new_password", "weak_password"));
  }
  auto user = store_.FindUser(actor.user_id);
  if (!user) return done(user.error());
  if (!user->has_value() || (*user)->disabled) {
    return done(Fail(ErrorCode::kUnauthenticated, "the account is disabled", "Authorization",
                     "invalid_token"));
  }
  if (old_password.size() > kMaxCredentialBytes ||
      !crypto_.VerifyPassword((*user)->password_hash, old_password)) {
    return done(Fail(ErrorCode::kPermissionDenied, "the old password is wrong", "old_password",
                     "invalid_credentials"));
  }
  auto hash = crypto_.HashPassword(new_password);
  if (!hash) return done(hash.error());
  User changed = **user;
  changed.password_hash = std::move(*hash);
  changed.must_change_password = false;
  Actor self = actor;
  self.must_change_password = false;
  StartSession(**user, self, "user.password_change", "", true, &changed, std::move(done));
}

}  // namespace civicgrid
