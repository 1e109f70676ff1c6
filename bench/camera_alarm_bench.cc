// Camera alarms (issue 5: bursts of thousands of alarms per second).
//   build/camera_alarm_bench [--alarms 20000] [--workers 200000] [--queries 1000000] [--dir /tmp]
//                            [--duplicates]
// 1. The nearest on-duty lookup: `--queries` lookups in a duty roster of `--workers` positions
//    spread over a province-sized box (~550 km square), against a brute-force scan of the same
//    positions (the reference: what a per-alarm table scan would at best cost).
// 2. End to end through the use case: `--alarms` alarms submitted at once to
//    CameraService::ReceiveAlarm (validation, camera lookup, nearest worker, event + alarm row +
//    two audit records in the group-committing writer) against the same number of ordinary
//    reports through EventService::Create in the same run, on a demo city.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "app/application.h"
#include "app/cli_args.h"
#include "app/commands.h"
#include "core/camera/duty_roster.h"

using namespace civicgrid;  // a benchmark's main, not a header

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Counts completions and waits for all of them.
class Latch {
 public:
  explicit Latch(std::int64_t n) : left_(n) {}
  void Done(bool ok) {
    std::lock_guard lock(mu_);
    failures_ += ok ? 0 : 1;
    if (--left_ == 0) cv_.notify_all();
  }
  std::int64_t Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return left_ == 0; });
    return failures_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::int64_t left_;
  std::int64_t failures_ = 0;
};

void LookupBench(std::int64_t workers, std::int64_t queries) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> lon(115.0, 120.0), lat(36.0, 41.0);
  std::uniform_int_distribution<TimeMs> age(0, 8 * kMsPerHour);
  const TimeMs now = 1'780'000'000'000;
  struct P {
    double lon, lat;
    TimeMs at;
  };
  std::vector<P> points;
  DutyRoster roster;
  auto t0 = std::chrono::steady_clock::now();
  for (UserId u = 1; u <= workers; ++u) {
    points.push_back({lon(rng), lat(rng), now - age(rng)});
    roster.Update(u, points.back().lon, points.back().lat, points.back().at);
  }
  std::printf("roster: %lld positions loaded in %.3f s\n", static_cast<long long>(workers),
              Seconds(t0));
  std::fflush(stdout);
  const TimeMs since = now - 4 * kMsPerHour;
  std::int64_t found = 0;
  t0 = std::chrono::steady_clock::now();
  for (std::int64_t q = 0; q < queries; ++q) {
    found += roster.Nearest(lon(rng), lat(rng), since, 3000).has_value();
  }
  const double roster_s = Seconds(t0);
  // The reference: a scan of every position (no I/O at all), on fewer queries.
  const std::int64_t scans = std::max<std::int64_t>(1, queries / 1000);
  std::int64_t scan_found = 0;
  t0 = std::chrono::steady_clock::now();
  for (std::int64_t q = 0; q < scans; ++q) {
    const double x = lon(rng), y = lat(rng);
    double best = 3000;
    bool any = false;
    for (const P& p : points) {
      if (p.at < since) continue;
      const double m = ApproxMetres(x, y, p.lon, p.lat);
      if (m <= best) {
        best = m;
        any = true;
      }
    }
    scan_found += any;
  }
  const double scan_s = Seconds(t0);
  std::printf("nearest on duty, roster: %lld lookups in %.3f s = %.0f lookups/s (%lld found)\n",
              static_cast<long long>(queries), roster_s, static_cast<double>(queries) / roster_s,
              static_cast<long long>(found));
  std::printf("nearest on duty, full scan (reference): %lld lookups in %.3f s = %.0f lookups/s\n",
              static_cast<long long>(scans), scan_s, static_cast<double>(scans) / scan_s);
}

}  // namespace

