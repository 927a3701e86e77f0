#include "privacy/privacy_service.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "messaging/consent.h"
#include "messaging/ingest.h"
#include "messaging/masking.h"
#include "nlohmann/json.hpp"
#include "privacy/export.h"

namespace convault::privacy {
namespace {

using Json = nlohmann::json;

constexpr absl::Duration kDue = absl::Hours(24 * 30);

crypto::FieldContext ReasonField(const PrivacyRequest& r) {
  return {r.tenant_id, "privacy_request", r.id, "reason", ""};
}

crypto::FieldContext HoldField(std::string_view tenant_id, std::string_view end_user_id) {
  return {tenant_id, "legal_hold", end_user_id, "reason", ""};
}

Json CountsJson(const ErasureCounts& n) {
  return {{"end_users", n.end_users},
          {"sessions", n.sessions},
          {"entries", n.entries},
          {"participants", n.participants},
          {"context_entries", n.context_entries},
          {"transcripts", n.transcripts},
          {"tokenized_originals", n.tokens},
          {"outbox", n.outbox},
          {"consent_records", n.consent_records},
          {"inbound_records", n.inbound_records},
          {"idempotent_responses", n.idempotent_responses},
          {"index_entries", n.index_entries}};
}

// The bytes an erasure certificate's signature covers: the certificate
// without its signature, as compact JSON with sorted keys.
std::string SignedPart(Json certificate) {
  certificate.erase("signature");
  return certificate.dump();
}

}  // namespace

absl::Status ForEachPrivacyRequest(Store& store, std::string_view tenant_id,
                                   std::string_view end_user_id, std::string_view type,
                                   const std::function<absl::Status(const PrivacyRequest&)>& fn) {
  ListOptions options;
  options.limit = 500;
  while (true) {
    auto page = store.ListPrivacyRequestsOf(tenant_id, end_user_id, options);
    if (!page.ok()) return page.status();
    for (const PrivacyRequest& p : page->items) {
      if (!type.empty() && p.type != type) continue;
      CV_RETURN_IF_ERROR(fn(p));
    }
    if (!page->next_cursor) return absl::OkStatus();
    options.after = *page->next_cursor;
  }
}

std::string PrivacyService::OpenReason(const PrivacyRequest& request) {
  if (request.reason_sealed.empty()) return "";
  auto opened = cipher_.Open(ReasonField(request), request.reason_sealed);
  return opened.ok() ? *opened : "";
}

absl::Status PrivacyService::Record(const PrivacyRequest& request, std::string_view action,
                                    std::string_view outcome, const Requester& who,
                                    std::string_view detail) {
  AuditEvent e;
  e.tenant_id = request.tenant_id;
  e.actor = who.key_id;
  e.roles = who.roles;
  e.action = action;
  e.object_type = "privacy_request";
  e.object_id = request.id;
  e.subject_id = request.end_user_id;
  e.purpose = who.purpose;
  e.outcome = outcome;
  e.detail = detail;
  return audit_.Append(e).status();
}

absl::StatusOr<PrivacyRequest> PrivacyService::Submit(std::string_view tenant_id,
                                                      std::string_view type,
                                                      std::string_view end_user_id,
                                                      std::string_view reason,
                                                      const Requester& who) {
  if (type != "erase" && type != "restrict" && type != "lift_restriction" && type != "export") {
    return absl::InvalidArgumentError("type must be erase, export, restrict or lift_restriction");
  }
  auto user = store_.GetEndUser(tenant_id, end_user_id);
  if (absl::IsNotFound(user.status())) return absl::NotFoundError("no such end user");
  if (!user.ok()) return user.status();
  PrivacyRequest r;
  r.id = ids_.NewId("prq");
  r.tenant_id = std::string(tenant_id);
  r.type = std::string(type);
  r.status = std::string(kRequestPending);
  r.end_user_id = std::string(end_user_id);
  r.requested_by = std::string(who.key_id);
  r.result = "{}";
  r.created_at = clock_.Now();
  auto settings = store_.GetSettings(tenant_id);
  if (!settings.ok()) return settings.status();
  r.due_at = r.created_at + absl::Hours(24) * settings->erase_due_days;
  if (!reason.empty()) {
    CV_ASSIGN_OR_RETURN(r.reason_sealed, cipher_.Seal(ReasonField(r), reason));
  }
  CV_RETURN_IF_ERROR(store_.PutPrivacyRequest(r));
  CV_RETURN_IF_ERROR(Record(r, absl::StrCat("privacy.", Sv(type), ".requested"), "ok", who, "{}"));
  absl::Status done = type == "erase"      ? Erase(r, who)
                      : type == "export"   ? Export(r, who)
                      : type == "restrict" ? Restrict(r, true, who)
                                           : Restrict(r, false, who);
  if (!done.ok()) {
    r.status = std::string(kRequestFailed);
    r.result = Json({{"error", std::string(done.message())}}).dump();
    r.completed_at = clock_.Now();
    store_.PutPrivacyRequest(r).IgnoreError();
    Record(r, absl::StrCat("privacy.", Sv(type), ".failed"), "error", who, "{}").IgnoreError();
    return done;
  }
  return r;
}

absl::Status PrivacyService::Restrict(PrivacyRequest& r, bool restricted, const Requester& who) {
  CV_RETURN_IF_ERROR(
      store_.SetProcessingRestricted(r.tenant_id, r.end_user_id, restricted, clock_.Now()));
  r.status = std::string(kRequestCompleted);
  r.completed_at = clock_.Now();
  r.result = Json({{"processing_restricted", restricted}}).dump();
  CV_RETURN_IF_ERROR(store_.PutPrivacyRequest(r));
  return Record(r, absl::StrCat("privacy.", r.type, ".completed"), "ok", who, r.result);
}

absl::Status PrivacyService::Export(PrivacyRequest& r, const Requester& who) {
  if (exports_ == nullptr) return absl::FailedPreconditionError("exports are not configured");
  auto summary = exports_->Write(r);
  if (!summary.ok()) return summary.status();
  Json manifest = Json::parse(summary->manifest_json, nullptr, false);
  r.status = std::string(kRequestCompleted);
  r.completed_at = clock_.Now();
  r.result = Json({{"export",
                    {{"download", absl::StrCat("/v1/privacy/requests/", r.id, "/export")},
                     {"bytes", summary->bytes},
                     {"expires_at", FormatRfc3339(summary->expires_at)},
                     {"manifest", manifest}}}})
                 .dump();
  CV_RETURN_IF_ERROR(store_.PutPrivacyRequest(r));
  Json detail = {{"bytes", summary->bytes}, {"counts", manifest.value("counts", Json::object())}};
  return Record(r, "privacy.export.completed", "ok", who, detail.dump());
}

absl::Status PrivacyService::Erase(PrivacyRequest& r, const Requester& who) {
  auto hold = store_.GetLegalHold(r.tenant_id, r.end_user_id);
  if (hold.ok()) {
    r.status = std::string(kRequestRejected);
    r.completed_at = clock_.Now();
    r.result =
        Json({{"rejected", "legal_hold"},
              {"legal_hold",
               {{"placed_by", hold->placed_by}, {"placed_at", FormatRfc3339(hold->placed_at)}}}})
            .dump();
    CV_RETURN_IF_ERROR(store_.PutPrivacyRequest(r));
    return Record(r, "privacy.erase.rejected", "rejected", who, R"({"reason":"legal_hold"})");
  }
  if (!absl::IsNotFound(hold.status())) return hold.status();
  auto suppressed = Suppress(r);
  if (!suppressed.ok()) return suppressed.status();
  CV_RETURN_IF_ERROR(shred_.Append({r.id, r.tenant_id, r.end_user_id, clock_.Now()}));
  return FinishErase(r, who);
}

absl::StatusOr<bool> PrivacyService::Suppress(const PrivacyRequest& r) {
  auto user = store_.GetEndUser(r.tenant_id, r.end_user_id);
  if (!user.ok()) return user.status();
  auto ledger = store_.ListConsent(r.tenant_id, r.end_user_id);
  if (!ledger.ok()) return ledger.status();
  if (CurrentConsent(*ledger, user->channel_id, "messaging", clock_.Now()).status != "opted_out") {
    return false;
  }
  auto channel = store_.GetChannel(r.tenant_id, user->channel_id);
  if (!channel.ok()) return channel.status();
  auto region = ChannelRegion(store_, *channel);
  if (!region.ok()) return region.status();
  auto key = OpenPlatformKey(cipher_, *user, *channel, *region);
  if (!key.has_value()) return false;  // already unreadable
  auto hash = blind_.FullHash(r.tenant_id, IngestPipeline::kSuppressionIndex, *key);
  if (!hash.ok()) return hash.status();
  CV_RETURN_IF_ERROR(store_.AddSuppression(r.tenant_id, channel->id, *hash, clock_.Now()));
  return true;
}

absl::Status PrivacyService::FinishErase(PrivacyRequest& r, const Requester& who) {
  absl::Time started = clock_.Now();
  CV_ASSIGN_OR_RETURN(int64_t versions, keys_.DestroySubjectKeys(r.tenant_id, r.end_user_id));
  // Export files of the subject (unreadable already: sealed under the destroyed key).
  int64_t exports_deleted = 0;
  if (exports_ != nullptr) {
    CV_RETURN_IF_ERROR(ForEachPrivacyRequest(store_, r.tenant_id, r.end_user_id, "export",
                                             [&](const PrivacyRequest& p) {
                                               ++exports_deleted;
                                               return exports_->Delete(p);
                                             }));
  }
  auto counts = store_.EraseSubject(r.tenant_id, r.end_user_id);
  if (ErrorCode(counts.status()) == "legal_hold") {
    // A hold placed after the shred log entry (replay after a restore): the
    // erasure was decided first and stands.
    CV_RETURN_IF_ERROR(store_.DeleteLegalHold(r.tenant_id, r.end_user_id));
    counts = store_.EraseSubject(r.tenant_id, r.end_user_id);
  }
  if (!counts.ok()) return counts.status();
  CV_ASSIGN_OR_RETURN(std::string subject_hash, audit_.SubjectHash(r.tenant_id, r.end_user_id));
  Json certificate = {
      {"format", "convault-erasure-certificate-v1"},
      {"request_id", r.id},
      {"tenant_id", r.tenant_id},
      {"subject_hash", subject_hash},
      {"counts",
       [&] {
         Json c = CountsJson(*counts);
         c["exports"] = exports_deleted;
         return c;
       }()},
      {"key_destroyed",
       {{"key_id", absl::StrCat("subject_dek:", subject_hash)}, {"versions", versions}}},
      {"requested_at", FormatRfc3339(r.created_at)},
      {"started_at", FormatRfc3339(started)},
      {"completed_at", FormatRfc3339(clock_.Now())},
  };
  CV_ASSIGN_OR_RETURN(std::string signature, audit_.Sign(r.tenant_id, SignedPart(certificate)));
  certificate["signature"] = absl::StrCat("hmac-sha256:", signature);
  r.status = std::string(kRequestCompleted);
  r.completed_at = clock_.Now();
  r.result = Json({{"certificate", certificate}}).dump();
  CV_RETURN_IF_ERROR(store_.PutPrivacyRequest(r));
  Json detail = {{"counts", certificate["counts"]}, {"key_versions_destroyed", versions}};
  return Record(r, "privacy.erase.completed", "ok", who, detail.dump());
}

absl::StatusOr<int> PrivacyService::ReplayShredLog() {
  CV_ASSIGN_OR_RETURN(auto records, shred_.ReadAll());
  Requester system{"system", "", "privacy_request"};
  for (const ShredRecord& s : records) {
    auto request = store_.GetPrivacyRequest(s.tenant_id, s.request_id);
    if (request.ok() && request->status == kRequestCompleted) {
      // Done before; a restored store may hold the subject (or its key) again.
      auto user = store_.GetEndUser(s.tenant_id, s.subject_id);
      if (!user.ok() && !absl::IsNotFound(user.status())) return user.status();
      auto key =
          key_store_.ListVersions(KeyRef{s.tenant_id, WrappedKeyKind::kSubjectDek, s.subject_id});
      if (!key.ok()) return key.status();
      if (absl::IsNotFound(user.status()) && key->empty()) continue;
      CV_RETURN_IF_ERROR(keys_.DestroySubjectKeys(s.tenant_id, s.subject_id).status());
      auto n = store_.EraseSubject(s.tenant_id, s.subject_id);
      if (ErrorCode(n.status()) == "legal_hold") {
        CV_RETURN_IF_ERROR(store_.DeleteLegalHold(s.tenant_id, s.subject_id));
        n = store_.EraseSubject(s.tenant_id, s.subject_id);
      }
      if (!n.ok()) return n.status();
      continue;
    }
    PrivacyRequest r;
    if (request.ok()) {
      r = *request;
    } else {
      // The request row is gone (a restore from before it): rebuild its frame.
      r.id = s.request_id;
      r.tenant_id = s.tenant_id;
      r.type = "erase";
      r.end_user_id = s.subject_id;
      r.requested_by = "system";
      r.created_at = s.at;
      r.due_at = s.at + kDue;
    }
    CV_RETURN_IF_ERROR(FinishErase(r, system));
  }
  return static_cast<int>(records.size());
}

absl::StatusOr<bool> PrivacyService::VerifyCertificate(std::string_view certificate_json) {
  Json c = Json::parse(certificate_json, nullptr, false);
  if (c.is_discarded() || !c.is_object()) {
    return absl::InvalidArgumentError("the certificate is not a JSON object");
  }
  if (c.contains("certificate") && c["certificate"].is_object()) c = c["certificate"];
  if (!c.contains("tenant_id") || !c["tenant_id"].is_string() || !c.contains("signature") ||
      !c["signature"].is_string()) {
    return absl::InvalidArgumentError("the certificate has no tenant_id or signature");
  }
  std::string signature = c["signature"].get<std::string>();
  constexpr std::string_view kPrefix = "hmac-sha256:";
  if (signature.rfind(kPrefix, 0) != 0) return false;
  std::string tenant = c["tenant_id"].get<std::string>();
  if (!store_.GetTenant(tenant).ok()) return false;
  return audit_.CheckSignature(tenant, SignedPart(c), signature.substr(kPrefix.size()));
}

absl::Status PrivacyService::PlaceLegalHold(std::string_view tenant_id,
                                            std::string_view end_user_id, std::string_view reason,
                                            const Requester& who) {
  LegalHold h;
  h.tenant_id = std::string(tenant_id);
  h.end_user_id = std::string(end_user_id);
  CV_ASSIGN_OR_RETURN(h.reason_sealed, cipher_.Seal(HoldField(tenant_id, end_user_id), reason));
  h.placed_by = std::string(who.key_id);
  h.placed_at = clock_.Now();
  return store_.PutLegalHold(h);
}

absl::Status PrivacyService::LiftLegalHold(std::string_view tenant_id, std::string_view end_user_id,
                                           const Requester&) {
  return store_.DeleteLegalHold(tenant_id, end_user_id);
}

absl::StatusOr<std::string> PrivacyService::LegalHoldReason(std::string_view tenant_id,
                                                            std::string_view end_user_id) {
  auto hold = store_.GetLegalHold(tenant_id, end_user_id);
  if (!hold.ok()) return hold.status();
  return cipher_.Open(HoldField(tenant_id, end_user_id), hold->reason_sealed);
}

}  // namespace convault::privacy
