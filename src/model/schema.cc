#include "model/schema.h"

namespace convault {

const std::vector<FieldClass>& SchemaRegistry() {
  static const std::vector<FieldClass>* registry = new std::vector<FieldClass>{
      {"channel", "name", "internal", {}, false, "", "none"},
      {"channel", "address", "internal", {}, false, "", "none"},
      {"channel", "credentials", "restricted", {"credential"}, true, "tenant", "none"},
      {"channel", "acknowledgment", "internal", {}, false, "", "none"},
      {"channel", "consent", "internal", {}, false, "", "none"},
      {"end_user", "platform_key", "confidential", {"pii"}, true, "subject", "blind_index"},
      {"end_user", "name", "confidential", {"pii"}, true, "subject", "blind_index"},
      {"end_user", "profile_picture_url", "confidential", {"pii"}, true, "subject", "none"},
      {"end_user", "locale", "internal", {}, false, "", "none"},
      {"end_user", "processing_restricted", "internal", {}, false, "", "none"},
      {"end_user", "legal_hold", "internal", {}, false, "", "none"},
      {"end_user", "has_initial_response_sent", "internal", {}, false, "", "none"},
      {"session", "status", "internal", {}, false, "", "none"},
      {"session", "started_at", "internal", {}, false, "", "none"},
      {"session", "last_activity_at", "internal", {}, false, "", "none"},
      {"participant", "role", "internal", {}, false, "", "none"},
      {"participant", "display_name", "confidential", {"pii"}, true, "subject", "blind_index"},
      {"entry", "actor_name", "confidential", {"pii"}, true, "subject", "none"},
      {"entry", "message", "confidential", {"pii"}, true, "subject", "identifiers"},
      {"entry", "payload", "confidential", {"pii"}, true, "subject", "none"},
      {"entry", "entry_payload", "confidential", {"pii"}, true, "subject", "none"},
      {"entry", "external_id", "internal", {}, false, "", "exact"},
      {"entry", "delivery_status", "internal", {}, false, "", "none"},
      {"entry", "redactions", "internal", {}, false, "", "none"},
      {"context_entry", "key", "confidential", {"pii"}, true, "subject", "none"},
      {"context_entry", "value", "confidential", {"pii"}, true, "subject", "identifiers"},
      {"transcript", "body", "confidential", {"pii"}, true, "subject", "none"},
      {"transcript", "supervisor_body", "confidential", {"pii"}, true, "subject", "none"},
      {"token", "value", "restricted", {"pii", "pci"}, true, "subject", "none"},
      {"consent_record", "status", "internal", {}, false, "", "none"},
      {"consent_record", "evidence", "confidential", {"pii"}, true, "subject", "none"},
      {"privacy_request", "reason", "confidential", {}, true, "tenant", "none"},
      {"legal_hold", "reason", "confidential", {}, true, "tenant", "none"},
      {"audit_record", "subject_hash", "internal", {}, false, "", "exact"},
  };
  return *registry;
}

bool IsSensitivity(std::string_view s) {
  return s == "public" || s == "internal" || s == "confidential" || s == "restricted";
}

bool IsCategory(std::string_view c) {
  return c == "pii" || c == "phi" || c == "pci" || c == "credential";
}

}  // namespace convault
