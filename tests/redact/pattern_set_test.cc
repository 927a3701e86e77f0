#include "redact/pattern_set.h"

#include <thread>
#include <tuple>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace convault::redact {
namespace {

using ::testing::HasSubstr;
using Match = std::tuple<unsigned, size_t, size_t>;

std::vector<Match> ScanAll(const PatternSet& set, std::string_view text) {
  std::vector<Match> out;
  EXPECT_TRUE(
      set.Scan(text, [&](unsigned id, size_t s, size_t e) { out.emplace_back(id, s, e); }).ok());
  return out;
}

TEST(PatternSet, ReportsEveryPatternsMatchesWithByteOffsets) {
  auto set = PatternSet::Compile({{R"(\d{3}-\d{2}-\d{4})", 1}, {R"(card)", 2, true}});
  ASSERT_TRUE(set.ok()) << set.status();
  auto matches = ScanAll(**set, "my CARD and SSN 123-45-6789.");
  EXPECT_THAT(matches, ::testing::UnorderedElementsAre(Match{2, 3, 7}, Match{1, 16, 27}));
}

TEST(PatternSet, OffsetsAreBytesAroundMultiByteText) {
  auto set = PatternSet::Compile({{R"(\d{4})", 1}});
  ASSERT_TRUE(set.ok());
  // "é" and "→" are 2 and 3 bytes in UTF-8.
  EXPECT_THAT(ScanAll(**set, "é→1234"), ::testing::ElementsAre(Match{1, 5, 9}));
}

TEST(PatternSet, InvalidUtf8AndEmptyInputDoNotCrash) {
  auto set = PatternSet::Compile({{R"(\d{4})", 1}});
  ASSERT_TRUE(set.ok());
  EXPECT_THAT(ScanAll(**set, std::string("\xff\xfe 4321 \xc3", 9)),
              ::testing::ElementsAre(Match{1, 3, 7}));
  EXPECT_TRUE(ScanAll(**set, "").empty());
}

TEST(PatternSet, ABadPatternIsNamed) {
  auto set = PatternSet::Compile({{R"(\d+)", 1}, {R"((unclosed)", 7}});
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(std::string(set.status().message()), HasSubstr("pattern 7"));
}

TEST(PatternSet, OneSetIsScannedFromManyThreads) {
  auto set = PatternSet::Compile({{R"(\d{4})", 1}});
  ASSERT_TRUE(set.ok());
  std::vector<std::thread> threads;
  std::atomic<int> found{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) found += static_cast<int>(ScanAll(**set, "pin 1234").size());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(found.load(), 4000);
}

TEST(CustomPattern, AcceptsOrdinaryRulesAndSaysWhyOthersAreRefused) {
  EXPECT_TRUE(ValidateCustomPattern(R"(ORD-\d{8})").ok());
  EXPECT_TRUE(ValidateCustomPattern(R"((?i)account\s+#?\d{6,10})").ok());
  auto empty = ValidateCustomPattern(R"(\d*)");
  EXPECT_THAT(std::string(empty.message()), HasSubstr("empty string"));
  auto backref = ValidateCustomPattern(R"((a)\1)");
  EXPECT_FALSE(backref.ok());
  EXPECT_THAT(std::string(backref.message()), HasSubstr("cannot be used"));
  EXPECT_FALSE(ValidateCustomPattern(R"([z-a])").ok());
  EXPECT_THAT(std::string(ValidateCustomPattern(std::string(1001, 'a')).message()),
              HasSubstr("1,000"));
  EXPECT_FALSE(ValidateCustomPattern("").ok());
}

}  // namespace
}  // namespace convault::redact
