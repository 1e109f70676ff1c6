// The routing writes of SqliteWriteTx (issue 5): statements prepared on first use and cached by
// the write connection.
#include "store/sqlite/event_row.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/routing_rows.h"
#include "store/sqlite/sqlite_write_tx.h"

namespace civicgrid {

Result<std::optional<ResponsibilityRule>> SqliteWriteTx::FindCurrentRule(std::string_view category,
                                                                         RegionLevel level) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kRuleColumns +
                            " FROM responsibility_rules WHERE category = ? AND region_level = ? "
                            "ORDER BY version DESC LIMIT 1");
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  s.Bind(1, category);
  s.Bind(2, static_cast<std::int64_t>(level));
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<ResponsibilityRule>();
  if (rc != SQLITE_ROW) return SqliteError(conn_.db(), rc, "reading a rule");
  auto rule = ReadRule(s);
  if (!rule) return rule.error();
  return std::optional<ResponsibilityRule>(std::move(*rule));
}

Status SqliteWriteTx::InsertRule(ResponsibilityRule& r) {
  auto stmt = conn_.Prepare(
      "INSERT INTO responsibility_rules(category, region_level, version, department_id, "
      "co_handlers, time_limit, time_unit, verification, created_at, created_by) "
      "VALUES (?,?,?,?,?,?,?,?,?,?)");
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  const std::string co = EncodeIdList(r.co_handlers);
  s.Bind(1, r.category);
  s.Bind(2, static_cast<std::int64_t>(r.region_level));
  s.Bind(3, r.version);
  s.Bind(4, r.department_id);
  s.Bind(5, co);
  s.Bind(6, r.time_limit);
  s.Bind(7, TimeUnitName(r.time_unit));
  s.Bind(8, VerificationName(r.verification));
  s.Bind(9, r.created_at);
  s.Bind(10, r.created_by);
  if (auto st = Done(s.Step(), "inserting a rule"); !st) return st;
  r.id = sqlite3_last_insert_rowid(conn_.db());
  return Status::Ok();
}

Result<std::optional<EventRouting>> SqliteWriteTx::FindEventRouting(EventId id) {
  return LoadEventRouting(conn_, id);
}

Status SqliteWriteTx::PutEventRouting(const EventRouting& r) {
  auto put = conn_.Prepare(std::string("INSERT OR REPLACE INTO event_routing(") + kRoutingColumns +
                           ") VALUES (?,?,?,?,?,?,?,?,?)");
  if (!put) return put.error();
  {
    Stmt s(*put);
    s.Bind(1, r.event_id);
    s.Bind(2, DispatchModeName(r.mode));
    s.Bind(3, r.rule_id);
    s.Bind(4, r.rule_version);
    s.Bind(5, r.lead_department_id);
    s.Bind(6, r.clock_start);
    s.Bind(7, r.limit_ms);
    s.Bind(8, std::int64_t{r.wall_clock ? 1 : 0});
    s.Bind(9, VerificationName(r.verification));
    if (auto st = Done(s.Step(), "writing an event's routing"); !st) return st;
  }
  auto clear = conn_.Prepare("DELETE FROM event_co_handlers WHERE event_id = ?");
  if (!clear) return clear.error();
  {
    Stmt s(*clear);
    s.Bind(1, r.event_id);
    if (auto st = Done(s.Step(), "clearing co-handlers"); !st) return st;
  }
  auto add = conn_.Prepare(
      "INSERT INTO event_co_handlers(event_id, department_id, reported_at, note) VALUES (?,?,?,?)");
  if (!add) return add.error();
  for (const CoHandler& c : r.co_handlers) {
    Stmt s(*add);
    s.Bind(1, r.event_id);
    s.Bind(2, c.department_id);
    s.Bind(3, c.reported_at);
    s.Bind(4, c.note);
    if (auto st = Done(s.Step(), "writing a co-handler"); !st) return st;
  }
  return Status::Ok();
}

Status SqliteWriteTx::InsertWhistle(Whistle& w) {
  auto insert = conn_.Prepare(
      "INSERT INTO whistles(event_id, region_id, summoned_by, note, created_at, respond_by) "
      "VALUES (?,?,?,?,?,?)");
  if (!insert) return insert.error();
  {
    Stmt s(*insert);
    s.Bind(1, w.event_id);
    s.Bind(2, w.region_id);
    s.Bind(3, w.summoned_by);
    s.Bind(4, w.note);
    s.Bind(5, w.created_at);
    s.Bind(6, w.respond_by);
    if (auto st = Done(s.Step(), "inserting a whistle"); !st) return st;
  }
  w.id = sqlite3_last_insert_rowid(conn_.db());
  auto call = conn_.Prepare(
      "INSERT INTO whistle_calls(whistle_id, department_id, reported_at) VALUES (?,?,?)");
  if (!call) return call.error();
  for (const WhistleCall& c : w.calls) {
    Stmt s(*call);
    s.Bind(1, w.id);
    s.Bind(2, c.department_id);
    s.Bind(3, c.reported_at);
    if (auto st = Done(s.Step(), "inserting a whistle call"); !st) return st;
  }
  return Status::Ok();
}

