// Load generator for event creation over HTTP keep-alive connections:
//   build/load_gen --url http://127.0.0.1:8080 --user operator --password P
//                  [--connections 64] [--threads 2] [--seconds 10 | --requests N]
//                  [--bbox MINLON,MINLAT,MAXLON,MAXLAT] [--category CODE] [--source hotline]
//                  [--get PATH]
// Logs in, picks leaf categories from GET /api/v1/categories and a bounding box from recent
// events (unless given), then keeps one POST /api/v1/events in flight per connection (closed
// loop) with realistic Chinese bodies and a unique Idempotency-Key each. Threads run epoll
// loops over their share of the connections. Prints throughput, latency percentiles and the
// answers that were not 201; the last line is the same as JSON for scripts. With --get PATH
// it sends authenticated GETs of PATH instead (e.g. /healthz: the HTTP layer's own ceiling) and
// expects 200.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using SteadyClock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  std::string port = "8080";
  std::string user = "operator";
  std::string password;
  std::string source = "hotline";
  std::string category;  // empty: leaf categories from the server
  std::string get_path;  // set: GET this instead of creating events
  int connections = 64;
  int threads = 2;
  double seconds = 10;
  long long requests = 0;  // 0: run for `seconds`
  std::optional<std::array<double, 4>> bbox;
};

[[noreturn]] void Usage(const char* message) {
  if (message != nullptr) std::fprintf(stderr, "load_gen: %s\n", message);
  std::fprintf(stderr,
               "usage: load_gen --url http://HOST:PORT --user NAME --password P\n"
               "                [--connections 64] [--threads 2] [--seconds 10 | --requests N]\n"
               "                [--bbox MINLON,MINLAT,MAXLON,MAXLAT] [--category CODE]"
               " [--source hotline] [--get PATH]\n");
  std::exit(2);
}

bool ParseUrl(std::string_view url, Options& o) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) return false;
  url.remove_prefix(kScheme.size());
  if (auto slash = url.find('/'); slash != std::string_view::npos) url = url.substr(0, slash);
  auto colon = url.rfind(':');
  if (colon == std::string_view::npos) {
    o.host = std::string(url);
    o.port = "80";
  } else {
    o.host = std::string(url.substr(0, colon));
    o.port = std::string(url.substr(colon + 1));
  }
  if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']') {
    o.host = o.host.substr(1, o.host.size() - 2);
  }
  return !o.host.empty() && !o.port.empty();
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") Usage(nullptr);
    if (i + 1 >= argc) Usage("every option takes a value");
    std::string value = argv[++i];
    auto number = [&](double lo, double hi) {
      char* end = nullptr;
      double v = std::strtod(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0' || v < lo || v > hi) {
        std::fprintf(stderr, "load_gen: bad value for %s: %s\n", argv[i - 1], value.c_str());
        std::exit(2);
      }
      return v;
    };
    if (flag == "--url") {
      if (!ParseUrl(value, o)) Usage("--url must look like http://127.0.0.1:8080");
    } else if (flag == "--user") {
      o.user = value;
    } else if (flag == "--password") {
      o.password = value;
    } else if (flag == "--connections") {
      o.connections = static_cast<int>(number(1, 10000));
    } else if (flag == "--threads") {
      o.threads = static_cast<int>(number(1, 256));
    } else if (flag == "--seconds") {
      o.seconds = number(0.1, 86400);
    } else if (flag == "--requests") {
      o.requests = static_cast<long long>(number(1, 1e12));
    } else if (flag == "--category") {
      o.category = value;
    } else if (flag == "--source") {
      o.source = value;
    } else if (flag == "--get") {
      if (value.empty() || value.front() != '/') Usage("--get takes a path such as /healthz");
      o.get_path = value;
    } else if (flag == "--bbox") {
      std::array<double, 4> b{};
      if (std::sscanf(value.c_str(), "%lf,%lf,%lf,%lf", &b[0], &b[1], &b[2], &b[3]) != 4 ||
          b[0] >= b[2] || b[1] >= b[3]) {
        Usage("--bbox must be MINLON,MINLAT,MAXLON,MAXLAT");
      }
      o.bbox = b;
    } else {
      std::fprintf(stderr, "load_gen: unknown option %s\n", argv[i - 1]);
      Usage(nullptr);
    }
  }
  if (o.threads > o.connections) o.threads = o.connections;
  return o;
}

