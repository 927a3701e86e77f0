#include "channels/byoc/byoc_receiver.h"

#include "absl/strings/escaping.h"
#include "common/strings.h"
#include "crypto/hash.h"
#include "crypto/mac.h"

namespace convault {
namespace {

HttpResponse Problem(int status, std::string_view code, std::string_view detail) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = nlohmann::json{{"type", "about:blank"},
                          {"status", status},
                          {"code", std::string(code)},
                          {"detail", std::string(detail)}}
               .dump();
  return r;
}

HttpResponse Ok(bool duplicate) {
  HttpResponse r;
  r.content_type = "application/json";
  r.body = nlohmann::json{{"received", true}, {"duplicate", duplicate}}.dump();
  return r;
}

}  // namespace

bool ByocReceiver::SignatureHolds(const SecretBytes& secret, std::string_view body,
                                  std::string_view signature) {
  constexpr std::string_view kPrefix = "sha256=";
  if (signature.substr(0, kPrefix.size()) != kPrefix) return false;
  auto tag = crypto::HmacSha256Once(secret.Reveal(), body);
  if (!tag.ok()) return false;
  std::string expected = absl::BytesToHexString(Sv(*tag));
  return crypto::ConstantTimeEquals(expected, signature.substr(kPrefix.size()));
}

HttpResponse ByocReceiver::Handle(const HttpRequest& request) {
  if (request.path != path_) return Problem(404, "not_found", "no such resource");
  if (request.method != "POST") return Problem(405, "method_not_allowed", "POST only");
  auto signature = request.Header("x-convault-signature");
  if (!signature || !SignatureHolds(secret_, request.body, *signature)) {
    return Problem(401, "bad_signature", "X-Convault-Signature does not match the body");
  }
  nlohmann::json message = nlohmann::json::parse(request.body, nullptr, false);
  if (message.is_discarded() || !message.is_object()) {
    return Problem(400, "invalid_request", "the body is not a JSON object");
  }
  std::string key(request.Header("idempotency-key").value_or(""));
  absl::MutexLock lock(&mu_);
  if (!key.empty() && !taken_.insert(key).second) return Ok(true);
  sink_(message);
  return Ok(false);
}

HttpResponse ByocReceiver::Reject(int status, std::string_view code, std::string_view detail) {
  return Problem(status, code, detail);
}

}  // namespace convault
