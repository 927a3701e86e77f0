#include "messaging/ingest.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/strings.h"
#include "crypto/normalize.h"
#include "messaging/consent.h"
#include "messaging/masking.h"
#include "messaging/token_vault.h"
#include "nlohmann/json.hpp"

namespace convault {
namespace {

using Json = nlohmann::json;

constexpr int kAttempts = 4;

crypto::FieldContext Field(const std::string& tenant, std::string_view type, const std::string& id,
                           std::string_view field, const std::string& subject) {
  return {tenant, type, id, field, subject};
}

std::string RedactionsJson(const std::map<std::string, int>& counts) {
  Json out = Json::array();
  for (const auto& [detector, count] : counts) {
    out.push_back({{"detector", detector}, {"count", count}});
  }
  return out.dump();
}

std::vector<std::pair<std::string, int>> ParseRedactions(const std::string& text) {
  std::vector<std::pair<std::string, int>> out;
  Json j = Json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const Json& r : j) {
    if (r.is_object()) out.emplace_back(r.value("detector", ""), r.value("count", 0));
  }
  return out;
}

// The acknowledgment for a locale: an exact variant, then the language alone.
const std::string& AcknowledgmentText(const Acknowledgment& a, const std::string& locale) {
  if (auto it = a.locales.find(locale); it != a.locales.end()) return it->second;
  std::string language = locale.substr(0, locale.find_first_of("-_"));
  if (auto it = a.locales.find(language); it != a.locales.end()) return it->second;
  return a.text;
}

}  // namespace

absl::StatusOr<std::string> NormalizePlatformKey(ChannelType type, std::string_view key,
                                                 std::string_view region) {
  if (type == ChannelType::kSms || type == ChannelType::kWhatsApp) {
    return crypto::NormalizePhone(key, region);
  }
  return crypto::NormalizePlatformId(key);
}

std::optional<std::string> OpenPlatformKey(crypto::FieldCipher& cipher, const EndUser& user,
                                           const Channel& channel, std::string_view region) {
  auto opened = cipher.Open({user.tenant_id, "end_user", user.id, "platform_key", user.id},
                            user.platform_key_sealed);
  if (!opened.ok()) return std::nullopt;
  auto normalized = NormalizePlatformKey(channel.type, *opened, region);
  if (!normalized.ok()) return std::nullopt;
  return std::move(*normalized);
}

absl::StatusOr<EndUserMatch> MatchEndUser(Store& store, crypto::FieldCipher& cipher,
                                          const Channel& channel, std::string_view normalized_key,
                                          uint64_t token, std::string_view region) {
  const std::string& tenant = channel.tenant_id;
  auto candidates = store.FindIndexEntries(tenant, IngestPipeline::kPlatformKeyIndex, token, 1000);
  if (!candidates.ok()) return candidates.status();
  EndUserMatch match;
  for (const BlindIndexEntry& c : *candidates) {
    if (c.object_type != "end_user") continue;
    auto user = store.GetEndUser(tenant, c.object_id);
    if (absl::IsNotFound(user.status())) continue;
    if (!user.ok()) return user.status();
    if (user->channel_id != channel.id) continue;
    match.compared.push_back(user->id);
    // Erased (key destroyed): not this person any more.
    auto theirs = OpenPlatformKey(cipher, *user, channel, region);
    if (theirs.has_value() && *theirs == normalized_key && match.end_user_id.empty()) {
      match.end_user_id = user->id;
      match.locale = user->locale;
      match.processing_restricted = user->processing_restricted;
    }
  }
  return match;
}

IngestPipeline::IngestPipeline(Store& store, crypto::FieldCipher& cipher,
                               crypto::BlindIndexer& blind, RuleService& rules,
                               const SenderRegistry& senders, Clock& clock, IdGenerator& ids)
    : store_(store),
      cipher_(cipher),
      blind_(blind),
      rules_(rules),
      senders_(senders),
      clock_(clock),
      ids_(ids) {
  identifiers_ = *redact::Policy::Compile(*redact::RulesForDetectors({"email", "phone"}));
}

