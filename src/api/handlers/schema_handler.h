#pragma once

#include "api/router.h"
#include "common/clock.h"
#include "store/store.h"

namespace convault {

// The field registry (DATA-MODEL.md; roles admin, privacy_officer):
//   GET /v1/schema                      -> {objects: [{name, fields: [...]}], context_keys: [...]}
//   PUT /v1/schema/context-keys/{key}   {sensitivity, categories?, identifier?}
//        -> the classification; identifier (email | phone | id) keys have their
//           values blind-indexed for privacy search from then on
class SchemaHandler {
 public:
  SchemaHandler(Store& store, Clock& clock) : store_(store), clock_(clock) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> Get(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> PutContextKey(const RequestContext& ctx);

  Store& store_;
  Clock& clock_;
};

}  // namespace convault
