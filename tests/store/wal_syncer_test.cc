// When a SqliteStore acknowledges a write (store/sqlite/wal_syncer.h): by default only after an
// fsync of the WAL that began after the commit, with the writer going on meanwhile; never Ok
// after a failed fsync; and the fsync reaches the WAL the store writes even after a bulk load made
// a new one. The fsync is the one thing faked here (paused or failed), as a clock would be.
#include "store/sqlite/wal_syncer.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "store_test_support.h"

namespace civicgrid::store_test {
namespace {

constexpr TimeMs kBase = 1'790'000'000'000;

bool IsDirectory(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
}

// An fsync of the WAL that the test lets through one at a time, and what it was asked to sync.
class GatedSync {
 public:
  WalSyncer::SyncFile Function() {
    return [this](int fd) {
      if (IsDirectory(fd)) return ::fdatasync(fd);
      std::unique_lock lock(mu_);
      ++started_;
      struct stat st {};
      if (::fstat(fd, &st) == 0) synced_inode_ = st.st_ino;
      cv_.notify_all();
      // Bounded, so that a failing test still closes its store.
      cv_.wait_for(lock, std::chrono::seconds(20), [&] { return released_ >= started_; });
      return ::fdatasync(fd);
    };
  }
  // Whether the n-th sync has begun (within a time that only a missing sync exceeds).
  bool WaitStarted(int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(20), [&] { return started_ >= n; });
  }
  void Release() {
    std::lock_guard lock(mu_);
    ++released_;
    cv_.notify_all();
  }
  int started() {
    std::lock_guard lock(mu_);
    return started_;
  }
  ino_t synced_inode() {
    std::lock_guard lock(mu_);
    return synced_inode_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int started_ = 0;
  int released_ = 0;
  ino_t synced_inode_ = 0;
};

// The file the latest sync reached is the one at `path`.
void ExpectSynced(GatedSync& sync, const std::string& path) {
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0) << path;
  EXPECT_EQ(sync.synced_inode(), st.st_ino) << path;
}

// A unit's outcome, set by its `done`.
class Outcome {
 public:
  WriteDone Done() {
    return [this](Status s) {
      std::lock_guard lock(mu_);
      status_ = std::move(s);
      cv_.notify_all();
    };
  }
  bool arrived() {
    std::lock_guard lock(mu_);
    return status_.has_value();
  }
  Status Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return status_.has_value(); });
    return *status_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<Status> status_;
};

WriteWork InsertEvent(int serial, bool* ran = nullptr) {
  return [serial, ran](WriteTx& tx) -> Status {
    if (ran != nullptr) *ran = true;
    Event e = SampleEvent(serial, kBase);
    return tx.InsertEvent(e);
  };
}

std::unique_ptr<SqliteStore> OpenStore(const std::string& path, SqliteOptions options) {
  auto store = SqliteStore::Open(path, std::move(options));
  EXPECT_TRUE(store) << store.error().message;
  return store ? std::move(*store) : nullptr;
}

bool Visible(SqliteStore& store, const std::string& number) {
  EventQuery q;
  q.visibility.all = true;
  q.limit = 500;
  auto page = store.ListEvents(q);
  EXPECT_TRUE(page) << page.error().message;
  if (!page) return false;
  for (const Event& e : page->items) {
    if (e.number == number) return true;
  }
  return false;
}

TEST(WalSyncer, AnAcknowledgementWaitsForItsSyncWhileTheWriterGoesOn) {
  TempDir dir;
  GatedSync sync;
  SqliteOptions options;
  options.sync_file = sync.Function();
  auto store = OpenStore(dir.File("a.db"), options);
  ASSERT_TRUE(store);

  Outcome first;
  store->Submit(InsertEvent(1), first.Done());
  ASSERT_TRUE(sync.WaitStarted(1));  // the first unit is committed and its sync is under way
  EXPECT_FALSE(first.arrived());

  // The writer commits the next unit while the first sync has not returned...
  Outcome second;
  store->Submit(InsertEvent(2), second.Done());
  const std::string second_number = SampleEvent(2, kBase).number;
  while (!Visible(*store, second_number)) std::this_thread::yield();
  EXPECT_FALSE(first.arrived());
  EXPECT_FALSE(second.arrived());

  // ...and each is acknowledged after a sync that began after its commit.
  sync.Release();
  EXPECT_TRUE(first.Wait().ok());
  ASSERT_TRUE(sync.WaitStarted(2));
  EXPECT_FALSE(second.arrived());
  sync.Release();
  EXPECT_TRUE(second.Wait().ok());
  EXPECT_EQ(store->writer_stats().syncs, 2);
}

