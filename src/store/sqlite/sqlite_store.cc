#include "store/sqlite/sqlite_store.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "store/row_codec.h"
#include "store/sqlite/audit_row.h"
#include "store/sqlite/bulk_load.h"
#include "store/sqlite/event_query.h"
#include "store/sqlite/event_row.h"
#include "store/sqlite/identity_query.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/search_indexer.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_write_tx.h"
#include "store/sqlite/user_row.h"
#include "store/sqlite/wal_syncer.h"

namespace civicgrid {
namespace {

struct Unit {
  WriteWork work;
  WriteDone done;
};

Status Pragma(Connection& c, const std::string& sql) { return c.Exec(sql.c_str(), sql); }

// Brings the schema of the write connection's database to the current version.
Status Migrate(Connection& c) {
  auto version = c.QueryInt("PRAGMA user_version");
  if (!version) return version.error();
  const int latest = SqliteStore::SchemaVersion();
  if (*version > latest) {
    return Fail(ErrorCode::kFailedPrecondition,
                "database schema version " + std::to_string(*version) +
                    " is newer than this civicgrid (" + std::to_string(latest) +
                    "); upgrade civicgrid");
  }
  for (const SqliteMigration& m : SqliteMigrations()) {
    if (m.version <= *version) continue;
    const std::string doing = "migrating the schema to version " + std::to_string(m.version);
    if (Status s = c.Exec("BEGIN IMMEDIATE", doing); !s.ok()) return s;
    Status s = c.Exec(m.sql, doing);
    if (s.ok() && m.backfill != nullptr) s = m.backfill(c);
    if (s.ok()) s = Pragma(c, "PRAGMA user_version = " + std::to_string(m.version));
    if (s.ok()) s = c.Exec("COMMIT", doing);
    if (!s.ok()) {
      (void)c.Exec("ROLLBACK", doing);
      return s;
    }
  }
  return Status::Ok();
}

// What a bulk load's write connection caches: most of a demo city's indexes, so that their
// builds sort in memory and the loaded rows are written out once.
constexpr std::int64_t kBulkLoadCacheKib = 1024 * 1024;

Status Configure(Connection& c, const SqliteOptions& o, bool writer) {
  if (writer) {
    // Only takes effect on a new database (before its first table).
    const std::string page_size = "PRAGMA page_size = " + std::to_string(o.page_size);
    if (Status s = c.Exec(page_size.c_str(), "setting the page size"); !s.ok()) return s;
    auto mode = c.QueryText("PRAGMA journal_mode = WAL");
    if (!mode) return mode.error();
    if (*mode != "wal") {
      return Fail(ErrorCode::kUnavailable,
                  "the database cannot use WAL (journal mode " + *mode + ")");
    }
  }
  const bool bulk = writer && o.bulk_load;
  const std::int64_t cache_kib = bulk ? std::max(o.writer_cache_kib, kBulkLoadCacheKib)
                                      : (writer ? o.writer_cache_kib : o.reader_cache_kib);
  // The writer keeps temp_store at its default (FILE): statement journals then spill to a file
  // after 64 KiB, while an in-memory statement journal is walked from its start at the end of
  // every statement, which makes a large unit (a savepoint around thousands of inserts) quadratic.
  const std::string pragmas =
      // A bulk load checks its references once at the end (BuildDeferredIndexes) instead.
      std::string(writer && o.bulk_load ? "PRAGMA foreign_keys = OFF; "
                                        : "PRAGMA foreign_keys = ON; ") +
      "PRAGMA recursive_triggers = ON; " + (writer ? "" : "PRAGMA temp_store = MEMORY; ") +
      "PRAGMA synchronous = " +
      (bulk                                   ? "OFF"
       : o.sync == SqliteOptions::Sync::kFull ? "FULL"
                                              : "NORMAL") +
      "; PRAGMA cache_size = -" + std::to_string(cache_kib) +
      "; PRAGMA mmap_size = " + std::to_string(o.mmap_bytes) + ";" +
      (writer ? " PRAGMA journal_size_limit = 67108864;" : " PRAGMA query_only = ON;");
  return c.Exec(pragmas.c_str(), "configuring the connection");
}

Unexpected<Error> Closed() { return Fail(ErrorCode::kUnavailable, "the store is closed"); }

}  // namespace

struct SqliteStore::Impl {
  SqliteOptions options;
  std::unique_ptr<Connection> writer;
  std::unique_ptr<SqliteWriteTx> tx;
  std::unique_ptr<SearchIndexer> search;  // gets the text of each commit's new events
  std::unique_ptr<WalSyncer> syncer;      // acknowledges each commit's units
  std::vector<std::unique_ptr<Connection>> readers;

