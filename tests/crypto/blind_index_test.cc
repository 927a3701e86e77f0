#include "crypto/blind_index.h"

#include "crypto/file_key_provider.h"
#include "crypto/normalize.h"
#include "gtest/gtest.h"
#include "store/memory/memory_key_store.h"
#include "support/temp_dir.h"

namespace convault::crypto {
namespace {

TEST(Normalize, PhoneNumbersWrittenManyWaysBecomeOneE164) {
  for (std::string written :
       {"+1 415 555 0123", "(415) 555-0123", "415.555.0123", "+14155550123", "1-415-555-0123"}) {
    auto n = NormalizePhone(written, "US");
    ASSERT_TRUE(n.ok()) << written;
    EXPECT_EQ(*n, "+14155550123") << written;
  }
  EXPECT_EQ(*NormalizePhone("030 1234567", "DE"), "+49301234567");
  EXPECT_EQ(*NormalizePhone("+44 20 7946 0958", "US"), "+442079460958");
  for (std::string bad : std::vector<std::string>{"", "hello", "12", "+", std::string("\xff\xfe"),
                                                  std::string(100, '1')}) {
    EXPECT_FALSE(NormalizePhone(bad, "US").ok()) << bad;
  }
}

TEST(Normalize, EmailsAreTrimmedAndLowerCased) {
  EXPECT_EQ(*NormalizeEmail("  Jane.Doe@Example.COM "), "jane.doe@example.com");
  for (std::string bad : std::vector<std::string>{"", "jane", "@x.com", "jane@", "a@b@c",
                                                  "ja ne@x.com", std::string("a\xff@b")}) {
    EXPECT_FALSE(NormalizeEmail(bad).ok()) << bad;
  }
}

TEST(Normalize, NamesFoldCaseCompatibilityFormsAndSpaces) {
  EXPECT_EQ(*NormalizeName("  Jane   DOE "), "jane doe");
  EXPECT_EQ(*NormalizeName("Ｊａｎｅ　Ｄｏｅ"), "jane doe");  // full-width letters and space
  EXPECT_EQ(*NormalizeName("STRASSE"), *NormalizeName("straße"));
  EXPECT_EQ(*NormalizeName("Zoë"), *NormalizeName("Zoe\xcc\x88"));  // precomposed vs combining
  EXPECT_EQ(*NormalizeName("ﬁona"), "fiona");
  EXPECT_FALSE(NormalizeName("   ").ok());
  EXPECT_FALSE(NormalizeName(std::string("J\xc3")).ok());
}

TEST(Normalize, AsciiNamesFoldAsUnicodeDoes) {
  // ASCII text takes a path without ICU; the same name with one non-ASCII
  // character appended goes through ICU and must fold the ASCII part alike.
  for (const char* ascii : {"  Jane \t\n DOE ", "O'Brien-Smith Jr.", "A\x0b\x0c\rB", "x\x1fy"}) {
    auto fast = NormalizeName(ascii);
    auto icu = NormalizeName(std::string(ascii) + " \xc3\xa9");
    ASSERT_TRUE(fast.ok() && icu.ok()) << ascii;
    EXPECT_EQ(*fast + " \xc3\xa9", *icu) << ascii;
  }
}

TEST(Normalize, MentionsNameFindsWholeWordsAfterFolding) {
  std::string ada = *NormalizeName("Ada Lovelace");
  EXPECT_TRUE(MentionsName("hi, this is ADA  lovelace!", ada));
  EXPECT_TRUE(MentionsName("Ada\nLovelace", ada));
  EXPECT_TRUE(MentionsName("Ｉ　ａｍ　Ａｄａ　Ｌｏｖｅｌａｃｅ", ada));  // full-width
  EXPECT_TRUE(MentionsName("ada lovelace", ada));
  EXPECT_FALSE(MentionsName("adalovelace", ada));
  EXPECT_FALSE(MentionsName("ada lovelaces", ada));
  EXPECT_FALSE(MentionsName("nada lovelace", ada));
  EXPECT_FALSE(MentionsName("ada", ada));
  EXPECT_FALSE(MentionsName("ada lovelac\xc3\xa9", ada));
  EXPECT_FALSE(MentionsName(std::string("ada lovelace \xff"), ada));  // invalid UTF-8
  EXPECT_FALSE(MentionsName("anything", ""));
  std::string zoe = *NormalizeName("Zoë");
  EXPECT_TRUE(MentionsName("c'est Zoe\xcc\x88 ici", zoe));
}

TEST(Normalize, PlatformIdsAreTrimmedAndLowerCased) {
  EXPECT_EQ(*NormalizePlatformId(" U4af4980629 "), "u4af4980629");
  EXPECT_FALSE(NormalizePlatformId("  ").ok());
}

class BlindIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    provider_ = std::move(*FileKeyProvider::Open(dir_.File("kek")));
    keys_ = std::make_unique<KeyManager>(*provider_, store_, clock_);
  }
  testing::TempDir dir_;
  std::unique_ptr<FileKeyProvider> provider_;
  MemoryKeyStore store_;
  FakeClock clock_;
  std::unique_ptr<KeyManager> keys_;
};

TEST_F(BlindIndexTest, SameValueSameTokenAcrossRestarts) {
  BlindIndexer index(*keys_, clock_, 32);
  auto a = index.Token("ten_a", "platform_key", "+14155550123");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*index.Token("ten_a", "platform_key", "+14155550123"), *a);
  KeyManager restarted(*provider_, store_, clock_);
  BlindIndexer again(restarted, clock_, 32);
  EXPECT_EQ(*again.Token("ten_a", "platform_key", "+14155550123"), *a);
  EXPECT_LT(*a, uint64_t{1} << 32);
}

TEST_F(BlindIndexTest, TenantsAndIndexesDoNotShareTokens) {
  BlindIndexer index(*keys_, clock_, 64);
  uint64_t t = *index.Token("ten_a", "email", "jane@example.com");
  EXPECT_NE(*index.Token("ten_b", "email", "jane@example.com"), t);
  EXPECT_NE(*index.Token("ten_a", "name", "jane@example.com"), t);
  EXPECT_NE(*index.Token("ten_a", "email", "jane@example.org"), t);
}

TEST_F(BlindIndexTest, TruncationKeepsTheTopBits) {
  BlindIndexer wide(*keys_, clock_, 64);
  BlindIndexer narrow(*keys_, clock_, 20);
  uint64_t w = *wide.Token("ten_a", "email", "x@y.z");
  EXPECT_EQ(*narrow.Token("ten_a", "email", "x@y.z"), w >> 44);
}

TEST_F(BlindIndexTest, TokenAndFullHashComeFromOneHash) {
  BlindIndexer index(*keys_, clock_, 24);
  auto both = index.TokenAndFullHash("ten_a", "platform_key", "+14155550123");
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_EQ(both->token, *index.Token("ten_a", "platform_key", "+14155550123"));
  EXPECT_EQ(both->full_hash, *index.FullHash("ten_a", "platform_key", "+14155550123"));
  EXPECT_EQ(both->full_hash.size(), 64u);
}

TEST(BlindIndexBits, RecommendedBitsGrowWithTheExpectedNumberOfValues) {
  EXPECT_EQ(BlindIndexer::RecommendedBits(1000), 16);
  EXPECT_EQ(BlindIndexer::RecommendedBits(1000000), 18);
  EXPECT_EQ(BlindIndexer::RecommendedBits(uint64_t{1} << 40), 32);
}

}  // namespace
}  // namespace convault::crypto
