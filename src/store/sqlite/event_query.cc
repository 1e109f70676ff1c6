#include "store/sqlite/event_query.h"

#include <algorithm>
#include <bitset>
#include <limits>
#include <queue>

#include "core/common/text.h"
#include "store/search_text.h"
#include "store/sqlite/event_row.h"
#include "store/sqlite/migrations.h"

namespace civicgrid {
namespace {

// More codes than this under a prefix and the prefix is a range filter instead of one arm per code.
constexpr std::size_t kMaxCategoryArms = 64;

// One condition of the WHERE clause with its bound values, in the order of its `?`s.
struct Cond {
  std::string sql;
  std::vector<SqlValue> binds;
  bool drives = false;  // an index yields the rows that meet it newest first
};

const char* LevelColumn(RegionLevel level) {
  switch (level) {
    case RegionLevel::kDistrict: return "e.district_id";
    case RegionLevel::kStreet: return "e.street_id";
    case RegionLevel::kCommunity: return "e.community_id";
    case RegionLevel::kGrid: return "e.grid_id";
    case RegionLevel::kCity: return nullptr;
  }
  return nullptr;
}

Cond Equals(const char* column, SqlValue v) {
  return Cond{std::string(column) + " = ?", {std::move(v)}, true};
}

// The smallest string above every string with this prefix; empty if there is none.
std::string PrefixUpperBound(std::string p) {
  while (!p.empty() && static_cast<unsigned char>(p.back()) == 0xFF) p.pop_back();
  if (!p.empty()) p.back() = static_cast<char>(static_cast<unsigned char>(p.back()) + 1);
  return p;
}

// The distinct category codes in [lo, hi) that events use, at most `max` of them: a loose index
// scan, one seek per code.
Result<std::vector<std::string>> CategoriesIn(Connection& conn, const std::string& lo,
                                              const std::string& hi, std::size_t max) {
  std::vector<std::string> codes;
  auto first = conn.Prepare(
      "SELECT category FROM events WHERE category >= ? AND category < ? "
      "ORDER BY category LIMIT 1");
  if (!first) return first.error();
  auto next = conn.Prepare(
      "SELECT category FROM events WHERE category > ? AND category < ? "
      "ORDER BY category LIMIT 1");
  if (!next) return next.error();
  std::string from = lo;
  while (codes.size() < max) {
    Stmt s(codes.empty() ? *first : *next);
    s.Bind(1, from);
    s.Bind(2, hi);
    const int rc = s.Step();
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return SqliteError(conn.db(), rc, "listing categories");
    codes.emplace_back(s.Text(0));
    from = codes.back();
  }
  return codes;
}

std::string LikePattern(std::string_view needle) {
  std::string p = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') p.push_back('\\');
    p.push_back(c);
  }
  p.push_back('%');
  return p;
}

void AppendFtsPhrase(std::string& out, const std::vector<std::string>& tokens) {
  out.push_back('"');
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) out.push_back(' ');
    for (char c : tokens[i]) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
  }
  out.push_back('"');
}

Cond AnyOf(const std::vector<Cond>& alternatives) {
  Cond c{"(", {}};
  for (std::size_t i = 0; i < alternatives.size(); ++i) {
    if (i > 0) c.sql += " OR ";
    c.sql += alternatives[i].sql;
    c.binds.insert(c.binds.end(), alternatives[i].binds.begin(), alternatives[i].binds.end());
  }
  c.sql += ")";
  return c;
}

// Conditions that every matching event meets (`all`) and, optionally, one disjunction whose
// alternatives become separate arms (`split`).
struct Conditions {
  std::vector<Cond> all;
  std::vector<Cond> split;
  bool empty = false;
  std::string fts_match;  // non-empty: the text search drives the query
};