  std::mutex pool_mu;
  std::condition_variable pool_cv;
  std::vector<Connection*> free_readers;  // guarded by pool_mu
  bool closed = false;                    // guarded by pool_mu

  std::mutex mu;
  std::condition_variable work_cv;     // the writer waits for units
  std::condition_variable drained_cv;  // Drain waits for completions
  std::vector<Unit> queue;             // guarded by mu
  bool stopping = false;               // guarded by mu
  std::uint64_t submitted = 0;         // guarded by mu
  std::uint64_t completed = 0;         // guarded by mu
  WriterStats stats;                   // guarded by mu
  std::thread thread;

  // Checkpoints run on their own thread and connection, so that the writer does not wait for
  // them (the fsync of the database file above all): the writer's WAL hook asks for one when the
  // WAL has grown by wal_autocheckpoint_pages. If the WAL still grows to four times that (the
  // background checkpoint cannot finish while commits keep coming), the writer checkpoints
  // between transactions itself, which lets the next transaction start the WAL over.
  std::unique_ptr<Connection> checkpointer;
  std::thread checkpoint_thread;
  std::mutex checkpoint_mu;
  std::condition_variable checkpoint_cv;
  bool checkpoint_wanted = false;  // guarded by checkpoint_mu
  bool checkpoint_stop = false;    // guarded by checkpoint_mu
  std::atomic<int> wal_pages{0};

  static int OnWalCommit(void* arg, sqlite3* /*db*/, const char* /*schema*/, int pages) {
    auto* d = static_cast<Impl*>(arg);
    d->wal_pages.store(pages, std::memory_order_relaxed);
    if (pages >= d->options.wal_autocheckpoint_pages && d->options.wal_autocheckpoint_pages > 0) {
      {
        std::lock_guard lock(d->checkpoint_mu);
        d->checkpoint_wanted = true;
      }
      d->checkpoint_cv.notify_one();
    }
    return SQLITE_OK;
  }
  void CheckpointLoop() {
    for (;;) {
      {
        std::unique_lock lock(checkpoint_mu);
        checkpoint_cv.wait(lock, [&] { return checkpoint_wanted || checkpoint_stop; });
        if (checkpoint_stop) return;
        checkpoint_wanted = false;
      }
      // Busy (another checkpoint) or failing: the next commit asks again.
      (void)sqlite3_wal_checkpoint_v2(checkpointer->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                      nullptr, nullptr);
    }
  }
  void CheckpointIfWalIsLarge() {
    const int limit = options.wal_autocheckpoint_pages;
    if (limit <= 0 || wal_pages.load(std::memory_order_relaxed) < 4 * limit) return;
    int log = 0;
    int done = 0;
    if (sqlite3_wal_checkpoint_v2(writer->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done) ==
        SQLITE_OK) {
      wal_pages.store(log - done, std::memory_order_relaxed);
    }
  }

  // A read connection for the lifetime of the lease.
  class Lease {
   public:
    explicit Lease(Impl& impl) : impl_(impl) {
      std::unique_lock lock(impl_.pool_mu);
      impl_.pool_cv.wait(lock, [&] { return impl_.closed || !impl_.free_readers.empty(); });
      if (impl_.closed) return;
      conn_ = impl_.free_readers.back();
      impl_.free_readers.pop_back();
    }
    ~Lease() {
      if (conn_ == nullptr) return;
      {
        std::lock_guard lock(impl_.pool_mu);
        impl_.free_readers.push_back(conn_);
      }
      impl_.pool_cv.notify_all();
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection* get() const { return conn_; }

   private:
    Impl& impl_;
    Connection* conn_ = nullptr;
  };