absl::StatusOr<IngestResult> IngestPipeline::Ingest(const Channel& channel,
                                                    const InboundMessage& message) {
  if (!channel.enabled) {
    return WithCode(absl::FailedPreconditionError("the channel is disabled"), "conflict");
  }
  // A repeated message_id is found by the commit, which answers with what
  // the first one stored and writes nothing: a lookup here first would cost
  // every message a read for the few that platforms send twice.
  auto region_or = ChannelRegion(store_, channel);
  if (!region_or.ok()) return region_or.status();
  const std::string& region = *region_or;
  absl::Status last = absl::OkStatus();
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    // The first attempt may start from what the last message of the sender
    // found; the next ones look everything up again.
    auto result = Attempt(channel, message, region, /*use_known=*/attempt == 0);
    if (!absl::IsAborted(result.status())) return result;
    last = result.status();  // a concurrent writer moved first: look again
  }
  return absl::UnavailableError(absl::StrCat("busy: ", last.message()));
}

absl::StatusOr<IngestResult> IngestPipeline::Attempt(const Channel& channel,
                                                     const InboundMessage& message,
                                                     const std::string& region, bool use_known) {
  const std::string& tenant = channel.tenant_id;
  absl::Time now = clock_.Now();
  InboundWrite w;
  w.record.tenant_id = tenant;
  w.record.channel_id = channel.id;
  w.record.external_id = message.message_id;
  w.activity_at = now;
  w.platform_key_index = kPlatformKeyIndex;

  // The sender's name as the name index reads it (once per message), if any.
  std::optional<std::string> name_key;
  if (message.name.has_value()) {
    auto normalized = crypto::NormalizeName(message.name->Reveal());
    if (normalized.ok()) name_key = std::move(*normalized);
  }

  // 2. The end user.
  auto key = NormalizePlatformKey(channel.type, message.platform_key.Reveal(), region);
  if (!key.ok()) {
    return absl::InvalidArgumentError("from.platform_key: not a valid address for this channel");
  }
  // The platform key's token, and (from the same keyed hash, whole) the key
  // under which the sender's last message is remembered (a hint the commit checks).
  auto hashed = blind_.TokenAndFullHash(tenant, kPlatformKeyIndex, *key);
  if (!hashed.ok()) return hashed.status();
  const uint64_t token = hashed->token;
  w.platform_key_token = token;
  const std::string known_key = absl::StrCat(channel.id, "\x1f", hashed->full_hash);
  std::optional<IngestCache::Known> known;
  if (use_known) {
    known = known_.Find(known_key);
  } else {
    known_.Forget(known_key);
  }
  absl::StatusOr<EndUserMatch> match;
  if (known.has_value()) {
    // A known end user: the commit does not check the token's other end
    // users (InboundWrite::compared_end_users), so none are listed.
    match = EndUserMatch{known->end_user_id, {}, known->locale, known->processing_restricted};
  } else {
    match = MatchEndUser(store_, cipher_, channel, *key, token, region);
    if (!match.ok()) return match.status();
  }
  std::string end_user_id = match->end_user_id;
  bool suppressed = false;
  w.compared_end_users = match->compared;
  if (!end_user_id.empty()) {
    w.seen_end_user = InboundWrite::SeenEndUser{match->processing_restricted, match->locale};
  }
  std::string locale = message.locale;
  if (end_user_id.empty()) {
    EndUser u;
    // The id comes with a DEK that is already durable: sealing below does
    // not wait for a key-store write.
    auto id = cipher_.keys().NewSubject(tenant, ids_, "eu");
    if (!id.ok()) return id.status();
    u.id = std::move(*id);
    u.tenant_id = tenant;
    u.channel_id = channel.id;
    u.locale = message.locale;
    u.created_at = now;
    u.updated_at = now;
    auto sealed = cipher_.Seal(Field(tenant, "end_user", u.id, "platform_key", u.id),
                               message.platform_key.Reveal());
    if (!sealed.ok()) return sealed.status();
    u.platform_key_sealed = std::move(*sealed);
    w.index_entries.push_back(
        {tenant, kPlatformKeyIndex, token, "end_user", u.id, "platform_key", u.id});
    if (message.name.has_value() && !message.name->Reveal().empty()) {
      auto name =
          cipher_.Seal(Field(tenant, "end_user", u.id, "name", u.id), message.name->Reveal());
      if (!name.ok()) return name.status();
      u.name_sealed = std::move(*name);
      if (name_key.has_value()) {
        auto t = blind_.Token(tenant, kNameIndex, *name_key);
        if (!t.ok()) return t.status();
        w.index_entries.push_back({tenant, kNameIndex, *t, "end_user", u.id, "name", u.id});
      }
    }
    if (message.profile_picture_url.has_value() && !message.profile_picture_url->Reveal().empty()) {
      auto pic = cipher_.Seal(Field(tenant, "end_user", u.id, "profile_picture_url", u.id),
                              message.profile_picture_url->Reveal());
      if (!pic.ok()) return pic.status();
      u.profile_picture_url_sealed = std::move(*pic);
    }
    end_user_id = u.id;
    w.new_end_user = std::move(u);
    // Someone erased after opting out (the suppression list) stays opted out.
    auto hash = blind_.FullHash(tenant, kSuppressionIndex, *key);
    if (!hash.ok()) return hash.status();
    auto listed = store_.IsSuppressed(tenant, channel.id, *hash);
    if (!listed.ok()) return listed.status();
    suppressed = *listed;
  } else if (locale.empty()) {
    locale = match->locale;
  }
  // Restricted processing (PRIVACY.md section 5): stored, but no automatic reply.
  const bool restricted = match->processing_restricted;
  w.record.end_user_id = end_user_id;
  const std::string& subject = end_user_id;
  // An index entry that keeps its normalized value, sealed under the
  // subject's key, for search to open and compare (the field itself may be
  // stored masked).
  auto add_sealed_index = [&](const char* index, const std::string& normalized,
                              const std::string& object_type, const std::string& object_id,
                              const std::string& field) -> absl::Status {
    auto t = blind_.Token(tenant, index, normalized);
    if (!t.ok()) return t.status();
    BlindIndexEntry entry{tenant, index, *t, object_type, object_id, field, subject};
    auto sealed = cipher_.Seal(IndexValueField(entry), normalized);
    if (!sealed.ok()) return sealed.status();
    entry.value_sealed = std::move(*sealed);
    w.index_entries.push_back(std::move(entry));
    return absl::OkStatus();
  };

  // 3. The session (a new end user has none yet).
  std::optional<Session> open;
  if (known.has_value()) {
    // Still open, or the commit is Aborted; the store sets its status.
    Session s;
    s.id = known->session_id;
    s.status = SessionStatus::kWaiting;
    open = std::move(s);
  } else if (!w.new_end_user.has_value()) {
    auto found = store_.FindActiveSession(tenant, channel.id, end_user_id);
    if (!found.ok()) return found.status();
    open = std::move(*found);
  }
  bool first_of_session = !open.has_value();
  if (first_of_session) {
    Session s;
    s.id = ids_.NewId("ses");
    s.tenant_id = tenant;
    s.channel_id = channel.id;
    s.end_user_id = end_user_id;
    s.status = SessionStatus::kWaiting;
    s.started_at = now;
    s.last_activity_at = now;
    w.record.session_id = s.id;
    w.new_session = s;
    Participant p;
    p.id = ids_.NewId("par");
    p.tenant_id = tenant;
    p.session_id = s.id;
    p.role = ActorType::kEndUser;
    p.joined_at = now;
    if (message.name.has_value() && !message.name->Reveal().empty()) {
      auto name = cipher_.Seal(Field(tenant, "participant", p.id, "display_name", subject),
                               message.name->Reveal());
      if (!name.ok()) return name.status();
      p.display_name_sealed = std::move(*name);
      if (name_key.has_value()) {
        CV_RETURN_IF_ERROR(
            add_sealed_index(kNameIndex, *name_key, "participant", p.id, "display_name"));
      }
    }
    w.participants.push_back(std::move(p));
    w.session_status = SessionStatus::kWaiting;
  } else {
    const Session& s = *open;
    w.record.session_id = s.id;
    // A customer writing again: an inactive or new session waits for an answer.
    w.session_status =
        s.status == SessionStatus::kActive ? SessionStatus::kActive : SessionStatus::kWaiting;
  }
  const std::string& session_id = w.record.session_id;

  // 4. Masking.
  auto compiled = rules_.Current(tenant);
  if (!compiled.ok()) return compiled.status();
  const redact::Policy& policy = *compiled->policy;
  IdTokenMinter minter(ids_);
  redact::RedactionScope scope;
  scope.actor = ActorType::kEndUser;
  scope.channel_id = channel.id;
  scope.region = region;
  scope.tokens = &minter;
  std::map<std::string, int> counts;
  thread_local redact::RedactionResult scratch;

  Entry e;
  e.id = ids_.NewId("ent");
  e.tenant_id = tenant;
  e.session_id = session_id;
  e.end_user_id = subject;
  e.created_at = now;
  e.direction = Direction::kInbound;
  e.actor = ActorType::kEndUser;
  e.external_id = message.message_id;
  e.rule_set_version = compiled->version;
  w.record.entry_id = e.id;
  // Tokenized originals, sealed under the end user's key, go in with the entry.
  TokenVault vault(cipher_);
  auto keep_tokens = [&](std::vector<redact::TokenizedValue>& values) -> absl::Status {
    auto rows = vault.SealRows(tenant, subject, e.id, now, values);
    if (!rows.ok()) return rows.status();
    for (TokenRow& r : *rows) w.tokens.push_back(std::move(r));
    return absl::OkStatus();
  };
  if (message.name.has_value() && !message.name->Reveal().empty()) {
    auto name =
        cipher_.Seal(Field(tenant, "entry", e.id, "actor_name", subject), message.name->Reveal());
    if (!name.ok()) return name.status();
    e.actor_name_sealed = std::move(*name);
  }
  // Identifiers (emails, phone numbers) of the original text go to the index.
  auto index_identifiers = [&](std::string_view original, const std::string& object_type,
                               const std::string& object_id,
                               const std::string& field) -> absl::Status {
    redact::RedactionScope plain;
    plain.region = region;
    auto found = identifiers_->Redact(original, plain);
    if (!found.ok()) return found.status();
    for (const auto& f : found->findings) {
      std::string_view value = original.substr(f.start, f.end - f.start);
      bool email = f.detector == "email";
      auto normalized =
          email ? crypto::NormalizeEmail(value) : crypto::NormalizePhone(value, region);
      if (!normalized.ok()) continue;
      CV_RETURN_IF_ERROR(add_sealed_index(email ? kEmailIndex : kPhoneIndex, *normalized,
                                          object_type, object_id, field));
    }
    return absl::OkStatus();
  };
  if (message.text.has_value()) {
    const std::string& original = message.text->Reveal();
    CV_RETURN_IF_ERROR(index_identifiers(original, "entry", e.id, "message"));
    // The sender's own name in their text (no named-entity recognition:
    // other people's names in free text are not indexed).
    if (name_key.has_value() && crypto::MentionsName(original, *name_key)) {
      CV_RETURN_IF_ERROR(add_sealed_index(kNameIndex, *name_key, "entry", e.id, "message"));
    }
    CV_RETURN_IF_ERROR(policy.RedactInto(original, scope, &scratch));
    for (const auto& f : scratch.findings) ++counts[f.detector];
    auto sealed = cipher_.Seal(Field(tenant, "entry", e.id, "message", subject), scratch.text);
    if (!sealed.ok()) return sealed.status();
    e.message_sealed = std::move(*sealed);
    CV_RETURN_IF_ERROR(keep_tokens(scratch.tokens));
  }
  if (message.payload_json.has_value()) {
    Json payload = Json::parse(message.payload_json->Reveal(), nullptr, false);
    if (payload.is_discarded()) return absl::InvalidArgumentError("payload: not valid JSON");
    std::vector<redact::TokenizedValue> payload_tokens;
    auto masked_payload = MaskJsonStrings(payload, policy, scope, &counts, &payload_tokens);
    if (!masked_payload.ok()) return masked_payload.status();
    CV_RETURN_IF_ERROR(keep_tokens(payload_tokens));
    std::string masked = payload.dump();
    auto sealed = cipher_.Seal(Field(tenant, "entry", e.id, "payload", subject), masked);
    if (!sealed.ok()) return sealed.status();
    e.payload_sealed = std::move(*sealed);
  }
  // Context keys an admin classified as identifiers (PUT /v1/schema/context-keys/{key}).
  std::map<std::string, std::string> identifier_keys;
  if (!message.context.empty()) {
    auto classes = store_.ListContextKeyClasses(tenant);
    if (!classes.ok()) return classes.status();
    for (const ContextKeyClass& k : *classes) {
      if (!k.identifier.empty()) identifier_keys[k.key] = k.identifier;
    }
  }
  auto index_classified = [&](const std::string& kind, std::string_view value,
                              const std::string& object_id) -> absl::Status {
    absl::StatusOr<std::string> normalized = kind == "email" ? crypto::NormalizeEmail(value)
                                             : kind == "phone"
                                                 ? crypto::NormalizePhone(value, region)
                                                 : crypto::NormalizePlatformId(value);
    if (!normalized.ok() || normalized->empty()) return absl::OkStatus();
    const char* index = kind == "email"   ? kEmailIndex
                        : kind == "phone" ? kPhoneIndex
                                          : kContextIdIndex;
    return add_sealed_index(index, *normalized, "context_entry", object_id, "value");
  };
  for (const auto& [k, v] : message.context) {
    ContextEntry c;
    c.id = ids_.NewId("ctx");
    c.tenant_id = tenant;
    c.session_id = session_id;
    CV_RETURN_IF_ERROR(index_identifiers(v.Reveal(), "context_entry", c.id, "value"));
    if (auto kind = identifier_keys.find(k.Reveal()); kind != identifier_keys.end()) {
      CV_RETURN_IF_ERROR(index_classified(kind->second, v.Reveal(), c.id));
    }
    CV_RETURN_IF_ERROR(policy.RedactInto(v.Reveal(), scope, &scratch));
    for (const auto& f : scratch.findings) ++counts[f.detector];
    CV_RETURN_IF_ERROR(keep_tokens(scratch.tokens));
    auto key_sealed =
        cipher_.Seal(Field(tenant, "context_entry", c.id, "key", subject), k.Reveal());
    if (!key_sealed.ok()) return key_sealed.status();
    auto value_sealed =
        cipher_.Seal(Field(tenant, "context_entry", c.id, "value", subject), scratch.text);
    if (!value_sealed.ok()) return value_sealed.status();
    c.key_sealed = std::move(*key_sealed);
    c.value_sealed = std::move(*value_sealed);
    w.context.push_back(std::move(c));
  }
  Json per_detector = Json::object();
  for (const auto& [detector, count] : counts) per_detector[detector] = count;
  e.redactions = per_detector.dump();
  w.record.redactions = RedactionsJson(counts);
  w.entries.push_back(std::move(e));

  // A system message to the end user: stored, queued for delivery (or, when
  // the channel cannot deliver anything, stored dead-lettered).
  const bool deliverable = senders_.CanDeliver(channel).ok();
  auto queue_system_reply = [&](const std::string& text,
                                const Json& payload) -> absl::StatusOr<std::string> {
    Entry reply;
    reply.id = ids_.NewId("ent");
    reply.tenant_id = tenant;
    reply.session_id = session_id;
    reply.end_user_id = subject;
    reply.created_at = now;
    reply.direction = Direction::kOutbound;
    reply.actor = ActorType::kSystem;
    reply.delivery_status = deliverable ? DeliveryStatus::kQueued : DeliveryStatus::kDeadLettered;
    reply.rule_set_version = compiled->version;
    reply.redactions = "{}";
    auto sealed = cipher_.Seal(Field(tenant, "entry", reply.id, "message", subject), text);
    if (!sealed.ok()) return sealed.status();
    reply.message_sealed = std::move(*sealed);
    auto sealed_payload =
        cipher_.Seal(Field(tenant, "entry", reply.id, "payload", subject), payload.dump());
    if (!sealed_payload.ok()) return sealed_payload.status();
    reply.payload_sealed = std::move(*sealed_payload);
    if (deliverable) {
      OutboxItem out;
      out.id = ids_.NewId("out");
      out.tenant_id = tenant;
      out.channel_id = channel.id;
      out.session_id = session_id;
      out.entry_id = reply.id;
      out.next_attempt_at = now;
      out.created_at = now;
      w.outbox.push_back(std::move(out));
    }
    std::string id = reply.id;
    w.entries.push_back(std::move(reply));
    return id;
  };
  auto record_consent = [&](std::string_view purpose, std::string_view status,
                            std::string_view source, const Json& evidence) {
    ConsentRecord consent;
    consent.id = ids_.NewId("con");
    consent.tenant_id = tenant;
    consent.end_user_id = subject;
    consent.channel_id = channel.id;
    consent.purpose = std::string(purpose);
    consent.status = std::string(status);
    consent.source = std::string(source);
    consent.evidence = evidence.dump();
    consent.captured_at = now;
    consent.effective_from = now;
    w.consent.push_back(std::move(consent));
  };

  // 6. Consent keywords (PRIVACY.md section 6): a whole message equal to a
  // keyword changes the messaging consent and gets the channel's reply, even
  // while processing is restricted (carriers require it).
  ConsentKeyword keyword = message.text.has_value()
                               ? MatchConsentKeyword(channel.consent, message.text->Reveal())
                               : ConsentKeyword::kNone;
  if (keyword != ConsentKeyword::kNone) {
    const std::string word(absl::StripAsciiWhitespace(Sv(message.text->Reveal())));
    if (keyword != ConsentKeyword::kHelp) {
      record_consent("messaging", keyword == ConsentKeyword::kOptOut ? "opted_out" : "opted_in",
                     "keyword", Json{{"keyword", absl::AsciiStrToUpper(word)}, {"entry_id", e.id}});
    }
    auto replied = queue_system_reply(ConsentKeywordReply(channel.consent, keyword),
                                      Json{{"consent_keyword", absl::AsciiStrToUpper(word)}});
    if (!replied.ok()) return replied.status();
  }

  if (suppressed && keyword == ConsentKeyword::kNone) {
    record_consent("messaging", "opted_out", "import", Json{{"suppression_list", true}});
  }

  // 7. The acknowledgment, on the first customer message of a session: not
  // while processing is restricted, nor to someone who opted out.
  bool opted_out =
      keyword == ConsentKeyword::kOptOut || (suppressed && keyword == ConsentKeyword::kNone);
  if (first_of_session && !w.new_end_user.has_value() && keyword == ConsentKeyword::kNone) {
    auto ledger = store_.ListConsent(tenant, subject);
    if (!ledger.ok()) return ledger.status();
    opted_out = CurrentConsent(*ledger, channel.id, "messaging", now).status == "opted_out";
  }
  if (first_of_session && !restricted && !opted_out && channel.acknowledgment.enabled &&
      !channel.acknowledgment.text.empty()) {
    Json evidence = {{"acknowledgment_version", channel.acknowledgment.version}};
    auto ack = queue_system_reply(AcknowledgmentText(channel.acknowledgment, locale), evidence);
    if (!ack.ok()) return ack.status();
    w.record.acknowledgment_entry_id = *ack;
    record_consent(
        "transcript_storage", "implicit", "acknowledgment",
        Json{{"acknowledgment_version", channel.acknowledgment.version}, {"entry_id", *ack}});
    // A new end user's row goes in with the flag set: no second write of it.
    if (w.new_end_user.has_value()) {
      w.new_end_user->has_initial_response_sent = true;
    } else {
      w.mark_initial_response_sent = true;
    }
  }

  // 8. One transaction.
  auto committed = store_.CommitInbound(w);
  if (!committed.ok()) return committed.status();
  const InboundRecord& r = committed->record;
  if (!committed->duplicate) {
    IngestCache::Known now_known;
    now_known.end_user_id = r.end_user_id;
    now_known.locale = w.new_end_user.has_value() ? w.new_end_user->locale : match->locale;
    now_known.processing_restricted = restricted;
    now_known.session_id = r.session_id;
    known_.Remember(known_key, std::move(now_known));
  }
  return IngestResult{r.entry_id,
                      r.session_id,
                      r.end_user_id,
                      committed->duplicate,
                      ParseRedactions(r.redactions),
                      r.acknowledgment_entry_id};
}

}  // namespace convault
