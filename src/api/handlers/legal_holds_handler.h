#pragma once

#include "api/router.h"
#include "privacy/privacy_service.h"

namespace convault {

// /v1/end-users/{id}/legal-hold (role privacy_officer):
//   PUT {reason}  -> 200 {end_user_id, legal_hold: true, reason, placed_by, placed_at}
//   GET           -> the same; 404 when there is no hold
//   DELETE        -> 204 (404 when there was no hold)
// A hold blocks erasure and retention deletion (PRIVACY.md section 3).
class LegalHoldsHandler {
 public:
  LegalHoldsHandler(Store& store, privacy::PrivacyService& privacy)
      : store_(store), privacy_(privacy) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> Put(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Get(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Delete(const RequestContext& ctx);

  Store& store_;
  privacy::PrivacyService& privacy_;
};

}  // namespace convault
