#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/ids.h"
#include "config/config.h"
#include "server/app.h"
#include "support/http_client.h"
#include "support/temp_dir.h"

namespace convault::testing {

// A real server for tests: the composition root on a fresh data directory
// (SQLite store, key store), bound to a free loopback port.
class TestServer {
 public:
  // `tweak` may change the config before start.
  explicit TestServer(const std::function<void(Config&)>& tweak = nullptr,
                      std::string data_dir = "");
  ~TestServer();

  uint16_t port() const { return app_->port(); }
  App& app() { return *app_; }
  FakeClock& clock() { return clock_; }
  const std::string& admin_key() const { return admin_key_; }
  const std::string& tenant_id() const { return tenant_id_; }
  const std::string& data_dir() const { return data_dir_; }
  HttpClient& client() { return *client_; }

  // Creates another tenant; returns {tenant id, admin key}.
  std::pair<std::string, std::string> CreateTenant(const std::string& name);
  // Creates an API key through the API; returns {id, key}.
  std::pair<std::string, std::string> CreateKey(const std::string& admin_key,
                                                const std::vector<std::string>& roles);

  void Stop();

 private:
  std::unique_ptr<TempDir> temp_;
  std::string data_dir_;
  FakeClock clock_;
  RandomIdGenerator ids_;
  std::unique_ptr<App> app_;
  std::string admin_key_;
  std::string tenant_id_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace convault::testing
