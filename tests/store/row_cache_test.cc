#include "store/sqlite/row_cache.h"

#include <string>

#include "gtest/gtest.h"

namespace convault {
namespace {

absl::StatusOr<std::string> Row(std::string value) { return value; }

TEST(RowCache, KeepsRowsUntilInvalidated) {
  sqlite::RowCache<std::string> cache(8);
  EXPECT_FALSE(cache.Get("k").has_value());
  EXPECT_EQ(*cache.GetOrRead("k", [] { return Row("v1"); }), "v1");
  EXPECT_EQ(cache.Get("k"), "v1");
  cache.Invalidate("k");
  EXPECT_FALSE(cache.Get("k").has_value());
}

// A reader that read the database before a change was committed must not
// put the old row back after the writer invalidated it.
TEST(RowCache, DropsARowReadBeforeAnInvalidation) {
  sqlite::RowCache<std::string> cache(8);
  auto old = cache.GetOrRead("k", [&] {
    cache.Invalidate("k");  // a writer commits a change while the reader reads
    return Row("old");
  });
  EXPECT_EQ(*old, "old");
  EXPECT_FALSE(cache.Get("k").has_value());
  cache.GetOrRead("k", [] { return Row("new"); }).IgnoreError();
  EXPECT_EQ(cache.Get("k"), "new");
}

TEST(RowCache, KeepsOnlyFoundRows) {
  sqlite::RowCache<std::string> cache(8);
  auto missing = cache.GetOrRead(
      "k", []() -> absl::StatusOr<std::string> { return absl::NotFoundError("no"); });
  EXPECT_TRUE(absl::IsNotFound(missing.status()));
  EXPECT_FALSE(cache.Get("k").has_value());
}

TEST(RowCache, StaysWithinItsCapacity) {
  sqlite::RowCache<int> cache(4);
  for (int i = 0; i < 10; ++i) {
    cache.GetOrRead(std::to_string(i), [i] { return absl::StatusOr<int>(i); }).IgnoreError();
  }
  int kept = 0;
  for (int i = 0; i < 10; ++i) kept += cache.Get(std::to_string(i)).has_value() ? 1 : 0;
  EXPECT_LE(kept, 4);
  EXPECT_EQ(cache.Get("9"), 9);
}

}  // namespace
}  // namespace convault
