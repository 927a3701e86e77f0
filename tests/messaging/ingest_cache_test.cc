#include "messaging/ingest_cache.h"

#include "gtest/gtest.h"

namespace convault {
namespace {

IngestCache::Known Sender(const std::string& end_user, const std::string& session) {
  IngestCache::Known k;
  k.end_user_id = end_user;
  k.session_id = session;
  return k;
}

TEST(IngestCache, RemembersForgetsAndStartsAgainWhenFull) {
  IngestCache cache(2);
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
  cache.Remember("a", Sender("eu_1", "ses_4"));
  // Full: the next new sender starts it again empty.
  cache.Remember("c", Sender("eu_3", "ses_5"));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_FALSE(cache.Find("a").has_value());
  EXPECT_EQ(cache.Find("c")->end_user_id, "eu_3");
}

}  // namespace
}  // namespace convault
