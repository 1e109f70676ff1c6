// The raw limit for event creation: the same rows a create writes in the store's file (the
// idempotency check, the daily sequence, the event row, the report history row, the idempotency
// key; the search index is written by its own thread to its own file) inserted straight into SQLite
// with the server's schema and durability (WAL, and by default synchronous=FULL: every transaction
// on disk before the next, as the server's acknowledgements are; --sync normal for none), in
// transactions of a given size and no server, threads or savepoints.
//   build/raw_insert_bench [--events 50000] [--batch 1,16,64,256] [--sync full|normal] [--dir /tmp]
//                          [--breakdown]
// Each batch size runs on a fresh database created by SqliteStore::Open (the same migrations).
// --breakdown also runs the largest batch with a search row in the same transaction (the layout
// before the search index got its own file), without the list indexes, with both changes, and
// with the search index's other FTS5 forms (detail=column/none, the ascii tokenizer), to show
// what each costs.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli_args.h"
#include "store/search_text.h"
#include "store/sqlite/sqlite_store.h"

using namespace civicgrid;  // a benchmark's main, not a header

namespace {

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

sqlite3_stmt* Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  Check(sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr), db, sql);
  return s;
}

void Text(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}

// Parts of the schema a breakdown run leaves out.
struct Omit {
  bool search = false;
  bool list_indexes = false;
  const char* search_options = nullptr;  // replaces the search index's FTS5 options when set
};

#define UNICODE61 "\"unicode61 remove_diacritics 2 categories 'L* N* Co M* P* S*'\""

// Creates a search index in the store's own file, written in the same transactions as the
// events (where it was before it got a file and a thread of its own), with these FTS5 options.
void CreateSearchIndex(sqlite3* db, const char* options) {
  const std::string sql = std::string(
                              "CREATE VIRTUAL TABLE event_search USING fts5(title, "
                              "description, content='', columnsize=0, ") +
                          options + ")";
  Check(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), db, "search options");
}

// Drops every explicit non-unique index of events (the list indexes).
void DropListIndexes(sqlite3* db) {
  std::vector<std::string> names;
  sqlite3_stmt* list = Prepare(db,
                               "SELECT name FROM sqlite_schema WHERE type = 'index' AND "
                               "tbl_name = 'events' AND sql NOT LIKE 'CREATE UNIQUE%'");
  while (sqlite3_step(list) == SQLITE_ROW) {
    names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(list, 0)));
  }
  sqlite3_finalize(list);
  for (const std::string& name : names) {
    Check(sqlite3_exec(db, ("DROP INDEX " + name).c_str(), nullptr, nullptr, nullptr), db, "drop");
  }
}

// What the server's writer writes per create: the search index is another file's, on another
// thread (store/sqlite/search_indexer.h).
constexpr Omit kWritersRows{true, false};

