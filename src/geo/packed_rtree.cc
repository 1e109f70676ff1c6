#include "geo/packed_rtree.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

namespace civicgrid::geo {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

float RoundDown(double d) {
  const float f = static_cast<float>(d);
  return static_cast<double>(f) > d ? std::nextafter(f, -kInf) : f;
}

float RoundUp(double d) {
  const float f = static_cast<float>(d);
  return static_cast<double>(f) < d ? std::nextafter(f, kInf) : f;
}

struct FloatBox {
  float min_lon = kInf;  // empty until something is added
  float min_lat = kInf;
  float max_lon = -kInf;
  float max_lat = -kInf;

  void Extend(const FloatBox& b) {
    min_lon = std::min(min_lon, b.min_lon);
    min_lat = std::min(min_lat, b.min_lat);
    max_lon = std::max(max_lon, b.max_lon);
    max_lat = std::max(max_lat, b.max_lat);
  }
};

// Index of (x, y) on a Hilbert curve over a 2^16 × 2^16 grid: F. Giesen's / rawrunprotected's
// public-domain branch-free formulation, as used by flatbush.
std::uint32_t HilbertIndex(std::uint32_t x, std::uint32_t y) {
  std::uint32_t a = x ^ y;
  std::uint32_t b = 0xFFFF ^ a;
  std::uint32_t c = 0xFFFF ^ (x | y);
  std::uint32_t d = x & (y ^ 0xFFFF);

  std::uint32_t na = a | (b >> 1);
  std::uint32_t nb = (a >> 1) ^ a;
  std::uint32_t nc = ((c >> 1) ^ (b & (d >> 1))) ^ c;
  std::uint32_t nd = ((a & (c >> 1)) ^ (d >> 1)) ^ d;

  a = na;
  b = nb;
  c = nc;
  d = nd;
  na = (a & (a >> 2)) ^ (b & (b >> 2));
  nb = (a & (b >> 2)) ^ (b & ((a ^ b) >> 2));
  nc ^= (a & (c >> 2)) ^ (b & (d >> 2));
  nd ^= (b & (c >> 2)) ^ ((a ^ b) & (d >> 2));

  a = na;
  b = nb;
  c = nc;
  d = nd;
  na = (a & (a >> 4)) ^ (b & (b >> 4));
  nb = (a & (b >> 4)) ^ (b & ((a ^ b) >> 4));
  nc ^= (a & (c >> 4)) ^ (b & (d >> 4));
  nd ^= (b & (c >> 4)) ^ ((a ^ b) & (d >> 4));

  a = na;
  b = nb;
  c = nc;
  d = nd;
  nc ^= (a & (c >> 8)) ^ (b & (d >> 8));
  nd ^= (b & (c >> 8)) ^ ((a ^ b) & (d >> 8));

  a = nc ^ (nc >> 1);
  b = nd ^ (nd >> 1);
  std::uint32_t i0 = x ^ y;
  std::uint32_t i1 = b | (0xFFFF ^ (i0 | a));
  auto spread = [](std::uint32_t v) {  // 16 bits to the even bit positions
    v = (v | (v << 8)) & 0x00FF00FF;
    v = (v | (v << 4)) & 0x0F0F0F0F;
    v = (v | (v << 2)) & 0x33333333;
    return (v | (v << 1)) & 0x55555555;
  };
  return (spread(i1) << 1) | spread(i0);
}

// Where `v` lies between lo and hi, as 0..65535.
std::uint32_t Scale(double v, double lo, double hi) {
  if (!(hi > lo)) return 0;
  const double t = (v - lo) / (hi - lo) * 65535.0;
  return static_cast<std::uint32_t>(std::clamp(t, 0.0, 65535.0));
}

}  // namespace

PackedRtree::PackedRtree(const std::vector<BoundingBox>& boxes) {
  const std::size_t n = boxes.size();
  if (n == 0) return;
  assert(n < std::numeric_limits<std::uint32_t>::max() / kFanout);

  // Order the boxes along a Hilbert curve through their centres.
  double lo_lon = std::numeric_limits<double>::infinity();
  double lo_lat = lo_lon;
  double hi_lon = -lo_lon;
  double hi_lat = -lo_lon;
  for (const BoundingBox& b : boxes) {
    lo_lon = std::min(lo_lon, (b.min_lon + b.max_lon) / 2);
    lo_lat = std::min(lo_lat, (b.min_lat + b.max_lat) / 2);
    hi_lon = std::max(hi_lon, (b.min_lon + b.max_lon) / 2);
    hi_lat = std::max(hi_lat, (b.min_lat + b.max_lat) / 2);
  }
  std::vector<std::uint32_t> curve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const BoundingBox& b = boxes[i];
    curve[i] = HilbertIndex(Scale((b.min_lon + b.max_lon) / 2, lo_lon, hi_lon),
                            Scale((b.min_lat + b.max_lat) / 2, lo_lat, hi_lat));
  }
  ids_.resize(n);
  std::iota(ids_.begin(), ids_.end(), 0u);
  std::sort(ids_.begin(), ids_.end(), [&curve](std::uint32_t a, std::uint32_t b) {
    return curve[a] != curve[b] ? curve[a] < curve[b] : a < b;
  });

  // Level 0 holds the boxes themselves; each level above holds its children's unions.
  std::vector<FloatBox> entries(n);
  for (std::size_t i = 0; i < n; ++i) {
    const BoundingBox& b = boxes[ids_[i]];
    entries[i] = {RoundDown(b.min_lon), RoundDown(b.min_lat), RoundUp(b.max_lon),
                  RoundUp(b.max_lat)};
  }
  for (;;) {
    level_begin_.push_back(static_cast<std::uint32_t>(nodes_.size()));
    std::vector<FloatBox> parents((entries.size() + kFanout - 1) / kFanout);
    for (std::size_t k = 0; k < parents.size(); ++k) {
      Node& node = nodes_.emplace_back();
      for (std::uint32_t j = 0; j < kFanout; ++j) {
        const std::size_t e = k * kFanout + j;
        const FloatBox box = e < entries.size() ? entries[e] : FloatBox{};
        node.min_lon[j] = box.min_lon;
        node.min_lat[j] = box.min_lat;
        node.max_lon[j] = box.max_lon;
        node.max_lat[j] = box.max_lat;
        parents[k].Extend(box);
      }
    }
    if (parents.size() == 1) break;  // that level's single node is the root
    entries = std::move(parents);
  }
  level_begin_.push_back(static_cast<std::uint32_t>(nodes_.size()));
}

}  // namespace civicgrid::geo
