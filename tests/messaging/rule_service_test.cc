#include "messaging/rule_service.h"

#include "gtest/gtest.h"
#include "store/memory/memory_store.h"

namespace convault {
namespace {

class RuleServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* t : {"ten_a", "ten_b"}) {
      ApiKey k;
      k.id = std::string("key_") + t;
      k.tenant_id = t;
      k.roles = {Role::kAdmin};
      ASSERT_TRUE(store_.CreateTenant({t, t, clock_.Now()}, k).ok());
    }
  }
  static SensitiveDataRule Custom(std::string pattern) {
    SensitiveDataRule r;
    r.name = "orders";
    r.pattern = std::move(pattern);
    r.replacement = "[ORDER]";
    return r;
  }
  std::string Redact(RuleService& rules, std::string_view tenant, std::string_view text) {
    auto c = rules.Current(tenant);
    EXPECT_TRUE(c.ok()) << c.status();
    auto r = c->policy->Redact(text, {});
    EXPECT_TRUE(r.ok());
    return r->text;
  }

  MemoryStore store_;
  FakeClock clock_;
  SequentialIdGenerator ids_;
};

TEST_F(RuleServiceTest, ANewTenantGetsTheDefaults) {
  RuleService rules(store_, clock_, ids_);
  auto set = rules.List("ten_a");
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->version, 1);
  ASSERT_EQ(set->rules.size(), 2u);
  std::vector<std::string> detectors{set->rules[0].detector, set->rules[1].detector};
  std::sort(detectors.begin(), detectors.end());
  EXPECT_EQ(detectors, (std::vector<std::string>{"credit_card", "us_ssn"}));
  EXPECT_EQ(Redact(rules, "ten_a", "card 4111 1111 1111 1111 ssn 123-45-6789 mail a@b.io"),
            "card ***************1111 ssn [US_SSN] mail a@b.io");
}

TEST_F(RuleServiceTest, ChangesBumpTheVersionAndTheCompiledPolicy) {
  RuleService rules(store_, clock_, ids_);
  auto created = rules.Create("ten_a", Custom("ORD-[0-9]{8}"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(IsWellFormedId(created->id, "rule"));
  EXPECT_EQ(rules.Current("ten_a")->version, 2);
  EXPECT_EQ(Redact(rules, "ten_a", "order ORD-12345678"), "order [ORDER]");
  EXPECT_EQ(Redact(rules, "ten_b", "order ORD-12345678"), "order ORD-12345678");

  SensitiveDataRule off = *created;
  off.enabled = false;
  ASSERT_TRUE(rules.Update("ten_a", off).ok());
  EXPECT_EQ(rules.Current("ten_a")->version, 3);
  EXPECT_EQ(Redact(rules, "ten_a", "order ORD-12345678"), "order ORD-12345678");

  ASSERT_TRUE(rules.Delete("ten_a", created->id).ok());
  EXPECT_EQ(rules.Current("ten_a")->version, 4);
  EXPECT_TRUE(absl::IsNotFound(rules.Get("ten_a", created->id).status()));
}

TEST_F(RuleServiceTest, BadPatternsAreRefusedWithTheReasonAndNothingIsStored) {
  RuleService rules(store_, clock_, ids_);
  for (const char* bad : {"(unclosed", "a*", "(a)\\1", ""}) {
    auto r = rules.Create("ten_a", Custom(bad));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(absl::IsInvalidArgument(r.status())) << bad;
    EXPECT_FALSE(r.status().message().empty());
    EXPECT_EQ(r.status().message().find("rule "), std::string_view::npos) << r.status();
  }
  EXPECT_EQ(rules.List("ten_a")->version, 1);
  EXPECT_EQ(rules.List("ten_a")->rules.size(), 2u);
  SensitiveDataRule unknown;
  unknown.detector = "no_such_detector";
  EXPECT_TRUE(absl::IsInvalidArgument(rules.Create("ten_a", unknown).status()));
}

TEST_F(RuleServiceTest, AnotherTenantsRuleIsNotFound) {
  RuleService rules(store_, clock_, ids_);
  auto created = rules.Create("ten_a", Custom("ORD-[0-9]{8}"));
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(absl::IsNotFound(rules.Get("ten_b", created->id).status()));
  EXPECT_TRUE(absl::IsNotFound(rules.Update("ten_b", *created).status()));
  EXPECT_TRUE(absl::IsNotFound(rules.Delete("ten_b", created->id)));
  EXPECT_TRUE(rules.Get("ten_a", created->id).ok());
}

TEST_F(RuleServiceTest, RuleCountIsLimited) {
  RuleService rules(store_, clock_, ids_, {.max_rules = 3, .recheck = absl::Seconds(2)});
  ASSERT_TRUE(rules.Create("ten_a", Custom("A-[0-9]{4}")).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(rules.Create("ten_a", Custom("B-[0-9]{4}")).status()));
}

TEST_F(RuleServiceTest, AnotherProcesssChangeIsSeenAfterTheRecheckInterval) {
  RuleService here(store_, clock_, ids_);
  RuleService there(store_, clock_, ids_);  // e.g. another server on the same database
  EXPECT_EQ(Redact(here, "ten_a", "ORD-12345678"), "ORD-12345678");
  ASSERT_TRUE(there.Create("ten_a", Custom("ORD-[0-9]{8}")).ok());
  EXPECT_EQ(Redact(here, "ten_a", "ORD-12345678"), "ORD-12345678");  // cached
  clock_.Advance(absl::Seconds(3));
  EXPECT_EQ(Redact(here, "ten_a", "ORD-12345678"), "[ORDER]");
}

}  // namespace
}  // namespace convault
