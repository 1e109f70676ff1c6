// The only translation unit with Boost.Beast/Asio. Connections are sessions on their own strand:
// read a request (header and body limits, one deadline for the whole request), hand it to the
// Api, write the answer when the Api replies (maybe later, from another thread), repeat while
// keep-alive. Stop() closes the acceptor and idle connections and lets the rest finish.
#include "api/server.h"

// clang-format off
// Must precede the Asio headers: Boost 1.74 Asio uses std::exchange without including it,
// which g++ 12 in C++20 mode does not forgive.
#include <utility>
// clang-format on

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/api.h"
#include "api/blocking_pool.h"
#include "api/error_mapping.h"
#include "api/log.h"

namespace civicgrid {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kLinger{2};

class Session;

// State shared by the acceptor and every session. Outlives all sessions.
class ServerCore {
 public:
  ServerCore(ServerOptions options, ApiServices services)
      : options_(std::move(options)),
        blocking_(options_.blocking_threads, options_.max_pending_logins),
        ioc_(std::max(1, IoThreads(options_))),
        acceptor_(asio::make_strand(ioc_)) {
    ApiEnv env;
    env.services = std::move(services);
    env.blocking = &blocking_;
    env.stopping = &stopping_;
    env.ip_rate = options_.ip_rate;
    env.ip_burst = options_.ip_burst;
    env.token_rate = options_.token_rate;
    env.token_burst = options_.token_burst;
    env.metrics_token = options_.metrics_token;
    api_ = std::make_unique<Api>(std::move(env), options_.static_dir);
    std::random_device random;
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%08x", random());
    id_prefix_ = prefix;
  }

  ~ServerCore() {
    // Queued logins hold sessions; finish them while the io_context still exists.
    blocking_.Shutdown();
  }

  static int IoThreads(const ServerOptions& options) {
    if (options.io_threads > 0) return options.io_threads;
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }

  Status Start();
  void Run();
  void Stop();
  std::uint16_t port() const { return port_; }

  const ServerOptions& options() const { return options_; }
  Api& api() { return *api_; }
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  asio::io_context& ioc() { return ioc_; }

  std::string NextRequestId() {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%s-%llx", id_prefix_.c_str(),
                  static_cast<unsigned long long>(request_seq_.fetch_add(1) + 1));
    return buffer;
  }

  void Register(const std::shared_ptr<Session>& session) {
    std::lock_guard lock(sessions_mu_);
    sessions_.emplace(session.get(), session);
  }
  void Unregister(Session* session) {
    std::lock_guard lock(sessions_mu_);
    sessions_.erase(session);
  }

 private:
  void DoAccept();
  void OnAccept(beast::error_code ec, tcp::socket socket);

  ServerOptions options_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> request_seq_{0};
  std::string id_prefix_;
  BlockingPool blocking_;
  std::unique_ptr<Api> api_;
  std::mutex sessions_mu_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;  // guarded by sessions_mu_
  // Destroyed first: handlers it still holds may own sessions, which unregister above.
  asio::io_context ioc_;
  tcp::acceptor acceptor_;  // on its own strand
  std::optional<asio::steady_timer> accept_retry_;
  std::uint16_t port_ = 0;
  bool started_ = false;
};

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// A client's X-Request-Id is kept when it is short and plain.
bool IsUsableRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

std::string_view ToView(beast::string_view s) { return {s.data(), s.size()}; }

bool IsTrustedProxy(const ServerOptions& options, std::string_view address) {
  return std::find(options.trusted_proxies.begin(), options.trusted_proxies.end(), address) !=
         options.trusted_proxies.end();
}

// The last entry of an X-Forwarded-For list when it looks like an IP address, else empty.
std::string_view LastForwardedAddress(std::string_view header) {
  if (auto comma = header.rfind(','); comma != std::string_view::npos) {
    header.remove_prefix(comma + 1);
  }
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  if (header.empty() || header.size() > 45) return {};
  for (char c : header) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                    c == '.' || c == ':';
    if (!ok) return {};
  }
  return header;
}

