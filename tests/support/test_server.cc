#include "support/test_server.h"

#include "gtest/gtest.h"
#include "server/data_dir.h"

namespace convault::testing {

TestServer::TestServer(const std::function<void(Config&)>& tweak, std::string data_dir) {
  if (data_dir.empty()) {
    temp_ = std::make_unique<TempDir>();
    data_dir = temp_->path();
  }
  data_dir_ = data_dir;
  Config config;
  config.data_dir = data_dir_;
  config.http.listen = {"127.0.0.1", 0};
  config.http.io_threads = 2;
  config.http.handler_threads = 4;
  config.http.shutdown_grace_ms = 5000;
  if (tweak) tweak(config);
  auto app = App::Open(config, clock_, ids_);
  if (!app.ok()) {
    ADD_FAILURE() << "App::Open: " << app.status();
    return;
  }
  app_ = std::move(*app);
  auto fresh = app_->InitializeIfNeeded();
  if (!fresh.ok()) ADD_FAILURE() << "InitializeIfNeeded: " << fresh.status();
  if (fresh.ok() && fresh->has_value()) {
    admin_key_ = std::string((*fresh)->admin_key.Reveal());
    tenant_id_ = (*fresh)->tenant.id;
  }
  absl::Status s = app_->Serve();
  if (!s.ok()) ADD_FAILURE() << "Serve: " << s;
  client_ = std::make_unique<HttpClient>(app_->port());
}

TestServer::~TestServer() { Stop(); }

void TestServer::Stop() {
  client_.reset();
  if (app_) app_->Shutdown();
}

std::pair<std::string, std::string> TestServer::CreateTenant(const std::string& name) {
  auto t = CreateTenantWithAdminKey(app_->store(), name, clock_, ids_);
  if (!t.ok()) {
    ADD_FAILURE() << t.status();
    return {};
  }
  return {t->tenant.id, std::string(t->admin_key.Reveal())};
}

std::pair<std::string, std::string> TestServer::CreateKey(const std::string& admin_key,
                                                          const std::vector<std::string>& roles) {
  Response r = client_->PostJson("/v1/api-keys", admin_key, {{"name", "test"}, {"roles", roles}});
  EXPECT_EQ(r.status, 201) << r.body;
  auto j = r.Json();
  if (!j.is_object() || !j.contains("id")) return {};
  return {j["id"].get<std::string>(), j["key"].get<std::string>()};
}

}  // namespace convault::testing
