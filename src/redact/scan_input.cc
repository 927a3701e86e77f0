#include "redact/scan_input.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace convault::redact {
namespace {

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

// The marks of one 64-byte block of text: bit i for byte base + i (0 past the end).
struct Marks {
  uint64_t digits, at, colon, credential, dash;
  uint32_t digit_count;  // bits set in `digits`
};
// Marks `blocks` blocks of p[0, n) from byte `base` on into out[0, blocks).
using Marker = void (*)(const char* p, size_t n, size_t base, size_t blocks, Marks* out);

// The marked bytes of one 16-byte lane, one bit per byte, by kind.
struct Lane {
  uint32_t digits = 0, at = 0, colon = 0, credential = 0, dash = 0;
};

#if defined(__SSE2__)
// v holds bytes x..x+15, v1 and v2 the same from x+1 and x+2 (0 past the end).
[[gnu::always_inline]] inline Lane Classify(__m128i v, __m128i v1, __m128i v2) {
  auto eq = [](__m128i a, char c) { return _mm_cmpeq_epi8(a, _mm_set1_epi8(c)); };
  auto bits = [](__m128i m) { return static_cast<uint32_t>(_mm_movemask_epi8(m)); };
  const __m128i lower = _mm_set1_epi8(0x20);
  __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
  Lane lane;
  lane.digits = bits(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d));
  lane.at = bits(eq(v, '@'));
  lane.colon = bits(eq(v, ':'));
  lane.dash = bits(eq(v, '-'));
  // AKIA/ASIA at the 'A'; eyJ at the 'J'; gh?_ and sk_live_ at the '_';
  // "bearer" (any case) where "bea" begins.
  __m128i aws = _mm_and_si128(eq(v, 'A'), _mm_or_si128(eq(v1, 'K'), eq(v1, 'S')));
  __m128i bea = _mm_and_si128(
      eq(_mm_or_si128(v, lower), 'b'),
      _mm_and_si128(eq(_mm_or_si128(v1, lower), 'e'), eq(_mm_or_si128(v2, lower), 'a')));
  lane.credential =
      bits(_mm_or_si128(_mm_or_si128(aws, bea), _mm_or_si128(eq(v, 'J'), eq(v, '_'))));
  return lane;
}

__m128i Load(const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }

// The lane of p[pos, min(pos + 16, n)); bits past n are 0.
[[gnu::always_inline]] inline Lane LaneAt(const char* p, size_t n, size_t pos) {
  size_t left = n - pos;
  if (left >= 18) return Classify(Load(p + pos), Load(p + pos + 1), Load(p + pos + 2));
  if (left <= 16 && n >= 16) {  // the last 16 bytes of the text, shifted down
    __m128i v = Load(p + n - 16);
    Lane lane = Classify(v, _mm_srli_si128(v, 1), _mm_srli_si128(v, 2));
    unsigned shift = static_cast<unsigned>(16 - left);
    for (uint32_t* m : {&lane.digits, &lane.at, &lane.colon, &lane.credential, &lane.dash}) {
      *m >>= shift;
    }
    return lane;
  }
  char copy[40] = {};  // short texts: a zero-padded copy (NUL marks nothing)
  std::memcpy(copy, p + pos, left < 18 ? left : 18);
  return Classify(Load(copy), Load(copy + 1), Load(copy + 2));
}
#else
[[gnu::always_inline]] inline Lane LaneAt(const char* p, size_t n, size_t pos) {
  Lane lane;
  auto at = [&](size_t k) { return pos + k < n ? p[pos + k] : '\0'; };
  for (size_t k = 0; k < 16 && pos + k < n; ++k) {
    char c = at(k);
    uint32_t bit = 1u << k;
    if (IsDigit(c)) lane.digits |= bit;
    if (c == '@') lane.at |= bit;
    if (c == ':') lane.colon |= bit;
    if (c == '-') lane.dash |= bit;
    bool aws = c == 'A' && (at(k + 1) == 'K' || at(k + 1) == 'S');
    bool bea = (c | 0x20) == 'b' && (at(k + 1) | 0x20) == 'e' && (at(k + 2) | 0x20) == 'a';
    if (aws || bea || c == 'J' || c == '_') lane.credential |= bit;
  }
  return lane;
}
#endif

