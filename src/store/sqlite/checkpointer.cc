#include "store/sqlite/checkpointer.h"

#include <pthread.h>
#include <sqlite3.h>

namespace convault::sqlite {

absl::StatusOr<std::unique_ptr<Checkpointer>> Checkpointer::Open(const std::string& path,
                                                                 const Connection::Options& options,
                                                                 int pages) {
  Connection::Options o = options;
  o.create = false;
  auto conn = Connection::Open(path, o);
  if (!conn.ok()) return conn.status();
  return std::unique_ptr<Checkpointer>(new Checkpointer(std::move(*conn), pages > 0 ? pages : 1));
}

Checkpointer::Checkpointer(std::unique_ptr<Connection> conn, int pages)
    : conn_(std::move(conn)), pages_(pages), thread_([this] { Loop(); }) {}

Checkpointer::~Checkpointer() { Stop(); }

void Checkpointer::Install(Connection& writer) { sqlite3_wal_hook(writer.raw(), &OnCommit, this); }

void Checkpointer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

int Checkpointer::PassesForTesting() {
  absl::MutexLock lock(&mu_);
  return passes_;
}

int Checkpointer::OnCommit(void* self, sqlite3* db, const char* name, int frames) {
  static_cast<Checkpointer*>(self)->Committed(db, name, frames);
  return SQLITE_OK;  // a checkpoint that could not run now runs at a later commit
}

void Checkpointer::Committed(sqlite3* db, const char* name, int frames) {
  bool finish = false;
  {
    absl::MutexLock lock(&mu_);
    if (frames < pages_) {
      // Short: the log started over since the last pass, or is still short.
      if (state_ == State::kCopied) state_ = State::kIdle;
      return;
    }
    if (state_ == State::kCopying && frames >= 2 * pages_) {
      mu_.Await(absl::Condition(
          +[](Checkpointer* c)
               ABSL_EXCLUSIVE_LOCKS_REQUIRED(c->mu_) { return c->state_ != State::kCopying; },
          this));
    }
    switch (state_) {
      case State::kIdle:
        state_ = State::kCopying;  // the thread takes it from here
        return;
      case State::kCopying:
        return;
      case State::kCopied:
        state_ = State::kIdle;
        finish = true;
        break;
    }
  }
  // Between two commits, as SQLite's automatic checkpoint: what the thread
  // copied is in the database already, only the frames added since remain.
  if (finish) sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

void Checkpointer::Loop() {
  pthread_setname_np(pthread_self(), "cv-sql-ckpt");
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](Checkpointer* c) ABSL_EXCLUSIVE_LOCKS_REQUIRED(c->mu_) {
            return c->state_ == State::kCopying || c->stopping_;
          },
          this));
      if (state_ != State::kCopying) return;  // stopping, nothing asked
    }
    // Passive: copies what no reader still needs, waits for no one. A pass
    // that cannot run (another process checkpointing) counts as done; the
    // writer's finishing step or the next pass does the rest.
    sqlite3_wal_checkpoint_v2(conn_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    absl::MutexLock lock(&mu_);
    state_ = State::kCopied;
    ++passes_;
  }
}

}  // namespace convault::sqlite
