#pragma once

#include "api/router.h"
#include "privacy/search.h"

namespace convault {

// GET /v1/privacy/search?q= (role privacy_officer): every object that holds
// a phone number, email, name or platform id ->
// {items: [{object, id, field, end_user_id, session_id?}]}. The audit record
// keeps the number of hits, never q.
class PrivacySearchHandler {
 public:
  explicit PrivacySearchHandler(privacy::SearchService& search) : search_(search) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> Search(const RequestContext& ctx);

  privacy::SearchService& search_;
};

}  // namespace convault
