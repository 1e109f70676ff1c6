// Support for the Store contract suite: temporary directories, adapter factories and builders of
// test data. A factory opens a store on a fresh location and can reopen it; a PostgreSQL factory
// (a fresh schema per test) can join SqliteFactory in the typed suite.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <memory>
#include <string>

#include "core/ports/store.h"
#include "store/sqlite/sqlite_store.h"

namespace civicgrid::store_test {

// A directory removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("civicgrid-store-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Opens the store of a test on a database file of its own; again after the store is gone it
// reopens the same database.
class SqliteFactory {
 public:
  static constexpr const char* kName = "sqlite";
  Result<std::unique_ptr<Store>> Open() { return OpenWith(SqliteOptions{}); }
  std::string path() const { return dir_.File("civicgrid.db"); }

 protected:
  Result<std::unique_ptr<Store>> OpenWith(SqliteOptions options) {
    options.read_connections = 4;
    auto store = SqliteStore::Open(path(), options);
    if (!store) return store.error();
    return std::unique_ptr<Store>(std::move(*store));
  }

 private:
  TempDir dir_;
};

// The same with units run without savepoints and replayed after a batch-mate's failure.
class SqliteReplayFactory : public SqliteFactory {
 public:
  static constexpr const char* kName = "sqlite_replay";
  Result<std::unique_ptr<Store>> Open() {
    SqliteOptions options;
    options.replay_units = true;
    return OpenWith(options);
  }
};

// Runs `work` as one unit and waits for its outcome.
inline Status Write(Store& store, WriteWork work) {
  std::promise<Status> promise;
  auto future = promise.get_future();
  store.Submit(std::move(work), [&promise](Status s) { promise.set_value(std::move(s)); });
  return future.get();
}

// An event with every field set to something distinctive, derived from `n`.
Event SampleEvent(int n, TimeMs created_at);
// A history row of `e` with sequence `seq`.
HistoryEntry SampleHistory(const Event& e, std::int64_t seq);

}  // namespace civicgrid::store_test
