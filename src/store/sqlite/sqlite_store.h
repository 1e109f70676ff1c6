// SqliteStore: the Store port on an embedded SQLite database (WAL), the zero-set-up default.
// Reads run on a pool of connections from any thread; writes are units run by one writer thread
// that commits all queued units in one transaction (group commit), each in its own savepoint
// (or, with replay_units, run again if a batch-mate fails after writing). The event text search
// index is a second file, PATH-search, kept by a thread of its own (search_indexer.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/ports/store.h"

namespace civicgrid {

class Connection;

struct SqliteOptions {
  int read_connections = 4;  // the read pool; a reader waits when all are in use
  int max_batch = 512;       // units per group commit at most
  // When a unit is acknowledged (its `done` called with Ok):
  enum class Sync : std::uint8_t {
    // After an fsync of the WAL that began after its commit, done by a thread of its own while
    // the writer goes on (wal_syncer.h): survives a power loss, and the fsync is off the
    // writer's path. A reader may see a commit before it is synced.
    kPipelined,
    // SQLite's synchronous = FULL: the writer fsyncs in each commit and waits for it; nothing is
    // visible before it is on disk.
    kFull,
    // After the commit, without an fsync (synchronous = NORMAL): survives a crash of the
    // process (kill -9), not a power loss.
    kNormal,
  };
  Sync sync = Sync::kPipelined;
  // Makes a file's data durable for kPipelined: ::fdatasync when empty. Tests pause or fail it.
  std::function<int(int fd)> sync_file;
  // Whether a unit's work may run again: when a unit fails after writing, its batch-mates
  // before it are rolled back and run again (their `done` is still called once, after the
  // commit). Work that only reads and writes through the WriteTx and sets its results afresh on
  // each run qualifies. It spares a savepoint per unit (about half the writer's time); off, every
  // unit runs in a savepoint and exactly once.
  bool replay_units = false;
  int page_size = 4096;                         // of a new database (an existing one keeps its own)
  int busy_timeout_ms = 5000;                   // waiting for another process's lock
  std::int64_t writer_cache_kib = 64 * 1024;    // page cache of the write connection
  std::int64_t reader_cache_kib = 16 * 1024;    // page cache of each read connection
  std::int64_t mmap_bytes = 256 * 1024 * 1024;  // memory-mapped reads (0: off)
  int wal_autocheckpoint_pages = 4096;  // checkpoint (on a thread of its own) past this WAL size
  // How long a text search waits for the search index to hold every event committed before it
  // (normally milliseconds; longer only while the index is built at start). Then kUnavailable.
  int search_wait_ms = 5000;
  // For loading much data into a store nobody reads meanwhile (the demo city, imports): the
  // secondary indexes are dropped at Open and built by FinishBulkLoad (bulk_load.h), which also
  // waits for the search index (written beside the load by its own thread).
  bool bulk_load = false;
  // With bulk_load, for a NEW database only (the demo city): no journal and no fsync until
  // FinishBulkLoad, which writes each page once instead of to the WAL and again at checkpoints.
  // A load that dies midway leaves a database that every later Open refuses (it must be made
  // again); FinishBulkLoad syncs it and returns it to WAL before it counts as loaded.
  bool unjournaled = false;
};

// What the writer has done since Open: how large its group commits are in practice.
struct WriterStats {
  std::int64_t units = 0;         // units run and acknowledged (committed or refused)
  std::int64_t transactions = 0;  // group commits
  std::int64_t syncs = 0;         // fsyncs of the WAL that acknowledged them (Sync::kPipelined)
};

class SqliteStore final : public Store {
 public:
  // Opens (creating if absent) the database at `path`, a file path (":memory:" is not supported:
  // the connections must share the file). Applies the pending schema migrations; refuses a
  // database whose schema is newer than this build knows (kFailedPrecondition).
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   SqliteOptions options = {});
  // The schema version this build creates and understands.
  static int SchemaVersion();

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  // Closes (see Close).
  ~SqliteStore() override;

  // Finishes every submitted unit, stops the writer and closes the connections. Later reads
  // fail with kUnavailable and later units are refused (their `done` gets kUnavailable at once).
  // Must not race other calls on this store. Idempotent.
  Status Close();

