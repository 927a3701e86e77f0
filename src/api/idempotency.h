#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "api/auth.h"
#include "api/http_types.h"
#include "common/clock.h"
#include "crypto/field_cipher.h"
#include "store/store.h"

namespace convault {

// Idempotency-Key on POST requests (API.md; docs/api-conventions.md).
//
// The first successful (2xx) answer to a key is kept for 24 hours, scoped to
// the tenant and the API key that sent it, with a fingerprint of the method,
// path and body. A retry with the same key and the same request gets that
// answer again, marked "Idempotent-Replayed: true", and nothing is done twice.
// The same key on a different request is refused (422
// idempotency_key_reused); a retry while the first is still running waits for
// nothing and gets 409 idempotency_key_in_use. Failed answers are not kept, so
// the request can be retried once fixed.
//
// The kept body is sealed: under the key of the end user the request
// concerned (it is erased with them), else under the tenant key. Answers that
// hold a secret (a new API key) are not kept: a retry gets 409
// idempotent_answer_not_kept instead of a second secret.
// Thread safety: safe for concurrent use.
class IdempotencyKeys final {
 public:
  static constexpr absl::Duration kLifetime = absl::Hours(24);
  static constexpr size_t kMaxKeyLength = 255;

  IdempotencyKeys(Store& store, crypto::FieldCipher& cipher, Clock& clock)
      : store_(store), cipher_(cipher), clock_(clock) {}

  // Runs `run` for a request carrying Idempotency-Key `key` under the rules
  // above. `subject` is read after `run` returns (the end user the handler
  // found, or empty). `keep_body` is false for answers that hold a secret.
  absl::StatusOr<HttpResponse> Run(const Principal& principal, std::string_view key,
                                   const HttpRequest& request, bool keep_body,
                                   const std::function<absl::StatusOr<HttpResponse>()>& run,
                                   const std::string& subject);

  // Deletes kept answers older than kLifetime, up to `limit`; returns how many.
  absl::StatusOr<int> DeleteExpired(int limit);

 private:
  absl::StatusOr<HttpResponse> Replay(const IdempotentResponse& kept, std::string_view fingerprint);

  Store& store_;
  crypto::FieldCipher& cipher_;
  Clock& clock_;
  absl::Mutex mu_;
  // (tenant, API key, key) of requests running now.
  absl::flat_hash_set<std::string> running_ ABSL_GUARDED_BY(mu_);
};

}  // namespace convault
