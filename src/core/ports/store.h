// Port: durable storage. Adapters: SqliteStore (src/store/sqlite); PostgreSQL later.
//
// Reads are synchronous and may run on any thread concurrently. Writes are units of work
// submitted to the store's single writer, which runs concurrent units in one transaction
// (group commit), each inside its own savepoint so a refused unit changes nothing and does not
// disturb the others. `done` is called exactly once per unit, after the transaction commits
// (with the unit's own Status) or fails (with the failure); it runs on the writer thread and
// must not block. A unit's work may run more than once (after its transaction is rolled back
// because a batch-mate failed after writing): it must touch only the WriteTx and set its own
// results afresh on every run; `done` is still called once.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit/audit_record.h"
#include "core/camera/camera.h"
#include "core/common/result.h"
#include "core/events/event.h"
#include "core/identity/user.h"
#include "core/people/base_data.h"
#include "core/routing/calendar_settings.h"
#include "core/routing/catalog.h"
#include "core/routing/event_routing.h"
#include "core/routing/responsibility_rule.h"
#include "core/territory/placed_point.h"
#include "core/territory/region.h"
#include "core/territory/region_path_scope.h"

namespace civicgrid {

// Who may see what: an event is visible when any set criterion matches it (OR). `all` makes
// every event visible. Built by the use cases from the caller's scope, never by adapters.
struct Visibility {
  bool all = false;
  RegionLevel region_level = RegionLevel::kGrid;
  RegionId region_id = 0;          // events placed in this region's subtree
  DepartmentId department_id = 0;  // events assigned to this department
  UserId reporter_id = 0;          // events this user reported
  UserId assignee_id = 0;          // camera alarms sent to this grid worker (issue 5)
};

struct EventQuery {
  Visibility visibility;
  std::vector<EventStatus> statuses;  // any of these; empty = all
  std::string category;               // the code, or a class code prefix ("01" matches 0101)
  std::optional<EventSource> source;
  DepartmentId department_id = 0;
  RegionId region_id = 0;  // subtree filter: the region and its level
  RegionLevel region_level = RegionLevel::kGrid;
  RegionId grid_id = 0;
  std::optional<TimeMs> created_from, created_to;  // [from, to)
  std::optional<TimeMs> updated_from, updated_to;
  std::optional<bool> overdue;            // open, with a deadline before `now`
  int min_supervision_level = 0;          // routing queues: supervised events (0: any)
  std::optional<TimeMs> deadline_before;  // routing queues: due before this instant
  TimeMs now = 0;
  std::string text;       // words that must all appear in title or description
  EventId before_id = 0;  // keyset cursor: only ids below this (0: from the newest)
  int limit = 50;
  UserId assignee_user_id = 0;  // camera alarms (issue 5): sent to / claimed by this user
};

struct EventPage {
  std::vector<Event> items;  // newest first (descending id)
  bool has_more = false;
};

// A list query over the base data (issue 3): rows placed in `scope`, newest first (descending
// id, keyset cursor `before_id`); the other filters apply where the row kind has the column.
struct BaseDataQuery {
  RegionFilter scope;
  std::int64_t before_id = 0;
  int limit = 50;
  std::int64_t household_id = 0;                  // residents
  std::optional<ResidentType> resident_type;      // residents
  std::optional<ResidentStatus> resident_status;  // residents
  std::string id_blind;                           // residents: the blind index of an ID number
  std::optional<PlaceKind> place_kind;            // places
  UserId user_id = 0;                // patrols and logs: whose; key persons: responsible worker
  std::optional<TimeMs> due_before;  // key persons whose next visit is due before this
  std::optional<TimeMs> from, to;    // patrols (at) and logs (created_at): [from, to)
};

// Runs inside the write transaction. Every method may fail with kInternal on a storage error,
// which aborts the unit.
class WriteTx {
 public:
  virtual ~WriteTx() = default;
  virtual Result<std::optional<Event>> FindEvent(EventId id) = 0;
  // The event an earlier create with the same (user, key) made, if any.
  virtual Result<std::optional<EventId>> FindIdempotentEvent(UserId user, std::string_view key) = 0;
  virtual Status PutIdempotencyKey(UserId user, std::string_view key, EventId event, TimeMs at) = 0;
  // The next number in the daily sequence of `day` ("20261121"), starting at 1.
  virtual Result<std::int64_t> NextDailySequence(std::string_view day) = 0;
  // Takes the next `count` (>= 1) numbers of the sequence of `day` at once; returns the first.
  virtual Result<std::int64_t> ReserveDailySequences(std::string_view day, std::int64_t count) = 0;
  // A fresh event id, so that the report row's hash (which binds the id) and the event row's
  // last_hash can be written in one insert each. Ids may have gaps (a refused unit's id is lost).
  virtual Result<EventId> NextEventId() = 0;
  // Inserts the event; uses e.id when set (from NextEventId), otherwise assigns one into e.id.
  virtual Status InsertEvent(Event& e) = 0;
  // Writes every mutable column of the event row (by id).
  virtual Status UpdateEvent(const Event& e) = 0;
  virtual Status AppendHistory(const HistoryEntry& h) = 0;
  virtual Status InsertSession(const Session& s) = 0;
  virtual Status DeleteSession(std::string_view token_hash) = 0;

