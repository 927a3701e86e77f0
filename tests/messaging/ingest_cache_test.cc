#include "messaging/ingest_cache.h"

#include <string>

#include "gtest/gtest.h"

namespace convault {
namespace {

IngestCache::Known Sender(const std::string& end_user, const std::string& session) {
  IngestCache::Known k;
  k.end_user_id = end_user;
  k.session_id = session;
  return k;
}

TEST(IngestCache, RemembersReplacesAndForgets) {
  IngestCache cache(4);
  EXPECT_FALSE(cache.Find("a").has_value());
  cache.Remember("a", Sender("eu_1", "ses_1"));
  cache.Remember("b", Sender("eu_2", "ses_2"));
  ASSERT_TRUE(cache.Find("a").has_value());
  EXPECT_EQ(cache.Find("a")->session_id, "ses_1");
  // The same sender again: replaced, not added.
  cache.Remember("a", Sender("eu_1", "ses_3"));
  EXPECT_EQ(cache.Find("a")->session_id, "ses_3");
  EXPECT_EQ(cache.size(), 2u);
  cache.Forget("a");
  EXPECT_FALSE(cache.Find("a").has_value());
  EXPECT_EQ(cache.size(), 1u);
}

// A capacity of 4 is two generations of 2. Past it the oldest generation
// goes, never the senders remembered last; a sender of the older generation
// remembered again moves to the recent one and stays.
TEST(IngestCache, PastCapacityDropsTheOlderGenerationAndKeepsTheRecentSenders) {
  IngestCache cache(4);
  cache.Remember("a", Sender("eu_a", "s"));
  cache.Remember("b", Sender("eu_b", "s"));
  cache.Remember("c", Sender("eu_c", "s"));  // a, b become the older generation
  cache.Remember("d", Sender("eu_d", "s"));
  EXPECT_EQ(cache.size(), 4u);
  for (const char* k : {"a", "b", "c", "d"}) EXPECT_TRUE(cache.Find(k).has_value()) << k;
  // "a" again (found in the older generation): it moves to the recent one,
  // which is full, so c and d become the older generation and b goes.
  cache.Remember("a", Sender("eu_a", "s2"));
  EXPECT_FALSE(cache.Find("b").has_value());
  EXPECT_EQ(cache.Find("a")->session_id, "s2");
  EXPECT_TRUE(cache.Find("c").has_value());
  EXPECT_TRUE(cache.Find("d").has_value());
  EXPECT_EQ(cache.size(), 3u);
  // Many more senders: never more than the capacity, the last two always kept.
  for (int i = 0; i < 100; ++i) {
    cache.Remember("n" + std::to_string(i), Sender("eu_n", "s"));
    EXPECT_LE(cache.size(), 4u);
    EXPECT_TRUE(cache.Find("n" + std::to_string(i)).has_value());
    if (i > 0) {
      EXPECT_TRUE(cache.Find("n" + std::to_string(i - 1)).has_value());
    }
  }
  // Forget reaches both generations.
  cache.Forget("n98");
  cache.Forget("n99");
  EXPECT_FALSE(cache.Find("n98").has_value());
  EXPECT_FALSE(cache.Find("n99").has_value());
}

}  // namespace
}  // namespace convault
