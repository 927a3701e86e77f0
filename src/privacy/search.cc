#include "privacy/search.h"

#include <set>
#include <utility>

#include "common/status.h"
#include "crypto/normalize.h"
#include "messaging/ingest.h"
#include "messaging/masking.h"

namespace convault::privacy {

absl::StatusOr<bool> SearchService::Confirm(const BlindIndexEntry& c, const std::string& value) {
  const std::string& tenant = c.tenant_id;
  if (!c.value_sealed.empty()) {
    auto opened = cipher_.Open(IndexValueField(c), c.value_sealed);
    return opened.ok() && *opened == value;
  }
  if (c.object_type != "end_user") return false;  // nothing to compare with
  auto user = store_.GetEndUser(tenant, c.object_id);
  if (absl::IsNotFound(user.status())) return false;
  if (!user.ok()) return user.status();
  if (c.field == "name") {
    if (user->name_sealed.empty()) return false;
    auto name = cipher_.Open({tenant, "end_user", user->id, "name", user->id}, user->name_sealed);
    if (!name.ok()) return false;
    auto normalized = crypto::NormalizeName(*name);
    return normalized.ok() && *normalized == value;
  }
  if (c.field == "platform_key") {
    auto channel = store_.GetChannel(tenant, user->channel_id);
    if (!channel.ok()) return false;
    auto region = ChannelRegion(store_, *channel);
    if (!region.ok()) return region.status();
    auto key = OpenPlatformKey(cipher_, *user, *channel, *region);
    return key.has_value() && *key == value;
  }
  return false;
}

absl::StatusOr<std::vector<SearchHit>> SearchService::Search(std::string_view tenant_id,
                                                             std::string_view q) {
  if (q.empty() || q.size() > 256) {
    return InvalidFields({{"q", "is required (1 to 256 bytes)"}});
  }
  auto settings = store_.GetSettings(tenant_id);
  if (!settings.ok()) return settings.status();
  // Every reading of q: (index, normalized value).
  std::set<std::pair<std::string, std::string>> probes;
  if (auto email = crypto::NormalizeEmail(q); email.ok()) {
    probes.insert({IngestPipeline::kEmailIndex, *email});
  }
  if (auto phone = crypto::NormalizePhone(q, settings->default_region); phone.ok()) {
    probes.insert({IngestPipeline::kPhoneIndex, *phone});
    probes.insert({IngestPipeline::kPlatformKeyIndex, *phone});
  }
  if (auto name = crypto::NormalizeName(q); name.ok() && !name->empty()) {
    probes.insert({IngestPipeline::kNameIndex, *name});
  }
  if (auto id = crypto::NormalizePlatformId(q); id.ok() && !id->empty()) {
    probes.insert({IngestPipeline::kPlatformKeyIndex, *id});
    probes.insert({IngestPipeline::kContextIdIndex, *id});
  }
  std::vector<SearchHit> hits;
  std::set<std::pair<std::string, std::string>> seen;  // (object, id + field)
  for (const auto& [index, value] : probes) {
    auto token = blind_.Token(tenant_id, index, value);
    if (!token.ok()) return token.status();
    auto candidates = store_.FindIndexEntries(tenant_id, index, *token, kMaxHits);
    if (!candidates.ok()) return candidates.status();
    for (const BlindIndexEntry& c : *candidates) {
      if (static_cast<int>(hits.size()) >= kMaxHits) return hits;
      if (seen.contains({c.object_type, c.object_id + "/" + c.field})) continue;
      auto confirmed = Confirm(c, value);
      if (!confirmed.ok()) return confirmed.status();
      if (!*confirmed) continue;
      seen.insert({c.object_type, c.object_id + "/" + c.field});
      SearchHit hit{c.object_type, c.object_id, c.field, c.subject_id, ""};
      if (c.object_type == "end_user") hit.end_user_id = c.object_id;
      if (c.object_type == "entry") {
        auto entry = store_.GetEntry(tenant_id, c.object_id);
        if (entry.ok()) hit.session_id = entry->session_id;
      }
      hits.push_back(std::move(hit));
    }
  }
  return hits;
}

}  // namespace convault::privacy
