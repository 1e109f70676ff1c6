// What is particular to the SQLite adapter: the file, its schema versions and migrations, the
// append-only triggers, closing, and the query plans behind ListEvents.
#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <future>
#include <set>
#include <thread>

#include "store/sqlite/event_query.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/search_indexer.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_write_tx.h"
#include "store_test_support.h"

namespace civicgrid::store_test {
namespace {

constexpr TimeMs kBase = 1'790'000'000'000;

// A plain connection to the file, as another process would have.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close(db_); }
  sqlite3* db() { return db_; }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // Runs `sql`; returns the error message, or "" on success.
  std::string Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK) return "";
    std::string msg = err != nullptr ? err : "error";
    sqlite3_free(err);
    return msg;
  }
  std::string Text(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sql;
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

TEST(SqliteStore, OpensInWalModeWithTheCurrentSchema) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store) << store.error().message;
  RawDb raw(path);
  EXPECT_EQ(raw.Text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.Text("PRAGMA user_version"), std::to_string(SqliteStore::SchemaVersion()));
  EXPECT_EQ(SqliteStore::SchemaVersion(), SqliteMigrations().back().version);
  ASSERT_TRUE((*store)->Close().ok());
  auto again = SqliteStore::Open(path);  // reopening applies nothing and succeeds
  ASSERT_TRUE(again) << again.error().message;
}

TEST(SqliteStore, UpgradesAnOlderDatabaseInPlace) {
  TempDir dir;
  const std::string path = dir.File("old.db");
  {
    RawDb raw(path);
    ASSERT_EQ(raw.Exec(SqliteMigrations()[0].sql), "");
    ASSERT_EQ(raw.Exec("PRAGMA user_version = 1"), "");
    ASSERT_EQ(raw.Exec("INSERT INTO events(id, number, source, category, title, description, "
                       "status, created_at, updated_at) VALUES (7, '20260101-000001', 'hotline', "
                       "'0101', '小区东门井盖缺失', '', 'reported', 1, 1)"),
              "");
  }
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store) << store.error().message;
  EventQuery q;
  q.visibility.all = true;
  q.text = "井盖";
  auto page = (*store)->ListEvents(q);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);  // the text of old rows was indexed by the upgrade
  EXPECT_EQ(page->items[0].id, 7);
  EXPECT_EQ(page->items[0].source, EventSource::kHotline);
  ASSERT_TRUE((*store)->Close().ok());
  EXPECT_EQ(RawDb(path).Text("PRAGMA user_version"), std::to_string(SqliteStore::SchemaVersion()));
}

TEST(SqliteStore, VersionTwelveReplacesTheDuplicateIndexEvenWhenABulkLoadDeferredIt) {
  for (const bool deferred : {false, true}) {
    TempDir dir;
    const std::string path = dir.File("v11.db");
    {
      RawDb raw(path);
      for (const SqliteMigration& m : SqliteMigrations()) {
        if (m.version > 11) break;
        ASSERT_EQ(raw.Exec(m.sql), "") << m.version;
      }
      ASSERT_EQ(raw.Exec("PRAGMA user_version = 11"), "");
      if (deferred) {  // an older build's bulk load that died before building its indexes
        ASSERT_EQ(raw.Exec("DROP INDEX events_category_lat; INSERT INTO deferred_indexes(name, "
                           "sql) VALUES ('events_category_lat', 'CREATE INDEX "
                           "events_category_lat ON events(category, lat)')"),
                  "");
      }
    }
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE((*store)->Close().ok());
    RawDb raw(path);
    EXPECT_EQ(raw.Text("SELECT count(*) FROM sqlite_schema WHERE name = 'events_category_lat'"),
              "0");
    EXPECT_EQ(raw.Text("SELECT count(*) FROM sqlite_schema WHERE name = 'events_open_near'"), "1");
    EXPECT_EQ(raw.Text("SELECT count(*) FROM deferred_indexes"), "0");
  }
}

TEST(SqliteStore, RefusesADatabaseFromANewerCivicgrid) {
  TempDir dir;
  const std::string path = dir.File("new.db");
  ASSERT_TRUE(SqliteStore::Open(path));
  const int newer = SqliteStore::SchemaVersion() + 1;
  ASSERT_EQ(RawDb(path).Exec("PRAGMA user_version = " + std::to_string(newer)), "");
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(store.error().message,
            "database schema version " + std::to_string(newer) + " is newer than this civicgrid (" +
                std::to_string(SqliteStore::SchemaVersion()) + "); upgrade civicgrid");
}