Result<std::optional<Whistle>> SqliteWriteTx::FindWhistle(std::int64_t id) {
  auto found = LoadWhistles(conn_, id, 0);
  if (!found) return found.error();
  if (found->empty()) return std::optional<Whistle>();
  return std::optional<Whistle>(std::move(found->front()));
}

Status SqliteWriteTx::MarkWhistleReport(std::int64_t whistle_id, DepartmentId department,
                                        TimeMs at) {
  auto stmt = conn_.Prepare(
      "UPDATE whistle_calls SET reported_at = ? WHERE whistle_id = ? AND department_id = ?");
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  s.Bind(1, at);
  s.Bind(2, whistle_id);
  s.Bind(3, department);
  return Done(s.Step(), "marking a whistle report");
}

Result<bool> SqliteWriteTx::InsertSupervisionNotice(const SupervisionNotice& n) {
  auto stmt = conn_.Prepare(
      "INSERT INTO supervision_notices(event_id, level, department_id, at, automatic) "
      "VALUES (?,?,?,?,?) ON CONFLICT(event_id, level) DO NOTHING");
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  s.Bind(1, n.event_id);
  s.Bind(2, n.level);
  s.Bind(3, n.department_id);
  s.Bind(4, n.at);
  s.Bind(5, std::int64_t{n.automatic ? 1 : 0});
  if (auto st = Done(s.Step(), "inserting a supervision notice"); !st) return st.error();
  return sqlite3_changes(conn_.db()) > 0;
}

Result<std::vector<Event>> SqliteWriteTx::FindOpenEventsNear(std::string_view category,
                                                             double min_lon, double min_lat,
                                                             double max_lon, double max_lat,
                                                             TimeMs since, int limit) {
  // The box test runs on the covering partial index alone; only the few events inside the box
  // are read in full.
  auto stmt = conn_.Prepare(std::string("SELECT id FROM events"
                                        " WHERE category = ? AND lat BETWEEN ? AND ?"
                                        " AND lon BETWEEN ? AND ? AND created_at >= ?"
                                        " AND status IN ") +
                            kSqlOpenStatuses + " LIMIT ?");
  if (!stmt) return stmt.error();
  std::vector<EventId> ids;
  {
    Stmt s(*stmt);
    s.Bind(1, category);
    s.Bind(2, min_lat);
    s.Bind(3, max_lat);
    s.Bind(4, min_lon);
    s.Bind(5, max_lon);
    s.Bind(6, since);
    s.Bind(7, limit);
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) ids.push_back(s.Int(0));
    if (rc != SQLITE_DONE) return SqliteError(conn_.db(), rc, "finding events nearby");
  }
  std::vector<Event> out;
  out.reserve(ids.size());
  for (const EventId id : ids) {
    auto e = FindEvent(id);
    if (!e) return e.error();
    if (*e) out.push_back(std::move(**e));
  }
  return out;
}

Status SqliteWriteTx::PutDuplicateProposal(const DuplicateProposal& p) {
  auto stmt = conn_.Prepare(
      "INSERT INTO duplicate_proposals(event_id, candidate_id, distance_m, state, at) "
      "VALUES (?,?,?,?,?) ON CONFLICT(event_id, candidate_id) DO UPDATE SET "
      "state = excluded.state, at = excluded.at");
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  s.Bind(1, p.event_id);
  s.Bind(2, p.candidate_id);
  s.Bind(3, p.distance_m);
  s.Bind(4, DuplicateStateName(p.state));
  s.Bind(5, p.at);
  return Done(s.Step(), "writing a duplicate proposal");
}

Status SqliteWriteTx::PutCalendarSettings(const CalendarSettings& settings) {
  if (auto st = conn_.Run("DELETE FROM calendar_office_hours"); !st) return st;
  if (auto st = conn_.Run("DELETE FROM calendar_local_days"); !st) return st;
  auto hours =
      conn_.Prepare("INSERT INTO calendar_office_hours(start_minute, end_minute) VALUES (?,?)");
  if (!hours) return hours.error();
  for (const OfficePeriod& p : settings.office_hours) {
    Stmt s(*hours);
    s.Bind(1, p.start_minute);
    s.Bind(2, p.end_minute);
    if (auto st = Done(s.Step(), "writing office hours"); !st) return st;
  }
  auto days = conn_.Prepare(
      "INSERT OR REPLACE INTO calendar_local_days(date, working, name) VALUES (?,?,?)");
  if (!days) return days.error();
  for (const LocalDay& d : settings.days) {
    Stmt s(*days);
    const std::string date = FormatDate(d.date);
    s.Bind(1, date);
    s.Bind(2, std::int64_t{d.working ? 1 : 0});
    s.Bind(3, d.name);
    if (auto st = Done(s.Step(), "writing a local day"); !st) return st;
  }
  return Status::Ok();
}

}  // namespace civicgrid
