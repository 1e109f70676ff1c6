#include "core/territory/territory_service.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "core/audit/audit_record.h"
#include "core/common/text.h"
#include "core/ports/clock.h"
#include "core/ports/store.h"
#include "core/routing/reference_data.h"
#include "core/territory/geometry_check.h"
#include "core/territory/region_path_scope.h"

namespace civicgrid {

namespace {

constexpr std::size_t kMaxRegionName = 100;

Status RequireAdmin(const Actor& actor) {
  if (!actor.roles.Has(Role::kAdmin)) {
    return Fail(ErrorCode::kPermissionDenied, "only an admin may edit the region tree");
  }
  return Status::Ok();
}

// An admin scoped to a region (a street admin) edits that subtree only: a region outside it does
// not exist for them (404, no existence leak).
bool MayEdit(const Actor& actor, const Territory& territory, RegionId id) {
  return territory.Find(id) != nullptr && ScopeOf(actor, territory).Covers(territory.PathOf(id));
}

// An import may create, reshape and re-parent regions anywhere in the tree: city-wide admins only.
Status RequireCityWideAdmin(const Actor& actor, const Territory& territory) {
  if (Status s = RequireAdmin(actor); !s) return s;
  if (!ScopeOf(actor, territory).all) {
    return Fail(ErrorCode::kPermissionDenied,
                "only a city-wide admin may import regions; edit your subtree region by region");
  }
  return Status::Ok();
}

void AppendNumber(std::string& out, double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, ec == std::errc() ? end : buf);
}

Status CheckDraftText(const RegionDraft& d) {
  if (d.code.empty() || d.code.size() > 32) {
    return Fail(ErrorCode::kInvalidArgument, "a region code must have 1 to 32 characters", "code");
  }
  for (char c : d.code) {
    if (c < '0' || c > '9') {
      return Fail(ErrorCode::kInvalidArgument, "region code " + d.code + " must be digits", d.code,
                  "invalid_code");
    }
  }
  if (!IsValidUtf8(d.name) || Trim(d.name).empty() || Utf8Length(d.name) > kMaxRegionName) {
    return Fail(ErrorCode::kInvalidArgument,
                "region " + d.code + " needs a name of 1 to 100 characters", d.code,
                "invalid_name");
  }
  return Status::Ok();
}

bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(0, p.size()) == p;
}

// The code and level rules: a child's code starts with its parent's, its level is deeper.
Status CheckPlacement(const Region& r, const Region* parent) {
  if (parent == nullptr) {
    if (r.parent_id != 0) {
      return Fail(ErrorCode::kInvalidArgument, "region " + r.code + ": unknown parent", r.code,
                  "unknown_parent");
    }
    return Status::Ok();
  }
  if (static_cast<int>(r.level) <= static_cast<int>(parent->level)) {
    return Fail(ErrorCode::kInvalidArgument,
                "region " + r.code + " (" + std::string(RegionLevelName(r.level)) +
                    ") cannot lie under " + parent->code + " (" +
                    std::string(RegionLevelName(parent->level)) + ")",
                r.code, "invalid_level");
  }
  if (!StartsWith(r.code, parent->code) || r.code.size() == parent->code.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                "region code " + r.code + " must extend its parent's code " + parent->code, r.code,
                "invalid_code");
  }
  return Status::Ok();
}

std::string CodeOf(const std::vector<Region>& tree, RegionId id) {
  for (const auto& r : tree) {
    if (r.id == id) return r.code;
  }
  return "";
}

// The edited tree's locate index and where to look for rows to re-place.
struct PointPlacement {
  std::unique_ptr<Territory> next;       // the edited tree (new grids under provisional ids < 0)
  std::vector<RegionId> affected_grids;  // the changed grids that exist already
  std::array<double, 4> box{};           // of the changed grids' polygons: rows in no grid there
};