void MarkPortable(const char* p, size_t n, size_t base, size_t blocks, Marks* out) {
  for (size_t b = 0; b < blocks; ++b, base += 64) {
    Marks& m = out[b];
    m = {};
    for (size_t lane = 0; lane < 4 && base + 16 * lane < n; ++lane) {
      Lane l = LaneAt(p, n, base + 16 * lane);
      unsigned shift = static_cast<unsigned>(16 * lane);
      m.digits |= static_cast<uint64_t>(l.digits) << shift;
      m.at |= static_cast<uint64_t>(l.at) << shift;
      m.colon |= static_cast<uint64_t>(l.colon) << shift;
      m.credential |= static_cast<uint64_t>(l.credential) << shift;
      m.dash |= static_cast<uint64_t>(l.dash) << shift;
    }
    m.digit_count = static_cast<uint32_t>(__builtin_popcountll(m.digits));
  }
}

#if defined(__x86_64__)
[[gnu::target("avx512f,avx512bw"), gnu::always_inline]] inline uint64_t Eq(__m512i a, char c) {
  return _mm512_cmpeq_epi8_mask(a, _mm512_set1_epi8(c));
}

// The same with AVX-512BW: one 64-byte block per step, compares straight
// into 64-bit masks; a masked load reads nothing past the text. What the
// next one or two bytes are ("AK", "bea") comes from shifting the masks, with
// the first two bytes of the next block for the top bits.
[[gnu::target("avx512f,avx512bw,popcnt")]] void MarkAvx512(const char* p, size_t n, size_t base,
                                                           size_t blocks, Marks* out) {
  const __m512i lower = _mm512_set1_epi8(0x20);
  for (size_t b = 0; b < blocks; ++b, base += 64) {
    size_t left = n - base;  // > 0
    __mmask64 valid = left >= 64 ? ~__mmask64{0} : (__mmask64{1} << left) - 1;
    __m512i v = _mm512_maskz_loadu_epi8(valid, p + base);
    __m512i vl = _mm512_or_si512(v, lower);
    char next0 = left > 64 ? p[base + 64] : '\0';
    char next1 = left > 65 ? p[base + 65] : '\0';
    auto bit = [](bool on, int at) { return static_cast<uint64_t>(on) << at; };
    Marks& m = out[b];
    m.digits =
        _mm512_cmple_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')), _mm512_set1_epi8(9));
    m.at = Eq(v, '@');
    m.colon = Eq(v, ':');
    m.dash = Eq(v, '-');
    uint64_t k_or_s_next = ((Eq(v, 'K') | Eq(v, 'S')) >> 1) | bit(next0 == 'K' || next0 == 'S', 63);
    uint64_t e_next = (Eq(vl, 'e') >> 1) | bit((next0 | 0x20) == 'e', 63);
    uint64_t a_after =
        (Eq(vl, 'a') >> 2) | bit((next0 | 0x20) == 'a', 62) | bit((next1 | 0x20) == 'a', 63);
    uint64_t aws = Eq(v, 'A') & k_or_s_next;
    uint64_t bea = Eq(vl, 'b') & e_next & a_after;
    m.credential = aws | bea | Eq(v, 'J') | Eq(v, '_');
    m.digit_count = static_cast<uint32_t>(__builtin_popcountll(m.digits));
  }
}
#endif

Marker Chosen() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512bw")) return MarkAvx512;
#endif
  return MarkPortable;
}

const Marker kMarker = Chosen();
// Off: Reset and the word hints use the portable code (benchmarks of the fallback).
std::atomic<bool> use_simd{true};

}  // namespace

namespace scan_internal {
void UseSimd(bool on) { use_simd.store(on, std::memory_order_relaxed); }
}  // namespace scan_internal