double Run(const std::string& path, int events, int batch, Omit omit, const std::string& sync) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  {
    auto store = SqliteStore::Open(path);
    if (!store) {
      std::fprintf(stderr, "%s\n", store.error().message.c_str());
      std::exit(1);
    }
  }
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  const std::string pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=" + sync +
                              "; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
                              " PRAGMA journal_size_limit=67108864;";
  Check(sqlite3_exec(db, pragmas.c_str(), nullptr, nullptr, nullptr), db, "pragmas");
  if (omit.list_indexes) DropListIndexes(db);
  if (!omit.search) {
    CreateSearchIndex(db, omit.search_options != nullptr ? omit.search_options
                                                         : "detail=full, tokenize=" UNICODE61);
  }
  sqlite3_stmt* find_key =
      Prepare(db, "SELECT event_id FROM idempotency_keys WHERE user_id = ? AND key = ?");
  sqlite3_stmt* seq = Prepare(db,
                              "INSERT INTO daily_sequences(day, value) VALUES (?, 1) ON "
                              "CONFLICT(day) DO UPDATE SET value = value + 1 RETURNING value");
  sqlite3_stmt* event = Prepare(
      db,
      "INSERT INTO events(id,number,source,category,title,description,lon,lat,address,grid_id,"
      "community_id,street_id,district_id,owner_region_id,reporter_name,reporter_phone,"
      "reporter_user_id,priority,status,version,department_id,assignee_user_id,deadline,"
      "suspended,suspended_at,supervision_level,escalation_level,merged_into,rating,attachments,"
      "created_at,updated_at,closed_at,last_hash,history_count) VALUES (?,?,'hotline','U06010',"
      "?,?,?,?,?,?,?,?,?,?,'王先生','13800138000',3,2,'reported',1,0,0,NULL,0,0,0,0,0,0,'[]',?,?,"
      "NULL,?,1)");
  sqlite3_stmt* search =
      omit.search
          ? nullptr
          : Prepare(db, "INSERT INTO event_search(rowid, title, description) VALUES (?,?,?)");
  sqlite3_stmt* history =
      Prepare(db,
              "INSERT INTO event_history(event_id,seq,action,actor_id,actor_name,actor_role,at,"
              "from_status,to_status,note,data,prev_hash,hash) VALUES (?,1,'report',3,'operator',"
              "'operator',?,'reported','reported','','{\"source\":\"hotline\"}',?,?)");
  sqlite3_stmt* key = Prepare(
      db, "INSERT INTO idempotency_keys(user_id, key, event_id, created_at) VALUES (3,?,?,?)");

  const std::string title = "小区东门井盖缺失存在安全隐患";
  const std::string description =
      "市民来电反映：小区东门人行道井盖缺失，夜间行人容易踩空，请尽快处理并回复（地点：和平区十二经"
      "街101号）。";
  const std::string folded_title = FoldSearchText(title);
  const std::string folded_description = FoldSearchText(description);
  const std::string genesis(64, '0');
  const std::string hash(64, 'a');
  const std::int64_t now = 1'780'000'000'000;

  const auto t0 = std::chrono::steady_clock::now();
  for (int done = 0; done < events;) {
    Check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
    for (int i = 0; i < batch && done < events; ++i, ++done) {
      const std::int64_t id = done + 1;
      const std::string k = "key-" + std::to_string(id);
      sqlite3_bind_int64(find_key, 1, 3);
      Text(find_key, 2, k);
      Check(sqlite3_step(find_key), db, "find key");
      sqlite3_reset(find_key);
      sqlite3_bind_text(seq, 1, "20261122", -1, SQLITE_STATIC);
      Check(sqlite3_step(seq), db, "sequence");
      const std::int64_t n = sqlite3_column_int64(seq, 0);
      sqlite3_reset(seq);
      const std::string number = "20261122-" + std::to_string(n);
      sqlite3_bind_int64(event, 1, id);
      Text(event, 2, number);
      Text(event, 3, title);
      Text(event, 4, description);
      sqlite3_bind_double(event, 5, 123.38 + static_cast<double>(id % 1000) * 1e-4);
      sqlite3_bind_double(event, 6, 41.76 + static_cast<double>(id % 800) * 1e-4);
      Text(event, 7, "和平区十二经街101号");
      sqlite3_bind_int64(event, 8, 50 + id % 240);  // grid
      sqlite3_bind_int64(event, 9, 10 + id % 40);   // community
      sqlite3_bind_int64(event, 10, 3 + id % 8);    // street
      sqlite3_bind_int64(event, 11, 2);             // district
      sqlite3_bind_int64(event, 12, 3 + id % 8);    // owner
      sqlite3_bind_int64(event, 13, now + id);
      sqlite3_bind_int64(event, 14, now + id);
      Text(event, 15, hash);
      Check(sqlite3_step(event), db, "event");
      sqlite3_reset(event);
      if (search != nullptr) {
        sqlite3_bind_int64(search, 1, id);
        Text(search, 2, folded_title);
        Text(search, 3, folded_description);
        Check(sqlite3_step(search), db, "search");
        sqlite3_reset(search);
      }
      sqlite3_bind_int64(history, 1, id);
      sqlite3_bind_int64(history, 2, now + id);
      Text(history, 3, genesis);
      Text(history, 4, hash);
      Check(sqlite3_step(history), db, "history");
      sqlite3_reset(history);
      Text(key, 1, k);
      sqlite3_bind_int64(key, 2, id);
      sqlite3_bind_int64(key, 3, now + id);
      Check(sqlite3_step(key), db, "key");
      sqlite3_reset(key);
    }
    Check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (sqlite3_stmt* s : {find_key, seq, event, search, history, key}) sqlite3_finalize(s);
  sqlite3_close(db);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return events / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  auto args = CliArgs::Parse(std::vector<std::string>(argv + 1, argv + argc), {"breakdown"});
  if (!args) {
    std::fprintf(stderr, "%s\n", args.error().message.c_str());
    return 2;
  }
  const int events = static_cast<int>(args->GetInt("events", 50000, 1, 100'000'000).value());
  const std::string dir = args->Get("dir", std::filesystem::temp_directory_path().string());
  std::vector<int> batches;
  std::stringstream list(args->Get("batch", "1,16,64,256"));
  for (std::string item; std::getline(list, item, ',');) batches.push_back(std::stoi(item));
  const std::string sync = args->Get("sync", "full");
  if (sync != "full" && sync != "normal") {
    std::fprintf(stderr, "--sync must be full or normal\n");
    return 2;
  }
  const std::string path = dir + "/raw-insert-" + std::to_string(getpid()) + ".db";
  std::printf("raw SQLite creates (%d events each, WAL, synchronous=%s)\n", events,
              sync == "full" ? "FULL" : "NORMAL");
  std::printf("%12s %14s\n", "batch", "events/s");
  for (int batch : batches) {
    std::printf("%12d %14.0f\n", batch, Run(path, events, batch, kWritersRows, sync));
    std::fflush(stdout);
  }
  if (args->Has("breakdown") && !batches.empty()) {
    const int batch = *std::max_element(batches.begin(), batches.end());
    std::printf("\nat %d per transaction, leaving out part of the schema:\n", batch);
    const std::pair<const char*, Omit> parts[] = {
        {"the writer's rows", kWritersRows},
        {"+ search row in the same tx", {}},
        {"without the list indexes", {true, true}},
        {"+ search, no list indexes", {false, true}},
        {"search detail=column", {false, false, "detail=column, tokenize=" UNICODE61}},
        {"search detail=none", {false, false, "detail=none, tokenize=" UNICODE61}},
        {"search tokenize=ascii", {false, false, "detail=full, tokenize=ascii"}},
        {"search ascii, detail=none", {false, false, "detail=none, tokenize=ascii"}},
    };
    for (const auto& [name, omit] : parts) {
      std::printf("%-28s %10.0f events/s\n", name, Run(path, events, batch, omit, sync));
      std::fflush(stdout);
    }
  }
  return 0;
}
