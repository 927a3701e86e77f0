#pragma once

#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "api/api_service.h"
#include "api/auth.h"
#include "api/handlers/api_keys_handler.h"
#include "api/handlers/audit_handler.h"
#include "api/handlers/channels_handler.h"
#include "api/handlers/compliance_handler.h"
#include "api/handlers/consent_handler.h"
#include "api/handlers/end_users_handler.h"
#include "api/handlers/exports_handler.h"
#include "api/handlers/health_handler.h"
#include "api/handlers/inbound_handler.h"
#include "api/handlers/jobs_handler.h"
#include "api/handlers/keys_handler.h"
#include "api/handlers/legal_holds_handler.h"
#include "api/handlers/metrics_handler.h"
#include "api/handlers/privacy_requests_handler.h"
#include "api/handlers/privacy_search_handler.h"
#include "api/handlers/schema_handler.h"
#include "api/handlers/sensitive_data_rules_handler.h"
#include "api/handlers/sessions_handler.h"
#include "api/handlers/settings_handler.h"
#include "api/http_server.h"
#include "api/router.h"
#include "channels/byoc/byoc_sender.h"
#include "channels/http_client.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/metrics.h"
#include "config/config.h"
#include "crypto/blind_index.h"
#include "crypto/field_cipher.h"
#include "crypto/kek_rotator.h"
#include "crypto/key_manager.h"
#include "crypto/key_provider.h"
#include "messaging/delivery_worker.h"
#include "messaging/reapply.h"
#include "messaging/reply_service.h"
#include "messaging/sender_registry.h"
#include "messaging/transcripts.h"
#include "privacy/audit_log.h"
#include "privacy/bulk_export.h"
#include "privacy/export.h"
#include "privacy/privacy_service.h"
#include "privacy/retention.h"
#include "privacy/search.h"
#include "privacy/shred_log.h"
#include "server/data_dir.h"
#include "server/key_jobs.h"
#include "server/periodic_job.h"
#include "store/instrumented_store.h"
#include "store/key_store.h"
#include "store/store.h"

namespace convault {

// The provider named by keys.provider (docs/keys.md).
absl::StatusOr<std::unique_ptr<crypto::KeyProvider>> OpenKeyProvider(const Config& config);

// The composition root: builds the object graph from a validated Config and
// owns it. Nothing imports this component except the executable and tests.
class App {
 public:
  // Opens (creating when missing) the data directory, the data store and the
  // key store. Does not serve yet.
  static absl::StatusOr<std::unique_ptr<App>> Open(const Config& config, Clock& clock,
                                                   IdGenerator& ids);
  ~App();

  // Initializes the data directory when it is not: returns the new default
  // tenant and its admin key (to print once), or nullopt when it already was.
  absl::StatusOr<std::optional<NewTenant>> InitializeIfNeeded();

  // Starts the HTTP server on config.http.listen.
  absl::Status Serve();
  uint16_t port() const;

  // Graceful stop: HTTP drain, then the stores close. Idempotent.
  void Shutdown();

  Store& store() { return *store_; }
  KeyStore& key_store() { return *key_store_; }
  crypto::KeyProvider& key_provider() { return *key_provider_; }
  crypto::KeyManager& keys() { return *key_manager_; }
  privacy::AuditLog& audit() { return *audit_; }
  privacy::PrivacyService& privacy() { return *privacy_; }
  privacy::SearchService& search() { return *search_; }
  privacy::ExportService& exports() { return *exports_; }
  privacy::BulkExportService& bulk_exports() { return *bulk_exports_; }
  privacy::RetentionSweeper& retention() { return *retention_; }
  crypto::FieldCipher& field_cipher() { return *field_cipher_; }
  // Null before Serve().
  SessionSweeper* sweeper() { return sweeper_.get(); }
  DeliveryWorker* delivery() { return delivery_.get(); }
  TranscriptService* transcripts() { return transcripts_.get(); }
  ReapplyService* reapply() { return reapply_.get(); }
  crypto::BlindIndexer& blind_index() { return *blind_index_; }
  crypto::KekRotator& kek_rotator() { return *kek_rotator_; }
  // One round of the background key jobs (rewrap, destroy drained KEK versions), now.
  absl::Status RunKeyJobsOnce();
  MetricsRegistry& metrics() { return metrics_; }
  const DataDirLayout& layout() const { return layout_; }
  // The routes being served (after Serve()).
  const Router& router() const { return router_; }

