#include "server/app.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status.h"
#include "common/strings.h"
#include "crypto/file_key_provider.h"
#include "crypto/pkcs11_key_provider.h"
#include "store/sqlite/sqlite_key_store.h"
#include "store/sqlite/sqlite_store.h"

namespace convault {

absl::StatusOr<std::unique_ptr<crypto::KeyProvider>> OpenKeyProvider(const Config& config) {
  const std::string& uri = config.keys.provider;
  if (uri.rfind("pkcs11:", 0) == 0) {
    auto options = crypto::ParsePkcs11Uri(uri);
    if (!options.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: keys.provider: ", options.status().message()));
    }
    auto p = crypto::Pkcs11KeyProvider::Open(*options);
    if (!p.ok()) return p.status();
    return std::unique_ptr<crypto::KeyProvider>(std::move(*p));
  }
  std::string dir = (std::filesystem::path(config.data_dir) / "kek").string();
  if (uri.rfind("file:", 0) == 0) dir = uri.substr(5);
  auto p = crypto::FileKeyProvider::Open(dir);
  if (!p.ok()) return p.status();
  return std::unique_ptr<crypto::KeyProvider>(std::move(*p));
}

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

  auto provider = OpenKeyProvider(config);
  if (!provider.ok()) return provider.status();
  app->key_provider_ = std::move(*provider);
  crypto::KeyManagerOptions ko2;
  ko2.cache_capacity = static_cast<size_t>(config.keys.cache_capacity);
  ko2.cache_ttl = absl::Seconds(config.keys.cache_ttl_seconds);
  app->key_manager_ =
      std::make_unique<crypto::KeyManager>(*app->key_provider_, *app->key_store_, clock, ko2);
  app->field_cipher_ = std::make_unique<crypto::FieldCipher>(*app->key_manager_);
  app->blind_index_ = std::make_unique<crypto::BlindIndexer>(*app->key_manager_, clock,
                                                             config.keys.blind_index_bits);
  crypto::KekRotatorOptions ro;
  ro.destroy_grace = absl::Seconds(config.keys.destroy_grace_seconds);
  app->kek_rotator_ =
      std::make_unique<crypto::KekRotator>(*app->key_provider_, *app->key_store_, clock, ro);
  CV_RETURN_IF_ERROR(app->kek_rotator_->Sync());
  app->audit_ = std::make_unique<privacy::AuditLog>(*app->store_, *app->key_manager_, clock);
  app->shred_log_ = std::make_unique<privacy::ShredLog>(
      (std::filesystem::path(config.data_dir) / "shred.log").string());
  app->privacy_ = std::make_unique<privacy::PrivacyService>(
      *app->store_, *app->key_store_, *app->key_manager_, *app->field_cipher_, *app->blind_index_,
      *app->audit_, *app->shred_log_, clock, ids);
  app->reader_ = std::make_unique<ConversationReader>(*app->store_, *app->field_cipher_);
  app->transcripts_ =
      std::make_unique<TranscriptService>(*app->store_, *app->field_cipher_, *app->reader_, clock);
  app->exports_ = std::make_unique<privacy::ExportService>(
      *app->store_, *app->field_cipher_, *app->reader_, *app->audit_, clock,
      (std::filesystem::path(config.data_dir) / "exports").string());
  app->privacy_->set_exports(app->exports_.get());
  app->retention_ = std::make_unique<privacy::RetentionSweeper>(*app->store_, *app->privacy_,
                                                                *app->audit_, clock);
  app->search_ = std::make_unique<privacy::SearchService>(*app->store_, *app->field_cipher_,
                                                          *app->blind_index_);
  crypto::KeyManager* km = app->key_manager_.get();
  app->metrics_.AddCallback("convault_key_cache_hits_total", "Data-key cache hits.",
                            MetricsRegistry::Kind::kCounter,
                            [km] { return static_cast<double>(km->cache_hits()); });
  app->metrics_.AddCallback(
      "convault_key_cache_misses_total", "Data-key cache misses (key store read and unwrap).",
      MetricsRegistry::Kind::kCounter, [km] { return static_cast<double>(km->cache_misses()); });
  app->metrics_.AddCallback("convault_key_cache_keys", "Unwrapped data keys held now.",
                            MetricsRegistry::Kind::kGauge,
                            [km] { return static_cast<double>(km->cached_keys()); });
  app->metrics_.AddCallback(
      "convault_crypto_keys_with_contexts",
      "Data keys holding pooled cipher contexts now (at most 16,384 in the process).",
      MetricsRegistry::Kind::kGauge,
      [] { return static_cast<double>(crypto::AesGcmAead::PooledKeys()); });
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
  // Erasures stay erased: finish every one of the shred log (after a crash
  // midway, or a restore of an older backup) before anything is served.
  auto replayed = privacy_->ReplayShredLog();
  if (!replayed.ok()) return replayed.status();
  if (*replayed > 0) log::Info("privacy", "shred_log_replayed", {{"records", *replayed}});
  auth_ = std::make_unique<Authenticator>(*store_);
  health_ = std::make_unique<HealthHandler>(*store_, *key_store_);
  health_->Register(router_);
  metrics_handler_ = std::make_unique<MetricsHandler>(metrics_);
  metrics_handler_->Register(router_);
  api_keys_ = std::make_unique<ApiKeysHandler>(*store_, clock_, ids_);
  api_keys_->Register(router_);
  keys_handler_ = std::make_unique<KeysHandler>(*store_, *key_store_, *kek_rotator_,
                                                [this] { key_jobs_->Wake(); });
  keys_handler_->Register(router_);
  rules_ = std::make_unique<RuleService>(*store_, clock_, ids_);
  channels_ = std::make_unique<ChannelService>(*store_, *field_cipher_, clock_, ids_);
  channels_handler_ = std::make_unique<ChannelsHandler>(*channels_);
  channels_handler_->Register(router_);
  settings_handler_ = std::make_unique<SettingsHandler>(*store_);
  settings_handler_->Register(router_);
  http_client_ = std::make_unique<CurlHttpClient>();
  byoc_sender_ = std::make_unique<ByocSender>(*http_client_);
  senders_.Set(ChannelType::kByoc, byoc_sender_.get());
  ingest_ = std::make_unique<IngestPipeline>(*store_, *field_cipher_, *blind_index_, *rules_,
                                             senders_, clock_, ids_);
  inbound_handler_ = std::make_unique<InboundHandler>(*channels_, *ingest_, config_.messaging);
  inbound_handler_->Register(router_);
  replies_ = std::make_unique<ReplyService>(*store_, *field_cipher_, *rules_, *reader_, senders_,
                                            clock_, ids_);
  reapply_ = std::make_unique<ReapplyService>(*store_, *field_cipher_, *rules_, *transcripts_,
                                              clock_, ids_);
  rules_handler_ = std::make_unique<SensitiveDataRulesHandler>(*rules_, reapply_.get());
  rules_handler_->Register(router_);
  jobs_handler_ = std::make_unique<JobsHandler>(*store_);
  jobs_handler_->Register(router_);
  sessions_handler_ = std::make_unique<SessionsHandler>(*store_, *reader_, *replies_, *transcripts_,
                                                        clock_, config_.messaging);
  sessions_handler_->Register(router_);
  end_users_handler_ =
      std::make_unique<EndUsersHandler>(*store_, *channels_, *reader_, *blind_index_);
  end_users_handler_->Register(router_);
  privacy_requests_handler_ =
      std::make_unique<PrivacyRequestsHandler>(*store_, *privacy_, *exports_, clock_);
  privacy_requests_handler_->Register(router_);
  legal_holds_handler_ = std::make_unique<LegalHoldsHandler>(*store_, *privacy_);
  legal_holds_handler_->Register(router_);
  audit_handler_ = std::make_unique<AuditHandler>(*store_, *audit_);
  consent_handler_ = std::make_unique<ConsentHandler>(*store_, *field_cipher_, clock_, ids_);
  consent_handler_->Register(router_);
  schema_handler_ = std::make_unique<SchemaHandler>(*store_, clock_);
  schema_handler_->Register(router_);
  compliance_handler_ = std::make_unique<ComplianceHandler>(*store_, *rules_, *kek_rotator_);
  compliance_handler_->Register(router_);
  bulk_exports_ = std::make_unique<privacy::BulkExportService>(
      *store_, *field_cipher_, *reader_, *transcripts_, clock_, ids_,
      (std::filesystem::path(config_.data_dir) / "exports").string());
  exports_handler_ = std::make_unique<ExportsHandler>(*store_, *bulk_exports_, clock_);
  exports_handler_->Register(router_);
  search_handler_ = std::make_unique<PrivacySearchHandler>(*search_);
  search_handler_->Register(router_);
  audit_handler_->Register(router_);
  idempotency_ = std::make_unique<IdempotencyKeys>(*store_, *field_cipher_, clock_);
  service_ = std::make_unique<ApiService>(router_, *auth_, metrics_, ids_, audit_.get(),
                                          idempotency_.get());
  sweeper_ = std::make_unique<SessionSweeper>(*store_, clock_);
  session_jobs_ = std::make_unique<
      PeriodicJob>(absl::Seconds(config_.messaging.sweep_interval_seconds), [this] {
    auto counts = sweeper_->RunOnce();
    if (!counts.ok()) {
      log::Error("sessions", "sweep_failed", {{"error", StdSv(counts.status().ToString())}});
    } else if (counts->made_inactive + counts->ended > 0) {
      log::Info("sessions", "swept",
                {{"inactive", counts->made_inactive}, {"ended", counts->ended}});
    }
    auto finalized = transcripts_->RunOnce();
    if (!finalized.ok()) {
      log::Error("sessions", "transcripts_failed",
                 {{"error", StdSv(finalized.status().ToString())}});
    }
    auto retained = retention_->RunOnce();
    if (!retained.ok()) {
      log::Error("privacy", "retention_failed", {{"error", StdSv(retained.status().ToString())}});
    } else if (retained->deleted.sessions > 0) {
      log::Info("privacy", "retention_swept",
                {{"sessions", retained->deleted.sessions},
                 {"end_users_erased", retained->end_users_erased}});
    }
    // Subject exports, then bulk exports: the same folder, each its own files.
    for (absl::StatusOr<int> expired :
         {exports_->DeleteExpired(), bulk_exports_->DeleteExpired()}) {
      if (!expired.ok()) {
        log::Error("privacy", "export_expiry_failed",
                   {{"error", StdSv(expired.status().ToString())}});
      } else if (*expired > 0) {
        log::Info("privacy", "exports_expired", {{"deleted", *expired}});
      }
    }
    auto answers = idempotency_->DeleteExpired(10000);
    if (!answers.ok()) {
      log::Error("http", "idempotency_expiry_failed",
                 {{"error", StdSv(answers.status().ToString())}});
    }
  });
  reapply_jobs_ = std::make_unique<PeriodicJob>(absl::Seconds(1), [this] {
    while (true) {
      auto moved = reapply_->RunOnce();
      if (!moved.ok()) {
        log::Error("rules", "reapply_failed", {{"error", StdSv(moved.status().ToString())}});
        return;
      }
      if (*moved == 0) return;
    }
  });
  delivery_ = std::make_unique<DeliveryWorker>(*store_, *channels_, *reader_, senders_, clock_);
  delivery_jobs_ = std::make_unique<PeriodicJob>(
      absl::Milliseconds(config_.messaging.delivery_interval_ms), [this] {
        while (true) {
          auto counts = delivery_->RunOnce();
          if (!counts.ok()) {
            log::Error("delivery", "round_failed", {{"error", StdSv(counts.status().ToString())}});
            return;
          }
          if (counts->sent + counts->retried + counts->dead_lettered == 0) return;
        }
      });
  key_jobs_ =
      std::make_unique<KeyJobs>(*kek_rotator_, absl::Seconds(config_.keys.rewrap_interval_seconds));
  auto http = HttpServer::Start(config_.http, *service_);
  if (!http.ok()) return http.status();
  http_ = std::move(*http);
  log::Info("server", "listening",
            {{"address", config_.http.listen.host}, {"port", static_cast<int>(http_->port())}});
  return absl::OkStatus();
}

absl::Status App::RunKeyJobsOnce() { return KeyJobs::RunOnce(*kek_rotator_); }

uint16_t App::port() const { return http_ ? http_->port() : 0; }

void App::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  if (http_) {
    log::Info("server", "draining", {});
    http_->Shutdown();
  }
  if (key_jobs_) key_jobs_->Stop();
  if (session_jobs_) session_jobs_->Stop();
  if (delivery_jobs_) delivery_jobs_->Stop();
  if (reapply_jobs_) reapply_jobs_->Stop();
  if (store_) store_->Close();
  if (key_store_) key_store_->Close();
  if (http_) log::Info("server", "stopped", {});
}

}  // namespace convault
