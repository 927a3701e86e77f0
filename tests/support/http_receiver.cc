#include "support/http_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace convault::testing {

HttpReceiver::HttpReceiver() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  listen(listen_fd_, 64);
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Loop(); });
}

HttpReceiver::~HttpReceiver() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  close(listen_fd_);
}

std::string HttpReceiver::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void HttpReceiver::RespondWith(std::vector<int> statuses) {
  absl::MutexLock lock(&mu_);
  statuses_ = std::move(statuses);
  answered_ = 0;
}

std::vector<HttpReceiver::Received> HttpReceiver::Requests() {
  absl::MutexLock lock(&mu_);
  return received_;
}

void HttpReceiver::Loop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd >= 0) Serve(fd);
  }
}

void HttpReceiver::Serve(int fd) {
  std::string data;
  char buf[4096];
  size_t header_end = std::string::npos;
  size_t need = 0;
  while (true) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 2000) <= 0) break;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (header_end == std::string::npos) {
      header_end = data.find("\r\n\r\n");
      if (header_end == std::string::npos) continue;
      std::string lower = data.substr(0, header_end);
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      size_t cl = lower.find("content-length:");
      need = cl == std::string::npos ? 0 : std::stoul(lower.substr(cl + 15));
    }
    if (data.size() >= header_end + 4 + need) break;
  }
  Received r;
  if (header_end != std::string::npos) {
    std::string head = data.substr(0, header_end);
    size_t line_end = head.find("\r\n");
    std::string first = head.substr(0, line_end);
    r.method = first.substr(0, first.find(' '));
    size_t path_start = first.find(' ') + 1;
    r.path = first.substr(path_start, first.find(' ', path_start) - path_start);
    size_t at = line_end + 2;
    while (at < head.size()) {
      size_t end = head.find("\r\n", at);
      if (end == std::string::npos) end = head.size();
      std::string line = head.substr(at, end - at);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        size_t v = line.find_first_not_of(' ', colon + 1);
        r.headers[name] = v == std::string::npos ? "" : line.substr(v);
      }
      at = end + 2;
    }
    r.body = data.substr(header_end + 4, need);
  }
  int status;
  {
    absl::MutexLock lock(&mu_);
    status = statuses_[std::min(answered_, statuses_.size() - 1)];
    ++answered_;
    received_.push_back(std::move(r));
  }
  std::string answer =
      "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  (void)!write(fd, answer.data(), answer.size());
  close(fd);
}

}  // namespace convault::testing
