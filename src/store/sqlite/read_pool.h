#pragma once

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "store/sqlite/connection.h"

namespace convault::sqlite {

// A fixed set of reader connections. With WAL, readers see the last
// committed state and never block the writer. Acquire blocks while all
// connections are in use.
// Thread safety: all methods may be called concurrently.
class ReadPool {
 public:
  static absl::StatusOr<std::unique_ptr<ReadPool>> Open(const std::string& path, int size,
                                                        const Connection::Options& options);

  class Lease {
   public:
    Lease(ReadPool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_->Release(std::move(conn_)); }
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    ReadPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  // nullptr after Close().
  std::unique_ptr<Lease> Acquire();

  // Runs fn(connection) on a leased reader; Unavailable after Close().
  template <typename Fn>
  auto With(Fn fn) -> decltype(fn(std::declval<Connection&>())) {
    auto lease = Acquire();
    if (lease == nullptr) return absl::UnavailableError("the store is closed");
    return fn(**lease);
  }
  // Waits for leased connections to come back, then closes all.
  void Close();

 private:
  ReadPool() = default;
  void Release(std::unique_ptr<Connection> conn);

  absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  int leased_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace convault::sqlite
