#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/group_commit_writer.h"
#include "store/sqlite/read_pool.h"
#include "store/sqlite/row_cache.h"
#include "store/store.h"

namespace convault {

// The embedded store: one SQLite file in WAL mode with synchronous=FULL,
// foreign keys on, a busy timeout (so the CLI can work beside a running
// server), one writer thread with group commit and a pool of readers.
class SqliteStore final : public Store {
 public:
  struct Options {
    std::string path;  // the database file, e.g. DATA_DIR/data.db
    int busy_timeout_ms = 5000;
    int max_batch = 512;
    int read_connections = 4;
    // The log is checkpointed once it holds this many pages (SQLite's
    // default is 1,000), mostly on a thread of its own (sqlite::Checkpointer).
    // A longer log copies a page written by many commits back to the
    // database once per checkpoint instead of several times: 12% fewer bytes
    // written per message under ingest load; the log stays within about
    // twice this (32 MB).
    int checkpoint_pages = 4000;
    sqlite::GroupCommitWriter::CommitObserver commit_observer;
  };

  // Opens (creating when missing) and migrates the database.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const Options& options, Clock& clock);
  ~SqliteStore() override;

  absl::Status CheckReady() override;
  absl::Status CreateTenant(const Tenant& tenant, const ApiKey& admin_key) override;
  absl::StatusOr<Tenant> GetTenant(std::string_view tenant_id) override;
  absl::StatusOr<Tenant> FindTenantByName(std::string_view name) override;
  absl::StatusOr<std::vector<Tenant>> ListTenants() override;
  absl::Status CreateApiKey(const ApiKey& key) override;
  absl::StatusOr<ApiKey> GetApiKey(std::string_view tenant_id, std::string_view key_id) override;
  absl::StatusOr<ApiKey> FindApiKeyForAuth(std::string_view key_id) override;
  absl::StatusOr<Page<ApiKey>> ListApiKeys(std::string_view tenant_id,
                                           const ListOptions& options) override;
  absl::Status DeleteApiKey(std::string_view tenant_id, std::string_view key_id) override;
  absl::Status AddIndexEntries(const std::vector<BlindIndexEntry>& entries) override;
  absl::StatusOr<std::vector<BlindIndexEntry>> FindIndexEntries(std::string_view tenant_id,
                                                                std::string_view index_name,
                                                                uint64_t token, int limit) override;
  absl::StatusOr<int64_t> DeleteIndexEntriesOfSubject(std::string_view tenant_id,
                                                      std::string_view subject_id) override;
  absl::StatusOr<SensitiveDataRuleSet> GetRuleSet(std::string_view tenant_id) override;
  absl::StatusOr<int64_t> GetRuleSetVersion(std::string_view tenant_id) override;
  absl::Status InitRuleSet(std::string_view tenant_id,
                           const std::vector<SensitiveDataRule>& rules) override;
  absl::StatusOr<int64_t> CreateRule(const SensitiveDataRule& rule) override;
  absl::StatusOr<int64_t> UpdateRule(const SensitiveDataRule& rule) override;
  absl::StatusOr<int64_t> DeleteRule(std::string_view tenant_id, std::string_view rule_id) override;
  absl::StatusOr<TenantSettings> GetSettings(std::string_view tenant_id) override;
  absl::Status PutSettings(std::string_view tenant_id, const TenantSettings& settings) override;
  absl::Status CreateChannel(const Channel& channel) override;
  absl::StatusOr<Channel> GetChannel(std::string_view tenant_id,
                                     std::string_view channel_id) override;
  absl::StatusOr<Page<Channel>> ListChannels(std::string_view tenant_id,
                                             const ListOptions& options) override;
  absl::Status UpdateChannel(const Channel& channel) override;
  absl::Status DeleteChannel(std::string_view tenant_id, std::string_view channel_id) override;
  absl::StatusOr<InboundCommit> CommitInbound(const InboundWrite& write) override;
  absl::StatusOr<std::optional<InboundRecord>> FindInbound(std::string_view tenant_id,
                                                           std::string_view channel_id,
                                                           std::string_view external_id) override;
  absl::StatusOr<EndUser> GetEndUser(std::string_view tenant_id,
                                     std::string_view end_user_id) override;
  absl::StatusOr<std::optional<Session>> FindActiveSession(std::string_view tenant_id,
                                                           std::string_view channel_id,
                                                           std::string_view end_user_id) override;
  absl::StatusOr<Session> GetSession(std::string_view tenant_id,
                                     std::string_view session_id) override;
  absl::StatusOr<Page<Session>> ListSessions(std::string_view tenant_id,
                                             const SessionFilter& filter,
                                             const ListOptions& options) override;
  absl::StatusOr<std::vector<Entry>> ListEntries(std::string_view tenant_id,
                                                 std::string_view session_id, int64_t after_seq,
                                                 int limit) override;
  absl::StatusOr<std::vector<ContextEntry>> ListContext(std::string_view tenant_id,
                                                        std::string_view session_id) override;
  absl::StatusOr<std::vector<Participant>> ListParticipants(std::string_view tenant_id,
                                                            std::string_view session_id) override;
  absl::StatusOr<std::vector<Entry>> AppendEntries(const EntriesWrite& write) override;
  absl::StatusOr<Session> EndSession(std::string_view tenant_id, std::string_view session_id,
                                     absl::Time at, std::string_view reason) override;
  absl::StatusOr<SweepCounts> SweepSessions(std::string_view tenant_id, std::string_view channel_id,
                                            absl::Time inactive_before, absl::Time end_before,
                                            absl::Time now) override;
  absl::StatusOr<Entry> GetEntry(std::string_view tenant_id, std::string_view entry_id) override;
  absl::StatusOr<std::vector<OutboxItem>> ClaimOutbox(absl::Time now, absl::Duration lease,
                                                      int limit) override;
  absl::Status FinishDelivery(const OutboxItem& item, DeliveryStatus status) override;
  absl::Status RetryDelivery(const OutboxItem& item, absl::Time next) override;
  absl::Status PutTranscript(const Transcript& transcript) override;
  absl::StatusOr<Transcript> GetTranscript(std::string_view tenant_id,
                                           std::string_view session_id) override;
  absl::StatusOr<std::vector<Session>> ListEndedWithoutTranscript(int limit) override;
  absl::Status AppendConsent(const ConsentRecord& record) override;
  absl::StatusOr<std::vector<ConsentRecord>> ListConsent(std::string_view tenant_id,
                                                         std::string_view end_user_id) override;
  absl::StatusOr<TokenRow> GetToken(std::string_view tenant_id, std::string_view token) override;
  absl::Status PutJob(const Job& job) override;
  absl::StatusOr<Job> GetJob(std::string_view tenant_id, std::string_view job_id) override;
  absl::StatusOr<std::vector<Job>> ListRunningJobs(int limit) override;
  absl::StatusOr<std::vector<Entry>> ListEntriesAfter(std::string_view tenant_id,
                                                      std::string_view after, int limit) override;
  absl::StatusOr<std::vector<ContextEntry>> ListContextAfter(std::string_view tenant_id,
                                                             std::string_view after,
                                                             int limit) override;
  absl::StatusOr<std::vector<Transcript>> ListTranscriptsAfter(std::string_view tenant_id,
                                                               std::string_view after,
                                                               int limit) override;
  absl::Status UpdateEntryContent(const Entry& entry) override;
  absl::Status UpdateContextValue(const ContextEntry& context) override;
  absl::Status AddTokens(const std::vector<TokenRow>& tokens) override;
  absl::StatusOr<AuditRecord> AppendAudit(AuditRecord record, const AuditChainer& chain) override;
  absl::StatusOr<std::vector<AuditRecord>> ListAudit(std::string_view tenant_id, int64_t after_seq,
                                                     int limit) override;
  absl::StatusOr<std::vector<AuditRecord>> ListAuditBySubject(std::string_view tenant_id,
                                                              std::string_view subject_hash,
                                                              int64_t after_seq,
                                                              int limit) override;
  absl::Status PutPrivacyRequest(const PrivacyRequest& request) override;
  absl::StatusOr<PrivacyRequest> GetPrivacyRequest(std::string_view tenant_id,
                                                   std::string_view request_id) override;
  absl::StatusOr<Page<PrivacyRequest>> ListPrivacyRequests(std::string_view tenant_id,
                                                           const ListOptions& options) override;
  absl::StatusOr<Page<PrivacyRequest>> ListPrivacyRequestsOf(std::string_view tenant_id,
                                                             std::string_view end_user_id,
                                                             const ListOptions& options) override;
  absl::Status PutLegalHold(const LegalHold& hold) override;
  absl::StatusOr<LegalHold> GetLegalHold(std::string_view tenant_id,
                                         std::string_view end_user_id) override;
  absl::Status DeleteLegalHold(std::string_view tenant_id, std::string_view end_user_id) override;
  absl::Status SetProcessingRestricted(std::string_view tenant_id, std::string_view end_user_id,
                                       bool restricted, absl::Time at) override;
  absl::StatusOr<RetentionBatch> ExpireSessions(std::string_view tenant_id,
                                                std::string_view channel_id, absl::Time before,
                                                int limit) override;
  absl::Status PutContextKeyClass(const ContextKeyClass& c) override;
  absl::StatusOr<std::vector<ContextKeyClass>> ListContextKeyClasses(
      std::string_view tenant_id) override;
  absl::Status PutIdempotentResponse(const IdempotentResponse& response) override;
  absl::StatusOr<IdempotentResponse> GetIdempotentResponse(std::string_view tenant_id,
                                                           std::string_view api_key_id,
                                                           std::string_view key) override;
  absl::StatusOr<int> DeleteIdempotentResponses(absl::Time before, int limit) override;
  absl::Status DeleteIdempotentResponse(std::string_view tenant_id, std::string_view api_key_id,
                                        std::string_view key) override;
  absl::Status AddSuppression(std::string_view tenant_id, std::string_view channel_id,
                              std::string_view key_hash, absl::Time at) override;
  absl::StatusOr<bool> IsSuppressed(std::string_view tenant_id, std::string_view channel_id,
                                    std::string_view key_hash) override;
  absl::StatusOr<ErasureCounts> EraseSubject(std::string_view tenant_id,
                                             std::string_view end_user_id) override;
  void Close() override;

