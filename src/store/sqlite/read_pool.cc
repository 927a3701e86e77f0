#include "store/sqlite/read_pool.h"

namespace convault::sqlite {

absl::StatusOr<std::unique_ptr<ReadPool>> ReadPool::Open(const std::string& path, int size,
                                                         const Connection::Options& options) {
  std::unique_ptr<ReadPool> pool(new ReadPool());
  Connection::Options o = options;
  o.create = false;
  for (int i = 0; i < size; ++i) {
    auto conn = Connection::Open(path, o);
    if (!conn.ok()) return conn.status();
    absl::Status s = (*conn)->Exec("PRAGMA query_only=ON");
    if (!s.ok()) return s;
    absl::MutexLock lock(&pool->mu_);
    pool->idle_.push_back(std::move(*conn));
  }
  return pool;
}

std::unique_ptr<ReadPool::Lease> ReadPool::Acquire() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](ReadPool* p)
           ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) { return p->closed_ || !p->idle_.empty(); },
      this));
  if (closed_) return nullptr;
  std::unique_ptr<Connection> conn = std::move(idle_.back());
  idle_.pop_back();
  ++leased_;
  return std::make_unique<Lease>(this, std::move(conn));
}

void ReadPool::Release(std::unique_ptr<Connection> conn) {
  absl::MutexLock lock(&mu_);
  --leased_;
  if (!closed_) idle_.push_back(std::move(conn));
}

void ReadPool::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  mu_.Await(absl::Condition(
      +[](ReadPool* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) { return p->leased_ == 0; }, this));
  idle_.clear();
}

}  // namespace convault::sqlite
