// The transport: keep-alive, graceful shutdown with a request in flight.
#include "api/http_server.h"

#include <thread>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "support/http_client.h"

namespace convault {
namespace {

using testing::HttpClient;
using testing::RawConnection;
using testing::Response;

// Answers 200; "/slow" waits until released.
class BlockingHandler final : public HttpHandler {
 public:
  HttpResponse Handle(const HttpRequest& request) override {
    if (request.path == "/slow") {
      entered.Notify();
      release.WaitForNotification();
    }
    HttpResponse r;
    r.content_type = "text/plain";
    r.body = "done " + request.path;
    return r;
  }
  HttpResponse Reject(int status, std::string_view, std::string_view) override {
    HttpResponse r;
    r.status = status;
    return r;
  }
  absl::Notification entered;
  absl::Notification release;
};

HttpOptions Options() {
  HttpOptions o;
  o.listen = {"127.0.0.1", 0};
  o.io_threads = 2;
  o.handler_threads = 2;
  o.shutdown_grace_ms = 10000;
  return o;
}

TEST(HttpServer, KeepAliveServesManyRequestsOnOneConnection) {
  BlockingHandler handler;
  auto server = HttpServer::Start(Options(), handler);
  ASSERT_TRUE(server.ok()) << server.status();
  HttpClient client((*server)->port());
  for (int i = 0; i < 20; ++i) {
    Response r = client.Get("/n" + std::to_string(i));
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "done /n" + std::to_string(i));
  }
  EXPECT_EQ((*server)->open_connections(), 1);
  (*server)->Shutdown();
}

TEST(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  BlockingHandler handler;
  auto server = HttpServer::Start(Options(), handler);
  ASSERT_TRUE(server.ok());
  RawConnection raw((*server)->port());
  raw.Send(
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  raw.ShutdownWrite();
  std::string all = raw.ReadAll();
  size_t a = all.find("done /a");
  size_t b = all.find("done /b");
  ASSERT_NE(a, std::string::npos) << all;
  ASSERT_NE(b, std::string::npos) << all;
  EXPECT_LT(a, b);
  (*server)->Shutdown();
}

TEST(HttpServer, ShutdownFinishesTheRequestInFlightAndRefusesNewConnections) {
  BlockingHandler handler;
  auto started = HttpServer::Start(Options(), handler);
  ASSERT_TRUE(started.ok());
  HttpServer& server = **started;
  uint16_t port = server.port();

  // An idle keep-alive connection, and a request that is being handled.
  HttpClient idle(port);
  ASSERT_EQ(idle.Get("/warmup").status, 200);
  Response in_flight;
  std::thread client([&] {
    HttpClient c(port);
    in_flight = c.Get("/slow");
  });
  handler.entered.WaitForNotification();

  std::thread stopper([&] { server.Shutdown(); });
  // New connections are refused once the acceptor is closed.
  bool refused = false;
  for (int i = 0; i < 100000 && !refused; ++i) {
    RawConnection probe(port);
    refused = !probe.connected();
    if (!refused) std::this_thread::yield();
  }
  EXPECT_TRUE(refused);

  handler.release.Notify();
  client.join();
  stopper.join();
  EXPECT_EQ(in_flight.status, 200);
  EXPECT_EQ(in_flight.body, "done /slow");
  EXPECT_EQ(in_flight.Header("connection"), "close");
  EXPECT_EQ(server.open_connections(), 0);
}

TEST(HttpServer, AnswersExpect100ContinueBeforeReadingTheBody) {
  BlockingHandler handler;
  auto server = HttpServer::Start(Options(), handler);
  ASSERT_TRUE(server.ok());
  RawConnection raw((*server)->port());
  raw.Send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(raw.ReadSome().rfind("HTTP/1.1 100 Continue\r\n", 0), 0u);
  raw.Send("hello");
  raw.ShutdownWrite();
  std::string rest = raw.ReadAll();
  EXPECT_NE(rest.find("done /upload"), std::string::npos) << rest;
  (*server)->Shutdown();
}

TEST(HttpServer, RefusesABadListenAddress) {
  BlockingHandler handler;
  HttpOptions o = Options();
  o.listen = {"not-an-ip", 0};
  EXPECT_FALSE(HttpServer::Start(o, handler).ok());
}

}  // namespace
}  // namespace convault
