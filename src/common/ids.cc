#include "common/ids.h"

#include <atomic>
#include <cstdio>
#include <cstring>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "common/strings.h"

namespace convault {
namespace {
// Sorted by byte value, so that fixed-width ids sort as their numbers do.
constexpr char kBase32[] = "234567abcdefghijklmnopqrstuvwxyz";
constexpr int kTimeChars = 9;     // 45 bits of milliseconds: past the year 3000
constexpr int kRandomChars = 16;  // 80 bits
}  // namespace

std::string RandomIdGenerator::NewId(std::string_view prefix) {
  thread_local absl::BitGen gen;
  std::string id;
  id.resize(prefix.size() + 1 + kTimeChars + kRandomChars);
  std::memcpy(id.data(), prefix.data(), prefix.size());
  char* out = id.data() + prefix.size();
  *out++ = '_';
  uint64_t millis = static_cast<uint64_t>(absl::ToUnixMillis(clock_.Now()));
  for (int i = kTimeChars - 1; i >= 0; --i) {
    out[i] = kBase32[millis & 31];
    millis >>= 5;
  }
  out += kTimeChars;
  for (int i = 0; i < kRandomChars; i += 12) {
    uint64_t bits = absl::Uniform<uint64_t>(gen);
    for (int j = 0; j < 12 && i + j < kRandomChars; ++j) {
      out[i + j] = kBase32[bits & 31];
      bits >>= 5;
    }
  }
  return id;
}

RandomIdGenerator& RandomIdGenerator::Get() {
  static RandomIdGenerator* gen = new RandomIdGenerator();
  return *gen;
}

std::string SequentialIdGenerator::NewId(std::string_view prefix) {
  char digits[32];
  std::snprintf(digits, sizeof(digits), "%06lu", next_++);
  return absl::StrCat(Sv(prefix), "_", digits);
}

bool IsWellFormedId(std::string_view id, std::string_view prefix) {
  if (id.size() <= prefix.size() + 1 || id.size() > prefix.size() + 1 + 64) return false;
  if (id.substr(0, prefix.size()) != prefix || id[prefix.size()] != '_') return false;
  for (char c : id.substr(prefix.size() + 1)) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

}  // namespace convault
