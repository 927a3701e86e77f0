// api_key: credentials with a recognizable shape.
#include <cstdint>

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
  uint32_t needs() const override { return ScanInput::kCredentials; }
  void Find(const ScanInput& in, const ScanContext&, std::vector<Span>* out) const override {
    std::string_view t = in.text;
    for (uint32_t start : in.credential_starts) {
      size_t end = t[start] == '-' ? KeyBlockEnd(t, start) : TokenEnd(t, start);
      if (end == 0) continue;
      if (t[start] == '-' || (BoundaryBefore(t, start) && BoundaryAfter(t, end, "_-"))) {
        out->push_back({start, end});
      }
    }
  }

 private:
  // How many bytes from `at` are in the class, at most `max`.
  template <typename Pred>
  static size_t Run(std::string_view t, size_t at, Pred in_class, size_t max = SIZE_MAX) {
    size_t n = 0;
    while (at + n < t.size() && n < max && in_class(t[at + n])) ++n;
    return n;
  }
  static bool Alnum(char c) { return IsAlnum(c); }
  static bool UpperOrDigit(char c) { return IsUpper(c) || IsDigit(c); }
  static bool Base64Url(char c) { return IsAlnum(c) || c == '_' || c == '-'; }
  static bool BearerChar(char c) {
    return IsAlnum(c) || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '-';
  }

  // The end of the token whose prefix ScanInput found at `start`, or 0.
  static size_t TokenEnd(std::string_view t, size_t start) {
    switch (t[start]) {
      case 'A': {  // AKIA / ASIA + 16 capitals or digits
        size_t n = Run(t, start + 4, UpperOrDigit, 17);
        return n == 16 ? start + 20 : 0;
      }
      case 'e': {  // eyJ<8+>.eyJ<8+>.<8+>
        size_t a = Run(t, start + 3, Base64Url);
        size_t at = start + 3 + a;
        if (a < 8 || at >= t.size() || t[at] != '.' || t.compare(at + 1, 3, "eyJ") != 0) return 0;
        size_t b = Run(t, at + 4, Base64Url);
        at += 4 + b;
        if (b < 8 || at >= t.size() || t[at] != '.') return 0;
        size_t c = Run(t, at + 1, Base64Url);
        return c >= 8 ? at + 1 + c : 0;
      }
      case 'b':
      case 'B': {  // bearer <20+>=*
        size_t n = Run(t, start + 7, BearerChar);
        if (n < 20) return 0;
        size_t end = start + 7 + n;
        while (end < t.size() && t[end] == '=') ++end;
        return end;
      }
      case 'g': {  // gh?_ + 36 letters or digits
        size_t n = Run(t, start + 4, Alnum, 37);
        return n == 36 ? start + 40 : 0;
      }
      case 's':
      case 'r': {  // sk_live_ / rk_live_ + 24 or more
        size_t n = Run(t, start + 8, Alnum);
        return n >= 24 ? start + 8 + n : 0;
      }
      case 'x': {  // xox?- + 10 or more
        size_t n = Run(t, start + 5, [](char c) { return IsAlnum(c) || c == '-'; });
        return n >= 10 ? start + 5 + n : 0;
      }
    }
    return 0;
  }

  // "-----BEGIN [A-Z ]*PRIVATE KEY-----", through its END line when the body
  // has no "--"; else the header alone. 0 when it is not a private key header.
  static size_t KeyBlockEnd(std::string_view t, size_t start) {
    constexpr std::string_view kTail = "PRIVATE KEY-----";
    size_t at = start + 11;
    while (at < t.size() && (IsUpper(t[at]) || t[at] == ' ')) {
      if (t.compare(at, kTail.size(), kTail) == 0) break;
      ++at;
    }
    if (t.compare(at, kTail.size(), kTail) != 0) return 0;
    size_t header_end = at + kTail.size();
    size_t dashes = t.find("--", header_end);
    if (dashes != std::string_view::npos && t.compare(dashes, 9, "-----END ") == 0) {
      size_t e = dashes + 9;
      while (e < t.size() && (IsUpper(t[e]) || t[e] == ' ')) {
        if (t.compare(e, kTail.size(), kTail) == 0) return e + kTail.size();
        ++e;
      }
      if (t.compare(e, kTail.size(), kTail) == 0) return e + kTail.size();
    }
    return header_end;
  }
};

}  // namespace

std::unique_ptr<Detector> NewApiKeyDetector() { return std::make_unique<ApiKey>(); }

}  // namespace convault::redact