TEST(SqliteStore, RefusesAnInMemoryDatabase) {
  auto store = SqliteStore::Open(":memory:");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
}

TEST(SqliteStore, HistoryIsAppendOnly) {
  TempDir dir;
  const std::string path = dir.File("h.db");
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store);
  Event e = SampleEvent(1, kBase);
  ASSERT_TRUE(Write(**store, [&](WriteTx& tx) -> Status {
                if (Status s = tx.InsertEvent(e); !s.ok()) return s;
                return tx.AppendHistory(SampleHistory(e, 1));
              }).ok());
  RawDb raw(path);
  EXPECT_NE(raw.Exec("UPDATE event_history SET note = 'forged'").find("append-only"),
            std::string::npos);
  EXPECT_NE(raw.Exec("DELETE FROM event_history").find("append-only"), std::string::npos);
  EXPECT_NE(raw.Exec("INSERT OR REPLACE INTO event_history(event_id, seq, action, at, "
                     "from_status, to_status) VALUES (" +
                     std::to_string(e.id) + ", 1, 'comment', 0, 'reported', 'reported')"),
            "");
  auto history = (*store)->EventHistory(e.id);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].note, "note 1");
}

TEST(SqliteStore, ForeignKeysAreEnforced) {
  TempDir dir;
  auto store = SqliteStore::Open(dir.File("fk.db"));
  ASSERT_TRUE(store);
  HistoryEntry orphan;
  orphan.event_id = 404;
  orphan.seq = 1;
  const Status s = Write(**store, [&](WriteTx& tx) { return tx.AppendHistory(orphan); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kFailedPrecondition);
}

TEST(SqliteStore, AClosedStoreRefusesWorkAndReads) {
  TempDir dir;
  auto store = SqliteStore::Open(dir.File("c.db"));
  ASSERT_TRUE(store);
  std::atomic<int> ok{0};
  for (int i = 0; i < 100; ++i) {
    (*store)->Submit(
        [i](WriteTx& tx) -> Status {
          Event e = SampleEvent(i, kBase);
          return tx.InsertEvent(e);
        },
        [&](Status s) { ok += s.ok() ? 1 : 0; });
  }
  ASSERT_TRUE((*store)->Close().ok());
  EXPECT_EQ(ok.load(), 100);  // Close finished the queued units first
  Status late;
  (*store)->Submit([](WriteTx&) { return Status::Ok(); }, [&](Status s) { late = s; });
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kUnavailable);
  auto read = (*store)->FindEvent(1);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kUnavailable);
  (*store)->Drain();
  EXPECT_TRUE((*store)->Close().ok());
}

