#include "store/sqlite/group_commit_writer.h"

#include <pthread.h>

namespace convault::sqlite {

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<Connection> conn, int max_batch,
                                     CommitObserver observer)
    : conn_(std::move(conn)),
      max_batch_(max_batch > 0 ? static_cast<size_t>(max_batch) : 1),
      observer_(std::move(observer)),
      thread_([this] { Loop(); }) {}

GroupCommitWriter::~GroupCommitWriter() { Stop(); }

void GroupCommitWriter::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

size_t GroupCommitWriter::QueueDepthForTesting() {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

absl::Status GroupCommitWriter::Write(Op op) {
  Pending pending{std::move(op), absl::OkStatus(), false, false};
  return Enqueue(pending);
}

absl::Status GroupCommitWriter::RunAlone(Op op) {
  Pending pending{std::move(op), absl::OkStatus(), false, true};
  return Enqueue(pending);
}

absl::Status GroupCommitWriter::Enqueue(Pending& pending) {
  absl::MutexLock lock(&mu_);
  if (stopping_) return absl::UnavailableError("the store is closed");
  queue_.push_back(&pending);
  mu_.Await(absl::Condition(&pending.done));
  return pending.result;
}

void GroupCommitWriter::Loop() {
  pthread_setname_np(pthread_self(), "cv-sql-writer");
  while (true) {
    std::deque<Pending*> batch;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](GroupCommitWriter* w)
               ABSL_EXCLUSIVE_LOCKS_REQUIRED(w->mu_) { return !w->queue_.empty() || w->stopping_; },
          this));
      if (queue_.empty() && stopping_) return;
      // An op that must run alone goes in a batch of its own.
      while (!queue_.empty() && batch.size() < max_batch_ &&
             (batch.empty() || (!queue_.front()->alone && !batch.front()->alone))) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    if (batch.front()->alone) {
      batch.front()->result = batch.front()->op(*conn_);
    } else {
      RunBatch(batch);
    }
    if (observer_) observer_(batch.size());
    absl::MutexLock lock(&mu_);
    for (Pending* p : batch) p->done = true;
  }
}

void GroupCommitWriter::RunBatch(std::deque<Pending*>& batch) {
  // First try: the operations straight in the transaction. A savepoint per
  // operation would copy every page each one touches into a statement
  // journal, for the rare batch in which one fails.
  if (!Begin(batch)) return;
  bool all_ok = true;
  for (Pending* p : batch) {
    p->result = p->op(*conn_);
    if (!p->result.ok()) {
      all_ok = false;
      break;
    }
  }
  if (all_ok) {
    Commit(batch);
    return;
  }
  // One failed: start over, each operation in a savepoint of its own, so
  // that the failing one rolls back alone and the others still commit.
  conn_->Exec("ROLLBACK").IgnoreError();
  if (!Begin(batch)) return;
  for (Pending* p : batch) {
    absl::Status s = conn_->Exec("SAVEPOINT op");
    if (s.ok()) s = p->op(*conn_);
    if (s.ok()) {
      s = conn_->Exec("RELEASE op");
    } else {
      conn_->Exec("ROLLBACK TO op").IgnoreError();
      conn_->Exec("RELEASE op").IgnoreError();
    }
    p->result = s;
  }
  Commit(batch);
}

bool GroupCommitWriter::Begin(std::deque<Pending*>& batch) {
  absl::Status begin = conn_->Exec("BEGIN IMMEDIATE");
  if (begin.ok()) return true;
  for (Pending* p : batch) p->result = begin;
  return false;
}

void GroupCommitWriter::Commit(std::deque<Pending*>& batch) {
  absl::Status commit = conn_->Exec("COMMIT");
  if (!commit.ok()) {
    conn_->Exec("ROLLBACK").IgnoreError();
    for (Pending* p : batch) {
      if (p->result.ok()) p->result = commit;
    }
  }
}

}  // namespace convault::sqlite