PointPlacement PlanPointPlacement(const std::vector<Region>& tree,
                                  const std::vector<std::size_t>& changed,
                                  const TerritoryService::GeoIndexFactory& factory) {
  PointPlacement plan;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  plan.box = {kInf, kInf, -kInf, -kInf};
  for (std::size_t i : changed) {
    const Region& r = tree[i];
    if (r.level != RegionLevel::kGrid || r.polygon.rings.empty()) continue;
    if (r.id > 0) plan.affected_grids.push_back(r.id);
    for (const GeoPoint& p : r.polygon.rings.front()) {
      plan.box = {std::min(plan.box[0], p.lon), std::min(plan.box[1], p.lat),
                  std::max(plan.box[2], p.lon), std::max(plan.box[3], p.lat)};
    }
  }
  if (plan.affected_grids.empty()) return plan;
  // Positions as in the reference data's index: only grid polygons are indexed.
  std::vector<Region> grids(tree.size());
  for (std::size_t i = 0; i < tree.size(); ++i) {
    if (tree[i].level == RegionLevel::kGrid) grids[i].polygon = tree[i].polygon;
  }
  plan.next = std::make_unique<Territory>(tree, factory(grids));
  return plan;
}

std::string PlacementJson(const RegionPath& p) {
  return "{\"grid_id\":" + std::to_string(p.grid_id) +
         ",\"community_id\":" + std::to_string(p.community_id) +
         ",\"street_id\":" + std::to_string(p.street_id) +
         ",\"district_id\":" + std::to_string(p.district_id) + "}";
}

bool SamePath(const RegionPath& a, const RegionPath& b) {
  return a.grid_id == b.grid_id && a.community_id == b.community_id && a.street_id == b.street_id &&
         a.district_id == b.district_id;
}

// Events and places placed in a changed grid (or in no grid, inside the changed grids' box)
// move to the grid their point lies in now, each with an audit record "<kind>.regrid" naming
// the edit. A point that now lies in no grid keeps its placement (the grid's workers keep the
// row); history (event history, resident moves, patrols) is never rewritten.
Status ReplacePoints(WriteTx& tx, const Crypto& crypto, const Actor& actor, TimeMs now,
                     const std::string& edit, const PointPlacement& plan,
                     const std::unordered_map<RegionId, RegionId>& real_ids) {
  for (PlacedKind kind : {PlacedKind::kEvent, PlacedKind::kPlace}) {
    auto rows = tx.PlacedPointsIn(kind, plan.affected_grids, plan.box);
    if (!rows) return rows.error();
    for (const PlacedPoint& row : *rows) {
      const Region* grid = plan.next->LocateGrid(row.lon, row.lat);
      if (grid == nullptr) continue;
      RegionPath path = plan.next->PathOf(grid->id);
      if (auto real = real_ids.find(path.grid_id); real != real_ids.end()) {
        path.grid_id = real->second;
      }
      if (SamePath(path, row.path)) continue;
      if (Status s = tx.SetPlacement(kind, row.id, path, now); !s) return s;
      const std::string kind_name(PlacedKindName(kind));
      AuditRecord a = AuditOf(actor, now, kind_name + ".regrid", kind_name, std::to_string(row.id));
      a.before = PlacementJson(row.path);
      a.after = PlacementJson(path);
      a.after.insert(a.after.size() - 1, ",\"by\":\"" + edit + "\"");
      if (Status s = AppendAuditRecord(tx, crypto, std::move(a)); !s) return s;
    }
  }
  return Status::Ok();
}

}  // namespace

std::string PolygonCoordinatesJson(const Polygon& polygon) {
  std::string out = "[";
  for (std::size_t i = 0; i < polygon.rings.size(); ++i) {
    if (i > 0) out += ',';
    out += '[';
    const auto& ring = polygon.rings[i];
    for (std::size_t j = 0; j < ring.size(); ++j) {
      if (j > 0) out += ',';
      out += '[';
      AppendNumber(out, ring[j].lon);
      out += ',';
      AppendNumber(out, ring[j].lat);
      out += ']';
    }
    out += ']';
  }
  out += ']';
  return out;
}

std::string RegionAuditJson(const Region& r, const std::string& parent_code) {
  std::string out = "{\"code\":";
  AppendJsonString(out, r.code);
  out += ",\"name\":";
  AppendJsonString(out, r.name);
  out += ",\"level\":";
  AppendJsonString(out, RegionLevelName(r.level));
  out += ",\"parent_code\":";
  AppendJsonString(out, parent_code);
  out += ",\"polygon\":" + PolygonCoordinatesJson(r.polygon) + "}";
  return out;
}

TerritoryService::TerritoryService(Store& store, const Clock& clock, const Crypto& crypto,
                                   ReferenceSource reference, Reload reload)
    : store_(store),
      clock_(clock),
      crypto_(crypto),
      reference_(std::move(reference)),
      reload_(std::move(reload)) {}

