#include "channels/byoc/byoc_sender.h"

#include "absl/strings/escaping.h"
#include "common/status.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "crypto/mac.h"
#include "nlohmann/json.hpp"

namespace convault {

std::string ByocSender::Body(const OutboundMessage& m) {
  nlohmann::json payload = nullptr;
  if (m.payload_json) payload = nlohmann::json::parse(m.payload_json->Reveal(), nullptr, false);
  if (payload.is_discarded()) payload = nullptr;
  nlohmann::json body = {
      {"event", "message"},
      {"entry_id", m.entry_id},
      {"session_id", m.session_id},
      {"end_user", {{"platform_key", m.platform_key.Reveal()}}},
      {"text", m.text ? nlohmann::json(m.text->Reveal()) : nlohmann::json(nullptr)},
      {"payload", std::move(payload)},
      {"sent_at", FormatRfc3339(m.sent_at)}};
  return body.dump();
}

absl::Status ByocSender::CanDeliver(const Channel& channel) const {
  if (channel.outbound_url.empty()) {
    return absl::FailedPreconditionError("the channel has no outbound_url");
  }
  return absl::OkStatus();
}

absl::Status ByocSender::Send(const Channel& channel, const ChannelCredentials& credentials,
                              const OutboundMessage& message) {
  CV_RETURN_IF_ERROR(CanDeliver(channel));
  auto secret = credentials.Reveal().find("signing_secret");
  if (secret == credentials.Reveal().end() || secret->second.empty()) {
    return absl::FailedPreconditionError("the channel has no credentials.signing_secret");
  }
  HttpClient::Request request;
  request.url = channel.outbound_url;
  request.body = Body(message);
  auto tag = crypto::HmacSha256Once(secret->second, request.body);
  if (!tag.ok()) return absl::InternalError("cannot sign");
  request.headers = {{"Content-Type", "application/json"},
                     {"X-Convault-Signature", "sha256=" + absl::BytesToHexString(Sv(*tag))},
                     {"Idempotency-Key", message.entry_id}};
  auto code = http_.Post(request);
  if (!code.ok()) return code.status();
  return StatusForHttp(*code);
}

}  // namespace convault
