#include "core/identity/auth_service.h"

#include "core/ports/clock.h"
#include "core/ports/crypto.h"
#include "core/routing/reference_data.h"

namespace civicgrid {

namespace {
constexpr std::size_t kMaxCachedSessions = 100000;
constexpr std::size_t kMaxCredentialBytes = 256;

Unexpected<Error> BadCredentials() {
  return Fail(ErrorCode::kUnauthenticated, "wrong username or password", "", "invalid_credentials");
}
}  // namespace

AuthService::AuthService(Store& store, const Clock& clock, const Crypto& crypto,
                         ReferenceSource reference, TimeMs token_lifetime_ms)
    : store_(store),
      clock_(clock),
      crypto_(crypto),
      reference_(std::move(reference)),
      token_lifetime_ms_(token_lifetime_ms) {}

Actor AuthService::ActorOf(const User& user) const {
  Actor a;
  a.user_id = user.id;
  a.username = user.username;
  a.display_name = user.display_name;
  a.roles = user.roles;
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

void AuthService::Login(std::string_view username, std::string_view password,
                        std::string remote_address, LoginDone done) {
  if (username.empty() || password.empty() || username.size() > kMaxCredentialBytes ||
      password.size() > kMaxCredentialBytes) {
    return done(BadCredentials());
  }
  auto user = store_.FindUserByName(username);
  if (!user) return done(user.error());
  if (!user->has_value()) {
    // Spend the same time as a real check so that timing does not reveal which names exist.
    static const std::string dummy = crypto_.HashPassword("not-a-password").value();
    (void)crypto_.VerifyPassword(dummy, password);
    return done(BadCredentials());
  }
  const User& u = **user;
  if (!crypto_.VerifyPassword(u.password_hash, password) || u.disabled) {
    return done(BadCredentials());
  }
  auto result = std::make_shared<LoginResult>();
  result->token = crypto_.RandomToken();
  result->user = u;
  const TimeMs now = clock_.Now();
  result->expires_at = now + token_lifetime_ms_;
  Session session{crypto_.Sha256Hex(result->token), u.id, now, result->expires_at};
  (void)remote_address;
  store_.Submit([session](WriteTx& tx) { return tx.InsertSession(session); },
                [result, done = std::move(done)](Status s) {
                  if (!s) return done(s.error());
                  done(std::move(*result));
                });
}

Result<Actor> AuthService::Authenticate(std::string_view token, std::string_view remote_address) {
  if (token.empty() || token.size() > kMaxCredentialBytes) {
    return Fail(ErrorCode::kUnauthenticated, "a bearer token is required", "Authorization");
  }
  const std::string token_hash = crypto_.Sha256Hex(token);
  const TimeMs now = clock_.Now();
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
    if (cache_.size() >= kMaxCachedSessions) cache_.clear();
    cache_[token_hash] = CachedActor{actor, (*session)->expires_at};
  }
  actor.remote_address = std::string(remote_address);
  return actor;
}

void AuthService::Logout(std::string_view token, std::function<void(Status)> done) {
  const std::string token_hash = crypto_.Sha256Hex(token);
  {
    std::lock_guard lock(mu_);
    cache_.erase(token_hash);
  }
  store_.Submit([token_hash](WriteTx& tx) { return tx.DeleteSession(token_hash); },
                std::move(done));
}

}  // namespace civicgrid
