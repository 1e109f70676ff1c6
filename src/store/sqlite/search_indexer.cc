#include "store/sqlite/search_indexer.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "store/search_text.h"

namespace civicgrid {
namespace {

// Bigram tokens of folded text (search_text.h); no stored copy of the text (content=''), no
// column sizes: matching and rowid order are all that is asked of it.
constexpr const char* kCreateIndex =
    "CREATE VIRTUAL TABLE IF NOT EXISTS event_search USING fts5("
    "title, description, content='', columnsize=0, detail=full, "
    "tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M* P* S*'\")";

// How much FTS5 gathers in memory before it writes a segment (1 MiB by default): an indexer
// transaction of thousands of events then makes one segment instead of dozens to merge later,
// which took a quarter off the cost per event (30 -> 22 µs in a 200,000-event trial).
constexpr const char* kPendingSize =
    "INSERT INTO event_search(event_search, rank) VALUES ('hashsize', 67108864)";

constexpr const char* kCreateMeta =
    "CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) "
    "WITHOUT ROWID";

Status PutMeta(Connection& c, std::string_view key, std::int64_t value) {
  auto stmt = c.Prepare(
      "INSERT INTO search_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = "
      "excluded.value");
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  s.Bind(1, key);
  s.Bind(2, value);
  if (const int rc = s.Step(); rc != SQLITE_DONE) {
    return SqliteError(c.db(), rc, "recording the search index's state");
  }
  return Status::Ok();
}

}  // namespace

std::string SearchIndexer::FileFor(const std::string& store_path) { return store_path + "-search"; }

SearchIndexer::SearchIndexer(std::unique_ptr<Connection> search, std::string store_path,
                             int busy_timeout_ms)
    : search_(std::move(search)),
      store_path_(std::move(store_path)),
      busy_timeout_ms_(busy_timeout_ms) {}

SearchIndexer::~SearchIndexer() { (void)Stop(); }

Result<std::unique_ptr<SearchIndexer>> SearchIndexer::Start(const std::string& store_path,
                                                            Connection& store, int busy_timeout_ms,
                                                            bool yielding) {
  auto search = Connection::Open(FileFor(store_path), /*create=*/true, busy_timeout_ms);
  if (!search) return search.error();
  Connection& c = **search;
  auto mode = c.QueryText("PRAGMA journal_mode = WAL");
  if (!mode) return mode.error();
  if (*mode != "wal") {
    return Fail(ErrorCode::kUnavailable, "the search index cannot use WAL (" + *mode + ")");
  }
  // A crash of the process loses nothing committed; a power loss may lose the last commits,
  // which the next start indexes again.
  if (Status s = c.Exec("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536",
                        "opening the "
                        "search index");
      !s.ok()) {
    return s.error();
  }
  if (Status s = c.Exec(kCreateMeta, "creating the search index"); !s.ok()) return s.error();
  if (Status s = c.Exec(kCreateIndex, "creating the search index"); !s.ok()) return s.error();
  if (Status s = c.Exec(kPendingSize, "configuring the search index"); !s.ok()) return s.error();

  auto store_id =
      store.QueryInt("SELECT coalesce((SELECT value FROM store_meta WHERE key = 'store_id'), 0)");
  if (!store_id) return store_id.error();
  auto store_max = store.QueryInt("SELECT coalesce(max(id), 0) FROM events");
  if (!store_max) return store_max.error();
  auto owner =
      c.QueryInt("SELECT coalesce((SELECT value FROM search_meta WHERE key = 'store_id'), -1)");
  if (!owner) return owner.error();
  auto indexed = c.QueryInt(
      "SELECT coalesce((SELECT value FROM search_meta WHERE key = 'indexed_through'), 0)");
  if (!indexed) return indexed.error();
  if (*owner != *store_id || *indexed > *store_max) {
    // Another store's index, or one holding events this store does not have (restored from an
    // older copy, or its last commits lost): its entries cannot be trusted; start afresh.
    Status s = InTransaction(c, "starting the search index afresh", [&]() -> Status {
      if (Status d = c.Exec("DROP TABLE IF EXISTS event_search", "dropping the search index");
          !d.ok()) {
        return d;
      }
      if (Status d = c.Exec(kCreateIndex, "creating the search index"); !d.ok()) return d;
      if (Status d = c.Exec(kPendingSize, "configuring the search index"); !d.ok()) return d;
      if (Status d = PutMeta(c, "store_id", *store_id); !d.ok()) return d;
      return PutMeta(c, "indexed_through", 0);
    });
    if (!s.ok()) return s.error();
    *indexed = 0;
  }

  std::unique_ptr<SearchIndexer> indexer(
      new SearchIndexer(std::move(*search), store_path, busy_timeout_ms));
  indexer->yielding_ = yielding;
  indexer->indexed_through_ = *indexed;
  indexer->catch_up_through_ = *store_max;
  indexer->handed_through_ = *store_max;
  SearchIndexer* raw = indexer.get();
  indexer->thread_ = std::thread([raw] { raw->Loop(); });
  return indexer;
}

void SearchIndexer::Hand(std::vector<Text> texts) {
  if (texts.empty()) return;
  std::unique_lock lock(mu_);
  const std::size_t bound = yielding_ ? kMaxQueuedYielding : kMaxQueued;
  done_cv_.wait(lock, [&] { return queue_.size() < bound || !failed_.ok(); });
  handed_through_ = std::max(handed_through_, texts.back().id);
  // After a failure nothing is indexed until the next start, which catches up from the events.
  if (!failed_.ok()) return;
  const bool was_empty = queue_.empty();
  for (Text& t : texts) queue_.push_back(std::move(t));
  const bool wake = was_empty || queue_.size() >= kMaxPerTransaction;
  lock.unlock();
  if (wake) work_cv_.notify_one();
}

Status SearchIndexer::WaitCaughtUp(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  const std::int64_t target = handed_through_;
  const auto done = [&] { return indexed_through_ >= target || !failed_.ok(); };
  bool caught_up = done();
  if (!caught_up) {
    ++searches_waiting_;
    work_cv_.notify_one();  // no more gathering: index what is there
    caught_up = done_cv_.wait_for(lock, timeout, done);
    --searches_waiting_;
  }
  if (!failed_.ok()) {
    return Fail(
        ErrorCode::kUnavailable,
        "the search index is out of order until the server restarts: " + failed_.error().message,
        "q", "search_unavailable");
  }
  if (!caught_up) {
    return Fail(ErrorCode::kUnavailable,
                "the search index is being built (events up to id " +
                    std::to_string(indexed_through_) + " of " + std::to_string(target) +
                    " are searchable); try again shortly",
                "q", "search_index_building");
  }
  return Status::Ok();
}

double SearchIndexer::IndexedFraction() const {
  std::lock_guard lock(mu_);
  if (handed_through_ <= 0 || indexed_through_ >= handed_through_) return 1.0;
  return static_cast<double>(indexed_through_) / static_cast<double>(handed_through_);
}

SearchIndexer::State SearchIndexer::state() const {
  std::lock_guard lock(mu_);
  if (!failed_.ok()) return State::kFailed;
  return indexed_through_ >= catch_up_through_ ? State::kReady : State::kBuilding;
}

Status SearchIndexer::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  search_.reset();  // checkpoints the file and removes its WAL
  std::lock_guard lock(mu_);
  return failed_;
}

