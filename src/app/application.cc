#include "app/application.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/calendar_data.h"
#include "app/system_clock.h"
#include "crypto/secret_box.h"
#include "crypto/secretbox_cipher.h"
#include "crypto/sodium_crypto.h"
#include "geo/cell_geo_index.h"
#include "store/sqlite/sqlite_store.h"

namespace civicgrid {

Result<WorkingCalendar> LoadCalendar(const std::string& extra_dir) {
  WorkingCalendar calendar;
  for (std::string_view csv : BuiltinCalendars()) {
    if (auto s = calendar.LoadCsv(csv); !s) return s.error();
  }
  if (!extra_dir.empty()) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(extra_dir, ec)) {
      if (entry.path().extension() != ".csv") continue;
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      if (auto s = calendar.LoadCsv(text.str()); !s) {
        return Fail(ErrorCode::kInvalidArgument, entry.path().string() + ": " + s.error().message);
      }
    }
    if (ec) {
      return Fail(ErrorCode::kInvalidArgument,
                  "cannot read calendar directory " + extra_dir + ": " + ec.message());
    }
  }
  return calendar;
}

Result<std::string> LoadDataKey(const std::string& db_path, const std::string& key_file) {
  if (const char* env = std::getenv("CIVICGRID_DATA_KEY"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  const std::string path = key_file.empty() ? db_path + ".key" : key_file;
  std::ifstream in(path);
  if (in) {
    std::string key;
    in >> key;
    return key;
  }
  if (!key_file.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "cannot read the data key file " + key_file);
  }
  // First use of this database: a fresh key next to it, readable by its owner only.
  const std::string key = GenerateSecretKeyHex();
  {
    std::ofstream out(path, std::ios::trunc);
    out << key << "\n";
    if (!out) return Fail(ErrorCode::kUnavailable, "cannot write the data key file " + path);
  }
  ::chmod(path.c_str(), 0600);
  return key;
}

Result<std::unique_ptr<Application>> Application::Open(const AppOptions& options) {
  auto calendar = LoadCalendar(options.calendar_dir);
  if (!calendar) return calendar.error();
  SqliteOptions store_options;
  store_options.read_connections = options.read_connections;
  store_options.sync = options.sync;
  store_options.replay_units = options.replay_units;
  store_options.bulk_load = options.bulk_load;
  store_options.unjournaled = options.unjournaled;
  auto store = SqliteStore::Open(options.db_path, store_options);
  if (!store) return store.error();

  std::unique_ptr<Application> app(new Application());
  app->sqlite_ = store->get();
  app->store_ = std::move(*store);
  app->crypto_ = std::make_unique<SodiumCrypto>();
  app->clock_ = std::make_unique<SystemClock>();
  app->clock_override_ = options.clock;
  const Clock& clock = app->clock();
  app->calendar_ = std::move(*calendar);
  if (auto s = app->ReloadReference(); !s) return s.error();
  Application* raw = app.get();
  auto reference = [raw] { return raw->reference(); };
  app->events_ = std::make_unique<EventService>(*app->store_, clock, *app->crypto_, reference);
  app->auth_ = std::make_unique<AuthService>(*app->store_, clock, *app->crypto_, reference,
                                             options.token_lifetime_ms);
  app->users_ = std::make_unique<UserAdminService>(*app->store_, clock, *app->crypto_, *app->auth_,
                                                   reference);
  app->audit_ = std::make_unique<AuditService>(*app->store_, clock, *app->crypto_);
  app->routing_ = std::make_unique<RoutingService>(*app->store_, clock, *app->crypto_, reference,
                                                   options.duplicates);
  if (auto s = app->routing_->Load(); !s) return s.error();
  app->events_->SetHooks(app->routing_->Hooks());
  app->routing_->SetCalendarListener([raw] {
    if (auto s = raw->ReloadReference(); !s) {
      std::fprintf(stderr, "reloading the calendar failed: %s\n", s.error().message.c_str());
    }
  });
  auto key = LoadDataKey(options.db_path, options.data_key_file);
  if (!key) return key.error();
  auto cipher = SecretboxCipher::FromKeyHex(*key);
  if (!cipher) {
    return Fail(ErrorCode::kInvalidArgument,
                "the data key must be 64 hex digits (" + cipher.error().message + ")");
  }
  app->cipher_ = std::make_unique<SecretboxCipher>(std::move(*cipher));
  app->territory_ = std::make_unique<TerritoryService>(
      *app->store_, clock, *app->crypto_, reference, [raw] { return raw->ReloadReference(); });
  app->territory_->SetGeoIndexFactory(
      [](const std::vector<Region>& grids) { return MakeCellGeoIndex(grids); });
  app->people_ =
      std::make_unique<PeopleService>(*app->store_, clock, *app->crypto_, *app->cipher_, reference);
  app->patrols_ = std::make_unique<PatrolService>(*app->store_, clock, *app->crypto_, reference);
  // Camera alarms go to the nearest on-duty grid worker: the roster of latest positions is
  // loaded once and kept by every committed check-in.
  app->cameras_ = std::make_unique<CameraService>(*app->store_, clock, *app->crypto_, reference,
                                                  *app->events_, options.cameras);
  if (auto s = app->cameras_->LoadRoster(); !s) return s.error();
  CameraService* cameras = app->cameras_.get();
  app->patrols_->SetCheckInListener(
      [cameras](const Actor& actor, const PatrolCheckIn& p) { cameras->OnCheckIn(actor, p); });
  app->csv_ =
      std::make_unique<BaseDataCsv>(*app->store_, clock, *app->crypto_, *app->cipher_, reference);
  app->orgs_ =
      std::make_unique<OrgAdminService>(*app->store_, clock, *app->crypto_, reference, [raw] {
        if (auto s = raw->ReloadReference(); !s) {
          std::fprintf(stderr, "reloading the departments failed: %s\n", s.error().message.c_str());
        }
      });
  return app;
}

Application::~Application() {
  if (watcher_) watcher_->Stop();
  if (store_) store_->Drain();
}

Status Application::FinishBulkLoad(const SqliteStore::StageProgress& progress) {
  return sqlite_->FinishBulkLoad(progress);
}

Status Application::StartDeadlineWatcher() {
  if (watcher_) return Status::Ok();
  RoutingService* routing = routing_.get();
  const Clock* clock = &this->clock();
  Application* self = this;
  // A crossing submits the supervision write; its outcome re-arms the event (or retries).
  auto fire = [routing, self, clock](EventId id) {
    routing->SuperviseDue(id, [id, self, clock](Result<RoutingService::Supervised> r) {
      if (r) {
        self->watcher_->Watch(id, r->next_due);
      } else if (r.error().code != ErrorCode::kNotFound) {
        self->watcher_->Watch(id, clock->Now() + 5'000);
      }
    });
  };
  watcher_ = std::make_unique<DeadlineWatcher>(*clock, fire);
  DeadlineWatcher* watcher = watcher_.get();
  routing_->SetChangeListener(
      [routing, watcher](const Event& e) { watcher->Watch(e.id, routing->NextSupervisionAt(e)); });
  auto ref = reference();
  auto status = store_->ScanOpenDeadlines([&](const OpenDeadline& d) {
    if (d.suspended || d.supervision_level >= kMaxSupervisionLevel) return;
    Event e;
    e.id = d.event_id;
    e.status = EventStatus::kDispatched;
    e.deadline = d.deadline;
    e.supervision_level = d.supervision_level;
    EventRouting r;
    r.limit_ms = d.limit_ms;
    r.wall_clock = d.wall_clock;
    watcher->Watch(d.event_id, routing->NextSupervisionAt(e, d.limit_ms > 0 ? &r : nullptr));
  });
  if (!status) return status;
  watcher_->Start();
  return Status::Ok();
}

Status Application::durability() const { return sqlite_->durability(); }

std::string Application::search_index_state() const { return sqlite_->search_index_state(); }

WriterStats Application::writer_stats() const { return sqlite_->writer_stats(); }

std::string Application::WriterStatsJson() const {
  const WriterStats stats = writer_stats();
  const double per_commit = stats.transactions == 0 ? 0.0
                                                    : static_cast<double>(stats.units) /
                                                          static_cast<double>(stats.transactions);
  char buf[192];
  std::snprintf(buf, sizeof buf,
                R"({"units":%lld,"transactions":%lld,"units_per_commit":%.1f,"syncs":%lld})",
                static_cast<long long>(stats.units), static_cast<long long>(stats.transactions),
                per_commit, static_cast<long long>(stats.syncs));
  return buf;
}

std::shared_ptr<const ReferenceData> Application::reference() const {
  std::lock_guard lock(reference_mu_);
  return reference_;
}

Status Application::ReloadReference() {
  auto regions = store_->LoadRegions();
  if (!regions) return regions.error();
  auto departments = store_->LoadDepartments();
  if (!departments) return departments.error();
  auto categories = store_->LoadCategories();
  if (!categories) return categories.error();
  // The organisation's office hours and local days off on top of the official calendar.
  auto settings = store_->LoadCalendarSettings();
  if (!settings) return settings.error();
  auto calendar = ApplyCalendarSettings(calendar_, *settings);
  if (!calendar) return calendar.error();
  // Events are placed in grids: index only grid polygons (positions stay those of `regions`).
  std::vector<Region> grids(regions->size());
  for (std::size_t i = 0; i < regions->size(); ++i) {
    if ((*regions)[i].level == RegionLevel::kGrid) grids[i].polygon = (*regions)[i].polygon;
  }
  auto index = MakeCellGeoIndex(grids);
  auto territory = std::make_unique<Territory>(std::move(*regions), std::move(index));
  auto data = std::make_shared<const ReferenceData>(std::move(territory), std::move(*departments),
                                                    std::move(*categories), std::move(*calendar));
  std::lock_guard lock(reference_mu_);
  reference_ = std::move(data);
  return Status::Ok();
}

}  // namespace civicgrid
