#pragma once

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "api/http_types.h"
#include "config/config.h"

namespace convault {

// HTTP/1.1 server on Boost.Beast. Network I/O runs on `io_threads` threads;
// each complete request is handed to a pool of `handler_threads` threads so
// that handlers may block (for example on a group commit) without stalling
// the network. Keep-alive, header and body size limits (431 / 413), a
// header deadline against slow clients (408), read, write and idle timeouts.
//
// Shutdown(): stops accepting, closes idle connections, lets in-flight
// requests finish and answers them with "Connection: close", then stops the
// threads. Requests still running after `shutdown_grace_ms` are cut off.
// Thread safety: Shutdown and port may be called from any thread.
class HttpServer {
 public:
  // Binds and starts serving. `handler` must outlive the server.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const HttpOptions& options,
                                                           HttpHandler& handler);
  virtual ~HttpServer() = default;

  // The bound port (useful with port 0).
  virtual uint16_t port() const = 0;
  // Graceful stop, see above. Blocks until done. Idempotent.
  virtual void Shutdown() = 0;
  // Connections open now (for tests and metrics).
  virtual int open_connections() const = 0;
};

}  // namespace convault
