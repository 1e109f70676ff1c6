// The deadline watcher of the real server under load (issue 5). Builds a database holding
// `watched` open events with deadlines (default 1,000,000): the demo city, then `watched -
// crossing` dispatched events whose deadlines lie 2 to 7 days ahead (written in 10,000-event
// units through the store's bulk load, the path `civicgrid demo` uses; event and routing rows,
// no history), then `crossing` (default 20,000) dispatched events whose deadlines are spread over
// a 10 s window starting `--lead` seconds (default 30) after they are written (through a normal
// store, live indexes). It then starts the production server as a child process
// (`civicgrid serve --listen 127.0.0.1:0`), whose start loads every open deadline into the
// watcher (ScanOpenDeadlines); the time to "listening" is reported, and so is the same load timed
// in-process beforehand. The lead must cover that start: the bench refuses to measure when the
// server is ready less than 2 s before the window. Reports:
// - crossing -> notice: for every crossing event, the time its supervision notice was first seen
//   committed by another reader of the database (polled every 50 ms, so up to ~50 ms late) minus
//   its deadline; and afterwards, that each got exactly one notice (level 1) and no far event any;
// - HTTP reads by two keep-alive clients logged in as `dispatcher` (GET /api/v1/events/{id} of a
//   random event, GET /api/v1/events?limit=50) before and during the window, and the non-200s;
// - at rest: the server's CPU (utime + stime from /proc) and its threads' context switches over
//   5 s after the window, with every deadline still watched and no requests.
// Nothing is cached across runs: the database is built afresh (in the temp directory unless
// --db) and removed at the end unless --keep.
//   deadline_watch_bench [watched] [crossing] [--db PATH] [--keep] [--lead SECONDS]
//                        [--server PATH-TO-civicgrid]
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api/http_client.h"
#include "app/application.h"
#include "app/demo/demo_city.h"
#include "crypto/sodium_crypto.h"
#include "store/sqlite/sqlite_store.h"

extern char** environ;