Result<LocateAnswer> TerritoryService::Locate(const Actor&, std::optional<double> lon,
                                              std::optional<double> lat) const {
  if (!lon || !lat) {
    return Fail(ErrorCode::kInvalidArgument, "lon and lat are both required", !lon ? "lon" : "lat",
                "invalid_location");
  }
  if (!IsValidLonLat(*lon, *lat)) {
    return Fail(ErrorCode::kInvalidArgument, "lon must be in [-180, 180] and lat in [-90, 90]",
                "location", "invalid_location");
  }
  auto ref = reference_();
  const Territory& territory = ref->territory();
  LocateAnswer answer;
  const Region* grid = territory.LocateGrid(*lon, *lat);
  if (grid == nullptr) return answer;
  answer.grid = *grid;
  for (const Region* r = grid; r != nullptr; r = territory.Find(r->parent_id)) {
    answer.path.push_back(*r);
    if (r->parent_id == r->id) break;
  }
  return answer;
}

void TerritoryService::Import(const Actor& actor, std::vector<RegionDraft> drafts,
                              ImportDone done) {
  auto ref = reference_();
  if (Status s = RequireCityWideAdmin(actor, ref->territory()); !s) return done(s.error());
  if (drafts.empty()) {
    return done(Fail(ErrorCode::kInvalidArgument, "the import holds no regions", "features"));
  }
  std::vector<Region> tree = ref->territory().regions();
  std::unordered_map<std::string, std::size_t> by_code;
  for (std::size_t i = 0; i < tree.size(); ++i) by_code.emplace(tree[i].code, i);
  const std::vector<Region> original = tree;
  // New regions get provisional negative ids until they are inserted.
  RegionId provisional = 0;
  std::vector<std::size_t> changed;
  std::vector<bool> seen(tree.size(), false);
  ImportSummary summary;
  for (const RegionDraft& d : drafts) {
    if (Status s = CheckDraftText(d); !s) return done(s.error());
    auto it = by_code.find(d.code);
    if (it != by_code.end() && it->second < seen.size() && seen[it->second]) {
      return done(Fail(ErrorCode::kInvalidArgument, "region " + d.code + " appears twice", d.code,
                       "duplicate_code"));
    }
    if (it == by_code.end()) {
      if (!d.level) {
        return done(Fail(ErrorCode::kInvalidArgument, "new region " + d.code + " needs a level",
                         d.code, "missing_level"));
      }
      Region r;
      r.id = --provisional;
      r.code = d.code;
      r.level = *d.level;
      tree.push_back(std::move(r));
      it = by_code.emplace(d.code, tree.size() - 1).first;
      seen.push_back(true);
      ++summary.created;
    } else {
      seen[it->second] = true;
      if (d.level && *d.level != tree[it->second].level) {
        return done(Fail(ErrorCode::kInvalidArgument,
                         "region " + d.code + " exists with level " +
                             std::string(RegionLevelName(tree[it->second].level)),
                         d.code, "invalid_level"));
      }
    }
    Region& r = tree[it->second];
    r.name = std::string(Trim(d.name));
    r.polygon = d.polygon;
    changed.push_back(it->second);
  }
  // Parents by code, now that every draft has an id.
  for (std::size_t k = 0; k < drafts.size(); ++k) {
    Region& r = tree[changed[k]];
    if (!drafts[k].parent_code) {
      if (r.id < 0) r.parent_id = 0;  // a new region without a parent: the root
      continue;
    }
    const std::string& parent_code = *drafts[k].parent_code;
    if (parent_code.empty()) {
      r.parent_id = 0;
    } else {
      auto p = by_code.find(parent_code);
      if (p == by_code.end()) {
        return done(Fail(ErrorCode::kInvalidArgument,
                         "region " + r.code + ": parent " + parent_code + " is unknown", r.code,
                         "unknown_parent"));
      }
      r.parent_id = tree[p->second].id;
    }
  }
  int roots = 0;
  for (const Region& r : tree) roots += r.parent_id == 0 ? 1 : 0;
  if (roots > 1) {
    return done(Fail(ErrorCode::kInvalidArgument, "the tree would have more than one root",
                     "parent_code", "multiple_roots"));
  }
  std::unordered_map<RegionId, std::size_t> by_id;
  for (std::size_t i = 0; i < tree.size(); ++i) by_id.emplace(tree[i].id, i);
  for (std::size_t i : changed) {
    const Region& r = tree[i];
    auto p = by_id.find(r.parent_id);
    const Region* parent = p == by_id.end() ? nullptr : &tree[p->second];
    if (Status s = CheckPlacement(r, parent); !s) return done(s.error());
  }
  if (Status s = CheckRegionTree(tree, changed); !s) return done(s.error());

  // Unchanged drafts need no write.
  std::vector<std::size_t> writes;
  for (std::size_t i : changed) {
    if (i < original.size()) {
      const Region& o = original[i];
      const Region& n = tree[i];
      if (o.name == n.name && o.parent_id == n.parent_id &&
          PolygonCoordinatesJson(o.polygon) == PolygonCoordinatesJson(n.polygon)) {
        ++summary.unchanged;
        continue;
      }
      ++summary.updated;
    }
    writes.push_back(i);
  }
  // Parents before children, so that provisional parent ids are real when a child is written.
  std::stable_sort(writes.begin(), writes.end(), [&](std::size_t a, std::size_t b) {
    return static_cast<int>(tree[a].level) < static_cast<int>(tree[b].level);
  });
  auto shared_tree = std::make_shared<std::vector<Region>>(std::move(tree));
  auto shared_original = std::make_shared<const std::vector<Region>>(original);
  const TimeMs now = clock_.Now();
  const Crypto& crypto = crypto_;
  Reload reload = reload_;
  store_.Submit(
      [shared_tree, shared_original, writes, actor, now, &crypto](WriteTx& tx) -> Status {
        const std::vector<Region>& drafted = *shared_tree;
        std::unordered_map<RegionId, RegionId> real;
        for (std::size_t i : writes) {
          Region r = drafted[i];
          if (r.parent_id < 0) r.parent_id = real.at(r.parent_id);
          const std::string parent_code = CodeOf(drafted, drafted[i].parent_id);
          const bool is_new = r.id < 0;
          std::string before;
          if (is_new) {
            const RegionId provisional_id = r.id;
            r.id = 0;
            if (Status s = tx.InsertRegion(r); !s) return s;
            real[provisional_id] = r.id;
          } else {
            const Region& o = (*shared_original)[i];
            before = RegionAuditJson(o, CodeOf(*shared_original, o.parent_id));
            if (Status s = tx.UpdateRegion(r); !s) return s;
          }
          AuditRecord a = AuditOf(actor, now, is_new ? "region.create" : "region.update", "region",
                                  std::to_string(r.id));
          a.before = std::move(before);
          a.after = RegionAuditJson(r, parent_code);
          if (Status s = AppendAuditRecord(tx, crypto, std::move(a)); !s) return s;
        }
        return Status::Ok();
      },
      [summary, reload, done = std::move(done)](Status status) {
        if (!status) return done(status.error());
        if (reload) {
          if (Status s = reload(); !s) return done(s.error());
        }
        done(summary);
      });
}