// With replay_units, a unit that fails before writing costs its batch-mates nothing; one that
// fails after writing makes the units before it in the transaction run again.
TEST(SqliteStore, ReplayedUnitsRunAgainOnlyAfterADirtyFailure) {
  TempDir dir;
  SqliteOptions options;
  options.replay_units = true;
  auto store = SqliteStore::Open(dir.File("r.db"), options);
  ASSERT_TRUE(store);
  for (bool dirty : {false, true}) {
    SCOPED_TRACE(dirty ? "dirty" : "clean");
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<bool> holding{false};
    (*store)->Submit(
        [&](WriteTx&) {
          holding = true;
          released.wait();
          return Status::Ok();
        },
        nullptr);
    while (!holding) std::this_thread::yield();
    std::atomic<int> runs_a{0}, runs_b{0}, runs_c{0};
    std::vector<Status> outcome(3);
    const int base = dirty ? 100 : 0;
    (*store)->Submit(
        [&](WriteTx& tx) {
          ++runs_a;
          Event e = SampleEvent(base + 1, kBase);
          return tx.InsertEvent(e);
        },
        [&](Status s) { outcome[0] = s; });
    (*store)->Submit(
        [&](WriteTx& tx) -> Status {
          ++runs_b;
          if (dirty) {
            Event e = SampleEvent(base + 2, kBase);
            if (Status s = tx.InsertEvent(e); !s.ok()) return s;
          }
          return Fail(ErrorCode::kAborted, "stale");
        },
        [&](Status s) { outcome[1] = s; });
    (*store)->Submit(
        [&](WriteTx& tx) {
          ++runs_c;
          Event e = SampleEvent(base + 3, kBase);
          return tx.InsertEvent(e);
        },
        [&](Status s) { outcome[2] = s; });
    release.set_value();
    (*store)->Drain();
    EXPECT_EQ(runs_a.load(), dirty ? 2 : 1);
    EXPECT_EQ(runs_b.load(), 1);
    EXPECT_EQ(runs_c.load(), 1);
    EXPECT_TRUE(outcome[0].ok());
    ASSERT_FALSE(outcome[1].ok());
    EXPECT_EQ(outcome[1].error().code, ErrorCode::kAborted);
    EXPECT_TRUE(outcome[2].ok());
  }
  EventQuery q;
  q.visibility.all = true;
  auto page = (*store)->ListEvents(q);
  ASSERT_TRUE(page);
  std::set<std::string> numbers;
  for (const Event& e : page->items) numbers.insert(e.number);
  EXPECT_EQ(numbers,
            (std::set<std::string>{SampleEvent(1, 0).number, SampleEvent(3, 0).number,
                                   SampleEvent(101, 0).number, SampleEvent(103, 0).number}));
}

TEST(SqliteStore, OpenStatusListMatchesTheCore) {
  std::string expected = "(";
  for (int i = 0; i < kEventStatusCount; ++i) {
    const auto s = static_cast<EventStatus>(i);
    if (!IsOpen(s)) continue;
    if (expected.size() > 1) expected += ",";
    expected += "'" + std::string(StatusName(s)) + "'";
  }
  expected += ")";
  EXPECT_EQ(std::string(kSqlOpenStatuses), expected);
  EXPECT_NE(std::string(SqliteMigrations()[1].sql).find(std::string("status IN ") + expected),
            std::string::npos);
}

