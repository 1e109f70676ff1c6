// The routing reads of SqliteStore (issue 5), on the read pool.
#include "store/sqlite/migrations.h"
#include "store/sqlite/routing_rows.h"
#include "store/sqlite/sqlite_store.h"

namespace civicgrid {

Result<std::vector<ResponsibilityRule>> SqliteStore::LoadRules(bool current_only) {
  std::vector<ResponsibilityRule> out;
  auto status = WithReader([&](Connection& conn) -> Status {
    const std::string sql =
        current_only
            ? std::string("SELECT ") + kRuleColumns +
                  " FROM responsibility_rules r WHERE version = (SELECT max(version) FROM "
                  "responsibility_rules x WHERE x.category = r.category AND x.region_level = "
                  "r.region_level) ORDER BY category, region_level"
            : std::string("SELECT ") + kRuleColumns +
                  " FROM responsibility_rules ORDER BY category, region_level, version";
    auto stmt = conn.Prepare(sql);
    if (!stmt) return stmt.error();
    Stmt s(*stmt);
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      auto rule = ReadRule(s);
      if (!rule) return rule.error();
      out.push_back(std::move(*rule));
    }
    if (rc != SQLITE_DONE) return SqliteError(conn.db(), rc, "reading rules");
    return Status::Ok();
  });
  if (!status) return status.error();
  return out;
}

Result<std::optional<EventRouting>> SqliteStore::FindEventRouting(EventId id) {
  Result<std::optional<EventRouting>> out = std::optional<EventRouting>();
  auto status = WithReader([&](Connection& conn) -> Status {
    out = LoadEventRouting(conn, id);
    return out ? Status::Ok() : Status(out.error());
  });
  if (!status) return status.error();
  return out;
}

Result<std::vector<Whistle>> SqliteStore::EventWhistles(EventId id) {
  Result<std::vector<Whistle>> out = std::vector<Whistle>();
  auto status = WithReader([&](Connection& conn) -> Status {
    out = LoadWhistles(conn, 0, id);
    return out ? Status::Ok() : Status(out.error());
  });
  if (!status) return status.error();
  return out;
}

Result<std::vector<SupervisionNotice>> SqliteStore::EventSupervisionNotices(EventId id) {
  std::vector<SupervisionNotice> out;
  auto status = WithReader([&](Connection& conn) -> Status {
    auto stmt = conn.Prepare(
        "SELECT event_id, level, department_id, at, automatic FROM supervision_notices "
        "WHERE event_id = ? ORDER BY level");
    if (!stmt) return stmt.error();
    Stmt s(*stmt);
    s.Bind(1, id);
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      out.push_back(SupervisionNotice{s.Int(0), static_cast<int>(s.Int(1)), s.Int(2), s.Int(3),
                                      s.Int(4) != 0});
    }
    if (rc != SQLITE_DONE) return SqliteError(conn.db(), rc, "reading supervision notices");
    return Status::Ok();
  });
  if (!status) return status.error();
  return out;
}

Result<std::vector<DuplicateProposal>> SqliteStore::EventDuplicates(EventId id) {
  std::vector<DuplicateProposal> out;
  auto status = WithReader([&](Connection& conn) -> Status {
    auto stmt = conn.Prepare(
        "SELECT event_id, candidate_id, distance_m, state, at FROM duplicate_proposals "
        "WHERE event_id = ? OR candidate_id = ? ORDER BY event_id, candidate_id");
    if (!stmt) return stmt.error();
    Stmt s(*stmt);
    s.Bind(1, id);
    s.Bind(2, id);
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      DuplicateProposal p;
      p.event_id = s.Int(0);
      p.candidate_id = s.Int(1);
      p.distance_m = s.Real(2);
      const std::string_view state = s.Text(3);
      p.state = state == "merged" ? DuplicateState::kMerged
                : state == "kept" ? DuplicateState::kKept
                                  : DuplicateState::kProposed;
      p.at = s.Int(4);
      out.push_back(p);
    }
    if (rc != SQLITE_DONE) return SqliteError(conn.db(), rc, "reading duplicate proposals");
    return Status::Ok();
  });
  if (!status) return status.error();
  return out;
}

Status SqliteStore::ScanOpenDeadlines(const std::function<void(const OpenDeadline&)>& visit) {
  return WithReader([&](Connection& conn) -> Status {
    auto stmt = conn.Prepare(
        std::string("SELECT e.id, e.deadline, coalesce(r.limit_ms, 0), coalesce(r.wall_clock, 0), "
                    "e.supervision_level, e.suspended FROM events e "
                    "LEFT JOIN event_routing r ON r.event_id = e.id "
                    "WHERE e.status IN ") +
        kSqlOpenStatuses + " AND e.deadline IS NOT NULL");
    if (!stmt) return stmt.error();
    Stmt s(*stmt);
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      OpenDeadline d;
      d.event_id = s.Int(0);
      d.deadline = s.Int(1);
      d.limit_ms = s.Int(2);
      d.wall_clock = s.Int(3) != 0;
      d.supervision_level = static_cast<int>(s.Int(4));
      d.suspended = s.Int(5) != 0;
      visit(d);
    }
    if (rc != SQLITE_DONE) return SqliteError(conn.db(), rc, "scanning open deadlines");
    return Status::Ok();
  });
}

Result<CalendarSettings> SqliteStore::LoadCalendarSettings() {
  CalendarSettings out;
  auto status = WithReader([&](Connection& conn) -> Status {
    auto hours =
        conn.Prepare("SELECT start_minute, end_minute FROM calendar_office_hours ORDER BY 1");
    if (!hours) return hours.error();
    {
      Stmt s(*hours);
      int rc;
      while ((rc = s.Step()) == SQLITE_ROW) {
        out.office_hours.push_back(
            OfficePeriod{static_cast<int>(s.Int(0)), static_cast<int>(s.Int(1))});
      }
      if (rc != SQLITE_DONE) return SqliteError(conn.db(), rc, "reading office hours");
    }
    auto days = conn.Prepare("SELECT date, working, name FROM calendar_local_days ORDER BY date");
    if (!days) return days.error();
    Stmt s(*days);
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      auto date = ParseDate(s.Text(0));
      if (!date) return Fail(ErrorCode::kInternal, "bad local day in calendar_local_days");
      out.days.push_back(LocalDay{*date, s.Int(1) != 0, std::string(s.Text(2))});
    }
    if (rc != SQLITE_DONE) return SqliteError(conn.db(), rc, "reading local days");
    return Status::Ok();
  });
  if (!status) return status.error();
  return out;
}

}  // namespace civicgrid
