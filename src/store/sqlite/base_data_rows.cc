#include "store/sqlite/base_data_rows.h"

namespace civicgrid {

namespace {

RegionPath ReadPath(const Stmt& s, int first) {
  RegionPath p;
  p.grid_id = s.Int(first);
  p.community_id = s.Int(first + 1);
  p.street_id = s.Int(first + 2);
  p.district_id = s.Int(first + 3);
  return p;
}

}  // namespace

Household ReadHousehold(const Stmt& s) {
  Household h;
  h.id = s.Int(0);
  h.path = ReadPath(s, 1);
  h.number = s.Text(5);
  h.address = s.Text(6);
  h.head_name = s.Text(7);
  h.phone = s.Text(8);
  h.created_at = s.Int(9);
  h.updated_at = s.Int(10);
  return h;
}

Resident ReadResident(const Stmt& s) {
  Resident r;
  r.id = s.Int(0);
  r.household_id = s.Int(1);
  r.path = ReadPath(s, 2);
  r.name = s.Text(6);
  r.gender = s.Text(7);
  r.birth_date = s.Text(8);
  r.id_sealed = s.Text(9);
  r.id_blind = s.Text(10);
  r.id_masked = s.Text(11);
  r.type = ResidentTypeFromName(s.Text(12)).value_or(ResidentType::kRegistered);
  r.phone = s.Text(13);
  r.status = s.Text(14) == "departed" ? ResidentStatus::kDeparted : ResidentStatus::kPresent;
  r.arrived_at = s.OptionalInt(15);
  r.departed_at = s.OptionalInt(16);
  r.created_at = s.Int(17);
  r.updated_at = s.Int(18);
  return r;
}

Place ReadPlace(const Stmt& s) {
  Place p;
  p.id = s.Int(0);
  p.kind = PlaceKindFromName(s.Text(1)).value_or(PlaceKind::kShop);
  p.name = s.Text(2);
  p.address = s.Text(3);
  p.lon = s.Real(4);
  p.lat = s.Real(5);
  p.path = ReadPath(s, 6);
  p.contact = s.Text(10);
  p.phone = s.Text(11);
  p.risk_level = static_cast<int>(s.Int(12));
  p.created_at = s.Int(13);
  p.updated_at = s.Int(14);
  return p;
}

KeyPerson ReadKeyPerson(const Stmt& s) {
  KeyPerson k;
  k.id = s.Int(0);
  k.resident_id = s.Int(1);
  k.path = ReadPath(s, 2);
  k.category = s.Text(6);
  k.level = s.Text(7);
  k.worker_id = s.Int(8);
  k.visit_interval_days = static_cast<int>(s.Int(9));
  k.last_visit_at = s.OptionalInt(10);
  k.next_visit_due = s.Int(11);
  k.note = s.Text(12);
  k.created_at = s.Int(13);
  k.updated_at = s.Int(14);
  return k;
}

PatrolCheckIn ReadPatrol(const Stmt& s) {
  PatrolCheckIn p;
  p.id = s.Int(0);
  p.user_id = s.Int(1);
  p.at = s.Int(2);
  p.lon = s.Real(3);
  p.lat = s.Real(4);
  p.path = ReadPath(s, 5);
  p.note = s.Text(9);
  return p;
}

PatrolLog ReadPatrolLog(const Stmt& s) {
  PatrolLog l;
  l.id = s.Int(0);
  l.user_id = s.Int(1);
  l.day = s.Text(2);
  l.path = ReadPath(s, 3);
  l.content = s.Text(7);
  l.created_at = s.Int(8);
  return l;
}

std::string ScopeCondition(const RegionFilter& f, std::vector<SqlValue>& binds) {
  if (f.all) return "1";
  if (f.id == 0) return "0";
  const char* column = "grid_id";
  switch (f.level) {
    case RegionLevel::kCity: return "1";
    case RegionLevel::kDistrict: column = "district_id"; break;
    case RegionLevel::kStreet: column = "street_id"; break;
    case RegionLevel::kCommunity: column = "community_id"; break;
    case RegionLevel::kGrid: column = "grid_id"; break;
  }
  binds.emplace_back(std::int64_t{f.id});
  return std::string(column) + " = ?";
}

}  // namespace civicgrid
