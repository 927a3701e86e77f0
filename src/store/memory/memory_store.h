#pragma once

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "absl/synchronization/mutex.h"
#include "store/store.h"

namespace convault {

// An in-memory Store for unit tests of the layers above it. Passes the same
// conformance suite as the real backends; keeps nothing across restarts.
class MemoryStore final : public Store {
 public:
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

 private:
  absl::Status CheckOpen() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Privacy requests newest first; only `end_user_id`'s when it is not empty.
  absl::StatusOr<Page<PrivacyRequest>> PageOfRequests(std::string_view tenant_id,
                                                      std::string_view end_user_id,
                                                      const ListOptions& options);
  // Erasure and retention: deletes the rows that belong to these (already
  // removed) sessions of the tenant: entries, participants, context entries,
  // outbox rows and transcripts, counted into `n`. Returns the ids of the
  // entries, participants and context entries removed.
  std::set<std::string> EraseRowsOfSessions(const std::string& tenant,
                                            const std::set<std::string>& sessions, ErasureCounts& n)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  std::map<std::string, Tenant, std::less<>> tenants_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, ApiKey, std::less<>> api_keys_ ABSL_GUARDED_BY(mu_);
  // (tenant, index, token, object type, object id, field) -> entry
  std::map<std::tuple<std::string, std::string, uint64_t, std::string, std::string, std::string>,
           BlindIndexEntry>
      index_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, SensitiveDataRuleSet, std::less<>> rule_sets_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, TenantSettings, std::less<>> settings_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, Channel> channels_ ABSL_GUARDED_BY(mu_);
  // (tenant, id) -> row
  std::map<std::pair<std::string, std::string>, EndUser> end_users_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, Session> sessions_ ABSL_GUARDED_BY(mu_);
  // (tenant, session, seq) -> entry
  std::map<std::tuple<std::string, std::string, int64_t>, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::vector<ContextEntry> context_ ABSL_GUARDED_BY(mu_);
  std::vector<Participant> participants_ ABSL_GUARDED_BY(mu_);
  std::vector<OutboxItem> outbox_ ABSL_GUARDED_BY(mu_);
  std::vector<ConsentRecord> consent_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, Job> jobs_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, TokenRow> tokens_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, Transcript> transcripts_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, int64_t>, AuditRecord> audit_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, PrivacyRequest> requests_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, LegalHold> holds_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, ContextKeyClass> context_keys_ ABSL_GUARDED_BY(mu_);
  std::set<std::tuple<std::string, std::string, std::string>> suppressions_ ABSL_GUARDED_BY(mu_);
  // (tenant, API key, key) -> answer
  std::map<std::tuple<std::string, std::string, std::string>, IdempotentResponse>
      idempotent_responses_ ABSL_GUARDED_BY(mu_);
  // (tenant, channel, external id) -> record
  std::map<std::tuple<std::string, std::string, std::string>, InboundRecord> inbound_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace convault