Status AddText(const EventQuery& q, Conditions& c) {
  if (Trim(q.text).empty()) return Status::Ok();
  const std::vector<SearchTerm> terms = ParseSearchQuery(q.text);
  if (terms.empty()) {
    c.empty = true;
    return Status::Ok();
  }
  for (const SearchTerm& t : terms) {
    switch (t.kind) {
      case SearchTermKind::kSubstring: {
        std::string pattern = LikePattern(t.tokens[0]);
        c.all.push_back(Cond{"(e.title LIKE ? ESCAPE '\\' OR e.description LIKE ? ESCAPE '\\')",
                             {pattern, pattern}});
        break;
      }
      case SearchTermKind::kPhrase:
      case SearchTermKind::kWord:
        if (!c.fts_match.empty()) c.fts_match += " AND ";
        AppendFtsPhrase(c.fts_match, t.tokens);
        break;
    }
  }
  return Status::Ok();
}

void AddVisibility(const Visibility& v, Conditions& c) {
  if (v.all) return;
  std::vector<Cond> any;
  if (v.region_id != 0) {
    const char* column = LevelColumn(v.region_level);
    if (column == nullptr) return;  // the city: everything
    any.push_back(Equals(column, v.region_id));
  }
  if (v.department_id != 0) any.push_back(Equals("e.department_id", v.department_id));
  if (v.reporter_id != 0) any.push_back(Equals("e.reporter_user_id", v.reporter_id));
  if (v.assignee_id != 0) any.push_back(Equals("e.assignee_user_id", v.assignee_id));
  if (any.empty()) {
    c.empty = true;
  } else if (any.size() == 1) {
    c.all.push_back(std::move(any[0]));
  } else {
    c.split = std::move(any);
  }
}

void AddStatuses(const EventQuery& q, Conditions& c) {
  std::bitset<kEventStatusCount> seen;
  std::vector<EventStatus> statuses;
  for (EventStatus s : q.statuses) {
    const auto i = static_cast<std::size_t>(s);
    if (i < seen.size() && !seen[i]) {
      seen[i] = true;
      statuses.push_back(s);
    }
  }
  if (statuses.empty() || seen.all()) return;
  if (statuses.size() == 1) {
    c.all.push_back(Equals("e.status", std::string(StatusName(statuses[0]))));
    return;
  }
  if (c.split.empty() && c.fts_match.empty() && !q.overdue.value_or(false)) {
    for (EventStatus s : statuses)
      c.split.push_back(Equals("e.status", std::string(StatusName(s))));
    return;
  }
  // A filter on the rows another index finds (the unary + keeps the planner off events_status,
  // which would need a sort).
  Cond in{"+e.status IN (", {}};
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    in.sql += i == 0 ? "?" : ",?";
    in.binds.emplace_back(std::string(StatusName(statuses[i])));
  }
  in.sql += ")";
  c.all.push_back(std::move(in));
}

Status AddCategory(Connection& conn, const EventQuery& q, Conditions& c) {
  if (q.category.empty()) return Status::Ok();
  const std::string hi = PrefixUpperBound(q.category);
  if (hi.empty()) {
    c.empty = true;
    return Status::Ok();
  }
  Cond range{"+e.category >= ? AND +e.category < ?", {q.category, hi}};
  if (!c.fts_match.empty()) {
    c.all.push_back(std::move(range));
    return Status::Ok();
  }
  auto codes = CategoriesIn(conn, q.category, hi, kMaxCategoryArms + 1);
  if (!codes) return codes.error();
  if (codes->empty()) {
    c.empty = true;
  } else if (codes->size() == 1) {
    c.all.push_back(Equals("e.category", std::move((*codes)[0])));
  } else if (c.split.empty() && codes->size() <= kMaxCategoryArms) {
    for (std::string& code : *codes) c.split.push_back(Equals("e.category", std::move(code)));
  } else {
    c.all.push_back(std::move(range));
  }
  return Status::Ok();
}