class Session final : public Reply, public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, ServerCore& core) : stream_(std::move(socket)), core_(core) {}
  ~Session() override { core_.Unregister(this); }

  void Start() {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_address_ = endpoint.address().to_string();
    core_.Register(shared_from_this());
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }

  // Reply: any thread, once per request.
  void Send(HttpResponse response) override {
    if (replied_.exchange(true)) {
      LogError("a handler answered twice", request_id_, "");
      return;
    }
    asio::dispatch(stream_.get_executor(),
                   [self = shared_from_this(), response = std::move(response)]() mutable {
                     self->Write(std::move(response));
                   });
  }

  void SendLater(std::function<HttpResponse()> make) override {
    if (replied_.exchange(true)) {
      LogError("a handler answered twice", request_id_, "");
      return;
    }
    asio::post(stream_.get_executor(), [self = shared_from_this(), make = std::move(make)]() {
      HttpResponse response;
      try {
        response = make();
      } catch (const std::exception& e) {
        LogError("encoding a response failed", self->request_id_, e.what());
        response = ErrorResponse(ErrorCode::kInternal, "internal error");
      }
      self->Write(std::move(response));
    });
  }

  // On the strand: the server stops. Idle connections close now; busy ones after answering.
  void OnServerStop() {
    if (state_ == State::kIdle && !InputPending()) CloseNow();
  }

  asio::any_io_executor executor() { return stream_.get_executor(); }

 private:
  enum class State { kIdle, kReading, kProcessing, kWriting, kClosed };

  // Bytes of a next request already received (buffered or in the socket).
  bool InputPending() {
    beast::error_code ec;
    return buffer_.size() > 0 || stream_.socket().available(ec) > 0;
  }

  void DoRead() {
    // When stopping, a request the client already sent is still answered (with
    // "Connection: close"); an idle connection closes.
    if (core_.stopping() && !InputPending()) {
      CloseNow();
      return;
    }
    state_ = State::kIdle;
    const ServerOptions& options = core_.options();
    parser_.emplace();
    parser_->header_limit(
        static_cast<std::uint32_t>(std::min<std::size_t>(options.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(options.max_body_bytes);
    stream_.expires_after(options.read_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec) {
      OnReadError(ec);
      return;
    }
    state_ = State::kReading;
    auto& request = parser_->get();
    auto expect = request.find(bhttp::field::expect);
    if (expect != request.end() && IEquals(ToView(expect->value()), "100-continue") &&
        !parser_->is_done()) {
      continue_.emplace(bhttp::status::continue_, request.version());
      bhttp::async_write(stream_, *continue_,
                         beast::bind_front_handler(&Session::OnContinue, shared_from_this()));
      return;
    }
    ReadBody();
  }

  void OnContinue(beast::error_code ec, std::size_t) {
    continue_.reset();
    if (ec) {
      CloseNow();
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    if (parser_->is_done()) {
      Process();
      return;
    }
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (ec) {
      OnReadError(ec);
      return;
    }
    Process();
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == bhttp::error::partial_message ||
        ec == asio::error::connection_reset || ec == asio::error::eof) {
      CloseNow();
      return;
    }
    // A request we cannot read: answer once and close, letting the client finish sending.
    BeginRequest();
    unread_input_ = true;
    if (parser_ && parser_->is_header_done()) {
      method_ = std::string(ToView(parser_->get().method_string()));
      target_ = std::string(ToView(parser_->get().target()));
    }
    Error error;
    if (ec == bhttp::error::body_limit) {
      error = Error(ErrorCode::kPayloadTooLarge,
                    "the request body is larger than " +
                        std::to_string(core_.options().max_body_bytes) + " bytes",
                    "", "payload_too_large");
    } else if (ec == bhttp::error::header_limit) {
      error = Error(ErrorCode::kPayloadTooLarge,
                    "the request headers are larger than " +
                        std::to_string(core_.options().max_header_bytes) + " bytes",
                    "", "headers_too_large");
    } else {
      error = Error(ErrorCode::kMalformed, "malformed HTTP request: " + ec.message(), "",
                    "bad_request");
    }
    replied_ = true;
    Write(ErrorResponse(error));
  }

  // Resets the per-request state; the request is being answered from now on.
  void BeginRequest() {
    state_ = State::kProcessing;
    stream_.expires_never();
    started_ = Clock::now();
    request_id_ = core_.NextRequestId();
    method_.clear();
    target_.clear();
    version_ = 11;
    keep_alive_ = false;
    head_request_ = false;
    replied_ = false;
    work_.emplace(core_.ioc().get_executor());
  }

  void Process() {
    BeginRequest();
    auto request = parser_->release();
    parser_.reset();
    version_ = request.version();
    keep_alive_ = request.keep_alive();

    HttpRequest http;
    http.method = std::string(ToView(request.method_string()));
    // HEAD is answered as GET without the body (monitoring probes, `curl -I`).
    head_request_ = request.method() == bhttp::verb::head;
    if (head_request_) http.method = "GET";
    http.target = std::string(ToView(request.target()));
    std::string_view target = http.target;
    std::size_t question = target.find('?');
    http.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos) http.query = std::string(target.substr(question + 1));
    auto header = [&](bhttp::field f) {
      auto it = request.find(f);
      return it == request.end() ? std::string() : std::string(ToView(it->value()));
    };
    http.content_type = header(bhttp::field::content_type);
    http.authorization = header(bhttp::field::authorization);
    if (auto it = request.find("Idempotency-Key"); it != request.end()) {
      http.idempotency_key = std::string(ToView(it->value()));
    }
    if (auto it = request.find("X-Request-Id"); it != request.end()) {
      std::string_view id = ToView(it->value());
      if (IsUsableRequestId(id)) request_id_ = std::string(id);
    }
    http.body = std::move(request.body());
    http.remote_address = remote_address_;
    // Behind a trusted reverse proxy the client is the last address the proxy appended.
    if (IsTrustedProxy(core_.options(), remote_address_)) {
      if (auto it = request.find("X-Forwarded-For"); it != request.end()) {
        if (auto client = LastForwardedAddress(ToView(it->value())); !client.empty()) {
          http.remote_address = std::string(client);
        }
      }
    }
    http.request_id = request_id_;
    method_ = http.method;
    target_ = http.target;

    core_.api().Handle(std::move(http), shared_from_this());
  }

  void Write(HttpResponse r) {
    if (state_ == State::kClosed) return;
    state_ = State::kWriting;
    response_ = {};
    response_.version(version_);
    response_.result(static_cast<unsigned>(r.status));
    response_.set(bhttp::field::content_type, r.content_type);
    response_.set("X-Request-Id", request_id_);
    // Security headers on every answer (the web UI is served from here too).
    response_.set("X-Content-Type-Options", "nosniff");
    response_.set("X-Frame-Options", "DENY");
    response_.set("Referrer-Policy", "no-referrer");
    response_.set("Content-Security-Policy",
                  "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                  "frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
    for (auto& [name, value] : r.headers) response_.insert(name, value);
    response_.body() = std::move(r.body);
    bool keep = keep_alive_ && !r.close && !unread_input_ && !core_.stopping();
    response_.keep_alive(keep);
    if (head_request_) {
      std::size_t size = response_.body().size();
      response_.body().clear();
      response_.content_length(size);
    } else {
      response_.prepare_payload();
    }
    status_ = r.status;
    stream_.expires_after(core_.options().read_timeout);
    bhttp::async_write(stream_, response_,
                       beast::bind_front_handler(&Session::OnWrite, shared_from_this(), keep));
  }

  void OnWrite(bool keep, beast::error_code ec, std::size_t) {
    if (core_.options().access_log) {
      double ms = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
      WriteLogLine(FormatAccessLog({method_.empty() ? std::string_view("-") : method_,
                                    target_.empty() ? std::string_view("-") : target_, status_, ms,
                                    request_id_, remote_address_}));
    }
    response_ = {};
    work_.reset();
    if (ec) {
      CloseNow();
      return;
    }
    if (!keep) {
      if (unread_input_) {
        Linger();
      } else {
        CloseNow();
      }
      return;
    }
    DoRead();
  }

  // Half-closes and drains what the client still sends (briefly), so that it reads our error
  // answer instead of a reset.
  void Linger() {
    state_ = State::kClosed;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kLinger);
    DrainSome();
  }

  void DrainSome() {
    stream_.async_read_some(asio::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) {
                                self->CloseNow();
                              } else {
                                self->DrainSome();
                              }
                            });
  }

  void CloseNow() {
    state_ = State::kClosed;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    work_.reset();
  }

  beast::tcp_stream stream_;
  ServerCore& core_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::empty_body>> continue_;
  bhttp::response<bhttp::string_body> response_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::array<char, 4096> drain_{};
  std::string remote_address_;
  State state_ = State::kIdle;
  std::atomic<bool> replied_{false};
  bool unread_input_ = false;
  bool keep_alive_ = false;
  bool head_request_ = false;
  unsigned version_ = 11;
  int status_ = 0;
  Clock::time_point started_{};
  std::string request_id_;
  std::string method_;
  std::string target_;
};