  // Reference data (demo generation, imports, admin). Inserts set the id.
  virtual Status InsertRegion(Region& r) = 0;
  virtual Status InsertDepartment(Department& d) = 0;
  virtual Status UpsertCategory(const Category& c) = 0;
  virtual Status InsertUser(User& u) = 0;

  // The audit chain (core/audit): its newest link, and appending the next record.
  virtual Result<AuditLink> LastAudit() = 0;
  virtual Status AppendAudit(const AuditRecord& r) = 0;

  // --- Identity administration (issue 4) ---
  virtual Result<std::optional<User>> FindUser(UserId id) = 0;
  // Writes every mutable column of the user row (by id); kNotFound when there is none.
  virtual Status UpdateUser(const User& u) = 0;
  // Ends every session of the user (disable, password reset or change).
  virtual Status DeleteUserSessions(UserId id) = 0;
  // --- Routing (issue 5): the responsibility list and the routing records of events ---
  virtual Result<std::optional<ResponsibilityRule>> FindCurrentRule(std::string_view category,
                                                                    RegionLevel level) = 0;
  // Inserts the next version (sets r.id); it becomes the current one.
  virtual Status InsertRule(ResponsibilityRule& r) = 0;
  virtual Result<std::optional<EventRouting>> FindEventRouting(EventId id) = 0;
  // Replaces the event's routing record and its co-handlers.
  virtual Status PutEventRouting(const EventRouting& r) = 0;
  virtual Status InsertWhistle(Whistle& w) = 0;  // sets w.id
  virtual Result<std::optional<Whistle>> FindWhistle(std::int64_t id) = 0;
  virtual Status MarkWhistleReport(std::int64_t whistle_id, DepartmentId department, TimeMs at) = 0;
  // False (nothing written) when the event already has a notice of that level.
  virtual Result<bool> InsertSupervisionNotice(const SupervisionNotice& n) = 0;
  // Open events of `category` created at or after `since` inside the box, newest first.
  virtual Result<std::vector<Event>> FindOpenEventsNear(std::string_view category, double min_lon,
                                                        double min_lat, double max_lon,
                                                        double max_lat, TimeMs since,
                                                        int limit) = 0;
  virtual Status PutDuplicateProposal(const DuplicateProposal& p) = 0;
  virtual Status PutCalendarSettings(const CalendarSettings& s) = 0;

