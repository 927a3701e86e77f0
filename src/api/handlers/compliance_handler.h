#pragma once

#include "api/router.h"
#include "crypto/kek_rotator.h"
#include "messaging/rule_service.h"
#include "store/store.h"

namespace convault {

// GET /v1/compliance (roles admin, auditor): the tenant's state for a
// compliance review (PRIVACY.md section 9): hipaa_mode and every channel's
// HIPAA eligibility, encryption coverage per field (the registry), the
// active sensitive-data rules, retention per channel, the key provider and
// KEK version.
class ComplianceHandler {
 public:
  ComplianceHandler(Store& store, RuleService& rules, crypto::KekRotator& rotator)
      : store_(store), rules_(rules), rotator_(rotator) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> Get(const RequestContext& ctx);

  Store& store_;
  RuleService& rules_;
  crypto::KekRotator& rotator_;
};

}  // namespace convault