Status ServerCore::Start() {
  if (started_) return Fail(ErrorCode::kFailedPrecondition, "the server is already started");
  beast::error_code ec;
  tcp::resolver resolver(ioc_);
  auto results = resolver.resolve(options_.host, std::to_string(options_.port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return Fail(ErrorCode::kUnavailable,
                "cannot resolve listen address " + options_.host + ": " + ec.message());
  }
  tcp::endpoint endpoint = results.begin()->endpoint();
  auto fail = [&](const char* what) {
    return Fail(ErrorCode::kUnavailable, std::string("cannot ") + what + " " + options_.host + ":" +
                                             std::to_string(options_.port) + ": " + ec.message());
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return fail("open a socket for");
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail("configure a socket for");
  acceptor_.bind(endpoint, ec);
  if (ec) return fail("bind");
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  port_ = acceptor_.local_endpoint(ec).port();
  started_ = true;
  asio::post(acceptor_.get_executor(), [this] { DoAccept(); });
  return Status::Ok();
}

void ServerCore::DoAccept() {
  if (stopping() || !acceptor_.is_open()) return;
  acceptor_.async_accept(asio::make_strand(ioc_),
                         beast::bind_front_handler(&ServerCore::OnAccept, this));
}

void ServerCore::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || stopping()) return;
  if (ec) {
    // Out of descriptors and the like: retry shortly instead of spinning.
    LogError("accept failed", "", ec.message());
    accept_retry_.emplace(acceptor_.get_executor(), std::chrono::milliseconds(100));
    accept_retry_->async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec) DoAccept();
    });
    return;
  }
  socket.set_option(tcp::no_delay(true), ec);
  std::make_shared<Session>(std::move(socket), *this)->Start();
  DoAccept();
}

void ServerCore::Run() {
  if (!started_) return;
  int n = IoThreads(options_);
  auto run = [this] {
    while (true) {
      try {
        ioc_.run();
        return;
      } catch (const std::exception& e) {
        LogError("an I/O handler threw", "", e.what());
      }
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(n - 1));
  for (int i = 1; i < n; ++i) threads.emplace_back(run);
  run();
  for (auto& t : threads) t.join();
}

void ServerCore::Stop() {
  if (stopping_.exchange(true, std::memory_order_acq_rel)) return;
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ec;
    acceptor_.close(ec);
    if (accept_retry_) accept_retry_->cancel();
  });
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mu_);
    live.reserve(sessions_.size());
    for (auto& [ptr, weak] : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) {
    asio::post(s->executor(), [s] { s->OnServerStop(); });
  }
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, ApiServices services)
      : core(std::move(options), std::move(services)) {}
  ServerCore core;
};

Server::Server(ServerOptions options, ApiServices services)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(services))) {}
Server::~Server() = default;
Status Server::Start() { return impl_->core.Start(); }
std::uint16_t Server::port() const { return impl_->core.port(); }
void Server::Run() { impl_->core.Run(); }
void Server::Stop() { impl_->core.Stop(); }

}  // namespace civicgrid
