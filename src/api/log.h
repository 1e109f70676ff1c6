// Structured logs of the API layer: one JSON object per line on stderr, one write(2) each so
// lines from several threads do not interleave.
#pragma once

#include <string>
#include <string_view>

namespace civicgrid {

// Appends `s` as a JSON string literal; bytes of invalid UTF-8 become \u00XX escapes, so any
// input (a raw request path) gives valid JSON.
void AppendLogString(std::string& out, std::string_view s);

struct AccessLogEntry {
  std::string_view method;
  std::string_view target;
  int status = 0;
  double ms = 0;
  std::string_view request_id;
  std::string_view remote_address;
};
std::string FormatAccessLog(const AccessLogEntry& entry);

// Writes `line` (a JSON object without the newline) to stderr.
void WriteLogLine(std::string line);
void LogError(std::string_view message, std::string_view request_id, std::string_view detail);

}  // namespace civicgrid
