#include "common/ids.h"

#include <set>

#include "gtest/gtest.h"

namespace convault {
namespace {

TEST(Ids, RandomIdsHaveThePrefixAndAreDistinct) {
  RandomIdGenerator gen;
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    std::string id = gen.NewId("key");
    EXPECT_TRUE(IsWellFormedId(id, "key")) << id;
    EXPECT_EQ(id.size(), 4u + 25u);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(Ids, RandomIdsMadeLaterSortLater) {
  FakeClock clock(absl::FromUnixSeconds(1800000000));
  RandomIdGenerator gen(clock);
  std::string first = gen.NewId("ent");
  clock.Advance(absl::Milliseconds(1));
  std::string second = gen.NewId("ent");
  EXPECT_LT(first.substr(0, 4 + 9), second.substr(0, 4 + 9));
  EXPECT_LT(first, second);
}

TEST(Ids, SequentialIdsAreDeterministic) {
  SequentialIdGenerator gen;
  EXPECT_EQ(gen.NewId("ten"), "ten_000001");
  EXPECT_EQ(gen.NewId("key"), "key_000002");
}

TEST(Ids, WellFormedRejectsOtherPrefixesAndCharacters) {
  EXPECT_FALSE(IsWellFormedId("ten_abc", "key"));
  EXPECT_FALSE(IsWellFormedId("key_", "key"));
  EXPECT_FALSE(IsWellFormedId("key_ABC", "key"));
  EXPECT_FALSE(IsWellFormedId("key_a/b", "key"));
  EXPECT_FALSE(IsWellFormedId("key-abc", "key"));
  EXPECT_FALSE(IsWellFormedId("key_" + std::string(65, 'a'), "key"));
  EXPECT_TRUE(IsWellFormedId("key_" + std::string(64, 'a'), "key"));
}

}  // namespace
}  // namespace convault