void TerritoryService::Redraw(const Actor& actor, RegionId id, Polygon polygon, EditDone done) {
  if (Status s = RequireAdmin(actor); !s) return done(s.error());
  auto ref = reference_();
  std::vector<Region> tree = ref->territory().regions();
  std::optional<std::size_t> at;
  for (std::size_t i = 0; i < tree.size(); ++i) {
    if (tree[i].id == id) at = i;
  }
  if (!at || !MayEdit(actor, ref->territory(), id)) {
    return done(Fail(ErrorCode::kNotFound, "no such region", "id"));
  }
  std::vector<Region> before = {tree[*at]};
  tree[*at].polygon = std::move(polygon);
  Commit(actor, "region.redraw", std::move(tree), {*at}, std::move(before), std::nullopt,
         std::move(done), /*replace_points=*/true);
}

void TerritoryService::Split(const Actor& actor, RegionId id, std::vector<RegionDraft> parts,
                             EditDone done) {
  if (Status s = RequireAdmin(actor); !s) return done(s.error());
  auto ref = reference_();
  std::vector<Region> tree = ref->territory().regions();
  std::optional<std::size_t> at;
  for (std::size_t i = 0; i < tree.size(); ++i) {
    if (tree[i].id == id) at = i;
  }
  if (!at || !MayEdit(actor, ref->territory(), id)) {
    return done(Fail(ErrorCode::kNotFound, "no such region", "id"));
  }
  if (tree[*at].level != RegionLevel::kGrid) {
    return done(Fail(ErrorCode::kInvalidArgument, "only a grid can be split", "id", "not_a_grid"));
  }
  if (parts.size() < 2 || parts.size() > 20) {
    return done(Fail(ErrorCode::kInvalidArgument, "a split needs 2 to 20 parts", "parts"));
  }
  const Region original = tree[*at];
  if (parts[0].code.empty()) parts[0].code = original.code;
  if (parts[0].name.empty()) parts[0].name = original.name;
  if (parts[0].code != original.code) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "the first part keeps the grid's code " + original.code, "parts[0].code"));
  }
  const Region* parent = ref->territory().Find(original.parent_id);
  double area = 0;
  std::vector<std::size_t> changed;
  RegionId provisional = 0;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (Status s = CheckDraftText(parts[k]); !s) return done(s.error());
    if (Status s = CheckPolygonShape(parts[k].polygon, parts[k].code); !s) return done(s.error());
    area += PolygonArea(parts[k].polygon);
    if (k == 0) {
      tree[*at].name = std::string(Trim(parts[0].name));
      tree[*at].polygon = parts[0].polygon;
      changed.push_back(*at);
      continue;
    }
    if (ref->territory().FindByCode(parts[k].code) != nullptr) {
      return done(Fail(ErrorCode::kAlreadyExists, "region code " + parts[k].code + " is taken",
                       parts[k].code, "duplicate_code"));
    }
    Region r;
    r.id = --provisional;
    r.parent_id = original.parent_id;
    r.level = RegionLevel::kGrid;
    r.code = parts[k].code;
    r.name = std::string(Trim(parts[k].name));
    r.polygon = parts[k].polygon;
    if (Status s = CheckPlacement(r, parent); !s) return done(s.error());
    tree.push_back(std::move(r));
    changed.push_back(tree.size() - 1);
  }
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (!PolygonWithin(parts[k].polygon, original.polygon)) {
      return done(Fail(ErrorCode::kInvalidArgument,
                       "region " + parts[k].code + ": a part lies outside the grid it splits",
                       parts[k].code, "outside_parent"));
    }
  }
  const double whole = PolygonArea(original.polygon);
  if (std::abs(area - whole) > whole * 1e-3) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "the parts must cover the grid exactly (their areas add up to " +
                         std::to_string(area / whole * 100) + "% of it)",
                     "parts", "parts_do_not_cover"));
  }
  Commit(actor, "region.split", std::move(tree), std::move(changed), {original}, std::nullopt,
         std::move(done), /*replace_points=*/true);
}