void AddFilters(const EventQuery& q, Conditions& c) {
  if (q.source) c.all.push_back(Equals("e.source", std::string(SourceName(*q.source))));
  if (q.department_id != 0) c.all.push_back(Equals("e.department_id", q.department_id));
  if (q.assignee_user_id != 0) {
    c.all.push_back(Equals("e.assignee_user_id", q.assignee_user_id));
  }
  if (q.region_id != 0) {
    if (const char* column = LevelColumn(q.region_level)) {
      c.all.push_back(Equals(column, q.region_id));
    }
  }
  if (q.grid_id != 0) c.all.push_back(Equals("e.grid_id", q.grid_id));
  // Routing queues (issue 5).
  if (q.min_supervision_level > 0) {
    c.all.push_back(Cond{"e.supervision_level >= ?", {std::int64_t{q.min_supervision_level}}});
  }
  if (q.deadline_before) c.all.push_back(Cond{"e.deadline < ?", {*q.deadline_before}});
  if (q.overdue) {
    // Written exactly as the WHERE of the partial index events_overdue, so that it applies.
    const std::string open = kSqlOpenStatuses;
    if (*q.overdue) {
      c.all.push_back(Cond{"e.status IN " + open + " AND e.deadline < ?", {q.now}, true});
    } else {
      c.all.push_back(
          Cond{"(e.status NOT IN " + open + " OR e.deadline IS NULL OR e.deadline >= ?)", {q.now}});
    }
  }
}

// A time range alone has no index in id order. Creation times follow ids within a known bound,
// so a range of created_at is walked backwards on events_created (see WalkCreated); a range of
// updated_at that holds few events is read whole from events_updated and sorted, a larger one is
// a filter on the newest events. Beside another filter that an index answers in id order, both
// are filters (the unary + keeps the planner from preferring the range and a sort).
Status AddTimeRanges(Connection& conn, const EventQuery& q, Conditions& c, EventQueryPlan& plan,
                     std::string& indexed_by) {
  constexpr std::int64_t kSmallRange = 20'000;
  const bool driven =
      !c.split.empty() || !c.fts_match.empty() ||
      std::any_of(c.all.begin(), c.all.end(), [](const Cond& x) { return x.drives; });
  bool walk = false;
  bool updated_index = false;
  if (!driven && (q.created_from || q.created_to)) {
    walk = true;
  } else if (!driven && (q.updated_from || q.updated_to)) {
    auto count = conn.Prepare(
        "SELECT count(*) FROM (SELECT 1 FROM events WHERE updated_at >= ? AND updated_at < ? "
        "LIMIT 20000)");
    if (!count) return count.error();
    Stmt s(*count);
    s.Bind(1, q.updated_from.value_or(std::numeric_limits<std::int64_t>::min()));
    s.Bind(2, q.updated_to.value_or(std::numeric_limits<std::int64_t>::max()));
    const int rc = s.Step();
    if (rc != SQLITE_ROW) return SqliteError(conn.db(), rc, "sizing a time range");
    updated_index = s.Int(0) < kSmallRange;
  }
  const std::string created = walk ? "e.created_at" : "+e.created_at";
  const std::string updated = updated_index ? "e.updated_at" : "+e.updated_at";
  if (q.created_from) c.all.push_back(Cond{created + " >= ?", {*q.created_from}});
  if (q.updated_from) c.all.push_back(Cond{updated + " >= ?", {*q.updated_from}});
  if (q.updated_to) c.all.push_back(Cond{updated + " < ?", {*q.updated_to}});
  if (walk) {
    // The last bound value: WalkCreated lowers it to skip ahead.
    c.all.push_back(
        Cond{created + " < ?", {q.created_to.value_or(std::numeric_limits<TimeMs>::max())}});
  } else if (q.created_to) {
    c.all.push_back(Cond{created + " < ?", {*q.created_to}});
  }
  plan.walk_created = walk;
  if (walk) {
    indexed_by = "events_created";
  } else if (updated_index) {
    indexed_by = "events_updated";
  }
  return Status::Ok();
}

int PageLimit(const EventQuery& q) { return std::clamp(q.limit, 1, 1000); }

}  // namespace