// Every single filter's first page must come from an index in id order (no sort of all
// matches): the query plan of every arm names the index and has no temporary B-tree.
TEST(SqliteStore, EachListFilterIsAnsweredByAnIndexInOrder) {
  TempDir dir;
  const std::string path = dir.File("plan.db");
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store);
  ASSERT_TRUE(Write(**store, [&](WriteTx& tx) -> Status {
                for (int i = 0; i < 30; ++i) {
                  Event e = SampleEvent(i, kBase + i);
                  if (Status s = tx.InsertEvent(e); !s.ok()) return s;
                }
                return Status::Ok();
              }).ok());
  auto conn = Connection::Open(path, false, 1000);
  ASSERT_TRUE(conn);
  const std::string attach = "ATTACH DATABASE '" + SearchIndexer::FileFor(path) + "' AS search";
  ASSERT_TRUE((*conn)->Exec(attach.c_str(), "attaching").ok());

  struct Case {
    std::string name;
    EventQuery query;
    std::string uses;  // a fragment every arm's plan must contain
  };
  std::vector<Case> cases;
  const auto add = [&](std::string name, std::string uses, auto edit) {
    EventQuery q;
    q.visibility.all = true;
    q.before_id = 1000;
    edit(q);
    cases.push_back({std::move(name), std::move(q), std::move(uses)});
  };
  add("nothing", "INTEGER PRIMARY KEY", [](EventQuery&) {});
  add("status", "events_status", [](EventQuery& q) { q.statuses = {EventStatus::kHandled}; });
  add("statuses", "events_status", [](EventQuery& q) {
    q.statuses = {EventStatus::kReported, EventStatus::kAccepted, EventStatus::kDispatched};
  });
  add("category", "events_category", [](EventQuery& q) { q.category = "0101"; });
  add("category class", "events_category", [](EventQuery& q) { q.category = "01"; });
  add("source", "events_source", [](EventQuery& q) { q.source = EventSource::kCamera; });
  add("department", "events_department", [](EventQuery& q) { q.department_id = 3; });
  add("district", "events_district", [](EventQuery& q) {
    q.region_level = RegionLevel::kDistrict;
    q.region_id = 10;
  });
  add("street", "events_street", [](EventQuery& q) {
    q.region_level = RegionLevel::kStreet;
    q.region_id = 100;
  });
  add("community", "events_community", [](EventQuery& q) {
    q.region_level = RegionLevel::kCommunity;
    q.region_id = 1000;
  });
  add("grid", "events_grid", [](EventQuery& q) { q.grid_id = 10001; });
  add("overdue", "events_overdue", [](EventQuery& q) {
    q.overdue = true;
    q.now = kBase;
  });
  add("text", "event_search", [](EventQuery& q) { q.text = "井盖 manhole"; });
  add("reporter", "events_reporter", [](EventQuery& q) {
    q.visibility = Visibility{false, RegionLevel::kGrid, 0, 0, 500};
  });
  add("visibility", "INDEX events_", [](EventQuery& q) {
    q.visibility = Visibility{false, RegionLevel::kStreet, 101, 22, 500};
  });
  add("grid worker's open work", "INDEX events_", [](EventQuery& q) {
    q.visibility = Visibility{false, RegionLevel::kGrid, 10001, 0, 500};
    q.statuses = {EventStatus::kReported, EventStatus::kAccepted, EventStatus::kDispatched};
    q.category = "01";
  });
  add("department's queue", "events_department", [](EventQuery& q) {
    q.visibility = Visibility{false, RegionLevel::kGrid, 0, 22, 0};
    q.statuses = {EventStatus::kDispatched, EventStatus::kInProgress};
  });
  // Creation times are walked backwards on their index (WalkCreated stops early).
  add("created since", "events_created", [](EventQuery& q) { q.created_from = kBase; });
  add("created range", "events_created", [](EventQuery& q) {
    q.created_from = kBase;
    q.created_to = kBase + 10;
  });
  add("created range and a grid", "events_grid", [](EventQuery& q) {
    q.created_from = kBase;
    q.grid_id = 10001;
  });
  add("updated range and a status", "events_status", [](EventQuery& q) {
    q.updated_to = kBase;
    q.statuses = {EventStatus::kClosed};
  });

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto plan = PlanEventQuery(**conn, c.query);
    ASSERT_TRUE(plan) << plan.error().message;
    ASSERT_FALSE(plan->empty);
    ASSERT_FALSE(plan->arms.empty());
    for (const EventQueryArm& arm : plan->arms) {
      sqlite3_stmt* s = nullptr;
      const std::string sql = "EXPLAIN QUERY PLAN " + arm.sql;
      ASSERT_EQ(sqlite3_prepare_v2((*conn)->db(), sql.c_str(), -1, &s, nullptr), SQLITE_OK)
          << sqlite3_errmsg((*conn)->db());
      std::string detail;
      while (sqlite3_step(s) == SQLITE_ROW) {
        detail += reinterpret_cast<const char*>(sqlite3_column_text(s, 3));
        detail += "; ";
      }
      sqlite3_finalize(s);
      EXPECT_EQ(detail.find("TEMP B-TREE"), std::string::npos) << arm.sql << "\n" << detail;
      EXPECT_EQ(detail.find("SCAN e;"), std::string::npos) << arm.sql << "\n" << detail;
      EXPECT_EQ(detail.find("SCAN e USING"), std::string::npos) << arm.sql << "\n" << detail;
      EXPECT_NE(detail.find(c.uses), std::string::npos) << arm.sql << "\n" << detail;
    }
  }
}

}  // namespace
}  // namespace civicgrid::store_test

