// The HTTP exchange as the API layer sees it, free of Beast: a parsed request, the response to
// send, and the Reply through which a handler answers (now or after an async use case).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace civicgrid {

inline constexpr std::string_view kJsonContentType = "application/json; charset=utf-8";

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received: path and query, not decoded
  std::string path;    // target before '?', not decoded
  std::string query;   // target after '?', not decoded
  // The few headers the API reads; empty when absent.
  std::string content_type;
  std::string authorization;
  std::string idempotency_key;
  std::string body;
  std::string remote_address;
  std::string request_id;
};

struct HttpResponse {
  int status = 200;
  std::string body;
  std::string content_type = std::string(kJsonContentType);
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
  bool close = false;  // close the connection after this response

  HttpResponse() = default;
  HttpResponse(int s, std::string b) : status(s), body(std::move(b)) {}
  HttpResponse& Header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// How a handler answers. Exactly one of Send / SendLater per request. Both may be called from
// any thread; the response is written on the connection's I/O strand, and the connection stays
// open until then. SendLater runs `make` on that strand: use it from use-case callbacks so that
// encoding happens on an I/O thread, not on the store's writer thread.
class Reply {
 public:
  virtual ~Reply() = default;
  virtual void Send(HttpResponse response) = 0;
  virtual void SendLater(std::function<HttpResponse()> make) = 0;
};
using ReplyPtr = std::shared_ptr<Reply>;

}  // namespace civicgrid
