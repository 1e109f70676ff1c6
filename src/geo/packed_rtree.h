// A static R-tree of bounding boxes, packed bottom-up along a Hilbert curve (the layout of
// flatbush): built once, then queried by point with branch-free scans of 16-wide nodes.
// Internal to src/geo.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "geo/polygon_set.h"

namespace civicgrid::geo {

class PackedRtree {
 public:
  // Indexes boxes[i] as i. Boxes are stored in float, rounded outwards: a query may visit a
  // few more boxes than exact doubles would, never fewer.
  explicit PackedRtree(const std::vector<BoundingBox>& boxes);

  // Calls visit(i) for every box i that contains the point (boundary included), in no
  // particular order. Thread-safe.
  template <typename Visit>
  void ForEachContaining(double lon, double lat, Visit&& visit) const;

 private:
  static constexpr std::uint32_t kFanout = 16;
  // Enough for (kFanout - 1) pending siblings on each of 9 levels: 16^9 boxes.
  static constexpr int kMaxStack = 9 * kFanout;

  // Structure of arrays so that one node's test is four vector compares per 4 slots.
  // Unused slots hold an empty box (min +inf, max -inf).
  struct Node {
    float min_lon[kFanout];
    float min_lat[kFanout];
    float max_lon[kFanout];
    float max_lat[kFanout];
  };

  // Bit j set when slot j of the node contains the point.
  static std::uint32_t ContainingMask(const Node& node, float lon, float lat);

  std::vector<Node> nodes_;                 // level 0 (leaves) first, the root last
  std::vector<std::uint32_t> level_begin_;  // nodes of level l: [level_begin_[l], [l + 1])
  std::vector<std::uint32_t> ids_;          // leaf slot (node * kFanout + j) → box index
};

inline std::uint32_t PackedRtree::ContainingMask(const Node& node, float lon, float lat) {
  std::uint32_t mask = 0;
#if defined(__SSE2__)
  const __m128 x = _mm_set1_ps(lon);
  const __m128 y = _mm_set1_ps(lat);
  for (std::uint32_t q = 0; q < kFanout; q += 4) {
    const __m128 in_x = _mm_and_ps(_mm_cmpge_ps(x, _mm_loadu_ps(node.min_lon + q)),
                                   _mm_cmple_ps(x, _mm_loadu_ps(node.max_lon + q)));
    const __m128 in_y = _mm_and_ps(_mm_cmpge_ps(y, _mm_loadu_ps(node.min_lat + q)),
                                   _mm_cmple_ps(y, _mm_loadu_ps(node.max_lat + q)));
    mask |= static_cast<std::uint32_t>(_mm_movemask_ps(_mm_and_ps(in_x, in_y))) << q;
  }
#else
  for (std::uint32_t j = 0; j < kFanout; ++j) {
    const bool in = (lon >= node.min_lon[j]) & (lon <= node.max_lon[j]) & (lat >= node.min_lat[j]) &
                    (lat <= node.max_lat[j]);
    mask |= static_cast<std::uint32_t>(in) << j;
  }
#endif
  return mask;
}

template <typename Visit>
void PackedRtree::ForEachContaining(double lon, double lat, Visit&& visit) const {
  if (nodes_.empty()) return;
  // Rounding is monotonic, so the float of a point inside a rounded-out box stays inside.
  const float x = static_cast<float>(lon);
  const float y = static_cast<float>(lat);
  struct Pending {
    std::uint32_t level;
    std::uint32_t node;  // within its level
  };
  std::array<Pending, kMaxStack> stack;
  int top = 0;
  stack[top++] = {static_cast<std::uint32_t>(level_begin_.size() - 2), 0};
  while (top > 0) {
    const Pending p = stack[--top];
    std::uint32_t mask = ContainingMask(nodes_[level_begin_[p.level] + p.node], x, y);
    while (mask != 0) {
      const std::uint32_t child =
          p.node * kFanout + static_cast<std::uint32_t>(std::countr_zero(mask));
      mask &= mask - 1;
      if (p.level == 0) {
        visit(ids_[child]);
      } else {
        stack[top++] = {p.level - 1, child};
      }
    }
  }
}

}  // namespace civicgrid::geo
