#pragma once

#include "api/router.h"
#include "privacy/audit_log.h"

namespace convault {

// /v1/audit (role auditor; these reads are not themselves audited):
//   GET ?after_seq=&limit=  -> {items: [record], next_after_seq}
//   GET /verify             -> {valid, records, head} or {valid: false, first_bad_seq, problem}
class AuditHandler {
 public:
  AuditHandler(Store& store, privacy::AuditLog& audit) : store_(store), audit_(audit) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> List(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Verify(const RequestContext& ctx);

  Store& store_;
  privacy::AuditLog& audit_;
};

}  // namespace convault