namespace civicgrid {
namespace {

using Steady = std::chrono::steady_clock;
constexpr const char* kPassword = "bench-pass-1";
constexpr TimeMs kWindowMs = 10'000;
constexpr std::size_t kUnitEvents = 10'000;

struct Options {
  std::size_t watched = 1'000'000;
  std::size_t crossing = 20'000;
  std::string db;
  bool keep = false;
  TimeMs lead_ms = 30'000;
  std::string server = CIVICGRID_BINARY;
};

TimeMs WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double SecondsSince(Steady::time_point t0) {
  return std::chrono::duration<double>(Steady::now() - t0).count();
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

std::string Summary(const std::vector<double>& ms) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%zu, p50 %.2f ms, p99 %.2f ms, max %.2f ms", ms.size(),
                Percentile(ms, 0.5), Percentile(ms, 0.99), Percentile(ms, 1.0));
  return buf;
}

int Die(const std::string& message) {
  std::fprintf(stderr, "\ndeadline_watch_bench: %s\n", message.c_str());
  return 1;
}

// Where an event lies: a grid of the demo city and its ancestors (so district-scoped users such
// as the dispatcher see it).
struct Spot {
  RegionId grid = 0, community = 0, street = 0, district = 0;
  double lon = 0, lat = 0;
};

std::vector<Spot> GridPlaces(const std::vector<Region>& regions) {
  std::map<RegionId, const Region*> by_id;
  for (const Region& r : regions) by_id[r.id] = &r;
  std::vector<Spot> out;
  for (const Region& r : regions) {
    if (r.level != RegionLevel::kGrid || r.polygon.rings.empty()) continue;
    Spot p;
    p.grid = r.id;
    for (const Region* up = &r; up != nullptr;) {
      if (up->level == RegionLevel::kCommunity) p.community = up->id;
      if (up->level == RegionLevel::kStreet) p.street = up->id;
      if (up->level == RegionLevel::kDistrict) p.district = up->id;
      auto it = by_id.find(up->parent_id);
      up = it == by_id.end() ? nullptr : it->second;
    }
    const auto& ring = r.polygon.rings.front();
    for (const GeoPoint& point : ring) {
      p.lon += point.lon / static_cast<double>(ring.size());
      p.lat += point.lat / static_cast<double>(ring.size());
    }
    out.push_back(p);
  }
  return out;
}

// An open, dispatched event at `place` with routing on an 8-hour working clock.
Event OpenEvent(std::string number, const Category& category, DepartmentId department,
                const Spot& place, TimeMs created, TimeMs deadline) {
  Event e;
  e.number = std::move(number);
  e.source = EventSource::kHotline;
  e.category = category.code;
  e.title = "督办压测：" + category.name;
  e.description = "道路积水，影响通行，请尽快处理";
  e.lon = place.lon;
  e.lat = place.lat;
  e.address = "压测路 1 号";
  e.grid_id = place.grid;
  e.community_id = place.community;
  e.street_id = place.street;
  e.district_id = place.district;
  e.owner_region_id = place.street != 0 ? place.street : place.district;
  e.status = EventStatus::kDispatched;
  e.department_id = department;
  e.created_at = e.updated_at = created;
  e.deadline = deadline;
  e.last_hash = "genesis";
  return e;
}

Status PutOpenEvent(WriteTx& tx, Event& e) {
  if (auto s = tx.InsertEvent(e); !s) return s;
  EventRouting r;
  r.event_id = e.id;
  r.mode = DispatchMode::kManual;
  r.lead_department_id = e.department_id;
  r.clock_start = e.created_at;
  r.limit_ms = 8 * 3'600'000;
  return tx.PutEventRouting(r);
}

struct CityRefs {
  std::vector<Spot> places;
  std::vector<Category> categories;
  std::vector<DepartmentId> departments;
};

Result<CityRefs> LoadReference(Store& store) {
  auto regions = store.LoadRegions();
  if (!regions) return regions.error();
  auto categories = store.LoadCategories();
  if (!categories) return categories.error();
  auto departments = store.LoadDepartments();
  if (!departments) return departments.error();
  CityRefs ref;
  ref.places = GridPlaces(*regions);
  // Leaf categories with a time limit, as dispatched events with deadlines have.
  for (Category& c : *categories) {
    if (c.time_limit > 0) ref.categories.push_back(std::move(c));
  }
  for (const Department& d : *departments) ref.departments.push_back(d.id);
  if (ref.places.empty() || ref.categories.empty() || ref.departments.empty()) {
    return Fail(ErrorCode::kInternal, "the demo city has no grids or categories");
  }
  return ref;
}

// Step 1: the demo city and the far events, in bulk (unjournaled, indexes built at the end).
Status BuildFarEvents(const std::string& path, std::size_t far) {
  const auto t0 = Steady::now();
  SqliteOptions options;
  options.bulk_load = true;
  options.unjournaled = true;
  options.replay_units = true;
  auto store = SqliteStore::Open(path, options);
  if (!store) return store.error();
  auto calendar = LoadCalendar("");
  if (!calendar) return calendar.error();
  // Cheap password hashes: the demo city has hundreds of users; the login verifies with the
  // parameters stored in the hash.
  const SodiumCrypto crypto(SodiumCrypto::kOpsLimitMin, SodiumCrypto::kMemLimitMin);
  DemoOptions demo;
  demo.events = 0;
  demo.password = kPassword;
  if (auto city = GenerateDemoCity(**store, crypto, *calendar, demo); !city) return city.error();
  auto ref = LoadReference(**store);
  if (!ref) return ref.error();
  auto shared = std::make_shared<const CityRefs>(std::move(*ref));

  const TimeMs now = WallMs();
  const std::size_t units = (far + kUnitEvents - 1) / kUnitEvents;
  std::atomic<std::size_t> written{0};
  std::mutex mu;
  Status failed = Status::Ok();
  for (std::size_t u = 0; u < units; ++u) {
    const std::size_t from = u * kUnitEvents, to = std::min(far, from + kUnitEvents);
    (*store)->Submit(
        [shared, from, to, now](WriteTx& tx) -> Status {
          for (std::size_t i = from; i < to; ++i) {
            const CityRefs& r = *shared;
            // Deadlines 2 to 7 days ahead: open events far from their deadlines.
            const TimeMs deadline = now + 2 * kMsPerDay + static_cast<TimeMs>(i % 431'999) * 1'000;
            Event e =
                OpenEvent("WATCH-F-" + std::to_string(i), r.categories[i % r.categories.size()],
                          r.departments[i % r.departments.size()], r.places[i % r.places.size()],
                          now - 3'600'000, deadline);
            if (auto s = PutOpenEvent(tx, e); !s) return s;
          }
          return Status::Ok();
        },
        [&, to, from](Status s) {
          if (!s) {
            std::lock_guard lock(mu);
            failed = s;
          }
          written += to - from;
        });
  }
  while (written.load() < far) {
    std::fprintf(stderr, "\r  building: %zu of %zu far events written (%.0f s)   ", written.load(),
                 far, SecondsSince(t0));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  (*store)->Drain();
  if (!failed) return failed;
  std::fprintf(stderr, "\r  building: %zu far events written in %.1f s; building indexes...   ",
               far, SecondsSince(t0));
  const auto t1 = Steady::now();
  auto shown = Steady::now();
  if (auto s = (*store)->FinishBulkLoad([&](std::string_view stage, double fraction) {
        if (Steady::now() - shown < std::chrono::milliseconds(500) && fraction < 1) return;
        shown = Steady::now();
        std::fprintf(stderr, "\r  building: %.*s %3.0f%% (%.0f s)   ",
                     static_cast<int>(stage.size()), stage.data(), fraction * 100,
                     SecondsSince(t1));
      });
      !s) {
    return s;
  }
  std::fprintf(stderr, "\n");
  std::printf("  build: demo city + %zu far events in %.1f s (indexes %.1f s of it)\n", far,
              SecondsSince(t0), SecondsSince(t1));
  return (*store)->Close();
}

struct Crossing {
  EventId first_id = 0;
  std::vector<TimeMs> due;  // by id - first_id
  TimeMs window_start = 0;
};

// Step 2: the crossing events through a normal store, then the server's start-up load timed
// in-process on the finished database.
Result<Crossing> AddCrossingEvents(const std::string& path, std::size_t crossing, TimeMs lead_ms) {
  AppOptions app_options;
  app_options.db_path = path;
  auto app = Application::Open(app_options);
  if (!app) return app.error();
  auto ref = LoadReference((*app)->store());
  if (!ref) return ref.error();
  Crossing out;
  out.due.resize(crossing);
  out.window_start = WallMs() + lead_ms;
  std::promise<Status> stored;
  (*app)->store().Submit(
      [&](WriteTx& tx) -> Status {
        for (std::size_t i = 0; i < crossing; ++i) {
          const TimeMs due =
              out.window_start + static_cast<TimeMs>(i) * kWindowMs / static_cast<TimeMs>(crossing);
          Event e =
              OpenEvent("WATCH-C-" + std::to_string(i), ref->categories[i % ref->categories.size()],
                        ref->departments[i % ref->departments.size()],
                        ref->places[i % ref->places.size()], due - 86'400'000, due);
          if (auto s = PutOpenEvent(tx, e); !s) return s;
          if (i == 0) out.first_id = e.id;
          out.due[i] = due;
        }
        return Status::Ok();
      },
      [&](Status s) { stored.set_value(s); });
  if (auto s = stored.get_future().get(); !s) return s.error();

  const auto t0 = Steady::now();
  if (auto s = (*app)->StartDeadlineWatcher(); !s) return s.error();
  std::printf("  in-process start-up load (ScanOpenDeadlines + heap): %zu deadlines in %.2f s\n",
              (*app)->deadline_watcher()->watched(), SecondsSince(t0));
  return out;
}

// The server as a child process, its stderr read by a thread.
struct Child {
  pid_t pid = -1;
  std::uint16_t port = 0;
  std::thread reader;
};

Result<double> StartServer(const Options& o, const std::string& path, Child& child) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return Fail(ErrorCode::kInternal, "pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::vector<std::string> args = {o.server,   "serve",       "--db",   path,
                                   "--listen", "127.0.0.1:0", "--quiet"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const auto t0 = Steady::now();
  const int rc = posix_spawn(&child.pid, o.server.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    return Fail(ErrorCode::kUnavailable, "cannot start " + o.server + ": " + std::strerror(rc));
  }
  std::promise<std::uint16_t> listening;
  child.reader = std::thread([fd = pipe_fds[0], &listening] {
    std::string line;
    bool told = false;
    char c;
    while (::read(fd, &c, 1) == 1) {
      if (c != '\n') {
        line.push_back(c);
        continue;
      }
      const auto at = line.find("\"address\":\"127.0.0.1:");
      if (!told && line.find("\"listening\"") != std::string::npos && at != std::string::npos) {
        listening.set_value(static_cast<std::uint16_t>(std::atoi(line.c_str() + at + 21)));
        told = true;
      } else {
        std::fprintf(stderr, "  server: %s\n", line.c_str());
      }
      line.clear();
    }
    if (!told) listening.set_value(0);
    ::close(fd);
  });
  child.port = listening.get_future().get();
  if (child.port == 0) return Fail(ErrorCode::kUnavailable, "the server did not start");
  return SecondsSince(t0);
}

struct ProcStat {
  double cpu_s = 0;
  long long switches = 0;  // voluntary + involuntary context switches of all threads
  long long rss_kib = 0;
};

ProcStat ReadProc(pid_t pid) {
  ProcStat out;
  const std::string dir = "/proc/" + std::to_string(pid);
  std::ifstream stat(dir + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
  std::istringstream rest(text.substr(text.rfind(')') + 2));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;) fields.push_back(f);
  if (fields.size() > 12) {
    const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
    out.cpu_s = (std::stod(fields[11]) + std::stod(fields[12])) / tick;
  }
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator(dir + "/task", ec)) {
    std::ifstream status(task.path() / "status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("voluntary_ctxt_switches:", 0) == 0 ||
          line.rfind("nonvoluntary_ctxt_switches:", 0) == 0) {
        out.switches += std::atoll(line.c_str() + line.find(':') + 1);
      }
    }
  }
  std::ifstream status(dir + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) out.rss_kib = std::atoll(line.c_str() + 6);
  }
  return out;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

// A keep-alive client reading until `stop`: each request timed, by the wall time it was sent.
struct Sample {
  TimeMs sent;
  double ms;
  int status;
  bool list;
};

std::vector<Sample> ReadLoop(std::uint16_t port, const std::string& token, EventId max_id,
                             std::uint64_t seed, const std::atomic<bool>& stop) {
  testing::HttpClient client("127.0.0.1", port);
  client.set_token(token);
  std::mt19937_64 rng(seed);
  std::vector<Sample> out;
  out.reserve(1 << 20);
  for (bool list = false; !stop.load(); list = !list) {
    const std::string target =
        list ? std::string("/api/v1/events?limit=50")
             : "/api/v1/events/" +
                   std::to_string(1 +
                                  static_cast<EventId>(rng() % static_cast<std::uint64_t>(max_id)));
    const TimeMs sent = WallMs();
    const auto t0 = Steady::now();
    const testing::HttpResult r = client.Get(target);
    const double ms = std::chrono::duration<double, std::milli>(Steady::now() - t0).count();
    out.push_back(Sample{sent, ms, r.ok ? r.status : 0, list});
  }
  return out;
}

// Polls the server's database (another process, WAL) for committed supervision notices.
class NoticePoller {
 public:
  NoticePoller(const std::string& path, EventId first_id, std::size_t count)
      : first_id_(first_id), seen_(count, 0) {
    sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_busy_timeout(db_, 5000);
    sqlite3_prepare_v2(db_, "SELECT event_id FROM supervision_notices WHERE event_id >= ?1", -1,
                       &stmt_, nullptr);
  }
  ~NoticePoller() {
    sqlite3_finalize(stmt_);
    sqlite3_close(db_);
  }
  // Records the wall time at which each crossing event's notice is first seen; returns how many
  // have been seen.
  std::size_t Poll() {
    sqlite3_bind_int64(stmt_, 1, first_id_);
    const TimeMs now = WallMs();
    while (sqlite3_step(stmt_) == SQLITE_ROW) {
      const auto index = static_cast<std::size_t>(sqlite3_column_int64(stmt_, 0) - first_id_);
      if (index < seen_.size() && seen_[index] == 0) {
        seen_[index] = now;
        ++count_;
      }
    }
    sqlite3_reset(stmt_);
    return count_;
  }
  const std::vector<TimeMs>& seen() const { return seen_; }

