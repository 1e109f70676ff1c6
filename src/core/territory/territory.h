// An in-memory snapshot of the region tree, for scope checks and for placing events into their
// grid and its ancestors. Built once at start (and rebuilt when regions change); read-only after.
#pragma once

#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/territory/region.h"

namespace civicgrid {

class GeoIndex;

// The ancestors of a grid, one per level (0 where the tree skips a level).
struct RegionPath {
  RegionId district_id = 0;
  RegionId street_id = 0;
  RegionId community_id = 0;
  RegionId grid_id = 0;
};

class Territory {
 public:
  Territory(std::vector<Region> regions, std::unique_ptr<GeoIndex> index);
  ~Territory();
  Territory(const Territory&) = delete;
  Territory& operator=(const Territory&) = delete;

  const Region* Find(RegionId id) const;
  const Region* FindByCode(std::string_view code) const;
  // The grid containing the point, or nullptr.
  const Region* LocateGrid(double lon, double lat) const;
  RegionPath PathOf(RegionId id) const;
  // True when `id` is `ancestor` or lies below it.
  bool IsWithin(RegionId id, RegionId ancestor) const;
  const std::vector<Region>& regions() const { return regions_; }

 private:
  std::vector<Region> regions_;
  std::unordered_map<RegionId, std::size_t> by_id_;
  std::unordered_map<std::string, std::size_t> by_code_;
  std::unique_ptr<GeoIndex> index_;
};

}  // namespace civicgrid