Result<EventQueryPlan> PlanEventQuery(Connection& conn, const EventQuery& q) {
  EventQueryPlan plan;
  Conditions c;
  if (Status s = AddText(q, c); !s.ok()) return s.error();
  AddVisibility(q.visibility, c);
  if (!c.fts_match.empty() && !c.split.empty()) {
    c.all.push_back(AnyOf(c.split));  // the text index drives; visibility only filters
    c.split.clear();
  }
  AddStatuses(q, c);
  if (c.empty) {
    plan.empty = true;
    return plan;
  }
  if (Status s = AddCategory(conn, q, c); !s.ok()) return s.error();
  AddFilters(q, c);
  if (c.empty) {
    plan.empty = true;
    return plan;
  }
  std::string indexed_by;
  if (Status s = AddTimeRanges(conn, q, c, plan, indexed_by); !s.ok()) return s.error();

  const auto limit = static_cast<std::int64_t>(PageLimit(q)) + 1;
  const std::size_t arms = std::max<std::size_t>(1, c.split.size());
  for (std::size_t a = 0; a < arms; ++a) {
    EventQueryArm arm;
    std::vector<const Cond*> conds;
    for (const Cond& cond : c.all) conds.push_back(&cond);
    if (!c.split.empty()) conds.push_back(&c.split[a]);
    if (!c.fts_match.empty()) {
      arm.sql =
          "SELECT e.id FROM search.event_search CROSS JOIN events AS e ON e.id = "
          "event_search.rowid "
          "WHERE event_search MATCH ?";
      arm.binds.emplace_back(c.fts_match);
      if (q.before_id > 0) {
        arm.sql += " AND event_search.rowid < ?";
        arm.binds.emplace_back(q.before_id);
      }
    } else {
      arm.sql = plan.walk_created ? "SELECT e.id, e.created_at FROM events AS e"
                                  : "SELECT e.id FROM events AS e";
      if (!indexed_by.empty()) arm.sql += " INDEXED BY " + indexed_by;
      arm.sql += " WHERE 1";
      if (q.before_id > 0) {
        arm.sql += " AND e.id < ?";
        arm.binds.emplace_back(q.before_id);
      }
    }
    for (const Cond* cond : conds) {
      arm.sql += " AND ";
      arm.sql += cond->sql;
      arm.binds.insert(arm.binds.end(), cond->binds.begin(), cond->binds.end());
    }
    if (plan.walk_created) {
      arm.sql += " ORDER BY e.created_at DESC, e.id DESC";
    } else {
      arm.sql += c.fts_match.empty() ? " ORDER BY e.id DESC LIMIT ?"
                                     : " ORDER BY event_search.rowid DESC LIMIT ?";
      arm.binds.emplace_back(limit);
    }
    plan.arms.push_back(std::move(arm));
  }
  return plan;
}

namespace {

// A read transaction: one snapshot for the arms and the rows.
class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& conn) : conn_(conn) {}
  ~ReadTransaction() {
    if (open_) (void)conn_.Run("COMMIT");
  }
  Status Begin() {
    Status s = conn_.Run("BEGIN");
    open_ = s.ok();
    return s;
  }

 private:
  Connection& conn_;
  bool open_ = false;
};

}  // namespace

