// Import of residents from CSV (issue 3: 1,000,000 in under 60 s), compared in the same run with
// raw SQLite inserts of the same rows (already validated, sealed and indexed: no CSV, no checks,
// no audit) into the same schema.
//   build/resident_import_bench [--residents 1000000] [--dir /tmp]
// Makes a demo city (territory only) for the grids, writes the CSV, then times
// `civicgrid import residents` (in-process, as the CLI runs it) and the raw inserts.
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <vector>

#include "app/application.h"
#include "app/cli_args.h"
#include "app/commands.h"
#include "core/people/id_number.h"
#include "store/sqlite/sqlite_store.h"

using namespace civicgrid;  // a benchmark's main, not a header

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// The i-th of many distinct valid ID numbers: birth dates from 1960 on, 1000 per day.
std::string IdNumber(std::int64_t i) {
  const CivilDate d = CivilFromDays(DaysFromCivil({1960, 1, 1}) + i / 1000);
  char first17[48];  // 17 digits for dates up to 9999; room for what the compiler cannot rule out
  std::snprintf(first17, sizeof first17, "110101%04d%02d%02d%03d", d.year, d.month, d.day,
                static_cast<int>(i % 1000));
  return std::string(first17) + IdNumberCheckDigit(first17);
}

}  // namespace

int main(int argc, char** argv) {
  auto args = CliArgs::Parse(std::vector<std::string>(argv + 1, argv + argc), {});
  if (!args) return 2;
  const std::int64_t n = args->GetInt("residents", 1000000, 1, 100000000).value();
  const std::string dir = args->Get("dir", "/tmp") + "/civicgrid_import_bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = dir + "/city.db";
  const std::string csv_path = dir + "/residents.csv";

  if (RunDemo({"--db", db, "--events", "0", "--seed", "1", "--password", "bench-pass-2026",
               "--households-per-grid", "0"}) != 0) {
    return 1;
  }
  AppOptions options;
  options.db_path = db;
  auto app = Application::Open(options);
  if (!app) {
    std::fprintf(stderr, "%s\n", app.error().message.c_str());
    return 1;
  }
  std::vector<std::string> grids;
  for (const Region& r : (*app)->reference()->territory().regions()) {
    if (r.level == RegionLevel::kGrid) grids.push_back(r.code);
  }
  static const char* kTypes[] = {"registered", "registered",  "registered",
                                 "floating",   "left_behind", "overseas"};
  static const char* kNames[] = {"王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊", "赵丽", "黄强"};
  auto t0 = std::chrono::steady_clock::now();
  std::string csv = "grid_code,name,id_number,type,phone\r\n";
  csv.reserve(static_cast<std::size_t>(n) * 70);
  for (std::int64_t i = 0; i < n; ++i) {
    csv += grids[static_cast<std::size_t>(i) % grids.size()];
    csv += ',';
    csv += kNames[i % 8];
    csv += ',';
    csv += IdNumber(i);
    csv += ',';
    csv += kTypes[i % 6];
    csv += ",1380000";
    csv += std::to_string(1000 + i % 9000);
    csv += "\r\n";
  }
  std::ofstream(csv_path, std::ios::binary) << csv;
  std::printf("generated %lld residents over %zu grids: %.1f MB CSV in %.2f s\n",
              static_cast<long long>(n), grids.size(), static_cast<double>(csv.size()) / 1e6,
              Seconds(t0));

  // The import as `civicgrid import residents` runs it.
  t0 = std::chrono::steady_clock::now();
  Actor cli;
  cli.username = "cli";
  cli.roles = RoleSet{Role::kAdmin};
  std::promise<Result<CsvImportReport>> done;
  auto future = done.get_future();
  (*app)->csv().Import(cli, CsvKind::kResidents, csv, false,
                       [&](Result<CsvImportReport> r) { done.set_value(std::move(r)); });
  auto report = future.get();
  const double import_s = Seconds(t0);
  if (!report || !report->committed) {
    std::fprintf(stderr, "import failed: %s\n",
                 report ? (report->errors.empty() ? "?" : report->errors[0].message.c_str())
                        : report.error().message.c_str());
    return 1;
  }
  std::printf(
      "csv import: %zu rows in %.2f s = %.0f rows/s (validated, sealed, blind-indexed, "
      "one audit record each, one transaction)\n",
      report->imported, import_s, static_cast<double>(report->imported) / import_s);

  // The same rows straight into SQLite: a fresh database with the same schema.
  std::vector<Resident> rows;
  {
    std::promise<void> none;
    rows.reserve(static_cast<std::size_t>(n));
    BaseDataQuery q;
    q.scope.all = true;
    q.limit = 500;
    for (;;) {
      auto page = (*app)->store().ListResidents(q);
      if (!page || page->empty()) break;
      for (auto& r : *page) rows.push_back(std::move(r));
      q.before_id = rows.back().id;
    }
  }
  app->reset();
  const std::string raw_db = dir + "/raw.db";
  { auto store = SqliteStore::Open(raw_db); }
  sqlite3* db_handle = nullptr;
  sqlite3_open(raw_db.c_str(), &db_handle);
  sqlite3_exec(db_handle, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr,
               nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db_handle,
                     "INSERT INTO residents(household_id, grid_id, community_id, street_id, "
                     "district_id, name, gender, birth_date, id_sealed, id_blind, id_masked, "
                     "resident_type, phone, status, arrived_at, created_at, updated_at) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     -1, &insert, nullptr);
  t0 = std::chrono::steady_clock::now();
  sqlite3_exec(db_handle, "BEGIN", nullptr, nullptr, nullptr);
  auto text = [&](int i, const std::string& v) {
    sqlite3_bind_text(insert, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  };
  for (const Resident& r : rows) {
    sqlite3_bind_int64(insert, 1, r.household_id);
    sqlite3_bind_int64(insert, 2, r.path.grid_id);
    sqlite3_bind_int64(insert, 3, r.path.community_id);
    sqlite3_bind_int64(insert, 4, r.path.street_id);
    sqlite3_bind_int64(insert, 5, r.path.district_id);
    text(6, r.name);
    text(7, r.gender);
    text(8, r.birth_date);
    text(9, r.id_sealed);
    text(10, r.id_blind);
    text(11, r.id_masked);
    const std::string type(ResidentTypeName(r.type));
    text(12, type);
    text(13, r.phone);
    sqlite3_bind_text(insert, 14, "present", -1, SQLITE_STATIC);
    if (r.arrived_at) {
      sqlite3_bind_int64(insert, 15, *r.arrived_at);
    } else {
      sqlite3_bind_null(insert, 15);
    }
    sqlite3_bind_int64(insert, 16, r.created_at);
    sqlite3_bind_int64(insert, 17, r.updated_at);
    if (sqlite3_step(insert) != SQLITE_DONE) {
      std::fprintf(stderr, "raw insert: %s\n", sqlite3_errmsg(db_handle));
      return 1;
    }
    sqlite3_reset(insert);
  }
  sqlite3_exec(db_handle, "COMMIT", nullptr, nullptr, nullptr);
  const double raw_s = Seconds(t0);
  sqlite3_finalize(insert);
  sqlite3_close(db_handle);
  std::printf(
      "raw sqlite inserts of the same %zu rows (prepared, one transaction): %.2f s = %.0f "
      "rows/s; the import takes %.1fx the raw time\n",
      rows.size(), raw_s, static_cast<double>(rows.size()) / raw_s, import_s / raw_s);
  std::filesystem::remove_all(dir);
  return 0;
}
