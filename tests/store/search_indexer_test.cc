// The search index in its own file (store/sqlite/search_indexer.h): built from the events table
// when it is missing, never trusted when it belongs to another store or holds events the store
// does not, complete after a clean close, and every acknowledged event searchable at once.
#include "store/sqlite/search_indexer.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "store_test_support.h"

namespace civicgrid::store_test {
namespace {

constexpr TimeMs kBase = 1'790'000'000'000;

std::unique_ptr<SqliteStore> OpenStore(const std::string& path) {
  auto store = SqliteStore::Open(path);
  EXPECT_TRUE(store) << store.error().message;
  return store ? std::move(*store) : nullptr;
}

// Inserts one event per title (one unit); returns their ids.
std::vector<EventId> InsertTitled(SqliteStore& store, const std::vector<std::string>& titles) {
  static int serial = 0;  // SampleEvent's number follows it: unique per store
  std::vector<EventId> ids;
  const Status s = Write(store, [&](WriteTx& tx) -> Status {
    ids.clear();
    for (std::size_t i = 0; i < titles.size(); ++i) {
      Event e = SampleEvent(++serial, kBase);
      e.title = titles[i];
      e.description = "请处理";
      if (Status st = tx.InsertEvent(e); !st.ok()) return st;
      ids.push_back(e.id);
    }
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.error().message;
  return ids;
}

// Opens the store at `path`, inserts the titles (one unit) and closes it cleanly (checkpointed:
// the file alone is the store, and its search file is complete); returns the events' ids.
std::vector<EventId> InsertTitledAndClose(const std::string& path,
                                          const std::vector<std::string>& titles) {
  auto store = OpenStore(path);
  if (!store) return {};
  auto ids = InsertTitled(*store, titles);
  EXPECT_TRUE(store->Close().ok());
  return ids;
}

// The ids a text search lists, ascending.
std::vector<EventId> Search(SqliteStore& store, const std::string& text) {
  EventQuery q;
  q.visibility.all = true;
  q.text = text;
  q.limit = 500;
  auto page = store.ListEvents(q);
  EXPECT_TRUE(page) << page.error().message;
  std::vector<EventId> ids;
  if (page) {
    for (const Event& e : page->items) ids.push_back(e.id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// The first column of the first row of `sql` on the database file at `path`.
std::int64_t QueryInt(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &s, nullptr), SQLITE_OK) << sql;
  std::int64_t out = -1;
  if (sqlite3_step(s) == SQLITE_ROW) out = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

void RemoveSearchFile(const std::string& store_path) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(SearchIndexer::FileFor(store_path) + suffix);
  }
}

TEST(SearchIndexer, EveryAcknowledgedEventIsSearchableAtOnce) {
  TempDir dir;
  auto store = OpenStore(dir.File("a.db"));
  ASSERT_TRUE(store);
  for (int round = 0; round < 50; ++round) {
    const std::string word = "井盖" + std::to_string(round) + "号";
    const auto ids = InsertTitled(*store, {word});
    ASSERT_EQ(Search(*store, word), ids) << round;
  }
  EXPECT_TRUE(std::filesystem::exists(SearchIndexer::FileFor(dir.File("a.db"))));
}

TEST(SearchIndexer, AMissingIndexIsBuiltFromTheEventsAtStart) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  std::vector<EventId> manholes;
  {
    auto store = OpenStore(path);
    ASSERT_TRUE(store);
    std::vector<std::string> titles;
    for (int i = 0; i < 3000; ++i) titles.push_back(i % 3 == 0 ? "井盖缺失" : "路灯不亮");
    const auto ids = InsertTitled(*store, titles);
    for (std::size_t i = 0; i < ids.size(); i += 3) manholes.push_back(ids[i]);
    ASSERT_TRUE(store->Close().ok());
  }
  RemoveSearchFile(path);
  auto store = OpenStore(path);
  ASSERT_TRUE(store);
  // A search at once waits for the catch-up instead of answering from half an index.
  EventQuery q;
  q.visibility.all = true;
  q.text = "井盖";
  q.limit = 5;
  auto first = store->ListEvents(q);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->items.size(), 5u);
  EXPECT_EQ(first->items[0].id, manholes.back());
  EXPECT_EQ(Search(*store, "路灯").size(), 500u);  // the page limit: there are 2,000
  // Events reported while and after it catches up are searchable too.
  const auto later = InsertTitled(*store, {"井盖松动"});
  EXPECT_EQ(Search(*store, "松动"), later);
}

TEST(SearchIndexer, AnotherStoresIndexIsNeverTrusted) {
  TempDir dir;
  const std::string a = dir.File("a.db");
  const std::string b = dir.File("b.db");
  InsertTitledAndClose(a, {"井盖缺失", "噪音扰民"});
  const std::vector<EventId> b_ids = InsertTitledAndClose(b, {"路灯不亮", "垃圾满溢"});
  // b's search file replaced by a's: same event ids, other text.
  RemoveSearchFile(b);
  std::filesystem::copy_file(SearchIndexer::FileFor(a), SearchIndexer::FileFor(b));
  auto store = OpenStore(b);
  ASSERT_TRUE(store);
  EXPECT_TRUE(Search(*store, "井盖").empty());
  EXPECT_TRUE(Search(*store, "噪音").empty());
  EXPECT_EQ(Search(*store, "路灯"), std::vector<EventId>{b_ids[0]});
  EXPECT_EQ(Search(*store, "垃圾"), std::vector<EventId>{b_ids[1]});
}

TEST(SearchIndexer, AnIndexAheadOfARestoredStoreIsBuiltAgain) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  const std::string backup = dir.File("backup.db");
  InsertTitledAndClose(path, {"路灯不亮"});
  std::filesystem::copy_file(path, backup);
  InsertTitledAndClose(path, {"火星基地", "火星基地"});
  // The store goes back to the backup; the search file holds two events the store lacks, whose
  // ids the next reports take.
  std::filesystem::copy_file(backup, path, std::filesystem::copy_options::overwrite_existing);
  auto store = OpenStore(path);
  ASSERT_TRUE(store);
  const auto fresh = InsertTitled(*store, {"垃圾满溢", "垃圾满溢"});
  EXPECT_TRUE(Search(*store, "火星").empty());
  EXPECT_EQ(Search(*store, "垃圾"), fresh);
  EXPECT_EQ(Search(*store, "路灯").size(), 1u);
}

TEST(SearchIndexer, ASearchWhileTheIndexIsBuiltIsRefusedAsUnavailable) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  InsertTitledAndClose(path, std::vector<std::string>(20'000, "井盖缺失"));
  RemoveSearchFile(path);
  SqliteOptions impatient;
  impatient.search_wait_ms = 0;  // indexing 20,000 events takes far longer than that
  auto store = SqliteStore::Open(path, impatient);
  ASSERT_TRUE(store) << store.error().message;
  EventQuery q;
  q.visibility.all = true;
  q.text = "井盖";
  auto refused = (*store)->ListEvents(q);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(refused.error().reason, "search_index_building");
  EXPECT_EQ(refused.error().field, "q");
  EXPECT_EQ((*store)->search_index_state(), "building");  // what /readyz reports
  // Other lists do not wait for it.
  q.text.clear();
  EXPECT_TRUE((*store)->ListEvents(q));
  // Once built, it says so.
  q.text = "井盖";
  while (!(*store)->ListEvents(q)) std::this_thread::yield();
  EXPECT_EQ((*store)->search_index_state(), "ready");
}

TEST(SearchIndexer, AStopDuringTheCatchUpLeavesTheRestForTheNextStart) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  const auto old = InsertTitledAndClose(path, std::vector<std::string>(12'000, "井盖缺失"));
  ASSERT_FALSE(old.empty());
  const EventId last_old = old.back();  // indexed last by a catch-up, which goes in id order
  RemoveSearchFile(path);
  EventId newest = 0;
  {
    // Closed while the catch-up is in its first chunks, with a newer event handed over.
    auto store = OpenStore(path);
    ASSERT_TRUE(store);
    newest = InsertTitled(*store, {"井盖松动"}).front();
    ASSERT_TRUE(store->Close().ok());
  }
  auto store = OpenStore(path);
  ASSERT_TRUE(store);
  EventQuery q;
  q.visibility.all = true;
  q.text = "井盖";
  q.before_id = last_old + 1;
  auto page = store->ListEvents(q);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_FALSE(page->items.empty());
  EXPECT_EQ(page->items[0].id, last_old) << "the catch-up's last event is not searchable";
  EXPECT_EQ(Search(*store, "松动"), std::vector<EventId>{newest});
}

TEST(SearchIndexer, ACleanCloseLeavesTheIndexComplete) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  {
    auto store = OpenStore(path);
    ASSERT_TRUE(store);
    for (int i = 0; i < 20; ++i) {
      store->Submit(
          [i](WriteTx& tx) -> Status {
            Event e = SampleEvent(100'000 + i, kBase);
            e.title = "井盖缺失";
            return tx.InsertEvent(e);
          },
          nullptr);
    }
    ASSERT_TRUE(store->Close().ok());
  }
  const std::int64_t last = QueryInt(path, "SELECT max(id) FROM events");
  EXPECT_GT(last, 0);
  EXPECT_EQ(QueryInt(SearchIndexer::FileFor(path),
                     "SELECT value FROM search_meta WHERE key = 'indexed_through'"),
            last);
}

}  // namespace
}  // namespace civicgrid::store_test
