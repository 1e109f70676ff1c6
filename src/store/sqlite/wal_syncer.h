// Acknowledges a SqliteStore's group commits once they are on disk, on a thread of its own: the
// writer commits with synchronous = NORMAL (no fsync in the commit) and goes on with the next
// transaction at once, while this thread fdatasyncs the WAL and only then calls the committed
// units' `done`. One fsync covers every transaction committed before it began, so the fsync's
// wait (milliseconds on a real disk) is off the writer's path and shared by more units as the
// load grows, and still no unit is acknowledged before what it wrote would survive a power loss.
//
// Why that is enough: the WAL is appended in commit order, its frames carry cumulative checksums,
// and recovery keeps the longest valid prefix of committed transactions; a checkpoint syncs the
// WAL and the database before the WAL starts over. So a synced WAL holds every transaction
// committed before the sync, and a transaction can only come back after a power loss together
// with every one before it. What this mode allows that SQLite's FULL does not: a reader may see a
// transaction that is committed but not yet synced (its writer has not been answered yet), and a
// power loss in that window takes it away again.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/common/result.h"

namespace civicgrid {

class WalSyncer {
 public:
  // Makes a file's written data durable: ::fdatasync. Tests pass one that pauses or fails.
  using SyncFile = std::function<int(int fd)>;
  // Called once per handed commit, in commit order, with Ok once it is durable (or at once when
  // not syncing) or with the error that left its durability unknown.
  using Acknowledge = std::function<void(const Status&)>;

  // Starts the thread for the WAL at `wal_path` (SQLite's name for it: beside the database file
  // that a symbolic link points to, not beside the link). `syncing`: whether acknowledgements
  // wait for an fsync (off while a bulk load runs without one, and when SQLite syncs in the
  // commit itself). `sync_file` empty: ::fdatasync.
  static std::unique_ptr<WalSyncer> Start(std::string wal_path, bool syncing, SyncFile sync_file);

  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;
  ~WalSyncer();

  // The writer, after each COMMIT, in commit order.
  void Hand(Acknowledge acknowledge);

  // From now on acknowledgements wait for an fsync (a bulk load has finished).
  void StartSyncing();

  // Once an fsync has failed, the WAL's pages in memory may be neither on disk nor ever written
  // again (Linux drops them), so nothing later can be promised either: every later
  // acknowledgement gets this error, and the writer refuses new units with it.
  Status failure() const;

  // The fsyncs done so far.
  std::int64_t syncs() const;

  // Acknowledges everything handed over (syncing first), then stops the thread. Idempotent.
  void Stop();

 private:
  WalSyncer(std::string wal_path, bool syncing, SyncFile sync_file);
  void Loop();
  // fdatasync of the WAL, opened at the first sync: SQLite keeps that file while the store is
  // open (a bulk load without a journal removes and remakes it, but before syncing starts).
  Status SyncWal();

  const std::string wal_path_;
  const std::string directory_;
  SyncFile sync_file_;
  int fd_ = -1;  // the WAL, on this thread

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Acknowledge> pending_;  // guarded by mu_
  bool syncing_;                      // guarded by mu_
  bool stopping_ = false;             // guarded by mu_
  Status failure_;                    // guarded by mu_
  std::int64_t syncs_ = 0;            // guarded by mu_
  std::thread thread_;
};

}  // namespace civicgrid
