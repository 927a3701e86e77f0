#include "common/ids.h"

#include <atomic>
#include <cstdio>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "common/strings.h"

namespace convault {
namespace {
constexpr char kBase32[] = "abcdefghijklmnopqrstuvwxyz234567";
constexpr int kIdChars = 20;
}  // namespace

std::string RandomIdGenerator::NewId(std::string_view prefix) {
  thread_local absl::BitGen gen;
  std::string id;
  id.reserve(prefix.size() + 1 + kIdChars);
  id.append(prefix);
  id.push_back('_');
  for (int i = 0; i < kIdChars; i += 12) {
    uint64_t bits = absl::Uniform<uint64_t>(gen);
    for (int j = 0; j < 12 && i + j < kIdChars; ++j) {
      id.push_back(kBase32[bits & 31]);
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
