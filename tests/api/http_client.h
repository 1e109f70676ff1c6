// A small blocking HTTP/1.1 client over POSIX sockets for tests: one keep-alive connection,
// Content-Length and chunked responses, raw bytes for malformed-request tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace civicgrid::testing {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpResult {
  bool ok = false;    // a complete response was read
  std::string error;  // why not, when !ok
  int status = 0;
  HttpHeaders headers;
  std::string body;
  bool closed = false;  // the server closed the connection after this response

  // The first value of header `name` (case-insensitive), or empty.
  std::string Header(std::string_view name) const;
};

class HttpClient {
 public:
  HttpClient(std::string host, std::uint16_t port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sent with every request as "Authorization: Bearer TOKEN" when not empty.
  void set_token(std::string token) { token_ = std::move(token); }
  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

  // Sends a request on the kept-alive connection (connecting first when needed; a request that
  // finds a connection the server closed in between is retried once on a new one) and reads
  // the whole response. A body gets Content-Length and, unless `headers` say otherwise,
  // Content-Type: application/json.
  HttpResult Request(std::string_view method, std::string_view target, std::string_view body = {},
                     const HttpHeaders& headers = {});
  HttpResult Get(std::string_view target, const HttpHeaders& headers = {}) {
    return Request("GET", target, {}, headers);
  }
  HttpResult Post(std::string_view target, std::string_view json, const HttpHeaders& headers = {}) {
    return Request("POST", target, json, headers);
  }
  // Writes `bytes` as they are and reads one response (no retry).
  HttpResult Raw(std::string_view bytes);
  // Writes `bytes` without reading anything (to send a request in pieces).
  bool SendRaw(std::string_view bytes);
  // Reads one response from the connection.
  HttpResult ReadResponse(bool head_request = false);

  bool Connect();
  void Close();
  bool connected() const { return fd_ >= 0; }
  // True when the server has closed the connection (reads EOF without blocking long).
  bool PeerClosed(std::chrono::milliseconds wait);

 private:
  bool WriteAll(std::string_view data);
  // Fills buffer_ with at least one more byte; false on EOF, error or timeout.
  bool Fill(std::string* error);

  std::string host_;
  std::uint16_t port_;
  int fd_ = -1;
  std::string buffer_;  // read but not yet consumed
  std::string token_;
  std::chrono::milliseconds timeout_{30000};
};

}  // namespace civicgrid::testing
