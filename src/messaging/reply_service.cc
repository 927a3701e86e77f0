#include "messaging/reply_service.h"

#include <map>

#include "common/status.h"
#include "messaging/consent.h"
#include "messaging/masking.h"
#include "messaging/token_vault.h"
#include "nlohmann/json.hpp"

namespace convault {
using Json = nlohmann::json;

absl::StatusOr<OpenedEntry> ReplyService::Send(std::string_view tenant_id,
                                               std::string_view session_id, const Reply& reply) {
  auto session = store_.GetSession(tenant_id, session_id);
  if (!session.ok()) return session.status();
  if (session->status == SessionStatus::kEnded) {
    return WithCode(absl::FailedPreconditionError("the session has ended"), "session_ended");
  }
  auto channel = store_.GetChannel(tenant_id, session->channel_id);
  if (!channel.ok()) return channel.status();
  // PRIVACY.md section 6: nothing goes out after an opt-out or below the
  // channel's required consent level.
  auto ledger = store_.ListConsent(tenant_id, session->end_user_id);
  if (!ledger.ok()) return ledger.status();
  CV_RETURN_IF_ERROR(CheckOutboundConsent(*ledger, *channel, clock_.Now()));
  auto region = ChannelRegion(store_, *channel);
  if (!region.ok()) return region.status();
  auto compiled = rules_.Current(std::string(tenant_id));
  if (!compiled.ok()) return compiled.status();
  IdTokenMinter minter(ids_);
  redact::RedactionScope scope;
  scope.tokens = &minter;
  scope.actor = reply.actor;
  scope.channel_id = channel->id;
  scope.region = *region;
  std::map<std::string, int> counts;
  std::vector<TokenRow> tokens;

  absl::Time now = clock_.Now();
  const std::string tenant(tenant_id);
  const std::string& subject = session->end_user_id;
  Entry e;
  e.id = ids_.NewId("ent");
  e.tenant_id = tenant;
  e.session_id = session->id;
  e.end_user_id = subject;
  e.created_at = now;
  e.direction = Direction::kOutbound;
  e.actor = reply.actor;
  const bool deliverable = senders_.CanDeliver(*channel).ok();
  e.delivery_status = deliverable ? DeliveryStatus::kQueued : DeliveryStatus::kDeadLettered;
  e.rule_set_version = compiled->version;
  TokenVault vault(cipher_);
  auto keep_tokens = [&](std::vector<redact::TokenizedValue>& values) -> absl::Status {
    auto rows = vault.SealRows(tenant, subject, e.id, now, values);
    if (!rows.ok()) return rows.status();
    for (TokenRow& r : *rows) tokens.push_back(std::move(r));
    return absl::OkStatus();
  };
  auto seal = [&](std::string_view field, const std::string& plain,
                  std::string* out) -> absl::Status {
    auto sealed = cipher_.Seal({tenant, "entry", e.id, field, subject}, plain);
    if (!sealed.ok()) return sealed.status();
    *out = std::move(*sealed);
    return absl::OkStatus();
  };
  if (reply.text.has_value()) {
    auto masked = compiled->policy->Redact(reply.text->Reveal(), scope);
    if (!masked.ok()) return masked.status();
    for (const auto& f : masked->findings) ++counts[f.detector];
    CV_RETURN_IF_ERROR(seal("message", masked->text, &e.message_sealed));
    CV_RETURN_IF_ERROR(keep_tokens(masked->tokens));
  }
  if (reply.payload_json.has_value()) {
    Json payload = Json::parse(reply.payload_json->Reveal(), nullptr, false);
    if (payload.is_discarded()) return absl::InvalidArgumentError("payload: not valid JSON");
    std::vector<redact::TokenizedValue> payload_tokens;
    auto masked_payload =
        MaskJsonStrings(payload, *compiled->policy, scope, &counts, &payload_tokens);
    if (!masked_payload.ok()) return masked_payload.status();
    CV_RETURN_IF_ERROR(keep_tokens(payload_tokens));
    CV_RETURN_IF_ERROR(seal("payload", payload.dump(), &e.payload_sealed));
  }
  if (reply.actor_name.has_value() && !reply.actor_name->Reveal().empty()) {
    CV_RETURN_IF_ERROR(seal("actor_name", reply.actor_name->Reveal(), &e.actor_name_sealed));
  }
  Json per_detector = Json::object();
  for (const auto& [detector, count] : counts) per_detector[detector] = count;
  e.redactions = per_detector.dump();

  EntriesWrite w;
  w.tenant_id = tenant;
  w.session_id = session->id;
  w.entries.push_back(e);
  if (deliverable) {
    w.outbox.push_back({ids_.NewId("out"), tenant, channel->id, session->id, e.id, 0, now, now});
  }
  w.tokens = std::move(tokens);
  w.session_status = SessionStatus::kActive;
  w.activity_at = now;
  auto stored = store_.AppendEntries(w);
  if (!stored.ok()) return stored.status();
  return reader_.OpenEntry(std::move(stored->front()));
}

absl::StatusOr<SweepCounts> SessionSweeper::RunOnce() {
  SweepCounts total;
  auto tenants = store_.ListTenants();
  if (!tenants.ok()) return tenants.status();
  absl::Time now = clock_.Now();
  for (const Tenant& t : *tenants) {
    ListOptions options;
    options.limit = 500;
    while (true) {
      auto page = store_.ListChannels(t.id, options);
      if (!page.ok()) return page.status();
      for (const Channel& c : page->items) {
        absl::Time inactive_before = now - absl::Minutes(c.session_inactivity_minutes);
        absl::Time end_before = inactive_before - absl::Hours(c.session_end_hours);
        auto counts = store_.SweepSessions(t.id, c.id, inactive_before, end_before, now);
        if (!counts.ok()) return counts.status();
        total.made_inactive += counts->made_inactive;
        total.ended += counts->ended;
      }
      if (!page->next_cursor) break;
      options.after = *page->next_cursor;
    }
  }
  return total;
}

}  // namespace convault
