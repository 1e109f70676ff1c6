// Login, bearer-token authentication and logout.
#pragma once

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

class AuthService {
 public:
  using ReferenceSource = std::function<std::shared_ptr<const ReferenceData>()>;
  using LoginDone = std::function<void(Result<LoginResult>)>;

  AuthService(Store& store, const Clock& clock, const Crypto& crypto, ReferenceSource reference,
              TimeMs token_lifetime_ms = 12 * kMsPerHour);

  // Verifies the password (slow by design: argon2id) and creates a session. Call it off the
  // I/O threads. Unknown user and wrong password answer the same kUnauthenticated.
  void Login(std::string_view username, std::string_view password, std::string remote_address,
             LoginDone done);
  // The actor behind a bearer token, or kUnauthenticated. Cached in memory.
  Result<Actor> Authenticate(std::string_view token, std::string_view remote_address);
  void Logout(std::string_view token, std::function<void(Status)> done);

  Actor ActorOf(const User& user) const;

 private:
  struct CachedActor {
    Actor actor;
    TimeMs expires_at = 0;
  };
  Store& store_;
  const Clock& clock_;
  const Crypto& crypto_;
  ReferenceSource reference_;
  TimeMs token_lifetime_ms_;
  std::mutex mu_;
  std::unordered_map<std::string, CachedActor> cache_;  // by token hash; guarded by mu_
};

}  // namespace civicgrid