// The `want` largest ids among the arm's rows, which come newest created first (ties: larger ids
// first). A later id is created at most `disorder` ms before an earlier one (store_meta), so once
// the walk is that far before the creation of every id kept, no row to come can have a larger id.
// The arm's last bound value is its upper bound of created_at.
Result<std::vector<EventId>> WalkCreated(Connection& conn, const EventQueryArm& arm,
                                         std::size_t want) {
  std::int64_t disorder = std::int64_t{1} << 62;
  {
    auto meta =
        conn.Prepare("SELECT value FROM store_meta WHERE key = 'events_created_disorder_ms'");
    if (!meta) return meta.error();
    Stmt s(*meta);
    if (s.Step() == SQLITE_ROW) disorder = std::clamp<std::int64_t>(s.Int(0), 0, disorder);
  }
  auto prepared = conn.Prepare(arm.sql);
  if (!prepared) return prepared.error();
  Stmt s(*prepared);
  for (std::size_t i = 0; i < arm.binds.size(); ++i) s.Bind(static_cast<int>(i + 1), arm.binds[i]);
  const int bound_index = static_cast<int>(arm.binds.size());
  struct Kept {
    EventId id;
    TimeMs created_at;
    bool operator>(const Kept& o) const { return id > o.id; }
  };
  std::priority_queue<Kept, std::vector<Kept>, std::greater<>> kept;  // the smallest id on top
  TimeMs oldest_kept = std::numeric_limits<TimeMs>::max();            // the earliest creation kept
  TimeMs skipped_at = std::numeric_limits<TimeMs>::min();  // the instant of the last row passed
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    const Kept row{s.Int(0), s.Int(1)};
    if (kept.size() < want) {
      kept.push(row);
      oldest_kept = std::min(oldest_kept, row.created_at);
      continue;
    }
    if (row.created_at < oldest_kept - disorder) break;  // times are far from the int64 limits
    if (row.id < kept.top().id) {
      // The rest of this instant has smaller ids still: when it is not the first such row, go on
      // before the instant (one seek rather than a step per row of a busy millisecond).
      if (row.created_at == skipped_at) {
        sqlite3_reset(s.get());
        s.Bind(bound_index, row.created_at);
      }
      skipped_at = row.created_at;
      continue;
    }
    kept.pop();
    kept.push(row);
    // Rare once the walk is past the newest ids: recompute the earliest creation kept.
    auto copy = kept;
    oldest_kept = std::numeric_limits<TimeMs>::max();
    for (; !copy.empty(); copy.pop()) oldest_kept = std::min(oldest_kept, copy.top().created_at);
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(conn.db(), rc, "listing events");
  std::vector<EventId> ids;
  ids.reserve(kept.size());
  for (; !kept.empty(); kept.pop()) ids.push_back(kept.top().id);
  return ids;
}

Result<EventPage> ListEventsOn(Connection& conn, const EventQuery& q) {
  ReadTransaction tx(conn);
  if (Status s = tx.Begin(); !s.ok()) return s.error();
  auto plan = PlanEventQuery(conn, q);
  if (!plan) return plan.error();
  EventPage page;
  if (plan->empty) return page;

  const auto limit = static_cast<std::size_t>(PageLimit(q));
  std::vector<EventId> ids;
  if (plan->walk_created) {
    auto walked = WalkCreated(conn, plan->arms[0], limit + 1);
    if (!walked) return walked.error();
    ids = std::move(*walked);
  } else {
    for (const EventQueryArm& arm : plan->arms) {
      auto prepared = conn.Prepare(arm.sql);
      if (!prepared) return prepared.error();
      Stmt s(*prepared);
      for (std::size_t i = 0; i < arm.binds.size(); ++i) {
        s.Bind(static_cast<int>(i + 1), arm.binds[i]);
      }
      int rc;
      while ((rc = s.Step()) == SQLITE_ROW) ids.push_back(s.Int(0));
      if (rc != SQLITE_DONE) return SqliteError(conn.db(), rc, "listing events");
    }
  }
  if (plan->arms.size() > 1 || plan->walk_created) {
    std::sort(ids.begin(), ids.end(), std::greater<>());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  }
  if (ids.size() > limit) {
    page.has_more = true;
    ids.resize(limit);
  }

  static const std::string kFetch =
      std::string("SELECT ") + kEventColumns + " FROM events WHERE id = ?";
  auto fetch = conn.Prepare(kFetch);
  if (!fetch) return fetch.error();
  page.items.reserve(ids.size());
  for (EventId id : ids) {
    Stmt s(*fetch);
    s.Bind(1, id);
    const int rc = s.Step();
    if (rc == SQLITE_DONE) continue;
    if (rc != SQLITE_ROW) return SqliteError(conn.db(), rc, "reading an event");
    auto e = ReadEvent(s);
    if (!e) return e.error();
    page.items.push_back(std::move(*e));
  }
  return page;
}

}  // namespace civicgrid
