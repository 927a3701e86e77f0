#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "api/router.h"
#include "store/store.h"

namespace convault {

// Before a handler answers with an end user's data: records the subject for
// the audit log and enforces restricted processing (PRIVACY.md section 5):
// while the end user's processing is restricted, only admins and privacy
// officers get through; agents and bots get 403 `processing_restricted`.
// NotFound when the end user is gone.
absl::Status CheckSubjectAccess(Store& store, const RequestContext& ctx,
                                std::string_view end_user_id);

// The same check on an end user already read.
absl::Status CheckSubjectAccess(const RequestContext& ctx, const EndUser& end_user);

}  // namespace convault
