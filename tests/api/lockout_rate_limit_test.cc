// Login brute force and rate limits (issue 4): repeated wrong passwords lock the username (and
// only it) with back-off while the server keeps answering everyone else; per-token and
// per-address limits answer 429 with Retry-After.
#include <atomic>
#include <thread>
#include <vector>

#include "api/identity_http_support.h"

namespace civicgrid::testing {
namespace {

std::string LoginBody(const std::string& user, const std::string& password) {
  return R"({"username":")" + user + R"(","password":")" + password + R"("})";
}

TEST(LoginLockoutTest, BruteForceLocksTheNameAndTheServerStaysResponsive) {
  TempDir dir;
  const std::string db = dir.path() + "/city.db";
  MakeDemoDb(db, 50, kDemoPassword);
  ServerProcess server(db, {"--quiet"});
  ASSERT_TRUE(server.Start());
  const std::uint16_t port = server.port();
  HttpClient dispatcher("127.0.0.1", port);
  dispatcher.set_token(Login(dispatcher, "dispatcher", kDemoPassword));

  // Five wrong passwords: each an ordinary 401.
  HttpClient attacker("127.0.0.1", port);
  for (int i = 0; i < 5; ++i) {
    auto r =
        attacker.Post("/api/v1/auth/login", LoginBody("citizen", "guess-" + std::to_string(i)));
    EXPECT_EQ(r.status, 401) << r.body;
  }
  // Now the name is locked: even the right password is refused, at once, with Retry-After.
  auto locked = attacker.Post("/api/v1/auth/login", LoginBody("citizen", kDemoPassword));
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(ErrorCodeOf(locked), "account_locked");
  const int retry_after = std::atoi(locked.Header("Retry-After").c_str());
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 30);
  // Other names are not affected.
  HttpClient other("127.0.0.1", port);
  EXPECT_FALSE(Login(other, "operator", kDemoPassword).empty());

  // A flood of wrong passwords for many names from several connections (each costs an
  // argon2id check) while another client works: its requests complete during the flood.
  constexpr int kThreads = 4, kPerThread = 15;
  std::atomic<int> done{0};
  std::vector<std::thread> flood;
  for (int t = 0; t < kThreads; ++t) {
    flood.emplace_back([&, t] {
      HttpClient c("127.0.0.1", port);
      for (int i = 0; i < kPerThread; ++i) {
        auto r = c.Post("/api/v1/auth/login",
                        LoginBody("flood" + std::to_string(t), "wrong-" + std::to_string(i)));
        EXPECT_TRUE(r.status == 401 || r.status == 429) << r.status << " " << r.body;
        done.fetch_add(1);
      }
    });
  }
  int served_during_flood = 0;
  HttpClient probe("127.0.0.1", port);
  while (done.load() < kThreads * kPerThread) {
    auto r = dispatcher.Get("/api/v1/events?limit=1");
    ASSERT_EQ(r.status, 200) << r.body;
    if (done.load() < kThreads * kPerThread) ++served_during_flood;
    EXPECT_EQ(probe.Get("/healthz").status, 200);
  }
  for (auto& t : flood) t.join();
  EXPECT_GT(served_during_flood, 0);
  // Each flooded name ended up locked.
  for (int t = 0; t < kThreads; ++t) {
    auto r = attacker.Post("/api/v1/auth/login", LoginBody("flood" + std::to_string(t), "x"));
    EXPECT_EQ(r.status, 429) << r.body;
  }
  // The lock engaging is in the audit log.
  HttpClient auditor("127.0.0.1", port);
  auditor.set_token(Login(auditor, "auditor", kDemoPassword));
  auto audit = auditor.Get("/api/v1/audit?object_type=user&object_id=citizen");
  ASSERT_EQ(audit.status, 200);
  EXPECT_NE(audit.body.find("auth.lockout"), std::string::npos) << audit.body;
  EXPECT_EQ(server.Terminate(), 0) << server.LogText();
}

TEST(RateLimitTest, PerTokenAndPerAddressLimitsAnswer429WithRetryAfter) {
  TempDir dir;
  const std::string db = dir.path() + "/city.db";
  MakeDemoDb(db, 20, kDemoPassword);
  {
    ServerProcess server(db, {"--quiet", "--token-rate", "1", "--token-burst", "3"});
    ASSERT_TRUE(server.Start());
    HttpClient c("127.0.0.1", server.port());
    c.set_token(Login(c, "dispatcher", kDemoPassword));
    int ok = 0;
    HttpResult limited;
    for (int i = 0; i < 10 && limited.status == 0; ++i) {
      auto r = c.Get("/api/v1/me");
      if (r.status == 200) {
        ++ok;
      } else {
        limited = r;
      }
    }
    EXPECT_GE(ok, 1);
    EXPECT_LE(ok, 4);
    EXPECT_EQ(limited.status, 429) << limited.body;
    EXPECT_EQ(ErrorCodeOf(limited), "rate_limited");
    EXPECT_GE(std::atoi(limited.Header("Retry-After").c_str()), 1);
    // Another token is not limited by this one's use.
    HttpClient other("127.0.0.1", server.port());
    other.set_token(Login(other, "operator", kDemoPassword));
    EXPECT_EQ(other.Get("/api/v1/me").status, 200);
    EXPECT_EQ(server.Terminate(), 0) << server.LogText();
  }
  {
    ServerProcess server(db, {"--quiet", "--ip-rate", "1", "--ip-burst", "5"});
    ASSERT_TRUE(server.Start());
    HttpClient c("127.0.0.1", server.port());
    HttpResult limited;
    int ok = 0;
    for (int i = 0; i < 20 && limited.status == 0; ++i) {
      auto r = c.Get("/api/v1/categories");
      if (r.status == 429) {
        limited = r;
      } else {
        ++ok;
      }
    }
    EXPECT_LE(ok, 6);
    EXPECT_EQ(limited.status, 429);
    EXPECT_GE(std::atoi(limited.Header("Retry-After").c_str()), 1);
    // Health probes are never limited.
    EXPECT_EQ(c.Get("/healthz").status, 200);
    EXPECT_EQ(server.Terminate(), 0) << server.LogText();
  }
}

}  // namespace
}  // namespace civicgrid::testing

