#include "server/app.h"

#include "common/log.h"
#include "common/status.h"
#include "store/sqlite/sqlite_key_store.h"
#include "store/sqlite/sqlite_store.h"

namespace convault {

App::App(const Config& config, Clock& clock, IdGenerator& ids)
    : config_(config), clock_(clock), ids_(ids), layout_(config.data_dir) {}

App::~App() { Shutdown(); }

absl::StatusOr<std::unique_ptr<App>> App::Open(const Config& config, Clock& clock,
                                               IdGenerator& ids) {
  std::unique_ptr<App> app(new App(config, clock, ids));
  CV_RETURN_IF_ERROR(EnsureDataDir(app->layout_));

  auto& batch = app->metrics_
                    .AddHistogram("convault_store_commit_batch_size",
                                  "Writes committed together in one transaction.", {},
                                  {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024})
                    .With({});
  SqliteStore::Options so;
  so.path = app->layout_.data_db;
  so.busy_timeout_ms = config.store.busy_timeout_ms;
  so.max_batch = config.store.max_batch;
  so.read_connections = config.store.read_connections;
  so.commit_observer = [&batch](size_t ops) { batch.Observe(static_cast<double>(ops)); };
  auto store = SqliteStore::Open(so, clock);
  if (!store.ok()) return store.status();
  app->base_store_ = std::move(*store);
  app->store_ = std::make_unique<InstrumentedStore>(*app->base_store_, app->metrics_);

  SqliteKeyStore::Options ko;
  ko.path = app->layout_.keys_db;
  ko.busy_timeout_ms = config.store.busy_timeout_ms;
  auto key_store = SqliteKeyStore::Open(ko, clock);
  if (!key_store.ok()) return key_store.status();
  app->key_store_ = std::move(*key_store);
  return app;
}

absl::StatusOr<std::optional<NewTenant>> App::InitializeIfNeeded() {
  CV_ASSIGN_OR_RETURN(bool initialized, IsInitialized(*store_));
  if (initialized) return std::optional<NewTenant>();
  CV_ASSIGN_OR_RETURN(NewTenant t, InitializeDataDir(layout_, *store_, clock_, ids_));
  log::Info("server", "data_dir_initialized",
            {{"tenant_id", t.tenant.id}, {"admin_key_id", t.admin_key_id}});
  return std::optional<NewTenant>(std::move(t));
}

absl::Status App::Serve() {
  auth_ = std::make_unique<Authenticator>(*store_);
  health_ = std::make_unique<HealthHandler>(*store_, *key_store_);
  health_->Register(router_);
  metrics_handler_ = std::make_unique<MetricsHandler>(metrics_);
  metrics_handler_->Register(router_);
  api_keys_ = std::make_unique<ApiKeysHandler>(*store_, clock_, ids_);
  api_keys_->Register(router_);
  service_ = std::make_unique<ApiService>(router_, *auth_, metrics_, ids_);
  auto http = HttpServer::Start(config_.http, *service_);
  if (!http.ok()) return http.status();
  http_ = std::move(*http);
  log::Info("server", "listening",
            {{"address", config_.http.listen.host}, {"port", static_cast<int>(http_->port())}});
  return absl::OkStatus();
}

uint16_t App::port() const { return http_ ? http_->port() : 0; }

void App::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  if (http_) {
    log::Info("server", "draining", {});
    http_->Shutdown();
  }
  if (store_) store_->Close();
  if (key_store_) key_store_->Close();
  if (http_) log::Info("server", "stopped", {});
}

}  // namespace convault
