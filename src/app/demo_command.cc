// `civicgrid demo`: generates the demo city into a new database.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "app/command_support.h"
#include "app/commands.h"
#include "app/demo/demo_city.h"
#include "app/demo/demo_people.h"
#include "app/progress_bar.h"
#include "core/audit/audit_record.h"
#include "core/common/time.h"

namespace civicgrid {

int RunDemo(const std::vector<std::string>& args) {
  auto parsed = ParseCommandArgs(
      "demo", args,
      {"db", "events", "seed", "password", "households-per-grid", "data-key-file", "now"},
      {"force"});
  if (!parsed) return 2;
  auto events = parsed->GetInt("events", 20000, 0, 100'000'000);
  auto seed = parsed->GetInt("seed", 1, 0, INT64_MAX);
  if (!events) return CommandError("demo", events.error().message);
  if (!seed) return CommandError("demo", seed.error().message);
  // Households per grid: default 300 to 600 each; tests use a few to stay fast.
  auto households = parsed->GetInt("households-per-grid", -1, -1, 5000);
  if (!households) return CommandError("demo", households.error().message);
  // The city's "now": its year of events ends here. Fixing it (with --seed) gives the same city
  // on any day; by default it is the wall clock, so the demo's timeline is current.
  std::optional<TimeMs> now;
  if (parsed->Has("now")) {
    now = ParseIso(parsed->Get("now"));
    if (!now) {
      return CommandError("demo",
                          "--now must be an ISO 8601 time such as 2026-12-01T09:00:00+08:00");
    }
  }
  const std::string db = parsed->Get("db");
  if (db.empty()) return CommandError("demo", "--db PATH is required");
  std::error_code ec;
  if (std::filesystem::exists(db, ec)) {
    if (!parsed->Has("force")) {
      return CommandError("demo", db + " exists; use --force to replace it");
    }
    // SQLite keeps the database's WAL beside the file a symbolic link points at, so that file is
    // replaced and the link stays; the search index lives beside the path as given.
    const std::string real = std::filesystem::weakly_canonical(db, ec).string();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove((real.empty() ? db : real) + suffix, ec);
    }
    for (const char* suffix : {"-search", "-search-wal", "-search-shm"}) {
      std::filesystem::remove(db + suffix, ec);
    }
  }
  AppOptions app_options;
  app_options.bulk_load = true;  // a new database: its indexes are built once at the end
  // ... and without a journal: a demo that dies midway is made again (the database refuses to
  // open until then).
  app_options.unjournaled = true;
  auto app = OpenApplication("demo", *parsed, app_options);
  if (!app) return 1;

  ProgressBar progress;
  DemoOptions options;
  options.events = *events;
  options.seed = static_cast<std::uint64_t>(*seed);
  options.password = parsed->Get("password");
  options.now = now.value_or(app->clock().Now());
  options.progress = [&progress](std::string_view stage, double fraction) {
    progress.Update(stage, fraction);
  };
  auto summary =
      GenerateDemoCity(app->store(), app->crypto(), app->reference()->calendar(), options);
  if (!summary) {
    progress.Finish();
    return CommandError("demo", summary.error().message);
  }
  const auto indexing_started = std::chrono::steady_clock::now();
  Status indexed = app->FinishBulkLoad(
      [&progress](std::string_view stage, double fraction) { progress.Update(stage, fraction); });
  if (!indexed.ok()) {
    progress.Finish();
    return CommandError("demo", indexed.error().message);
  }
  summary->seconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - indexing_started).count();
  // The grids' base data (issue 3), after the bulk load: its tables keep their indexes.
  if (auto s = app->ReloadReference(); !s) return CommandError("demo", s.error().message);
  DemoPeopleOptions people_options;
  people_options.seed = options.seed;
  people_options.households_per_grid = static_cast<int>(*households);
  people_options.now = options.now;
  people_options.progress = options.progress;
  auto people = GenerateDemoPeople(app->store(), app->crypto(), app->cipher(), *app->reference(),
                                   people_options);
  progress.Finish();
  if (!people) return CommandError("demo", people.error().message);
  // The import itself is one audit record (by the system, actor 0): what was loaded, not each row.
  AuditRecord record = AuditOf(Actor{}, app->clock().Now(), "demo.generate", "database", db);
  record.after = "{\"seed\":" + std::to_string(*seed) +
                 ",\"regions\":" + std::to_string(summary->regions) +
                 ",\"users\":" + std::to_string(summary->users) +
                 ",\"events\":" + std::to_string(summary->events) +
                 ",\"households\":" + std::to_string(people->households) +
                 ",\"residents\":" + std::to_string(people->residents) +
                 ",\"places\":" + std::to_string(people->places) +
                 ",\"key_persons\":" + std::to_string(people->key_persons) +
                 ",\"patrols\":" + std::to_string(people->patrols) + "}";
  Status audited = Status::Ok();
  const Crypto& crypto = app->crypto();
  app->store().Submit(
      [record, &crypto](WriteTx& tx) { return AppendAuditRecord(tx, crypto, record); },
      [&audited](Status s) { audited = s; });
  app->store().Drain();
  if (!audited.ok()) return CommandError("demo", audited.error().message);
  std::printf(
      "demo city in %s: %lld regions (%lld grids), %lld departments, %lld categories, "
      "%lld users, %lld events, %lld history rows in %.1f s\n",
      db.c_str(), static_cast<long long>(summary->regions), static_cast<long long>(summary->grids),
      static_cast<long long>(summary->departments), static_cast<long long>(summary->categories),
      static_cast<long long>(summary->users), static_cast<long long>(summary->events),
      static_cast<long long>(summary->history_rows), summary->seconds);
  std::printf(
      "base data: %lld households, %lld residents, %lld places, %lld key persons, %lld patrol "
      "check-ins, %lld daily logs\n",
      static_cast<long long>(people->households), static_cast<long long>(people->residents),
      static_cast<long long>(people->places), static_cast<long long>(people->key_persons),
      static_cast<long long>(people->patrols), static_cast<long long>(people->logs));
  std::printf("\ndemo logins (username / password):\n");
  for (const auto& login : summary->logins) {
    std::printf("  %-18s %-18s %s\n", login.username.c_str(), login.password.c_str(),
                login.role.c_str());
  }
  return 0;
}

}  // namespace civicgrid
