#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace convault::testing {

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  nlohmann::json Json() const;
  std::string Header(const std::string& lower_name) const;
};

// A blocking HTTP/1.1 client for tests, on one keep-alive connection.
class HttpClient {
 public:
  explicit HttpClient(uint16_t port, std::string host = "127.0.0.1");
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request; reconnects when the previous answer closed the connection.
  Response Send(const std::string& method, const std::string& target,
                const std::string& bearer = "", const std::string& body = "",
                const std::map<std::string, std::string>& headers = {});
  Response Get(const std::string& target, const std::string& bearer = "") {
    return Send("GET", target, bearer);
  }
  Response PostJson(const std::string& target, const std::string& bearer,
                    const nlohmann::json& body) {
    return Send("POST", target, bearer, body.dump(), {{"Content-Type", "application/json"}});
  }

 private:
  struct Impl;
  Impl* impl_;
};

// A raw TCP connection for malformed and slow requests.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  bool connected() const { return fd_ >= 0; }
  void Send(const std::string& bytes);
  // Tells the server that nothing more will be sent.
  void ShutdownWrite();
  // One blocking read of whatever has arrived ("" when closed).
  std::string ReadSome();
  // Reads until the peer closes (or `max_bytes`); blocking.
  std::string ReadAll(size_t max_bytes = 1 << 20);
  // Parses the first response in what ReadAll returned.
  static Response ParseResponse(const std::string& raw);

 private:
  int fd_ = -1;
};

}  // namespace convault::testing
