#include "api/log.h"

#include <unistd.h>

#include <cstdio>

#include "core/common/text.h"

namespace civicgrid {

void AppendLogString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  const bool escape_high = !IsValidUtf8(s);
  out.push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && escape_high)) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

std::string FormatAccessLog(const AccessLogEntry& e) {
  std::string line;
  line.reserve(160 + e.target.size());
  line += "{\"level\":\"info\",\"msg\":\"http\",\"method\":";
  AppendLogString(line, e.method);
  line += ",\"path\":";
  AppendLogString(line, e.target);
  line += ",\"status\":";
  line += std::to_string(e.status);
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", e.ms);
  line += ",\"ms\":";
  line += ms;
  line += ",\"request_id\":";
  AppendLogString(line, e.request_id);
  if (!e.remote_address.empty()) {
    line += ",\"remote\":";
    AppendLogString(line, e.remote_address);
  }
  line += '}';
  return line;
}

void WriteLogLine(std::string line) {
  line.push_back('\n');
  const char* p = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

void LogError(std::string_view message, std::string_view request_id, std::string_view detail) {
  std::string line = "{\"level\":\"error\",\"msg\":";
  AppendLogString(line, message);
  if (!request_id.empty()) {
    line += ",\"request_id\":";
    AppendLogString(line, request_id);
  }
  if (!detail.empty()) {
    line += ",\"error\":";
    AppendLogString(line, detail);
  }
  line += '}';
  WriteLogLine(std::move(line));
}

}  // namespace civicgrid