void TerritoryService::Move(const Actor& actor, RegionId id, RegionId new_parent_id,
                            EditDone done) {
  if (Status s = RequireAdmin(actor); !s) return done(s.error());
  auto ref = reference_();
  const Territory& territory = ref->territory();
  const Region* region = territory.Find(id);
  if (region == nullptr || !MayEdit(actor, territory, id)) {
    return done(Fail(ErrorCode::kNotFound, "no such region", "id"));
  }
  // A parent outside the caller's subtree is as unknown to them as one that does not exist.
  const Region* parent = territory.Find(new_parent_id);
  if (parent == nullptr || !MayEdit(actor, territory, new_parent_id)) {
    return done(Fail(ErrorCode::kInvalidArgument, "the new parent does not exist", "parent_id",
                     "unknown_parent"));
  }
  const Region* old_parent = territory.Find(region->parent_id);
  if (old_parent == nullptr) {
    return done(Fail(ErrorCode::kInvalidArgument, "the root cannot move", "id"));
  }
  if (parent->level != old_parent->level) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "the new parent must be a " + std::string(RegionLevelName(old_parent->level)),
                     "parent_id", "invalid_level"));
  }
  if (parent->id == old_parent->id) {
    return done(Fail(ErrorCode::kInvalidArgument, "the region already lies there", "parent_id"));
  }
  std::vector<Region> tree = territory.regions();
  std::vector<Region> before;
  std::vector<std::size_t> changed;
  const std::string old_prefix = old_parent->code;
  // The region and its subtree take the new parent's code prefix.
  const std::string suffix = region->code.substr(old_prefix.size());
  const std::string new_code = parent->code + suffix;
  for (std::size_t i = 0; i < tree.size(); ++i) {
    Region& r = tree[i];
    if (!territory.IsWithin(r.id, id)) continue;
    before.push_back(r);
    r.code = new_code + r.code.substr(region->code.size());
    if (r.id == id) r.parent_id = parent->id;
    if (const Region* taken = territory.FindByCode(r.code);
        taken != nullptr && !territory.IsWithin(taken->id, id)) {
      return done(Fail(ErrorCode::kAlreadyExists, "region code " + r.code + " is taken", "id",
                       "duplicate_code"));
    }
    changed.push_back(i);
  }
  std::optional<RegionId> community;
  if (region->level == RegionLevel::kCommunity) community = id;
  Commit(actor, "region.move", std::move(tree), std::move(changed), std::move(before), community,
         std::move(done));
}

