#pragma once

#include "api/router.h"
#include "privacy/privacy_service.h"

namespace convault {

// /v1/privacy/requests (role privacy_officer):
//   POST {type: erase | restrict | lift_restriction, end_user_id, reason?}
//        -> 202 the request, already carried out (completed, rejected or failed)
//   GET                -> {items, next_cursor}, newest first
//   GET /{id}          -> the request, with result (the erasure certificate)
class PrivacyRequestsHandler {
 public:
  PrivacyRequestsHandler(Store& store, privacy::PrivacyService& privacy)
      : store_(store), privacy_(privacy) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> Create(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> List(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Get(const RequestContext& ctx);

  Store& store_;
  privacy::PrivacyService& privacy_;
};

}  // namespace convault