namespace civicgrid::testing {
namespace {

// Behind a trusted reverse proxy the audit log and the per-address limit see the client's
// address from X-Forwarded-For; from anyone else the header is ignored.
TEST(TrustedProxyTest, ForwardedForCountsOnlyFromATrustedProxy) {
  TempDir dir;
  const std::string db = dir.path() + "/city.db";
  MakeDemoDb(db, 20, kDemoPassword);
  auto login_from = [&](std::uint16_t port, const std::string& forwarded) {
    HttpClient c("127.0.0.1", port);
    auto r = c.Post("/api/v1/auth/login", LoginBody("operator", kDemoPassword),
                    {{"X-Forwarded-For", forwarded}, {"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 200) << r.body;
  };
  auto last_login_address = [&](std::uint16_t port) {
    HttpClient auditor("127.0.0.1", port);
    auditor.set_token(Login(auditor, "auditor", kDemoPassword));
    auto r = auditor.Get("/api/v1/audit?limit=5");
    Json j(r.body);
    for (auto item : j["items"].get_array()) {
      if (std::string_view(item["actor"]["username"]) == "operator") {
        return std::string(std::string_view(item["remote_address"]));
      }
    }
    return std::string();
  };
  {
    ServerProcess server(db, {"--quiet"});
    ASSERT_TRUE(server.Start());
    login_from(server.port(), "203.0.113.7");
    EXPECT_EQ(last_login_address(server.port()), "127.0.0.1");
    EXPECT_EQ(server.Terminate(), 0) << server.LogText();
  }
  {
    ServerProcess server(db, {"--quiet", "--trusted-proxy", "127.0.0.1"});
    ASSERT_TRUE(server.Start());
    login_from(server.port(), "10.1.1.1, 203.0.113.7");
    EXPECT_EQ(last_login_address(server.port()), "203.0.113.7");
    login_from(server.port(), "not an address");
    EXPECT_EQ(last_login_address(server.port()), "127.0.0.1");
    EXPECT_EQ(server.Terminate(), 0) << server.LogText();
  }
}

}  // namespace
}  // namespace civicgrid::testing

namespace civicgrid::testing {
namespace {

// Tokens expire (serve --token-ttl SECONDS); refresh before then keeps a session going.
TEST(TokenExpiryTest, AnExpiredTokenIsRefusedAndCannotBeRefreshed) {
  TempDir dir;
  const std::string db = dir.path() + "/city.db";
  MakeDemoDb(db, 20, kDemoPassword);
  ServerProcess server(db, {"--quiet", "--token-ttl", "1"});
  ASSERT_TRUE(server.Start());
  HttpClient c("127.0.0.1", server.port());
  c.set_token(Login(c, "dispatcher", kDemoPassword));
  // Wait for the expiry itself (bounded), not for a fixed time.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int status = 200;
  while (status == 200 && std::chrono::steady_clock::now() < give_up) {
    status = c.Get("/api/v1/me").status;
    if (status == 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status, 401);
  auto refresh = c.Post("/api/v1/auth/refresh", "");
  EXPECT_EQ(refresh.status, 401);
  EXPECT_EQ(ErrorCodeOf(refresh), "invalid_token");
  EXPECT_EQ(server.Terminate(), 0) << server.LogText();
}

}  // namespace
}  // namespace civicgrid::testing
