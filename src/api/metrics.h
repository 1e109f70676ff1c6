// What GET /metrics exposes (Prometheus text format 0.0.4): requests answered and their latency
// per route, recorded lock-free on the I/O threads, and the gauges and counters the caller
// appends (the store's writer, readiness).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace civicgrid {

class HttpMetrics {
 public:
  // One slot per route ("METHOD pattern"), and one more for requests no route matched.
  explicit HttpMetrics(std::vector<std::pair<std::string, std::string>> routes);

  std::size_t unmatched_slot() const { return slots_.size() - 1; }
  // A request answered with `status` after `seconds`.
  void Record(std::size_t slot, int status, double seconds);
  // civicgrid_http_requests_total and civicgrid_http_request_duration_seconds, for the slots that
  // have answered anything.
  void AppendPrometheus(std::string& out) const;

  // Latency buckets (seconds), as Prometheus histograms count them: at most this long.
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5};

 private:
  struct Slot {
    std::string method;
    std::string route;
    std::array<std::atomic<std::uint64_t>, 5> by_class{};  // 1xx .. 5xx
    std::array<std::atomic<std::uint64_t>, kBuckets.size()> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_us{0};
  };
  std::vector<std::unique_ptr<Slot>> slots_;
};

// The HELP and TYPE lines of a metric family, before its samples.
void AppendPrometheusHeader(std::string& out, std::string_view name, std::string_view type,
                            std::string_view help);
// One sample: `name{labels} value`; `labels` is already formatted (`a="x",b="y"`) or empty.
void AppendPrometheusSample(std::string& out, std::string_view name, std::string_view labels,
                            double value);

}  // namespace civicgrid
