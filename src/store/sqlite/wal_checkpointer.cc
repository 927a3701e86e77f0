#include "store/sqlite/wal_checkpointer.h"

#include "common/log.h"

namespace convault::sqlite {

WalCheckpointer::WalCheckpointer(std::unique_ptr<Connection> conn, int threshold_frames)
    : conn_(std::move(conn)),
      threshold_frames_(threshold_frames > 0 ? threshold_frames : 1),
      thread_([this] { Loop(); }) {}

WalCheckpointer::~WalCheckpointer() { Stop(); }

void WalCheckpointer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

int64_t WalCheckpointer::checkpoints() {
  absl::MutexLock lock(&mu_);
  return checkpoints_;
}

absl::Status WalCheckpointer::Attach(Connection& writer) {
  // Off for the writer; sqlite3_wal_hook replaces the automatic checkpoint hook.
  sqlite3_wal_hook(writer.raw(), &WalCheckpointer::OnCommit, this);
  return absl::OkStatus();
}

int WalCheckpointer::OnCommit(void* self, sqlite3*, const char*, int frames) {
  auto* c = static_cast<WalCheckpointer*>(self);
  if (frames >= c->threshold_frames_) {
    absl::MutexLock lock(&c->mu_);
    c->wanted_ = true;
  }
  return SQLITE_OK;
}

void WalCheckpointer::Loop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](WalCheckpointer* c)
               ABSL_EXCLUSIVE_LOCKS_REQUIRED(c->mu_) { return c->wanted_ || c->stopping_; },
          this));
      if (stopping_) return;
      wanted_ = false;
    }
    int log_frames = 0;
    int copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(conn_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                       &log_frames, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      log::Warn("store", "checkpoint_failed", {{"code", rc}});
    }
    absl::MutexLock lock(&mu_);
    ++checkpoints_;
  }
}

}  // namespace convault::sqlite
