// Data-driven redaction tests: tests/golden/redact/*.jsonl, one case per
// line: {"rules": "default" | "all" | [rules...], "input", "output",
// "findings": [[detector, start, end], ...]} with byte offsets.
#include <filesystem>
#include <fstream>
#include <map>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "redact/policy.h"
#include "redact/rules_json.h"

namespace convault::redact {
namespace {

std::shared_ptr<const Policy> PolicyFor(const nlohmann::json& rules) {
  // Compiled once per distinct rule set, as the server does.
  static std::map<std::string, std::shared_ptr<const Policy>> cache;
  if (auto it = cache.find(rules.dump()); it != cache.end()) return it->second;
  absl::StatusOr<std::vector<SensitiveDataRule>> parsed;
  if (rules == "default") {
    parsed = DefaultRules();
  } else if (rules == "all") {
    parsed = RulesForDetectors({"all"});
  } else {
    parsed = ParseRulesJson(rules.dump());
  }
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  auto policy = Policy::Compile(*parsed);
  EXPECT_TRUE(policy.ok()) << policy.status();
  if (!policy.ok()) return nullptr;
  cache[rules.dump()] = *policy;
  return *policy;
}

TEST(Golden, EveryCaseOfEveryFile) {
  std::string dir = std::string(CONVAULT_SOURCE_DIR) + "/tests/golden/redact";
  int cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path());
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (line.empty()) continue;
      std::string where = entry.path().filename().string() + ":" + std::to_string(number);
      auto c = nlohmann::json::parse(line, nullptr, false);
      ASSERT_FALSE(c.is_discarded()) << where;
      auto policy = PolicyFor(c["rules"]);
      ASSERT_NE(policy, nullptr) << where;
      auto result = policy->Redact(c["input"].get<std::string>(), {});
      ASSERT_TRUE(result.ok()) << where;
      EXPECT_EQ(result->text, c["output"].get<std::string>()) << where;
      nlohmann::json findings = nlohmann::json::array();
      for (const auto& f : result->findings) findings.push_back({f.detector, f.start, f.end});
      EXPECT_EQ(findings, c["findings"]) << where;
      ++cases;
    }
  }
  EXPECT_GE(cases, 40);
}

}  // namespace
}  // namespace convault::redact