  // After the window: notices per level among the crossing events, and notices of other events.
  std::map<std::string, long long> Check() {
    std::map<std::string, long long> out;
    const std::string first = std::to_string(first_id_);
    const std::string queries[][2] = {
        {"crossing level 1",
         "SELECT count(*) FROM supervision_notices WHERE level = 1 AND "
         "event_id >= " +
             first},
        {"crossing other levels",
         "SELECT count(*) FROM supervision_notices WHERE level <> 1 AND "
         "event_id >= " +
             first},
        {"crossing events at level 1",
         "SELECT count(*) FROM events WHERE supervision_level = 1 "
         "AND id >= " +
             first},
        {"far events noticed",
         "SELECT count(*) FROM supervision_notices WHERE event_id < " + first},
        {"open events with deadlines",
         "SELECT count(*) FROM events WHERE deadline IS NOT NULL AND status IN "
         "('reported','accepted','dispatched','in_progress','handled')"}};
    for (const auto& q : queries) {
      sqlite3_stmt* s = nullptr;
      sqlite3_prepare_v2(db_, q[1].c_str(), -1, &s, nullptr);
      out[q[0]] = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
      sqlite3_finalize(s);
    }
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  EventId first_id_;
  std::vector<TimeMs> seen_;
  std::size_t count_ = 0;
};

int Run(const Options& o) {
  if (o.crossing == 0 || o.crossing > o.watched) return Die("need 0 < crossing <= watched");
  std::string path = o.db;
  if (path.empty()) {
    path = (std::filesystem::temp_directory_path() /
            ("deadline_watch_bench_" + std::to_string(::getpid()) + ".db"))
               .string();
  }
  if (std::filesystem::exists(path)) return Die(path + " exists; the bench builds a new one");
  const auto remove_db = [&] {
    if (o.keep) return;
    for (const char* suffix : {"", "-wal", "-shm", ".key"}) {
      std::filesystem::remove(path + suffix);
    }
  };
  std::printf(
      "deadline_watch_bench: %zu open events with deadlines, %zu crossing over 10 s "
      "(load average %s)\n",
      o.watched, o.crossing, LoadAverage().c_str());
  if (auto s = BuildFarEvents(path, o.watched - o.crossing); !s) {
    remove_db();
    return Die(s.error().message);
  }
  auto crossing = AddCrossingEvents(path, o.crossing, o.lead_ms);
  if (!crossing) {
    remove_db();
    return Die(crossing.error().message);
  }
  const EventId max_id = crossing->first_id + static_cast<EventId>(o.crossing) - 1;

  Child child;
  auto started = StartServer(o, path, child);
  if (!started) {
    if (child.reader.joinable()) child.reader.join();
    remove_db();
    return Die(started.error().message);
  }
  const ProcStat at_start = ReadProc(child.pid);
  std::printf(
      "  server start to listening (opens the store, loads %zu open deadlines): %.2f s, "
      "RSS %lld MiB\n",
      o.watched, *started, at_start.rss_kib / 1024);
  const auto stop_server = [&] {
    ::kill(child.pid, SIGTERM);
    int status = 0;
    ::waitpid(child.pid, &status, 0);
    child.reader.join();
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  };
  const TimeMs ready_at = WallMs();
  if (ready_at > crossing->window_start - 2'000) {
    stop_server();
    remove_db();
    return Die("the server was ready " + std::to_string(crossing->window_start - ready_at) +
               " ms before the window; give a longer --lead");
  }

  testing::HttpClient login("127.0.0.1", child.port);
  const auto answer = login.Post("/api/v1/auth/login", std::string("{\"username\":\"dispatcher\","
                                                                   "\"password\":\"") +
                                                           kPassword + "\"}");
  const auto key = answer.body.find("\"token\":\"");
  if (answer.status != 200 || key == std::string::npos) {
    stop_server();
    remove_db();
    return Die("login failed: " + std::to_string(answer.status) + " " + answer.body);
  }
  const std::string token = answer.body.substr(key + 9, answer.body.find('"', key + 9) - key - 9);

  std::atomic<bool> stop{false};
  std::vector<Sample> samples[2];
  std::thread readers[2];
  for (int i = 0; i < 2; ++i) {
    readers[i] = std::thread([&, i] {
      samples[i] = ReadLoop(child.port, token, max_id, 7 + static_cast<std::uint64_t>(i), stop);
    });
  }
  NoticePoller poller(path, crossing->first_id, o.crossing);
  std::string load_during;
  const TimeMs give_up = crossing->window_start + kWindowMs + 30'000;
  std::size_t seen = 0;
  while ((seen = poller.Poll()) < o.crossing && WallMs() < give_up) {
    if (load_during.empty() && WallMs() > crossing->window_start + kWindowMs / 2) {
      load_during = LoadAverage();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const TimeMs window_end = WallMs();
  stop = true;
  for (auto& t : readers) t.join();

  std::vector<double> delay_ms;
  for (std::size_t i = 0; i < o.crossing; ++i) {
    if (poller.seen()[i] != 0)
      delay_ms.push_back(static_cast<double>(poller.seen()[i] - crossing->due[i]));
  }
  auto check = poller.Check();
  const bool each_once = check["crossing level 1"] == static_cast<long long>(o.crossing) &&
                         check["crossing other levels"] == 0 && check["far events noticed"] == 0 &&
                         check["crossing events at level 1"] == static_cast<long long>(o.crossing);
  std::printf("  open events with deadlines in the database: %lld\n",
              check["open events with deadlines"]);
  std::printf(
      "  notices committed : %zu of %zu (%s; level-1 notices %lld, other levels %lld, "
      "far events noticed %lld)\n",
      seen, o.crossing, each_once ? "each level once" : "NOT each level once",
      check["crossing level 1"], check["crossing other levels"], check["far events noticed"]);
  std::printf(
      "  crossing -> notice seen committed (polled every 50 ms): p50 %.0f ms, p99 %.0f ms, "
      "max %.0f ms\n",
      Percentile(delay_ms, 0.5), Percentile(delay_ms, 0.99), Percentile(delay_ms, 1.0));

  std::vector<double> by_phase[2][2];  // [during][list]
  long long non_200 = 0;
  for (const auto& reader : samples) {
    for (const Sample& s : reader) {
      if (s.status != 200) ++non_200;
      if (s.sent >= window_end) continue;
      by_phase[s.sent >= crossing->window_start ? 1 : 0][s.list ? 1 : 0].push_back(s.ms);
    }
  }
  const double before_s = static_cast<double>(crossing->window_start - ready_at) / 1000.0;
  const double during_s = static_cast<double>(window_end - crossing->window_start) / 1000.0;
  std::printf("  HTTP reads before the window (%.1f s), GET /api/v1/events/{id}: %s\n", before_s,
              Summary(by_phase[0][0]).c_str());
  std::printf("  HTTP reads before the window (%.1f s), GET /api/v1/events?limit=50: %s\n",
              before_s, Summary(by_phase[0][1]).c_str());
  std::printf("  HTTP reads during the window (%.1f s), GET /api/v1/events/{id}: %s\n", during_s,
              Summary(by_phase[1][0]).c_str());
  std::printf("  HTTP reads during the window (%.1f s), GET /api/v1/events?limit=50: %s\n",
              during_s, Summary(by_phase[1][1]).c_str());
  std::printf("  non-200 answers: %lld\n", non_200);

  // At rest: no requests, every remaining deadline days away.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const ProcStat rest0 = ReadProc(child.pid);
  std::this_thread::sleep_for(std::chrono::seconds(5));
  const ProcStat rest1 = ReadProc(child.pid);
  std::printf(
      "  at rest (5 s, %zu still watched): server CPU %.2f s (10 ms ticks), context switches (all "
      "threads) %lld, RSS %lld MiB\n",
      o.watched, rest1.cpu_s - rest0.cpu_s, rest1.switches - rest0.switches, rest1.rss_kib / 1024);
  std::printf("  load average: mid-window %s, at the end %s\n", load_during.c_str(),
              LoadAverage().c_str());
  const bool stopped = stop_server();
  if (!stopped) std::printf("  the server did not exit cleanly\n");
  remove_db();
  const bool ok = seen == o.crossing && each_once && Percentile(delay_ms, 1.0) <= 2000 &&
                  non_200 == 0 && stopped;
  std::printf("  result: %s\n", ok ? "every crossing noticed within 2 s, all reads 200" : "FAILED");
  return ok ? 0 : 2;
}

}  // namespace
}  // namespace civicgrid

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // results in order with the progress on stderr
  civicgrid::Options o;
  int positional = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--db" && has_value) {
      o.db = argv[++i];
    } else if (arg == "--keep") {
      o.keep = true;
    } else if (arg == "--lead" && has_value) {
      o.lead_ms = std::atoll(argv[++i]) * 1000;
    } else if (arg == "--server" && has_value) {
      o.server = argv[++i];
    } else if (!arg.empty() && arg[0] != '-' && positional < 2) {
      (positional++ == 0 ? o.watched : o.crossing) = std::strtoull(arg.c_str(), nullptr, 10);
    } else {
      std::fprintf(stderr,
                   "usage: deadline_watch_bench [watched] [crossing] [--db PATH] [--keep] "
                   "[--lead SECONDS] [--server PATH]\n");
      return 2;
    }
  }
  return civicgrid::Run(o);
}
