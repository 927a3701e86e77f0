#include "api/http_server.h"

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>  // Boost.Asio 1.74 uses std::exchange without including it
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "boost/asio.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "common/log.h"
#include "common/strings.h"

namespace convault {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Millis = std::chrono::milliseconds;

class Server;

// One client connection. Lives on its own strand; every member is touched
// only from that strand, except through posted calls.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Server& server, uint64_t id);
  ~Connection();
  void Start();
  // Posted by the server when it begins to drain.
  void Drain();
  // Posted when the grace period ran out.
  void ForceClose();
  uint64_t id() const { return id_; }

 private:
  enum class State { kIdle, kReading, kHandling, kWriting, kClosing };

  void WaitForRequest();
  void ReadHeader();
  void OnHeader(beast::error_code ec);
  void ReadBody();
  void OnBody(beast::error_code ec);
  void OnReadError(beast::error_code ec);
  void Dispatch();
  void Write(HttpResponse response, bool close);
  void OnWrite(bool close, beast::error_code ec);
  void WriteStream(HttpResponse response, bool close);
  void WriteNextChunk(bool close);
  void ArmTimer(Millis after);
  void LingerAndClose();
  void DiscardUntilClosed();
  void CloseNow();

  beast::tcp_stream stream_;
  Server& server_;
  const uint64_t id_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  net::steady_timer timer_;
  bool timed_out_ = false;
  bool first_request_ = true;
  State state_ = State::kIdle;
  http::response<http::string_body> response_;
  http::response<http::empty_body> continue_{http::status::continue_, 11};
  // A streamed answer: its header, serializer, source and the chunk in flight.
  http::response<http::empty_body> stream_header_;
  std::optional<http::response_serializer<http::empty_body>> stream_serializer_;
  std::shared_ptr<BodySource> stream_source_;
  std::string chunk_;
  char scratch_[4096];
};

class Server final : public HttpServer {
 public:
  Server(const HttpOptions& options, HttpHandler& handler)
      : options_(options),
        handler_(handler),
        ioc_(IoThreads(options)),
        work_(net::make_work_guard(ioc_)),
        acceptor_(net::make_strand(ioc_)),
        pool_(static_cast<size_t>(options.handler_threads)) {}

  // Half the cores by default: the handlers and the store's writer need the
  // others (on 2 cores, one network thread served 13% more inbound messages
  // and 8% more /healthz requests than two; docs/messaging.md).
  static int IoThreads(const HttpOptions& options) {
    return options.io_threads > 0
               ? options.io_threads
               : static_cast<int>(std::max(1u, std::thread::hardware_concurrency() / 2));
  }

  ~Server() override { Shutdown(); }

  absl::Status Listen() {
    beast::error_code ec;
    std::string host = options_.listen.host == "localhost" ? "127.0.0.1" : options_.listen.host;
    auto address = net::ip::make_address(host, ec);
    if (ec) return absl::InvalidArgumentError(absl::StrCat("listen: bad address ", host));
    tcp::endpoint endpoint(address, options_.listen.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return absl::UnavailableError(
          absl::StrCat("listen on ", host, ":", options_.listen.port, ": ", ec.message()));
    }
    port_ = acceptor_.local_endpoint().port();
    Accept();
    int threads = IoThreads(options_);
    for (int i = 0; i < threads; ++i) {
      io_threads_.emplace_back([this] {
        pthread_setname_np(pthread_self(), "cv-http-io");
        ioc_.run();
      });
    }
    return absl::OkStatus();
  }

  uint16_t port() const override { return port_; }

