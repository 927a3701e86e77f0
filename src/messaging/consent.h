#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "model/channel.h"
#include "model/consent_record.h"

namespace convault {

// Consent (PRIVACY.md section 6): the ledger is append-only; the state of
// one (channel, purpose) is its latest record in effect, a record without a
// channel applying to every channel; with no record a customer who wrote is
// `implicit`. Levels order the statuses: opted_out < implicit < opted_in <
// double_opted_in.

// -1 for an unknown status.
int ConsentLevel(std::string_view status);
bool IsConsentStatus(std::string_view status);
bool IsConsentPurpose(std::string_view purpose);
bool IsConsentSource(std::string_view source);

struct ConsentState {
  std::string channel_id;
  std::string purpose;
  std::string status = "implicit";
  std::string source;  // empty when derived without a record
  absl::Time captured_at = absl::InfinitePast();
};

ConsentState CurrentConsent(const std::vector<ConsentRecord>& ledger, std::string_view channel_id,
                            std::string_view purpose, absl::Time now);

// Whether the company may message the end user on `channel` now: OK, or 409
// `opted_out` after an opt-out, or 409 `consent_required` below the
// channel's required level.
absl::Status CheckOutboundConsent(const std::vector<ConsentRecord>& ledger, const Channel& channel,
                                  absl::Time now);

enum class ConsentKeyword { kNone, kOptOut, kOptIn, kHelp };

// A whole message equal to one of the channel's keywords (trimmed, case-insensitive).
ConsentKeyword MatchConsentKeyword(const ChannelConsent& consent, std::string_view text);

// The channel's reply to a keyword (its configured text, or the default).
std::string ConsentKeywordReply(const ChannelConsent& consent, ConsentKeyword keyword);

// Keywords that no channel can drop (carriers require them).
inline constexpr const char* kRequiredOptOutKeyword = "STOP";
inline constexpr const char* kRequiredOptInKeyword = "START";
inline constexpr const char* kRequiredHelpKeyword = "HELP";

}  // namespace convault
