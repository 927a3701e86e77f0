#pragma once

#include <memory>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "store/sqlite/connection.h"

namespace convault::sqlite {

// Checkpoints a WAL database on a thread of its own, so that the writer
// never copies WAL pages into the database file (and fsyncs it) while
// requests wait for their commit. The writer's connection has automatic
// checkpoints off (`Attach`); after each commit it reports the WAL size, and
// once the WAL holds `threshold_frames` frames this thread runs a PASSIVE
// checkpoint on its own connection, beside the writer. SQLite starts the WAL
// over from its beginning once a checkpoint has copied every frame.
// Thread safety: all methods may be called from any thread.
class WalCheckpointer {
 public:
  // `conn` is the checkpointer's own connection to the same database.
  WalCheckpointer(std::unique_ptr<Connection> conn, int threshold_frames);
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;
  ~WalCheckpointer();

  // Turns the writer connection's automatic checkpoints off and has its
  // commits report here. REQUIRES: called before the writer is used; `this`
  // outlives the writer connection.
  absl::Status Attach(Connection& writer);

  // Stops the thread (a last checkpoint is left to SQLite's close). Idempotent.
  void Stop();

  // Checkpoints run so far (for tests and metrics).
  int64_t checkpoints();

 private:
  static int OnCommit(void* self, sqlite3* db, const char* name, int frames);
  void Loop();

  std::unique_ptr<Connection> conn_;
  const int threshold_frames_;
  absl::Mutex mu_;
  bool wanted_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int64_t checkpoints_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace convault::sqlite
