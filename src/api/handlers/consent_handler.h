#pragma once

#include "api/router.h"
#include "common/clock.h"
#include "common/ids.h"
#include "crypto/field_cipher.h"
#include "store/store.h"

namespace convault {

// The consent ledger of an end user (PRIVACY.md section 6):
//   GET  /v1/end-users/{id}/consent          -> {items: [current state per channel and purpose]}
//   POST /v1/end-users/{id}/consent          -> 201 the record appended
//        {purpose, status, source?, evidence?, channel_id?}   (privacy_officer, admin)
//   GET  /v1/end-users/{id}/consent/history  -> {items: [records, oldest first]}
// Evidence given through the API is sealed under the end user's DEK.
class ConsentHandler {
 public:
  ConsentHandler(Store& store, crypto::FieldCipher& cipher, Clock& clock, IdGenerator& ids)
      : store_(store), cipher_(cipher), clock_(clock), ids_(ids) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> Current(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Append(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> History(const RequestContext& ctx);
  absl::StatusOr<EndUser> Load(const RequestContext& ctx);

  Store& store_;
  crypto::FieldCipher& cipher_;
  Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace convault