  void WriterLoop();
  // Hands units [begin, end) of `batch` to the syncer, which calls their `done` (Ok results once
  // their commit is durable) and then counts them as completed.
  void Acknowledge(std::vector<Unit>& batch, std::size_t begin, std::size_t end,
                   std::vector<Status>& results);
  enum class UnitOutcome : std::uint8_t { kDone, kNeedsReplay, kTransactionLost };
  UnitOutcome RunUnit(std::vector<Unit>& batch, std::size_t i, bool savepoint,
                      std::vector<Status>& results);
  std::size_t RunTransaction(std::vector<Unit>& batch, std::size_t begin,
                             std::vector<Status>& results);
  Status Exec(std::string_view sql) { return writer->Run(sql); }
};

void SqliteStore::Impl::WriterLoop() {
  std::vector<Unit> batch;
  std::vector<Status> results;
  const auto max_batch = static_cast<std::size_t>(std::max(1, options.max_batch));
  for (;;) {
    {
      std::unique_lock lock(mu);
      work_cv.wait(lock, [&] { return stopping || !queue.empty(); });
      if (queue.empty()) return;  // stopping, and everything is done
      if (queue.size() <= max_batch) {
        batch.swap(queue);
      } else {
        const auto end = queue.begin() + static_cast<std::ptrdiff_t>(max_batch);
        batch.assign(std::make_move_iterator(queue.begin()), std::make_move_iterator(end));
        queue.erase(queue.begin(), end);
      }
    }
    // After a failed fsync nothing written can be promised any more.
    if (Status failed = syncer->failure(); !failed.ok()) {
      results.assign(batch.size(), failed);
      Acknowledge(batch, 0, batch.size(), results);
      batch.clear();
      continue;
    }
    results.assign(batch.size(), Status::Ok());
    for (std::size_t begin = 0; begin < batch.size();) {
      const std::size_t end = RunTransaction(batch, begin, results);
      {
        std::lock_guard lock(mu);
        stats.transactions += 1;
      }
      Acknowledge(batch, begin, end, results);
      begin = end;
      CheckpointIfWalIsLarge();
    }
    batch.clear();
  }
}

void SqliteStore::Impl::Acknowledge(std::vector<Unit>& batch, std::size_t begin, std::size_t end,
                                    std::vector<Status>& results) {
  struct Committed {
    std::vector<Unit> units;
    std::vector<Status> results;
  };
  auto committed = std::make_shared<Committed>();
  committed->units.assign(
      std::make_move_iterator(batch.begin() + static_cast<std::ptrdiff_t>(begin)),
      std::make_move_iterator(batch.begin() + static_cast<std::ptrdiff_t>(end)));
  committed->results.assign(results.begin() + static_cast<std::ptrdiff_t>(begin),
                            results.begin() + static_cast<std::ptrdiff_t>(end));
  syncer->Hand([this, committed = std::move(committed)](const Status& durable) {
    const std::size_t n = committed->units.size();
    {
      // Counted before the answers go out, so that whoever has an answer sees it counted.
      std::lock_guard lock(mu);
      stats.units += static_cast<std::int64_t>(n);
    }
    for (std::size_t i = 0; i < n; ++i) {
      // The unit's callables (and what they captured: sessions of the HTTP server, say) die
      // here, before the unit counts as completed: once Drain returns, the owners of those
      // captures may be destroyed.
      Unit unit = std::move(committed->units[i]);
      if (!unit.done) continue;
      Status& result = committed->results[i];
      try {
        unit.done(result.ok() ? durable : std::move(result));
      } catch (...) {  // NOLINT(bugprone-empty-catch): a callback's failure is its own
      }
    }
    {
      std::lock_guard lock(mu);
      completed += n;
    }
    drained_cv.notify_all();
  });
}

// Runs unit i, in a savepoint of its own or not. A unit that fails is undone: rolled back to its
// savepoint, or, without one, it must have written nothing (most refusals come before any
// write); otherwise the caller has to roll back and replay.
SqliteStore::Impl::UnitOutcome SqliteStore::Impl::RunUnit(std::vector<Unit>& batch, std::size_t i,
                                                          bool savepoint,
                                                          std::vector<Status>& results) {
  sqlite3* db = writer->db();
  Status s = savepoint ? Exec("SAVEPOINT u") : Status::Ok();
  const SqliteWriteTx::UnitMark mark = tx->Mark();
  const std::int64_t changes_before = sqlite3_total_changes64(db);
  if (s.ok()) {
    try {
      s = batch[i].work ? batch[i].work(*tx) : Status::Ok();
    } catch (const std::exception& e) {
      s = Fail(ErrorCode::kInternal, std::string("write failed: ") + e.what());
    } catch (...) {
      s = Fail(ErrorCode::kInternal, "write failed");
    }
    if (s.ok() && savepoint) s = Exec("RELEASE u");
  }
  results[i] = s;
  if (s.ok()) return UnitOutcome::kDone;
  // SQLite rolled the whole transaction back (I/O error, disk full, ...).
  if (sqlite3_get_autocommit(db)) return UnitOutcome::kTransactionLost;
  tx->RollBackTo(mark);
  if (!savepoint) {
    return sqlite3_total_changes64(db) == changes_before ? UnitOutcome::kDone
                                                         : UnitOutcome::kNeedsReplay;
  }
  Status undo = Exec("ROLLBACK TO u");
  if (undo.ok()) undo = Exec("RELEASE u");
  return undo.ok() ? UnitOutcome::kDone : UnitOutcome::kTransactionLost;
}

// One group commit: BEGIN IMMEDIATE, the units from `begin`, COMMIT, and the new events' text to
// the search indexer.
// Stops taking units when the transaction grows large, so that a burst of big units (the demo
// generator's) becomes several commits and small units behind it are not held for long. Sets
// results[i] of the units it ran and returns the end of them.
//
// Each unit runs in a savepoint, unless options.replay_units: then units run bare, and when one
// fails after writing, the transaction is rolled back and the units before it run again, each
// in a savepoint this time (about half the writer's work is saved when nothing fails).
std::size_t SqliteStore::Impl::RunTransaction(std::vector<Unit>& batch, std::size_t begin,
                                              std::vector<Status>& results) {
  constexpr std::int64_t kMaxChanges = 100'000;  // rows written per transaction, about
  constexpr auto kMaxDuration = std::chrono::milliseconds(200);
  sqlite3* db = writer->db();
  // Every unit before `end` that succeeded so far failed after all.
  const auto abandon = [&](std::size_t end, const Status& why) {
    if (!sqlite3_get_autocommit(db)) (void)Exec("ROLLBACK");
    tx->Abandon();
    for (std::size_t j = begin; j < end; ++j) {
      if (results[j].ok()) results[j] = why;
    }
  };
  const auto lost = [&](std::size_t i) {
    return Fail(ErrorCode::kUnavailable,
                "the transaction was rolled back: " + results[i].error().message);
  };
  const auto start = [&]() -> Status {
    Status began = Exec("BEGIN IMMEDIATE");
    if (began.ok()) began = tx->BeginTransaction();
    return began;
  };

  if (Status began = start(); !began.ok()) {
    abandon(batch.size(), began);
    return batch.size();
  }
  bool savepoints = !options.replay_units;
  const auto started = std::chrono::steady_clock::now();
  const std::int64_t changes_before = sqlite3_total_changes64(db);
  std::size_t i = begin;
  while (i < batch.size()) {
    UnitOutcome outcome = RunUnit(batch, i, savepoints, results);
    if (outcome == UnitOutcome::kNeedsReplay) {
      (void)Exec("ROLLBACK");
      tx->Abandon();
      if (Status began = start(); !began.ok()) {
        abandon(i, began);
        return i + 1;
      }
      savepoints = true;
      for (std::size_t j = begin; j < i && outcome != UnitOutcome::kTransactionLost; ++j) {
        if (results[j].ok()) outcome = RunUnit(batch, j, true, results);
        if (outcome == UnitOutcome::kTransactionLost) {
          abandon(i, lost(j));
          return i + 1;
        }
      }
    } else if (outcome == UnitOutcome::kTransactionLost) {
      abandon(i, lost(i));
      return i + 1;
    }
    ++i;
    if (sqlite3_total_changes64(db) - changes_before >= kMaxChanges ||
        std::chrono::steady_clock::now() - started >= kMaxDuration) {
      break;
    }
  }
  if (Status s = Exec("COMMIT"); !s.ok()) {
    abandon(i, s);
    return i;
  }
  search->Hand(tx->TakeSearchTexts());
  return i;
}

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqliteStore::~SqliteStore() { (void)Close(); }

int SqliteStore::SchemaVersion() { return SqliteMigrations().back().version; }

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       SqliteOptions options) {
  if (path.empty() || path == ":memory:" || path.rfind("file::memory:", 0) == 0) {
    return Fail(ErrorCode::kInvalidArgument, "SqliteStore needs a database file", "path");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  auto writer = Connection::Open(path, /*create=*/true, options.busy_timeout_ms);
  if (!writer) return writer.error();
  impl->writer = std::move(*writer);
  if (Status s = Configure(*impl->writer, options, /*writer=*/true); !s.ok()) return s.error();
  if (Status s = Migrate(*impl->writer); !s.ok()) return s.error();
  if (options.bulk_load) {
    if (Status s = DeferIndexes(*impl->writer); !s.ok()) return s.error();
    if (options.unjournaled) {
      if (Status s = BeginUnjournaledLoad(*impl->writer); !s.ok()) return s.error();
    }
  } else {
    if (Status s = RefuseUnfinishedUnjournaledLoad(*impl->writer); !s.ok()) return s.error();
    // A bulk load that did not finish (a crash): its indexes are built before anything else.
    auto deferred = HasDeferredIndexes(*impl->writer);
    if (!deferred) return deferred.error();
    if (*deferred) {
      if (Status s = BuildDeferredIndexes(*impl->writer, nullptr); !s.ok()) return s.error();
    }
  }
  auto tx = SqliteWriteTx::Create(*impl->writer);
  if (!tx) return tx.error();
  impl->tx = std::move(*tx);
  // During a bulk load the writer is the bottleneck: the indexer takes the CPU it leaves.
  auto search =
      SearchIndexer::Start(path, *impl->writer, options.busy_timeout_ms, options.bulk_load);
  if (!search) return search.error();
  impl->search = std::move(*search);
  // Readers see the search index as the schema `search` (event_query.cc).
  const std::string search_file = SearchIndexer::FileFor(path);
  const std::string search_pragmas =
      "PRAGMA search.cache_size = -" + std::to_string(options.reader_cache_kib) +
      "; PRAGMA search.mmap_size = " + std::to_string(options.mmap_bytes);
  const auto attach_search = [&](Connection& reader) -> Status {
    auto attach = reader.Prepare("ATTACH DATABASE ? AS search");
    if (!attach) return attach.error();
    Stmt s(*attach);
    s.Bind(1, search_file);  // bound without a copy: it must outlive the step
    if (const int rc = s.Step(); rc != SQLITE_DONE) {
      return SqliteError(reader.db(), rc, "attaching the search index");
    }
    return reader.Exec(search_pragmas.c_str(), "configuring the search index");
  };

  for (int i = 0; i < std::max(1, options.read_connections); ++i) {
    auto reader = Connection::Open(path, /*create=*/false, options.busy_timeout_ms);
    if (!reader) return reader.error();
    if (Status s = Configure(**reader, options, /*writer=*/false); !s.ok()) return s.error();
    if (Status s = attach_search(**reader); !s.ok()) return s.error();
    impl->free_readers.push_back(reader->get());
    impl->readers.push_back(std::move(*reader));
  }
  auto checkpointer = Connection::Open(path, /*create=*/false, options.busy_timeout_ms);
  if (!checkpointer) return checkpointer.error();
  impl->checkpointer = std::move(*checkpointer);
  if (Status s = Configure(*impl->checkpointer, options, /*writer=*/false); !s.ok()) {
    return s.error();
  }
  Impl* raw = impl.get();
  sqlite3_wal_hook(impl->writer->db(), &Impl::OnWalCommit, raw);  // replaces auto-checkpoints
  impl->checkpoint_thread = std::thread([raw] { raw->CheckpointLoop(); });
  // A bulk load without fsyncs acknowledges at once, until FinishBulkLoad.
  const char* wal = sqlite3_filename_wal(sqlite3_db_filename(impl->writer->db(), "main"));
  impl->syncer =
      WalSyncer::Start(wal, options.sync == SqliteOptions::Sync::kPipelined && !options.bulk_load,
                       options.sync_file);
  impl->thread = std::thread([raw] { raw->WriterLoop(); });
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
}

Status SqliteStore::Close() {
  Impl& d = *impl_;
  {
    std::lock_guard lock(d.mu);
    d.stopping = true;
  }
  d.work_cv.notify_all();
  if (d.thread.joinable()) d.thread.join();
  if (d.syncer) d.syncer->Stop();  // acknowledges the last commits
  // Indexes what the last commits handed over. A failure of the derived index is the next start's
  // to repair (it catches up from the events table); the store's data is closed cleanly anyway.
  if (d.search) (void)d.search->Stop();
  {
    std::lock_guard lock(d.checkpoint_mu);
    d.checkpoint_stop = true;
  }
  d.checkpoint_cv.notify_all();
  if (d.checkpoint_thread.joinable()) d.checkpoint_thread.join();
  {
    std::unique_lock lock(d.pool_mu);
    if (d.closed) return Status::Ok();
    d.pool_cv.wait(lock, [&] { return d.free_readers.size() == d.readers.size(); });
    d.closed = true;
    d.free_readers.clear();
  }
  d.pool_cv.notify_all();
  d.readers.clear();
  d.checkpointer.reset();
  d.tx.reset();
  d.writer.reset();  // the last connection: checkpoints and removes the WAL
  return Status::Ok();
}

void SqliteStore::Submit(WriteWork work, WriteDone done) {
  Impl& d = *impl_;
  bool wake = false;
  bool refused = true;
  {
    std::lock_guard lock(d.mu);
    if (!d.stopping) {
      wake = d.queue.empty();
      d.queue.push_back(Unit{std::move(work), std::move(done)});
      ++d.submitted;
      refused = false;
    }
  }
  if (refused) {
    if (done) done(Fail(ErrorCode::kUnavailable, "the store is closed"));
    return;
  }
  if (wake) d.work_cv.notify_one();
}

void SqliteStore::Drain() {
  Impl& d = *impl_;
  std::unique_lock lock(d.mu);
  const std::uint64_t target = d.submitted;
  d.drained_cv.wait(lock, [&] { return d.completed >= target; });
}

Status SqliteStore::FinishBulkLoad(const StageProgress& progress) {
  Drain();
  Impl& d = *impl_;
  if (!d.options.bulk_load) return Status::Ok();
  const auto report = [&](std::string_view stage, double fraction) {
    if (progress) progress(stage, fraction);
  };
  // The writer thread is idle (drained, and the caller submits nothing meanwhile).
  if (Status s = BuildDeferredIndexes(*d.writer, [&](double f) { report("indexes", f); });
      !s.ok()) {
    return s;
  }
  d.options.bulk_load = false;
  // Durable from here on: the WAL is synced and copied into the database, which is synced.
  const std::string pragmas = std::string("PRAGMA foreign_keys = ON; PRAGMA synchronous = ") +
                              (d.options.sync == SqliteOptions::Sync::kFull ? "FULL" : "NORMAL") +
                              "; PRAGMA cache_size = -" +
                              std::to_string(d.options.writer_cache_kib) + ";";
  if (Status s = d.writer->Exec(pragmas.c_str(), "ending the bulk load"); !s.ok()) return s;
  if (d.options.unjournaled) {
    if (Status s = EndUnjournaledLoad(*d.writer); !s.ok()) return s;
  }
  if (const int rc = sqlite3_wal_checkpoint_v2(d.writer->db(), nullptr, SQLITE_CHECKPOINT_TRUNCATE,
                                               nullptr, nullptr);
      rc != SQLITE_OK) {
    return SqliteError(d.writer->db(), rc, "checkpointing the bulk load");
  }
  if (d.options.sync == SqliteOptions::Sync::kPipelined) d.syncer->StartSyncing();
  // The search index was written beside the load, behind it; the loaded store counts as ready
  // when it is complete too.
  for (;;) {
    Status s = d.search->WaitCaughtUp(std::chrono::milliseconds(250));
    if (s.ok()) break;
    if (d.search->state() == SearchIndexer::State::kFailed) return s;
    report("search index", d.search->IndexedFraction());
  }
  report("search index", 1.0);
  return Status::Ok();
}

Status SqliteStore::durability() const {
  return impl_->syncer ? impl_->syncer->failure() : Status::Ok();
}

std::string SqliteStore::search_index_state() const {
  if (!impl_->search) return "failed";
  switch (impl_->search->state()) {
    case SearchIndexer::State::kReady: return "ready";
    case SearchIndexer::State::kBuilding: return "building";
    case SearchIndexer::State::kFailed: break;
  }
  return "failed";
}

WriterStats SqliteStore::writer_stats() const {
  WriterStats stats;
  {
    std::lock_guard lock(impl_->mu);
    stats = impl_->stats;
  }
  if (impl_->syncer) stats.syncs = impl_->syncer->syncs();
  return stats;
}

Status SqliteStore::WithReader(const std::function<Status(Connection&)>& read) {
  Impl::Lease lease(*impl_);
  if (lease.get() == nullptr) return Closed();
  return read(*lease.get());
}

Result<std::vector<Region>> SqliteStore::LoadRegions() {
  Impl::Lease lease(*impl_);
  if (lease.get() == nullptr) return Closed();
  auto stmt = lease.get()->Prepare(
      "SELECT id, parent_id, level, code, name, polygon FROM regions ORDER BY id");
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  std::vector<Region> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    Region r;
    r.id = s.Int(0);
    r.parent_id = s.Int(1);  // NULL reads as 0
    r.level = static_cast<RegionLevel>(s.Int(2));
    r.code = s.Text(3);
    r.name = s.Text(4);
    auto polygon = DecodePolygon(s.Text(5));
    if (!polygon) return polygon.error();
    r.polygon = std::move(*polygon);
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return SqliteError(lease.get()->db(), rc, "loading regions");
  return out;
}

Result<std::vector<Department>> SqliteStore::LoadDepartments() {
  Impl::Lease lease(*impl_);
  if (lease.get() == nullptr) return Closed();
  auto stmt = lease.get()->Prepare(
      "SELECT id, code, name, name_en, region_id, disabled FROM departments ORDER BY id");
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  std::vector<Department> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    Department d;
    d.id = s.Int(0);
    d.code = s.Text(1);
    d.name = s.Text(2);
    d.name_en = s.Text(3);
    d.region_id = s.Int(4);
    d.disabled = s.Int(5) != 0;
    out.push_back(std::move(d));
  }
  if (rc != SQLITE_DONE) return SqliteError(lease.get()->db(), rc, "loading departments");
  return out;
}

Result<std::vector<Category>> SqliteStore::LoadCategories() {
  Impl::Lease lease(*impl_);
  if (lease.get() == nullptr) return Closed();
  auto stmt = lease.get()->Prepare(
      "SELECT code, name, name_en, parent_code, department_id, time_limit, time_unit, priority "
      "FROM categories ORDER BY code");
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  std::vector<Category> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    Category c;
    c.code = s.Text(0);
    c.name = s.Text(1);
    c.name_en = s.Text(2);
    c.parent_code = s.Text(3);
    c.department_id = s.Int(4);
    c.time_limit = static_cast<int>(s.Int(5));
    const auto unit = TimeUnitFromName(s.Text(6));
    if (!unit) {
      return Fail(ErrorCode::kInternal, "stored time unit '" + std::string(s.Text(6)) +
                                            "' of category " + c.code + " is not known");
    }
    c.time_unit = *unit;
    c.priority = static_cast<int>(s.Int(7));
    out.push_back(std::move(c));
  }
  if (rc != SQLITE_DONE) return SqliteError(lease.get()->db(), rc, "loading categories");
  return out;
}

