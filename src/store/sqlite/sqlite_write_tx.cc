#include "store/sqlite/sqlite_write_tx.h"

#include <algorithm>

#include "store/row_codec.h"
#include "store/sqlite/audit_row.h"
#include "store/sqlite/event_row.h"

namespace civicgrid {
namespace {

std::string Concat(std::string_view a, std::string_view b = {}, std::string_view c = {}) {
  std::string s(a);
  s.append(b);
  s.append(c);
  return s;
}

}  // namespace

Result<std::unique_ptr<SqliteWriteTx>> SqliteWriteTx::Create(Connection& conn) {
  std::unique_ptr<SqliteWriteTx> tx(new SqliteWriteTx(conn));
  const std::array<std::string, kSqlCount> sql = {
      Concat("SELECT ", kEventColumns, " FROM events WHERE id = ?"),
      "SELECT event_id FROM idempotency_keys WHERE user_id = ? AND key = ?",
      "INSERT INTO idempotency_keys(user_id, key, event_id, created_at) VALUES (?,?,?,?)",
      "INSERT INTO daily_sequences(day, value) VALUES (?1, ?2) "
      "ON CONFLICT(day) DO UPDATE SET value = value + ?2 RETURNING value",
      Concat("INSERT INTO events(", kEventColumns,
             ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
      "SELECT category, grid_id, community_id, street_id, district_id FROM events WHERE id = ?",
      "UPDATE events SET lon = ?, lat = ?, address = ?, owner_region_id = ?, reporter_name = ?, "
      "reporter_phone = ?, priority = ?, status = ?, version = ?, department_id = ?, "
      "assignee_user_id = ?, deadline = ?, suspended = ?, suspended_at = ?, "
      "supervision_level = ?, escalation_level = ?, merged_into = ?, rating = ?, "
      "attachments = ?, updated_at = ?, closed_at = ?, last_hash = ?, history_count = ? "
      "WHERE id = ?",
      "UPDATE events SET category = ?, grid_id = ?, community_id = ?, street_id = ?, "
      "district_id = ? WHERE id = ?",
      Concat("INSERT INTO event_history(", kHistoryColumns, ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"),
      "INSERT INTO sessions(token_hash, user_id, created_at, expires_at) VALUES (?,?,?,?)",
      "DELETE FROM sessions WHERE token_hash = ?",
      "INSERT INTO regions(id, parent_id, level, code, name, polygon) VALUES (?,?,?,?,?,?)",
      "INSERT INTO departments(id, code, name, name_en, region_id) VALUES (?,?,?,?,?)",
      "INSERT INTO categories(code, name, name_en, parent_code, department_id, time_limit, "
      "time_unit, priority) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(code) DO UPDATE SET "
      "name = excluded.name, name_en = excluded.name_en, parent_code = excluded.parent_code, "
      "department_id = excluded.department_id, time_limit = excluded.time_limit, "
      "time_unit = excluded.time_unit, priority = excluded.priority",
      "INSERT INTO users(id, username, display_name, password_hash, roles, region_id, "
      "department_id, disabled) VALUES (?,?,?,?,?,?,?,?)",
      "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
      Concat("INSERT INTO audit_log(", kAuditColumns, ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"),
      std::string(kStateQueries[0]),
      std::string(kStateQueries[1]),
      std::string(kStateQueries[2]),
      "UPDATE store_meta SET value = ? WHERE key = 'events_created_disorder_ms'",
  };
  for (std::size_t i = 0; i < kSqlCount; ++i) {
    auto stmt = conn.Prepare(sql[i]);
    if (!stmt) return stmt.error();
    tx->stmts_[i] = *stmt;
  }
  return tx;
}

Status SqliteWriteTx::Done(int rc, std::string_view doing) {
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::Ok();
  return SqliteError(conn_.db(), rc, doing);
}

Status SqliteWriteTx::BeginTransaction() {
  // Each is one index seek; reading them afresh covers other processes' writes.
  const auto read = [&](Sql which, std::int64_t& out) -> Status {
    Stmt s = Use(which);
    const int rc = s.Step();
    if (rc != SQLITE_ROW) return SqliteError(conn_.db(), rc, "reading the store's state");
    out = s.Int(0);
    return Status::Ok();
  };
  if (Status s = read(kMaxEventId, max_stored_id_); !s.ok()) return s;
  if (Status s = read(kMaxCreatedAt, max_created_at_); !s.ok()) return s;
  if (Status s = read(kReadDisorder, disorder_ms_); !s.ok()) return s;
  last_event_id_ = std::max(last_event_id_, max_stored_id_);
  pending_.clear();
  return Status::Ok();
}

void SqliteWriteTx::RollBackTo(const UnitMark& m) {
  pending_.resize(m.search_rows);
  max_created_at_ = m.max_created_at;
  max_stored_id_ = m.max_stored_id;
  disorder_ms_ = m.disorder_ms;
}

Status SqliteWriteTx::TrackCreationOrder(const Event& e) {
  // An id below a stored one could break the bound in either direction: give it up.
  constexpr std::int64_t kUnbounded = std::int64_t{1} << 62;
  std::int64_t behind = 0;
  if (e.id <= max_stored_id_) {
    behind = kUnbounded;
  } else if (e.created_at < max_created_at_) {
    behind = max_created_at_ - e.created_at;
  }
  max_stored_id_ = std::max(max_stored_id_, e.id);
  max_created_at_ = std::max(max_created_at_, e.created_at);
  if (behind <= disorder_ms_) return Status::Ok();
  Stmt s = Use(kWriteDisorder);
  s.Bind(1, behind);
  if (Status st = Done(s.Step(), "recording the creation order"); !st.ok()) return st;
  disorder_ms_ = behind;
  return Status::Ok();
}

Result<EventId> SqliteWriteTx::NextEventId() { return ++last_event_id_; }

Result<std::optional<Event>> SqliteWriteTx::FindEvent(EventId id) {
  Stmt s = Use(kFindEvent);
  s.Bind(1, id);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<Event>();
  if (rc != SQLITE_ROW) return SqliteError(conn_.db(), rc, "reading an event");
  auto e = ReadEvent(s);
  if (!e) return e.error();
  return std::optional<Event>(std::move(*e));
}

Result<std::optional<EventId>> SqliteWriteTx::FindIdempotentEvent(UserId user,
                                                                  std::string_view key) {
  Stmt s = Use(kFindIdempotent);
  s.Bind(1, user);
  s.Bind(2, key);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<EventId>();
  if (rc != SQLITE_ROW) return SqliteError(conn_.db(), rc, "reading an idempotency key");
  return std::optional<EventId>(s.Int(0));
}

Status SqliteWriteTx::PutIdempotencyKey(UserId user, std::string_view key, EventId event,
                                        TimeMs at) {
  Stmt s = Use(kPutIdempotent);
  s.Bind(1, user);
  s.Bind(2, key);
  s.Bind(3, event);
  s.Bind(4, at);
  return Done(s.Step(), "storing an idempotency key");
}

Result<std::int64_t> SqliteWriteTx::NextDailySequence(std::string_view day) {
  return ReserveDailySequences(day, 1);
}

Result<std::int64_t> SqliteWriteTx::ReserveDailySequences(std::string_view day,
                                                          std::int64_t count) {
  if (count < 1) {
    return Fail(ErrorCode::kInternal, "a daily sequence reservation needs at least one number");
  }
  Stmt s = Use(kNextSequence);
  s.Bind(1, day);
  s.Bind(2, count);
  int rc = s.Step();
  if (rc != SQLITE_ROW) return SqliteError(conn_.db(), rc, "advancing the daily sequence");
  const std::int64_t last = s.Int(0);
  rc = s.Step();
  if (rc != SQLITE_DONE) return SqliteError(conn_.db(), rc, "advancing the daily sequence");
  return last - count + 1;
}

Status SqliteWriteTx::InsertEvent(Event& e) {
  const std::string attachments = EncodeAttachments(e.attachments);
  {
    if (e.id == 0) e.id = ++last_event_id_;
    Stmt s = Use(kInsertEvent);
    s.Bind(1, e.id);
    s.Bind(2, e.number);
    s.Bind(3, SourceName(e.source));
    s.Bind(4, e.category);
    s.Bind(5, e.title);
    s.Bind(6, e.description);
    s.Bind(7, e.lon);
    s.Bind(8, e.lat);
    s.Bind(9, e.address);
    s.Bind(10, e.grid_id);
    s.Bind(11, e.community_id);
    s.Bind(12, e.street_id);
    s.Bind(13, e.district_id);
    s.Bind(14, e.owner_region_id);
    s.Bind(15, e.reporter_name);
    s.Bind(16, e.reporter_phone);
    s.Bind(17, e.reporter_user_id);
    s.Bind(18, e.priority);
    s.Bind(19, StatusName(e.status));
    s.Bind(20, e.version);
    s.Bind(21, e.department_id);
    s.Bind(22, e.assignee_user_id);
    s.Bind(23, e.deadline);
    s.Bind(24, e.suspended ? 1 : 0);
    s.Bind(25, e.suspended_at);
    s.Bind(26, e.supervision_level);
    s.Bind(27, e.escalation_level);
    s.Bind(28, e.merged_into);
    s.Bind(29, e.rating);
    s.Bind(30, attachments);
    s.Bind(31, e.created_at);
    s.Bind(32, e.updated_at);
    s.Bind(33, e.closed_at);
    s.Bind(34, e.last_hash);
    s.Bind(35, e.history_count);
    if (Status st = Done(s.Step(), "inserting an event"); !st.ok()) return st;
  }
  last_event_id_ = std::max(last_event_id_, e.id);
  if (Status st = TrackCreationOrder(e); !st.ok()) return st;
  pending_.push_back(SearchIndexer::Text{e.id, e.title, e.description});
  return Status::Ok();
}

Status SqliteWriteTx::UpdateEvent(const Event& e) {
  // The columns that place the event (category, regions) change rarely; writing them only when
  // they differ spares five index updates on every action.
  bool placement_changed;
  {
    Stmt s = Use(kEventPlacement);
    s.Bind(1, e.id);
    const int rc = s.Step();
    if (rc == SQLITE_DONE) {
      return Fail(ErrorCode::kNotFound, "event " + std::to_string(e.id) + " does not exist");
    }
    if (rc != SQLITE_ROW) return SqliteError(conn_.db(), rc, "reading an event");
    placement_changed = s.Text(0) != e.category || s.Int(1) != e.grid_id ||
                        s.Int(2) != e.community_id || s.Int(3) != e.street_id ||
                        s.Int(4) != e.district_id;
  }
  if (placement_changed) {
    Stmt s = Use(kUpdatePlacement);
    s.Bind(1, e.category);
    s.Bind(2, e.grid_id);
    s.Bind(3, e.community_id);
    s.Bind(4, e.street_id);
    s.Bind(5, e.district_id);
    s.Bind(6, e.id);
    if (Status st = Done(s.Step(), "updating an event"); !st.ok()) return st;
  }
  const std::string attachments = EncodeAttachments(e.attachments);
  Stmt s = Use(kUpdateEvent);
  s.Bind(1, e.lon);
  s.Bind(2, e.lat);
  s.Bind(3, e.address);
  s.Bind(4, e.owner_region_id);
  s.Bind(5, e.reporter_name);
  s.Bind(6, e.reporter_phone);
  s.Bind(7, e.priority);
  s.Bind(8, StatusName(e.status));
  s.Bind(9, e.version);
  s.Bind(10, e.department_id);
  s.Bind(11, e.assignee_user_id);
  s.Bind(12, e.deadline);
  s.Bind(13, e.suspended ? 1 : 0);
  s.Bind(14, e.suspended_at);
  s.Bind(15, e.supervision_level);
  s.Bind(16, e.escalation_level);
  s.Bind(17, e.merged_into);
  s.Bind(18, e.rating);
  s.Bind(19, attachments);
  s.Bind(20, e.updated_at);
  s.Bind(21, e.closed_at);
  s.Bind(22, e.last_hash);
  s.Bind(23, e.history_count);
  s.Bind(24, e.id);
  return Done(s.Step(), "updating an event");
}

Status SqliteWriteTx::AppendHistory(const HistoryEntry& h) {
  Stmt s = Use(kAppendHistory);
  s.Bind(1, h.event_id);
  s.Bind(2, h.seq);
  s.Bind(3, ActionName(h.action));
  s.Bind(4, h.actor_id);
  s.Bind(5, h.actor_name);
  s.Bind(6, h.actor_role);
  s.Bind(7, h.at);
  s.Bind(8, StatusName(h.from_status));
  s.Bind(9, StatusName(h.to_status));
  s.Bind(10, h.note);
  s.Bind(11, h.data);
  s.Bind(12, h.prev_hash);
  s.Bind(13, h.hash);
  const int rc = s.Step();
  if (rc == SQLITE_CONSTRAINT_TRIGGER) {  // event_history_no_replace: the (event, seq) exists
    return Fail(ErrorCode::kAlreadyExists, "history row " + std::to_string(h.seq) + " of event " +
                                               std::to_string(h.event_id) + " exists");
  }
  return Done(rc, "appending history");
}

Status SqliteWriteTx::InsertSession(const Session& session) {
  Stmt s = Use(kInsertSession);
  s.Bind(1, session.token_hash);
  s.Bind(2, session.user_id);
  s.Bind(3, session.created_at);
  s.Bind(4, session.expires_at);
  return Done(s.Step(), "inserting a session");
}

Status SqliteWriteTx::DeleteSession(std::string_view token_hash) {
  Stmt s = Use(kDeleteSession);
  s.Bind(1, token_hash);
  return Done(s.Step(), "deleting a session");
}

Status SqliteWriteTx::InsertRegion(Region& r) {
  const std::string polygon = EncodePolygon(r.polygon);
  {
    Stmt s = Use(kInsertRegion);
    if (r.id != 0) s.Bind(1, r.id);
    if (r.parent_id != 0) s.Bind(2, r.parent_id);
    s.Bind(3, static_cast<int>(r.level));
    s.Bind(4, r.code);
    s.Bind(5, r.name);
    s.Bind(6, polygon);
    if (Status st = Done(s.Step(), "inserting a region"); !st.ok()) return st;
  }
  r.id = sqlite3_last_insert_rowid(conn_.db());
  return Status::Ok();
}

Status SqliteWriteTx::InsertDepartment(Department& d) {
  {
    Stmt s = Use(kInsertDepartment);
    if (d.id != 0) s.Bind(1, d.id);
    s.Bind(2, d.code);
    s.Bind(3, d.name);
    s.Bind(4, d.name_en);
    s.Bind(5, d.region_id);
    if (Status st = Done(s.Step(), "inserting a department"); !st.ok()) return st;
  }
  d.id = sqlite3_last_insert_rowid(conn_.db());
  return Status::Ok();
}

Status SqliteWriteTx::UpsertCategory(const Category& c) {
  Stmt s = Use(kUpsertCategory);
  s.Bind(1, c.code);
  s.Bind(2, c.name);
  s.Bind(3, c.name_en);
  s.Bind(4, c.parent_code);
  s.Bind(5, c.department_id);
  s.Bind(6, c.time_limit);
  s.Bind(7, TimeUnitName(c.time_unit));
  s.Bind(8, c.priority);
  return Done(s.Step(), "storing a category");
}

Status SqliteWriteTx::InsertUser(User& u) {
  {
    Stmt s = Use(kInsertUser);
    if (u.id != 0) s.Bind(1, u.id);
    s.Bind(2, u.username);
    s.Bind(3, u.display_name);
    s.Bind(4, u.password_hash);
    s.Bind(5, static_cast<std::int64_t>(u.roles.bits()));
    s.Bind(6, u.region_id);
    s.Bind(7, u.department_id);
    s.Bind(8, u.disabled ? 1 : 0);
    if (Status st = Done(s.Step(), "inserting a user"); !st.ok()) return st;
  }
  u.id = sqlite3_last_insert_rowid(conn_.db());
  return Status::Ok();
}

Result<AuditLink> SqliteWriteTx::LastAudit() {
  Stmt s = Use(kLastAudit);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return AuditLink{};
  if (rc != SQLITE_ROW) return SqliteError(conn_.db(), rc, "reading the audit chain's tail");
  return AuditLink{s.Int(0), std::string(s.Text(1))};
}

Status SqliteWriteTx::AppendAudit(const AuditRecord& r) {
  Stmt s = Use(kAppendAudit);
  BindAudit(s, r);
  return Done(s.Step(), "appending an audit record");
}

}  // namespace civicgrid
