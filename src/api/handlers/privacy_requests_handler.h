#pragma once

#include "api/router.h"
#include "common/clock.h"
#include "privacy/export.h"
#include "privacy/privacy_service.h"

namespace convault {

// /v1/privacy/requests (role privacy_officer):
//   POST {type: erase | export | restrict | lift_restriction, end_user_id, reason?}
//        -> 202 the request, already carried out (completed, rejected or failed)
//   GET                -> {items, next_cursor}, newest first
//   GET /{id}          -> the request, with result (the erasure certificate,
//                         the export's manifest)
//   GET /{id}/export   -> the export document (streamed; 404 export_expired
//                         after 30 days)
class PrivacyRequestsHandler {
 public:
  PrivacyRequestsHandler(Store& store, privacy::PrivacyService& privacy,
                         privacy::ExportService& exports, Clock& clock)
      : store_(store), privacy_(privacy), exports_(exports), clock_(clock) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> Create(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> List(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Get(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Download(const RequestContext& ctx);
  absl::StatusOr<PrivacyRequest> Load(const RequestContext& ctx);

  Store& store_;
  privacy::PrivacyService& privacy_;
  privacy::ExportService& exports_;
  Clock& clock_;
};

}  // namespace convault
