#include "messaging/consent.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/status.h"
#include "common/strings.h"

namespace convault {

int ConsentLevel(std::string_view status) {
  if (status == "opted_out") return 0;
  if (status == "implicit") return 1;
  if (status == "opted_in") return 2;
  if (status == "double_opted_in") return 3;
  return -1;
}

bool IsConsentStatus(std::string_view status) { return ConsentLevel(status) >= 0; }

bool IsConsentPurpose(std::string_view p) {
  return p == "messaging" || p == "marketing" || p == "transcript_storage" || p == "analytics" ||
         p == "bot_processing";
}

bool IsConsentSource(std::string_view s) {
  return s == "keyword" || s == "api" || s == "web_form" || s == "acknowledgment" || s == "import";
}

ConsentState CurrentConsent(const std::vector<ConsentRecord>& ledger, std::string_view channel_id,
                            std::string_view purpose, absl::Time now) {
  ConsentState state;
  state.channel_id = std::string(channel_id);
  state.purpose = std::string(purpose);
  // The ledger is oldest first: the last record in effect wins; a record for
  // this channel wins over a channel-less one captured at the same time.
  const ConsentRecord* current = nullptr;
  for (const ConsentRecord& r : ledger) {
    if (r.purpose != purpose || r.effective_from > now) continue;
    if (!r.channel_id.empty() && r.channel_id != channel_id) continue;
    if (current == nullptr || r.effective_from >= current->effective_from) current = &r;
  }
  if (current != nullptr) {
    state.status = current->status;
    state.source = current->source;
    state.captured_at = current->captured_at;
  }
  return state;
}

absl::Status CheckOutboundConsent(const std::vector<ConsentRecord>& ledger, const Channel& channel,
                                  absl::Time now) {
  ConsentState state = CurrentConsent(ledger, channel.id, "messaging", now);
  if (state.status == "opted_out") {
    return WithCode(absl::FailedPreconditionError("the end user opted out of messages"),
                    "opted_out");
  }
  if (ConsentLevel(state.status) < ConsentLevel(channel.consent.required_level)) {
    return WithCode(absl::FailedPreconditionError(
                        "the end user's consent is below the channel's required level"),
                    "consent_required");
  }
  return absl::OkStatus();
}

ConsentKeyword MatchConsentKeyword(const ChannelConsent& consent, std::string_view text) {
  absl::string_view word = absl::StripAsciiWhitespace(Sv(text));
  if (word.empty() || word.size() > 32) return ConsentKeyword::kNone;
  auto in = [&](const std::vector<std::string>& list) {
    for (const std::string& k : list) {
      if (absl::EqualsIgnoreCase(Sv(k), word)) return true;
    }
    return false;
  };
  if (in(consent.opt_out_keywords)) return ConsentKeyword::kOptOut;
  if (in(consent.opt_in_keywords)) return ConsentKeyword::kOptIn;
  if (in(consent.help_keywords)) return ConsentKeyword::kHelp;
  return ConsentKeyword::kNone;
}

std::string ConsentKeywordReply(const ChannelConsent& consent, ConsentKeyword keyword) {
  const char* name = keyword == ConsentKeyword::kOptOut  ? "opt_out"
                     : keyword == ConsentKeyword::kOptIn ? "opt_in"
                                                         : "help";
  if (auto it = consent.replies.find(name); it != consent.replies.end() && !it->second.empty()) {
    return it->second;
  }
  switch (keyword) {
    case ConsentKeyword::kOptOut:
      return "You are unsubscribed and will get no more messages. Reply START to subscribe again.";
    case ConsentKeyword::kOptIn:
      return "You are subscribed again. Reply STOP to unsubscribe, HELP for help.";
    default:
      return "Reply STOP to unsubscribe, START to subscribe again.";
  }
}

}  // namespace convault
