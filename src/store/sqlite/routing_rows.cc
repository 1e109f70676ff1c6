#include "store/sqlite/routing_rows.h"

#include <charconv>

namespace civicgrid {

std::string EncodeIdList(const std::vector<DepartmentId>& ids) {
  std::string s;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(ids[i]);
  }
  return s;
}

namespace {

std::vector<DepartmentId> DecodeIdList(std::string_view text) {
  std::vector<DepartmentId> ids;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view part = text.substr(0, comma);
    DepartmentId id = 0;
    std::from_chars(part.data(), part.data() + part.size(), id);
    ids.push_back(id);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return ids;
}

}  // namespace

Result<ResponsibilityRule> ReadRule(const Stmt& s) {
  ResponsibilityRule r;
  r.id = s.Int(0);
  r.category = std::string(s.Text(1));
  r.region_level = static_cast<RegionLevel>(s.Int(2));
  r.version = static_cast<int>(s.Int(3));
  r.department_id = s.Int(4);
  r.co_handlers = DecodeIdList(s.Text(5));
  r.time_limit = static_cast<int>(s.Int(6));
  auto unit = TimeUnitFromName(s.Text(7));
  auto verification = VerificationFromName(s.Text(8));
  if (!unit || !verification) {
    return Fail(ErrorCode::kInternal, "bad unit or verification in rule " + std::to_string(r.id));
  }
  r.time_unit = *unit;
  r.verification = *verification;
  r.created_at = s.Int(9);
  r.created_by = s.Int(10);
  return r;
}

std::optional<DispatchMode> DispatchModeFromName(std::string_view name) {
  for (DispatchMode m : {DispatchMode::kStatutory, DispatchMode::kNegotiated,
                         DispatchMode::kDesignated, DispatchMode::kManual}) {
    if (DispatchModeName(m) == name) return m;
  }
  return std::nullopt;
}

Result<EventRouting> ReadRouting(const Stmt& s) {
  EventRouting r;
  r.event_id = s.Int(0);
  auto mode = DispatchModeFromName(s.Text(1));
  if (!mode)
    return Fail(ErrorCode::kInternal, "bad dispatch mode of event " + std::to_string(r.event_id));
  r.mode = *mode;
  r.rule_id = s.Int(2);
  r.rule_version = static_cast<int>(s.Int(3));
  r.lead_department_id = s.Int(4);
  r.clock_start = s.Int(5);
  r.limit_ms = s.Int(6);
  r.wall_clock = s.Int(7) != 0;
  r.verification = VerificationFromName(s.Text(8)).value_or(Verification::kCentre);
  return r;
}

Result<std::optional<EventRouting>> LoadEventRouting(Connection& conn, EventId id) {
  auto stmt = conn.Prepare(std::string("SELECT ") + kRoutingColumns +
                           " FROM event_routing WHERE event_id = ?");
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  s.Bind(1, id);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<EventRouting>();
  if (rc != SQLITE_ROW) return SqliteError(conn.db(), rc, "reading an event's routing");
  auto routing = ReadRouting(s);
  if (!routing) return routing.error();
  auto co = conn.Prepare(
      "SELECT department_id, reported_at, note FROM event_co_handlers WHERE event_id = ? "
      "ORDER BY department_id");
  if (!co) return co.error();
  Stmt c(*co);
  c.Bind(1, id);
  while ((rc = c.Step()) == SQLITE_ROW) {
    CoHandler h;
    h.department_id = c.Int(0);
    h.reported_at = c.OptionalInt(1);
    h.note = std::string(c.Text(2));
    routing->co_handlers.push_back(std::move(h));
  }
  if (rc != SQLITE_DONE) return SqliteError(conn.db(), rc, "reading co-handlers");
  return std::optional<EventRouting>(std::move(*routing));
}

Result<std::vector<Whistle>> LoadWhistles(Connection& conn, std::int64_t id, EventId event) {
  auto stmt = conn.Prepare(
      id != 0 ? "SELECT id, event_id, region_id, summoned_by, note, created_at, respond_by "
                "FROM whistles WHERE id = ?"
              : "SELECT id, event_id, region_id, summoned_by, note, created_at, respond_by "
                "FROM whistles WHERE event_id = ? ORDER BY id");
  if (!stmt) return stmt.error();
  std::vector<Whistle> out;
  {
    Stmt s(*stmt);
    s.Bind(1, id != 0 ? id : event);
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      Whistle w;
      w.id = s.Int(0);
      w.event_id = s.Int(1);
      w.region_id = s.Int(2);
      w.summoned_by = s.Int(3);
      w.note = std::string(s.Text(4));
      w.created_at = s.Int(5);
      w.respond_by = s.Int(6);
      out.push_back(std::move(w));
    }
    if (rc != SQLITE_DONE) return SqliteError(conn.db(), rc, "reading whistles");
  }
  auto calls = conn.Prepare(
      "SELECT department_id, reported_at FROM whistle_calls WHERE whistle_id = ? "
      "ORDER BY department_id");
  if (!calls) return calls.error();
  for (Whistle& w : out) {
    Stmt c(*calls);
    c.Bind(1, w.id);
    int rc;
    while ((rc = c.Step()) == SQLITE_ROW)
      w.calls.push_back(WhistleCall{c.Int(0), c.OptionalInt(1)});
    if (rc != SQLITE_DONE) return SqliteError(conn.db(), rc, "reading whistle calls");
  }
  return out;
}

}  // namespace civicgrid
