#include "api/idempotency.h"

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status.h"
#include "common/strings.h"
#include "crypto/hash.h"

namespace convault {
namespace {

// Printable ASCII without spaces, as the header's value.
bool IsWellFormedKey(std::string_view key) {
  if (key.empty() || key.size() > IdempotencyKeys::kMaxKeyLength) return false;
  for (char c : key) {
    if (c <= 0x20 || c >= 0x7F) return false;
  }
  return true;
}

// The row id in the associated data of the sealed body.
std::string RowId(const IdempotentResponse& r) { return absl::StrCat(r.api_key_id, "/", r.key); }

}  // namespace

absl::StatusOr<HttpResponse> IdempotencyKeys::Run(
    const Principal& principal, std::string_view key, const HttpRequest& request, bool keep_body,
    const std::function<absl::StatusOr<HttpResponse>()>& run, const std::string& subject) {
  if (!IsWellFormedKey(key)) {
    return absl::InvalidArgumentError(
        "Idempotency-Key must be 1 to 255 printable ASCII characters without spaces");
  }
  std::string fingerprint = crypto::HexEncode(crypto::Sha256(absl::StrCat(
      request.method, " ", Sv(request.path), "\n", Sv(request.query), "\n", Sv(request.body))));
  // Claimed before the kept answer is looked up, so that a request finishing
  // in between cannot be run a second time.
  std::string running = absl::StrCat(principal.tenant_id, "\n", principal.key_id, "\n", Sv(key));
  {
    absl::MutexLock lock(&mu_);
    if (!running_.insert(running).second) {
      return WithCode(
          absl::FailedPreconditionError("a request with this Idempotency-Key is still in progress"),
          "idempotency_key_in_use");
    }
  }
  auto release = [&] {
    absl::MutexLock lock(&mu_);
    running_.erase(running);
  };
  auto kept = store_.GetIdempotentResponse(principal.tenant_id, principal.key_id, key);
  if ((kept.ok() && clock_.Now() < kept->created_at + kLifetime) ||
      (!kept.ok() && !absl::IsNotFound(kept.status()))) {
    release();
    if (!kept.ok()) return kept.status();
    return Replay(*kept, fingerprint);
  }
  absl::StatusOr<HttpResponse> result = run();
  absl::Status kept_status = absl::OkStatus();
  if (result.ok() && result->status >= 200 && result->status < 300 && result->stream == nullptr) {
    IdempotentResponse r;
    r.tenant_id = principal.tenant_id;
    r.api_key_id = principal.key_id;
    r.key = std::string(key);
    r.fingerprint = fingerprint;
    r.status = result->status;
    r.content_type = result->content_type;
    r.subject_id = subject;
    r.created_at = clock_.Now();
    if (keep_body) {
      std::string row = RowId(r);
      auto sealed = cipher_.Seal({r.tenant_id, "idempotent_response", row, "body", r.subject_id},
                                 result->body);
      if (sealed.ok()) r.body_sealed = std::move(*sealed);
      kept_status = sealed.status();
    }
    // An expired answer under the same key is replaced.
    if (kept_status.ok() && kept.ok()) {
      kept_status = store_.DeleteIdempotentResponse(principal.tenant_id, principal.key_id, key);
    }
    if (kept_status.ok()) kept_status = store_.PutIdempotentResponse(r);
  }
  release();
  // The work is done and its answer is given; only a retry would repeat it,
  // which the log says (status messages hold no personal data).
  if (!kept_status.ok()) {
    log::Warn("http", "idempotent_answer_not_kept", {{"error", StdSv(kept_status.ToString())}});
  }
  return result;
}

absl::StatusOr<HttpResponse> IdempotencyKeys::Replay(const IdempotentResponse& kept,
                                                     std::string_view fingerprint) {
  if (kept.fingerprint != fingerprint) {
    return WithCode(absl::InvalidArgumentError(
                        "this Idempotency-Key was used for a different request; use a new key"),
                    "idempotency_key_reused");
  }
  if (kept.body_sealed.empty() && !kept.content_type.empty()) {
    return WithCode(absl::FailedPreconditionError(
                        "the request with this Idempotency-Key succeeded; its answer held a "
                        "secret and is not kept"),
                    "idempotent_answer_not_kept");
  }
  HttpResponse response;
  response.status = kept.status;
  response.content_type = kept.content_type;
  if (!kept.body_sealed.empty()) {
    std::string row = RowId(kept);
    auto body = cipher_.Open({kept.tenant_id, "idempotent_response", row, "body", kept.subject_id},
                             kept.body_sealed);
    if (!body.ok()) return absl::InternalError("a kept answer does not open");
    response.body = std::move(*body);
  }
  response.headers.emplace_back("Idempotent-Replayed", "true");
  return response;
}

absl::StatusOr<int> IdempotencyKeys::DeleteExpired(int limit) {
  return store_.DeleteIdempotentResponses(clock_.Now() - kLifetime, limit);
}

}  // namespace convault
