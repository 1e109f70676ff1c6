#include "geo/brute_force_geo_index.h"

#include <cmath>

#include "geo/geo_model.h"

namespace civicgrid {
namespace {

class BruteForceGeoIndex : public GeoIndex {
 public:
  explicit BruteForceGeoIndex(std::vector<geo::PreparedPolygon> polygons)
      : polygons_(std::move(polygons)) {}

  std::optional<std::size_t> Locate(double lon, double lat) const override {
    if (!std::isfinite(lon) || !std::isfinite(lat)) return std::nullopt;
    const geo::BgPoint point(lon, lat);
    for (const geo::PreparedPolygon& p : polygons_) {  // in position order: first hit wins
      if (geo::Covers(p, point)) return p.position;
    }
    return std::nullopt;
  }

 private:
  std::vector<geo::PreparedPolygon> polygons_;
};

}  // namespace

std::unique_ptr<GeoIndex> MakeBruteForceGeoIndex(const std::vector<Region>& regions) {
  return std::make_unique<BruteForceGeoIndex>(geo::PreparePolygons(regions));
}

}  // namespace civicgrid
