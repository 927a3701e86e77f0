#pragma once

#include <functional>

#include "api/router.h"
#include "crypto/kek_rotator.h"
#include "store/key_store.h"
#include "store/store.h"

namespace convault {

// /v1/keys (role admin). Never returns key material.
//   GET  /v1/keys        -> provider, KEK versions with states, wrapped-key counts
//   POST /v1/keys/rotate -> 202: a new KEK version; the rewrap job starts at once
// KEKs are the server's, shared by all tenants: every admin sees the versions
// and its own tenant's key count; per-version counts and rotation belong to
// the operator, i.e. admins of the "default" tenant (others get 403).
class KeysHandler {
 public:
  KeysHandler(Store& store, KeyStore& key_store, crypto::KekRotator& rotator,
              std::function<void()> wake_jobs)
      : store_(store), key_store_(key_store), rotator_(rotator), wake_jobs_(std::move(wake_jobs)) {}
  void Register(Router& router);

 private:
  absl::StatusOr<bool> IsOperator(const Principal& principal);
  absl::StatusOr<HttpResponse> Get(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Rotate(const RequestContext& ctx);

  Store& store_;
  KeyStore& key_store_;
  crypto::KekRotator& rotator_;
  std::function<void()> wake_jobs_;
};

}  // namespace convault
