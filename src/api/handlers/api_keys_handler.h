#pragma once

#include "api/router.h"
#include "common/clock.h"
#include "common/ids.h"
#include "store/store.h"

namespace convault {

// /v1/api-keys (role admin), scoped to the caller's tenant:
//   POST   {name, roles}   -> 201 {id, name, roles, created_at, key}  (key shown once)
//   GET    ?limit=&cursor= -> 200 {items, next_cursor}
//   GET    /{id}           -> 200 {id, name, roles, created_at}
//   DELETE /{id}           -> 204; 409 last_admin_key for the tenant's last admin key
// Another tenant's key id answers 404, like a missing one.
class ApiKeysHandler {
 public:
  ApiKeysHandler(Store& store, Clock& clock, IdGenerator& ids)
      : store_(store), clock_(clock), ids_(ids) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> Create(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> List(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Get(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Delete(const RequestContext& ctx);

  Store& store_;
  Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace convault
