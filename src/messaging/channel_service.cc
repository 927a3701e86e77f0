#include "messaging/channel_service.h"

#include <openssl/crypto.h>

#include "common/status.h"
#include "nlohmann/json.hpp"

namespace convault {
namespace {

crypto::FieldContext CredentialsContext(const Channel& channel) {
  return {channel.tenant_id, "channel", channel.id, "credentials", ""};
}

}  // namespace

absl::Status ChannelService::CheckHipaa(std::string_view tenant_id, const Channel& channel) {
  if (!channel.enabled || HipaaEligible(channel.type, channel.hipaa_attested)) {
    return absl::OkStatus();
  }
  auto settings = store_.GetSettings(tenant_id);
  if (!settings.ok()) return settings.status();
  if (!settings->hipaa_mode) return absl::OkStatus();
  return WithCode(absl::FailedPreconditionError(
                      channel.type == ChannelType::kByoc
                          ? "hipaa_mode is on: a byoc channel needs hipaa_attested"
                          : "hipaa_mode is on and this channel type is not HIPAA-eligible"),
                  "hipaa_channel_not_eligible");
}

absl::Status ChannelService::Seal(Channel& channel, const ChannelCredentials& credentials) {
  channel.credential_names.clear();
  if (credentials.Reveal().empty()) {
    channel.credentials_sealed.clear();
    return absl::OkStatus();
  }
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, value] : credentials.Reveal()) {
    j[name] = value;
    channel.credential_names.push_back(name);
  }
  std::string plain = j.dump();
  auto sealed = cipher_.Seal(CredentialsContext(channel), plain);
  OPENSSL_cleanse(plain.data(), plain.size());
  if (!sealed.ok()) return sealed.status();
  channel.credentials_sealed = std::move(*sealed);
  return absl::OkStatus();
}

absl::StatusOr<Channel> ChannelService::Create(
    std::string_view tenant_id, Channel draft,
    const std::optional<ChannelCredentials>& credentials) {
  draft.id = ids_.NewId("ch");
  draft.tenant_id = std::string(tenant_id);
  draft.created_at = clock_.Now();
  draft.updated_at = draft.created_at;
  draft.acknowledgment.version = draft.acknowledgment.text.empty() ? 0 : 1;
  CV_RETURN_IF_ERROR(CheckHipaa(tenant_id, draft));
  if (credentials.has_value()) CV_RETURN_IF_ERROR(Seal(draft, *credentials));
  CV_RETURN_IF_ERROR(store_.CreateChannel(draft));
  return draft;
}

absl::StatusOr<Channel> ChannelService::Update(
    std::string_view tenant_id, Channel changed,
    const std::optional<ChannelCredentials>& credentials) {
  auto before = store_.GetChannel(tenant_id, changed.id);
  if (!before.ok()) return before.status();
  changed.tenant_id = std::string(tenant_id);
  changed.type = before->type;  // a channel keeps its platform
  changed.created_at = before->created_at;
  changed.updated_at = clock_.Now();
  const Acknowledgment& was = before->acknowledgment;
  changed.acknowledgment.version = was.version;
  if (changed.acknowledgment.text != was.text || changed.acknowledgment.locales != was.locales) {
    ++changed.acknowledgment.version;
  }
  CV_RETURN_IF_ERROR(CheckHipaa(tenant_id, changed));
  if (credentials.has_value()) {
    CV_RETURN_IF_ERROR(Seal(changed, *credentials));
  } else {
    changed.credentials_sealed = before->credentials_sealed;
    changed.credential_names = before->credential_names;
  }
  CV_RETURN_IF_ERROR(store_.UpdateChannel(changed));
  return changed;
}

absl::StatusOr<Channel> ChannelService::Get(std::string_view tenant_id,
                                            std::string_view channel_id) {
  return store_.GetChannel(tenant_id, channel_id);
}

absl::StatusOr<Page<Channel>> ChannelService::List(std::string_view tenant_id,
                                                   const ListOptions& options) {
  return store_.ListChannels(tenant_id, options);
}

absl::Status ChannelService::Delete(std::string_view tenant_id, std::string_view channel_id) {
  return store_.DeleteChannel(tenant_id, channel_id);
}

absl::StatusOr<ChannelCredentials> ChannelService::OpenCredentials(const Channel& channel) {
  ChannelCredentials out;
  if (channel.credentials_sealed.empty()) return out;
  auto plain = cipher_.Open(CredentialsContext(channel), channel.credentials_sealed);
  if (!plain.ok()) return plain.status();
  nlohmann::json j = nlohmann::json::parse(*plain, nullptr, false);
  OPENSSL_cleanse(plain->data(), plain->size());
  if (!j.is_object()) return absl::InternalError("channel credentials do not parse");
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.value().is_string()) out.RevealMutable()[it.key()] = it.value().get<std::string>();
  }
  return out;
}

}  // namespace convault
