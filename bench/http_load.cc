// A closed-loop HTTP/1.1 load generator for convault's benchmarks: a fixed
// number of keep-alive connections, each sending its share of a fixed number
// of requests back to back. Loopback only; bounded in count. Prints one JSON
// line: requests, seconds, requests/s, latency percentiles, errors.
// With --corpus, each request is an inbound message built from the next line
// of a redaction corpus (bench/corpus): message id m<n>, end user
// visitor-<n mod people> (so people return), context on a person's first
// message. With --rate, requests are paced (open loop) and latency counts from
// each request's scheduled time, so a stalled server is not hidden.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <utility>  // Boost.Asio 1.74 uses std::exchange without including it
#include <vector>

#include "CLI/CLI.hpp"
#include "boost/asio.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "nlohmann/json.hpp"

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  CLI::App app{"http_load: bounded closed-loop HTTP load on 127.0.0.1"};
  int port = 0;
  std::string method = "GET";
  std::string path = "/healthz";
  std::string bearer;
  std::string body;
  std::string label;
  int connections = 16;
  int requests = 20000;
  std::string corpus_file;
  int people = 1000;
  double rate = 0;
  int offset = 0;
  int first_person = 0;
  app.add_option("--port", port, "server port on 127.0.0.1")->required();
  app.add_option("--method", method);
  app.add_option("--path", path);
  app.add_option("--bearer", bearer, "API key");
  app.add_option("--body", body, "JSON body (its {n} is replaced by a request counter)");
  app.add_option("--label", label);
  app.add_option("--connections", connections)->check(CLI::Range(1, 1024));
  app.add_option("--requests", requests)->check(CLI::Range(1, 10000000));
  app.add_option("--corpus", corpus_file, "corpus.txt: POST inbound messages built from its lines");
  app.add_option("--people", people, "distinct end users with --corpus")
      ->check(CLI::Range(1, 100000000));
  app.add_option("--rate", rate, "requests per second in all (0: as fast as answered)");
  app.add_option("--offset", offset, "first request number (message ids m<offset>...)");
  app.add_option("--first-person", first_person,
                 "with --corpus: people are visitor-<first-person + k>");
  CLI11_PARSE(app, argc, argv);
  std::vector<std::string> corpus;
  if (!corpus_file.empty()) {
    std::ifstream in(corpus_file);
    std::string line;
    while (std::getline(in, line)) corpus.push_back(line);
    if (corpus.empty()) {
      std::cerr << "empty corpus\n";
      return 2;
    }
    method = "POST";
  }

  // The request numbered n (its body built from the corpus or --body).
  auto make_request = [&](int n) {
    http::request<http::string_body> req;
    req.method_string(method);
    req.target(path);
    req.version(11);
    req.set(http::field::host, "localhost");
    if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
    if (!corpus.empty()) {
      int person = first_person + n % people;
      nlohmann::json m = {{"message_id", "m" + std::to_string(n)},
                          {"from",
                           {{"platform_key", "visitor-" + std::to_string(person)},
                            {"name", "Visitor " + std::to_string(person)}}},
                          {"text", corpus[static_cast<size_t>(n) % corpus.size()]}};
      if (n < people) {
        m["context"] = {{"page", "/help"},
                        {"order", std::to_string(n)},
                        {"email", "visitor" + std::to_string(person) + "@example.org"}};
      }
      req.set(http::field::content_type, "application/json");
      req.body() = m.dump();
    } else if (!body.empty()) {
      std::string b = body;
      size_t at = b.find("{n}");
      if (at != std::string::npos) b.replace(at, 3, std::to_string(n));
      req.set(http::field::content_type, "application/json");
      req.body() = std::move(b);
    }
    req.prepare_payload();
    return req;
  };

  // Every connection is driven by callbacks on one thread's event loop (the
  // load shares the cores with the server: a blocked thread per connection
  // cost twice the CPU time per request).
  std::atomic<int> next{0};
  std::atomic<int> errors{0};
  std::vector<std::vector<double>> latencies(connections);
  auto start = Clock::now();
  struct Connection {
    explicit Connection(net::io_context& ioc) : stream(ioc), timer(ioc) {}
    beast::tcp_stream stream;
    net::steady_timer timer;
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::response<http::string_body> res;
    Clock::time_point t0;
  };
  net::io_context ioc;
  std::vector<std::unique_ptr<Connection>> conns;
  std::function<void(int)> send_next;
  // Sends the connection's request (made ready) and reads the answer.
  auto exchange = [&](int c) {
    Connection& x = *conns[static_cast<size_t>(c)];
    http::async_write(x.stream, x.req, [&, c](beast::error_code ec, size_t) {
      Connection& y = *conns[static_cast<size_t>(c)];
      if (ec) {
        errors.fetch_add(1);
        return;
      }
      y.res = {};
      http::async_read(y.stream, y.buffer, y.res, [&, c](beast::error_code rec, size_t) {
        Connection& z = *conns[static_cast<size_t>(c)];
        auto t1 = Clock::now();
        if (rec || z.res.result_int() >= 400) errors.fetch_add(1);
        if (rec) return;
        latencies[static_cast<size_t>(c)].push_back(
            std::chrono::duration<double, std::milli>(t1 - z.t0).count());
        send_next(c);
      });
    });
  };
  send_next = [&](int c) {
    Connection& x = *conns[static_cast<size_t>(c)];
    int k = next.fetch_add(1);
    if (k >= requests) {
      beast::error_code ignored;
      x.stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
      return;
    }
    x.req = make_request(offset + k);
    x.t0 = Clock::now();
    if (rate > 0) {  // open loop: request k is due at start + k / rate
      auto due = start + std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(k / rate));
      if (due > x.t0) {
        x.t0 = due;
        x.timer.expires_at(due);
        x.timer.async_wait([&, c](beast::error_code) { exchange(c); });
        return;
      }
      x.t0 = due;
    }
    exchange(c);
  };
  const tcp::endpoint server(net::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port));
  for (int c = 0; c < connections; ++c) {
    conns.push_back(std::make_unique<Connection>(ioc));
    conns.back()->stream.async_connect(server, [&, c](beast::error_code ec) {
      if (ec) {
        errors.fetch_add(1);
        return;
      }
      send_next(c);
    });
  }
  ioc.run();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))];
  };
  nlohmann::json out = {{"label", label.empty() ? method + " " + path : label},
                        {"requests", all.size()},
                        {"connections", connections},
                        {"seconds", seconds},
                        {"rps", all.size() / seconds},
                        {"p50_ms", pct(0.50)},
                        {"p99_ms", pct(0.99)},
                        {"p999_ms", pct(0.999)},
                        {"errors", errors.load()}};
  std::cout << out.dump() << std::endl;
  return errors.load() == 0 ? 0 : 1;
}