  // Reads; thread-safe.
  Result<std::vector<Region>> LoadRegions() override;
  Result<std::vector<Department>> LoadDepartments() override;
  Result<std::vector<Category>> LoadCategories() override;
  Result<std::optional<User>> FindUserByName(std::string_view username) override;
  Result<std::optional<User>> FindUser(UserId id) override;
  Result<std::optional<Session>> FindSession(std::string_view token_hash) override;
  Result<std::optional<Event>> FindEvent(EventId id) override;
  Result<EventPage> ListEvents(const EventQuery& query) override;
  Result<std::vector<HistoryEntry>> EventHistory(EventId id) override;
  // Reads in one snapshot on one pooled connection for as long as the scan takes.
  Status ScanHistory(const std::function<bool(const HistoryEntry&)>& visit) override;
  Status ScanAudit(const std::function<bool(const AuditRecord&)>& visit) override;
  // Identity administration and the audit trail (issue 4).
  Result<UserPage> ListUsers(const UserQuery& query) override;
  Result<AuditPage> ListAudit(const AuditQuery& query) override;

  // Routing (issue 5); in routing_store.cc.
  Result<std::vector<ResponsibilityRule>> LoadRules(bool current_only) override;
  Result<std::optional<EventRouting>> FindEventRouting(EventId id) override;
  Result<std::vector<Whistle>> EventWhistles(EventId id) override;
  Result<std::vector<SupervisionNotice>> EventSupervisionNotices(EventId id) override;
  Result<std::vector<DuplicateProposal>> EventDuplicates(EventId id) override;
  Status ScanOpenDeadlines(const std::function<void(const OpenDeadline&)>& visit) override;
  Result<CalendarSettings> LoadCalendarSettings() override;

  // Thread-safe. `work` and `done` run on the writer thread; neither may call Drain or Close.
  void Submit(WriteWork work, WriteDone done) override;
  void Drain() override;

  WriterStats writer_stats() const;
  // Not ok once an fsync has failed: every write is refused from then on (wal_syncer.h).
  Status durability() const;
  // "ready", "building" (searches answer kUnavailable until the index is built) or "failed".
  std::string search_index_state() const;

  // Ends a bulk load (SqliteOptions::bulk_load): waits for the submitted units, builds the
  // deferred indexes (stage "indexes"), then waits for the search index to catch up (stage
  // "search index"), reporting the fraction of each done. No unit may be submitted meanwhile.
  // Without a bulk load under way it does nothing.
  using StageProgress = std::function<void(std::string_view stage, double fraction)>;
  Status FinishBulkLoad(const StageProgress& progress);

  // --- Territory and base data (issue 3), in base_data_store.cc ---
  Result<std::optional<Household>> FindHousehold(std::int64_t id) override;
  Result<std::vector<Household>> ListHouseholds(const BaseDataQuery& q) override;
  Result<std::optional<Resident>> FindResident(std::int64_t id) override;
  Result<std::vector<Resident>> ListResidents(const BaseDataQuery& q) override;
  Result<std::vector<ResidentMove>> ResidentMoves(std::int64_t resident_id) override;
  Result<std::optional<Place>> FindPlace(std::int64_t id) override;
  Result<std::vector<Place>> ListPlaces(const BaseDataQuery& q) override;
  Result<std::optional<KeyPerson>> FindKeyPerson(std::int64_t id) override;
  Result<std::vector<KeyPerson>> ListKeyPersons(const BaseDataQuery& q) override;
  Result<std::vector<KeyPersonVisit>> KeyPersonVisits(std::int64_t key_person_id) override;
  Result<std::vector<PatrolCheckIn>> ListPatrols(const BaseDataQuery& q) override;
  Result<std::vector<PatrolLog>> ListPatrolLogs(const BaseDataQuery& q) override;
  Result<std::vector<PatrolCheckIn>> LatestPatrolPositions(const std::vector<UserId>& user_ids,
                                                           TimeMs since) override;
  Result<std::vector<User>> ListUsersWithRole(Role role) override;
  // --- Cameras and camera alarms (issue 5); in camera_store.cc ---
  Result<std::optional<Camera>> FindCamera(std::int64_t id) override;
  Result<std::optional<Camera>> FindCameraByCode(std::string_view code) override;
  Result<std::vector<Camera>> ListCameras(const BaseDataQuery& q) override;
  Result<std::optional<CameraAlarm>> FindCameraAlarmOfEvent(EventId event_id) override;
  Result<std::vector<AlarmType>> ListAlarmTypes() override;
  Result<std::optional<AlarmType>> FindAlarmType(std::string_view type) override;

 private:
  // Runs `read` on a pooled read connection (kUnavailable when the store is closed).
  Status WithReader(const std::function<Status(class Connection&)>& read);

  struct Impl;
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace civicgrid
