// SqliteWriteTx: re-placing rows with points after a grid edit, and the resident edit (issue 3).
#include "store/sqlite/sqlite_write_tx.h"

namespace civicgrid {

namespace {

const char* TableOf(PlacedKind kind) { return kind == PlacedKind::kEvent ? "events" : "places"; }

}  // namespace

Result<std::vector<PlacedPoint>> SqliteWriteTx::PlacedPointsIn(
    PlacedKind kind, const std::vector<RegionId>& grid_ids, const std::array<double, 4>& box) {
  std::vector<PlacedPoint> out;
  auto read = [&](Stmt& s) -> Status {
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      PlacedPoint& p = out.emplace_back();
      p.id = s.Int(0);
      p.lon = s.Real(1);
      p.lat = s.Real(2);
      p.path.grid_id = s.Int(3);
      p.path.community_id = s.Int(4);
      p.path.street_id = s.Int(5);
      p.path.district_id = s.Int(6);
    }
    return Done(rc, "reading rows placed in a grid");
  };
  const std::string columns =
      "SELECT id, lon, lat, grid_id, community_id, street_id, district_id FROM ";
  {
    // One index seek per grid (events_grid, places_grid).
    auto prepared = Prepared(columns + TableOf(kind) + " WHERE grid_id = ? ORDER BY id");
    if (!prepared) return prepared.error();
    for (RegionId grid : grid_ids) {
      if (grid == 0) continue;
      Stmt s(*prepared);
      s.Bind(1, grid);
      if (Status st = read(s); !st.ok()) return st.error();
    }
  }
  auto prepared = Prepared(columns + TableOf(kind) +
                           " WHERE grid_id = 0 AND lon >= ? AND lon <= ? AND lat >= ? AND lat <= ?"
                           " ORDER BY id");
  if (!prepared) return prepared.error();
  Stmt s(*prepared);
  s.Bind(1, box[0]);  // min_lon
  s.Bind(2, box[2]);  // max_lon
  s.Bind(3, box[1]);  // min_lat
  s.Bind(4, box[3]);  // max_lat
  if (Status st = read(s); !st.ok()) return st.error();
  return out;
}

Status SqliteWriteTx::SetPlacement(PlacedKind kind, std::int64_t id, const RegionPath& path,
                                   TimeMs now) {
  auto prepared = Prepared(std::string("UPDATE ") + TableOf(kind) +
                           " SET grid_id = ?, community_id = ?, street_id = ?, district_id = ?, "
                           "updated_at = ? WHERE id = ?");
  if (!prepared) return prepared.error();
  Stmt s(*prepared);
  s.Bind(1, path.grid_id);
  s.Bind(2, path.community_id);
  s.Bind(3, path.street_id);
  s.Bind(4, path.district_id);
  s.Bind(5, now);
  s.Bind(6, id);
  return Done(s.Step(), "re-placing a row in its grid");
}

Status SqliteWriteTx::UpdateResidentDetails(const Resident& r) {
  auto prepared = Prepared(
      "UPDATE residents SET name = ?, gender = ?, birth_date = ?, id_sealed = ?, id_blind = ?, "
      "id_masked = ?, resident_type = ?, phone = ?, household_id = ?, grid_id = ?, "
      "community_id = ?, street_id = ?, district_id = ?, updated_at = ? WHERE id = ?");
  if (!prepared) return prepared.error();
  Stmt s(*prepared);
  s.Bind(1, r.name);
  s.Bind(2, r.gender);
  s.Bind(3, r.birth_date);
  s.Bind(4, r.id_sealed);
  s.Bind(5, r.id_blind);
  s.Bind(6, r.id_masked);
  s.Bind(7, ResidentTypeName(r.type));
  s.Bind(8, r.phone);
  s.Bind(9, r.household_id);
  s.Bind(10, r.path.grid_id);
  s.Bind(11, r.path.community_id);
  s.Bind(12, r.path.street_id);
  s.Bind(13, r.path.district_id);
  s.Bind(14, r.updated_at);
  s.Bind(15, r.id);
  return Done(s.Step(), "updating a resident");
}

}  // namespace civicgrid
