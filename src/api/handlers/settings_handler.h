#pragma once

#include "api/router.h"
#include "store/store.h"

namespace convault {

// /v1/settings (role admin): GET -> the tenant's settings; PATCH -> change the
// fields given (hipaa_mode, default_region, default_retention_days, erase_due_days).
// Turning hipaa_mode on is refused (409 hipaa_channel_not_eligible) while an
// enabled channel is not eligible.
class SettingsHandler {
 public:
  explicit SettingsHandler(Store& store) : store_(store) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> Get(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Patch(const RequestContext& ctx);

  Store& store_;
};

}  // namespace convault