namespace {

template <typename Key>
Result<std::optional<User>> FindUserBy(Connection& c, const char* where, const Key& key) {
  const std::string sql = std::string("SELECT ") + kUserColumns + " FROM users WHERE " + where;
  auto stmt = c.Prepare(sql);
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  s.Bind(1, key);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<User>();
  if (rc != SQLITE_ROW) return SqliteError(c.db(), rc, "reading a user");
  return std::optional<User>(ReadUser(s));
}

}  // namespace

Result<std::optional<User>> SqliteStore::FindUserByName(std::string_view username) {
  Impl::Lease lease(*impl_);
  if (lease.get() == nullptr) return Closed();
  return FindUserBy(*lease.get(), "username = ?", username);
}

Result<std::optional<User>> SqliteStore::FindUser(UserId id) {
  Impl::Lease lease(*impl_);
  if (lease.get() == nullptr) return Closed();
  return FindUserBy(*lease.get(), "id = ?", id);
}

Result<std::optional<Session>> SqliteStore::FindSession(std::string_view token_hash) {
  Impl::Lease lease(*impl_);
  if (lease.get() == nullptr) return Closed();
  auto stmt = lease.get()->Prepare(
      "SELECT token_hash, user_id, created_at, expires_at FROM sessions WHERE token_hash = ?");
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  s.Bind(1, token_hash);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<Session>();
  if (rc != SQLITE_ROW) return SqliteError(lease.get()->db(), rc, "reading a session");
  Session out;
  out.token_hash = s.Text(0);
  out.user_id = s.Int(1);
  out.created_at = s.Int(2);
  out.expires_at = s.Int(3);
  return std::optional<Session>(std::move(out));
}

