#include "core/people/patrol_service.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "core/audit/audit_record.h"
#include "core/common/text.h"
#include "core/common/text_field.h"
#include "core/ports/clock.h"
#include "core/routing/reference_data.h"
#include "core/territory/region_path_scope.h"

namespace civicgrid {

namespace {

constexpr RoleSet kPatrollers = {Role::kGridWorker};
constexpr RoleSet kCoverageReaders = {Role::kStreetLead, Role::kLeader, Role::kAdmin,
                                      Role::kAuditor};
constexpr std::size_t kMaxLogChars = 5000;

// Midnight (Shanghai) of the day holding `t`.
TimeMs StartOfShanghaiDay(TimeMs t) {
  const TimeMs local = t + kShanghaiOffsetMs;
  const TimeMs floor = local >= 0 ? local / kMsPerDay : (local - kMsPerDay + 1) / kMsPerDay;
  return floor * kMsPerDay - kShanghaiOffsetMs;
}

std::string ShanghaiDay(TimeMs t) {
  const TimeMs local = t + kShanghaiOffsetMs;
  return FormatDate(
      CivilFromDays(local >= 0 ? local / kMsPerDay : (local - kMsPerDay + 1) / kMsPerDay));
}

}  // namespace

PatrolService::PatrolService(Store& store, const Clock& clock, const Crypto& crypto,
                             ReferenceSource reference)
    : store_(store), clock_(clock), crypto_(crypto), reference_(std::move(reference)) {}

void PatrolService::CheckIn(const Actor& actor, std::optional<double> lon,
                            std::optional<double> lat, std::string note, Done<PatrolCheckIn> done) {
  if (!actor.roles.Intersects(kPatrollers)) {
    return done(Fail(ErrorCode::kPermissionDenied, "only grid workers check in on patrol"));
  }
  if (!lon || !lat || !IsValidLonLat(*lon, *lat)) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "a check-in needs lon in [-180, 180] and lat in [-90, 90]", "location",
                     "invalid_location"));
  }
  if (!IsValidUtf8(note) || Utf8Length(note) > 500) {
    return done(
        Fail(ErrorCode::kInvalidArgument, "note must be UTF-8 of at most 500 characters", "note"));
  }
  auto ref = reference_();
  PatrolCheckIn p;
  p.user_id = actor.user_id;
  p.at = clock_.Now();
  p.lon = *lon;
  p.lat = *lat;
  p.note = std::move(note);
  // A position outside every grid is kept (the worker was somewhere) with an empty path.
  if (const Region* grid = ref->territory().LocateGrid(*lon, *lat); grid != nullptr) {
    p.path = ref->territory().PathOf(grid->id);
  }
  auto row = std::make_shared<PatrolCheckIn>();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [row, p, actor, &crypto](WriteTx& tx) -> Status {
        *row = p;
        if (Status s = tx.InsertPatrolCheckIn(*row); !s) return s;
        AuditRecord a = AuditOf(actor, p.at, "patrol.check_in", "patrol", std::to_string(row->id));
        std::string after = "{\"lon\":" + std::to_string(p.lon) +
                            ",\"lat\":" + std::to_string(p.lat) +
                            ",\"grid_id\":" + std::to_string(p.path.grid_id) + "}";
        a.after = std::move(after);
        return AppendAuditRecord(tx, crypto, std::move(a));
      },
      [row, actor, listener = &check_in_listener_, done = std::move(done)](Status s) {
        if (!s) return done(s.error());
        if (*listener) (*listener)(actor, *row);
        done(std::move(*row));
      });
}

void PatrolService::WriteLog(const Actor& actor, std::string day, std::string content,
                             Done<PatrolLog> done) {
  if (!actor.roles.Intersects(kPatrollers)) {
    return done(Fail(ErrorCode::kPermissionDenied, "only grid workers keep a daily log"));
  }
  if (Status s = CheckTextField(content, kMaxLogChars, "content", true); !s) return done(s.error());
  const TimeMs now = clock_.Now();
  if (day.empty()) {
    day = ShanghaiDay(now);
  } else {
    auto parsed = ParseDate(day);
    if (!parsed || day.size() != 10) {
      return done(Fail(ErrorCode::kInvalidArgument, "day must be YYYY-MM-DD", "day"));
    }
    if (DaysFromCivil(*parsed) * kMsPerDay - kShanghaiOffsetMs > now) {
      return done(Fail(ErrorCode::kInvalidArgument, "day cannot lie in the future", "day"));
    }
  }
  auto ref = reference_();
  PatrolLog l;
  l.user_id = actor.user_id;
  l.day = day;
  if (const Region* own = ref->territory().Find(actor.scope.region_id); own != nullptr) {
    l.path = ref->territory().PathOf(own->id);
  }
  l.content = std::string(Trim(content));
  l.created_at = now;
  auto row = std::make_shared<PatrolLog>();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [row, l, actor, &crypto](WriteTx& tx) -> Status {
        *row = l;
        if (Status s = tx.InsertPatrolLog(*row); !s) return s;
        AuditRecord a = AuditOf(actor, l.created_at, "patrol_log.create", "patrol_log",
                                std::to_string(row->id));
        std::string after = "{\"day\":";
        AppendJsonString(after, l.day);
        after += ",\"content\":";
        AppendJsonString(after, l.content);
        after += "}";
        a.after = std::move(after);
        return AppendAuditRecord(tx, crypto, std::move(a));
      },
      [row, done = std::move(done)](Status s) {
        if (!s) return done(s.error());
        done(std::move(*row));
      });
}