  // --- Territory and base data (issue 3) ---
  // Rewrites the region row `r.id` (parent, level, code, name, polygon).
  virtual Status UpdateRegion(const Region& r) = 0;
  // After a community moved: the street and district of every row placed in it (events,
  // households, residents, places, key persons, patrols) become those of `path`.
  virtual Status RepathCommunity(RegionId community_id, const RegionPath& path) = 0;
  virtual Status InsertHousehold(Household& h) = 0;
  virtual Result<std::optional<Household>> FindHousehold(std::int64_t id) = 0;
  virtual Status InsertResident(Resident& r) = 0;
  virtual Result<std::optional<Resident>> FindResident(std::int64_t id) = 0;
  // Writes status, arrived_at, departed_at, path, household and updated_at.
  virtual Status UpdateResident(const Resident& r) = 0;
  virtual Status InsertResidentMove(ResidentMove& m) = 0;
  virtual Status InsertPlace(Place& p) = 0;
  virtual Status InsertKeyPerson(KeyPerson& k) = 0;
  virtual Result<std::optional<KeyPerson>> FindKeyPerson(std::int64_t id) = 0;
  // Writes last_visit_at, next_visit_due and updated_at.
  virtual Status UpdateKeyPersonVisit(const KeyPerson& k) = 0;
  virtual Result<std::optional<KeyPerson>> FindKeyPersonOfResident(std::int64_t resident_id) = 0;
  // Writes the path, worker_id and updated_at (the key person followed its resident).
  virtual Status UpdateKeyPersonPlacement(const KeyPerson& k) = 0;
  virtual Status InsertKeyPersonVisit(KeyPersonVisit& v) = 0;
  virtual Status InsertPatrolCheckIn(PatrolCheckIn& p) = 0;
  virtual Status InsertPatrolLog(PatrolLog& l) = 0;
  // --- Organisation units (issue 4): department administration ---
  virtual Result<std::optional<Department>> FindDepartment(DepartmentId id) = 0;
  virtual Result<std::optional<Department>> FindDepartmentByCode(std::string_view code) = 0;
  // Writes name, name_en, region_id and disabled (by id); kNotFound when there is none.
  virtual Status UpdateDepartment(const Department& d) = 0;

  // --- Re-placing rows after a grid edit, and resident edits (issue 3) ---
  // Rows that carry a point: events and places whose grid is one of `grid_ids`, and those in
  // no grid (grid_id 0) whose point lies in `box` (min_lon, min_lat, max_lon, max_lat).
  virtual Result<std::vector<PlacedPoint>> PlacedPointsIn(PlacedKind kind,
                                                          const std::vector<RegionId>& grid_ids,
                                                          const std::array<double, 4>& box) = 0;
  // Sets the row's grid, community, street and district (and updated_at).
  virtual Status SetPlacement(PlacedKind kind, std::int64_t id, const RegionPath& path,
                              TimeMs now) = 0;
  // Writes every attribute of the resident a PATCH may change: name, gender, birth_date, the
  // sealed/blind/masked ID number, type, phone, household, path and updated_at. kAlreadyExists
  // when the ID number belongs to another resident.
  virtual Status UpdateResidentDetails(const Resident& r) = 0;

  // --- Cameras and camera alarms (issue 5); SQL in store/sqlite/camera_store.cc ---
  virtual Status InsertCamera(Camera& c) = 0;  // sets c.id; kAlreadyExists for a taken code
  virtual Result<std::optional<Camera>> FindCamera(std::int64_t id) = 0;
  // Writes name, lon, lat, path, enabled and updated_at (by id).
  virtual Status UpdateCamera(const Camera& c) = 0;
  virtual Result<std::optional<CameraAlarm>> FindCameraAlarm(std::int64_t camera_id,
                                                             std::string_view alarm_id) = 0;
  virtual Status InsertCameraAlarm(const CameraAlarm& a) = 0;
  virtual Result<std::optional<AlarmType>> FindAlarmType(std::string_view type) = 0;
  // Inserts or replaces the mapping of t.type.
  virtual Status PutAlarmType(const AlarmType& t) = 0;
};

using WriteWork = std::function<Status(WriteTx&)>;
using WriteDone = std::function<void(Status)>;

class Store {
 public:
  virtual ~Store() = default;

  virtual Result<std::vector<Region>> LoadRegions() = 0;
  virtual Result<std::vector<Department>> LoadDepartments() = 0;
  virtual Result<std::vector<Category>> LoadCategories() = 0;

  virtual Result<std::optional<User>> FindUserByName(std::string_view username) = 0;
  virtual Result<std::optional<User>> FindUser(UserId id) = 0;
  virtual Result<std::optional<Session>> FindSession(std::string_view token_hash) = 0;

  virtual Result<std::optional<Event>> FindEvent(EventId id) = 0;
  virtual Result<EventPage> ListEvents(const EventQuery& query) = 0;
  virtual Result<std::vector<HistoryEntry>> EventHistory(EventId id) = 0;
  // Every history row in (event_id, seq) order, for `civicgrid audit verify`; stops early when
  // `visit` returns false.
  virtual Status ScanHistory(const std::function<bool(const HistoryEntry&)>& visit) = 0;
  // Every audit record in seq order, for `civicgrid audit verify`; stops when `visit` is false.
  virtual Status ScanAudit(const std::function<bool(const AuditRecord&)>& visit) = 0;

