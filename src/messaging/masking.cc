#include "messaging/masking.h"

#include "common/status.h"

namespace convault {

absl::StatusOr<bool> MaskJsonStrings(nlohmann::json& value, const redact::Policy& policy,
                                     const redact::RedactionScope& scope,
                                     std::map<std::string, int>* counts,
                                     std::vector<redact::TokenizedValue>* tokens) {
  if (value.is_string()) {
    thread_local redact::RedactionResult scratch;
    CV_RETURN_IF_ERROR(policy.RedactInto(value.get_ref<const std::string&>(), scope, &scratch));
    if (scratch.findings.empty()) return false;
    for (const auto& f : scratch.findings) ++(*counts)[f.detector];
    for (auto& t : scratch.tokens) tokens->push_back(std::move(t));
    value = scratch.text;
    return true;
  }
  bool changed = false;
  if (value.is_array() || value.is_object()) {
    for (auto& item : value) {
      auto c = MaskJsonStrings(item, policy, scope, counts, tokens);
      if (!c.ok()) return c.status();
      changed = changed || *c;
    }
  }
  return changed;
}

absl::StatusOr<std::string> ChannelRegion(Store& store, const Channel& channel) {
  if (!channel.region.empty()) return channel.region;
  auto settings = store.GetSettings(channel.tenant_id);
  if (!settings.ok()) return settings.status();
  return settings->default_region;
}

}  // namespace convault