// --- a few JSON scraps (the answers' shapes are ours; no JSON library needed here) ---

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

// The string value after `"key":` at or after `from`; npos-safe.
std::optional<std::string> StringField(std::string_view json, std::string_view key,
                                       std::size_t from = 0, std::size_t* end = nullptr) {
  std::string needle = "\"" + std::string(key) + "\":\"";
  auto at = json.find(needle, from);
  if (at == std::string_view::npos) return std::nullopt;
  std::string out;
  for (std::size_t i = at + needle.size(); i < json.size(); ++i) {
    if (json[i] == '\\' && i + 1 < json.size()) {
      out.push_back(json[++i]);
    } else if (json[i] == '"') {
      if (end != nullptr) *end = i;
      return out;
    } else {
      out.push_back(json[i]);
    }
  }
  return std::nullopt;
}

std::optional<double> NumberField(std::string_view json, std::string_view key, std::size_t from,
                                  std::size_t* end) {
  std::string needle = "\"" + std::string(key) + "\":";
  auto at = json.find(needle, from);
  if (at == std::string_view::npos) return std::nullopt;
  std::string rest(json.substr(at + needle.size(), 32));
  char* stop = nullptr;
  double v = std::strtod(rest.c_str(), &stop);
  if (stop == rest.c_str()) return std::nullopt;
  if (end != nullptr) *end = at + needle.size() + static_cast<std::size_t>(stop - rest.c_str());
  return v;
}

// --- sockets ---

