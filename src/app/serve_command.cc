// `civicgrid serve`: the HTTP server over the application.
#include <pthread.h>
#include <signal.h>

#include <cctype>
#include <cstdio>
#include <thread>

#include "api/server.h"
#include "app/command_support.h"
#include "app/commands.h"

namespace civicgrid {

namespace {

bool ParseListen(const std::string& listen, std::string& host, std::uint16_t& port) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string p = listen.substr(colon + 1);
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  const long v = std::stol(p);
  if (v > 65535) return false;
  port = static_cast<std::uint16_t>(v);
  return true;
}

}  // namespace

int RunServe(const std::vector<std::string>& args) {
  auto parsed = ParseCommandArgs("serve", args,
                                 {"db",
                                  "listen",
                                  "threads",
                                  "static",
                                  "calendar-dir",
                                  "sync",
                                  "max-body",
                                  "read-connections",
                                  "ip-rate",
                                  "ip-burst",
                                  "token-rate",
                                  "token-burst",
                                  "trusted-proxy",
                                  "token-ttl",
                                  "duplicate-metres",
                                  "duplicate-hours",
                                  "data-key-file",
                                  "on-duty-hours",
                                  "camera-max-metres",
                                  "metrics-token-file"},
                                 {"quiet"});
  if (!parsed) return 2;
  ServerOptions server_options;
  if (!ParseListen(parsed->Get("listen", "127.0.0.1:8080"), server_options.host,
                   server_options.port)) {
    return CommandError("serve", "--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
  }
  auto threads = parsed->GetInt("threads", 0, 0, 256);
  auto max_body = parsed->GetInt("max-body", 1 << 20, 1024, 1 << 30);
  auto read_connections = parsed->GetInt("read-connections", 0, 0, 256);
  if (!threads) return CommandError("serve", threads.error().message);
  if (!max_body) return CommandError("serve", max_body.error().message);
  if (!read_connections) return CommandError("serve", read_connections.error().message);
  // Duplicate proposals: a report this close (0 turns them off) to an open event this recent.
  auto duplicate_metres = parsed->GetInt("duplicate-metres", 100, 0, 10'000);
  auto duplicate_hours = parsed->GetInt("duplicate-hours", 72, 1, 24 * 365);
  if (!duplicate_metres) return CommandError("serve", duplicate_metres.error().message);
  if (!duplicate_hours) return CommandError("serve", duplicate_hours.error().message);
  server_options.io_threads = static_cast<int>(*threads);
  server_options.max_body_bytes = static_cast<std::size_t>(*max_body);
  // Rate limits: requests per second and burst, per client address and per token (0 = off).
  struct RateFlag {
    const char* name;
    double* out;
  };
  for (const RateFlag& flag : {RateFlag{"ip-rate", &server_options.ip_rate},
                               RateFlag{"ip-burst", &server_options.ip_burst},
                               RateFlag{"token-rate", &server_options.token_rate},
                               RateFlag{"token-burst", &server_options.token_burst}}) {
    auto value = parsed->GetInt(flag.name, static_cast<std::int64_t>(*flag.out), 0, 10000000);
    if (!value) return CommandError("serve", value.error().message);
    *flag.out = static_cast<double>(*value);
  }
  // --trusted-proxy 127.0.0.1[,::1]: the reverse proxies whose X-Forwarded-For is believed.
  for (std::string rest = parsed->Get("trusted-proxy"); !rest.empty();) {
    const auto comma = rest.find(',');
    if (comma != 0) server_options.trusted_proxies.push_back(rest.substr(0, comma));
    rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
  }
  server_options.static_dir = parsed->Get("static");
  server_options.access_log = !parsed->Has("quiet");
  // A scraper's bearer token for GET /metrics, kept in a file (not on the command line, where
  // every local user can read it).
  if (const std::string file = parsed->Get("metrics-token-file"); !file.empty()) {
    std::string token;
    if (!ReadFile(file, token)) return CommandError("serve", "cannot read " + file);
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) {
      token.pop_back();
    }
    if (token.size() < 16 || token.find_first_of(" \t\r\n") != std::string::npos) {
      return CommandError(
          "serve", "the metrics token in " + file + " must be one line of at least 16 characters");
    }
    server_options.metrics_token = std::move(token);
  }
  const std::string sync = parsed->Get("sync", "pipelined");
  if (sync != "pipelined" && sync != "full" && sync != "normal") {
    return CommandError("serve", "--sync must be pipelined, full or normal");
  }

  // Signals go to one thread that asks the server to stop; block them before threads start.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  AppOptions app_options;
  app_options.calendar_dir = parsed->Get("calendar-dir");
  // Bearer token lifetime in seconds (default 12 hours).
  auto token_ttl = parsed->GetInt("token-ttl", 12 * 3600, 1, 30 * 24 * 3600);
  if (!token_ttl) return CommandError("serve", token_ttl.error().message);
  app_options.token_lifetime_ms = *token_ttl * 1000;
  app_options.sync = sync == "full"     ? SqliteOptions::Sync::kFull
                     : sync == "normal" ? SqliteOptions::Sync::kNormal
                                        : SqliteOptions::Sync::kPipelined;
  app_options.duplicates.distance_m = static_cast<double>(*duplicate_metres);
  app_options.duplicates.window_ms = *duplicate_hours * 3'600'000;
  // Camera alarms: a grid worker is on duty with a check-in within the last H hours; an alarm
  // goes to the nearest one within M metres, else to the centre's queue.
  auto on_duty_hours = parsed->GetInt("on-duty-hours", 4, 1, 24);
  auto camera_max_metres = parsed->GetInt("camera-max-metres", 3000, 1, 20'000);
  if (!on_duty_hours) return CommandError("serve", on_duty_hours.error().message);
  if (!camera_max_metres) return CommandError("serve", camera_max_metres.error().message);
  app_options.cameras.on_duty_window_ms = *on_duty_hours * kMsPerHour;
  app_options.cameras.max_metres = static_cast<double>(*camera_max_metres);
  const unsigned cores = std::max(2u, std::thread::hardware_concurrency());
  app_options.read_connections =
      *read_connections > 0 ? static_cast<int>(*read_connections) : static_cast<int>(cores * 2);
  auto app = OpenApplication("serve", *parsed, app_options);
  if (!app) return 1;

  ApiServices services;
  services.events = &app->events();
  services.auth = &app->auth();
  services.users = &app->users();
  services.audit = &app->audit();
  services.routing = &app->routing();
  services.orgs = &app->orgs();
  if (auto s = app->StartDeadlineWatcher(); !s) return CommandError("serve", s.error().message);
  Application* raw = app.get();
  services.reference = [raw] { return raw->reference(); };
  services.clock = &app->clock();
  services.ready = [raw] { return Readiness{raw->durability(), raw->search_index_state()}; };
  services.store_counters = [raw] {
    const WriterStats stats = raw->writer_stats();
    return StoreCounters{stats.units, stats.transactions, stats.syncs};
  };
  services.territory = &app->territory();
  services.people = &app->people();
  services.patrols = &app->patrols();
  services.csv = &app->csv();
  services.cameras = &app->cameras();

  Server server(server_options, services);
  if (auto s = server.Start(); !s) return CommandError("serve", s.error().message);
  std::fprintf(
      stderr, "{\"level\":\"info\",\"msg\":\"listening\",\"address\":\"%s:%u\",\"db\":\"%s\"}\n",
      server_options.host.c_str(), static_cast<unsigned>(server.port()), parsed->Get("db").c_str());

  std::thread signal_thread([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    std::fprintf(stderr, "{\"level\":\"info\",\"msg\":\"stopping\",\"signal\":%d}\n", sig);
    server.Stop();
  });
  server.Run();
  // Wake the signal thread if the server stopped on its own.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  app->store().Drain();
  std::fprintf(stderr, "{\"level\":\"info\",\"msg\":\"stopped\",\"writer\":%s}\n",
               app->WriterStatsJson().c_str());
  return 0;
}

}  // namespace civicgrid
