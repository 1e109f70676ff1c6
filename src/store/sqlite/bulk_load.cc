#include "store/sqlite/bulk_load.h"

#include <string>
#include <utility>
#include <vector>

namespace civicgrid {
namespace {

// In store_meta while an unjournaled bulk load is under way (SqliteOptions::unjournaled).
constexpr const char* kUnjournaledMarker = "unjournaled_load";

// The trigger that refuses INSERT OR REPLACE over a history row looks the row up before every
// insert (a b-tree seek per row). A bulk load inserts with plain INSERT, which the primary key
// already refuses over an existing row, so the trigger is deferred like an index.
constexpr std::string_view kHistoryReplaceTrigger = "event_history_no_replace";

// The writer reads max(created_at) at the start of every transaction
// (SqliteWriteTx::kStateQueries). Without its index that read scans the events table, so a load
// of a million events spent a third of its time scanning. Loads come in creation order, so the
// index is appended to at the right edge, cheaply.
constexpr std::string_view kKeptLive = "events_created";

}  // namespace

Status DeferIndexes(Connection& c) {
  return InTransaction(c, "deferring indexes", [&]() -> Status {
    auto list = c.Prepare(
        "SELECT name, sql FROM sqlite_schema WHERE (type = 'index' AND sql IS NOT NULL "
        "AND sql NOT LIKE 'CREATE UNIQUE%' AND name <> ?2) OR (type = 'trigger' AND name = ?1) "
        "ORDER BY name");
    if (!list) return list.error();
    std::vector<std::pair<std::string, std::string>> indexes;
    {
      Stmt s(*list);
      s.Bind(1, std::string_view(kHistoryReplaceTrigger));
      s.Bind(2, std::string_view(kKeptLive));
      int rc;
      while ((rc = s.Step()) == SQLITE_ROW) indexes.emplace_back(s.Text(0), s.Text(1));
      if (rc != SQLITE_DONE) return SqliteError(c.db(), rc, "listing indexes");
    }
    auto record =
        c.Prepare("INSERT INTO deferred_indexes(name, sql) VALUES (?, ?) ON CONFLICT DO NOTHING");
    if (!record) return record.error();
    for (const auto& [name, sql] : indexes) {
      Stmt s(*record);
      s.Bind(1, name);
      s.Bind(2, sql);
      if (const int rc = s.Step(); rc != SQLITE_DONE) {
        return SqliteError(c.db(), rc, "recording a deferred index");
      }
      const char* kind = name == kHistoryReplaceTrigger ? "TRIGGER" : "INDEX";
      if (Status st = c.Run(std::string("DROP ") + kind + " \"" + name + "\""); !st.ok()) {
        return st;
      }
    }
    return Status::Ok();
  });
}

Result<bool> HasDeferredIndexes(Connection& c) {
  auto n = c.QueryInt("SELECT count(*) FROM deferred_indexes");
  if (!n) return n.error();
  return *n > 0;
}

Status BuildDeferredIndexes(Connection& c, const std::function<void(double)>& progress) {
  auto list = c.Prepare("SELECT name, sql FROM deferred_indexes ORDER BY name");
  if (!list) return list.error();
  std::vector<std::pair<std::string, std::string>> deferred;
  {
    Stmt s(*list);
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) deferred.emplace_back(s.Text(0), s.Text(1));
    if (rc != SQLITE_DONE) return SqliteError(c.db(), rc, "listing deferred indexes");
  }
  // References were not checked row by row during the load (foreign_keys off): check them all.
  auto dangling = c.QueryInt("SELECT count(*) FROM pragma_foreign_key_check");
  if (!dangling) return dangling.error();
  if (*dangling > 0) {
    return Fail(ErrorCode::kFailedPrecondition,
                std::to_string(*dangling) +
                    " rows loaded in bulk refer to rows that do not exist (PRAGMA "
                    "foreign_key_check lists them)");
  }
  auto forget = c.Prepare("DELETE FROM deferred_indexes WHERE name = ?");
  if (!forget) return forget.error();
  // The sorter may use a helper thread for the large sorts of an index build.
  (void)c.Run("PRAGMA threads = 2");
  for (std::size_t i = 0; i < deferred.size(); ++i) {
    const auto& [name, sql] = deferred[i];
    // One transaction per index: the WAL holds one index at a time, and a crash keeps the rest
    // deferred.
    Status s = InTransaction(c, "building a deferred index", [&]() -> Status {
      Status built = c.Run(sql);
      if (!built.ok()) return built;
      Stmt f(*forget);
      f.Bind(1, name);
      if (const int rc = f.Step(); rc != SQLITE_DONE) {
        return SqliteError(c.db(), rc, "forgetting a deferred index");
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    if (progress) progress(static_cast<double>(i + 1) / static_cast<double>(deferred.size()));
  }
  return Status::Ok();
}

Status BeginUnjournaledLoad(Connection& c) {
  // Committed in WAL mode, so it is on disk before the first unjournaled write.
  Status s = InTransaction(c, "starting an unjournaled load", [&] {
    return c.Run(std::string("INSERT INTO store_meta(key, value) VALUES ('") + kUnjournaledMarker +
                 "', 1) ON CONFLICT(key) DO NOTHING");
  });
  if (!s.ok()) return s;
  auto mode = c.QueryText("PRAGMA journal_mode = OFF");  // checkpoints the WAL first
  if (!mode) return mode.error();
  if (*mode != "off") {
    return Fail(ErrorCode::kUnavailable,
                "the bulk load cannot turn the journal off (" + *mode + ")");
  }
  return Status::Ok();
}

Status EndUnjournaledLoad(Connection& c) {
  // With synchronous on again, this commit syncs the database file: every loaded page is on disk
  // before the WAL (and the forgetting of the marker in it) can be.
  Status s = InTransaction(c, "syncing the unjournaled load", [&] {
    return c.Run(std::string("UPDATE store_meta SET value = 2 WHERE key = '") + kUnjournaledMarker +
                 "'");
  });
  if (!s.ok()) return s;
  auto mode = c.QueryText("PRAGMA journal_mode = WAL");
  if (!mode) return mode.error();
  if (*mode != "wal") {
    return Fail(ErrorCode::kUnavailable,
                "the database cannot return to WAL after the bulk load (" + *mode + ")");
  }
  s = InTransaction(c, "ending the unjournaled load", [&] {
    return c.Run(std::string("DELETE FROM store_meta WHERE key = '") + kUnjournaledMarker + "'");
  });
  return s;  // the caller checkpoints (FinishBulkLoad)
}

Status RefuseUnfinishedUnjournaledLoad(Connection& c) {
  const std::string sql =
      std::string("SELECT count(*) FROM store_meta WHERE key = '") + kUnjournaledMarker + "'";
  auto n = c.QueryInt(sql.c_str());
  if (!n) return n.error();
  if (*n == 0) return Status::Ok();
  return Fail(ErrorCode::kFailedPrecondition,
              "this database was being loaded in bulk without a journal and the load did not "
              "finish; it may be inconsistent: make it again (civicgrid demo --force)");
}

}  // namespace civicgrid