void ScanInput::Reset(std::string_view input) {
  const Marker marker = use_simd.load(std::memory_order_relaxed) ? kMarker : MarkPortable;
  text = input;
  runs.clear();
  at_signs.clear();
  colons.clear();
  credential_starts.clear();
  digit_count = 0;
  window.position = SIZE_MAX;
  word_hints_ = -1;
  const char* p = input.data();
  const size_t n = input.size();
  // 64 bytes at a time: masks of each kind of mark, then one step per mark of
  // each kind (no per-byte branching). Digit runs and runs of dashes are found
  // from their masks: a run starts where the byte before is not of its kind.
  uint64_t digit_carry = 0, dash_carry = 0;  // the previous block ended inside a run
  size_t run_start = 0;
  constexpr size_t kChunk = 8;  // blocks marked per call
  Marks chunk[kChunk];
  size_t in_chunk = kChunk;
  for (size_t base = 0; base < n; base += 64) {
    if (in_chunk == kChunk) {
      size_t blocks = std::min(kChunk, (n - base + 63) / 64);
      marker(p, n, base, blocks, chunk);
      in_chunk = 0;
    }
    Marks& marks = chunk[in_chunk++];
    uint64_t digits = marks.digits, at = marks.at, colon = marks.colon;
    uint64_t credential = marks.credential, dash = marks.dash;
    // Digit runs: starts, and ends (the first byte after a run; bit 64 of a
    // full block cannot be held, so a run reaching it carries on).
    digit_count += marks.digit_count;
    uint64_t starts = digits & ~((digits << 1) | digit_carry);
    uint64_t ends = ~digits & ((digits << 1) | digit_carry);
    if (digit_carry != 0 && ends != 0) {
      runs.push_back(
          {static_cast<uint32_t>(run_start), static_cast<uint32_t>(base + __builtin_ctzll(ends))});
      ends &= ends - 1;
    }
    while (starts != 0) {
      size_t s = base + static_cast<size_t>(__builtin_ctzll(starts));
      starts &= starts - 1;
      if (ends != 0) {
        runs.push_back(
            {static_cast<uint32_t>(s), static_cast<uint32_t>(base + __builtin_ctzll(ends))});
        ends &= ends - 1;
      } else {
        run_start = s;
      }
    }
    bool full = n - base >= 64;
    uint64_t next_digit_carry = full ? digits >> 63 : 0;
    digit_carry = next_digit_carry;
    while (at != 0) {
      at_signs.push_back(static_cast<uint32_t>(base + __builtin_ctzll(at)));
      at &= at - 1;
    }
    while (colon != 0) {
      colons.push_back(static_cast<uint32_t>(base + __builtin_ctzll(colon)));
      colon &= colon - 1;
    }
    // Credential prefixes, and each run of dashes once (xox?- ends in one;
    // -----BEGIN starts one).
    uint64_t look = credential | (dash & ~((dash << 1) | dash_carry));
    dash_carry = full ? dash >> 63 : 0;
    while (look != 0) {
      size_t i = base + static_cast<size_t>(__builtin_ctzll(look));
      look &= look - 1;
      long found = CredentialAround(p, n, i);
      if (found >= 0) credential_starts.push_back(static_cast<uint32_t>(found));
    }
  }
  if (digit_carry != 0)
    runs.push_back({static_cast<uint32_t>(run_start), static_cast<uint32_t>(n)});
}

