#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "model/api_key.h"
#include "model/audit_record.h"
#include "model/blind_index_entry.h"
#include "model/channel.h"
#include "model/idempotent_response.h"
#include "model/inbound.h"
#include "model/job.h"
#include "model/privacy_request.h"
#include "model/schema.h"
#include "model/sensitive_data_rule.h"
#include "model/tenant.h"
#include "model/tenant_settings.h"
#include "model/transcript.h"

namespace convault {

// Paging through a list ordered by id: at most `limit` items with id > `after`.
struct ListOptions {
  int limit = 50;
  std::string after;  // exclusive; empty for the first page
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;  // set when more items follow
};

// A legal hold on an end user (PRIVACY.md section 3): blocks erasure and
// retention deletion.
struct LegalHold {
  std::string tenant_id;
  std::string end_user_id;
  std::string reason_sealed;  // sealed under the tenant DEK
  std::string placed_by;      // API key id
  absl::Time placed_at;
};

// Computes a record's hash from all its other fields (prev_hash and seq set).
using AuditChainer = std::function<std::string(const AuditRecord& record)>;

// The data store: every persistent object except wrapped keys (KeyStore).
//
// Contract shared by every backend (memory, SQLite, PostgreSQL), proven by
// tests/store/store_conformance_test.cc:
// - Every object belongs to one tenant; every tenant-scoped call takes the
//   tenant id and never returns or changes another tenant's rows: a foreign
//   id answers NotFound, exactly like a missing one.
// - A call that returns OK has been committed durably; a failed call changed
//   nothing.
// - Errors: NotFound, AlreadyExists (unique key taken), FailedPrecondition
//   (a rule of the data would break), Unavailable (busy or closed),
//   Internal. Messages never contain stored values.
// - The store keeps the bytes it is given; it never sees plaintext of
//   encrypted fields and decides no policy.
// Thread safety: all methods may be called concurrently from any thread.
class Store {
 public:
  virtual ~Store() = default;

  // OK when the store answers and its schema is at the version this build expects.
  virtual absl::Status CheckReady() = 0;

  // Creates a tenant together with its first admin key, atomically.
  // AlreadyExists when the id or the name is taken.
  virtual absl::Status CreateTenant(const Tenant& tenant, const ApiKey& admin_key) = 0;
  virtual absl::StatusOr<Tenant> GetTenant(std::string_view tenant_id) = 0;
  virtual absl::StatusOr<Tenant> FindTenantByName(std::string_view name) = 0;
  virtual absl::StatusOr<std::vector<Tenant>> ListTenants() = 0;

  // NotFound when key.tenant_id is not a tenant; AlreadyExists when the id is taken.
  virtual absl::Status CreateApiKey(const ApiKey& key) = 0;
  virtual absl::StatusOr<ApiKey> GetApiKey(std::string_view tenant_id, std::string_view key_id) = 0;
  // Any tenant's key by id. Only for authenticating a presented token.
  virtual absl::StatusOr<ApiKey> FindApiKeyForAuth(std::string_view key_id) = 0;
  virtual absl::StatusOr<Page<ApiKey>> ListApiKeys(std::string_view tenant_id,
                                                   const ListOptions& options) = 0;
  // FailedPrecondition (code "last_admin_key") when it is the tenant's last admin key.
  virtual absl::Status DeleteApiKey(std::string_view tenant_id, std::string_view key_id) = 0;

  // Blind-index entries. Adding an entry that exists changes nothing.
  virtual absl::Status AddIndexEntries(const std::vector<BlindIndexEntry>& entries) = 0;
  // Candidates for a token, at most `limit`: the caller opens and compares them.
  virtual absl::StatusOr<std::vector<BlindIndexEntry>> FindIndexEntries(std::string_view tenant_id,
                                                                        std::string_view index_name,
                                                                        uint64_t token,
                                                                        int limit) = 0;
  // Removes every entry of a subject (erasure); returns how many.
  virtual absl::StatusOr<int64_t> DeleteIndexEntriesOfSubject(std::string_view tenant_id,
                                                              std::string_view subject_id) = 0;

