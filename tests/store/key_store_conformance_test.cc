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
  WrappedKey Make(const std::string& tenant, const std::string& id) {
    WrappedKey k;
    k.tenant_id = tenant;
    k.key_id = id;
    k.kind = WrappedKeyKind::kSubjectDek;
    k.subject_id = "eu_1";
    k.kek_version = 3;
    k.wrapped = std::string("\x00\x01wrapped\xff", 10);
    k.created_at = absl::FromUnixSeconds(1000);
    return k;
  }
  testing::TempDir dir_;
  std::unique_ptr<KeyStore> keys_;
};

TEST_P(KeyStoreConformance, StoresAndReturnsWrappedKeysByteForByte) {
  ASSERT_TRUE(keys_->PutWrappedKey(Make("ten_a", "dek_1")).ok());
  auto k = keys_->GetWrappedKey("ten_a", "dek_1");
  ASSERT_TRUE(k.ok()) << k.status();
  EXPECT_EQ(k->wrapped, std::string("\x00\x01wrapped\xff", 10));
  EXPECT_EQ(k->kek_version, 3u);
  EXPECT_EQ(k->subject_id, "eu_1");
  EXPECT_EQ(k->kind, WrappedKeyKind::kSubjectDek);
  EXPECT_EQ(k->created_at, absl::FromUnixSeconds(1000));
}

TEST_P(KeyStoreConformance, KeysAreScopedByTenant) {
  ASSERT_TRUE(keys_->PutWrappedKey(Make("ten_a", "dek_1")).ok());
  EXPECT_TRUE(absl::IsNotFound(keys_->GetWrappedKey("ten_b", "dek_1").status()));
  EXPECT_TRUE(absl::IsNotFound(keys_->DeleteWrappedKey("ten_b", "dek_1")));
  ASSERT_TRUE(keys_->PutWrappedKey(Make("ten_b", "dek_1")).ok());
  EXPECT_EQ(*keys_->CountWrappedKeys("ten_a"), 1);
  EXPECT_EQ(*keys_->CountWrappedKeys("ten_b"), 1);
}

TEST_P(KeyStoreConformance, DuplicateIdIsRefused) {
  ASSERT_TRUE(keys_->PutWrappedKey(Make("ten_a", "dek_1")).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(keys_->PutWrappedKey(Make("ten_a", "dek_1"))));
}

TEST_P(KeyStoreConformance, DeleteRemovesTheKeyForGood) {
  ASSERT_TRUE(keys_->PutWrappedKey(Make("ten_a", "dek_1")).ok());
  ASSERT_TRUE(keys_->DeleteWrappedKey("ten_a", "dek_1").ok());
  EXPECT_TRUE(absl::IsNotFound(keys_->GetWrappedKey("ten_a", "dek_1").status()));
  EXPECT_TRUE(absl::IsNotFound(keys_->DeleteWrappedKey("ten_a", "dek_1")));
  EXPECT_EQ(*keys_->CountWrappedKeys("ten_a"), 0);
}

TEST_P(KeyStoreConformance, CallsAfterCloseAreUnavailable) {
  keys_->Close();
  EXPECT_TRUE(absl::IsUnavailable(keys_->PutWrappedKey(Make("ten_a", "dek_1"))));
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
