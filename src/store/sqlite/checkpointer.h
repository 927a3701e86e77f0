// Copies a database's write-ahead log back on a thread of its own.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "store/sqlite/connection.h"

namespace convault::sqlite {

// Checkpoints the log of the database a writer connection commits to, mostly
// on a thread of its own: the writer, which every commit waits for, stops
// only for the pages written while that thread copied.
//
// Install() replaces the writer's automatic checkpoint. After each commit,
// with the log at `pages` frames or more: the first time, the thread starts
// a passive checkpoint on its own connection; once it is done, the writer
// finishes (a passive checkpoint of the frames added meanwhile), after which
// its next transaction can start the log over, as with SQLite's automatic
// checkpoint. A writer that finds the log at twice `pages` while the thread
// is still copying waits for it first, so the log stays within about twice
// `pages` frames plus one commit whatever the scheduling.
// docs/decisions/0014-checkpoints-off-the-writer.md.
// Thread safety: Install() and the hook run on the writer's thread; Stop()
// after the writer has stopped.
class Checkpointer {
 public:
  static absl::StatusOr<std::unique_ptr<Checkpointer>> Open(const std::string& path,
                                                            const Connection::Options& options,
                                                            int pages);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Makes `writer` report its commits here instead of checkpointing itself.
  // REQUIRES: this outlives the writer connection's use.
  void Install(Connection& writer);
  // Ends the thread (a pass in progress finishes first).
  void Stop();

  // Passes the thread has completed; for tests.
  int PassesForTesting();

 private:
  enum class State { kIdle, kCopying, kCopied };
  Checkpointer(std::unique_ptr<Connection> conn, int pages);
  static int OnCommit(void* self, sqlite3* db, const char* name, int frames);
  void Committed(sqlite3* db, const char* name, int frames);
  void Loop();

  std::unique_ptr<Connection> conn_;
  const int pages_;
  absl::Mutex mu_;
  State state_ ABSL_GUARDED_BY(mu_) = State::kIdle;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int passes_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace convault::sqlite
