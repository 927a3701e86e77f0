#pragma once

#include <functional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "api/http_types.h"
#include "common/secret.h"
#include "nlohmann/json.hpp"

namespace convault {

// The receiving end of Bring-Your-Own-Channel delivery
// (docs/formats/byoc-outbound.md), as an integrator would write it: for
// trying a channel locally (`convault byoc receive`) and for tests. It checks
// "X-Convault-Signature: sha256=<hex>" over the raw body in constant time,
// takes each Idempotency-Key once (a repeat is answered 200 and not handed
// on), and hands every new message to `sink`.
// Answers: 200 taken or repeat; 401 missing or wrong signature; 400 a body
// that is not a JSON object; 404 another path; 405 another method.
// Thread safety: Handle may be called concurrently; `sink` is called under a
// lock, one message at a time.
class ByocReceiver final : public HttpHandler {
 public:
  using Sink = std::function<void(const nlohmann::json& message)>;

  ByocReceiver(SecretBytes signing_secret, std::string path, Sink sink)
      : secret_(std::move(signing_secret)), path_(std::move(path)), sink_(std::move(sink)) {}

  HttpResponse Handle(const HttpRequest& request) override;
  HttpResponse Reject(int status, std::string_view code, std::string_view detail) override;

  // Whether `signature` ("sha256=<hex>") is the HMAC-SHA256 of `body` under `secret`.
  static bool SignatureHolds(const SecretBytes& secret, std::string_view body,
                             std::string_view signature);

 private:
  const SecretBytes secret_;
  const std::string path_;
  const Sink sink_;
  absl::Mutex mu_;
  absl::flat_hash_set<std::string> taken_ ABSL_GUARDED_BY(mu_);
};

}  // namespace convault
