#include "store/sqlite/wal_syncer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace civicgrid {
namespace {

Status SyncError(const std::string& what, int error) {
  return Fail(ErrorCode::kUnavailable, "the database's writes could not be made durable (" + what +
                                           ": " + std::strerror(error) +
                                           "); restart the server, which recovers what is on disk");
}

int OpenForSync(const std::string& path, int flags) {
  int fd = -1;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

}  // namespace

std::unique_ptr<WalSyncer> WalSyncer::Start(std::string wal_path, bool syncing,
                                            SyncFile sync_file) {
  std::unique_ptr<WalSyncer> syncer(
      new WalSyncer(std::move(wal_path), syncing, std::move(sync_file)));
  WalSyncer* raw = syncer.get();
  syncer->thread_ = std::thread([raw] { raw->Loop(); });
  return syncer;
}

WalSyncer::WalSyncer(std::string wal_path, bool syncing, SyncFile sync_file)
    : wal_path_(std::move(wal_path)),
      directory_(std::filesystem::absolute(wal_path_).parent_path().string()),
      sync_file_(sync_file ? std::move(sync_file)
                           : SyncFile([](int fd) { return ::fdatasync(fd); })),
      syncing_(syncing) {}

WalSyncer::~WalSyncer() {
  Stop();
  if (fd_ >= 0) ::close(fd_);
}

void WalSyncer::Hand(Acknowledge acknowledge) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    wake = pending_.empty();
    pending_.push_back(std::move(acknowledge));
  }
  if (wake) cv_.notify_one();
}

void WalSyncer::StartSyncing() {
  std::lock_guard lock(mu_);
  syncing_ = true;
}

Status WalSyncer::failure() const {
  std::lock_guard lock(mu_);
  return failure_;
}

std::int64_t WalSyncer::syncs() const {
  std::lock_guard lock(mu_);
  return syncs_;
}

void WalSyncer::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void WalSyncer::Loop() {
  std::vector<Acknowledge> batch;
  for (;;) {
    bool syncing = false;
    Status result;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;  // stopping, and everything is acknowledged
      batch.swap(pending_);
      syncing = syncing_ && failure_.ok();
      result = failure_;
    }
    // Every commit in `batch` returned before this sync begins, so the sync covers them all.
    if (syncing) {
      result = SyncWal();
      std::lock_guard lock(mu_);
      ++syncs_;
      if (!result.ok()) failure_ = result;
    }
    for (Acknowledge& acknowledge : batch) {
      try {
        acknowledge(result);
      } catch (...) {  // NOLINT(bugprone-empty-catch): an acknowledgement's failure is its own
      }
    }
    batch.clear();  // what the acknowledgements captured dies here, on this thread
  }
}

Status WalSyncer::SyncWal() {
  if (fd_ < 0) {
    fd_ = OpenForSync(wal_path_, O_RDONLY);
    if (fd_ < 0) return SyncError("opening the WAL", errno);
    // The WAL's name must survive a power loss too.
    const int dir = OpenForSync(directory_, O_RDONLY | O_DIRECTORY);
    if (dir < 0) return SyncError("opening the database's directory", errno);
    const int rc = sync_file_(dir);
    const int error = errno;
    ::close(dir);
    if (rc != 0) return SyncError("syncing the database's directory", error);
  }
  int rc = 0;
  do {
    rc = sync_file_(fd_);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return SyncError("fdatasync of the WAL", errno);
  return Status::Ok();
}

}  // namespace civicgrid
