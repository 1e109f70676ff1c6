// `civicgrid regions import|export`, `civicgrid import KIND`, `civicgrid export KIND` (issue 3):
// the region tree as GeoJSON and the base data as CSV, run as the local administrator ("cli").
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <sstream>

#include "api/json/geojson.h"
#include "app/command_support.h"
#include "app/commands.h"

namespace civicgrid {

namespace {

// Whoever runs the CLI on the server's machine acts as an administrator of the whole tree.
Actor CliActor() {
  Actor a;
  a.username = "cli";
  a.roles = RoleSet{Role::kAdmin};
  a.remote_address = "local";
  return a;
}

int WriteOut(const char* command, const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) return CommandError(command, "cannot write " + path);
  return 0;
}

std::string ErrorText(const Error& e) {
  return e.message + (e.field.empty() ? "" : " [" + e.field + "]");
}

}  // namespace

int RunRegions(const std::vector<std::string>& args) {
  auto parsed = ParseCommandArgs("regions", args, {"db", "out", "data-key-file"});
  if (!parsed) return 2;
  const auto& pos = parsed->positional();
  if (pos.empty() || (pos[0] == "import" && pos.size() != 2) ||
      (pos[0] == "export" && pos.size() != 1) || (pos[0] != "import" && pos[0] != "export")) {
    return CommandError("regions",
                        "usage: regions import --db PATH FILE.geojson | "
                        "regions export --db PATH [--out FILE]");
  }
  auto app = OpenApplication("regions", *parsed);
  if (!app) return 1;
  if (pos[0] == "export") {
    return WriteOut("regions", parsed->Get("out"),
                    EncodeRegionFeatures(app->reference()->territory().regions()));
  }
  std::string text;
  if (!ReadFile(pos[1], text)) return CommandError("regions", "cannot read " + pos[1]);
  auto drafts = DecodeRegionFeatures(text);
  if (!drafts) return CommandError("regions", pos[1] + ": " + ErrorText(drafts.error()));
  std::promise<Result<ImportSummary>> promise;
  auto future = promise.get_future();
  app->territory().Import(CliActor(), std::move(*drafts),
                          [&](Result<ImportSummary> r) { promise.set_value(std::move(r)); });
  auto result = future.get();
  if (!result) return CommandError("regions", pos[1] + ": " + ErrorText(result.error()));
  std::printf("regions imported: %d created, %d updated, %d unchanged\n", result->created,
              result->updated, result->unchanged);
  return 0;
}

int RunImport(const std::vector<std::string>& args) {
  auto parsed = ParseCommandArgs("import", args, {"db", "data-key-file"}, {"skip-bad-rows"});
  if (!parsed) return 2;
  const auto& pos = parsed->positional();
  std::optional<CsvKind> kind = pos.size() == 2 ? CsvKindFromName(pos[0]) : std::nullopt;
  if (!kind) {
    return CommandError("import",
                        "usage: import households|residents|places --db PATH FILE.csv "
                        "[--skip-bad-rows]");
  }
  auto app = OpenApplication("import", *parsed);
  if (!app) return 1;
  std::string text;
  if (!ReadFile(pos[1], text)) return CommandError("import", "cannot read " + pos[1]);
  const auto start = std::chrono::steady_clock::now();
  std::fprintf(stderr, "importing %s from %s (%zu bytes)...\n", pos[0].c_str(), pos[1].c_str(),
               text.size());
  std::promise<Result<CsvImportReport>> promise;
  auto future = promise.get_future();
  app->csv().Import(CliActor(), *kind, std::move(text), parsed->Has("skip-bad-rows"),
                    [&](Result<CsvImportReport> r) { promise.set_value(std::move(r)); });
  auto report = future.get();
  if (!report) return CommandError("import", pos[1] + ": " + ErrorText(report.error()));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const CsvRowError& e : report->errors) {
    std::fprintf(stderr, "%s: row %zu, column %s: %s (%s)\n", pos[1].c_str(), e.row,
                 e.column.empty() ? "-" : e.column.c_str(), e.message.c_str(), e.reason.c_str());
  }
  if (report->error_count > report->errors.size()) {
    std::fprintf(stderr, "... and %zu more bad rows\n",
                 report->error_count - report->errors.size());
  }
  std::printf("%s: %zu rows, %zu imported, %zu skipped, %zu bad, %.2f s%s\n", pos[0].c_str(),
              report->rows, report->imported, report->skipped, report->error_count, seconds,
              report->committed ? "" : " — nothing imported (use --skip-bad-rows to skip them)");
  return report->committed ? 0 : 1;
}

int RunExport(const std::vector<std::string>& args) {
  auto parsed = ParseCommandArgs("export", args, {"db", "out", "data-key-file"});
  if (!parsed) return 2;
  const auto& pos = parsed->positional();
  std::optional<CsvKind> kind = pos.size() == 1 ? CsvKindFromName(pos[0]) : std::nullopt;
  if (!kind) {
    return CommandError("export",
                        "usage: export households|residents|places --db PATH [--out FILE]");
  }
  auto app = OpenApplication("export", *parsed);
  if (!app) return 1;
  auto csv = app->csv().Export(CliActor(), *kind, 0);
  if (!csv) return CommandError("export", ErrorText(csv.error()));
  return WriteOut("export", parsed->Get("out"), *csv);
}

}  // namespace civicgrid
