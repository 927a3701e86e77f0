#include "store/sqlite/row_cache.h"

#include <string>

#include "gtest/gtest.h"

namespace convault {
namespace {

TEST(RowCache, KeepsRowsUntilInvalidated) {
  sqlite::RowCache<std::string> cache(8);
  EXPECT_FALSE(cache.Get("k").has_value());
  cache.Put("k", "v1", cache.generation());
  EXPECT_EQ(cache.Get("k"), "v1");
  cache.Invalidate("k");
  EXPECT_FALSE(cache.Get("k").has_value());
}

// A reader that read the database before a change was committed must not
// put the old row back after the writer invalidated it.
TEST(RowCache, DropsARowReadBeforeAnInvalidation) {
  sqlite::RowCache<std::string> cache(8);
  const uint64_t read_at = cache.generation();  // the reader starts
  cache.Invalidate("k");                        // a writer commits a change
  cache.Put("k", "old", read_at);               // the reader's row is stale
  EXPECT_FALSE(cache.Get("k").has_value());
  cache.Put("k", "new", cache.generation());
  EXPECT_EQ(cache.Get("k"), "new");
}

TEST(RowCache, StaysWithinItsCapacity) {
  sqlite::RowCache<int> cache(4);
  for (int i = 0; i < 10; ++i) cache.Put(std::to_string(i), i, cache.generation());
  int kept = 0;
  for (int i = 0; i < 10; ++i) kept += cache.Get(std::to_string(i)).has_value() ? 1 : 0;
  EXPECT_LE(kept, 4);
  EXPECT_EQ(cache.Get("9"), 9);
}

}  // namespace
}  // namespace convault
