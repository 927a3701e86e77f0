#include "redact/detector.h"

#include "redact/detectors/detectors.h"

namespace convault::redact {
namespace {
bool AlnumOr(char c, std::string_view extra) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         extra.find(c) != std::string_view::npos;
}
}  // namespace

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

bool BoundaryBefore(std::string_view text, size_t start, std::string_view extra) {
  return start == 0 || !AlnumOr(text[start - 1], extra);
}

bool BoundaryAfter(std::string_view text, size_t end, std::string_view extra) {
  return end >= text.size() || !AlnumOr(text[end], extra);
}

int ContextDistance(std::string_view text, size_t start,
                    std::initializer_list<std::string_view> words) {
  size_t from = start > 40 ? start - 40 : 0;
  char window[40];
  size_t n = start - from;
  for (size_t i = 0; i < n; ++i) {
    char c = text[from + i];
    window[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::string_view w(window, n);
  int best = -1;
  auto letter = [](char c) { return c >= 'a' && c <= 'z'; };
  for (std::string_view word : words) {
    // The last occurrence that starts a word ("tel" is not in "completely").
    size_t at = w.size();
    while (at > 0) {
      at = w.rfind(word, at - 1);
      if (at == std::string_view::npos) break;
      bool starts_word =
          at > 0 ? !letter(w[at - 1]) : (from == 0 || !letter(text[from - 1] | 0x20));
      if (starts_word) {
        int distance = static_cast<int>(n - (at + word.size()));
        if (best < 0 || distance < best) best = distance;
        break;
      }
    }
  }
  return best;
}

bool ContextBefore(std::string_view text, size_t start,
                   std::initializer_list<std::string_view> words) {
  return ContextDistance(text, start, words) >= 0;
}

}  // namespace convault::redact