  // Sensitive-data rules. Every change increases the tenant's rule-set version
  // by one in the same transaction and returns the new version.
  // The tenant's rules and version; version 0 and no rules when never initialized.
  virtual absl::StatusOr<SensitiveDataRuleSet> GetRuleSet(std::string_view tenant_id) = 0;
  // The version alone (cheap: callers poll it to refresh a compiled policy).
  virtual absl::StatusOr<int64_t> GetRuleSetVersion(std::string_view tenant_id) = 0;
  // Stores `rules` as version 1 when the tenant has no rule set yet; otherwise
  // changes nothing (concurrent callers are safe). NotFound for a missing tenant.
  virtual absl::Status InitRuleSet(std::string_view tenant_id,
                                   const std::vector<SensitiveDataRule>& rules) = 0;
  // NotFound (tenant), AlreadyExists (id taken).
  virtual absl::StatusOr<int64_t> CreateRule(const SensitiveDataRule& rule) = 0;
  // Replaces every field but id, tenant and created_at. NotFound (rule).
  virtual absl::StatusOr<int64_t> UpdateRule(const SensitiveDataRule& rule) = 0;
  virtual absl::StatusOr<int64_t> DeleteRule(std::string_view tenant_id,
                                             std::string_view rule_id) = 0;

  // Tenant settings; the defaults of TenantSettings until first put.
  // NotFound for a missing tenant.
  virtual absl::StatusOr<TenantSettings> GetSettings(std::string_view tenant_id) = 0;
  virtual absl::Status PutSettings(std::string_view tenant_id, const TenantSettings& settings) = 0;

  // Channels. NotFound (tenant) or AlreadyExists (id) on create.
  virtual absl::Status CreateChannel(const Channel& channel) = 0;
  virtual absl::StatusOr<Channel> GetChannel(std::string_view tenant_id,
                                             std::string_view channel_id) = 0;
  virtual absl::StatusOr<Page<Channel>> ListChannels(std::string_view tenant_id,
                                                     const ListOptions& options) = 0;
  // Replaces every field but id, tenant and created_at. NotFound.
  virtual absl::Status UpdateChannel(const Channel& channel) = 0;
  virtual absl::Status DeleteChannel(std::string_view tenant_id, std::string_view channel_id) = 0;

  // Messaging. CommitInbound writes everything of one inbound message in one
  // transaction: the idempotency record, the end user when new, the session
  // when new (else its status and activity), the entries (seq assigned in
  // order from the session's next_seq), context, participants, index entries
  // and outbox rows. A message id already recorded answers the stored record
  // with duplicate = true and writes nothing. Aborted when the caller's view is
  // stale: another end user indexed under the same platform-key token in this
  // channel, an active session created meanwhile, or the session ended.
  virtual absl::StatusOr<InboundCommit> CommitInbound(const InboundWrite& write) = 0;
  virtual absl::StatusOr<std::optional<InboundRecord>> FindInbound(
      std::string_view tenant_id, std::string_view channel_id, std::string_view external_id) = 0;
  virtual absl::StatusOr<EndUser> GetEndUser(std::string_view tenant_id,
                                             std::string_view end_user_id) = 0;
  // The session of (channel, end user) that is not ended, if any.
  virtual absl::StatusOr<std::optional<Session>> FindActiveSession(
      std::string_view tenant_id, std::string_view channel_id, std::string_view end_user_id) = 0;
  virtual absl::StatusOr<Session> GetSession(std::string_view tenant_id,
                                             std::string_view session_id) = 0;
  // By id; every filter field that is set must match.
  virtual absl::StatusOr<Page<Session>> ListSessions(std::string_view tenant_id,
                                                     const SessionFilter& filter,
                                                     const ListOptions& options) = 0;
  // Entries with seq > after_seq, in seq order, at most `limit`.
  virtual absl::StatusOr<std::vector<Entry>> ListEntries(std::string_view tenant_id,
                                                         std::string_view session_id,
                                                         int64_t after_seq, int limit) = 0;
  virtual absl::StatusOr<std::vector<ContextEntry>> ListContext(std::string_view tenant_id,
                                                                std::string_view session_id) = 0;
  virtual absl::StatusOr<std::vector<Participant>> ListParticipants(
      std::string_view tenant_id, std::string_view session_id) = 0;

  // Adds entries to a session that is not ended, assigning seq in order;
  // returns the entries as stored. NotFound (session), FailedPrecondition
  // (code "session_ended") when it has ended.
  virtual absl::StatusOr<std::vector<Entry>> AppendEntries(const EntriesWrite& write) = 0;
  // Ends a session (status ended, ended_at, end_reason). NotFound;
  // FailedPrecondition (code "session_ended") when it already has.
  virtual absl::StatusOr<Session> EndSession(std::string_view tenant_id,
                                             std::string_view session_id, absl::Time at,
                                             std::string_view reason) = 0;
  // For one channel: sessions new, waiting or active with no activity since
  // `inactive_before` become inactive; inactive ones with none since
  // `end_before` end (reason "inactivity", ended at `now`).
  virtual absl::StatusOr<SweepCounts> SweepSessions(std::string_view tenant_id,
                                                    std::string_view channel_id,
                                                    absl::Time inactive_before,
                                                    absl::Time end_before, absl::Time now) = 0;