  // --- Identity administration and the audit trail (issue 4) ---
  virtual Result<UserPage> ListUsers(const UserQuery& query) = 0;
  virtual Result<AuditPage> ListAudit(const AuditQuery& query) = 0;
  // --- Routing (issue 5) ---
  // Every version of every rule (current_only: the newest version of each), by category.
  virtual Result<std::vector<ResponsibilityRule>> LoadRules(bool current_only) = 0;
  virtual Result<std::optional<EventRouting>> FindEventRouting(EventId id) = 0;
  virtual Result<std::vector<Whistle>> EventWhistles(EventId id) = 0;
  virtual Result<std::vector<SupervisionNotice>> EventSupervisionNotices(EventId id) = 0;
  virtual Result<std::vector<DuplicateProposal>> EventDuplicates(EventId id) = 0;
  // Every open, unsuspended event with a deadline (the deadline watcher's start).
  virtual Status ScanOpenDeadlines(const std::function<void(const OpenDeadline&)>& visit) = 0;
  virtual Result<CalendarSettings> LoadCalendarSettings() = 0;

  // --- Territory and base data (issue 3) ---
  virtual Result<std::optional<Household>> FindHousehold(std::int64_t id) = 0;
  virtual Result<std::vector<Household>> ListHouseholds(const BaseDataQuery& q) = 0;
  virtual Result<std::optional<Resident>> FindResident(std::int64_t id) = 0;
  virtual Result<std::vector<Resident>> ListResidents(const BaseDataQuery& q) = 0;
  // Oldest first.
  virtual Result<std::vector<ResidentMove>> ResidentMoves(std::int64_t resident_id) = 0;
  virtual Result<std::optional<Place>> FindPlace(std::int64_t id) = 0;
  virtual Result<std::vector<Place>> ListPlaces(const BaseDataQuery& q) = 0;
  virtual Result<std::optional<KeyPerson>> FindKeyPerson(std::int64_t id) = 0;
  virtual Result<std::vector<KeyPerson>> ListKeyPersons(const BaseDataQuery& q) = 0;
  // Newest first.
  virtual Result<std::vector<KeyPersonVisit>> KeyPersonVisits(std::int64_t key_person_id) = 0;
  virtual Result<std::vector<PatrolCheckIn>> ListPatrols(const BaseDataQuery& q) = 0;
  virtual Result<std::vector<PatrolLog>> ListPatrolLogs(const BaseDataQuery& q) = 0;
  // The newest check-in of each user in `user_ids` made at or after `since` (users without one
  // are left out). For camera alarms (issue 5): "the latest patrol position of each on-duty grid
  // worker" is this over the grid workers of a region with since = the start of the shift.
  virtual Result<std::vector<PatrolCheckIn>> LatestPatrolPositions(
      const std::vector<UserId>& user_ids, TimeMs since) = 0;
  // Enabled users holding `role`, by id.
  virtual Result<std::vector<User>> ListUsersWithRole(Role role) = 0;

  // --- Cameras and camera alarms (issue 5); SQL in store/sqlite/camera_store.cc ---
  virtual Result<std::optional<Camera>> FindCamera(std::int64_t id) = 0;
  virtual Result<std::optional<Camera>> FindCameraByCode(std::string_view code) = 0;
  // Cameras placed in q.scope, newest first (keyset cursor q.before_id, q.limit).
  virtual Result<std::vector<Camera>> ListCameras(const BaseDataQuery& q) = 0;
  // The alarm that made `event_id`, if it came from a camera.
  virtual Result<std::optional<CameraAlarm>> FindCameraAlarmOfEvent(EventId event_id) = 0;
  // The alarm type mapping, by type.
  virtual Result<std::vector<AlarmType>> ListAlarmTypes() = 0;
  virtual Result<std::optional<AlarmType>> FindAlarmType(std::string_view type) = 0;

  virtual void Submit(WriteWork work, WriteDone done) = 0;
  // Waits for every submitted unit to finish. Used at shutdown.
  virtual void Drain() = 0;
};

}  // namespace civicgrid
