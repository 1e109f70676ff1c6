#include "core/territory/region_path_scope.h"

namespace civicgrid {

bool RegionFilter::Covers(const RegionPath& path) const {
  if (all) return true;
  if (id == 0) return false;
  switch (level) {
    case RegionLevel::kCity: return true;
    case RegionLevel::kDistrict: return path.district_id == id;
    case RegionLevel::kStreet: return path.street_id == id;
    case RegionLevel::kCommunity: return path.community_id == id;
    case RegionLevel::kGrid: return path.grid_id == id;
  }
  return false;
}

RegionFilter ScopeOf(const Actor& actor, const Territory& territory) {
  RegionFilter f;
  if (actor.scope.region_id != 0) {
    const Region* r = territory.Find(actor.scope.region_id);
    if (r == nullptr) return f;
    if (r->level == RegionLevel::kCity) {
      f.all = true;
    } else {
      f.level = r->level;
      f.id = r->id;
    }
    return f;
  }
  if (actor.roles.Intersects({Role::kAdmin, Role::kAuditor, Role::kLeader})) f.all = true;
  return f;
}

std::optional<RegionFilter> Narrow(const RegionFilter& scope, const Territory& territory,
                                   RegionId narrow) {
  if (narrow == 0) return scope;
  const Region* r = territory.Find(narrow);
  if (r == nullptr) return std::nullopt;
  if (!scope.all && (scope.id == 0 || !territory.IsWithin(narrow, scope.id))) return std::nullopt;
  RegionFilter f;
  if (r->level == RegionLevel::kCity) {
    f.all = true;
  } else {
    f.level = r->level;
    f.id = r->id;
  }
  return f;
}

}  // namespace civicgrid