int Connect(const Options& o, bool nonblocking) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* results = nullptr;
  if (getaddrinfo(o.host.c_str(), o.port.c_str(), &hints, &results) != 0) return -1;
  int fd = -1;
  for (addrinfo* ai = results; ai != nullptr && fd < 0; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(results);
  if (fd < 0) return -1;
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (nonblocking) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

std::string BuildRequest(const Options& o, std::string_view method, std::string_view target,
                         std::string_view token, std::string_view body,
                         std::string_view idempotency_key = {}) {
  std::string r;
  r.reserve(256 + body.size());
  r.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: ");
  r.append(o.host).append(":").append(o.port).append("\r\n");
  if (!token.empty()) r.append("Authorization: Bearer ").append(token).append("\r\n");
  if (!idempotency_key.empty())
    r.append("Idempotency-Key: ").append(idempotency_key).append("\r\n");
  if (!body.empty()) {
    r.append("Content-Type: application/json\r\nContent-Length: ");
    r.append(std::to_string(body.size())).append("\r\n");
  }
  r.append("\r\n").append(body);
  return r;
}

// Parses one response at the front of `buffer`: the status and the bytes it takes, or 0 bytes
// when incomplete. Our server always sends Content-Length.
struct Parsed {
  int status = 0;
  std::size_t length = 0;  // header + body; 0 = need more
  bool close = false;
  std::size_t body_offset = 0;
};

bool IStartsWith(std::string_view line, std::string_view prefix) {
  if (line.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

Parsed ParseResponse(std::string_view buffer) {
  Parsed p;
  auto header_end = buffer.find("\r\n\r\n");
  if (header_end == std::string_view::npos) return p;
  std::string_view head = buffer.substr(0, header_end);
  if (head.size() < 12) return p;
  int status = std::atoi(std::string(head.substr(9, 3)).c_str());
  std::size_t content_length = 0;
  std::size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos) {
    std::size_t next = head.find("\r\n", pos + 2);
    std::string_view line = head.substr(
        pos + 2, next == std::string_view::npos ? std::string_view::npos : next - pos - 2);
    if (IStartsWith(line, "content-length:")) {
      content_length = std::strtoul(std::string(line.substr(15)).c_str(), nullptr, 10);
    } else if (IStartsWith(line, "connection:") && line.find("close") != std::string_view::npos) {
      p.close = true;
    }
    pos = next;
  }
  if (buffer.size() < header_end + 4 + content_length) return p;
  p.status = status;
  p.body_offset = header_end + 4;
  p.length = header_end + 4 + content_length;
  return p;
}

// One blocking request on a fresh connection (setup calls only).
std::pair<int, std::string> BlockingRequest(const Options& o, std::string_view method,
                                            std::string_view target, std::string_view token,
                                            std::string_view body) {
  int fd = Connect(o, false);
  if (fd < 0) return {0, "cannot connect"};
  std::string request = BuildRequest(o, method, target, token, body);
  for (std::size_t sent = 0; sent < request.size();) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      ::close(fd);
      return {0, "send failed"};
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string buffer;
  char chunk[65536];
  while (true) {
    Parsed p = ParseResponse(buffer);
    if (p.length > 0) {
      ::close(fd);
      return {p.status, buffer.substr(p.body_offset, p.length - p.body_offset)};
    }
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return {0, "connection closed"};
}

// --- realistic bodies ---

struct Topic {
  const char* title;
  const char* detail;
};
constexpr Topic kTopics[] = {
    {"井盖缺失", "路口井盖缺失，夜间行人和电动车经过有安全隐患，请尽快处理"},
    {"道路积水", "昨夜降雨后路面大面积积水，车辆通行困难，排水口疑似堵塞"},
    {"占道经营", "早市摊贩占用人行道经营，行人只能走机动车道，存在安全隐患"},
    {"噪音扰民", "夜间施工噪音持续到凌晨，影响周边居民休息，多次劝说无果"},
    {"垃圾堆放", "小区门口生活垃圾堆放多日未清运，气味很大，招引蚊蝇"},
    {"违章停车", "消防通道被私家车长期占用，一旦发生火情消防车无法进入"},
    {"路灯不亮", "街道两侧路灯连续多日不亮，夜间行走不便，老人孩子出行有风险"},
    {"树木倒伏", "大风过后行道树倒伏压在人行道上，需要园林部门尽快清理"},
    {"楼道堆物", "单元楼道内堆放大量纸箱杂物，堵塞疏散通道，存在火灾隐患"},
    {"油烟扰民", "一楼餐馆油烟直排，楼上住户无法开窗，油烟净化设施未开启"},
    {"邻里纠纷", "楼上住户装修漏水到楼下，双方协商不成，情绪激动需要调解"},
    {"拖欠工资", "某装修公司拖欠十余名工人三个月工资，工人聚集讨薪"},
};
constexpr const char* kStreets[] = {"南京南街", "中华路",     "太原街", "北二马路", "三好街",
                                    "青年大街", "和平北大街", "集贤街", "十一纬路", "民主路"};
constexpr const char* kSurnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"};

class BodyMaker {
 public:
  BodyMaker(const Options& o, std::vector<std::string> categories, std::array<double, 4> bbox,
            std::uint64_t seed)
      : source_(o.source), categories_(std::move(categories)), bbox_(bbox), rng_(seed) {}

  std::string Next() {
    const Topic& topic = kTopics[Pick(std::size(kTopics))];
    const char* street = kStreets[Pick(std::size(kStreets))];
    unsigned number = 1 + static_cast<unsigned>(Pick(300));
    std::uniform_real_distribution<double> lon(bbox_[0], bbox_[2]);
    std::uniform_real_distribution<double> lat(bbox_[1], bbox_[3]);
    char phone[16];
    std::snprintf(phone, sizeof phone, "1%u%09u", 3 + static_cast<unsigned>(Pick(7)),
                  static_cast<unsigned>(Pick(1000000000)));
    char coords[96];
    std::snprintf(coords, sizeof coords, "\"lon\":%.6f,\"lat\":%.6f", lon(rng_), lat(rng_));
    std::string address = std::string(street) + std::to_string(number) + "号附近";
    std::string body;
    body.reserve(640);
    body += "{\"source\":";
    AppendJsonString(body, source_);
    body += ",\"category\":";
    AppendJsonString(body, categories_[Pick(categories_.size())]);
    body += ",\"title\":";
    AppendJsonString(body, std::string(street) + topic.title);
    body += ",\"description\":";
    AppendJsonString(body, "群众来电反映：" + address + "，" + topic.detail + "。");
    body += ",\"location\":{";
    body += coords;
    body += ",\"address\":";
    AppendJsonString(body, "和平区" + address);
    body += "},\"reporter\":{\"name\":";
    AppendJsonString(body, std::string(kSurnames[Pick(std::size(kSurnames))]) +
                               (Pick(2) == 0 ? "先生" : "女士"));
    body += ",\"phone\":";
    AppendJsonString(body, phone);
    body += "}}";
    return body;
  }

 private:
  std::size_t Pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  std::string source_;
  std::vector<std::string> categories_;
  std::array<double, 4> bbox_;
  std::mt19937_64 rng_;
};

// --- the load ---

struct Shared {
  const Options* options = nullptr;
  std::string token;
  std::vector<std::string> categories;
  std::array<double, 4> bbox{};
  SteadyClock::time_point deadline;
  std::atomic<long long> issued{0};  // requests started (for --requests)
  std::atomic<bool> stop{false};
  int expected_status = 201;
};

struct ThreadResult {
  std::vector<std::uint32_t> latencies_us;
  std::map<int, long long> statuses;  // every answer by status
  long long connection_errors = 0;
};

struct Conn {
  int fd = -1;
  int index = 0;
  std::string out;
  std::size_t sent = 0;
  std::string in;
  SteadyClock::time_point started;
  bool busy = false;
  bool want_write = false;
};

class Worker {
 public:
  Worker(Shared& shared, int thread_index, int connections)
      : shared_(shared),
        thread_index_(thread_index),
        bodies_(*shared.options, shared.categories, shared.bbox,
                0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(thread_index + 1)),
        conns_(static_cast<std::size_t>(connections)) {}

  ThreadResult Run() {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    for (std::size_t i = 0; i < conns_.size(); ++i) {
      conns_[i].index = static_cast<int>(i);
      if (!Open(conns_[i])) continue;
      StartRequest(conns_[i]);
    }
    std::vector<epoll_event> events(conns_.size() + 1);
    while (Active() > 0) {
      auto now = SteadyClock::now();
      int timeout_ms = 1000;
      if (!shared_.stop && shared_.options->requests == 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(shared_.deadline - now);
        timeout_ms = static_cast<int>(std::clamp<long long>(left.count() + 1, 0, 1000));
      }
      int n = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), timeout_ms);
      if (n < 0 && errno != EINTR) break;
      if (shared_.options->requests == 0 && SteadyClock::now() >= shared_.deadline) {
        shared_.stop = true;
      }
      for (int i = 0; i < n; ++i) {
        Conn& c = conns_[events[i].data.u32];
        if ((events[i].events & EPOLLOUT) != 0u) Flush(c);
        if ((events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0u) Receive(c);
      }
    }
    for (auto& c : conns_) {
      if (c.fd >= 0) ::close(c.fd);
    }
    ::close(epoll_);
    return std::move(result_);
  }

 private:
  int Active() const {
    int active = 0;
    for (const auto& c : conns_) active += c.busy ? 1 : 0;
    return active;
  }

  bool Open(Conn& c) {
    c.fd = Connect(*shared_.options, true);
    if (c.fd < 0) {
      ++result_.connection_errors;
      return false;
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = static_cast<std::uint32_t>(c.index);
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, c.fd, &ev);
    c.in.clear();
    c.want_write = false;
    return true;
  }

  void Reopen(Conn& c) {
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
    ::close(c.fd);
    c.fd = -1;
    Open(c);
  }

  void StartRequest(Conn& c) {
    c.busy = false;
    if (shared_.stop || c.fd < 0) return;
    if (shared_.options->requests > 0 && shared_.issued.fetch_add(1) >= shared_.options->requests) {
      shared_.stop = true;
      return;
    }
    char key[64];
    std::snprintf(key, sizeof key, "lg-%d-%d-%d-%llu", static_cast<int>(::getpid()), thread_index_,
                  c.index, static_cast<unsigned long long>(++sequence_));
    if (shared_.options->get_path.empty()) {
      c.out = BuildRequest(*shared_.options, "POST", "/api/v1/events", shared_.token,
                           bodies_.Next(), key);
    } else {
      c.out = BuildRequest(*shared_.options, "GET", shared_.options->get_path, shared_.token, {});
    }
    c.sent = 0;
    c.busy = true;
    c.started = SteadyClock::now();
    Flush(c);
  }

  void Flush(Conn& c) {
    while (c.sent < c.out.size()) {
      ssize_t n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        SetWrite(c, true);
        return;
      }
      if (n <= 0) {
        Fail(c);
        return;
      }
      c.sent += static_cast<std::size_t>(n);
    }
    SetWrite(c, false);
  }

  void SetWrite(Conn& c, bool on) {
    if (c.want_write == on) return;
    c.want_write = on;
    epoll_event ev{};
    ev.events = EPOLLIN | (on ? EPOLLOUT : 0u);
    ev.data.u32 = static_cast<std::uint32_t>(c.index);
    ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
  }

  void Receive(Conn& c) {
    char chunk[16384];
    while (true) {
      ssize_t n = ::recv(c.fd, chunk, sizeof chunk, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      if (n <= 0) {
        Fail(c);
        return;
      }
      c.in.append(chunk, static_cast<std::size_t>(n));
    }
    Parsed p = ParseResponse(c.in);
    if (p.length == 0) return;
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - c.started)
                  .count();
    result_.latencies_us.push_back(static_cast<std::uint32_t>(std::min<long long>(us, UINT32_MAX)));
    ++result_.statuses[p.status];
    if (p.status != shared_.expected_status && first_error_report_) {
      first_error_report_ = false;
      std::fprintf(
          stderr, "load_gen: first non-201 answer: %d %s\n", p.status,
          c.in.substr(p.body_offset, std::min<std::size_t>(300, p.length - p.body_offset)).c_str());
    }
    c.in.erase(0, p.length);
    if (p.close) Reopen(c);
    StartRequest(c);
  }

  void Fail(Conn& c) {
    bool was_busy = c.busy;
    c.busy = false;
    if (shared_.stop) {
      ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
      ::close(c.fd);
      c.fd = -1;
      return;
    }
    if (was_busy) ++result_.connection_errors;
    Reopen(c);
    StartRequest(c);
  }

  Shared& shared_;
  int thread_index_;
  BodyMaker bodies_;
  std::vector<Conn> conns_;
  ThreadResult result_;
  int epoll_ = -1;
  std::uint64_t sequence_ = 0;
  bool first_error_report_ = true;
};

double Percentile(const std::vector<std::uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  auto index = static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(index, sorted.size() - 1)] / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options = ParseArgs(argc, argv);
  if (options.password.empty()) Usage("--password is required");

  Shared shared;
  shared.options = &options;
  if (!options.get_path.empty()) shared.expected_status = 200;
  std::string login = "{\"username\":";
  AppendJsonString(login, options.user);
  login += ",\"password\":";
  AppendJsonString(login, options.password);
  login += "}";
  auto [login_status, login_body] =
      BlockingRequest(options, "POST", "/api/v1/auth/login", "", login);
  auto token = StringField(login_body, "token");
  if (login_status != 200 || !token) {
    std::fprintf(stderr, "load_gen: login failed (%d): %s\n", login_status, login_body.c_str());
    return 1;
  }
  shared.token = *token;

  if (!options.category.empty()) {
    shared.categories.push_back(options.category);
  } else {
    auto [status, body] = BlockingRequest(options, "GET", "/api/v1/categories", shared.token, "");
    // Leaf categories (with a parent) are what operators file events under.
    std::vector<std::string> all;
    for (std::size_t at = 0, end = 0;; at = end) {
      auto code = StringField(body, "code", at, &end);
      if (!code) break;
      std::size_t next = body.find("\"code\":", end);
      std::string_view item = std::string_view(body).substr(end, next - end);
      all.push_back(*code);
      if (item.find("\"parent\":null") == std::string_view::npos)
        shared.categories.push_back(*code);
    }
    if (shared.categories.empty()) shared.categories = all;
    if (status != 200 || shared.categories.empty()) {
      std::fprintf(stderr, "load_gen: no categories (%d): %.300s\n", status, body.c_str());
      return 1;
    }
  }

  if (options.bbox) {
    shared.bbox = *options.bbox;
  } else {
    auto [status, body] =
        BlockingRequest(options, "GET", "/api/v1/events?limit=200", shared.token, "");
    double min_lon = 1e9, min_lat = 1e9, max_lon = -1e9, max_lat = -1e9;
    int points = 0;
    for (std::size_t at = 0, end = 0;; at = end) {
      auto lon = NumberField(body, "lon", at, &end);
      if (!lon) break;
      auto lat = NumberField(body, "lat", end, &end);
      if (!lat) break;
      min_lon = std::min(min_lon, *lon);
      max_lon = std::max(max_lon, *lon);
      min_lat = std::min(min_lat, *lat);
      max_lat = std::max(max_lat, *lat);
      ++points;
    }
    if (status != 200 || points < 2 || min_lon >= max_lon || min_lat >= max_lat) {
      std::fprintf(stderr,
                   "load_gen: no sample events to take a bounding box from; "
                   "using central Shenyang (give --bbox to choose)\n");
      shared.bbox = {123.38, 41.77, 123.46, 41.82};
    } else {
      shared.bbox = {min_lon, min_lat, max_lon, max_lat};
    }
  }
  char amount[64];
  if (options.requests > 0) {
    std::snprintf(amount, sizeof amount, "%lld requests", options.requests);
  } else {
    std::snprintf(amount, sizeof amount, "%.1f s", options.seconds);
  }
  std::fprintf(stderr,
               "load_gen: %d connections on %d threads, %s, %zu categories, bbox %.4f,%.4f,%.4f,"
               "%.4f\n",
               options.connections, options.threads, amount, shared.categories.size(),
               shared.bbox[0], shared.bbox[1], shared.bbox[2], shared.bbox[3]);

  auto start = SteadyClock::now();
  shared.deadline = start + std::chrono::duration_cast<SteadyClock::duration>(
                                std::chrono::duration<double>(options.seconds));
  std::vector<ThreadResult> results(static_cast<std::size_t>(options.threads));
  std::vector<std::thread> threads;
  for (int t = 0; t < options.threads; ++t) {
    int share =
        options.connections / options.threads + (t < options.connections % options.threads ? 1 : 0);
    threads.emplace_back([&shared, &results, t, share] {
      Worker worker(shared, t, share);
      results[static_cast<std::size_t>(t)] = worker.Run();
    });
  }
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();

  std::vector<std::uint32_t> latencies;
  std::map<int, long long> statuses;
  long long connection_errors = 0;
  for (auto& r : results) {
    latencies.insert(latencies.end(), r.latencies_us.begin(), r.latencies_us.end());
    for (auto [status, count] : r.statuses) statuses[status] += count;
    connection_errors += r.connection_errors;
  }
  std::sort(latencies.begin(), latencies.end());
  long long answered = static_cast<long long>(latencies.size());
  const int expected = shared.expected_status;
  long long created = statuses.count(expected) != 0u ? statuses[expected] : 0;
  long long non_201 = answered - created;
  double throughput = elapsed > 0 ? static_cast<double>(answered) / elapsed : 0;
  double p50 = Percentile(latencies, 0.50), p90 = Percentile(latencies, 0.90),
         p99 = Percentile(latencies, 0.99);
  double max = latencies.empty() ? 0 : latencies.back() / 1000.0;

  std::printf(
      "requests      %lld answered in %.2f s (%lld %s, %lld not %d, %lld connection "
      "errors)\n",
      answered, elapsed, created, expected == 201 ? "created" : "ok", non_201, expected,
      connection_errors);
  std::printf("throughput    %.0f req/s\n", throughput);
  std::printf("latency ms    p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", p50, p90, p99, max);
  if (non_201 > 0) {
    std::printf("not %d      ", expected);
    for (auto [status, count] : statuses) {
      if (status != expected) std::printf(" %d×%lld", status, count);
    }
    std::printf("\n");
  }
  std::printf(
      "{\"connections\":%d,\"threads\":%d,\"seconds\":%.3f,\"requests\":%lld,"
      "\"created\":%lld,\"non_201\":%lld,\"connection_errors\":%lld,"
      "\"throughput\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,"
      "\"max_ms\":%.3f}\n",
      options.connections, options.threads, elapsed, answered, created, non_201, connection_errors,
      throughput, p50, p90, p99, max);
  return non_201 == 0 && connection_errors == 0 ? 0 : 3;
}