 private:
  App(const Config& config, Clock& clock, IdGenerator& ids);

  const Config config_;
  Clock& clock_;
  IdGenerator& ids_;
  DataDirLayout layout_;
  MetricsRegistry metrics_;
  std::unique_ptr<Store> base_store_;
  std::unique_ptr<InstrumentedStore> store_;
  std::unique_ptr<KeyStore> key_store_;
  std::unique_ptr<crypto::KeyProvider> key_provider_;
  std::unique_ptr<crypto::KeyManager> key_manager_;
  std::unique_ptr<crypto::FieldCipher> field_cipher_;
  std::unique_ptr<crypto::BlindIndexer> blind_index_;
  std::unique_ptr<crypto::KekRotator> kek_rotator_;
  std::unique_ptr<KeyJobs> key_jobs_;
  std::unique_ptr<Authenticator> auth_;
  Router router_;
  std::unique_ptr<HealthHandler> health_;
  std::unique_ptr<MetricsHandler> metrics_handler_;
  std::unique_ptr<ApiKeysHandler> api_keys_;
  std::unique_ptr<KeysHandler> keys_handler_;
  std::unique_ptr<RuleService> rules_;
  std::unique_ptr<SensitiveDataRulesHandler> rules_handler_;
  std::unique_ptr<ChannelService> channels_;
  std::unique_ptr<ChannelsHandler> channels_handler_;
  std::unique_ptr<SettingsHandler> settings_handler_;
  // The senders outlive everything that queues or delivers replies.
  std::unique_ptr<HttpClient> http_client_;
  std::unique_ptr<ByocSender> byoc_sender_;
  SenderRegistry senders_;
  std::unique_ptr<IngestPipeline> ingest_;
  std::unique_ptr<InboundHandler> inbound_handler_;
  std::unique_ptr<ConversationReader> reader_;
  std::unique_ptr<privacy::AuditLog> audit_;
  std::unique_ptr<privacy::ShredLog> shred_log_;
  std::unique_ptr<privacy::PrivacyService> privacy_;
  std::unique_ptr<PrivacyRequestsHandler> privacy_requests_handler_;
  std::unique_ptr<LegalHoldsHandler> legal_holds_handler_;
  std::unique_ptr<AuditHandler> audit_handler_;
  std::unique_ptr<ConsentHandler> consent_handler_;
  std::unique_ptr<SchemaHandler> schema_handler_;
  std::unique_ptr<ComplianceHandler> compliance_handler_;
  std::unique_ptr<privacy::BulkExportService> bulk_exports_;
  std::unique_ptr<ExportsHandler> exports_handler_;
  std::unique_ptr<privacy::SearchService> search_;
  std::unique_ptr<privacy::ExportService> exports_;
  std::unique_ptr<privacy::RetentionSweeper> retention_;
  std::unique_ptr<PrivacySearchHandler> search_handler_;
  std::unique_ptr<ReplyService> replies_;
  std::unique_ptr<TranscriptService> transcripts_;
  std::unique_ptr<ReapplyService> reapply_;
  std::unique_ptr<JobsHandler> jobs_handler_;
  std::unique_ptr<PeriodicJob> reapply_jobs_;
  std::unique_ptr<SessionsHandler> sessions_handler_;
  std::unique_ptr<SessionSweeper> sweeper_;
  std::unique_ptr<PeriodicJob> session_jobs_;
  std::unique_ptr<DeliveryWorker> delivery_;
  std::unique_ptr<PeriodicJob> delivery_jobs_;
  std::unique_ptr<EndUsersHandler> end_users_handler_;
  std::unique_ptr<IdempotencyKeys> idempotency_;
  std::unique_ptr<ApiService> service_;
  std::unique_ptr<HttpServer> http_;
  bool shut_down_ = false;
};

}  // namespace convault
