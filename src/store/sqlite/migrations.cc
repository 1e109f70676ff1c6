#include "store/sqlite/migrations.h"

#include "core/camera/camera.h"
#include "store/sqlite/sqlite_connection.h"

namespace civicgrid {
namespace {

// 1: the tables. Enumerations are stored by their API names (stable across reorderings of the
// C++ enums), region levels by number, roles as the RoleSet bit mask, times as UTC milliseconds.
// Ids of "none" are 0, except regions.parent_id (NULL for the root, for the foreign key).
constexpr const char* kV1Tables = R"sql(
CREATE TABLE regions (
  id        INTEGER PRIMARY KEY,
  parent_id INTEGER REFERENCES regions(id),
  level     INTEGER NOT NULL,
  code      TEXT NOT NULL UNIQUE,
  name      TEXT NOT NULL,
  polygon   TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX regions_parent ON regions(parent_id);

CREATE TABLE departments (
  id        INTEGER PRIMARY KEY,
  code      TEXT NOT NULL UNIQUE,
  name      TEXT NOT NULL,
  name_en   TEXT NOT NULL DEFAULT '',
  region_id INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE categories (
  code          TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  name_en       TEXT NOT NULL DEFAULT '',
  parent_code   TEXT NOT NULL DEFAULT '',
  department_id INTEGER NOT NULL DEFAULT 0,
  time_limit    INTEGER NOT NULL DEFAULT 0,
  time_unit     TEXT NOT NULL DEFAULT 'working_days',
  priority      INTEGER NOT NULL DEFAULT 2
) WITHOUT ROWID;

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL DEFAULT '',
  roles         INTEGER NOT NULL DEFAULT 0,
  region_id     INTEGER NOT NULL DEFAULT 0,
  department_id INTEGER NOT NULL DEFAULT 0,
  disabled      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE events (
  id                INTEGER PRIMARY KEY,
  number            TEXT NOT NULL UNIQUE,
  source            TEXT NOT NULL,
  category          TEXT NOT NULL,
  title             TEXT NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  lon               REAL NOT NULL DEFAULT 0,
  lat               REAL NOT NULL DEFAULT 0,
  address           TEXT NOT NULL DEFAULT '',
  grid_id           INTEGER NOT NULL DEFAULT 0,
  community_id      INTEGER NOT NULL DEFAULT 0,
  street_id         INTEGER NOT NULL DEFAULT 0,
  district_id       INTEGER NOT NULL DEFAULT 0,
  owner_region_id   INTEGER NOT NULL DEFAULT 0,
  reporter_name     TEXT NOT NULL DEFAULT '',
  reporter_phone    TEXT NOT NULL DEFAULT '',
  reporter_user_id  INTEGER NOT NULL DEFAULT 0,
  priority          INTEGER NOT NULL DEFAULT 2,
  status            TEXT NOT NULL,
  version           INTEGER NOT NULL DEFAULT 1,
  department_id     INTEGER NOT NULL DEFAULT 0,
  assignee_user_id  INTEGER NOT NULL DEFAULT 0,
  deadline          INTEGER,
  suspended         INTEGER NOT NULL DEFAULT 0,
  suspended_at      INTEGER NOT NULL DEFAULT 0,
  supervision_level INTEGER NOT NULL DEFAULT 0,
  escalation_level  INTEGER NOT NULL DEFAULT 0,
  merged_into       INTEGER NOT NULL DEFAULT 0,
  rating            INTEGER NOT NULL DEFAULT 0,
  attachments       TEXT NOT NULL DEFAULT '[]',
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  closed_at         INTEGER,
  last_hash         TEXT NOT NULL DEFAULT '',
  history_count     INTEGER NOT NULL DEFAULT 0
);

-- Append-only: rows are only ever inserted (SPEC §3, 全程留痕).
CREATE TABLE event_history (
  event_id    INTEGER NOT NULL REFERENCES events(id),
  seq         INTEGER NOT NULL,
  action      TEXT NOT NULL,
  actor_id    INTEGER NOT NULL DEFAULT 0,
  actor_name  TEXT NOT NULL DEFAULT '',
  actor_role  TEXT NOT NULL DEFAULT '',
  at          INTEGER NOT NULL,
  from_status TEXT NOT NULL,
  to_status   TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  data        TEXT NOT NULL DEFAULT '',
  prev_hash   TEXT NOT NULL DEFAULT '',
  hash        TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (event_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER event_history_no_update BEFORE UPDATE ON event_history
BEGIN SELECT RAISE(ABORT, 'event_history is append-only'); END;
CREATE TRIGGER event_history_no_delete BEFORE DELETE ON event_history
BEGIN SELECT RAISE(ABORT, 'event_history is append-only'); END;
-- INSERT OR REPLACE would delete the old row without firing the delete trigger (unless
-- recursive_triggers is on), so a row may not even be inserted over an existing one.
CREATE TRIGGER event_history_no_replace BEFORE INSERT ON event_history
WHEN EXISTS (SELECT 1 FROM event_history WHERE event_id = NEW.event_id AND seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'event_history is append-only: the row exists'); END;

CREATE TABLE idempotency_keys (
  user_id    INTEGER NOT NULL,
  key        TEXT NOT NULL,
  event_id   INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

CREATE TABLE daily_sequences (
  day   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// 2: what the event list and search need. Every list filter has an index that yields its
// events newest first ((column, id): an equality then the keyset range on id, no sort), and
// text search has an FTS5 index over the bigram folding of title and description (rowid =
// event id, contentless: the text lives in events).
//
// The planner statistics are fixed rather than measured: they describe a city-sized table
// (1,000,000 events) so that plans are the same on a fresh database as on a full one, and the
// query builder (event_query.cc) can rely on them. Each row is "rows rows-per-key ...".
constexpr const char* kV2ListIndexes = R"sql(
CREATE INDEX events_status ON events(status, id);
CREATE INDEX events_category ON events(category, id);
CREATE INDEX events_source ON events(source, id);
CREATE INDEX events_department ON events(department_id, id);
CREATE INDEX events_grid ON events(grid_id, id);
CREATE INDEX events_community ON events(community_id, id);
CREATE INDEX events_street ON events(street_id, id);
CREATE INDEX events_district ON events(district_id, id);
CREATE INDEX events_reporter ON events(reporter_user_id, id);
CREATE INDEX events_created ON events(created_at);
CREATE INDEX events_updated ON events(updated_at);
CREATE INDEX events_overdue ON events(id, deadline)
  WHERE status IN ('reported','accepted','dispatched','in_progress','handled')
    AND deadline IS NOT NULL;

CREATE VIRTUAL TABLE event_search USING fts5(
  title, description, content='', columnsize=0, detail=full,
  tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co M* P* S*'");

PRAGMA analysis_limit=200;
ANALYZE sqlite_schema;
ANALYZE events;
DELETE FROM sqlite_stat1 WHERE tbl = 'events';
INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES
  ('events', 'sqlite_autoindex_events_1', '1000000 1'),
  ('events', 'events_status', '1000000 111112 1'),
  ('events', 'events_category', '1000000 2000 1'),
  ('events', 'events_source', '1000000 125000 1'),
  ('events', 'events_department', '1000000 5000 1'),
  ('events', 'events_grid', '1000000 100 1'),
  ('events', 'events_community', '1000000 500 1'),
  ('events', 'events_street', '1000000 5000 1'),
  ('events', 'events_district', '1000000 50000 1'),
  ('events', 'events_reporter', '1000000 20 1'),
  ('events', 'events_created', '1000000 2'),
  ('events', 'events_updated', '1000000 2'),
  ('events', 'events_overdue', '20000 1 1');
)sql";

// 3: what time-range lists need, and a covering overdue index.
// store_meta.events_created_disorder_ms bounds how far created_at runs backwards in id order:
// for ids i < j, created_at(j) >= created_at(i) - disorder. Events are created about in id order
// (the id is taken when the report is stored, created_at when it arrived), so the bound is small,
// and a list filtered by creation time can walk events_created backwards and stop early (see
// event_query.cc). The writer raises it when an insert runs further backwards.
constexpr const char* kV3TimeRanges = R"sql(
CREATE TABLE store_meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO store_meta(key, value)
SELECT 'events_created_disorder_ms', coalesce(max(behind), 0) FROM (
  SELECT max(created_at) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
         - created_at AS behind
  FROM events);

DROP INDEX events_overdue;
CREATE INDEX events_overdue ON events(id, deadline, status)
  WHERE status IN ('reported','accepted','dispatched','in_progress','handled')
    AND deadline IS NOT NULL;
DELETE FROM sqlite_stat1 WHERE tbl = 'events' AND idx = 'events_overdue';
INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES ('events', 'events_overdue', '20000 1 1 1');
)sql";

// 4: the audit log (core/audit): one hash chain in seq order, append-only.
constexpr const char* kV4AuditLog = R"sql(
CREATE TABLE audit_log (
  seq            INTEGER PRIMARY KEY,
  at             INTEGER NOT NULL,
  actor_id       INTEGER NOT NULL,
  actor_name     TEXT NOT NULL,
  remote_address TEXT NOT NULL,
  action         TEXT NOT NULL,
  object_type    TEXT NOT NULL,
  object_id      TEXT NOT NULL,
  before         TEXT NOT NULL,
  after          TEXT NOT NULL,
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log(actor_id, seq);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id, seq);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)sql";

// Indexes the text of the events stored before the search index existed.
// 5: where a bulk load keeps the definitions of the indexes it builds at the end (bulk_load.h).
constexpr const char* kV5DeferredIndexes = R"sql(
CREATE TABLE deferred_indexes (
  name TEXT PRIMARY KEY,
  sql  TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// 6: identity administration (issue 4): initial passwords that must be changed at first login.
constexpr const char* kV6Identity = R"sql(
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
)sql";

// 7: routing (issue 5): the versioned responsibility list, each event's routing record and
// co-handlers, whistle summons, automatic supervision notices (one per event and level),
// duplicate proposals and the organisation's calendar settings.
constexpr const char* kV7Routing = R"sql(
CREATE TABLE responsibility_rules (
  id            INTEGER PRIMARY KEY,
  category      TEXT NOT NULL,
  region_level  INTEGER NOT NULL,
  version       INTEGER NOT NULL,
  department_id INTEGER NOT NULL,
  co_handlers   TEXT NOT NULL,
  time_limit    INTEGER NOT NULL,
  time_unit     TEXT NOT NULL,
  verification  TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  created_by    INTEGER NOT NULL,
  UNIQUE (category, region_level, version)
);
CREATE TABLE event_routing (
  event_id           INTEGER PRIMARY KEY,
  mode               TEXT NOT NULL,
  rule_id            INTEGER NOT NULL,
  rule_version       INTEGER NOT NULL,
  lead_department_id INTEGER NOT NULL,
  clock_start        INTEGER NOT NULL,
  limit_ms           INTEGER NOT NULL,
  wall_clock         INTEGER NOT NULL,
  verification       TEXT NOT NULL
);
CREATE TABLE event_co_handlers (
  event_id      INTEGER NOT NULL,
  department_id INTEGER NOT NULL,
  reported_at   INTEGER,
  note          TEXT NOT NULL,
  PRIMARY KEY (event_id, department_id)
) WITHOUT ROWID;
CREATE TABLE whistles (
  id          INTEGER PRIMARY KEY,
  event_id    INTEGER NOT NULL,
  region_id   INTEGER NOT NULL,
  summoned_by INTEGER NOT NULL,
  note        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  respond_by  INTEGER NOT NULL
);
CREATE INDEX whistles_event ON whistles(event_id);
CREATE TABLE whistle_calls (
  whistle_id    INTEGER NOT NULL,
  department_id INTEGER NOT NULL,
  reported_at   INTEGER,
  PRIMARY KEY (whistle_id, department_id)
) WITHOUT ROWID;
CREATE TABLE supervision_notices (
  event_id      INTEGER NOT NULL,
  level         INTEGER NOT NULL,
  department_id INTEGER NOT NULL,
  at            INTEGER NOT NULL,
  automatic     INTEGER NOT NULL,
  PRIMARY KEY (event_id, level)
) WITHOUT ROWID;
CREATE INDEX supervision_notices_department ON supervision_notices(department_id, at);
CREATE TABLE duplicate_proposals (
  event_id     INTEGER NOT NULL,
  candidate_id INTEGER NOT NULL,
  distance_m   REAL NOT NULL,
  state        TEXT NOT NULL,
  at           INTEGER NOT NULL,
  PRIMARY KEY (event_id, candidate_id)
) WITHOUT ROWID;
-- Duplicate proposals look for open events of one category in a small box around a new report.
CREATE INDEX events_category_lat ON events(category, lat);
CREATE TABLE calendar_office_hours (
  start_minute INTEGER PRIMARY KEY,
  end_minute   INTEGER NOT NULL
);
CREATE TABLE calendar_local_days (
  date    TEXT PRIMARY KEY,
  working INTEGER NOT NULL,
  name    TEXT NOT NULL
);
)sql";

// 8: territory and base data (issue 3): households, residents (ID number sealed, with a keyed
// blind index for exact lookup), the floating population's arrivals and departures, places, key
// persons and their visits, patrol check-ins and daily logs. Rows placed in the region tree keep
// their path (grid, community, street, district) like events, for scope filters.
constexpr const char* kV8BaseData = R"sql(
CREATE TABLE households (
  id           INTEGER PRIMARY KEY,
  grid_id      INTEGER NOT NULL,
  community_id INTEGER NOT NULL DEFAULT 0,
  street_id    INTEGER NOT NULL DEFAULT 0,
  district_id  INTEGER NOT NULL DEFAULT 0,
  number       TEXT NOT NULL DEFAULT '',
  address      TEXT NOT NULL,
  head_name    TEXT NOT NULL DEFAULT '',
  phone        TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX households_grid ON households(grid_id, id);
CREATE INDEX households_street ON households(street_id, id);

CREATE TABLE residents (
  id            INTEGER PRIMARY KEY,
  household_id  INTEGER NOT NULL DEFAULT 0,
  grid_id       INTEGER NOT NULL,
  community_id  INTEGER NOT NULL DEFAULT 0,
  street_id     INTEGER NOT NULL DEFAULT 0,
  district_id   INTEGER NOT NULL DEFAULT 0,
  name          TEXT NOT NULL,
  gender        TEXT NOT NULL DEFAULT '',
  birth_date    TEXT NOT NULL DEFAULT '',
  id_sealed     TEXT NOT NULL,
  id_blind      TEXT NOT NULL UNIQUE,
  id_masked     TEXT NOT NULL,
  resident_type TEXT NOT NULL,
  phone         TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL DEFAULT 'present',
  arrived_at    INTEGER,
  departed_at   INTEGER,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX residents_grid ON residents(grid_id, id);
CREATE INDEX residents_street ON residents(street_id, id);
CREATE INDEX residents_household ON residents(household_id);

CREATE TABLE resident_moves (
  id          INTEGER PRIMARY KEY,
  resident_id INTEGER NOT NULL REFERENCES residents(id),
  kind        TEXT NOT NULL,
  at          INTEGER NOT NULL,
  grid_id     INTEGER NOT NULL DEFAULT 0,
  actor_id    INTEGER NOT NULL DEFAULT 0,
  note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX resident_moves_resident ON resident_moves(resident_id, id);

CREATE TABLE places (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,
  name         TEXT NOT NULL,
  address      TEXT NOT NULL DEFAULT '',
  lon          REAL NOT NULL,
  lat          REAL NOT NULL,
  grid_id      INTEGER NOT NULL,
  community_id INTEGER NOT NULL DEFAULT 0,
  street_id    INTEGER NOT NULL DEFAULT 0,
  district_id  INTEGER NOT NULL DEFAULT 0,
  contact      TEXT NOT NULL DEFAULT '',
  phone        TEXT NOT NULL DEFAULT '',
  risk_level   INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX places_grid ON places(grid_id, id);
CREATE INDEX places_street ON places(street_id, id);

CREATE TABLE key_persons (
  id                  INTEGER PRIMARY KEY,
  resident_id         INTEGER NOT NULL UNIQUE REFERENCES residents(id),
  grid_id             INTEGER NOT NULL,
  community_id        INTEGER NOT NULL DEFAULT 0,
  street_id           INTEGER NOT NULL DEFAULT 0,
  district_id         INTEGER NOT NULL DEFAULT 0,
  category            TEXT NOT NULL,
  level               TEXT NOT NULL,
  worker_id           INTEGER NOT NULL,
  visit_interval_days INTEGER NOT NULL,
  last_visit_at       INTEGER,
  next_visit_due      INTEGER NOT NULL,
  note                TEXT NOT NULL DEFAULT '',
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);
CREATE INDEX key_persons_due ON key_persons(next_visit_due);
CREATE INDEX key_persons_worker ON key_persons(worker_id);

CREATE TABLE key_person_visits (
  id            INTEGER PRIMARY KEY,
  key_person_id INTEGER NOT NULL REFERENCES key_persons(id),
  worker_id     INTEGER NOT NULL,
  at            INTEGER NOT NULL,
  note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX key_person_visits_person ON key_person_visits(key_person_id, id);

CREATE TABLE patrols (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL,
  at           INTEGER NOT NULL,
  lon          REAL NOT NULL,
  lat          REAL NOT NULL,
  grid_id      INTEGER NOT NULL DEFAULT 0,
  community_id INTEGER NOT NULL DEFAULT 0,
  street_id    INTEGER NOT NULL DEFAULT 0,
  district_id  INTEGER NOT NULL DEFAULT 0,
  note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX patrols_user_at ON patrols(user_id, at);
CREATE INDEX patrols_at ON patrols(at);

CREATE TABLE patrol_logs (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL,
  day          TEXT NOT NULL,
  grid_id      INTEGER NOT NULL DEFAULT 0,
  community_id INTEGER NOT NULL DEFAULT 0,
  street_id    INTEGER NOT NULL DEFAULT 0,
  district_id  INTEGER NOT NULL DEFAULT 0,
  content    TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX patrol_logs_user_day ON patrol_logs(user_id, day);
CREATE INDEX patrol_logs_day ON patrol_logs(day);
)sql";

// 9: organisation units (issue 4): a department can be disabled (nothing is dispatched to it).
constexpr const char* kV9Departments = R"sql(
ALTER TABLE departments ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
)sql";

// 10: cameras and their alarms (issue 5). An alarm row per (camera, alarm id) makes a retried
// alarm find its event; a grid worker's list reaches the alarms sent to them by assignee.
constexpr const char* kV10Cameras = R"sql(
CREATE TABLE cameras (
  id           INTEGER PRIMARY KEY,
  code         TEXT NOT NULL UNIQUE,
  name         TEXT NOT NULL,
  lon          REAL NOT NULL,
  lat          REAL NOT NULL,
  grid_id      INTEGER NOT NULL,
  community_id INTEGER NOT NULL,
  street_id    INTEGER NOT NULL,
  district_id  INTEGER NOT NULL,
  enabled      INTEGER NOT NULL DEFAULT 1,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX cameras_grid ON cameras(grid_id, id);
CREATE INDEX cameras_street ON cameras(street_id, id);

CREATE TABLE camera_alarms (
  camera_id        INTEGER NOT NULL REFERENCES cameras(id),
  alarm_id         TEXT NOT NULL,
  type             TEXT NOT NULL,
  alarm_at         INTEGER NOT NULL,
  snapshot_url     TEXT NOT NULL,
  event_id         INTEGER NOT NULL,
  assigned_user_id INTEGER NOT NULL DEFAULT 0,
  assigned_metres  REAL NOT NULL DEFAULT 0,
  received_at      INTEGER NOT NULL,
  PRIMARY KEY (camera_id, alarm_id)
) WITHOUT ROWID;
CREATE INDEX camera_alarms_event ON camera_alarms(event_id);

CREATE INDEX events_assignee ON events(assignee_user_id, id);
)sql";

constexpr const char* kV11AlarmTypes = R"sql(
CREATE TABLE camera_alarm_types (
  type     TEXT PRIMARY KEY,
  category TEXT NOT NULL,
  label    TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// Duplicate proposals read only open events near a new report: a partial index of the open ones
// that covers the whole box test (lon, time, status too) answers from the index alone, instead of
// reading every event of the category in the latitude band from the table (~50 µs per create on
// a busy city). A bulk load that an older build interrupted may still hold the old index as
// deferred: it is forgotten rather than built.
constexpr const char* kV12OpenNearIndex = R"sql(
DROP INDEX IF EXISTS events_category_lat;
DELETE FROM deferred_indexes WHERE name = 'events_category_lat';
CREATE INDEX events_open_near ON events(category, lat, lon, created_at, status)
  WHERE status IN ('reported','accepted','dispatched','in_progress','handled');
)sql";

// 13: the search index moves to a file of its own with its own writer thread (search_indexer.h),
// which indexes every event at the next start. The store gets an identity, so that a search
// file is never taken for another store's.
constexpr const char* kV13SearchFile = R"sql(
DROP TABLE IF EXISTS event_search;
DELETE FROM deferred_indexes WHERE name = '#event_search';
INSERT INTO store_meta(key, value) VALUES ('store_id', abs(random() >> 1) + 1)
  ON CONFLICT(key) DO NOTHING;
)sql";

// The mapping that was built in before it could be edited.
Status SeedAlarmTypes(Connection& conn) {
  auto insert =
      conn.Prepare("INSERT INTO camera_alarm_types(type, category, label) VALUES (?,?,?)");
  if (!insert) return insert.error();
  for (const AlarmType& t : DefaultAlarmTypes()) {
    Stmt s(*insert);
    s.Bind(1, t.type);
    s.Bind(2, t.category);
    s.Bind(3, t.label);
    if (const int rc = s.Step(); rc != SQLITE_DONE) {
      return SqliteError(conn.db(), rc, "seeding the alarm types");
    }
  }
  return Status::Ok();
}

constexpr SqliteMigration kMigrations[] = {
    {1, kV1Tables, nullptr},
    {2, kV2ListIndexes, nullptr},
    {3, kV3TimeRanges, nullptr},
    {4, kV4AuditLog, nullptr},
    {5, kV5DeferredIndexes, nullptr},
    {6, kV6Identity, nullptr},
    {7, kV7Routing, nullptr},
    {8, kV8BaseData, nullptr},
    {9, kV9Departments, nullptr},
    {10, kV10Cameras, nullptr},
    {11, kV11AlarmTypes, SeedAlarmTypes},
    {12, kV12OpenNearIndex, nullptr},
    {13, kV13SearchFile, nullptr},
};

}  // namespace

std::span<const SqliteMigration> SqliteMigrations() { return kMigrations; }

}  // namespace civicgrid
