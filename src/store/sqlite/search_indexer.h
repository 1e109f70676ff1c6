// The event text search index of a SqliteStore, in a database file of its own beside the
// store's (PATH-search) and kept by a thread of its own, so that its cost (FTS5's work on ~140
// bigram tokens per event) is off the single writer's path and on the other core.
//
// The writer hands over the title and description of the events each transaction committed; the
// indexer folds them (store/search_text.h) and writes them in large transactions. The index is
// derived data: its file records which store it belongs to and the largest event id it holds,
// and at start it catches up from the events table (a missing file, another store's file or one
// that holds events the store does not, after a restore or a lost write, is built again). A search
// first waits until every event committed before it began is indexed (read-your-writes).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/common/result.h"
#include "store/sqlite/sqlite_connection.h"

namespace civicgrid {

class SearchIndexer {
 public:
  struct Text {
    std::int64_t id = 0;
    std::string title;
    std::string description;
  };

  // The search file of the store at `store_path`.
  static std::string FileFor(const std::string& store_path);

  // Opens (creating if absent) the search file of the store whose write connection is `store`
  // (schema current, no unit running), checks that it belongs to that store and holds no event
  // the store lacks (or starts it afresh), and starts the thread, which first indexes the
  // store's events that the file lacks. `yielding`: the thread runs at a lower priority than
  // the writer (a bulk load, where the writer is the bottleneck and nobody searches meanwhile).
  static Result<std::unique_ptr<SearchIndexer>> Start(const std::string& store_path,
                                                      Connection& store, int busy_timeout_ms,
                                                      bool yielding);

  SearchIndexer(const SearchIndexer&) = delete;
  SearchIndexer& operator=(const SearchIndexer&) = delete;
  ~SearchIndexer();

  // The writer, after a commit: the new events of the transaction, in id order. Waits while the
  // indexer is far behind (kMaxQueued events, kMaxQueuedYielding during a bulk load), which
  // bounds the memory and the lag.
  void Hand(std::vector<Text> texts);

  // Waits until every event committed before the call is indexed. kUnavailable after `timeout`
  // (the index is being built: the message says how far it is) or when indexing failed.
  Status WaitCaughtUp(std::chrono::milliseconds timeout);

  // Whether searches are answered: kBuilding until the catch-up at Start is done.
  enum class State : std::uint8_t { kBuilding, kReady, kFailed };
  State state() const;
  // How much of what was handed over is indexed (by event id), for progress.
  double IndexedFraction() const;

  // Indexes everything handed over, then stops the thread. Idempotent.
  Status Stop();

 private:
  static constexpr std::size_t kMaxQueued = 200'000;
  // During a bulk load the writer is the bottleneck until its last commit; then the deferred
  // b-tree indexes are built on one core while this thread catches up on the other. So the
  // writer should not wait for the indexer: a lag of up to a million events (~0.5 GB of text)
  // took a 1,000,000-event demo from 89 s to 69 s.
  static constexpr std::size_t kMaxQueuedYielding = 1'000'000;
  static constexpr std::size_t kMaxPerTransaction = 20'000;
  static constexpr std::size_t kCatchUpChunk = 5'000;  // a transaction, and a point to stop at
  static constexpr int kYieldingNice = 10;
  static constexpr std::chrono::milliseconds kGather{250};  // at most, while no search waits

  SearchIndexer(std::unique_ptr<Connection> search, std::string store_path, int busy_timeout_ms);
  void Loop();
  // Indexes the store's events in (indexed_through, catch_up_through] from the events table.
  Status CatchUp();
  // Folds and inserts `texts` (ascending ids) in one transaction that also records the last id.
  Status Index(const std::vector<Text>& texts);

  std::unique_ptr<Connection> search_;
  std::string store_path_;
  int busy_timeout_ms_;
  bool yielding_ = false;  // set before the thread starts

  mutable std::mutex mu_;
  std::condition_variable work_cv_;    // the thread waits for texts
  std::condition_variable done_cv_;    // searches and Hand wait for progress
  std::deque<Text> queue_;             // guarded by mu_
  std::int64_t handed_through_ = 0;    // guarded by mu_: the largest id committed and known
  std::int64_t indexed_through_ = 0;   // guarded by mu_
  std::int64_t catch_up_through_ = 0;  // guarded by mu_: the store's largest id at Start
  Status failed_ = Status::Ok();       // guarded by mu_
  int searches_waiting_ = 0;           // guarded by mu_
  bool stopping_ = false;              // guarded by mu_
  std::thread thread_;
};

}  // namespace civicgrid
