#include "redact/rules_json.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace convault::redact {
namespace {

using ::testing::HasSubstr;

TEST(RulesJson, ReadsDetectorAndPatternRules) {
  auto rules = ParseRulesJson(R"([
    {"detector": "credit_card", "action": "mask", "keep_last": 4, "mask_char": "#"},
    {"id": "rule_orders", "pattern": "ORD-\\d{8}", "replacement": "[ORDER]", "priority": 5,
     "applies_to": ["agent", "bot"], "channel_ids": ["ch_1"], "enabled": false}
  ])");
  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ((*rules)[0].detector, "credit_card");
  EXPECT_EQ((*rules)[0].action, RedactionAction::kMask);
  EXPECT_EQ((*rules)[0].keep_last, 4);
  EXPECT_EQ((*rules)[0].mask_char, "#");
  EXPECT_EQ((*rules)[1].id, "rule_orders");
  EXPECT_EQ((*rules)[1].applies_to, 2u | 4u);
  EXPECT_FALSE((*rules)[1].enabled);
}

TEST(RulesJson, BadInputNamesTheRuleAndField) {
  struct Case {
    std::string json;
    std::string error;
  };
  for (const Case& c : std::vector<Case>{
           {"{", "not valid JSON"},
           {"{}", "must be a JSON array"},
           {R"([1])", "rules[0]: must be an object"},
           {R"([{"detector": "email", "colour": "red"}])", "rules[0].colour: unknown field"},
           {R"([{"detector": "email", "action": "shred"}])", "rules[0].action"},
           {R"([{"detector": "email", "priority": -1}])", "rules[0].priority"},
           {R"([{"detector": "email", "priority": 1e99}])", "rules[0].priority"},
           {R"([{"detector": "email", "applies_to": ["admin"]}])", "rules[0].applies_to"},
           {R"([{"detector": "email", "pattern": "x"}])", "exactly one of detector or pattern"},
           {R"([{}])", "exactly one of detector or pattern"},
           {R"([{"pattern": 5}])", "rules[0].pattern"},
       }) {
    auto rules = ParseRulesJson(c.json);
    ASSERT_FALSE(rules.ok()) << c.json;
    EXPECT_THAT(std::string(rules.status().message()), HasSubstr(c.error)) << c.json;
  }
}

}  // namespace
}  // namespace convault::redact
