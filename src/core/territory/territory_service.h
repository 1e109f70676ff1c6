// Use cases of the region tree: locate a point, import a tree (GeoJSON decoded by the caller),
// redraw a polygon, split a grid, move a region under another parent. Edits are admin-only,
// validated against the whole tree (geometry_check.h), audited, and followed by `reload` so the
// locate index sees them.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/result.h"
#include "core/identity/actor.h"
#include "core/ports/geo_index.h"
#include "core/territory/region.h"
#include "core/territory/territory.h"

namespace civicgrid {

class Clock;
class Crypto;
class ReferenceData;
class Store;

// A region as an import or a split names it: by codes, not ids.
struct RegionDraft {
  std::string code;
  std::string name;
  std::optional<RegionLevel> level;  // required for new regions
  // The parent's code; "" for the root; nullopt: unchanged for a known region, the root for a new
  // one. Not read by a split (parts are the split grid's siblings).
  std::optional<std::string> parent_code;
  Polygon polygon;
};

struct LocateAnswer {
  std::optional<Region> grid;  // nullopt: in no grid
  std::vector<Region> path;    // grid, community, street, district, city (those that exist)
};

struct ImportSummary {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
};

class TerritoryService {
 public:
  using ReferenceSource = std::function<std::shared_ptr<const ReferenceData>()>;
  using Reload = std::function<Status()>;
  using ImportDone = std::function<void(Result<ImportSummary>)>;
  using EditDone = std::function<void(Result<std::vector<Region>>)>;

  TerritoryService(Store& store, const Clock& clock, const Crypto& crypto,
                   ReferenceSource reference, Reload reload);

  Result<LocateAnswer> Locate(const Actor& actor, std::optional<double> lon,
                              std::optional<double> lat) const;
  // Creates regions whose code is new and updates the others (name, parent, polygon).
  void Import(const Actor& actor, std::vector<RegionDraft> drafts, ImportDone done);
  // Gives region `id` a new polygon.
  void Redraw(const Actor& actor, RegionId id, Polygon polygon, EditDone done);
  // Replaces grid `id` by `parts`: the first keeps the grid's id and code (its code may be
  // omitted), the others are new grids of the same parent. Their areas must add up to the
  // grid's (within 0.1%), so that no land is lost or gained.
  void Split(const Actor& actor, RegionId id, std::vector<RegionDraft> parts, EditDone done);
  // Moves region `id` (a community, or any non-root region) under `new_parent_id` of the level
  // above it; its code and its subtree's codes take the new parent's prefix, and the rows placed
  // in a moved community follow it to the new street.
  void Move(const Actor& actor, RegionId id, RegionId new_parent_id, EditDone done);

 private:
  void Commit(const Actor& actor, std::string action, std::vector<Region> tree,
              std::vector<std::size_t> changed, std::vector<Region> before,
              std::optional<RegionId> moved_community, EditDone done, bool replace_points = false);

  Store& store_;
  const Clock& clock_;
  const Crypto& crypto_;
  ReferenceSource reference_;
  Reload reload_;

  // --- Re-placing rows with points after a grid edit (issue 3, geo helper) ---
 public:
  using GeoIndexFactory = std::function<std::unique_ptr<GeoIndex>(const std::vector<Region>&)>;
  // The locate index of an edited tree, built by Redraw and Split of a grid so that the events
  // and places whose point now lies in another grid are re-placed in the edit's write unit.
  // Without one (as in tests that wire none) no row is re-placed.
  void SetGeoIndexFactory(GeoIndexFactory factory) { geo_index_factory_ = std::move(factory); }

 private:
  GeoIndexFactory geo_index_factory_;
};

// The polygon as GeoJSON coordinates: [[[lon,lat],...],...].
std::string PolygonCoordinatesJson(const Polygon& polygon);
// Region fields for audit records.
std::string RegionAuditJson(const Region& r, const std::string& parent_code);

}  // namespace civicgrid
