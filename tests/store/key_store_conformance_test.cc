// The KeyStore contract (store/key_store.h), run against every backend.
#include <functional>
#include <memory>

#include "common/clock.h"
#include "gtest/gtest.h"
#include "store/key_store.h"
#include "store/memory/memory_key_store.h"
#include "store/sqlite/sqlite_key_store.h"
#include "support/temp_dir.h"

namespace convault {
namespace {

struct KeyBackend {
  std::string name;
  std::function<std::unique_ptr<KeyStore>(const std::string& dir)> open;
};

void PrintTo(const KeyBackend& b, std::ostream* os) { *os << b.name; }

class KeyStoreConformance : public ::testing::TestWithParam<KeyBackend> {
 protected:
  void SetUp() override {
    keys_ = GetParam().open(dir_.path());
    ASSERT_NE(keys_, nullptr);
  }
  WrappedKey Make(const std::string& tenant, const std::string& subject, uint32_t version) {
    WrappedKey k;
    k.tenant_id = tenant;
    k.kind = WrappedKeyKind::kSubjectDek;
    k.subject_id = subject;
    k.version = version;
    k.kek_version = 3;
    k.wrapped = std::string("\x00\x01wrapped\xff", 10);
    k.created_at = absl::FromUnixSeconds(1000);
    return k;
  }
  static KeyRef Ref(const std::string& tenant, const std::string& subject) {
    return KeyRef{tenant, WrappedKeyKind::kSubjectDek, subject};
  }
  testing::TempDir dir_;
  std::unique_ptr<KeyStore> keys_;
};

TEST_P(KeyStoreConformance, StoresAndReturnsWrappedKeysByteForByte) {
  ASSERT_TRUE(keys_->PutWrappedKey(Make("ten_a", "eu_1", 1)).ok());
  auto k = keys_->GetWrappedKey(Ref("ten_a", "eu_1"), 1);
  ASSERT_TRUE(k.ok()) << k.status();
  EXPECT_EQ(k->wrapped, std::string("\x00\x01wrapped\xff", 10));
  EXPECT_EQ(k->kek_version, 3u);
  EXPECT_EQ(k->subject_id, "eu_1");
  EXPECT_EQ(k->kind, WrappedKeyKind::kSubjectDek);
  EXPECT_EQ(k->seals_reserved, 0);
  EXPECT_EQ(k->created_at, absl::FromUnixSeconds(1000));
}

TEST_P(KeyStoreConformance, KindsSubjectsAndTenantsAreSeparate) {
  ASSERT_TRUE(keys_->PutWrappedKey(Make("ten_a", "eu_1", 1)).ok());
  EXPECT_TRUE(absl::IsNotFound(keys_->GetWrappedKey(Ref("ten_b", "eu_1"), 1).status()));
  EXPECT_TRUE(absl::IsNotFound(keys_->GetWrappedKey(Ref("ten_a", "eu_2"), 1).status()));
  EXPECT_TRUE(absl::IsNotFound(
      keys_->GetWrappedKey(KeyRef{"ten_a", WrappedKeyKind::kTenantDek, "eu_1"}, 1).status()));
  EXPECT_EQ(*keys_->DeleteAllVersions(Ref("ten_b", "eu_1")), 0);
  ASSERT_TRUE(keys_->PutWrappedKey(Make("ten_b", "eu_1", 1)).ok());
  EXPECT_EQ(*keys_->CountWrappedKeys("ten_a"), 1);
  EXPECT_EQ(*keys_->CountWrappedKeys("ten_b"), 1);
}

TEST_P(KeyStoreConformance, DuplicateVersionIsRefused) {
  ASSERT_TRUE(keys_->PutWrappedKey(Make("ten_a", "eu_1", 1)).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(keys_->PutWrappedKey(Make("ten_a", "eu_1", 1))));
}

TEST_P(KeyStoreConformance, PutsABatchWhollyOrNotAtAll) {
  ASSERT_TRUE(keys_->PutWrappedKeys({Make("ten_a", "eu_1", 1), Make("ten_a", "eu_2", 1)}).ok());
  EXPECT_TRUE(keys_->GetWrappedKey(Ref("ten_a", "eu_2"), 1).ok());
  // eu_2 is taken: eu_3 must not be stored either.
  EXPECT_TRUE(absl::IsAlreadyExists(
      keys_->PutWrappedKeys({Make("ten_a", "eu_3", 1), Make("ten_a", "eu_2", 1)})));
  EXPECT_TRUE(absl::IsNotFound(keys_->GetWrappedKey(Ref("ten_a", "eu_3"), 1).status()));
  // The same key twice in one batch is refused too.
  EXPECT_TRUE(absl::IsAlreadyExists(
      keys_->PutWrappedKeys({Make("ten_a", "eu_4", 1), Make("ten_a", "eu_4", 1)})));
  EXPECT_TRUE(absl::IsNotFound(keys_->GetWrappedKey(Ref("ten_a", "eu_4"), 1).status()));
  EXPECT_TRUE(keys_->PutWrappedKeys({}).ok());
  EXPECT_EQ(*keys_->CountWrappedKeys("ten_a"), 2);
}

TEST_P(KeyStoreConformance, ListsVersionsInOrder) {
  for (uint32_t v : {3u, 1u, 2u}) ASSERT_TRUE(keys_->PutWrappedKey(Make("ten_a", "eu_1", v)).ok());
  ASSERT_TRUE(keys_->PutWrappedKey(Make("ten_a", "eu_10", 1)).ok());
  auto list = keys_->ListVersions(Ref("ten_a", "eu_1"));
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].version, 1u);
  EXPECT_EQ((*list)[2].version, 3u);
  EXPECT_TRUE(keys_->ListVersions(Ref("ten_a", "eu_9"))->empty());
}