  int open_connections() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(connections_.size());
  }

  void Shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopped_) return;
      stopped_ = true;
      draining_.store(true);
    }
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ec;
      acceptor_.close(ec);
    });
    ForEachConnection([](const std::shared_ptr<Connection>& c) { c->Drain(); });
    {
      std::unique_lock<std::mutex> lock(mu_);
      bool drained = cv_.wait_for(lock, Millis(options_.shutdown_grace_ms),
                                  [this] { return connections_.empty(); });
      if (!drained) {
        log::Warn("http", "shutdown_grace_expired",
                  {{"open_connections", static_cast<int64_t>(connections_.size())}});
      }
    }
    ForEachConnection([](const std::shared_ptr<Connection>& c) { c->ForceClose(); });
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, Millis(1000), [this] { return connections_.empty(); });
    }
    pool_.join();
    work_.reset();
    ioc_.stop();
    for (auto& t : io_threads_) t.join();
    io_threads_.clear();
  }

  // Called by connections.
  const HttpOptions& options() const { return options_; }
  HttpHandler& handler() { return handler_; }
  net::thread_pool& pool() { return pool_; }
  bool draining() const { return draining_.load(); }

  void Register(const std::shared_ptr<Connection>& c) {
    std::lock_guard<std::mutex> lock(mu_);
    connections_[c->id()] = c;
  }
  void Unregister(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    connections_.erase(id);
    cv_.notify_all();
  }

 private:
  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket s) {
      if (ec) {
        if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
        log::Warn("http", "accept_failed", {{"error", ec.message()}});
      } else if (draining()) {
        return;
      } else if (open_connections() >= options_.max_connections) {
        beast::error_code ignored;
        s.close(ignored);
        log::Warn("http", "connection_refused", {{"reason", "max_connections"}});
      } else {
        auto c = std::make_shared<Connection>(std::move(s), *this, ++next_id_);
        Register(c);
        c->Start();
      }
      if (acceptor_.is_open()) Accept();
    });
  }

  template <typename Fn>
  void ForEachConnection(Fn fn) {
    std::vector<std::shared_ptr<Connection>> live;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& [id, weak] : connections_) {
        if (auto c = weak.lock()) live.push_back(std::move(c));
      }
    }
    for (auto& c : live) fn(c);
  }

  const HttpOptions options_;
  HttpHandler& handler_;
  // Declared before the io_context: connections still queued in it when it
  // is destroyed unregister themselves here.
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false;
  std::map<uint64_t, std::weak_ptr<Connection>> connections_;
  std::atomic<bool> draining_{false};
  std::atomic<uint64_t> next_id_{0};
  uint16_t port_ = 0;
  net::io_context ioc_;
  // Keeps the I/O threads running while every connection waits on a handler.
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  tcp::acceptor acceptor_;
  net::thread_pool pool_;
  std::vector<std::thread> io_threads_;
};

Connection::Connection(tcp::socket socket, Server& server, uint64_t id)
    : stream_(std::move(socket)), server_(server), id_(id), timer_(stream_.get_executor()) {}

Connection::~Connection() { server_.Unregister(id_); }

void Connection::Start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
}

void Connection::Drain() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    // Waiting for a next request that will not be served: close. A request
    // being read, handled or written finishes and then closes.
    if (self->state_ == State::kIdle) self->CloseNow();
  });
}

void Connection::ForceClose() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->CloseNow(); });
}

void Connection::ArmTimer(Millis after) {
  timed_out_ = false;
  timer_.expires_after(after);
  timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec) return;  // cancelled
    self->timed_out_ = true;
    beast::error_code ignored;
    self->stream_.socket().cancel(ignored);
  });
}

// Keep-alive: wait (idle timeout) for the first bytes of the next request,
// then give the client the header deadline to send the rest.
void Connection::WaitForRequest() {
  if (server_.draining()) return CloseNow();
  if (buffer_.size() > 0) return ReadHeader();
  state_ = State::kIdle;
  ArmTimer(Millis(server_.options().idle_timeout_ms));
  stream_.expires_never();
  stream_.async_read_some(buffer_.prepare(4096),
                          [self = shared_from_this()](beast::error_code ec, size_t n) {
                            self->timer_.cancel();
                            if (ec || self->state_ == State::kClosing) return self->CloseNow();
                            self->buffer_.commit(n);
                            self->ReadHeader();
                          });
}

