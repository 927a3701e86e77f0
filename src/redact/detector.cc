#include "redact/detector.h"

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
    uint32_t letters = 0;
    for (char c : word) letters |= IsLower(c) ? 1u << (c - 'a') : 0;
    words_.push_back({word, letters});
  }
}

int ContextDistance(const ScanInput& in, size_t start, const ContextWords& words) {
  ScanInput::ContextWindow& w = in.window;
  if (w.position != start) {
    size_t from = start > 40 ? start - 40 : 0;
    w.position = start;
    w.size = start - from;
    w.letters = 0;
    w.word_starts = 0;
    w.letter_before = from > 0 && IsLetter(in.text[from - 1]);
    bool previous_letter = w.letter_before;
    for (size_t i = 0; i < w.size; ++i) {
      char c = in.text[from + i];
      if (IsUpper(c)) c = static_cast<char>(c - 'A' + 'a');
      bool letter = IsLower(c);
      if (letter) {
        w.letters |= 1u << (c - 'a');
        if (!previous_letter) w.word_starts |= uint64_t{1} << i;
      }
      previous_letter = letter;
      w.bytes[i] = c;
    }
  }
  int best = -1;
  for (const ContextWords::Word& entry : words.words()) {
    if ((entry.letters & ~w.letters) != 0) continue;  // a letter of it is missing
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