  // Checkpoint passes completed on the checkpoint thread.
  int CheckpointPassesForTesting();

 private:
  absl::StatusOr<std::vector<ContextKeyClass>> ReadContextKeyClasses(std::string_view tenant_id);

  SqliteStore(std::unique_ptr<sqlite::GroupCommitWriter> writer,
              std::unique_ptr<sqlite::ReadPool> readers,
              std::unique_ptr<sqlite::Checkpointer> checkpointer)
      : checkpointer_(std::move(checkpointer)),
        writer_(std::move(writer)),
        readers_(std::move(readers)) {}

  // Declared before the writer, so destroyed after it: the writer's
  // connection reports its commits to it.
  std::unique_ptr<sqlite::Checkpointer> checkpointer_;
  std::unique_ptr<sqlite::GroupCommitWriter> writer_;
  std::unique_ptr<sqlite::ReadPool> readers_;
  // Read on every request; changed only through this store (the CLI, the
  // only other process that writes, adds tenants and keys: new ids).
  sqlite::RowCache<ApiKey> api_keys_{4096};
  sqlite::RowCache<Channel> channels_{4096};
  sqlite::RowCache<TenantSettings> settings_{4096};
  // A tenant's context key classes, read for every message with context.
  sqlite::RowCache<std::vector<ContextKeyClass>> key_classes_{4096};
};

}  // namespace convault
