#include "store/instrumented_store.h"

#include <chrono>

namespace convault {
namespace {
const absl::Status& StatusOf(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}
}  // namespace

InstrumentedStore::InstrumentedStore(Store& base, MetricsRegistry& metrics)
    : base_(base),
      latency_(metrics.AddHistogram("convault_store_operation_duration_seconds",
                                    "Latency of data store operations.", {"op"},
                                    MetricsRegistry::LatencyBuckets())),
      errors_(metrics.AddCounter("convault_store_operation_errors_total",
                                 "Data store operations that failed.", {"op"})) {}

template <typename Fn>
auto InstrumentedStore::Timed(std::string_view op, Fn fn) -> decltype(fn()) {
  auto start = std::chrono::steady_clock::now();
  auto result = fn();
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  latency_.With({op}).Observe(elapsed.count());
  const absl::Status& s = StatusOf(result);
  if (!s.ok() && !absl::IsNotFound(s)) errors_.With({op}).Inc();
  return result;
}

absl::Status InstrumentedStore::CheckReady() {
  return Timed("check_ready", [&] { return base_.CheckReady(); });
}
absl::Status InstrumentedStore::CreateTenant(const Tenant& tenant, const ApiKey& admin_key) {
  return Timed("create_tenant", [&] { return base_.CreateTenant(tenant, admin_key); });
}
absl::StatusOr<Tenant> InstrumentedStore::GetTenant(std::string_view tenant_id) {
  return Timed("get_tenant", [&] { return base_.GetTenant(tenant_id); });
}
absl::StatusOr<Tenant> InstrumentedStore::FindTenantByName(std::string_view name) {
  return Timed("find_tenant_by_name", [&] { return base_.FindTenantByName(name); });
}
absl::StatusOr<std::vector<Tenant>> InstrumentedStore::ListTenants() {
  return Timed("list_tenants", [&] { return base_.ListTenants(); });
}
absl::Status InstrumentedStore::CreateApiKey(const ApiKey& key) {
  return Timed("create_api_key", [&] { return base_.CreateApiKey(key); });
}
absl::StatusOr<ApiKey> InstrumentedStore::GetApiKey(std::string_view tenant_id,
                                                    std::string_view key_id) {
  return Timed("get_api_key", [&] { return base_.GetApiKey(tenant_id, key_id); });
}
absl::StatusOr<ApiKey> InstrumentedStore::FindApiKeyForAuth(std::string_view key_id) {
  return Timed("find_api_key_for_auth", [&] { return base_.FindApiKeyForAuth(key_id); });
}
absl::StatusOr<Page<ApiKey>> InstrumentedStore::ListApiKeys(std::string_view tenant_id,
                                                            const ListOptions& options) {
  return Timed("list_api_keys", [&] { return base_.ListApiKeys(tenant_id, options); });
}
absl::Status InstrumentedStore::DeleteApiKey(std::string_view tenant_id, std::string_view key_id) {
  return Timed("delete_api_key", [&] { return base_.DeleteApiKey(tenant_id, key_id); });
}

absl::Status InstrumentedStore::AddIndexEntries(const std::vector<BlindIndexEntry>& entries) {
  return Timed("add_index_entries", [&] { return base_.AddIndexEntries(entries); });
}
absl::StatusOr<std::vector<BlindIndexEntry>> InstrumentedStore::FindIndexEntries(
    std::string_view tenant_id, std::string_view index_name, uint64_t token, int limit) {
  return Timed("find_index_entries",
               [&] { return base_.FindIndexEntries(tenant_id, index_name, token, limit); });
}
absl::StatusOr<int64_t> InstrumentedStore::DeleteIndexEntriesOfSubject(
    std::string_view tenant_id, std::string_view subject_id) {
  return Timed("delete_index_entries_of_subject",
               [&] { return base_.DeleteIndexEntriesOfSubject(tenant_id, subject_id); });
}

absl::StatusOr<SensitiveDataRuleSet> InstrumentedStore::GetRuleSet(std::string_view tenant_id) {
  return Timed("get_rule_set", [&] { return base_.GetRuleSet(tenant_id); });
}
absl::StatusOr<int64_t> InstrumentedStore::GetRuleSetVersion(std::string_view tenant_id) {
  return Timed("get_rule_set_version", [&] { return base_.GetRuleSetVersion(tenant_id); });
}
absl::Status InstrumentedStore::InitRuleSet(std::string_view tenant_id,
                                            const std::vector<SensitiveDataRule>& rules) {
  return Timed("init_rule_set", [&] { return base_.InitRuleSet(tenant_id, rules); });
}
absl::StatusOr<int64_t> InstrumentedStore::CreateRule(const SensitiveDataRule& rule) {
  return Timed("create_rule", [&] { return base_.CreateRule(rule); });
}
absl::StatusOr<int64_t> InstrumentedStore::UpdateRule(const SensitiveDataRule& rule) {
  return Timed("update_rule", [&] { return base_.UpdateRule(rule); });
}
absl::StatusOr<int64_t> InstrumentedStore::DeleteRule(std::string_view tenant_id,
                                                      std::string_view rule_id) {
  return Timed("delete_rule", [&] { return base_.DeleteRule(tenant_id, rule_id); });
}

absl::StatusOr<TenantSettings> InstrumentedStore::GetSettings(std::string_view tenant_id) {
  return Timed("get_settings", [&] { return base_.GetSettings(tenant_id); });
}
absl::Status InstrumentedStore::PutSettings(std::string_view tenant_id,
                                            const TenantSettings& settings) {
  return Timed("put_settings", [&] { return base_.PutSettings(tenant_id, settings); });
}
absl::Status InstrumentedStore::CreateChannel(const Channel& channel) {
  return Timed("create_channel", [&] { return base_.CreateChannel(channel); });
}
absl::StatusOr<Channel> InstrumentedStore::GetChannel(std::string_view tenant_id,
                                                      std::string_view channel_id) {
  return Timed("get_channel", [&] { return base_.GetChannel(tenant_id, channel_id); });
}
absl::StatusOr<Page<Channel>> InstrumentedStore::ListChannels(std::string_view tenant_id,
                                                              const ListOptions& options) {
  return Timed("list_channels", [&] { return base_.ListChannels(tenant_id, options); });
}
absl::Status InstrumentedStore::UpdateChannel(const Channel& channel) {
  return Timed("update_channel", [&] { return base_.UpdateChannel(channel); });
}
absl::Status InstrumentedStore::DeleteChannel(std::string_view tenant_id,
                                              std::string_view channel_id) {
  return Timed("delete_channel", [&] { return base_.DeleteChannel(tenant_id, channel_id); });
}

absl::StatusOr<InboundCommit> InstrumentedStore::CommitInbound(const InboundWrite& write) {
  return Timed("commit_inbound", [&] { return base_.CommitInbound(write); });
}
absl::StatusOr<std::optional<InboundRecord>> InstrumentedStore::FindInbound(
    std::string_view tenant_id, std::string_view channel_id, std::string_view external_id) {
  return Timed("find_inbound",
               [&] { return base_.FindInbound(tenant_id, channel_id, external_id); });
}
absl::StatusOr<EndUser> InstrumentedStore::GetEndUser(std::string_view tenant_id,
                                                      std::string_view end_user_id) {
  return Timed("get_end_user", [&] { return base_.GetEndUser(tenant_id, end_user_id); });
}
absl::StatusOr<std::optional<Session>> InstrumentedStore::FindActiveSession(
    std::string_view tenant_id, std::string_view channel_id, std::string_view end_user_id) {
  return Timed("find_active_session",
               [&] { return base_.FindActiveSession(tenant_id, channel_id, end_user_id); });
}
absl::StatusOr<Session> InstrumentedStore::GetSession(std::string_view tenant_id,
                                                      std::string_view session_id) {
  return Timed("get_session", [&] { return base_.GetSession(tenant_id, session_id); });
}
absl::StatusOr<Page<Session>> InstrumentedStore::ListSessions(std::string_view tenant_id,
                                                              const SessionFilter& filter,
                                                              const ListOptions& options) {
  return Timed("list_sessions", [&] { return base_.ListSessions(tenant_id, filter, options); });
}
absl::StatusOr<std::vector<Entry>> InstrumentedStore::ListEntries(std::string_view tenant_id,
                                                                  std::string_view session_id,
                                                                  int64_t after_seq, int limit) {
  return Timed("list_entries",
               [&] { return base_.ListEntries(tenant_id, session_id, after_seq, limit); });
}
absl::StatusOr<std::vector<ContextEntry>> InstrumentedStore::ListContext(
    std::string_view tenant_id, std::string_view session_id) {
  return Timed("list_context", [&] { return base_.ListContext(tenant_id, session_id); });
}
absl::StatusOr<std::vector<Participant>> InstrumentedStore::ListParticipants(
    std::string_view tenant_id, std::string_view session_id) {
  return Timed("list_participants", [&] { return base_.ListParticipants(tenant_id, session_id); });
}

absl::StatusOr<std::vector<Entry>> InstrumentedStore::AppendEntries(const EntriesWrite& write) {
  return Timed("append_entries", [&] { return base_.AppendEntries(write); });
}
absl::StatusOr<Session> InstrumentedStore::EndSession(std::string_view tenant_id,
                                                      std::string_view session_id, absl::Time at,
                                                      std::string_view reason) {
  return Timed("end_session", [&] { return base_.EndSession(tenant_id, session_id, at, reason); });
}
absl::StatusOr<SweepCounts> InstrumentedStore::SweepSessions(std::string_view tenant_id,
                                                             std::string_view channel_id,
                                                             absl::Time inactive_before,
                                                             absl::Time end_before,
                                                             absl::Time now) {
  return Timed("sweep_sessions", [&] {
    return base_.SweepSessions(tenant_id, channel_id, inactive_before, end_before, now);
  });
}

absl::StatusOr<Entry> InstrumentedStore::GetEntry(std::string_view tenant_id,
                                                  std::string_view entry_id) {
  return Timed("get_entry", [&] { return base_.GetEntry(tenant_id, entry_id); });
}
absl::StatusOr<std::vector<OutboxItem>> InstrumentedStore::ClaimOutbox(absl::Time now,
                                                                       absl::Duration lease,
                                                                       int limit) {
  return Timed("claim_outbox", [&] { return base_.ClaimOutbox(now, lease, limit); });
}
absl::Status InstrumentedStore::FinishDelivery(const OutboxItem& item, DeliveryStatus status) {
  return Timed("finish_delivery", [&] { return base_.FinishDelivery(item, status); });
}
absl::Status InstrumentedStore::RetryDelivery(const OutboxItem& item, absl::Time next) {
  return Timed("retry_delivery", [&] { return base_.RetryDelivery(item, next); });
}

absl::Status InstrumentedStore::PutTranscript(const Transcript& transcript) {
  return Timed("put_transcript", [&] { return base_.PutTranscript(transcript); });
}
absl::StatusOr<Transcript> InstrumentedStore::GetTranscript(std::string_view tenant_id,
                                                            std::string_view session_id) {
  return Timed("get_transcript", [&] { return base_.GetTranscript(tenant_id, session_id); });
}
absl::StatusOr<std::vector<Session>> InstrumentedStore::ListEndedWithoutTranscript(int limit) {
  return Timed("list_ended_without_transcript",
               [&] { return base_.ListEndedWithoutTranscript(limit); });
}

absl::Status InstrumentedStore::AppendConsent(const ConsentRecord& record) {
  return Timed("append_consent", [&] { return base_.AppendConsent(record); });
}

absl::StatusOr<std::vector<ConsentRecord>> InstrumentedStore::ListConsent(
    std::string_view tenant_id, std::string_view end_user_id) {
  return Timed("list_consent", [&] { return base_.ListConsent(tenant_id, end_user_id); });
}

absl::StatusOr<TokenRow> InstrumentedStore::GetToken(std::string_view tenant_id,
                                                     std::string_view token) {
  return Timed("get_token", [&] { return base_.GetToken(tenant_id, token); });
}

absl::Status InstrumentedStore::PutJob(const Job& job) {
  return Timed("put_job", [&] { return base_.PutJob(job); });
}
absl::StatusOr<Job> InstrumentedStore::GetJob(std::string_view tenant_id, std::string_view job_id) {
  return Timed("get_job", [&] { return base_.GetJob(tenant_id, job_id); });
}
absl::StatusOr<std::vector<Job>> InstrumentedStore::ListRunningJobs(int limit) {
  return Timed("list_running_jobs", [&] { return base_.ListRunningJobs(limit); });
}
absl::StatusOr<std::vector<Entry>> InstrumentedStore::ListEntriesAfter(std::string_view tenant_id,
                                                                       std::string_view after,
                                                                       int limit) {
  return Timed("list_entries_after",
               [&] { return base_.ListEntriesAfter(tenant_id, after, limit); });
}
absl::StatusOr<std::vector<ContextEntry>> InstrumentedStore::ListContextAfter(
    std::string_view tenant_id, std::string_view after, int limit) {
  return Timed("list_context_after",
               [&] { return base_.ListContextAfter(tenant_id, after, limit); });
}
absl::StatusOr<std::vector<Transcript>> InstrumentedStore::ListTranscriptsAfter(
    std::string_view tenant_id, std::string_view after, int limit) {
  return Timed("list_transcripts_after",
               [&] { return base_.ListTranscriptsAfter(tenant_id, after, limit); });
}
absl::Status InstrumentedStore::UpdateEntryContent(const Entry& entry) {
  return Timed("update_entry_content", [&] { return base_.UpdateEntryContent(entry); });
}
absl::Status InstrumentedStore::UpdateContextValue(const ContextEntry& context) {
  return Timed("update_context_value", [&] { return base_.UpdateContextValue(context); });
}

absl::Status InstrumentedStore::AddTokens(const std::vector<TokenRow>& tokens) {
  return Timed("add_tokens", [&] { return base_.AddTokens(tokens); });
}

absl::StatusOr<AuditRecord> InstrumentedStore::AppendAudit(AuditRecord record,
                                                           const AuditChainer& chain) {
  return Timed("append_audit", [&] { return base_.AppendAudit(std::move(record), chain); });
}
absl::StatusOr<std::vector<AuditRecord>> InstrumentedStore::ListAudit(std::string_view tenant_id,
                                                                      int64_t after_seq,
                                                                      int limit) {
  return Timed("list_audit", [&] { return base_.ListAudit(tenant_id, after_seq, limit); });
}
absl::StatusOr<std::vector<AuditRecord>> InstrumentedStore::ListAuditBySubject(
    std::string_view tenant_id, std::string_view subject_hash, int64_t after_seq, int limit) {
  return Timed("list_audit_by_subject",
               [&] { return base_.ListAuditBySubject(tenant_id, subject_hash, after_seq, limit); });
}
absl::Status InstrumentedStore::PutPrivacyRequest(const PrivacyRequest& request) {
  return Timed("put_privacy_request", [&] { return base_.PutPrivacyRequest(request); });
}
absl::StatusOr<PrivacyRequest> InstrumentedStore::GetPrivacyRequest(std::string_view tenant_id,
                                                                    std::string_view request_id) {
  return Timed("get_privacy_request",
               [&] { return base_.GetPrivacyRequest(tenant_id, request_id); });
}
absl::StatusOr<Page<PrivacyRequest>> InstrumentedStore::ListPrivacyRequests(
    std::string_view tenant_id, const ListOptions& options) {
  return Timed("list_privacy_requests",
               [&] { return base_.ListPrivacyRequests(tenant_id, options); });
}
absl::StatusOr<Page<PrivacyRequest>> InstrumentedStore::ListPrivacyRequestsOf(
    std::string_view tenant_id, std::string_view end_user_id, const ListOptions& options) {
  return Timed("list_privacy_requests_of",
               [&] { return base_.ListPrivacyRequestsOf(tenant_id, end_user_id, options); });
}
absl::Status InstrumentedStore::PutLegalHold(const LegalHold& hold) {
  return Timed("put_legal_hold", [&] { return base_.PutLegalHold(hold); });
}
absl::StatusOr<LegalHold> InstrumentedStore::GetLegalHold(std::string_view tenant_id,
                                                          std::string_view end_user_id) {
  return Timed("get_legal_hold", [&] { return base_.GetLegalHold(tenant_id, end_user_id); });
}
absl::Status InstrumentedStore::DeleteLegalHold(std::string_view tenant_id,
                                                std::string_view end_user_id) {
  return Timed("delete_legal_hold", [&] { return base_.DeleteLegalHold(tenant_id, end_user_id); });
}
absl::Status InstrumentedStore::SetProcessingRestricted(std::string_view tenant_id,
                                                        std::string_view end_user_id,
                                                        bool restricted, absl::Time at) {
  return Timed("set_processing_restricted", [&] {
    return base_.SetProcessingRestricted(tenant_id, end_user_id, restricted, at);
  });
}
absl::StatusOr<RetentionBatch> InstrumentedStore::ExpireSessions(std::string_view tenant_id,
                                                                 std::string_view channel_id,
                                                                 absl::Time before, int limit) {
  return Timed("expire_sessions",
               [&] { return base_.ExpireSessions(tenant_id, channel_id, before, limit); });
}
absl::Status InstrumentedStore::PutContextKeyClass(const ContextKeyClass& c) {
  return Timed("put_context_key_class", [&] { return base_.PutContextKeyClass(c); });
}
absl::StatusOr<std::vector<ContextKeyClass>> InstrumentedStore::ListContextKeyClasses(
    std::string_view tenant_id) {
  return Timed("list_context_key_classes", [&] { return base_.ListContextKeyClasses(tenant_id); });
}
absl::Status InstrumentedStore::PutIdempotentResponse(const IdempotentResponse& response) {
  return Timed("put_idempotent_response", [&] { return base_.PutIdempotentResponse(response); });
}
absl::StatusOr<IdempotentResponse> InstrumentedStore::GetIdempotentResponse(
    std::string_view tenant_id, std::string_view api_key_id, std::string_view key) {
  return Timed("get_idempotent_response",
               [&] { return base_.GetIdempotentResponse(tenant_id, api_key_id, key); });
}
absl::StatusOr<int> InstrumentedStore::DeleteIdempotentResponses(absl::Time before, int limit) {
  return Timed("delete_idempotent_responses",
               [&] { return base_.DeleteIdempotentResponses(before, limit); });
}
absl::Status InstrumentedStore::DeleteIdempotentResponse(std::string_view tenant_id,
                                                         std::string_view api_key_id,
                                                         std::string_view key) {
  return Timed("delete_idempotent_response",
               [&] { return base_.DeleteIdempotentResponse(tenant_id, api_key_id, key); });
}
absl::Status InstrumentedStore::AddSuppression(std::string_view tenant_id,
                                               std::string_view channel_id,
                                               std::string_view key_hash, absl::Time at) {
  return Timed("add_suppression",
               [&] { return base_.AddSuppression(tenant_id, channel_id, key_hash, at); });
}
absl::StatusOr<bool> InstrumentedStore::IsSuppressed(std::string_view tenant_id,
                                                     std::string_view channel_id,
                                                     std::string_view key_hash) {
  return Timed("is_suppressed",
               [&] { return base_.IsSuppressed(tenant_id, channel_id, key_hash); });
}
absl::StatusOr<ErasureCounts> InstrumentedStore::EraseSubject(std::string_view tenant_id,
                                                              std::string_view end_user_id) {
  return Timed("erase_subject", [&] { return base_.EraseSubject(tenant_id, end_user_id); });
}

}  // namespace convault
