#pragma once

#include <memory>

#include "api/router.h"
#include "redact/policy.h"

namespace convault {

// /v1/sensitive-data-rules (role admin).
//   GET  /detectors -> the built-in detectors with their descriptions
//   POST /preview   -> {text, actor_type?, channel_id?} -> {text, findings}; stores nothing
// Until rules are stored per tenant (issue 4), preview applies a new tenant's rules.
class SensitiveDataRulesHandler {
 public:
  // REQUIRES: `defaults` compiled from redact::DefaultRules().
  explicit SensitiveDataRulesHandler(std::shared_ptr<const redact::Policy> defaults)
      : defaults_(std::move(defaults)) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> Detectors(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Preview(const RequestContext& ctx);

  std::shared_ptr<const redact::Policy> defaults_;
};

}  // namespace convault
