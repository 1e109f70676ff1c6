#include "core/territory/territory.h"

#include "core/ports/geo_index.h"

namespace civicgrid {

Territory::Territory(std::vector<Region> regions, std::unique_ptr<GeoIndex> index)
    : regions_(std::move(regions)), index_(std::move(index)) {
  for (std::size_t i = 0; i < regions_.size(); ++i) {
    by_id_.emplace(regions_[i].id, i);
    by_code_.emplace(regions_[i].code, i);
  }
}

Territory::~Territory() = default;

const Region* Territory::Find(RegionId id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &regions_[it->second];
}

const Region* Territory::FindByCode(std::string_view code) const {
  auto it = by_code_.find(std::string(code));
  return it == by_code_.end() ? nullptr : &regions_[it->second];
}

const Region* Territory::LocateGrid(double lon, double lat) const {
  if (!index_) return nullptr;
  auto pos = index_->Locate(lon, lat);
  if (!pos || *pos >= regions_.size()) return nullptr;
  return &regions_[*pos];
}

RegionPath Territory::PathOf(RegionId id) const {
  RegionPath path;
  for (const Region* r = Find(id); r != nullptr; r = Find(r->parent_id)) {
    switch (r->level) {
      case RegionLevel::kGrid: path.grid_id = r->id; break;
      case RegionLevel::kCommunity: path.community_id = r->id; break;
      case RegionLevel::kStreet: path.street_id = r->id; break;
      case RegionLevel::kDistrict: path.district_id = r->id; break;
      case RegionLevel::kCity: break;
    }
    if (r->parent_id == r->id) break;
  }
  return path;
}

bool Territory::IsWithin(RegionId id, RegionId ancestor) const {
  for (const Region* r = Find(id); r != nullptr; r = Find(r->parent_id)) {
    if (r->id == ancestor) return true;
    if (r->parent_id == r->id) break;
  }
  return false;
}

}  // namespace civicgrid
