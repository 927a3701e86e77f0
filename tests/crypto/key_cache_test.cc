// KeyCache: a bounded LRU of shared values with a TTL on the injected clock.
#include "crypto/key_cache.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace convault::crypto {
namespace {

std::shared_ptr<int> Value(int v) { return std::make_shared<int>(v); }

TEST(KeyCache, KeepsTheMostRecentlyUsedWithinCapacity) {
  FakeClock clock;
  KeyCache<int> cache(3, absl::Minutes(10), clock);
  cache.Put("a", Value(1));
  cache.Put("b", Value(2));
  cache.Put("c", Value(3));
  ASSERT_NE(cache.Get("a"), nullptr);  // a is now the most recent; b the least
  cache.Put("d", Value(4));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.Get("b"), nullptr);
  EXPECT_EQ(*cache.Get("a"), 1);
  EXPECT_EQ(*cache.Get("c"), 3);
  EXPECT_EQ(*cache.Get("d"), 4);
  EXPECT_EQ(cache.hits(), 4u);
  EXPECT_EQ(cache.misses(), 1u);
}

TEST(KeyCache, ReplacingAKeyKeepsOneEntryWithTheNewValue) {
  FakeClock clock;
  KeyCache<int> cache(2, absl::Minutes(10), clock);
  cache.Put("a", Value(1));
  cache.Put("a", Value(2));
  cache.Put("b", Value(3));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(*cache.Get("a"), 2);
  EXPECT_EQ(*cache.Get("b"), 3);
}

TEST(KeyCache, EntriesExpireOnTheInjectedClock) {
  FakeClock clock;
  KeyCache<int> cache(10, absl::Minutes(5), clock);
  cache.Put("a", Value(1));
  clock.Advance(absl::Minutes(3));
  cache.Put("b", Value(2));
  clock.Advance(absl::Minutes(3));  // a is 6 minutes old, b 3
  EXPECT_EQ(cache.Get("a"), nullptr);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(*cache.Get("b"), 2);
  // Being used does not extend a value's life: it was loaded 3 minutes ago.
  clock.Advance(absl::Minutes(2));
  EXPECT_EQ(cache.Get("b"), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(KeyCache, EraseByPrefixDropsExactlyThoseEntries) {
  FakeClock clock;
  KeyCache<int> cache(10, absl::Minutes(10), clock);
  cache.Put("t1|s1|v1", Value(1));
  cache.Put("t1|s1|v2", Value(2));
  cache.Put("t1|s10|v1", Value(3));
  cache.Put("t2|s1|v1", Value(4));
  EXPECT_EQ(cache.EraseByPrefix("t1|s1|"), 2u);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Get("t1|s1|v1"), nullptr);
  EXPECT_EQ(*cache.Get("t1|s10|v1"), 3);
  EXPECT_EQ(*cache.Get("t2|s1|v1"), 4);
  // The survivors still evict in order afterwards.
  KeyCache<int> small(2, absl::Minutes(10), clock);
  small.Put("x", Value(1));
  small.Put("y", Value(2));
  EXPECT_EQ(small.EraseByPrefix("x"), 1u);
  small.Put("z", Value(3));
  small.Put("w", Value(4));
  EXPECT_EQ(small.Get("y"), nullptr);
  EXPECT_EQ(*small.Get("z"), 3);
}

TEST(KeyCache, AValueOutlivesItsEntryWhileInUse) {
  FakeClock clock;
  KeyCache<int> cache(1, absl::Minutes(10), clock);
  cache.Put("a", Value(7));
  std::shared_ptr<int> held = cache.Get("a");
  cache.Put("b", Value(8));  // evicts a
  EXPECT_EQ(cache.Get("a"), nullptr);
  EXPECT_EQ(*held, 7);
}

TEST(KeyCache, LongNamesThatShareAPrefixStayDistinct) {
  FakeClock clock;
  KeyCache<int> cache(100, absl::Minutes(10), clock);
  const std::string base(200, 'k');
  for (int i = 0; i < 50; ++i) cache.Put(base + std::to_string(i), Value(i));
  for (int i = 0; i < 50; ++i) EXPECT_EQ(*cache.Get(base + std::to_string(i)), i);
  for (int i = 0; i < 50; i += 2) cache.Put(base + std::to_string(i), Value(i + 100));
  for (int i = 0; i < 50; ++i) EXPECT_EQ(*cache.Get(base + std::to_string(i)), i % 2 ? i : i + 100);
  EXPECT_EQ(cache.size(), 50u);
}

}  // namespace
}  // namespace convault::crypto
