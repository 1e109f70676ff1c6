// The composition root: opens the store, loads reference data and builds the use cases.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "core/audit/audit_service.h"
#include "core/camera/camera_service.h"
#include "core/common/result.h"
#include "core/events/event_service.h"
#include "core/identity/auth_service.h"
#include "core/identity/org_admin.h"
#include "core/identity/user_admin.h"
#include "core/people/csv_import.h"
#include "core/people/patrol_service.h"
#include "core/people/people_service.h"
#include "core/ports/cipher.h"
#include "core/ports/clock.h"
#include "core/ports/crypto.h"
#include "core/ports/store.h"
#include "core/routing/deadline_watcher.h"
#include "core/routing/reference_data.h"
#include "core/routing/routing_service.h"
#include "core/territory/territory_service.h"
#include "store/sqlite/sqlite_store.h"

namespace civicgrid {

struct AppOptions {
  std::string db_path;
  TimeMs token_lifetime_ms = 12 * kMsPerHour;  // bearer tokens expire after this
  std::string calendar_dir;  // extra cn-YYYY.csv files (local days off); may be empty
  int read_connections = 4;
  // When a write is acknowledged: after an fsync beside the writer (default), after an fsync in
  // the commit, or after the commit alone (SqliteOptions::Sync).
  SqliteOptions::Sync sync = SqliteOptions::Sync::kPipelined;
  // Run write units without a savepoint each (see SqliteOptions::replay_units): every unit of
  // the use cases only touches its WriteTx and sets its results afresh on each run.
  bool replay_units = true;
  // Build the store's indexes once at the end (FinishBulkLoad) instead of row by row.
  bool bulk_load = false;
  bool unjournaled = false;  // with bulk_load, into a new database (SqliteOptions::unjournaled)
  // The clock the use cases read; null: the system clock. Tests inject one (not owned).
  const Clock* clock = nullptr;
  DuplicatePolicy duplicates;    // when a new report is proposed as a duplicate (issue 5)
  CameraDispatchPolicy cameras;  // who is on duty for camera alarms, and how far (issue 5)
  // The 32-byte key sealing personal data (ID numbers), as 64 hex digits: from the environment
  // variable CIVICGRID_DATA_KEY, else from this file, else from <db>.key (created with a new
  // random key, mode 0600, on first use). See docs/TERRITORY.md.
  std::string data_key_file;
};

// Builds the working calendar from the compiled-in official calendars plus `extra_dir`.
Result<WorkingCalendar> LoadCalendar(const std::string& extra_dir);

class Application {
 public:
  static Result<std::unique_ptr<Application>> Open(const AppOptions& options);
  ~Application();

  Store& store() { return *store_; }
  const Crypto& crypto() const { return *crypto_; }
  const Clock& clock() const { return clock_override_ != nullptr ? *clock_override_ : *clock_; }
  EventService& events() { return *events_; }
  AuthService& auth() { return *auth_; }
  UserAdminService& users() { return *users_; }
  AuditService& audit() { return *audit_; }
  RoutingService& routing() { return *routing_; }
  OrgAdminService& orgs() { return *orgs_; }
  // Loads every open deadline and starts the deadline watcher (serve does; other commands not).
  Status StartDeadlineWatcher();
  DeadlineWatcher* deadline_watcher() { return watcher_.get(); }
  const Cipher& cipher() const { return *cipher_; }
  TerritoryService& territory() { return *territory_; }
  PeopleService& people() { return *people_; }
  PatrolService& patrols() { return *patrols_; }
  BaseDataCsv& csv() { return *csv_; }
  CameraService& cameras() { return *cameras_; }
  std::shared_ptr<const ReferenceData> reference() const;
  // "units=N transactions=M": the group commits so far (for logs and benchmarks).
  std::string WriterStatsJson() const;
  // Whether the store can still take writes (SqliteStore::durability), and the state of its
  // search index (SqliteStore::search_index_state): what /readyz reports.
  Status durability() const;
  std::string search_index_state() const;
  WriterStats writer_stats() const;
  // Re-reads regions, departments and categories (after imports or admin edits).
  Status ReloadReference();
  // Ends a bulk load (AppOptions::bulk_load): builds the deferred indexes and waits for the
  // search index, showing the progress of each stage.
  Status FinishBulkLoad(const SqliteStore::StageProgress& progress);

 private:
  Application() = default;
  std::unique_ptr<Store> store_;
  SqliteStore* sqlite_ = nullptr;  // store_, for its statistics
  std::unique_ptr<Crypto> crypto_;
  std::unique_ptr<Clock> clock_;
  const Clock* clock_override_ = nullptr;  // AppOptions::clock
  WorkingCalendar calendar_;
  mutable std::mutex reference_mu_;
  std::shared_ptr<const ReferenceData> reference_;  // guarded by reference_mu_
  std::unique_ptr<EventService> events_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<UserAdminService> users_;
  std::unique_ptr<AuditService> audit_;
  std::unique_ptr<RoutingService> routing_;
  std::unique_ptr<OrgAdminService> orgs_;
  std::unique_ptr<DeadlineWatcher> watcher_;
  std::unique_ptr<Cipher> cipher_;
  std::unique_ptr<TerritoryService> territory_;
  std::unique_ptr<PeopleService> people_;
  std::unique_ptr<PatrolService> patrols_;
  std::unique_ptr<BaseDataCsv> csv_;
  std::unique_ptr<CameraService> cameras_;
};

// The data key's 64 hex digits per AppOptions::data_key_file's rules.
Result<std::string> LoadDataKey(const std::string& db_path, const std::string& key_file);

}  // namespace civicgrid
