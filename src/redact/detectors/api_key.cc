// api_key: credentials with a recognizable shape.
#include "redact/detectors/detectors.h"

namespace convault::redact {
namespace {

class ApiKey final : public Detector {
 public:
  std::string_view id() const override { return "api_key"; }
  std::string_view description() const override {
    return "Credentials with a known shape: AWS access key ids (AKIA..., ASIA...), JSON Web "
           "Tokens (eyJ....eyJ....sig), bearer tokens, GitHub, Stripe and Slack tokens, and "
           "private key blocks (-----BEGIN ... PRIVATE KEY-----).";
  }
  std::vector<std::string> patterns() const override {
    return {
        R"((?:AKIA|ASIA)[0-9A-Z]{16})",
        R"(eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})",
        R"((?i)bearer [A-Za-z0-9._~+/\-]{20,}=*)",
        R"((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36})",
        R"((?:sk|rk)_live_[A-Za-z0-9]{24,})",
        R"(xox[baprs]-[A-Za-z0-9\-]{10,})",
        R"(-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[^\-]|-[^\-])*-----END [A-Z ]*PRIVATE KEY-----)",
        R"(-----BEGIN [A-Z ]*PRIVATE KEY-----)",
    };
  }
  bool Accept(std::string_view text, size_t* start, size_t* end,
              const ScanContext&) const override {
    if (text[*start] == '-') return true;  // key blocks carry their own delimiters
    return BoundaryBefore(text, *start) && BoundaryAfter(text, *end, "_-");
  }
};

}  // namespace

std::unique_ptr<Detector> NewApiKeyDetector() { return std::make_unique<ApiKey>(); }

}  // namespace convault::redact
