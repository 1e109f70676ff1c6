// Login, bearer-token authentication, refresh, password change and logout, with a per-username
// lockout after repeated failures. Every session write lands in the audit log.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/common/result.h"
#include "core/identity/actor.h"
#include "core/identity/user.h"
#include "core/ports/store.h"

namespace civicgrid {

class Clock;
class Crypto;
class ReferenceData;

struct LoginResult {
  std::string token;
  TimeMs expires_at = 0;
  User user;
};

// When repeated wrong passwords lock a username, and for how long: after `max_failures`
// consecutive failures the name is locked for `first_lock_ms`, doubling with every further
// failure up to `max_lock_ms`. A locked name answers at once (no password check), so the
// server never sleeps on anyone's behalf.
struct LockoutPolicy {
  int max_failures = 5;
  TimeMs first_lock_ms = 30 * 1000;
  TimeMs max_lock_ms = 15 * 60 * 1000;
};

// Passwords users choose: 8 to 128 bytes of valid UTF-8.
Status CheckNewPassword(std::string_view password);

class AuthService {
 public:
  using ReferenceSource = std::function<std::shared_ptr<const ReferenceData>()>;
  using LoginDone = std::function<void(Result<LoginResult>)>;

  AuthService(Store& store, const Clock& clock, const Crypto& crypto, ReferenceSource reference,
              TimeMs token_lifetime_ms = 12 * kMsPerHour, LockoutPolicy lockout = {});

  // Verifies the password (slow by design: argon2id) and creates a session. Call it off the
  // I/O threads. Unknown user and wrong password answer the same kUnauthenticated; a locked
  // username answers kResourceExhausted "account_locked" (see LockedForMs).
  void Login(std::string_view username, std::string_view password, std::string remote_address,
             LoginDone done);
  // The actor behind a bearer token, or kUnauthenticated. Cached in memory.
  Result<Actor> Authenticate(std::string_view token, std::string_view remote_address);
  void Logout(const Actor& actor, std::string_view token, std::function<void(Status)> done);
  // A fresh token for the caller's valid one, which ends.
  void Refresh(const Actor& actor, std::string_view token, LoginDone done);
  // Changes the caller's own password (the old one is required; argon2id: call it off the I/O
  // threads). Ends every session of the user and answers a new one.
  void ChangePassword(const Actor& actor, std::string_view old_password,
                      std::string_view new_password, LoginDone done);

  // How long `username` stays locked, 0 when it is not.
  TimeMs LockedForMs(std::string_view username);
  // Drops the cached actors of a user, so their next request reads the account afresh (after a
  // disable, a role or scope change, a password reset).
  void ForgetUser(UserId id);

  Actor ActorOf(const User& user) const;

 private:
  struct CachedActor {
    Actor actor;
    TimeMs expires_at = 0;
  };
  struct Failures {
    int count = 0;
    TimeMs locked_until = 0;
  };
  // Drops a token from the cache; reads in flight will not cache it again.
  void ForgetToken(const std::string& token_hash);
  // Counts a failed login; true when it locks the name now.
  bool RecordFailure(const std::string& username, TimeMs now);
  void StartSession(const User& user, const Actor& actor, std::string action,
                    std::string ended_token_hash, bool end_all_sessions,
                    const User* password_change, LoginDone done);

  Store& store_;
  const Clock& clock_;
  const Crypto& crypto_;
  ReferenceSource reference_;
  TimeMs token_lifetime_ms_;
  LockoutPolicy lockout_;
  std::mutex mu_;
  std::unordered_map<std::string, CachedActor> cache_;  // by token hash; guarded by mu_
  std::uint64_t generation_ = 0;                        // bumped by ForgetUser; guarded by mu_
  std::unordered_map<std::string, Failures> failures_;  // by username; guarded by mu_
};

}  // namespace civicgrid
