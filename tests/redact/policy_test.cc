#include "redact/policy.h"

#include <sstream>

#include "gtest/gtest.h"

namespace convault::redact {
namespace {

std::shared_ptr<const Policy> AllDetectors() {
  auto rules = RulesForDetectors({"all"});
  EXPECT_TRUE(rules.ok());
  auto p = Policy::Compile(*rules);
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

std::string Redacted(const Policy& p, std::string_view text, RedactionScope scope = {}) {
  auto r = p.Redact(text, scope);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? r->text : "";
}

struct Case {
  std::string in;
  std::string out;
};

TEST(Policy, DefaultsMaskCardsAndReplaceSsns) {
  auto p = *Policy::Compile(DefaultRules());
  EXPECT_EQ(Redacted(*p, "card 4111 1111 1111 1111 ok"), "card ***************1111 ok");
  EXPECT_EQ(Redacted(*p, "my ssn is 123-45-6789."), "my ssn is [US_SSN].");
  EXPECT_EQ(Redacted(*p, "email me at jane@example.com"), "email me at jane@example.com");
}

TEST(Policy, EveryBuiltInDetectorFindsItsFormatsAndLeavesDecoysAlone) {
  auto p = AllDetectors();
  std::vector<Case> cases = {
      {"4111111111111111", "************1111"},
      {"pay with 5555-5555-5555-4444 now", "pay with ***************4444 now"},
      {"amex 378282246310005", "amex ***********0005"},
      {"order 4111111111111112", "order 4111111111111112"},        // Luhn fails
      {"tracking 1234567812345670", "tracking 1234567812345670"},  // no such network
      {"ref 41111111111111111111", "ref 41111111111111111111"},    // too long
      {"SSN 123 45 6789", "SSN [US_SSN]"},
      {"ssn: 123456789", "ssn: [US_SSN]"},
      {"order 123456789", "order 123456789"},  // bare, no context
      {"id 666-12-3456", "id 666-12-3456"},    // invalid area
      {"ITIN 912-70-1234", "ITIN [US_ITIN]"},
      {"IBAN GB82 WEST 1234 5698 7654 32 thanks", "IBAN [IBAN] thanks"},
      {"DE89370400440532013000", "[IBAN]"},
      {"GB82WEST12345698765433", "GB82WEST12345698765433"},  // mod-97 fails
      {"write to Jane.Doe+cs@mail.example.co.uk.", "write to [EMAIL]."},
      {"at@home", "at@home"},
      {"server 10.0.0.1 down", "server [IPV4] down"},
      {"version 1.2.3.4.5", "version 1.2.3.4.5"},
      {"999.1.1.1", "999.1.1.1"},
      {"routing number 021000021", "routing number [BANK_ROUTING]"},
      {"order 021000021", "order 021000021"},
      {"call me at (415) 555-0123 tonight", "call me at [PHONE] tonight"},
      {"my number is +44 20 7946 0958", "my number is [PHONE]"},
      {"or 415.555.0123", "or [PHONE]"},
      {"order #12345678", "order #12345678"},
      {"total $1,299.99", "total $1,299.99"},
      {"host 2001:db8::8a2e:370:7334 is up", "host [IPV6] is up"},
      {"at 10:30:00 today", "at 10:30:00 today"},
      {"passport number 123456789", "passport number [US_PASSPORT]"},
      {"passport: A12345678", "passport: [US_PASSPORT]"},
      {"invoice 123456789", "invoice 123456789"},
      {"I was born on 03/14/1985", "I was born on [DATE_OF_BIRTH]"},
      {"DOB March 14, 1985", "DOB [DATE_OF_BIRTH]"},
      {"delivery on 03/14/2025", "delivery on 03/14/2025"},
      {"dob 13/45/1985", "dob 13/45/1985"},
      {"key AKIAIOSFODNN7EXAMPLE ok", "key [API_KEY] ok"},
      {"Authorization: Bearer abcdefghijklmnopqrstuvwxyz123456", "Authorization: [API_KEY]"},
      {"token "
       "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_"
       "XgL0n3I9PlFUP0THsR8U",
       "token [API_KEY]"},
      {"-----BEGIN RSA PRIVATE KEY-----MIIEow-----END RSA PRIVATE KEY----- done", "[API_KEY] done"},
      {"version v1.2.3 on ubuntu", "version v1.2.3 on ubuntu"},
  };
  for (const Case& c : cases) EXPECT_EQ(Redacted(*p, c.in), c.out) << c.in;
}

// The detectors skipped for texts without their word hint (scan_input.h)
// still find their numbers after every one of their context words, in any
// case: a hint that missed a word would lose those findings.
TEST(Policy, WordHintsCoverEveryRequiredContextWord) {
  auto p = AllDetectors();
  struct Family {
    std::vector<std::string> words;
    std::string number, masked;
  };
  const std::vector<Family> families = {
      {{"born", "dob", "d.o.b", "date of birth", "birthday", "birth date"},
       "03/14/1985",
       "[DATE_OF_BIRTH]"},
      {{"passport"}, "C12345678", "[US_PASSPORT]"},
      {{"routing", "aba", "rtn", "transit"}, "021000021", "[BANK_ROUTING]"}};
  for (const Family& f : families) {
    for (const std::string& word : f.words) {
      std::string upper = word;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      for (const std::string& w : {word, upper}) {
        EXPECT_EQ(Redacted(*p, "the " + w + ": " + f.number), "the " + w + ": " + f.masked);
      }
    }
  }
}

TEST(Policy, FindingsCarryByteOffsetsIntoTheInputAndNeverTheValue) {
  auto p = AllDetectors();
  std::string text = "é card 4111111111111111 and a@b.io";
  auto r = p->Redact(text, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->findings.size(), 2u);
  EXPECT_EQ(r->findings[0].detector, "credit_card");
  EXPECT_EQ(r->findings[0].start, 8u);
  EXPECT_EQ(r->findings[0].end, 24u);
  EXPECT_EQ(r->findings[0].action, RedactionAction::kMask);
  EXPECT_EQ(r->findings[1].detector, "email");
  EXPECT_EQ(text.substr(r->findings[1].start, r->findings[1].end - r->findings[1].start), "a@b.io");
}

TEST(Policy, HigherPriorityWinsAndThenTheLongerSpan) {
  SensitiveDataRule order;
  order.id = "rule_order";
  order.pattern = R"(ORD-\d{16})";
  order.priority = 5;
  order.replacement = "[ORDER]";
  auto rules = DefaultRules();
  rules.push_back(order);
  auto p = *Policy::Compile(rules);
  // The custom rule (priority 5) covers the card-looking digits (priority 10).
  EXPECT_EQ(Redacted(*p, "see ORD-4111111111111111"), "see [ORDER]");
  order.priority = 50;
  rules.back() = order;
  p = *Policy::Compile(rules);
  EXPECT_EQ(Redacted(*p, "see ORD-4111111111111111"), "see ORD-************1111");
}

TEST(Policy, RoleAndChannelScopes) {
  SensitiveDataRule r;
  r.id = "rule_agents_emails";
  r.detector = "email";
  r.applies_to = static_cast<uint32_t>(ActorType::kAgent);
  r.channel_ids = {"ch_1"};
  auto p = *Policy::Compile({r});
  EXPECT_EQ(Redacted(*p, "x@y.io", {ActorType::kAgent, "ch_1"}), "[EMAIL]");
  EXPECT_EQ(Redacted(*p, "x@y.io", {ActorType::kEndUser, "ch_1"}), "x@y.io");
  EXPECT_EQ(Redacted(*p, "x@y.io", {ActorType::kAgent, "ch_2"}), "x@y.io");
}

TEST(Policy, EveryActionAndMultiByteMasking) {
  SensitiveDataRule r;
  r.id = "rule_word";
  r.pattern = R"(secret\S*)";
  r.action = RedactionAction::kMask;
  r.mask_char = "•";
  r.keep_last = 2;
  EXPECT_EQ(Redacted(**Policy::Compile({r}), "a secretΩé b"), "a ••••••Ωé b");
  r.action = RedactionAction::kRemove;
  EXPECT_EQ(Redacted(**Policy::Compile({r}), "a secret1 b"), "a  b");
  r.action = RedactionAction::kReplace;
  r.replacement = "<hidden>";
  EXPECT_EQ(Redacted(**Policy::Compile({r}), "a secret1 b"), "a <hidden> b");
  r.action = RedactionAction::kTokenize;
  EXPECT_EQ(Redacted(**Policy::Compile({r}), "a secret1 b secret2"), "a [TOKEN:1] b [TOKEN:2]");
}

class CountingMinter final : public TokenMinter {
 public:
  std::string NewToken() override { return "tok_" + std::to_string(++n_); }

 private:
  int n_ = 0;
};

TEST(Policy, TokenizeHandsBackTheOriginalsForSealing) {
  SensitiveDataRule card;
  card.id = "rule_card";
  card.detector = "credit_card";
  card.action = RedactionAction::kTokenize;
  SensitiveDataRule email;
  email.id = "rule_email";
  email.detector = "email";
  auto p = *Policy::Compile({card, email});
  CountingMinter minter;
  RedactionScope scope;
  scope.tokens = &minter;
  auto result = p->Redact("card 4111 1111 1111 1111, mail a@b.io, card 5500-0000-0000-0004", scope);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->text, "card [TOKEN:tok_1], mail [EMAIL], card [TOKEN:tok_2]");
  ASSERT_EQ(result->tokens.size(), 2u);
  EXPECT_EQ(result->tokens[0].token, "tok_1");
  EXPECT_EQ(result->tokens[0].rule_id, "rule_card");
  EXPECT_EQ(result->tokens[0].original.Reveal(), "4111 1111 1111 1111");
  EXPECT_EQ(result->tokens[1].original.Reveal(), "5500-0000-0000-0004");
  ASSERT_EQ(result->findings.size(), 3u);
  EXPECT_EQ(result->findings[0].action, RedactionAction::kTokenize);
  // Printing a tokenized value never shows the original.
  std::ostringstream os;
  os << result->tokens[0].original;
  EXPECT_EQ(os.str(), "[REDACTED]");
}

TEST(Policy, SpansNeverSplitAUtf8Character) {
  SensitiveDataRule r;
  r.id = "rule_byte";
  r.pattern = "\xa9";  // the second byte of "é" (C3 A9)
  auto p = *Policy::Compile({r});
  auto result = p->Redact("café!", {});
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->findings.size(), 1u);
  EXPECT_EQ(result->findings[0].start, 3u);  // widened to the whole character
  EXPECT_EQ(result->findings[0].end, 5u);
  EXPECT_EQ(result->text, "caf[REDACTED]!");
}

TEST(Policy, HostileInputsAreHandled) {
  auto p = AllDetectors();
  EXPECT_EQ(Redacted(*p, ""), "");
  std::string invalid("\xff\xfe 4111111111111111 \xc3", 21);
  EXPECT_EQ(Redacted(*p, invalid), std::string("\xff\xfe ************1111 \xc3", 21));
  std::string big(1 << 20, 'x');
  big.replace(500000, 18, " 4111111111111111 ");
  auto r = p->Redact(big, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(r->findings[0].start, 500001u);
  EXPECT_EQ(r->text.size(), big.size());
  std::string digits(5000, '7');
  EXPECT_TRUE(p->Redact(digits, {}).ok());
}

TEST(Policy, BadRulesAreRefusedWithTheirId) {
  SensitiveDataRule r;
  r.id = "rule_bad";
  r.pattern = R"(\d*)";
  auto p = Policy::Compile({r});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(std::string(p.status().message()).find("rule_bad"), std::string::npos);
  r.pattern.clear();
  r.detector = "no_such_detector";
  EXPECT_FALSE(Policy::Compile({r}).ok());
  EXPECT_FALSE(RulesForDetectors({"credit_card", "nope"}).ok());
}

TEST(Detectors, EachHasAnIdAndADescription) {
  for (const auto& d : BuiltinDetectors()) {
    EXPECT_FALSE(d->id().empty());
    EXPECT_GT(d->description().size(), 20u) << d->id();
  }
}

}  // namespace
}  // namespace convault::redact
