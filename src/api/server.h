// The HTTP/1.1 server of the REST API (Boost.Beast behind a pimpl: no Boost in this header).
// One io_context run by `io_threads` threads, a strand per connection, keep-alive. Writes
// answer after their commit without holding an I/O thread; logins hash on a small blocking
// pool. Every response is JSON (except static files) and carries X-Request-Id.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/common/result.h"

namespace civicgrid {

class AuditService;
class AuthService;
class UserAdminService;
class BaseDataCsv;
class CameraService;
class Clock;
class EventService;
class PatrolService;
class PeopleService;
class ReferenceData;
class OrgAdminService;
class RoutingService;
class TerritoryService;

// What /readyz reports besides the server's own state.
struct Readiness {
  Status writes;                       // not ok: writes are refused (a failed fsync): 503
  std::string search_index = "ready";  // "building" while searches answer 503; or "failed"
};

// The store's writer, for GET /metrics.
struct StoreCounters {
  std::int64_t units = 0;         // write units acknowledged
  std::int64_t transactions = 0;  // group commits
  std::int64_t syncs = 0;         // fsyncs that acknowledged them
};

// The use cases the API calls. Not owned; they must outlive the server.
struct ApiServices {
  EventService* events = nullptr;
  AuthService* auth = nullptr;
  UserAdminService* users = nullptr;
  AuditService* audit = nullptr;
  RoutingService* routing = nullptr;  // issue 5: rules, dispatch modes, whistles, queues
  OrgAdminService* orgs = nullptr;    // issue 4: organisation units
  std::function<std::shared_ptr<const ReferenceData>()> reference;
  const Clock* clock = nullptr;
  // For /readyz; empty = always ready.
  std::function<Readiness()> ready;
  // Territory and base data (issue 3); null: those routes answer 503.
  TerritoryService* territory = nullptr;
  PeopleService* people = nullptr;
  PatrolService* patrols = nullptr;
  BaseDataCsv* csv = nullptr;
  CameraService* cameras = nullptr;  // issue 5: camera registry and alarms; null: 503
  // For /metrics; empty = no store counters.
  std::function<StoreCounters()> store_counters;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;             // 0 = ephemeral
  int io_threads = 0;                    // 0 = hardware_concurrency
  int blocking_threads = 2;              // login (argon2id) runs here, not on the I/O threads
  std::size_t max_pending_logins = 256;  // beyond this a login answers 429
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 16 << 10;
  std::chrono::milliseconds read_timeout{30000};  // a whole request; also the keep-alive idle time
  std::string static_dir;                         // web UI files, may be empty
  bool access_log = true;                         // one JSON line per request on stderr
  // Rate limits (token buckets): requests per second and burst, per client address and per
  // bearer token; beyond them a request answers 429 with Retry-After. 0 turns a limit off.
  // The defaults only stop floods (load benchmarks run far below them from one address and
  // token); production should set lower ones (docs/SECURITY.md).
  double ip_rate = 50000, ip_burst = 100000;
  double token_rate = 20000, token_burst = 40000;
  // Addresses of reverse proxies whose X-Forwarded-For names the client (for rate limits, logs
  // and the audit log's "from where"); from anyone else the header is ignored.
  std::vector<std::string> trusted_proxies;
  // A bearer token that opens GET /metrics to a scraper (besides an administrator's session
  // token); empty = administrators only.
  std::string metrics_token;
};

class Server {
 public:
  Server(ServerOptions options, ApiServices services);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens (kUnavailable when it cannot); afterwards port() is the bound port.
  Status Start();
  std::uint16_t port() const;
  // Serves on io_threads threads (the caller's among them) until Stop() has drained.
  void Run();
  // Graceful and thread-safe (not async-signal-safe: call it from a normal thread, e.g. one
  // that waits in sigwait): stops accepting, closes idle connections, lets in-flight requests
  // (also those waiting for a commit) finish and answer with "Connection: close", then Run
  // returns. /readyz answers 503 from now on.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace civicgrid
