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

std::string FromHex(const nlohmann::json& hex) {
  std::string h = hex.get<std::string>(), out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16)));
  }
  return out;
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
      // "input_hex"/"output_hex" carry bytes JSON cannot (invalid UTF-8);
      // "repeat": N repeats input and output N times (the 1 MB cases), and
      // then the findings listed are those of the first copy.
      std::string input =
          c.contains("input_hex") ? FromHex(c["input_hex"]) : c["input"].get<std::string>();
      std::string output =
          c.contains("output_hex") ? FromHex(c["output_hex"]) : c["output"].get<std::string>();
      int repeat = c.value("repeat", 1);
      std::string one_input = input;
      for (int k = 1; k < repeat; ++k) input += one_input;
      std::string one_output = output;
      for (int k = 1; k < repeat; ++k) output += one_output;
      auto result = policy->Redact(input, {});
      ASSERT_TRUE(result.ok()) << where;
      EXPECT_TRUE(result->text == output) << where;
      nlohmann::json findings = nlohmann::json::array();
      size_t per_copy = c["findings"].size();
      for (const auto& f : result->findings) {
        if (findings.size() == per_copy) break;
        findings.push_back({f.detector, f.start, f.end});
      }
      EXPECT_EQ(findings, c["findings"]) << where;
      EXPECT_EQ(result->findings.size(), per_copy * repeat) << where;
      ++cases;
    }
  }
  EXPECT_GE(cases, 40);
}

}  // namespace
}  // namespace convault::redact