namespace {

Result<BaseDataQuery> PatrolQuery(const Actor& actor, const Territory& territory,
                                  const ListOptions& options, UserId user_id,
                                  std::optional<TimeMs> from, std::optional<TimeMs> to) {
  if (!MayReadBaseData(actor)) {
    return Fail(ErrorCode::kPermissionDenied, "your role may not read patrols");
  }
  if (options.limit < 1 || options.limit > 500) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be 1 to 500", "limit");
  }
  auto scope = Narrow(ScopeOf(actor, territory), territory, options.region_id);
  if (!scope) return Fail(ErrorCode::kNotFound, "no such region", "region_id", "not_found");
  BaseDataQuery q;
  q.scope = *scope;
  q.before_id = options.before_id;
  q.limit = options.limit;
  q.user_id = user_id;
  q.from = from;
  q.to = to;
  return q;
}

}  // namespace

Result<std::vector<PatrolCheckIn>> PatrolService::ListCheckIns(const Actor& actor,
                                                               ListOptions options, UserId user_id,
                                                               std::optional<TimeMs> from,
                                                               std::optional<TimeMs> to) {
  auto ref = reference_();
  auto q = PatrolQuery(actor, ref->territory(), options, user_id, from, to);
  if (!q) return q.error();
  return store_.ListPatrols(*q);
}

Result<std::vector<PatrolLog>> PatrolService::ListLogs(const Actor& actor, ListOptions options,
                                                       UserId user_id, std::optional<TimeMs> from,
                                                       std::optional<TimeMs> to) {
  auto ref = reference_();
  auto q = PatrolQuery(actor, ref->territory(), options, user_id, from, to);
  if (!q) return q.error();
  return store_.ListPatrolLogs(*q);
}

Result<CoverageReport> PatrolService::Coverage(const Actor& actor, RegionId region_id,
                                               std::optional<TimeMs> from,
                                               std::optional<TimeMs> to) {
  if (!actor.roles.Intersects(kCoverageReaders)) {
    return Fail(ErrorCode::kPermissionDenied, "only leaders see patrol coverage");
  }
  auto ref = reference_();
  const Territory& territory = ref->territory();
  auto scope = Narrow(ScopeOf(actor, territory), territory, region_id);
  if (!scope) return Fail(ErrorCode::kNotFound, "no such region", "region_id", "not_found");
  CoverageReport report;
  report.from = from.value_or(StartOfShanghaiDay(clock_.Now()));
  report.to = to.value_or(report.from + kMsPerDay);
  if (report.to <= report.from || report.to - report.from > 31 * kMsPerDay) {
    return Fail(ErrorCode::kInvalidArgument, "the period must be 1 ms to 31 days long", "to");
  }
  std::map<std::string, std::size_t> grid_at;  // by code
  for (const Region& r : territory.regions()) {
    if (r.level != RegionLevel::kGrid || !scope->Covers(territory.PathOf(r.id))) continue;
    grid_at.emplace(r.code, 0);
  }
  for (auto& [code, index] : grid_at) {
    const Region* r = territory.FindByCode(code);
    index = report.grids.size();
    report.grids.push_back({r->id, r->code, r->name, 0, 0});
  }
  std::unordered_map<RegionId, std::size_t> by_grid;
  for (std::size_t i = 0; i < report.grids.size(); ++i) by_grid[report.grids[i].grid_id] = i;
  std::unordered_map<RegionId, std::set<UserId>> workers;
  std::set<UserId> patrolled;
  BaseDataQuery q;
  q.scope = *scope;
  q.from = report.from;
  q.to = report.to;
  q.limit = 500;
  for (;;) {
    auto page = store_.ListPatrols(q);
    if (!page) return page.error();
    for (const PatrolCheckIn& p : *page) {
      patrolled.insert(p.user_id);
      if (auto it = by_grid.find(p.path.grid_id); it != by_grid.end()) {
        ++report.grids[it->second].check_ins;
        workers[p.path.grid_id].insert(p.user_id);
      }
    }
    if (page->size() < static_cast<std::size_t>(q.limit)) break;
    q.before_id = page->back().id;
  }
  for (auto& g : report.grids) {
    g.workers = static_cast<int>(workers[g.grid_id].size());
    if (g.check_ins > 0) ++report.covered_grids;
  }
  // Grid workers of the scope (by their own grid) who checked in nowhere in the period.
  auto users = store_.ListUsersWithRole(Role::kGridWorker);
  if (!users) return users.error();
  for (const User& u : *users) {
    if (u.region_id == 0 || !scope->Covers(territory.PathOf(u.region_id))) continue;
    if (patrolled.count(u.id) != 0) continue;
    report.not_patrolled.push_back({u.id, u.username, u.display_name, u.region_id});
  }
  return report;
}

}  // namespace civicgrid
