#include "redact/detector.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "redact/detectors/detectors.h"

namespace convault::redact {
const std::vector<std::unique_ptr<Detector>>& BuiltinDetectors() {
  static const auto* all = [] {
    auto* v = new std::vector<std::unique_ptr<Detector>>();
    v->push_back(NewCreditCardDetector());
    v->push_back(NewUsSsnDetector());
    v->push_back(NewUsItinDetector());
    v->push_back(NewIbanDetector());
    v->push_back(NewEmailDetector());
    v->push_back(NewPhoneDetector());
    v->push_back(NewIpv4Detector());
    v->push_back(NewIpv6Detector());
    v->push_back(NewUsPassportDetector());
    v->push_back(NewDateOfBirthDetector());
    v->push_back(NewApiKeyDetector());
    v->push_back(NewBankRoutingDetector());
    return v;
  }();
  return *all;
}

const Detector* FindDetector(std::string_view id) {
  for (const auto& d : BuiltinDetectors()) {
    if (d->id() == id) return d.get();
  }
  return nullptr;
}

ContextWords::ContextWords(std::initializer_list<std::string_view> words) {
  for (std::string_view word : words) {
    words_.push_back({word, !word.empty() && IsLower(word[0]) ? 1u << (word[0] - 'a') : 0});
  }
}

namespace {

// The window of the `size` bytes from `from` (size <= 40), lower-cased, with
// the bits of its letters; the zero padding is no letter.
uint64_t LowerWindow(const char* from, size_t size, char* bytes) {
  std::memset(bytes, 0, 48);
  std::memcpy(bytes, from, size);
#if defined(__SSE2__)
  uint64_t letters = 0;
  for (int k = 0; k < 3; ++k) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + 16 * k));
    __m128i up = _mm_sub_epi8(v, _mm_set1_epi8('A'));
    __m128i upper = _mm_cmpeq_epi8(_mm_min_epu8(up, _mm_set1_epi8(25)), up);
    __m128i lower = _mm_or_si128(v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
    __m128i lo = _mm_sub_epi8(lower, _mm_set1_epi8('a'));
    __m128i letter = _mm_cmpeq_epi8(_mm_min_epu8(lo, _mm_set1_epi8(25)), lo);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(bytes + 16 * k), lower);
    letters |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(letter))) << (16 * k);
  }
  return letters;
#else
  uint64_t letters = 0;
  for (size_t i = 0; i < size; ++i) {
    char c = bytes[i];
    if (IsUpper(c)) bytes[i] = static_cast<char>(c - 'A' + 'a');
    if (IsLetter(c)) letters |= uint64_t{1} << i;
  }
  return letters;
#endif
}

}  // namespace

int ContextDistance(const ScanInput& in, size_t start, const ContextWords& words) {
  ScanInput::ContextWindow& w = in.window;
  if (w.position != start) {
    size_t from = start > 40 ? start - 40 : 0;
    w.position = start;
    w.size = start - from;
    uint64_t letters = LowerWindow(in.text.data() + from, w.size, w.bytes);
    uint64_t before = from > 0 && IsLetter(in.text[from - 1]) ? 1 : 0;
    w.word_starts = letters & ~((letters << 1) | before);
    w.start_letters = 0;
    for (uint64_t m = w.word_starts; m != 0; m &= m - 1) {
      w.start_letters |= 1u << (w.bytes[__builtin_ctzll(m)] - 'a');
    }
  }
  int best = -1;
  for (const ContextWords::Word& entry : words.words()) {
    if ((entry.first & w.start_letters) == 0) continue;  // no word begins with its letter
    std::string_view word = entry.text;
    if (word.size() > w.size) continue;
    // The last occurrence that starts a word ("tel" is not in "completely"):
    // only the word starts that leave room for it are tried, last first.
    uint64_t starts = w.word_starts & ((uint64_t{1} << (w.size - word.size() + 1)) - 1);
    while (starts != 0) {
      size_t at = 63 - static_cast<size_t>(__builtin_clzll(starts));
      starts &= ~(uint64_t{1} << at);
      if (w.bytes[at] != word[0] || std::string_view(w.bytes + at, word.size()) != word) continue;
      int distance = static_cast<int>(w.size - (at + word.size()));
      if (best < 0 || distance < best) best = distance;
      break;
    }
  }
  return best;
}

const ContextWords& NumberWords() {
  static const ContextWords* words = new ContextWords{
      "ssn",  "social security", "routing", "aba",    "rtn",    "transit",  "passport",
      "itin", "taxpayer",        "account", "order",  "ticket", "tracking", "invoice",
      "zip",  "phone",           "call",    "member", "case"};
  return *words;
}

bool ContextBefore(const ScanInput& in, size_t start, const ContextWords& words) {
  return ContextDistance(in, start, words) >= 0;
}

}  // namespace convault::redact
