// Cameras, camera alarms and the alarm type mapping in SQLite (issue 5, migrations 10-11): the
// reads of SqliteStore and the writes of SqliteWriteTx, statements prepared on first use and cached
// by each connection.
#include "store/sqlite/base_data_rows.h"
#include "store/sqlite/read_rows.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_write_tx.h"

namespace civicgrid {

namespace {

constexpr const char* kCameraColumns =
    "id, code, name, lon, lat, grid_id, community_id, street_id, district_id, enabled, "
    "created_at, updated_at";
constexpr const char* kAlarmColumns =
    "camera_id, alarm_id, type, alarm_at, snapshot_url, event_id, assigned_user_id, "
    "assigned_metres, received_at";

Camera ReadCamera(const Stmt& s) {
  Camera c;
  c.id = s.Int(0);
  c.code = s.Text(1);
  c.name = s.Text(2);
  c.lon = s.Real(3);
  c.lat = s.Real(4);
  c.path.grid_id = s.Int(5);
  c.path.community_id = s.Int(6);
  c.path.street_id = s.Int(7);
  c.path.district_id = s.Int(8);
  c.enabled = s.Int(9) != 0;
  c.created_at = s.Int(10);
  c.updated_at = s.Int(11);
  return c;
}

CameraAlarm ReadAlarm(const Stmt& s) {
  CameraAlarm a;
  a.camera_id = s.Int(0);
  a.alarm_id = s.Text(1);
  a.type = s.Text(2);
  a.alarm_at = s.Int(3);
  a.snapshot_url = s.Text(4);
  a.event_id = s.Int(5);
  a.assigned_user_id = s.Int(6);
  a.assigned_metres = s.Real(7);
  a.received_at = s.Int(8);
  return a;
}

constexpr const char* kAlarmTypeColumns = "type, category, label";

AlarmType ReadAlarmType(const Stmt& s) {
  return AlarmType{std::string(s.Text(0)), std::string(s.Text(1)), std::string(s.Text(2))};
}

std::string AlarmTypeByName() {
  return std::string("SELECT ") + kAlarmTypeColumns + " FROM camera_alarm_types WHERE type = ?";
}

std::string CameraById() {
  return std::string("SELECT ") + kCameraColumns + " FROM cameras WHERE id = ?";
}

}  // namespace

// --- Reads ---

Result<std::optional<Camera>> SqliteStore::FindCamera(std::int64_t id) {
  Result<std::optional<Camera>> out = std::optional<Camera>();
  Status s = WithReader([&](Connection& c) -> Status {
    out = FirstRow(c, CameraById(), {SqlValue(std::int64_t{id})}, &ReadCamera, "reading a camera");
    return out ? Status::Ok() : Status(out.error());
  });
  if (!s) return s.error();
  return out;
}

Result<std::optional<Camera>> SqliteStore::FindCameraByCode(std::string_view code) {
  Result<std::optional<Camera>> out = std::optional<Camera>();
  Status s = WithReader([&](Connection& c) -> Status {
    out = FirstRow(c, std::string("SELECT ") + kCameraColumns + " FROM cameras WHERE code = ?",
                   {SqlValue(std::string(code))}, &ReadCamera, "reading a camera");
    return out ? Status::Ok() : Status(out.error());
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<Camera>> SqliteStore::ListCameras(const BaseDataQuery& q) {
  std::vector<SqlValue> binds;
  std::string sql = std::string("SELECT ") + kCameraColumns + " FROM cameras WHERE " +
                    ScopeCondition(q.scope, binds);
  if (q.before_id > 0) {
    sql += " AND id < ?";
    binds.emplace_back(std::int64_t{q.before_id});
  }
  sql += " ORDER BY id DESC LIMIT ?";
  binds.emplace_back(std::int64_t{q.limit});
  std::vector<Camera> out;
  Status s = WithReader([&](Connection& c) {
    return CollectRows(c, sql, binds, &ReadCamera, out, "listing cameras");
  });
  if (!s) return s.error();
  return out;
}

Result<std::optional<CameraAlarm>> SqliteStore::FindCameraAlarmOfEvent(EventId event_id) {
  Result<std::optional<CameraAlarm>> out = std::optional<CameraAlarm>();
  Status s = WithReader([&](Connection& c) -> Status {
    out = FirstRow(
        c, std::string("SELECT ") + kAlarmColumns + " FROM camera_alarms WHERE event_id = ?",
        {SqlValue(std::int64_t{event_id})}, &ReadAlarm, "reading a camera alarm");
    return out ? Status::Ok() : Status(out.error());
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<AlarmType>> SqliteStore::ListAlarmTypes() {
  std::vector<AlarmType> out;
  Status s = WithReader([&](Connection& c) {
    return CollectRows(
        c, std::string("SELECT ") + kAlarmTypeColumns + " FROM camera_alarm_types ORDER BY type",
        {}, &ReadAlarmType, out, "listing alarm types");
  });
  if (!s) return s.error();
  return out;
}

Result<std::optional<AlarmType>> SqliteStore::FindAlarmType(std::string_view type) {
  Result<std::optional<AlarmType>> out = std::optional<AlarmType>();
  Status s = WithReader([&](Connection& c) -> Status {
    out = FirstRow(c, AlarmTypeByName(), {SqlValue(std::string(type))}, &ReadAlarmType,
                   "reading an alarm type");
    return out ? Status::Ok() : Status(out.error());
  });
  if (!s) return s.error();
  return out;
}

// --- Writes ---

Status SqliteWriteTx::InsertCamera(Camera& cam) {
  auto prepared = Prepared(
      "INSERT INTO cameras(code, name, lon, lat, grid_id, community_id, street_id, district_id, "
      "enabled, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  if (!prepared) return prepared.error();
  {
    Stmt s(*prepared);
    s.Bind(1, cam.code);
    s.Bind(2, cam.name);
    s.Bind(3, cam.lon);
    s.Bind(4, cam.lat);
    s.Bind(5, cam.path.grid_id);
    s.Bind(6, cam.path.community_id);
    s.Bind(7, cam.path.street_id);
    s.Bind(8, cam.path.district_id);
    s.Bind(9, cam.enabled ? 1 : 0);
    s.Bind(10, cam.created_at);
    s.Bind(11, cam.updated_at);
    if (Status st = Done(s.Step(), "inserting a camera"); !st) return st;
  }
  cam.id = sqlite3_last_insert_rowid(conn_.db());
  return Status::Ok();
}

Result<std::optional<Camera>> SqliteWriteTx::FindCamera(std::int64_t id) {
  return FirstRow(conn_, CameraById(), {SqlValue(std::int64_t{id})}, &ReadCamera,
                  "reading a camera");
}

Status SqliteWriteTx::UpdateCamera(const Camera& cam) {
  auto prepared = Prepared(
      "UPDATE cameras SET name = ?, lon = ?, lat = ?, grid_id = ?, community_id = ?, "
      "street_id = ?, district_id = ?, enabled = ?, updated_at = ? WHERE id = ?");
  if (!prepared) return prepared.error();
  Stmt s(*prepared);
  s.Bind(1, cam.name);
  s.Bind(2, cam.lon);
  s.Bind(3, cam.lat);
  s.Bind(4, cam.path.grid_id);
  s.Bind(5, cam.path.community_id);
  s.Bind(6, cam.path.street_id);
  s.Bind(7, cam.path.district_id);
  s.Bind(8, cam.enabled ? 1 : 0);
  s.Bind(9, cam.updated_at);
  s.Bind(10, cam.id);
  if (Status st = Done(s.Step(), "updating a camera"); !st) return st;
  if (sqlite3_changes(conn_.db()) == 0) {
    return Fail(ErrorCode::kNotFound, "camera " + std::to_string(cam.id) + " not found", "id");
  }
  return Status::Ok();
}

Result<std::optional<CameraAlarm>> SqliteWriteTx::FindCameraAlarm(std::int64_t camera_id,
                                                                  std::string_view alarm_id) {
  return FirstRow(conn_,
                  std::string("SELECT ") + kAlarmColumns +
                      " FROM camera_alarms WHERE camera_id = ? AND alarm_id = ?",
                  {SqlValue(std::int64_t{camera_id}), SqlValue(std::string(alarm_id))}, &ReadAlarm,
                  "reading a camera alarm");
}

Status SqliteWriteTx::InsertCameraAlarm(const CameraAlarm& a) {
  auto prepared = Prepared(std::string("INSERT INTO camera_alarms(") + kAlarmColumns +
                           ") VALUES (?,?,?,?,?,?,?,?,?)");
  if (!prepared) return prepared.error();
  Stmt s(*prepared);
  s.Bind(1, a.camera_id);
  s.Bind(2, a.alarm_id);
  s.Bind(3, a.type);
  s.Bind(4, a.alarm_at);
  s.Bind(5, a.snapshot_url);
  s.Bind(6, a.event_id);
  s.Bind(7, a.assigned_user_id);
  s.Bind(8, a.assigned_metres);
  s.Bind(9, a.received_at);
  return Done(s.Step(), "inserting a camera alarm");
}

Result<std::optional<AlarmType>> SqliteWriteTx::FindAlarmType(std::string_view type) {
  return FirstRow(conn_, AlarmTypeByName(), {SqlValue(std::string(type))}, &ReadAlarmType,
                  "reading an alarm type");
}

Status SqliteWriteTx::PutAlarmType(const AlarmType& t) {
  auto prepared = Prepared(
      "INSERT INTO camera_alarm_types(type, category, label) VALUES (?,?,?) "
      "ON CONFLICT(type) DO UPDATE SET category = excluded.category, label = excluded.label");
  if (!prepared) return prepared.error();
  Stmt s(*prepared);
  s.Bind(1, t.type);
  s.Bind(2, t.category);
  s.Bind(3, t.label);
  return Done(s.Step(), "storing an alarm type");
}

}  // namespace civicgrid
