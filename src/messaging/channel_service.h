#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/sensitive.h"
#include "crypto/field_cipher.h"
#include "model/channel.h"
#include "store/store.h"

namespace convault {

// A channel's platform secrets in the clear: only for the code that talks to
// the platform, never logged or returned by the API.
using ChannelCredentials = Sensitive<std::map<std::string, std::string>>;

// Channels of a tenant (API.md "Channels and settings"): the rules the store
// does not know. Credentials are sealed under the tenant DEK with the channel
// as associated data; `hipaa_mode` refuses channels that are not eligible
// (PRIVACY.md section 9); the acknowledgment version increases when its text
// changes. Thread safety: safe for concurrent use.
class ChannelService {
 public:
  ChannelService(Store& store, crypto::FieldCipher& cipher, Clock& clock, IdGenerator& ids)
      : store_(store), cipher_(cipher), clock_(clock), ids_(ids) {}

  // `draft` carries the fields; id, tenant and times are set here.
  // FailedPrecondition with code hipaa_channel_not_eligible in hipaa_mode.
  absl::StatusOr<Channel> Create(std::string_view tenant_id, Channel draft,
                                 const std::optional<ChannelCredentials>& credentials);
  // `changed` is a stored channel with fields replaced; credentials replace the
  // old ones when given (an empty map removes them).
  absl::StatusOr<Channel> Update(std::string_view tenant_id, Channel changed,
                                 const std::optional<ChannelCredentials>& credentials);
  absl::StatusOr<Channel> Get(std::string_view tenant_id, std::string_view channel_id);
  absl::StatusOr<Page<Channel>> List(std::string_view tenant_id, const ListOptions& options);
  absl::Status Delete(std::string_view tenant_id, std::string_view channel_id);

  // The secrets of a channel, opened (for channel senders and webhook checks).
  absl::StatusOr<ChannelCredentials> OpenCredentials(const Channel& channel);

 private:
  absl::Status CheckHipaa(std::string_view tenant_id, const Channel& channel);
  absl::Status Seal(Channel& channel, const ChannelCredentials& credentials);

  Store& store_;
  crypto::FieldCipher& cipher_;
  Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace convault