  virtual absl::StatusOr<Entry> GetEntry(std::string_view tenant_id, std::string_view entry_id) = 0;

  // Delivery (the outbox), across tenants. Rows due at `now`, oldest first (a
  // session's in entry order when equally due), at
  // most `limit`; each claimed row's next_attempt_at moves to now + lease, so
  // no other worker takes it while it is sent (after a crash it is sent again
  // once the lease has passed).
  virtual absl::StatusOr<std::vector<OutboxItem>> ClaimOutbox(absl::Time now, absl::Duration lease,
                                                              int limit) = 0;
  // Sent or given up: the row leaves the outbox and the entry records `status`.
  virtual absl::Status FinishDelivery(const OutboxItem& item, DeliveryStatus status) = 0;
  // Failed for now: attempts + 1, due again at `next`, the entry's status failed.
  virtual absl::Status RetryDelivery(const OutboxItem& item, absl::Time next) = 0;

  // A tokenized original; NotFound for a missing or another tenant's token.
  virtual absl::StatusOr<TokenRow> GetToken(std::string_view tenant_id, std::string_view token) = 0;

  // Appends to the consent ledger. NotFound for a missing end user.
  virtual absl::Status AppendConsent(const ConsentRecord& record) = 0;
  // The consent ledger of an end user, oldest first.
  virtual absl::StatusOr<std::vector<ConsentRecord>> ListConsent(std::string_view tenant_id,
                                                                 std::string_view end_user_id) = 0;

  // Final transcripts. Put replaces; Get is NotFound before the first Put.
  virtual absl::Status PutTranscript(const Transcript& transcript) = 0;
  virtual absl::StatusOr<Transcript> GetTranscript(std::string_view tenant_id,
                                                   std::string_view session_id) = 0;
  // Ended sessions that have no final transcript yet, across tenants, at most `limit`.
  virtual absl::StatusOr<std::vector<Session>> ListEndedWithoutTranscript(int limit) = 0;

  // Jobs. PutJob inserts or replaces; GetJob is NotFound for another tenant's.
  virtual absl::Status PutJob(const Job& job) = 0;
  virtual absl::StatusOr<Job> GetJob(std::string_view tenant_id, std::string_view job_id) = 0;
  // Running jobs of every tenant, oldest first.
  virtual absl::StatusOr<std::vector<Job>> ListRunningJobs(int limit) = 0;

  // Rule re-apply. The tenant's entries / context entries / final transcripts
  // with an id (session id for transcripts) after `after`, by id.
  virtual absl::StatusOr<std::vector<Entry>> ListEntriesAfter(std::string_view tenant_id,
                                                              std::string_view after,
                                                              int limit) = 0;
  virtual absl::StatusOr<std::vector<ContextEntry>> ListContextAfter(std::string_view tenant_id,
                                                                     std::string_view after,
                                                                     int limit) = 0;
  virtual absl::StatusOr<std::vector<Transcript>> ListTranscriptsAfter(std::string_view tenant_id,
                                                                       std::string_view after,
                                                                       int limit) = 0;
  // Replaces an entry's masked content (message, payload, redactions, rule-set version).
  virtual absl::Status UpdateEntryContent(const Entry& entry) = 0;
  // Adds tokenized originals (re-apply with a tokenize rule).
  virtual absl::Status AddTokens(const std::vector<TokenRow>& tokens) = 0;
  // Replaces a context entry's sealed value.
  virtual absl::Status UpdateContextValue(const ContextEntry& context) = 0;

  // Audit log. Append sets seq (the tenant's last + 1) and prev_hash (the
  // last record's hash, 64 zeros for the first), then hash = chain(record),
  // all in one transaction, and returns the record as stored.
  virtual absl::StatusOr<AuditRecord> AppendAudit(AuditRecord record,
                                                  const AuditChainer& chain) = 0;
  // Records with seq > after_seq, in seq order, at most `limit`.
  virtual absl::StatusOr<std::vector<AuditRecord>> ListAudit(std::string_view tenant_id,
                                                             int64_t after_seq, int limit) = 0;

  // The records with this subject hash and seq > after_seq, in seq order.
  virtual absl::StatusOr<std::vector<AuditRecord>> ListAuditBySubject(std::string_view tenant_id,
                                                                      std::string_view subject_hash,
                                                                      int64_t after_seq,
                                                                      int limit) = 0;

