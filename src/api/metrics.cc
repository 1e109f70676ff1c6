#include "api/metrics.h"

#include <cmath>
#include <cstdio>

namespace civicgrid {
namespace {

std::string FormatValue(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.6g", v);
  }
  return buf;
}

// Route patterns and methods are ours (no quotes or backslashes), but escape anyway.
std::string LabelValue(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void AppendPrometheusHeader(std::string& out, std::string_view name, std::string_view type,
                            std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void AppendPrometheusSample(std::string& out, std::string_view name, std::string_view labels,
                            double value) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(FormatValue(value)).append("\n");
}

HttpMetrics::HttpMetrics(std::vector<std::pair<std::string, std::string>> routes) {
  routes.emplace_back("", "unmatched");
  for (auto& [method, route] : routes) {
    auto slot = std::make_unique<Slot>();
    slot->method = LabelValue(method);
    slot->route = LabelValue(route);
    slots_.push_back(std::move(slot));
  }
}

void HttpMetrics::Record(std::size_t slot, int status, double seconds) {
  if (slot >= slots_.size()) slot = unmatched_slot();
  Slot& s = *slots_[slot];
  const int status_class = status / 100;
  if (status_class >= 1 && status_class <= 5) {
    s.by_class[static_cast<std::size_t>(status_class - 1)].fetch_add(1, std::memory_order_relaxed);
  }
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      s.buckets[i].fetch_add(1, std::memory_order_relaxed);
      break;  // cumulative counts are summed when exposed
    }
  }
  s.count.fetch_add(1, std::memory_order_relaxed);
  s.sum_us.fetch_add(static_cast<std::uint64_t>(std::llround(seconds * 1e6)),
                     std::memory_order_relaxed);
}

void HttpMetrics::AppendPrometheus(std::string& out) const {
  const auto labels = [](const Slot& s) {
    std::string l;
    if (!s.method.empty()) l += "method=\"" + s.method + "\",";
    l += "route=\"" + s.route + "\"";
    return l;
  };
  AppendPrometheusHeader(out, "civicgrid_http_requests_total", "counter",
                         "Requests answered, by route and status class.");
  for (const auto& slot : slots_) {
    for (std::size_t c = 0; c < slot->by_class.size(); ++c) {
      const std::uint64_t n = slot->by_class[c].load(std::memory_order_relaxed);
      if (n == 0) continue;
      AppendPrometheusSample(out, "civicgrid_http_requests_total",
                             labels(*slot) + ",code=\"" + std::to_string(c + 1) + "xx\"",
                             static_cast<double>(n));
    }
  }
  AppendPrometheusHeader(out, "civicgrid_http_request_duration_seconds", "histogram",
                         "Time from a request's arrival at the router to its answer.");
  for (const auto& slot : slots_) {
    const std::uint64_t count = slot->count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    const std::string base = labels(*slot);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += slot->buckets[i].load(std::memory_order_relaxed);
      AppendPrometheusSample(out, "civicgrid_http_request_duration_seconds_bucket",
                             base + ",le=\"" + FormatValue(kBuckets[i]) + "\"",
                             static_cast<double>(cumulative));
    }
    AppendPrometheusSample(out, "civicgrid_http_request_duration_seconds_bucket",
                           base + ",le=\"+Inf\"", static_cast<double>(count));
    AppendPrometheusSample(out, "civicgrid_http_request_duration_seconds_sum", base,
                           static_cast<double>(slot->sum_us.load(std::memory_order_relaxed)) / 1e6);
    AppendPrometheusSample(out, "civicgrid_http_request_duration_seconds_count", base,
                           static_cast<double>(count));
  }
}

}  // namespace civicgrid
