#include "messaging/reapply.h"

#include <map>

#include "common/status.h"
#include "messaging/masking.h"
#include "messaging/token_vault.h"
#include "nlohmann/json.hpp"

namespace convault {
namespace {

using Json = nlohmann::json;

bool KeyGone(const absl::Status& s) { return ErrorCode(s) == "key_destroyed"; }

}  // namespace

absl::StatusOr<Job> ReapplyService::Start(std::string_view tenant_id) {
  auto compiled = rules_.Current(tenant_id);
  if (!compiled.ok()) return compiled.status();
  Job job;
  job.id = ids_.NewId("job");
  job.tenant_id = std::string(tenant_id);
  job.kind = "reapply";
  job.status = "running";
  job.cursor = "e:";
  job.target_version = compiled->version;
  job.created_at = clock_.Now();
  job.updated_at = job.created_at;
  CV_RETURN_IF_ERROR(store_.PutJob(job));
  return job;
}

absl::StatusOr<int> ReapplyService::RunOnce(int batch) {
  auto jobs = store_.ListRunningJobs(16);
  if (!jobs.ok()) return jobs.status();
  int moved = 0;
  for (Job& job : *jobs) {
    if (job.kind != "reapply") continue;
    absl::Status s = Step(job, batch);
    if (!s.ok()) {
      job.status = "failed";
      job.error = std::string(s.message());
    }
    job.updated_at = clock_.Now();
    CV_RETURN_IF_ERROR(store_.PutJob(job));
    ++moved;
  }
  return moved;
}

absl::Status ReapplyService::Step(Job& job, int batch) {
  const std::string& tenant = job.tenant_id;
  auto compiled = rules_.Current(tenant);
  if (!compiled.ok()) return compiled.status();
  const redact::Policy& policy = *compiled->policy;
  std::map<std::string, Session> sessions;
  std::map<std::string, std::string> regions;  // by channel id
  auto session_of = [&](const std::string& id) -> absl::StatusOr<const Session*> {
    auto it = sessions.find(id);
    if (it == sessions.end()) {
      auto s = store_.GetSession(tenant, id);
      if (!s.ok()) return s.status();
      it = sessions.emplace(id, std::move(*s)).first;
    }
    return &it->second;
  };
  auto scope_for = [&](const Session& s, ActorType actor,
                       IdTokenMinter* minter) -> absl::StatusOr<redact::RedactionScope> {
    auto region = regions.find(s.channel_id);
    if (region == regions.end()) {
      auto channel = store_.GetChannel(tenant, s.channel_id);
      if (!channel.ok()) return channel.status();
      auto r = ChannelRegion(store_, *channel);
      if (!r.ok()) return r.status();
      region = regions.emplace(s.channel_id, std::move(*r)).first;
    }
    redact::RedactionScope scope;
    scope.actor = actor;
    scope.channel_id = s.channel_id;
    scope.region = region->second;
    scope.tokens = minter;
    return scope;
  };
  IdTokenMinter minter(ids_);
  TokenVault vault(cipher_);
  std::vector<TokenRow> tokens;
  // Masks `text` for (session, actor); true when it changed.
  auto keep_tokens = [&](const std::string& subject, const std::string& entry_id,
                         std::vector<redact::TokenizedValue>& values) -> absl::Status {
    auto rows = vault.SealRows(tenant, subject, entry_id, clock_.Now(), values);
    if (!rows.ok()) return rows.status();
    for (TokenRow& r : *rows) tokens.push_back(std::move(r));
    return absl::OkStatus();
  };
  auto remask = [&](const Session& s, ActorType actor, const std::string& subject,
                    const std::string& entry_id, std::string& text,
                    std::map<std::string, int>* counts) -> absl::StatusOr<bool> {
    auto scope = scope_for(s, actor, &minter);
    if (!scope.ok()) return scope.status();
    auto r = policy.Redact(text, *scope);
    if (!r.ok()) return r.status();
    if (r->findings.empty()) return false;
    if (counts != nullptr) {
      for (const auto& f : r->findings) ++(*counts)[f.detector];
    }
    CV_RETURN_IF_ERROR(keep_tokens(subject, entry_id, r->tokens));
    text = std::move(r->text);
    return true;
  };

  std::string phase = job.cursor.substr(0, 2);
  std::string after = job.cursor.substr(2);
  if (phase == "e:") {
    auto entries = store_.ListEntriesAfter(tenant, after, batch);
    if (!entries.ok()) return entries.status();
    for (Entry& e : *entries) {
      ++job.scanned;
      job.cursor = "e:" + e.id;
      if (e.rule_set_version >= job.target_version) continue;
      auto session = session_of(e.session_id);
      if (!session.ok()) continue;
      bool changed = false;
      Json counts = Json::parse(e.redactions, nullptr, false);
      if (!counts.is_object()) counts = Json::object();
      std::map<std::string, int> found;
      if (!e.message_sealed.empty()) {
        auto plain =
            cipher_.Open({tenant, "entry", e.id, "message", e.end_user_id}, e.message_sealed);
        if (!plain.ok()) {
          if (KeyGone(plain.status())) continue;
          return plain.status();
        }
        auto c = remask(**session, e.actor, e.end_user_id, e.id, *plain, &found);
        if (!c.ok()) return c.status();
        if (*c) {
          auto sealed = cipher_.Seal({tenant, "entry", e.id, "message", e.end_user_id}, *plain);
          if (!sealed.ok()) return sealed.status();
          e.message_sealed = std::move(*sealed);
          changed = true;
        }
      }
      if (!e.payload_sealed.empty()) {
        auto plain =
            cipher_.Open({tenant, "entry", e.id, "payload", e.end_user_id}, e.payload_sealed);
        if (!plain.ok()) {
          if (KeyGone(plain.status())) continue;
          return plain.status();
        }
        Json payload = Json::parse(*plain, nullptr, false);
        bool payload_changed = false;
        if (!payload.is_discarded()) {
          auto scope = scope_for(**session, e.actor, &minter);
          if (!scope.ok()) return scope.status();
          std::vector<redact::TokenizedValue> payload_tokens;
          auto masked = MaskJsonStrings(payload, policy, *scope, &found, &payload_tokens);
          if (!masked.ok()) return masked.status();
          payload_changed = *masked;
          CV_RETURN_IF_ERROR(keep_tokens(e.end_user_id, e.id, payload_tokens));
        }
        if (payload_changed) {
          auto sealed =
              cipher_.Seal({tenant, "entry", e.id, "payload", e.end_user_id}, payload.dump());
          if (!sealed.ok()) return sealed.status();
          e.payload_sealed = std::move(*sealed);
          changed = true;
        }
      }
      for (const auto& [detector, n] : found) counts[detector] = counts.value(detector, 0) + n;
      e.redactions = counts.dump();
      e.rule_set_version = job.target_version;
      CV_RETURN_IF_ERROR(store_.UpdateEntryContent(e));
      if (changed) ++job.changed;
    }
    if (entries->size() < static_cast<size_t>(batch)) job.cursor = "c:";
  } else if (phase == "c:") {
    auto context = store_.ListContextAfter(tenant, after, batch);
    if (!context.ok()) return context.status();
    for (ContextEntry& x : *context) {
      ++job.scanned;
      job.cursor = "c:" + x.id;
      auto session = session_of(x.session_id);
      if (!session.ok()) continue;
      const std::string& subject = (*session)->end_user_id;
      auto plain = cipher_.Open({tenant, "context_entry", x.id, "value", subject}, x.value_sealed);
      if (!plain.ok()) {
        if (KeyGone(plain.status())) continue;
        return plain.status();
      }
      auto c = remask(**session, ActorType::kEndUser, subject, "", *plain, nullptr);
      if (!c.ok()) return c.status();
      if (!*c) continue;
      auto sealed = cipher_.Seal({tenant, "context_entry", x.id, "value", subject}, *plain);
      if (!sealed.ok()) return sealed.status();
      x.value_sealed = std::move(*sealed);
      CV_RETURN_IF_ERROR(store_.UpdateContextValue(x));
      ++job.changed;
    }
    if (context->size() < static_cast<size_t>(batch)) job.cursor = "t:";
  } else if (phase == "t:") {
    auto finals = store_.ListTranscriptsAfter(tenant, after, batch);
    if (!finals.ok()) return finals.status();
    for (const Transcript& t : *finals) {
      ++job.scanned;
      job.cursor = "t:" + t.session_id;
      auto session = session_of(t.session_id);
      if (!session.ok()) continue;
      // Rebuilt from the entries, which this job has re-masked already.
      absl::Status f = transcripts_.Finalize(**session);
      if (!f.ok() && !KeyGone(f)) return f;
      if (f.ok()) ++job.changed;
    }
    if (finals->size() < static_cast<size_t>(batch)) job.status = "completed";
  } else {
    return absl::InternalError("unknown job cursor");
  }
  if (!tokens.empty()) CV_RETURN_IF_ERROR(store_.AddTokens(tokens));
  return absl::OkStatus();
}

}  // namespace convault