Result<std::optional<Event>> SqliteStore::FindEvent(EventId id) {
  Impl::Lease lease(*impl_);
  if (lease.get() == nullptr) return Closed();
  static const std::string kSql =
      std::string("SELECT ") + kEventColumns + " FROM events WHERE id = ?";
  auto stmt = lease.get()->Prepare(kSql);
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  s.Bind(1, id);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<Event>();
  if (rc != SQLITE_ROW) return SqliteError(lease.get()->db(), rc, "reading an event");
  auto e = ReadEvent(s);
  if (!e) return e.error();
  return std::optional<Event>(std::move(*e));
}

Result<EventPage> SqliteStore::ListEvents(const EventQuery& query) {
  if (!query.text.empty()) {
    // Read-your-writes: every event acknowledged before this search is searchable.
    if (Status s =
            impl_->search->WaitCaughtUp(std::chrono::milliseconds(impl_->options.search_wait_ms));
        !s.ok()) {
      return s.error();
    }
  }
  Impl::Lease lease(*impl_);
  if (lease.get() == nullptr) return Closed();
  return ListEventsOn(*lease.get(), query);
}

Result<std::vector<HistoryEntry>> SqliteStore::EventHistory(EventId id) {
  Impl::Lease lease(*impl_);
  if (lease.get() == nullptr) return Closed();
  static const std::string kSql = std::string("SELECT ") + kHistoryColumns +
                                  " FROM event_history WHERE event_id = ? ORDER BY seq";
  auto stmt = lease.get()->Prepare(kSql);
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  s.Bind(1, id);
  std::vector<HistoryEntry> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    auto h = ReadHistory(s);
    if (!h) return h.error();
    out.push_back(std::move(*h));
  }
  if (rc != SQLITE_DONE) return SqliteError(lease.get()->db(), rc, "reading history");
  return out;
}