TEST(WalSyncer, AFailedSyncFailsItsUnitsAndTheStoreRefusesLaterWrites) {
  TempDir dir;
  int wal_syncs = 0;
  SqliteOptions options;
  options.sync_file = [&wal_syncs](int fd) {
    if (IsDirectory(fd)) return ::fdatasync(fd);
    ++wal_syncs;
    errno = EIO;
    return -1;
  };
  auto store = OpenStore(dir.File("a.db"), options);
  ASSERT_TRUE(store);

  const Status first = Write(*store, InsertEvent(1));
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(first.error().message.find("durable"), std::string::npos) << first.error().message;

  bool ran = false;
  const Status second = Write(*store, InsertEvent(2, &ran));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(ran) << "a write ran after the store could no longer make writes durable";
  EXPECT_FALSE(Visible(*store, SampleEvent(2, kBase).number));
  EXPECT_EQ(wal_syncs, 1);                 // nothing is synced, or promised, after a failure
  EXPECT_FALSE(store->durability().ok());  // what /readyz reports
}

TEST(WalSyncer, FullAndNormalAcknowledgeWithoutASyncBesideTheWriter) {
  for (const SqliteOptions::Sync mode :
       {SqliteOptions::Sync::kFull, SqliteOptions::Sync::kNormal}) {
    TempDir dir;
    int calls = 0;
    SqliteOptions options;
    options.sync = mode;
    options.sync_file = [&calls](int fd) {
      ++calls;
      return ::fdatasync(fd);
    };
    auto store = OpenStore(dir.File("a.db"), options);
    ASSERT_TRUE(store);
    EXPECT_TRUE(Write(*store, InsertEvent(1)).ok());
    EXPECT_TRUE(Visible(*store, SampleEvent(1, kBase).number));
    EXPECT_EQ(calls, 0);
    EXPECT_EQ(store->writer_stats().syncs, 0);
  }
}

TEST(WalSyncer, AfterAnUnjournaledBulkLoadTheSyncReachesTheNewWal) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  GatedSync sync;
  SqliteOptions options;
  options.bulk_load = true;
  options.unjournaled = true;
  options.sync_file = sync.Function();
  auto store = OpenStore(path, options);
  ASSERT_TRUE(store);
  // During the load (no journal, no fsync) units are acknowledged without a sync...
  EXPECT_TRUE(Write(*store, InsertEvent(1)).ok());
  EXPECT_EQ(sync.started(), 0);
  ASSERT_TRUE(store->FinishBulkLoad(nullptr).ok());

  // ...and after it, the store's units wait for an fsync of the WAL it writes now.
  Outcome after;
  store->Submit(InsertEvent(2), after.Done());
  ASSERT_TRUE(sync.WaitStarted(1));
  ExpectSynced(sync, path + "-wal");
  EXPECT_FALSE(after.arrived());
  sync.Release();
  EXPECT_TRUE(after.Wait().ok());
}

TEST(WalSyncer, ADatabaseReachedThroughASymbolicLinkHasItsOwnWalSynced) {
  TempDir dir;
  std::filesystem::create_directories(dir.File("volume"));
  const std::string real = dir.File("volume/city.db");
  const std::string link = dir.File("city.db");
  OpenStore(real, {}).reset();  // SQLite keeps the WAL beside the file a link points to
  std::filesystem::create_symlink(real, link);
  GatedSync sync;
  SqliteOptions options;
  options.sync_file = sync.Function();
  auto store = OpenStore(link, options);
  ASSERT_TRUE(store);
  Outcome written;
  store->Submit(InsertEvent(1), written.Done());
  ASSERT_TRUE(sync.WaitStarted(1));
  ExpectSynced(sync, real + "-wal");
  sync.Release();
  EXPECT_TRUE(written.Wait().ok());
}

}  // namespace
}  // namespace civicgrid::store_test
