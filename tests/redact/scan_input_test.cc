// ScanInput::Reset, the single pass every built-in detector starts from, and
// its word hints, against byte-by-byte references, with each implementation
// this CPU runs (SSE2 and, where the CPU has it, AVX-512BW).
#include "redact/scan_input.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace convault::redact {
namespace {

struct Expected {
  std::vector<std::pair<uint32_t, uint32_t>> runs;
  std::vector<uint32_t> at_signs, colons, credentials;
  size_t digit_count = 0;
};

bool StartsWith(const std::string& t, size_t i, std::string_view prefix, bool any_case = false) {
  if (t.size() - i < prefix.size()) return false;
  for (size_t k = 0; k < prefix.size(); ++k) {
    char c = t[i + k];
    if (any_case && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[k]) return false;
  }
  return true;
}

// Where the credential shapes of detectors/api_key.cc begin, written plainly.
bool CredentialAt(const std::string& t, size_t i) {
  for (std::string_view p : {"AKIA", "ASIA", "eyJ", "sk_live_", "rk_live_"}) {
    if (StartsWith(t, i, p)) return true;
  }
  if (StartsWith(t, i, "bearer ", true)) return true;
  for (char c : std::string_view("pousr")) {
    if (StartsWith(t, i, std::string("gh") + c + "_")) return true;
  }
  for (char c : std::string_view("baprs")) {
    if (StartsWith(t, i, std::string("xox") + c + "-")) return true;
  }
  // A PEM header where a run of dashes begins.
  return StartsWith(t, i, "-----BEGIN ") && (i == 0 || t[i - 1] != '-');
}

Expected Reference(const std::string& t) {
  Expected e;
  for (size_t i = 0; i < t.size(); ++i) {
    bool digit = t[i] >= '0' && t[i] <= '9';
    if (digit) {
      ++e.digit_count;
      if (i == 0 || !(t[i - 1] >= '0' && t[i - 1] <= '9')) e.runs.push_back({i, i});
      e.runs.back().second = static_cast<uint32_t>(i + 1);
    }
    if (t[i] == '@') e.at_signs.push_back(static_cast<uint32_t>(i));
    if (t[i] == ':') e.colons.push_back(static_cast<uint32_t>(i));
    if (CredentialAt(t, i)) e.credentials.push_back(static_cast<uint32_t>(i));
  }
  return e;
}

void ExpectMatches(const std::string& text, const char* name) {
  ScanInput in;
  in.Reset(text);
  Expected want = Reference(text);
  std::vector<std::pair<uint32_t, uint32_t>> runs;
  for (const DigitRun& r : in.runs) runs.push_back({r.start, r.end});
  std::vector<uint32_t> credentials = in.credential_starts;
  std::sort(credentials.begin(), credentials.end());
  ASSERT_EQ(runs, want.runs) << name << " on \"" << text << "\"";
  ASSERT_EQ(in.at_signs, want.at_signs) << name << " on \"" << text << "\"";
  ASSERT_EQ(in.colons, want.colons) << name << " on \"" << text << "\"";
  ASSERT_EQ(credentials, want.credentials) << name << " on \"" << text << "\"";
  ASSERT_EQ(in.digit_count, want.digit_count) << name << " on \"" << text << "\"";
}

// Switches ScanInput to SSE2 for its lifetime.
struct Sse2Only {
  Sse2Only() { scan_internal::UseSimd(false); }
  ~Sse2Only() { scan_internal::UseSimd(true); }
};

void ExpectEveryMarkerMatches(const std::string& text) {
  ExpectMatches(text, "fastest");
  Sse2Only sse2;
  ExpectMatches(text, "sse2");
}

TEST(ScanInput, FindsEachKindOfMark) {
  ExpectEveryMarkerMatches("");
  ExpectEveryMarkerMatches("7");
  ExpectEveryMarkerMatches("card 4111 1111 1111 1111, mail a@b.co at 10:30");
  ExpectEveryMarkerMatches("key AKIAIOSFODNN7EXAMPLE and ASIA, eyJhbGci, Bearer abc, BEARER x");
  ExpectEveryMarkerMatches("ghp_abc gho_ ghx_ sk_live_1 rk_live_2 sk_test_ xoxb-1 xoxz-2");
  ExpectEveryMarkerMatches("-----BEGIN RSA\n------BEGIN x ---- -----BEGIN");
  ExpectEveryMarkerMatches("bea");  // a prefix cut by the end of the text
  ExpectEveryMarkerMatches("AK");
}

TEST(ScanInput, RunsAndMarksAcrossBlockAndChunkBoundaries) {
  // Runs of digits and prefixes placed across every 64-byte block boundary
  // and the 512-byte chunks the markers are called for.
  for (size_t length : {63, 64, 65, 127, 128, 129, 511, 512, 513, 1100}) {
    for (size_t at : {0, 1, 2, 60, 61, 62, 63, 64, 65, 126, 127, 508, 510, 511, 512}) {
      for (std::string_view piece : {"1234567890", "AKIA", "eyJ", "bearer ", "@:", "xoxb-", "9"}) {
        std::string text(length, 'x');
        if (at < length) text.replace(at, std::min(piece.size(), length - at), piece);
        ExpectEveryMarkerMatches(text);
        std::string digits(length, '5');  // one run over everything
        if (at < length) digits[at] = ' ';
        ExpectEveryMarkerMatches(digits);
      }
    }
  }
}

TEST(ScanInput, MatchesTheReferenceOnRandomTexts) {
  std::mt19937 rng(7);
  const std::string alphabet =
      "0123456789@:-_ AKSIJeybarghpuosxkliv BEGINbearer\n\t.,/\xc3\xa9\xff\x80";
  const std::vector<std::string> pieces = {"AKIA",     "eyJ",   "Bearer ",     "ghp_",
                                           "sk_live_", "xoxp-", "-----BEGIN ", "4111111111111111"};
  for (int i = 0; i < 20000; ++i) {
    size_t length = std::uniform_int_distribution<size_t>(0, i % 10 == 0 ? 1500 : 200)(rng);
    std::string text;
    while (text.size() < length) {
      if (rng() % 8 == 0) {
        text += pieces[rng() % pieces.size()];
      } else {
        text += alphabet[rng() % alphabet.size()];
      }
    }
    text.resize(length);
    ExpectEveryMarkerMatches(text);
    if (HasFatalFailure()) return;
  }
}

// Word hints, written plainly: the lower-cased text holds one of the trigrams.
uint32_t ReferenceHints(const std::string& text) {
  std::string lower = text;
  for (char& c : lower) c = static_cast<char>(c | 0x20);
  uint32_t hints = 0;
  auto has = [&](std::initializer_list<const char*> grams, uint32_t hint) {
    for (const char* g : grams) {
      if (lower.find(g) != std::string::npos) hints |= hint;
    }
  };
  has({"bor", "bir", "dob", "d.o"}, ScanInput::kBirthWord);
  has({"pas"}, ScanInput::kPassportWord);
  has({"rou", "aba", "rtn", "tra"}, ScanInput::kRoutingWord);
  return hints;
}

TEST(ScanInput, WordHintsAreSetExactlyForTheirTrigrams) {
  EXPECT_EQ(ScanInput::ComputeWordHints(""), 0u);
  EXPECT_EQ(ScanInput::ComputeWordHints("DOB"), ScanInput::kBirthWord);
  EXPECT_EQ(ScanInput::ComputeWordHints("D.O.B. 03/14/1985"), ScanInput::kBirthWord);
  EXPECT_EQ(ScanInput::ComputeWordHints("Passport 123456789"), ScanInput::kPassportWord);
  EXPECT_EQ(ScanInput::ComputeWordHints("ABA 021000021"), ScanInput::kRoutingWord);
  EXPECT_EQ(ScanInput::ComputeWordHints("order 12345678 shipped"), 0u);
  std::mt19937 rng(11);
  const std::string alphabet = "borbirdobd.opasroutrartnaba BORPAS-0123\xc3\x0e";
  for (int i = 0; i < 20000; ++i) {
    size_t length = std::uniform_int_distribution<size_t>(0, i % 10 == 0 ? 400 : 70)(rng);
    std::string text;
    for (size_t k = 0; k < length; ++k) text += alphabet[rng() % alphabet.size()];
    // A trigram straddling each 62-byte step of the AVX-512 pass.
    if (i % 3 == 0 && length > 130) text.replace(60 + i % 5, 3, "PaS");
    uint32_t want = ReferenceHints(text);
    ASSERT_EQ(ScanInput::ComputeWordHintsPortable(text), want) << text;
    ASSERT_EQ(ScanInput::ComputeWordHints(text), want) << text;
    Sse2Only sse2;  // as on a CPU without AVX-512
    ASSERT_EQ(ScanInput::ComputeWordHints(text), want) << text;
  }
  // Cached per text: Reset starts over.
  ScanInput in;
  in.Reset("born");
  EXPECT_EQ(in.WordHints(), ScanInput::kBirthWord);
  in.Reset("transit");
  EXPECT_EQ(in.WordHints(), ScanInput::kRoutingWord);
}

}  // namespace
}  // namespace convault::redact
