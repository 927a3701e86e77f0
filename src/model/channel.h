#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"

namespace convault {

// The messaging platforms a channel can connect (DATA-MODEL.md channel.type).
// Values are stored: never renumber.
enum class ChannelType : int {
  kWebChat = 1,
  kInApp = 2,
  kWhatsApp = 3,
  kMessenger = 4,
  kSms = 5,
  kAppleBusiness = 6,
  kLine = 7,
  kByoc = 8,
};

std::string_view ChannelTypeName(ChannelType type);  // "web_chat", ...
std::optional<ChannelType> ParseChannelType(std::string_view name);
// PRIVACY.md section 9: web_chat and in_app are eligible; byoc only with an
// admin attestation; sms, whatsapp, apple_business, messenger and line are not.
bool HipaaEligible(ChannelType type, bool byoc_attested);

// The disclosure sent on the first customer message of a session. `version`
// increases whenever the text or a locale variant changes (consent evidence).
struct Acknowledgment {
  bool enabled = false;
  std::string text;
  std::map<std::string, std::string> locales;  // locale ("fr", "pt-BR") -> text
  int version = 0;
};

// Consent keywords and replies of a channel (PRIVACY.md section 4).
struct ChannelConsent {
  std::string required_level = "implicit";  // implicit | opted_in | double_opted_in
  std::vector<std::string> opt_out_keywords = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL",
                                               "END",  "QUIT",    "REVOKE",      "OPTOUT"};
  std::vector<std::string> opt_in_keywords = {"START", "YES", "UNSTOP"};
  std::vector<std::string> help_keywords = {"HELP", "INFO"};
  std::map<std::string, std::string> replies;  // "opt_out", "opt_in", "help" -> text
};

// A connection to one messaging platform account (DATA-MODEL.md channel).
struct Channel {
  std::string id;  // "ch_..."
  std::string tenant_id;
  ChannelType type = ChannelType::kByoc;
  std::string name;
  std::string address;  // the company's number, page id, account id
  std::string region;   // ISO country for national phone numbers; empty: the tenant's default
  // Platform secrets as sealed bytes (FieldCipher under the tenant DEK, never
  // returned by the API) and the names of the secrets present.
  std::string credentials_sealed;
  std::vector<std::string> credential_names;
  Acknowledgment acknowledgment;
  ChannelConsent consent;
  int session_inactivity_minutes = 30;
  int session_end_hours = 24;
  int retention_days = 0;       // 0: the tenant's default
  std::string api_base_url;     // platform API override (tests, regional endpoints)
  std::string outbound_url;     // byoc: where replies are posted
  bool hipaa_attested = false;  // byoc: an admin attests the receiving system is covered
  bool enabled = true;
  absl::Time created_at;
  absl::Time updated_at;
};

}  // namespace convault