  // Privacy requests. Put inserts or replaces; Get is NotFound for another tenant's.
  virtual absl::Status PutPrivacyRequest(const PrivacyRequest& request) = 0;
  virtual absl::StatusOr<PrivacyRequest> GetPrivacyRequest(std::string_view tenant_id,
                                                           std::string_view request_id) = 0;
  // Newest first (by id, descending); `options.after` is the last id seen.
  virtual absl::StatusOr<Page<PrivacyRequest>> ListPrivacyRequests(std::string_view tenant_id,
                                                                   const ListOptions& options) = 0;
  // The same, only those about one end user (an index, not a scan of the tenant's).
  virtual absl::StatusOr<Page<PrivacyRequest>> ListPrivacyRequestsOf(
      std::string_view tenant_id, std::string_view end_user_id, const ListOptions& options) = 0;

  // Legal holds: Put places or replaces the hold and sets the end user's
  // legal_hold; Delete lifts it (NotFound when there was none). NotFound for
  // a missing end user.
  virtual absl::Status PutLegalHold(const LegalHold& hold) = 0;
  virtual absl::StatusOr<LegalHold> GetLegalHold(std::string_view tenant_id,
                                                 std::string_view end_user_id) = 0;
  virtual absl::Status DeleteLegalHold(std::string_view tenant_id,
                                       std::string_view end_user_id) = 0;
  // Sets processing_restricted. NotFound for a missing end user.
  virtual absl::Status SetProcessingRestricted(std::string_view tenant_id,
                                               std::string_view end_user_id, bool restricted,
                                               absl::Time at) = 0;

  // Erasure: deletes, in one transaction, the end user and every row about
  // them: sessions, their entries, participants, context entries and
  // transcripts, tokenized originals, outbox rows, consent records, inbound
  // idempotency records, kept Idempotency-Key answers and blind-index entries
  // of the subject. Returns the
  // counts; all zero when nothing was left (a repeat is harmless).
  // FailedPrecondition (code "legal_hold") when the end user is under legal hold.
  virtual absl::StatusOr<ErasureCounts> EraseSubject(std::string_view tenant_id,
                                                     std::string_view end_user_id) = 0;

  // Retention: deletes, in one transaction, up to `limit` sessions of the
  // channel whose last activity is before `before` and whose end user is not
  // under legal hold, with their entries, participants, context entries,
  // transcripts, outbox rows, tokenized originals, inbound records and
  // blind-index entries. Reports the end users left with no session.
  virtual absl::StatusOr<RetentionBatch> ExpireSessions(std::string_view tenant_id,
                                                        std::string_view channel_id,
                                                        absl::Time before, int limit) = 0;

  // Context key classes: Put inserts or replaces. NotFound for a missing tenant.
  virtual absl::Status PutContextKeyClass(const ContextKeyClass& c) = 0;
  virtual absl::StatusOr<std::vector<ContextKeyClass>> ListContextKeyClasses(
      std::string_view tenant_id) = 0;

  // The suppression list: keyed hashes of platform keys of erased end users
  // who had opted out. Adding one that exists changes nothing.
  virtual absl::Status AddSuppression(std::string_view tenant_id, std::string_view channel_id,
                                      std::string_view key_hash, absl::Time at) = 0;
  virtual absl::StatusOr<bool> IsSuppressed(std::string_view tenant_id, std::string_view channel_id,
                                            std::string_view key_hash) = 0;

  // Answers kept for Idempotency-Key (model/idempotent_response.h). Put keeps
  // the first answer of (tenant, API key, key): a second Put of the same key
  // changes nothing. Get is NotFound when absent. DeleteIdempotentResponses
  // removes up to `limit` created before `before`, of every tenant, and
  // returns how many.
  virtual absl::Status PutIdempotentResponse(const IdempotentResponse& response) = 0;
  virtual absl::StatusOr<IdempotentResponse> GetIdempotentResponse(std::string_view tenant_id,
                                                                   std::string_view api_key_id,
                                                                   std::string_view key) = 0;
  virtual absl::StatusOr<int> DeleteIdempotentResponses(absl::Time before, int limit) = 0;
  // Deletes one kept answer (OK when absent).
  virtual absl::Status DeleteIdempotentResponse(std::string_view tenant_id,
                                                std::string_view api_key_id,
                                                std::string_view key) = 0;

  // Finishes queued writes and releases files. Later calls answer Unavailable.
  virtual void Close() = 0;
};

}  // namespace convault
