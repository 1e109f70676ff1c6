// The WriteTx of the SQLite writer: every write of the Store port as a statement prepared once on
// the write connection. The text of inserted events is collected for the search indexer, which
// gets it once the transaction has committed (search_indexer.h).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ports/store.h"
#include "store/sqlite/search_indexer.h"
#include "store/sqlite/sqlite_connection.h"

namespace civicgrid {

class SqliteWriteTx final : public WriteTx {
 public:
  // Prepares the statements on `conn`, which must outlive this object.
  static Result<std::unique_ptr<SqliteWriteTx>> Create(Connection& conn);

  Result<std::optional<Event>> FindEvent(EventId id) override;
  Result<std::optional<EventId>> FindIdempotentEvent(UserId user, std::string_view key) override;
  Status PutIdempotencyKey(UserId user, std::string_view key, EventId event, TimeMs at) override;
  Result<std::int64_t> NextDailySequence(std::string_view day) override;
  Result<std::int64_t> ReserveDailySequences(std::string_view day, std::int64_t count) override;
  Result<EventId> NextEventId() override;
  Status InsertEvent(Event& e) override;
  Status UpdateEvent(const Event& e) override;
  Status AppendHistory(const HistoryEntry& h) override;
  Status InsertSession(const Session& s) override;
  Status DeleteSession(std::string_view token_hash) override;
  Status InsertRegion(Region& r) override;
  Status InsertDepartment(Department& d) override;
  Status UpsertCategory(const Category& c) override;
  Status InsertUser(User& u) override;
  Result<AuditLink> LastAudit() override;
  Status AppendAudit(const AuditRecord& r) override;
  // Identity administration (issue 4; in sqlite_identity_tx.cc).
  Result<std::optional<User>> FindUser(UserId id) override;
  Status UpdateUser(const User& u) override;
  Status DeleteUserSessions(UserId id) override;

  // --- Routing (issue 5); in routing_write_tx.cc ---
  Result<std::optional<ResponsibilityRule>> FindCurrentRule(std::string_view category,
                                                            RegionLevel level) override;
  Status InsertRule(ResponsibilityRule& r) override;
  Result<std::optional<EventRouting>> FindEventRouting(EventId id) override;
  Status PutEventRouting(const EventRouting& r) override;
  Status InsertWhistle(Whistle& w) override;
  Result<std::optional<Whistle>> FindWhistle(std::int64_t id) override;
  Status MarkWhistleReport(std::int64_t whistle_id, DepartmentId department, TimeMs at) override;
  Result<bool> InsertSupervisionNotice(const SupervisionNotice& n) override;
  Result<std::vector<Event>> FindOpenEventsNear(std::string_view category, double min_lon,
                                                double min_lat, double max_lon, double max_lat,
                                                TimeMs since, int limit) override;
  Status PutDuplicateProposal(const DuplicateProposal& p) override;
  Status PutCalendarSettings(const CalendarSettings& s) override;
  // --- Territory and base data (issue 3), in base_data_write_tx.cc ---
  Status UpdateRegion(const Region& r) override;
  Status RepathCommunity(RegionId community_id, const RegionPath& path) override;
  Status InsertHousehold(Household& h) override;
  Result<std::optional<Household>> FindHousehold(std::int64_t id) override;
  Status InsertResident(Resident& r) override;
  Result<std::optional<Resident>> FindResident(std::int64_t id) override;
  Status UpdateResident(const Resident& r) override;
  Status InsertResidentMove(ResidentMove& m) override;
  Status InsertPlace(Place& p) override;
  Status InsertKeyPerson(KeyPerson& k) override;
  Result<std::optional<KeyPerson>> FindKeyPerson(std::int64_t id) override;
  Status UpdateKeyPersonVisit(const KeyPerson& k) override;
  Result<std::optional<KeyPerson>> FindKeyPersonOfResident(std::int64_t resident_id) override;
  Status UpdateKeyPersonPlacement(const KeyPerson& k) override;
  Status InsertKeyPersonVisit(KeyPersonVisit& v) override;
  Status InsertPatrolCheckIn(PatrolCheckIn& p) override;
  Status InsertPatrolLog(PatrolLog& l) override;