namespace civicgrid::store_test {
namespace {

// Inserts `count` events titled "井盖 N" with ids from `first`.
void InsertSearchableEvents(Store& store, EventId first, int count) {
  ASSERT_TRUE(Write(store, [&](WriteTx& tx) -> Status {
                for (int i = 0; i < count; ++i) {
                  Event e = SampleEvent(first + i, kBase + i);
                  e.title = "井盖 " + std::to_string(first + i);
                  if (Status s = tx.InsertEvent(e); !s.ok()) return s;
                }
                return Status::Ok();
              }).ok());
}

std::string CountOf(RawDb& raw, const std::string& what) {
  return raw.Text("SELECT count(*) FROM " + what);
}

std::size_t SearchHits(Store& store, const std::string& text) {
  EventQuery q;
  q.visibility.all = true;
  q.text = text;
  q.limit = 100;
  auto page = store.ListEvents(q);
  EXPECT_TRUE(page);
  return page ? page->items.size() : 0;
}

// The options of a bulk load; an unjournaled one as `civicgrid demo` loads a new database.
SqliteOptions BulkLoad(bool unjournaled) {
  SqliteOptions options;
  options.bulk_load = true;
  options.unjournaled = unjournaled;
  return options;
}

TEST(SqliteStore, BulkLoadBuildsTheDeferredIndexesAtTheEnd) {
  TempDir dir;
  const std::string path = dir.File("bulk.db");
  std::string indexes_before;
  {
    auto plain = SqliteStore::Open(path);
    ASSERT_TRUE(plain);
    InsertSearchableEvents(**plain, 1, 3);  // searchable before the load
  }
  {
    RawDb raw(path);
    indexes_before = CountOf(raw, "sqlite_schema WHERE type = 'index'");
  }
  const SqliteOptions bulk = BulkLoad(/*unjournaled=*/false);
  auto store = SqliteStore::Open(path, bulk);
  ASSERT_TRUE(store);
  {
    RawDb raw(path);
    EXPECT_EQ(CountOf(raw, "sqlite_schema WHERE type = 'index' AND name = 'events_status'"), "0");
    EXPECT_EQ(CountOf(raw, "deferred_indexes WHERE name = 'events_status'"), "1");
  }
  InsertSearchableEvents(**store, 4, 5);
  std::vector<double> fractions;
  std::vector<std::string> stages;
  ASSERT_TRUE((*store)
                  ->FinishBulkLoad([&](std::string_view stage, double f) {
                    if (stage == "indexes") fractions.push_back(f);
                    if (stages.empty() || stages.back() != stage) stages.emplace_back(stage);
                  })
                  .ok());
  // The b-tree indexes, then the search index's tail; each stage ends at 1.
  EXPECT_EQ(stages, (std::vector<std::string>{"indexes", "search index"}));
  ASSERT_FALSE(fractions.empty());
  EXPECT_EQ(fractions.back(), 1.0);
  RawDb raw(path);
  EXPECT_EQ(CountOf(raw, "sqlite_schema WHERE type = 'index'"), indexes_before);
  EXPECT_EQ(CountOf(raw, "deferred_indexes"), "0");
  // Every event is found once: those from before the load are not indexed twice.
  EXPECT_EQ(SearchHits(**store, "井盖"), 8u);
  // After the load, new events are searchable at once again.
  InsertSearchableEvents(**store, 9, 1);
  EXPECT_EQ(SearchHits(**store, "井盖"), 9u);
}

// The writer reads its state at the start of every transaction. Were one of those reads a scan
// (its index deferred), a load would slow down as the table grows: a bulk load of 1,000,000
// events spent a third of its time so.
TEST(SqliteStore, DuringABulkLoadTheWritersPerTransactionReadsAreIndexSeeks) {
  TempDir dir;
  const std::string path = dir.File("seeks.db");
  const SqliteOptions bulk = BulkLoad(/*unjournaled=*/true);
  auto store = SqliteStore::Open(path, bulk);
  ASSERT_TRUE(store);
  InsertSearchableEvents(**store, 1, 20);
  (*store)->Drain();
  RawDb raw(path);
  ASSERT_NE(CountOf(raw, "deferred_indexes"), "0");  // the load has deferred its indexes
  for (std::string_view query : SqliteWriteTx::kStateQueries) {
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(
        sqlite3_prepare_v2(raw.db(), query.data(), static_cast<int>(query.size()), &s, nullptr),
        SQLITE_OK)
        << sqlite3_errmsg(raw.db());
    EXPECT_EQ(sqlite3_step(s), SQLITE_ROW) << query;
    // Rows stepped over in a full scan: none for a seek, every event for a scan of events.
    EXPECT_EQ(sqlite3_stmt_status(s, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0), 0) << query;
    sqlite3_finalize(s);
  }
  ASSERT_TRUE((*store)->FinishBulkLoad(nullptr).ok());
}

TEST(SqliteStore, ABulkLoadRefusesToFinishWithDanglingReferences) {
  TempDir dir;
  const SqliteOptions bulk = BulkLoad(/*unjournaled=*/false);
  auto store = SqliteStore::Open(dir.File("dangling.db"), bulk);
  ASSERT_TRUE(store);
  Event ghost = SampleEvent(77, kBase);  // never inserted
  ASSERT_TRUE(
      Write(**store, [&](WriteTx& tx) { return tx.AppendHistory(SampleHistory(ghost, 1)); }).ok());
  Status finished = (*store)->FinishBulkLoad(nullptr);
  ASSERT_FALSE(finished.ok());
  EXPECT_EQ(finished.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(finished.error().message.find("foreign_key_check"), std::string::npos);
}

TEST(SqliteStore, AnInterruptedBulkLoadIsFinishedAtTheNextOpen) {
  TempDir dir;
  const std::string path = dir.File("interrupted.db");
  {
    const SqliteOptions bulk = BulkLoad(/*unjournaled=*/false);
    auto store = SqliteStore::Open(path, bulk);
    ASSERT_TRUE(store);
    InsertSearchableEvents(**store, 1, 4);
  }  // closed without FinishBulkLoad, as a crash would leave it
  {
    RawDb raw(path);
    EXPECT_NE(CountOf(raw, "deferred_indexes"), "0");
  }
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store);
  RawDb raw(path);
  EXPECT_EQ(CountOf(raw, "deferred_indexes"), "0");
  EXPECT_EQ(CountOf(raw, "sqlite_schema WHERE type = 'index' AND name = 'events_status'"), "1");
  EXPECT_EQ(SearchHits(**store, "井盖"), 4u);
}

TEST(SqliteStore, AnUnjournaledBulkLoadEndsInWalWithItsIndexesAndTriggers) {
  TempDir dir;
  const std::string path = dir.File("unjournaled.db");
  const SqliteOptions bulk = BulkLoad(/*unjournaled=*/true);
  auto store = SqliteStore::Open(path, bulk);
  ASSERT_TRUE(store);
  {
    RawDb raw(path);
    EXPECT_EQ(raw.Text("PRAGMA journal_mode"), "delete");  // not WAL: no journal at all
    EXPECT_EQ(CountOf(raw, "store_meta WHERE key = 'unjournaled_load'"), "1");
    // The per-row lookup of the history trigger is deferred with the indexes.
    EXPECT_EQ(CountOf(raw, "sqlite_schema WHERE name = 'event_history_no_replace'"), "0");
    EXPECT_EQ(CountOf(raw, "deferred_indexes WHERE name = 'event_history_no_replace'"), "1");
  }
  InsertSearchableEvents(**store, 1, 5);
  ASSERT_TRUE((*store)->FinishBulkLoad(nullptr).ok());
  RawDb raw(path);
  EXPECT_EQ(raw.Text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(CountOf(raw, "store_meta WHERE key = 'unjournaled_load'"), "0");
  EXPECT_EQ(CountOf(raw, "sqlite_schema WHERE name = 'event_history_no_replace'"), "1");
  EXPECT_EQ(CountOf(raw, "deferred_indexes"), "0");
  EXPECT_EQ(raw.Text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(SearchHits(**store, "井盖"), 5u);
  // The trigger is live again: a history row cannot be replaced.
  const std::string row =
      " INTO event_history(event_id, seq, action, at, from_status, to_status) "
      "VALUES (1, 99, 'comment', 0, 'reported', 'reported')";
  ASSERT_EQ(sqlite3_exec(raw.db(), ("INSERT" + row).c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(raw.db(), ("INSERT OR REPLACE" + row).c_str(), nullptr, nullptr, nullptr),
            SQLITE_OK);
}

TEST(SqliteStore, AnUnfinishedUnjournaledLoadIsRefusedAtTheNextOpen) {
  TempDir dir;
  const std::string path = dir.File("unfinished.db");
  {
    const SqliteOptions bulk = BulkLoad(/*unjournaled=*/true);
    auto store = SqliteStore::Open(path, bulk);
    ASSERT_TRUE(store);
    InsertSearchableEvents(**store, 1, 4);
  }  // closed without FinishBulkLoad, as a crash would leave it
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(store.error().message.find("make it again"), std::string::npos);
}

}  // namespace
}  // namespace civicgrid::store_test
