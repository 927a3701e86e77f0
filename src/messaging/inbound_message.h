#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "common/sensitive.h"

namespace convault {

// A message from a customer, in the form every channel adapter produces
// (ARCHITECTURE.md "one inbound message"): the platform's message id, who
// sent it, and what. Personal values stay wrapped until sealed.
struct InboundMessage {
  std::string message_id;  // the platform's id: repeats are answered, not stored
  Sensitive<std::string> platform_key;
  std::optional<Sensitive<std::string>> name;
  std::optional<Sensitive<std::string>> profile_picture_url;
  std::string locale;
  std::optional<Sensitive<std::string>> text;
  std::optional<Sensitive<std::string>> payload_json;  // structured content, JSON text
  std::vector<std::pair<Sensitive<std::string>, Sensitive<std::string>>> context;
  std::optional<absl::Time> sent_at;
};

// The answer to an inbound message (API.md "Messages in").
struct IngestResult {
  std::string entry_id;
  std::string session_id;
  std::string end_user_id;
  bool duplicate = false;
  std::vector<std::pair<std::string, int>> redactions;  // detector -> count, by detector
  std::string acknowledgment_entry_id;                  // empty when none was sent
};

}  // namespace convault