  // --- Organisation units (issue 4); in org_write_tx.cc ---
  Result<std::optional<Department>> FindDepartment(DepartmentId id) override;
  Result<std::optional<Department>> FindDepartmentByCode(std::string_view code) override;
  Status UpdateDepartment(const Department& d) override;
  // --- Cameras and camera alarms (issue 5); in camera_store.cc ---
  Status InsertCamera(Camera& c) override;
  Result<std::optional<Camera>> FindCamera(std::int64_t id) override;
  Status UpdateCamera(const Camera& c) override;
  Result<std::optional<CameraAlarm>> FindCameraAlarm(std::int64_t camera_id,
                                                     std::string_view alarm_id) override;
  Status InsertCameraAlarm(const CameraAlarm& a) override;
  Result<std::optional<AlarmType>> FindAlarmType(std::string_view type) override;
  Status PutAlarmType(const AlarmType& t) override;

  // --- Re-placing rows after a grid edit, and resident edits (issue 3, geo helper); in
  // placement_write_tx.cc ---
  Result<std::vector<PlacedPoint>> PlacedPointsIn(PlacedKind kind,
                                                  const std::vector<RegionId>& grid_ids,
                                                  const std::array<double, 4>& box) override;
  Status SetPlacement(PlacedKind kind, std::int64_t id, const RegionPath& path,
                      TimeMs now) override;
  Status UpdateResidentDetails(const Resident& r) override;

  // Call at the start of every transaction: ids continue after the largest stored one (and after
  // every id handed out since, so that a refused unit's id is never reused).
  Status BeginTransaction();
  // What BeginTransaction reads, in every transaction. Each must be an index seek, during a bulk
  // load too (bulk_load.cc keeps those indexes live): a scan here makes a load quadratic.
  static constexpr std::array<std::string_view, 3> kStateQueries = {
      "SELECT max(id) FROM events",
      "SELECT max(created_at) FROM events",
      "SELECT value FROM store_meta WHERE key = 'events_created_disorder_ms'",
  };

  // What a unit changed in this object, to forget when the unit rolls back to its savepoint.
  struct UnitMark {
    std::size_t search_rows;
    TimeMs max_created_at;
    EventId max_stored_id;
    std::int64_t disorder_ms;
  };
  UnitMark Mark() const { return {pending_.size(), max_created_at_, max_stored_id_, disorder_ms_}; }
  void RollBackTo(const UnitMark& m);
  // After the whole transaction rolled back: forget its events' text.
  void Abandon() { pending_.clear(); }
  // After the commit: the text of the events the transaction inserted, for the search indexer.
  std::vector<SearchIndexer::Text> TakeSearchTexts() { return std::exchange(pending_, {}); }

 private:
  enum Sql : std::size_t {
    kFindEvent,
    kFindIdempotent,
    kPutIdempotent,
    kNextSequence,
    kInsertEvent,
    kEventPlacement,
    kUpdateEvent,
    kUpdatePlacement,
    kAppendHistory,
    kInsertSession,
    kDeleteSession,
    kInsertRegion,
    kInsertDepartment,
    kUpsertCategory,
    kInsertUser,
    kLastAudit,
    kAppendAudit,
    kMaxEventId,
    kMaxCreatedAt,
    kReadDisorder,
    kWriteDisorder,
    kSqlCount,
  };
  explicit SqliteWriteTx(Connection& conn) : conn_(conn) {}
  Stmt Use(Sql which) { return Stmt(stmts_[which]); }
  // The cached statement for `sql` (base-data writes prepare on first use).
  Result<sqlite3_stmt*> Prepared(std::string_view sql) { return conn_.Prepare(sql); }
  Status Done(int rc, std::string_view doing);

  Connection& conn_;
  std::array<sqlite3_stmt*, kSqlCount> stmts_{};  // owned by conn_'s cache
  std::vector<SearchIndexer::Text> pending_;
  // Keeps store_meta.events_created_disorder_ms an upper bound (see migrations.cc).
  Status TrackCreationOrder(const Event& e);

  EventId last_event_id_ = 0;  // the largest id stored or handed out
  EventId max_stored_id_ = 0;
  TimeMs max_created_at_ = 0;
  std::int64_t disorder_ms_ = 0;
};

}  // namespace civicgrid
