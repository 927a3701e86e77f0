#pragma once

#include "api/json.h"
#include "api/router.h"
#include "store/store.h"

namespace convault {

// GET /v1/jobs/{id} (roles admin, privacy_officer): a background job's
// progress {id, kind, status, scanned, changed, ...}.
class JobsHandler {
 public:
  explicit JobsHandler(Store& store) : store_(store) {}
  void Register(Router& router);

  static Json JobJson(const Job& job);

 private:
  absl::StatusOr<HttpResponse> Get(const RequestContext& ctx);

  Store& store_;
};

}  // namespace convault
