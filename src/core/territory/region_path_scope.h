// Which part of the region tree a caller may see and edit: their region's subtree (a grid
// worker: their grid; a street user: the street), or all of it. Used by the base-data use cases
// (households, residents, places, key persons, patrols) and passed to the store as a filter.
#pragma once

#include "core/identity/actor.h"
#include "core/territory/region.h"
#include "core/territory/territory.h"

namespace civicgrid {

struct RegionFilter {
  bool all = false;  // the whole tree
  RegionLevel level = RegionLevel::kGrid;
  RegionId id = 0;  // 0 and !all: nothing

  bool Covers(const RegionPath& path) const;
};

// The caller's subtree: their scope region; city-level or no region with the admin, auditor or
// leader role: everything; otherwise nothing.
RegionFilter ScopeOf(const Actor& actor, const Territory& territory);
// `narrow` (a region the caller asked for) within `scope`; nullopt when it lies outside.
std::optional<RegionFilter> Narrow(const RegionFilter& scope, const Territory& territory,
                                   RegionId narrow);

}  // namespace civicgrid
