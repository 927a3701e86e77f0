#pragma once

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace convault::testing {

// A real HTTP/1.1 receiver on 127.0.0.1 (plain sockets, one request per
// connection) for outbound delivery tests: records every request and answers
// with the configured status codes in turn (the last one repeats).
class HttpReceiver {
 public:
  struct Received {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
  };

  HttpReceiver();
  ~HttpReceiver();
  std::string Url(const std::string& path) const;
  void RespondWith(std::vector<int> statuses);
  std::vector<Received> Requests();

 private:
  void Loop();
  void Serve(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  absl::Mutex mu_;
  std::vector<int> statuses_ ABSL_GUARDED_BY(mu_) = {200};
  size_t answered_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<Received> received_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace convault::testing