Status SqliteStore::ScanHistory(const std::function<bool(const HistoryEntry&)>& visit) {
  Impl::Lease lease(*impl_);
  if (lease.get() == nullptr) return Closed();
  static const std::string kSql =
      std::string("SELECT ") + kHistoryColumns + " FROM event_history ORDER BY event_id, seq";
  auto stmt = lease.get()->Prepare(kSql);
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    auto h = ReadHistory(s);
    if (!h) return h.error();
    if (!visit(*h)) return Status::Ok();
  }
  if (rc != SQLITE_DONE) return SqliteError(lease.get()->db(), rc, "scanning history");
  return Status::Ok();
}

Status SqliteStore::ScanAudit(const std::function<bool(const AuditRecord&)>& visit) {
  Impl::Lease lease(*impl_);
  if (lease.get() == nullptr) return Closed();
  static const std::string kSql =
      std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY seq";
  auto stmt = lease.get()->Prepare(kSql);
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    if (!visit(ReadAudit(s))) return Status::Ok();
  }
  if (rc != SQLITE_DONE) return SqliteError(lease.get()->db(), rc, "scanning the audit log");
  return Status::Ok();
}

// --- Identity administration and the audit trail (issue 4; SQL in identity_query.cc) ---

Result<UserPage> SqliteStore::ListUsers(const UserQuery& query) {
  Impl::Lease lease(*impl_);
  if (lease.get() == nullptr) return Closed();
  return ListUsersOn(*lease.get(), query);
}

Result<AuditPage> SqliteStore::ListAudit(const AuditQuery& query) {
  Impl::Lease lease(*impl_);
  if (lease.get() == nullptr) return Closed();
  return ListAuditOn(*lease.get(), query);
}

}  // namespace civicgrid