void SearchIndexer::Loop() {
  if (yielding_) {
    // Linux: the nice value is per thread. Where it cannot be lowered nothing else changes.
    (void)setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kYieldingNice);
  }
  Status s = CatchUp();
  {
    std::lock_guard lock(mu_);
    // Stopped before the catch-up was done: what was handed over lies above ids not indexed yet,
    // and indexing it would record those as done. The next start goes on from here.
    if (s.ok() && indexed_through_ < catch_up_through_) return;
  }
  std::vector<Text> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (!s.ok() && failed_.ok()) {
        failed_ = s;
        queue_.clear();
        done_cv_.notify_all();
      }
      work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      // FTS5 writes a segment per transaction and merges segments as they pile up: a few large
      // transactions cost far less per event than many small ones. So gather a while, unless a
      // search waits.
      work_cv_.wait_for(lock, kGather, [&] {
        return stopping_ || searches_waiting_ > 0 || queue_.size() >= kMaxPerTransaction;
      });
      const std::size_t n = std::min(queue_.size(), kMaxPerTransaction);
      batch.assign(std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(n)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    }
    done_cv_.notify_all();  // room in the queue for a waiting Hand
    s = Index(batch);
  }
}

Status SearchIndexer::CatchUp() {
  std::int64_t after;
  std::int64_t through;
  {
    std::lock_guard lock(mu_);
    after = indexed_through_;
    through = catch_up_through_;
  }
  if (after >= through) return Status::Ok();
  auto store = Connection::Open(store_path_, /*create=*/false, busy_timeout_ms_);
  if (!store) return store.error();
  if (Status s = (*store)->Exec("PRAGMA query_only = ON", "reading events to index"); !s.ok()) {
    return s;
  }
  auto read = (*store)->Prepare(
      "SELECT id, title, description FROM events WHERE id > ? AND id <= ? ORDER BY id LIMIT ?");
  if (!read) return read.error();
  std::vector<Text> chunk;
  while (after < through) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return Status::Ok();  // the next start goes on from here
    }
    chunk.clear();
    {
      Stmt s(*read);
      s.Bind(1, after);
      s.Bind(2, through);
      s.Bind(3, static_cast<std::int64_t>(kCatchUpChunk));
      int rc;
      while ((rc = s.Step()) == SQLITE_ROW) {
        chunk.push_back(Text{s.Int(0), std::string(s.Text(1)), std::string(s.Text(2))});
      }
      if (rc != SQLITE_DONE) return SqliteError((*store)->db(), rc, "reading events to index");
    }
    if (chunk.empty()) break;
    if (Status s = Index(chunk); !s.ok()) return s;
    after = chunk.back().id;
  }
  if (after >= through) return Status::Ok();
  // No event is left in the range (the largest id at Start was deleted meanwhile): nothing to
  // index up to `through`.
  Status s = InTransaction(*search_, "indexing event text",
                           [&] { return PutMeta(*search_, "indexed_through", through); });
  if (!s.ok()) return s;
  {
    std::lock_guard lock(mu_);
    indexed_through_ = through;
  }
  done_cv_.notify_all();
  return Status::Ok();
}

Status SearchIndexer::Index(const std::vector<Text>& texts) {
  if (texts.empty()) return Status::Ok();
  Connection& c = *search_;
  std::int64_t last = 0;
  Status s = InTransaction(c, "indexing event text", [&]() -> Status {
    auto insert = c.Prepare("INSERT INTO event_search(rowid, title, description) VALUES (?,?,?)");
    if (!insert) return insert.error();
    std::string title;
    std::string description;
    for (const Text& t : texts) {
      title.clear();
      description.clear();
      AppendFoldedSearchText(title, t.title);
      AppendFoldedSearchText(description, t.description);
      Stmt row(*insert);
      row.Bind(1, t.id);
      row.Bind(2, title);
      row.Bind(3, description);
      if (const int rc = row.Step(); rc != SQLITE_DONE) {
        return SqliteError(c.db(), rc, "indexing event text");
      }
      last = t.id;
    }
    return last == 0 ? Status::Ok() : PutMeta(c, "indexed_through", last);
  });
  if (!s.ok()) return s;
  if (last != 0) {
    {
      std::lock_guard lock(mu_);
      indexed_through_ = last;
    }
    done_cv_.notify_all();
  }
  return Status::Ok();
}

}  // namespace civicgrid
