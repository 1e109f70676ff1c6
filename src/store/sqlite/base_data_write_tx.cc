// SqliteWriteTx writes of the territory edits and the base data (issue 3). Statements are
// prepared on first use and cached on the write connection.
#include "store/row_codec.h"
#include "store/sqlite/base_data_rows.h"
#include "store/sqlite/sqlite_write_tx.h"

namespace civicgrid {

namespace {

void BindPath(Stmt& s, int first, const RegionPath& p) {
  s.Bind(first, p.grid_id);
  s.Bind(first + 1, p.community_id);
  s.Bind(first + 2, p.street_id);
  s.Bind(first + 3, p.district_id);
}

void BindOptional(Stmt& s, int i, const std::optional<TimeMs>& v) {
  s.Bind(i, std::optional<std::int64_t>(v));
}

}  // namespace

Status SqliteWriteTx::UpdateRegion(const Region& r) {
  auto prepared = Prepared(
      "UPDATE regions SET parent_id = ?, level = ?, code = ?, name = ?, polygon = ? WHERE id = ?");
  if (!prepared) return prepared.error();
  const std::string polygon = EncodePolygon(r.polygon);
  Stmt s(*prepared);
  if (r.parent_id != 0) s.Bind(1, r.parent_id);
  s.Bind(2, static_cast<int>(r.level));
  s.Bind(3, r.code);
  s.Bind(4, r.name);
  s.Bind(5, polygon);
  s.Bind(6, r.id);
  return Done(s.Step(), "updating a region");
}

Status SqliteWriteTx::RepathCommunity(RegionId community_id, const RegionPath& path) {
  for (const char* table :
       {"events", "households", "residents", "places", "key_persons", "patrols", "patrol_logs"}) {
    auto prepared = Prepared(std::string("UPDATE ") + table +
                             " SET street_id = ?, district_id = ? WHERE community_id = ?");
    if (!prepared) return prepared.error();
    Stmt s(*prepared);
    s.Bind(1, path.street_id);
    s.Bind(2, path.district_id);
    s.Bind(3, community_id);
    if (Status st = Done(s.Step(), "re-placing rows of a moved community"); !st.ok()) return st;
  }
  return Status::Ok();
}

Status SqliteWriteTx::InsertHousehold(Household& h) {
  auto prepared = Prepared(std::string("INSERT INTO households(") + kHouseholdColumns +
                           ") VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  if (!prepared) return prepared.error();
  {
    Stmt s(*prepared);
    if (h.id != 0) s.Bind(1, h.id);
    BindPath(s, 2, h.path);
    s.Bind(6, h.number);
    s.Bind(7, h.address);
    s.Bind(8, h.head_name);
    s.Bind(9, h.phone);
    s.Bind(10, h.created_at);
    s.Bind(11, h.updated_at);
    if (Status st = Done(s.Step(), "inserting a household"); !st.ok()) return st;
  }
  h.id = sqlite3_last_insert_rowid(conn_.db());
  return Status::Ok();
}

Result<std::optional<Household>> SqliteWriteTx::FindHousehold(std::int64_t id) {
  auto prepared =
      Prepared(std::string("SELECT ") + kHouseholdColumns + " FROM households WHERE id = ?");
  if (!prepared) return prepared.error();
  Stmt s(*prepared);
  s.Bind(1, id);
  const int rc = s.Step();
  if (rc == SQLITE_ROW) return std::optional<Household>(ReadHousehold(s));
  if (Status st = Done(rc, "reading a household"); !st.ok()) return st.error();
  return std::optional<Household>();
}

Status SqliteWriteTx::InsertResident(Resident& r) {
  auto prepared = Prepared(std::string("INSERT INTO residents(") + kResidentColumns +
                           ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!prepared) return prepared.error();
  {
    Stmt s(*prepared);
    if (r.id != 0) s.Bind(1, r.id);
    s.Bind(2, r.household_id);
    BindPath(s, 3, r.path);
    s.Bind(7, r.name);
    s.Bind(8, r.gender);
    s.Bind(9, r.birth_date);
    s.Bind(10, r.id_sealed);
    s.Bind(11, r.id_blind);
    s.Bind(12, r.id_masked);
    s.Bind(13, ResidentTypeName(r.type));
    s.Bind(14, r.phone);
    s.Bind(15, ResidentStatusName(r.status));
    BindOptional(s, 16, r.arrived_at);
    BindOptional(s, 17, r.departed_at);
    s.Bind(18, r.created_at);
    s.Bind(19, r.updated_at);
    if (Status st = Done(s.Step(), "inserting a resident"); !st.ok()) return st;
  }
  r.id = sqlite3_last_insert_rowid(conn_.db());
  return Status::Ok();
}

Result<std::optional<Resident>> SqliteWriteTx::FindResident(std::int64_t id) {
  auto prepared =
      Prepared(std::string("SELECT ") + kResidentColumns + " FROM residents WHERE id = ?");
  if (!prepared) return prepared.error();
  Stmt s(*prepared);
  s.Bind(1, id);
  const int rc = s.Step();
  if (rc == SQLITE_ROW) return std::optional<Resident>(ReadResident(s));
  if (Status st = Done(rc, "reading a resident"); !st.ok()) return st.error();
  return std::optional<Resident>();
}

Status SqliteWriteTx::UpdateResident(const Resident& r) {
  auto prepared = Prepared(
      "UPDATE residents SET household_id = ?, grid_id = ?, community_id = ?, street_id = ?, "
      "district_id = ?, status = ?, arrived_at = ?, departed_at = ?, updated_at = ? WHERE id = ?");
  if (!prepared) return prepared.error();
  Stmt s(*prepared);
  s.Bind(1, r.household_id);
  BindPath(s, 2, r.path);
  s.Bind(6, ResidentStatusName(r.status));
  BindOptional(s, 7, r.arrived_at);
  BindOptional(s, 8, r.departed_at);
  s.Bind(9, r.updated_at);
  s.Bind(10, r.id);
  return Done(s.Step(), "updating a resident");
}

Status SqliteWriteTx::InsertResidentMove(ResidentMove& m) {
  auto prepared = Prepared(
      "INSERT INTO resident_moves(resident_id, kind, at, grid_id, actor_id, note) "
      "VALUES (?,?,?,?,?,?)");
  if (!prepared) return prepared.error();
  {
    Stmt s(*prepared);
    s.Bind(1, m.resident_id);
    s.Bind(2, m.kind);
    s.Bind(3, m.at);
    s.Bind(4, m.grid_id);
    s.Bind(5, m.actor_id);
    s.Bind(6, m.note);
    if (Status st = Done(s.Step(), "recording a resident move"); !st.ok()) return st;
  }
  m.id = sqlite3_last_insert_rowid(conn_.db());
  return Status::Ok();
}

Status SqliteWriteTx::InsertPlace(Place& p) {
  auto prepared = Prepared(std::string("INSERT INTO places(") + kPlaceColumns +
                           ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!prepared) return prepared.error();
  {
    Stmt s(*prepared);
    if (p.id != 0) s.Bind(1, p.id);
    s.Bind(2, PlaceKindName(p.kind));
    s.Bind(3, p.name);
    s.Bind(4, p.address);
    s.Bind(5, p.lon);
    s.Bind(6, p.lat);
    BindPath(s, 7, p.path);
    s.Bind(11, p.contact);
    s.Bind(12, p.phone);
    s.Bind(13, p.risk_level);
    s.Bind(14, p.created_at);
    s.Bind(15, p.updated_at);
    if (Status st = Done(s.Step(), "inserting a place"); !st.ok()) return st;
  }
  p.id = sqlite3_last_insert_rowid(conn_.db());
  return Status::Ok();
}

Status SqliteWriteTx::InsertKeyPerson(KeyPerson& k) {
  auto prepared = Prepared(std::string("INSERT INTO key_persons(") + kKeyPersonColumns +
                           ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!prepared) return prepared.error();
  {
    Stmt s(*prepared);
    if (k.id != 0) s.Bind(1, k.id);
    s.Bind(2, k.resident_id);
    BindPath(s, 3, k.path);
    s.Bind(7, k.category);
    s.Bind(8, k.level);
    s.Bind(9, k.worker_id);
    s.Bind(10, k.visit_interval_days);
    BindOptional(s, 11, k.last_visit_at);
    s.Bind(12, k.next_visit_due);
    s.Bind(13, k.note);
    s.Bind(14, k.created_at);
    s.Bind(15, k.updated_at);
    if (Status st = Done(s.Step(), "inserting a key person"); !st.ok()) return st;
  }
  k.id = sqlite3_last_insert_rowid(conn_.db());
  return Status::Ok();
}

Result<std::optional<KeyPerson>> SqliteWriteTx::FindKeyPerson(std::int64_t id) {
  auto prepared =
      Prepared(std::string("SELECT ") + kKeyPersonColumns + " FROM key_persons WHERE id = ?");
  if (!prepared) return prepared.error();
  Stmt s(*prepared);
  s.Bind(1, id);
  const int rc = s.Step();
  if (rc == SQLITE_ROW) return std::optional<KeyPerson>(ReadKeyPerson(s));
  if (Status st = Done(rc, "reading a key person"); !st.ok()) return st.error();
  return std::optional<KeyPerson>();
}

Status SqliteWriteTx::UpdateKeyPersonVisit(const KeyPerson& k) {
  auto prepared = Prepared(
      "UPDATE key_persons SET last_visit_at = ?, next_visit_due = ?, updated_at = ? WHERE id = ?");
  if (!prepared) return prepared.error();
  Stmt s(*prepared);
  BindOptional(s, 1, k.last_visit_at);
  s.Bind(2, k.next_visit_due);
  s.Bind(3, k.updated_at);
  s.Bind(4, k.id);
  return Done(s.Step(), "updating a key person");
}

Result<std::optional<KeyPerson>> SqliteWriteTx::FindKeyPersonOfResident(std::int64_t resident_id) {
  auto prepared = Prepared(std::string("SELECT ") + kKeyPersonColumns +
                           " FROM key_persons WHERE resident_id = ?");
  if (!prepared) return prepared.error();
  Stmt s(*prepared);
  s.Bind(1, resident_id);
  const int rc = s.Step();
  if (rc == SQLITE_ROW) return std::optional<KeyPerson>(ReadKeyPerson(s));
  if (Status st = Done(rc, "reading a key person"); !st.ok()) return st.error();
  return std::optional<KeyPerson>();
}

Status SqliteWriteTx::UpdateKeyPersonPlacement(const KeyPerson& k) {
  auto prepared = Prepared(
      "UPDATE key_persons SET grid_id = ?, community_id = ?, street_id = ?, district_id = ?, "
      "worker_id = ?, updated_at = ? WHERE id = ?");
  if (!prepared) return prepared.error();
  Stmt s(*prepared);
  s.Bind(1, k.path.grid_id);
  s.Bind(2, k.path.community_id);
  s.Bind(3, k.path.street_id);
  s.Bind(4, k.path.district_id);
  s.Bind(5, k.worker_id);
  s.Bind(6, k.updated_at);
  s.Bind(7, k.id);
  return Done(s.Step(), "moving a key person");
}

Status SqliteWriteTx::InsertKeyPersonVisit(KeyPersonVisit& v) {
  auto prepared = Prepared(
      "INSERT INTO key_person_visits(key_person_id, worker_id, at, note) VALUES (?,?,?,?)");
  if (!prepared) return prepared.error();
  {
    Stmt s(*prepared);
    s.Bind(1, v.key_person_id);
    s.Bind(2, v.worker_id);
    s.Bind(3, v.at);
    s.Bind(4, v.note);
    if (Status st = Done(s.Step(), "recording a visit"); !st.ok()) return st;
  }
  v.id = sqlite3_last_insert_rowid(conn_.db());
  return Status::Ok();
}

Status SqliteWriteTx::InsertPatrolCheckIn(PatrolCheckIn& p) {
  auto prepared = Prepared(std::string("INSERT INTO patrols(") + kPatrolColumns +
                           ") VALUES (?,?,?,?,?,?,?,?,?,?)");
  if (!prepared) return prepared.error();
  {
    Stmt s(*prepared);
    if (p.id != 0) s.Bind(1, p.id);
    s.Bind(2, p.user_id);
    s.Bind(3, p.at);
    s.Bind(4, p.lon);
    s.Bind(5, p.lat);
    BindPath(s, 6, p.path);
    s.Bind(10, p.note);
    if (Status st = Done(s.Step(), "recording a patrol check-in"); !st.ok()) return st;
  }
  p.id = sqlite3_last_insert_rowid(conn_.db());
  return Status::Ok();
}

Status SqliteWriteTx::InsertPatrolLog(PatrolLog& l) {
  auto prepared = Prepared(std::string("INSERT INTO patrol_logs(") + kPatrolLogColumns +
                           ") VALUES (?,?,?,?,?,?,?,?,?)");
  if (!prepared) return prepared.error();
  {
    Stmt s(*prepared);
    if (l.id != 0) s.Bind(1, l.id);
    s.Bind(2, l.user_id);
    s.Bind(3, l.day);
    BindPath(s, 4, l.path);
    s.Bind(8, l.content);
    s.Bind(9, l.created_at);
    if (Status st = Done(s.Step(), "recording a daily log"); !st.ok()) return st;
  }
  l.id = sqlite3_last_insert_rowid(conn_.db());
  return Status::Ok();
}

}  // namespace civicgrid
