#pragma once

#include "api/router.h"
#include "messaging/reapply.h"
#include "messaging/rule_service.h"

namespace convault {

// /v1/sensitive-data-rules (role admin):
//   GET    /detectors -> the built-in detectors with their descriptions
//   GET    /          -> {items: [rule], version}
//   POST   /          -> 201 rule; a bad pattern -> 400 naming the field and the reason
//   GET    /{id}, PATCH /{id} (fields to change), DELETE /{id} -> 204
//   POST   /preview   -> {text, actor_type?, channel_id?} -> {text, findings, version};
//                        the tenant's current rules; stores nothing
//   POST   /reapply   -> 202 job {id, status, scanned, changed}: re-masks stored history
//                        (GET /v1/jobs/{id} for progress)
// Every change increases the rule-set version (X-Rule-Set-Version on each answer).
class SensitiveDataRulesHandler {
 public:
  SensitiveDataRulesHandler(RuleService& rules, ReapplyService* reapply = nullptr)
      : rules_(rules), reapply_(reapply) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> Detectors(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> List(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Create(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Get(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Patch(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Delete(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Preview(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Reapply(const RequestContext& ctx);

  RuleService& rules_;
  ReapplyService* reapply_;
};

}  // namespace convault
