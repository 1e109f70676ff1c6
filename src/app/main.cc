// civicgrid: one binary for the server and its tools.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "app/commands.h"

namespace {

constexpr const char* kUsage = R"(civicgrid — municipal social governance platform

usage: civicgrid COMMAND [options]

commands:
  serve   --db PATH [--listen HOST:PORT] [--threads N] [--static DIR] [--calendar-dir DIR]
          [--sync pipelined|full|normal] [--max-body BYTES] [--metrics-token-file FILE] [--quiet]
          serve the REST API, Open311 and the web UI (default listen 127.0.0.1:8080)
  demo    --db PATH [--events N] [--seed S] [--password P] [--force]
          create a realistic synthetic city (20,000 events by default)
  audit verify --db PATH
          walk every hash chain of the event histories and report the first broken links
  migrate --db PATH
          create or upgrade the database schema and exit
  regions import --db PATH FILE.geojson | regions export --db PATH [--out FILE]
          import (create or update, validated) or export the region tree as GeoJSON
  import households|residents|places --db PATH FILE.csv [--skip-bad-rows] [--data-key-file F]
          import base data from CSV; bad rows are reported, nothing imported unless skipped
  export households|residents|places --db PATH [--out FILE]
          export base data as CSV (ID numbers masked)
  version
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "serve") return civicgrid::RunServe(args);
  if (command == "demo") return civicgrid::RunDemo(args);
  if (command == "audit") return civicgrid::RunAudit(args);
  if (command == "migrate") return civicgrid::RunMigrate(args);
  if (command == "regions") return civicgrid::RunRegions(args);
  if (command == "import") return civicgrid::RunImport(args);
  if (command == "export") return civicgrid::RunExport(args);
  if (command == "version" || command == "--version") {
    std::puts("civicgrid 0.1.0");
    return 0;
  }
  std::fprintf(stderr, "civicgrid: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return 2;
}
