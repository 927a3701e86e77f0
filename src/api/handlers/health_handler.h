#pragma once

#include "api/router.h"
#include "store/key_store.h"
#include "store/store.h"

namespace convault {

// GET /healthz (liveness: the process answers) and GET /readyz (the data
// store and key store answer and their migrations are applied). Public.
class HealthHandler {
 public:
  HealthHandler(Store& store, KeyStore& key_store) : store_(store), key_store_(key_store) {}
  void Register(Router& router);

 private:
  Store& store_;
  KeyStore& key_store_;
};

}  // namespace convault