void TerritoryService::Commit(const Actor& actor, std::string action, std::vector<Region> tree,
                              std::vector<std::size_t> changed, std::vector<Region> before,
                              std::optional<RegionId> moved_community, EditDone done,
                              bool replace_points) {
  if (Status s = CheckRegionTree(tree, changed); !s) return done(s.error());
  std::shared_ptr<const PointPlacement> placement;
  if (replace_points && geo_index_factory_) {
    placement = std::make_shared<const PointPlacement>(
        PlanPointPlacement(tree, changed, geo_index_factory_));
    if (placement->affected_grids.empty()) placement.reset();  // no grid's polygon changed
  }
  auto regions = std::make_shared<std::vector<Region>>();
  for (std::size_t i : changed) regions->push_back(tree[i]);
  auto shared_tree = std::make_shared<const std::vector<Region>>(std::move(tree));
  auto result = std::make_shared<std::vector<Region>>();
  const TimeMs now = clock_.Now();
  const Crypto& crypto = crypto_;
  Reload reload = reload_;
  auto ref = reference_();
  store_.Submit(
      [=, &crypto](WriteTx& tx) -> Status {
        result->clear();
        // Codes move in two steps so that a subtree swap never collides on the unique index.
        for (Region r : *regions) {
          if (r.id < 0) continue;
          r.code = "~" + r.code;
          if (Status s = tx.UpdateRegion(r); !s) return s;
        }
        for (Region r : *regions) {
          const std::string parent_code = CodeOf(*shared_tree, r.parent_id);
          std::string before_json;
          if (r.id < 0) {
            r.id = 0;
            if (Status s = tx.InsertRegion(r); !s) return s;
          } else {
            if (Status s = tx.UpdateRegion(r); !s) return s;
            for (const Region& b : before) {
              if (b.id == r.id) before_json = RegionAuditJson(b, CodeOf(*shared_tree, b.parent_id));
            }
          }
          AuditRecord a = AuditOf(actor, now, action, "region", std::to_string(r.id));
          a.before = std::move(before_json);
          a.after = RegionAuditJson(r, parent_code);
          if (Status s = AppendAuditRecord(tx, crypto, std::move(a)); !s) return s;
          result->push_back(r);
        }
        if (moved_community) {
          const Region* community = ref->territory().Find(*moved_community);
          RegionPath path;
          for (const Region& r : *regions) {
            if (r.id == *moved_community) {
              const Region* street = ref->territory().Find(r.parent_id);
              path.community_id = r.id;
              path.street_id = street != nullptr ? street->id : 0;
              path.district_id =
                  street != nullptr ? ref->territory().PathOf(street->id).district_id : 0;
            }
          }
          if (community != nullptr) {
            if (Status s = tx.RepathCommunity(*moved_community, path); !s) return s;
          }
        }
        if (placement) {
          // New grids got their ids just now: map the provisional ids the index knows them by.
          std::unordered_map<RegionId, RegionId> real_ids;
          for (std::size_t k = 0; k < regions->size(); ++k) {
            if ((*regions)[k].id < 0) real_ids[(*regions)[k].id] = (*result)[k].id;
          }
          if (Status s = ReplacePoints(tx, crypto, actor, now, action, *placement, real_ids); !s) {
            return s;
          }
        }
        return Status::Ok();
      },
      [result, reload, done = std::move(done)](Status status) {
        if (!status) return done(status.error());
        if (reload) {
          if (Status s = reload(); !s) return done(s.error());
        }
        done(std::move(*result));
      });
}

}  // namespace civicgrid