void Connection::ReadHeader() {
  if (state_ == State::kClosing) return;
  state_ = first_request_ && buffer_.size() == 0 ? State::kIdle : State::kReading;
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(server_.options().max_header_bytes));
  parser_->body_limit(static_cast<uint64_t>(server_.options().max_body_bytes));
  ArmTimer(Millis(server_.options().header_timeout_ms));
  stream_.expires_never();
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
}

void Connection::OnHeader(beast::error_code ec) {
  timer_.cancel();
  if (ec) return OnReadError(ec);
  state_ = State::kReading;
  first_request_ = false;
  // Clients that ask first (curl does for larger bodies) get their go-ahead
  // now: the headers passed the size limits, including Content-Length.
  auto expect = parser_->get().find(http::field::expect);
  if (expect != parser_->get().end() && beast::iequals(expect->value(), "100-continue")) {
    stream_.expires_after(Millis(server_.options().write_timeout_ms));
    http::async_write(stream_, continue_, [self = shared_from_this()](beast::error_code e, size_t) {
      if (e) return self->CloseNow();
      self->ReadBody();
    });
    return;
  }
  ReadBody();
}

void Connection::ReadBody() {
  ArmTimer(Millis(server_.options().read_timeout_ms));
  stream_.expires_never();
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code e, size_t) { self->OnBody(e); });
}

void Connection::OnBody(beast::error_code ec) {
  timer_.cancel();
  if (ec) return OnReadError(ec);
  Dispatch();
}

void Connection::OnReadError(beast::error_code ec) {
  if (state_ == State::kClosing) return;
  int status = 0;
  std::string_view code;
  std::string_view detail;
  if (timed_out_) {
    bool nothing_sent = state_ == State::kIdle && buffer_.size() == 0 &&
                        !(parser_.has_value() && parser_->got_some());
    if (nothing_sent) return CloseNow();
    status = 408;
    code = "request_timeout";
    detail = "the request was not received in time";
  } else if (ec == http::error::body_limit) {
    status = 413;
    code = "payload_too_large";
    detail = "the request body is larger than this server accepts";
  } else if (ec == http::error::header_limit) {
    status = 431;
    code = "headers_too_large";
    detail = "the request headers are larger than this server accepts";
  } else if (ec == http::error::end_of_stream || ec == net::error::eof ||
             ec == net::error::connection_reset || ec == net::error::operation_aborted ||
             ec == http::error::partial_message) {
    return CloseNow();
  } else if (ec.category() == http::make_error_code(http::error::bad_method).category()) {
    status = 400;
    code = "invalid_request";
    detail = "the request is not valid HTTP/1.1";
  } else {
    return CloseNow();
  }
  state_ = State::kHandling;
  Write(server_.handler().Reject(status, code, detail), /*close=*/true);
}

void Connection::Dispatch() {
  state_ = State::kHandling;
  auto msg = parser_->release();
  HttpRequest req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  size_t q = req.target.find('?');
  req.path = req.target.substr(0, q);
  if (q != std::string::npos) req.query = req.target.substr(q + 1);
  for (const auto& field : msg) {
    req.headers.emplace_back(absl::AsciiStrToLower(std::string(field.name_string())),
                             std::string(field.value()));
  }
  req.keep_alive = msg.keep_alive();
  req.body = std::move(msg.body());
  net::post(server_.pool(), [self = shared_from_this(), req = std::move(req)]() mutable {
    // Names the pool's threads (top -H, perf) the first time each runs a request.
    thread_local bool named = pthread_setname_np(pthread_self(), "cv-http-handler") == 0;
    (void)named;
    HttpResponse res = self->server_.handler().Handle(req);
    bool close = !req.keep_alive;
    net::post(self->stream_.get_executor(), [self, res = std::move(res), close]() mutable {
      self->Write(std::move(res), close);
    });
  });
}

