#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "store/sqlite/connection.h"

namespace convault::sqlite {

// The single writer of an SQLite database. Callers hand it write operations
// and block until their operation is durably committed. Operations queued
// while a commit is under way are committed together in the next transaction
// (group commit: many callers share one fsync). One failing operation rolls
// back alone and the others of its batch still commit: the batch first runs
// straight in its transaction; if an operation fails, the transaction is
// rolled back and the batch runs again with a savepoint per operation.
// An operation may therefore run twice: it must only act on the database
// and set (not accumulate) what it reports to its caller.
// Thread safety: Write may be called from any thread.
class GroupCommitWriter {
 public:
  using Op = std::function<absl::Status(Connection&)>;

  // Observer of each commit: the number of operations in it (for metrics and tests).
  using CommitObserver = std::function<void(size_t ops)>;

  GroupCommitWriter(std::unique_ptr<Connection> conn, int max_batch,
                    CommitObserver observer = nullptr);
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;
  // Finishes queued operations, then closes the connection.
  ~GroupCommitWriter();

  // Runs `op` inside a transaction; returns its status once committed (or
  // the commit's error). Unavailable after Stop().
  absl::Status Write(Op op);

  // Runs `op` alone, outside any transaction (for PRAGMA wal_checkpoint and
  // the like), in queue order with the writes.
  absl::Status RunAlone(Op op);

  // Drains the queue and stops the thread. Idempotent.
  void Stop();

  // Operations waiting for the next transaction (for tests).
  size_t QueueDepthForTesting();

 private:
  struct Pending {
    Op op;
    absl::Status result;
    bool done = false;
    bool alone = false;
  };

  absl::Status Enqueue(Pending& pending);
  void Loop();
  void RunBatch(std::deque<Pending*>& batch);
  // BEGIN IMMEDIATE; false, with the error as every operation's result, if it fails.
  bool Begin(std::deque<Pending*>& batch);
  // COMMIT; its error becomes the result of the operations that succeeded.
  void Commit(std::deque<Pending*>& batch);

  std::unique_ptr<Connection> conn_;
  const size_t max_batch_;
  CommitObserver observer_;
  absl::Mutex mu_;
  std::deque<Pending*> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace convault::sqlite