int main(int argc, char** argv) {
  auto args = CliArgs::Parse(std::vector<std::string>(argv + 1, argv + argc), {"duplicates"});
  if (!args) return 2;
  const std::int64_t alarms = args->GetInt("alarms", 20000, 1, 10'000'000).value();
  const std::int64_t workers = args->GetInt("workers", 200000, 1, 10'000'000).value();
  const std::int64_t queries = args->GetInt("queries", 1000000, 1, 100'000'000).value();
  const std::string dir = args->Get("dir", "/tmp") + "/civicgrid_camera_bench";

  LookupBench(workers, queries);

  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = dir + "/city.db";
  if (RunDemo({"--db", db, "--events", "0", "--seed", "1", "--password", "bench-pass-2026",
               "--households-per-grid", "0"}) != 0) {
    return 1;
  }
  AppOptions options;
  options.db_path = db;
  // Duplicate proposals off (`--duplicates` turns them on): every alarm here is of one category
  // at 240 points, so each create would search a growing pile of neighbours, in both paths.
  options.duplicates.distance_m = args->Has("duplicates") ? 100 : 0;
  auto opened = Application::Open(options);
  if (!opened) {
    std::fprintf(stderr, "%s\n", opened.error().message.c_str());
    return 1;
  }
  Application& app = **opened;
  auto video = app.store().FindUserByName("video_ai");
  auto admin_user = app.store().FindUserByName("admin");
  if (!video || !video->has_value() || !admin_user || !admin_user->has_value()) {
    std::fprintf(stderr, "the demo lacks video_ai or admin\n");
    return 1;
  }
  const Actor sender = app.auth().ActorOf(**video);
  const Actor admin = app.auth().ActorOf(**admin_user);

  // One camera per grid, at the mean of its outline's vertices (inside: the demo's grids are
  // convex), and the grid's workers checked in right there (through the patrol use case, which
  // keeps the duty roster).
  std::vector<std::string> codes;
  std::vector<GeoPoint> points;
  std::map<RegionId, GeoPoint> grid_point;
  auto ref = app.reference();
  for (const Region& r : ref->territory().regions()) {
    if (r.level != RegionLevel::kGrid || r.polygon.rings.empty()) continue;
    GeoPoint mean;
    const auto& ring = r.polygon.rings[0];
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
      mean.lon += ring[i].lon / static_cast<double>(ring.size() - 1);
      mean.lat += ring[i].lat / static_cast<double>(ring.size() - 1);
    }
    const Region* located = ref->territory().LocateGrid(mean.lon, mean.lat);
    if (located == nullptr || located->id != r.id) continue;
    grid_point[r.id] = mean;
    points.push_back(mean);
    codes.push_back("CAM-" + r.code);
  }
  {
    Latch latch(static_cast<std::int64_t>(codes.size()));
    for (std::size_t i = 0; i < codes.size(); ++i) {
      CameraInput in;
      in.code = codes[i];
      in.name = "路口摄像头" + std::to_string(i);
      in.lon = points[i].lon;
      in.lat = points[i].lat;
      app.cameras().Create(admin, in, [&](Result<Camera> r) { latch.Done(r.has_value()); });
    }
    if (latch.Wait() != 0) {
      std::fprintf(stderr, "registering cameras failed\n");
      return 1;
    }
  }
  auto workers_list = app.store().ListUsersWithRole(Role::kGridWorker);
  std::vector<Actor> on_duty;
  for (const User& u : *workers_list) {
    if (grid_point.count(u.region_id)) on_duty.push_back(app.auth().ActorOf(u));
  }
  {
    Latch latch(static_cast<std::int64_t>(on_duty.size()));
    for (const Actor& w : on_duty) {
      const GeoPoint p = grid_point[w.scope.region_id];
      app.patrols().CheckIn(w, p.lon, p.lat, "巡查",
                            [&](Result<PatrolCheckIn> r) { latch.Done(r.has_value()); });
    }
    if (latch.Wait() != 0) {
      std::fprintf(stderr, "checking in failed\n");
      return 1;
    }
  }
  std::printf("cameras: %zu, grid workers checked in: %zu\n", codes.size(), on_duty.size());
  std::fflush(stdout);
  if (codes.empty()) return 1;

  // Alarms through the use case.
  const TimeMs now = app.clock().Now();
  Latch alarm_latch(alarms);
  auto t0 = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; i < alarms; ++i) {
    CameraAlarmInput in;
    in.camera_id = codes[static_cast<std::size_t>(i) % codes.size()];
    in.alarm_id = "B-" + std::to_string(i);
    in.type = "illegal_parking";
    in.time = now - 1000;
    in.snapshot_url = "https://vms.example.cn/snap/" + std::to_string(i) + ".jpg";
    app.cameras().ReceiveAlarm(sender, std::move(in), [&](Result<AlarmOutcome> r) {
      alarm_latch.Done(r.has_value() && r->alarm.assigned_user_id != 0);
    });
  }
  const std::int64_t alarm_failures = alarm_latch.Wait();
  const double alarm_s = Seconds(t0);

  // The reference: as many ordinary reports at the same cameras' positions.
  Latch create_latch(alarms);
  t0 = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; i < alarms; ++i) {
    const GeoPoint& p = points[static_cast<std::size_t>(i) % points.size()];
    CreateEventCommand cmd;
    cmd.source = EventSource::kHotline;
    cmd.category = "U09093";
    cmd.title = "乱停车";
    cmd.description = "市民来电反映乱停车";
    cmd.lon = p.lon;
    cmd.lat = p.lat;
    app.events().Create(sender, std::move(cmd),
                        [&](Result<CreateOutcome> r) { create_latch.Done(r.has_value()); });
  }
  const std::int64_t create_failures = create_latch.Wait();
  const double create_s = Seconds(t0);
  std::printf("camera alarms (use case): %lld in %.3f s = %.0f alarms/s (%lld not assigned)\n",
              static_cast<long long>(alarms), alarm_s, static_cast<double>(alarms) / alarm_s,
              static_cast<long long>(alarm_failures));
  std::printf("plain reports (reference): %lld in %.3f s = %.0f events/s (%lld failed)\n",
              static_cast<long long>(alarms), create_s, static_cast<double>(alarms) / create_s,
              static_cast<long long>(create_failures));
  std::printf("writer: %s\n", app.WriterStatsJson().c_str());
  return alarm_failures == 0 && create_failures == 0 ? 0 : 1;
}