TEST_P(KeyStoreConformance, DeleteAllVersionsRemovesTheKeyForGood) {
  for (uint32_t v : {1u, 2u}) ASSERT_TRUE(keys_->PutWrappedKey(Make("ten_a", "eu_1", v)).ok());
  ASSERT_TRUE(keys_->PutWrappedKey(Make("ten_a", "eu_2", 1)).ok());
  EXPECT_EQ(*keys_->DeleteAllVersions(Ref("ten_a", "eu_1")), 2);
  EXPECT_TRUE(absl::IsNotFound(keys_->GetWrappedKey(Ref("ten_a", "eu_1"), 1).status()));
  EXPECT_TRUE(keys_->ListVersions(Ref("ten_a", "eu_1"))->empty());
  EXPECT_TRUE(keys_->GetWrappedKey(Ref("ten_a", "eu_2"), 1).ok());
  EXPECT_EQ(*keys_->DeleteAllVersions(Ref("ten_a", "eu_1")), 0);
}

TEST_P(KeyStoreConformance, ReservesSealsUpToTheLimit) {
  ASSERT_TRUE(keys_->PutWrappedKey(Make("ten_a", "eu_1", 1)).ok());
  EXPECT_EQ(*keys_->ReserveSeals(Ref("ten_a", "eu_1"), 1, 40, 100), 40);
  EXPECT_EQ(*keys_->ReserveSeals(Ref("ten_a", "eu_1"), 1, 60, 100), 100);
  EXPECT_TRUE(
      absl::IsResourceExhausted(keys_->ReserveSeals(Ref("ten_a", "eu_1"), 1, 1, 100).status()));
  EXPECT_EQ(keys_->GetWrappedKey(Ref("ten_a", "eu_1"), 1)->seals_reserved, 100);
  EXPECT_TRUE(absl::IsNotFound(keys_->ReserveSeals(Ref("ten_a", "eu_1"), 2, 1, 100).status()));
}

TEST_P(KeyStoreConformance, CallsAfterCloseAreUnavailable) {
  keys_->Close();
  EXPECT_TRUE(absl::IsUnavailable(keys_->PutWrappedKey(Make("ten_a", "eu_1", 1))));
}

INSTANTIATE_TEST_SUITE_P(
    Backends, KeyStoreConformance,
    ::testing::Values(
        KeyBackend{"memory", [](const std::string&) { return std::make_unique<MemoryKeyStore>(); }},
        KeyBackend{"sqlite",
                   [](const std::string& dir) -> std::unique_ptr<KeyStore> {
                     SqliteKeyStore::Options o;
                     o.path = dir + "/keys.db";
                     auto s = SqliteKeyStore::Open(o, SystemClock::Get());
                     if (!s.ok()) return nullptr;
                     return std::move(*s);
                   }}),
    [](const ::testing::TestParamInfo<KeyBackend>& p) { return p.param.name; });

}  // namespace
}  // namespace convault
