#include "api/http_client.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace civicgrid::testing {

namespace {

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

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

std::string HttpResult::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return v;
  }
  return {};
}

HttpClient::HttpClient(std::string host, std::uint16_t port)
    : host_(std::move(host)), port_(port) {}

HttpClient::~HttpClient() { Close(); }

bool HttpClient::Connect() {
  Close();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* results = nullptr;
  if (getaddrinfo(host_.c_str(), std::to_string(port_).c_str(), &hints, &results) != 0) {
    return false;
  }
  for (addrinfo* ai = results; ai != nullptr; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      fd_ = fd;
      break;
    }
    ::close(fd);
  }
  freeaddrinfo(results);
  buffer_.clear();
  return fd_ >= 0;
}

void HttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

bool HttpClient::WriteAll(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool HttpClient::Fill(std::string* error) {
  pollfd p{fd_, POLLIN, 0};
  int ready;
  do {
    ready = ::poll(&p, 1, static_cast<int>(timeout_.count()));
  } while (ready < 0 && errno == EINTR);
  if (ready == 0) {
    *error = "timeout";
    return false;
  }
  char chunk[16384];
  ssize_t n;
  do {
    n = ::recv(fd_, chunk, sizeof chunk, 0);
  } while (n < 0 && errno == EINTR);
  if (n == 0) {
    *error = "connection closed";
    return false;
  }
  if (n < 0) {
    *error = std::string("recv: ") + std::strerror(errno);
    return false;
  }
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

bool HttpClient::SendRaw(std::string_view bytes) {
  if (fd_ < 0 && !Connect()) return false;
  return WriteAll(bytes);
}

bool HttpClient::PeerClosed(std::chrono::milliseconds wait) {
  if (fd_ < 0) return true;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
  char c;
  ssize_t n = ::recv(fd_, &c, 1, MSG_PEEK);
  return n <= 0;
}

HttpResult HttpClient::ReadResponse(bool head_request) {
  HttpResult result;
  if (fd_ < 0) {
    result.error = "not connected";
    return result;
  }
  std::size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill(&result.error)) {
      Close();
      return result;
    }
  }
  std::string_view head(buffer_.data(), header_end);
  std::size_t line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  // "HTTP/1.1 200 OK"
  std::size_t sp = status_line.find(' ');
  if (sp == std::string_view::npos || status_line.size() < sp + 4) {
    result.error = "bad status line";
    Close();
    return result;
  }
  result.status = std::atoi(std::string(status_line.substr(sp + 1, 3)).c_str());
  bool http10 = status_line.substr(0, sp) == "HTTP/1.0";
  std::string_view rest = line_end == std::string_view::npos ? "" : head.substr(line_end + 2);
  while (!rest.empty()) {
    std::size_t eol = rest.find("\r\n");
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 2);
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    result.headers.emplace_back(std::string(TrimView(line.substr(0, colon))),
                                std::string(TrimView(line.substr(colon + 1))));
  }
  buffer_.erase(0, header_end + 4);

  std::string connection = result.Header("Connection");
  result.closed = IEquals(connection, "close") || (http10 && !IEquals(connection, "keep-alive"));
  bool no_body = head_request || result.status == 204 || result.status == 304 ||
                 (result.status >= 100 && result.status < 200);
  std::string length = result.Header("Content-Length");
  if (no_body) {
    // Nothing to read.
  } else if (IEquals(result.Header("Transfer-Encoding"), "chunked")) {
    while (true) {
      std::size_t eol;
      while ((eol = buffer_.find("\r\n")) == std::string::npos) {
        if (!Fill(&result.error)) {
          Close();
          return result;
        }
      }
      std::size_t size = std::strtoul(buffer_.substr(0, eol).c_str(), nullptr, 16);
      while (buffer_.size() < eol + 2 + size + 2) {
        if (!Fill(&result.error)) {
          Close();
          return result;
        }
      }
      result.body.append(buffer_, eol + 2, size);
      buffer_.erase(0, eol + 2 + size + 2);
      if (size == 0) break;  // trailers are not supported
    }
  } else if (!length.empty()) {
    std::size_t size = std::strtoul(length.c_str(), nullptr, 10);
    while (buffer_.size() < size) {
      if (!Fill(&result.error)) {
        Close();
        return result;
      }
    }
    result.body = buffer_.substr(0, size);
    buffer_.erase(0, size);
  } else {
    // Until the server closes.
    std::string ignored;
    while (Fill(&ignored)) {
    }
    result.body = std::move(buffer_);
    buffer_.clear();
    result.closed = true;
  }
  result.ok = true;
  if (result.closed) Close();
  return result;
}

HttpResult HttpClient::Raw(std::string_view bytes) {
  if (fd_ < 0 && !Connect()) {
    HttpResult r;
    r.error = "cannot connect";
    return r;
  }
  if (!WriteAll(bytes)) {
    HttpResult r;
    r.error = "send failed";
    Close();
    return r;
  }
  return ReadResponse();
}

HttpResult HttpClient::Request(std::string_view method, std::string_view target,
                               std::string_view body, const HttpHeaders& headers) {
  std::string request;
  request.reserve(256 + body.size());
  request.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  request.append("Host: ").append(host_).append(":").append(std::to_string(port_)).append("\r\n");
  bool has_content_type = false;
  for (const auto& [k, v] : headers) {
    if (IEquals(k, "Content-Type")) has_content_type = true;
    request.append(k).append(": ").append(v).append("\r\n");
  }
  if (!token_.empty()) request.append("Authorization: Bearer ").append(token_).append("\r\n");
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    if (!has_content_type) request.append("Content-Type: application/json\r\n");
    request.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  request.append("\r\n").append(body);

  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = fd_ >= 0;
    if (!reused && !Connect()) {
      HttpResult r;
      r.error = "cannot connect to " + host_ + ":" + std::to_string(port_);
      return r;
    }
    if (!WriteAll(request)) {
      Close();
      if (reused) continue;
      HttpResult r;
      r.error = "send failed";
      return r;
    }
    HttpResult r = ReadResponse(method == "HEAD");
    // A kept-alive connection the server closed meanwhile: nothing was read, try a new one.
    if (!r.ok && reused && r.status == 0 && r.error == "connection closed") continue;
    return r;
  }
  HttpResult r;
  r.error = "connection closed twice";
  return r;
}

}  // namespace civicgrid::testing