namespace {

constexpr uint32_t kAllHints =
    ScanInput::kBirthWord | ScanInput::kPassportWord | ScanInput::kRoutingWord;

// The masks of the letters the trigrams use, in one block (bit k: byte k).
template <typename M>
struct Letters {
  M a, b, d, i, n, o, p, r, s, t, u, dot;
};

// The hints of one block: a trigram xyz starts where x is and y, z follow;
// it counts where it starts at a bit of `starts`.
template <typename M>
uint32_t HintsOf(const Letters<M>& l, M starts) {
  M birth = (l.b & ((l.o | l.i) >> 1) & (l.r >> 2)) | (l.d & (l.o >> 1) & (l.b >> 2)) |
            (l.d & (l.dot >> 1) & (l.o >> 2));
  M passport = l.p & (l.a >> 1) & (l.s >> 2);
  M routing = (l.r & (l.o >> 1) & (l.u >> 2)) | (l.a & (l.b >> 1) & (l.a >> 2)) |
              (l.r & (l.t >> 1) & (l.n >> 2)) | (l.t & (l.r >> 1) & (l.a >> 2));
  return ((birth & starts) != 0 ? ScanInput::kBirthWord : 0) |
         ((passport & starts) != 0 ? ScanInput::kPassportWord : 0) |
         ((routing & starts) != 0 ? ScanInput::kRoutingWord : 0);
}

#if defined(__x86_64__)
// 64-byte blocks 62 bytes apart, so that every trigram lies whole in one of
// them; a trigram counts where it starts in the first 62 bytes of a block.
// Bytes are lower-cased by setting 0x20, which maps only letters onto
// letters ('.' stays '.'; a control byte 0x0E also reads as '.', which can
// only add a hint).
[[gnu::target("avx512f,avx512bw")]] uint32_t WordHintsAvx512(std::string_view text) {
  const char* p = text.data();
  const size_t n = text.size();
  uint32_t hints = 0;
  for (size_t base = 0; base + 2 < n; base += 62) {
    size_t left = n - base;
    __mmask64 valid = left >= 64 ? ~__mmask64{0} : (__mmask64{1} << left) - 1;
    __m512i v = _mm512_or_si512(_mm512_maskz_loadu_epi8(valid, p + base), _mm512_set1_epi8(0x20));
    const uint64_t starts = left >= 64 ? (uint64_t{1} << 62) - 1 : (uint64_t{1} << (left - 2)) - 1;
    Letters<uint64_t> letters{Eq(v, 'a'), Eq(v, 'b'), Eq(v, 'd'), Eq(v, 'i'),
                              Eq(v, 'n'), Eq(v, 'o'), Eq(v, 'p'), Eq(v, 'r'),
                              Eq(v, 's'), Eq(v, 't'), Eq(v, 'u'), Eq(v, '.')};
    hints |= HintsOf(letters, starts);
    if (hints == kAllHints) break;
  }
  return hints;
}
#endif

#if defined(__SSE2__)
// The same with SSE2: 16-byte blocks 14 bytes apart.
uint32_t WordHintsSse2(std::string_view text) {
  const char* p = text.data();
  const size_t n = text.size();
  uint32_t hints = 0;
  char tail[16];
  for (size_t base = 0; base + 2 < n; base += 14) {
    size_t left = n - base;
    const char* block = p + base;
    if (left < 16) {  // the end of the text, zero-padded
      std::memset(tail, 0, sizeof tail);
      std::memcpy(tail, block, left);
      block = tail;
    }
    __m128i v =
        _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block)), _mm_set1_epi8(0x20));
    auto eq = [&v](char c) {
      return static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c))));
    };
    const uint32_t starts = left >= 16 ? (1u << 14) - 1 : (1u << (left - 2)) - 1;
    Letters<uint32_t> letters{eq('a'), eq('b'), eq('d'), eq('i'), eq('n'), eq('o'),
                              eq('p'), eq('r'), eq('s'), eq('t'), eq('u'), eq('.')};
    hints |= HintsOf(letters, starts);
    if (hints == kAllHints) break;
  }
  return hints;
}
#endif

bool WordHintsAvx512Usable() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512bw");
#else
  return false;
#endif
}

const bool kWordHintsAvx512 = WordHintsAvx512Usable();

}  // namespace

uint32_t ScanInput::ComputeWordHintsPortable(std::string_view text) {
  // The letter masks byte by byte, in the AVX-512 path's 64-byte blocks.
  uint32_t hints = 0;
  for (size_t base = 0; base + 2 < text.size(); base += 62) {
    size_t left = text.size() - base;
    Letters<uint64_t> l{};
    for (size_t k = 0; k < 64 && k < left; ++k) {
      const uint64_t bit = uint64_t{1} << k;
      switch (static_cast<char>(text[base + k] | 0x20)) {
        case 'a':
          l.a |= bit;
          break;
        case 'b':
          l.b |= bit;
          break;
        case 'd':
          l.d |= bit;
          break;
        case 'i':
          l.i |= bit;
          break;
        case 'n':
          l.n |= bit;
          break;
        case 'o':
          l.o |= bit;
          break;
        case 'p':
          l.p |= bit;
          break;
        case 'r':
          l.r |= bit;
          break;
        case 's':
          l.s |= bit;
          break;
        case 't':
          l.t |= bit;
          break;
        case 'u':
          l.u |= bit;
          break;
        case '.':
          l.dot |= bit;
          break;
        default:
          break;
      }
    }
    hints |= HintsOf(l, left >= 64 ? (uint64_t{1} << 62) - 1 : (uint64_t{1} << (left - 2)) - 1);
  }
  return hints;
}

uint32_t ScanInput::ComputeWordHints(std::string_view text) {
#if defined(__x86_64__)
  if (kWordHintsAvx512 && use_simd.load(std::memory_order_relaxed)) return WordHintsAvx512(text);
#endif
#if defined(__SSE2__)
  return WordHintsSse2(text);
#else
  return ComputeWordHintsPortable(text);
#endif
}

}  // namespace convault::redact
