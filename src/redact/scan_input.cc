#include "redact/scan_input.h"

#include <array>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace convault::redact {
namespace {

enum : uint8_t { kNone = 0, kDigit, kAt, kColon, kCredential };

// Bytes that can be part of something a built-in detector looks for. Credential
// prefixes are keyed on a rare byte of each ('J' of "eyJ", '_' of "ghp_" and
// "sk_live_", '-' of "xoxb-" and "-----BEGIN"), not on common letters.
constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = kDigit;
  t['@'] = kAt;
  t[':'] = kColon;
  for (char c : {'A', 'J', 'b', 'B', '_', '-'}) t[static_cast<uint8_t>(c)] = kCredential;
  return t;
}
constexpr std::array<uint8_t, 256> kClasses = MakeClasses();

bool Has(const char* p, size_t n, size_t at, std::string_view s) {
  return at <= n && n - at >= s.size() && std::string_view(p + at, s.size()) == s;
}

// Where a credential (the shapes of detectors/api_key.cc) begins around the
// byte at `i`, or -1.
long CredentialAround(const char* p, size_t n, size_t i) {
  auto one_of = [](char c, std::string_view set) {
    for (char s : set) {
      if (c == s) return true;
    }
    return false;
  };
  switch (p[i]) {
    case 'A':  // AKIA..., ASIA...
      return i + 4 <= n && (p[i + 1] == 'K' || p[i + 1] == 'S') && p[i + 2] == 'I' &&
                     p[i + 3] == 'A'
                 ? static_cast<long>(i)
                 : -1;
    case 'J':  // eyJ...
      return i >= 2 && p[i - 2] == 'e' && p[i - 1] == 'y' ? static_cast<long>(i - 2) : -1;
    case 'b':
    case 'B': {  // bearer <token>
      if (i + 7 > n || p[i + 6] != ' ') return -1;
      for (size_t k = 1; k < 6; ++k) {
        if ((p[i + k] | 0x20) != "bearer"[k]) return -1;
      }
      return static_cast<long>(i);
    }
    case '_':  // gh?_..., sk_live_..., rk_live_...
      if (i >= 3 && p[i - 3] == 'g' && p[i - 2] == 'h' && one_of(p[i - 1], "pousr")) {
        return static_cast<long>(i - 3);
      }
      if (i >= 2 && (p[i - 2] == 's' || p[i - 2] == 'r') && p[i - 1] == 'k' &&
          Has(p, n, i, "_live_")) {
        return static_cast<long>(i - 2);
      }
      return -1;
    case '-':  // xox?-..., -----BEGIN
      if (i >= 4 && p[i - 4] == 'x' && p[i - 3] == 'o' && p[i - 2] == 'x' &&
          one_of(p[i - 1], "baprs")) {
        return static_cast<long>(i - 4);
      }
      return Has(p, n, i, "-----BEGIN ") ? static_cast<long>(i) : -1;
  }
  return -1;
}

// The index of the first byte at or after `i` that kClasses marks, or n.
// Sixteen bytes at a time with SSE2 (every x86-64 CPU has it).
size_t NextInteresting(const char* p, size_t n, size_t i) {
#if defined(__SSE2__)
  const __m128i digit_base = _mm_set1_epi8(0x30), digit_span = _mm_set1_epi8(0x0A);  // 0-9 and ':'
  const __m128i at_base = _mm_set1_epi8(0x40), at_span = _mm_set1_epi8(0x02);  // '@', 'A', 'B'
  const __m128i j = _mm_set1_epi8('J'), underscore = _mm_set1_epi8('_'), dash = _mm_set1_epi8('-');
  const __m128i lower = _mm_set1_epi8(0x20), b = _mm_set1_epi8('b'), e = _mm_set1_epi8('e'),
                a = _mm_set1_epi8('a');
  while (i + 18 <= n) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i d = _mm_sub_epi8(v, digit_base);
    __m128i at = _mm_sub_epi8(v, at_base);
    __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d, digit_span), d),
                               _mm_cmpeq_epi8(_mm_min_epu8(at, at_span), at));
    hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(v, j), _mm_cmpeq_epi8(v, underscore)));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, dash));
    // 'b' or 'B' only where "bea" (any case) begins: "bearer" tokens.
    __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 1));
    __m128i v2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 2));
    __m128i bea = _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(v, lower), b),
                                _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(v1, lower), e),
                                              _mm_cmpeq_epi8(_mm_or_si128(v2, lower), a)));
    hit = _mm_or_si128(hit, bea);
    int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    i += 16;
  }
#endif
  while (i < n && kClasses[static_cast<uint8_t>(p[i])] == kNone) ++i;
  return i;
}

}  // namespace

void ScanInput::Reset(std::string_view input) {
  text = input;
  runs.clear();
  at_signs.clear();
  colons.clear();
  credential_starts.clear();
  window.position = SIZE_MAX;
  const char* p = input.data();
  const size_t n = input.size();
  for (size_t i = 0; i < n; ++i) {
    i = NextInteresting(p, n, i);
    if (i == n) break;
    switch (kClasses[static_cast<uint8_t>(p[i])]) {
      case kNone:
        break;
      case kDigit: {
        size_t j = i + 1;
        while (j < n && IsDigit(p[j])) ++j;
        runs.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(j)});
        i = j - 1;
        break;
      }
      case kAt:
        at_signs.push_back(static_cast<uint32_t>(i));
        break;
      case kColon:
        colons.push_back(static_cast<uint32_t>(i));
        break;
      case kCredential: {
        long at = CredentialAround(p, n, i);
        if (at >= 0) credential_starts.push_back(static_cast<uint32_t>(at));
        if (p[i] == '-') {
          while (i + 1 < n && p[i + 1] == '-') ++i;  // one look per run of dashes
        }
        break;
      }
    }
  }
}

}  // namespace convault::redact