void Connection::Write(HttpResponse response, bool close) {
  if (state_ == State::kClosing) return;
  close = close || server_.draining();
  state_ = State::kWriting;
  if (response.stream) return WriteStream(std::move(response), close);
  response_ = {};
  response_.version(11);
  response_.result(static_cast<unsigned>(response.status));
  response_.set(http::field::server, "convault");
  for (auto& [k, v] : response.headers) response_.set(k, v);
  if (!response.content_type.empty())
    response_.set(http::field::content_type, response.content_type);
  response_.body() = std::move(response.body);
  response_.keep_alive(!close);
  response_.prepare_payload();
  stream_.expires_after(Millis(server_.options().write_timeout_ms));
  http::async_write(stream_, response_,
                    [self = shared_from_this(), close](beast::error_code ec, size_t) {
                      self->OnWrite(close, ec);
                    });
}

void Connection::WriteStream(HttpResponse response, bool close) {
  stream_header_ = {};
  stream_header_.version(11);
  stream_header_.result(static_cast<unsigned>(response.status));
  stream_header_.set(http::field::server, "convault");
  for (auto& [k, v] : response.headers) stream_header_.set(k, v);
  if (!response.content_type.empty()) {
    stream_header_.set(http::field::content_type, response.content_type);
  }
  stream_header_.keep_alive(!close);
  stream_header_.chunked(true);
  stream_source_ = std::move(response.stream);
  stream_serializer_.emplace(stream_header_);
  stream_.expires_after(Millis(server_.options().write_timeout_ms));
  http::async_write_header(stream_, *stream_serializer_,
                           [self = shared_from_this(), close](beast::error_code ec, size_t) {
                             if (ec) return self->CloseNow();
                             self->WriteNextChunk(close);
                           });
}

void Connection::WriteNextChunk(bool close) {
  auto piece = stream_source_->Next();
  if (!piece.ok()) {
    log::Error("http", "stream_failed", {{"error", StdSv(piece.status().ToString())}});
    stream_source_.reset();
    return CloseNow();
  }
  stream_.expires_after(Millis(server_.options().write_timeout_ms));
  if (!piece->has_value()) {
    stream_source_.reset();
    net::async_write(stream_, http::make_chunk_last(),
                     [self = shared_from_this(), close](beast::error_code ec, size_t) {
                       self->OnWrite(close, ec);
                     });
    return;
  }
  chunk_ = std::move(**piece);
  if (chunk_.empty()) return WriteNextChunk(close);
  net::async_write(stream_, http::make_chunk(net::buffer(chunk_)),
                   [self = shared_from_this(), close](beast::error_code ec, size_t) {
                     if (ec) return self->CloseNow();
                     self->WriteNextChunk(close);
                   });
}

void Connection::OnWrite(bool close, beast::error_code ec) {
  if (ec) return CloseNow();
  if (close) return LingerAndClose();
  WaitForRequest();
}

// After an answer with "Connection: close", stop sending and read what the
// client still sends for a moment, so that it sees the answer instead of a reset.
void Connection::LingerAndClose() {
  state_ = State::kClosing;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.expires_after(Millis(2000));  // the whole linger, not per read
  DiscardUntilClosed();
}

void Connection::DiscardUntilClosed() {
  stream_.async_read_some(net::buffer(scratch_),
                          [self = shared_from_this()](beast::error_code ec, size_t) {
                            if (ec) return self->CloseNow();
                            self->DiscardUntilClosed();
                          });
}

void Connection::CloseNow() {
  state_ = State::kClosing;
  timer_.cancel();
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpOptions& options,
                                                              HttpHandler& handler) {
  auto server = std::make_unique<Server>(options, handler);
  absl::Status s = server->Listen();
  if (!s.ok()) return s;
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace convault
