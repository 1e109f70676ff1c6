#include "geo/rtree_geo_index.h"

#include <cmath>
#include <limits>
#include <utility>

#include "geo/packed_rtree.h"
#include "geo/polygon_set.h"

namespace civicgrid {
namespace {

class RtreeGeoIndex : public GeoIndex {
 public:
  RtreeGeoIndex(geo::PolygonSet polygons, std::vector<std::size_t> positions,
                const std::vector<geo::BoundingBox>& boxes)
      : polygons_(std::move(polygons)), positions_(std::move(positions)), tree_(boxes) {}

  std::optional<std::size_t> Locate(double lon, double lat) const override {
    if (!std::isfinite(lon) || !std::isfinite(lat)) return std::nullopt;
    // Polygon indexes grow with positions, so the lowest covering index is the lowest
    // covering position: every candidate box is visited, the exact test runs only on those
    // that could still win.
    std::uint32_t best = kNone;
    tree_.ForEachContaining(lon, lat, [&](std::uint32_t i) {
      if (i < best && polygons_.Covers(i, lon, lat)) best = i;
    });
    if (best == kNone) return std::nullopt;
    return positions_[best];
  }

 private:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  geo::PolygonSet polygons_;
  std::vector<std::size_t> positions_;  // polygon index → position among the regions
  geo::PackedRtree tree_;               // of the polygons' bounding boxes
};

}  // namespace

std::unique_ptr<GeoIndex> MakeRtreeGeoIndex(const std::vector<Region>& regions) {
  geo::PolygonSet polygons;
  std::vector<std::size_t> positions;
  std::vector<geo::BoundingBox> boxes;
  for (std::size_t position = 0; position < regions.size(); ++position) {
    const Polygon& polygon = regions[position].polygon;
    if (polygon.rings.empty() || polygon.rings.front().empty()) continue;
    const std::uint32_t index = polygons.Add(polygon);
    positions.push_back(position);
    boxes.push_back(polygons.Bounds(index));
  }
  return std::make_unique<RtreeGeoIndex>(std::move(polygons), std::move(positions), boxes);
}

}  // namespace civicgrid
