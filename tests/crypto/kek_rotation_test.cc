// KEK rotation: rewrap every wrapped key, resumably, and destroy the old
// version only when nothing uses it.
#include <filesystem>

#include "crypto/field_cipher.h"
#include "crypto/file_key_provider.h"
#include "crypto/kek_rotator.h"
#include "gtest/gtest.h"
#include "store/sqlite/sqlite_key_store.h"
#include "support/temp_dir.h"

namespace convault::crypto {
namespace {

class KekRotationTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  // (Re)opens everything on the same files, like a process start.
  void Open() {
    rotator_.reset();
    keys_.reset();
    store_.reset();
    provider_.reset();
    provider_ = std::move(*FileKeyProvider::Open(dir_.File("kek")));
    SqliteKeyStore::Options o;
    o.path = dir_.File("keys.db");
    store_ = std::move(*SqliteKeyStore::Open(o, clock_));
    keys_ = std::make_unique<KeyManager>(*provider_, *store_, clock_);
    KekRotatorOptions ro;
    ro.batch_size = 3;
    rotator_ = std::make_unique<KekRotator>(*provider_, *store_, clock_, ro);
    ASSERT_TRUE(rotator_->Sync().ok());
  }
  std::vector<std::pair<std::string, std::string>> SealForSubjects(int n) {
    std::vector<std::pair<std::string, std::string>> out;
    for (int i = 0; i < n; ++i) {
      std::string subject = "eu_" + std::to_string(i);
      out.emplace_back(subject, *keys_->Seal({"ten_a", subject}, "data of " + subject, "ad"));
    }
    return out;
  }
  void ExpectAllOpen(const std::vector<std::pair<std::string, std::string>>& sealed) {
    KeyManager fresh(*provider_, *store_, clock_);  // no cached keys: unwrap from the store
    for (const auto& [subject, ct] : sealed) {
      auto pt = fresh.Open({"ten_a", subject}, ct, "ad");
      ASSERT_TRUE(pt.ok()) << subject << ": " << pt.status();
      EXPECT_EQ(*pt, "data of " + subject);
    }
  }

  testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<FileKeyProvider> provider_;
  std::unique_ptr<SqliteKeyStore> store_;
  std::unique_ptr<KeyManager> keys_;
  std::unique_ptr<KekRotator> rotator_;
};

TEST_F(KekRotationTest, RotationRewrapsEverythingAndRetiresTheOldVersion) {
  auto sealed = SealForSubjects(10);
  auto v2 = rotator_->Rotate();
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(*v2, 2u);
  auto status = rotator_->Status();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->current_version, 2u);
  EXPECT_EQ(status->wrapped_keys.at(1), 10);
  ASSERT_EQ(status->versions.size(), 2u);
  EXPECT_EQ(status->versions[0].state, KekState::kRetiring);
  EXPECT_EQ(status->versions[1].state, KekState::kActive);

  // New keys go under the new version straight away.
  ASSERT_TRUE(keys_->Seal({"ten_a", "eu_new"}, "x", "ad").ok());
  EXPECT_EQ(store_->GetWrappedKey({"ten_a", WrappedKeyKind::kSubjectDek, "eu_new"}, 1)->kek_version,
            2u);

  auto moved = rotator_->RunToCompletion();
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(*moved, 10);
  EXPECT_EQ(store_->CountByKekVersion()->count(1), 0u);
  // Drained, but inside the grace period: still there.
  EXPECT_EQ(*provider_->Versions(), (std::vector<uint32_t>{1, 2}));
  clock_.Advance(absl::Minutes(6));
  auto destroyed = rotator_->DestroyDrained();
  ASSERT_TRUE(destroyed.ok());
  EXPECT_EQ(*destroyed, std::vector<uint32_t>{1});
  EXPECT_EQ(*provider_->Versions(), std::vector<uint32_t>{2});
  EXPECT_EQ(rotator_->Status()->versions[0].state, KekState::kDestroyed);
  ExpectAllOpen(sealed);
}

TEST_F(KekRotationTest, ACrashMidwayResumesAndLosesNoKey) {
  auto sealed = SealForSubjects(10);
  ASSERT_TRUE(rotator_->Rotate().ok());
  ASSERT_EQ(*rotator_->RewrapBatch(), 3);  // then the process dies
  Open();                                  // restart on the same files
  EXPECT_EQ(store_->CountByKekVersion()->at(1), 7);
  clock_.Advance(absl::Minutes(6));
  auto moved = rotator_->RunToCompletion();
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, 7);
  EXPECT_EQ(store_->CountByKekVersion()->count(1), 0u);
  EXPECT_EQ(*provider_->Versions(), std::vector<uint32_t>{2});
  ExpectAllOpen(sealed);
}

TEST_F(KekRotationTest, AVersionStillInUseIsNeverDestroyed) {
  auto sealed = SealForSubjects(4);
  ASSERT_TRUE(rotator_->Rotate().ok());
  clock_.Advance(absl::Hours(1));
  auto destroyed = rotator_->DestroyDrained();  // nothing rewrapped yet
  ASSERT_TRUE(destroyed.ok());
  EXPECT_TRUE(destroyed->empty());
  EXPECT_EQ(*provider_->Versions(), (std::vector<uint32_t>{1, 2}));
  ExpectAllOpen(sealed);
}

TEST_F(KekRotationTest, RotatingTwiceDrainsBothOlderVersions) {
  auto sealed = SealForSubjects(5);
  ASSERT_TRUE(rotator_->Rotate().ok());
  ASSERT_EQ(*rotator_->RewrapBatch(), 3);
  ASSERT_TRUE(rotator_->Rotate().ok());
  clock_.Advance(absl::Minutes(6));
  ASSERT_TRUE(rotator_->RunToCompletion().ok());
  EXPECT_EQ(*provider_->Versions(), std::vector<uint32_t>{3});
  auto counts = *store_->CountByKekVersion();
  EXPECT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts.at(3), 5);
  ExpectAllOpen(sealed);
}

std::string ReadAllFilesUnder(const std::string& dir) {
  std::string all;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) all += testing::ReadFileOrEmpty(e.path().string());
  }
  return all;
}

TEST_F(KekRotationTest, DestroyedSubjectKeyLeavesNoCopyInAnyKeyStoreFile) {
  auto sealed = SealForSubjects(3);
  KeyRef ref{"ten_a", WrappedKeyKind::kSubjectDek, "eu_1"};
  std::string wrapped = store_->GetWrappedKey(ref, 1)->wrapped;
  ASSERT_NE(ReadAllFilesUnder(dir_.path()).find(wrapped), std::string::npos);
  auto destroyed = keys_->DestroySubjectKeys("ten_a", "eu_1");
  ASSERT_TRUE(destroyed.ok());
  EXPECT_EQ(*destroyed, 1);
  // Not in keys.db, not in its WAL: secure_delete plus a truncating checkpoint.
  EXPECT_EQ(ReadAllFilesUnder(dir_.path()).find(wrapped), std::string::npos);
  EXPECT_EQ(ReadAllFilesUnder(dir_.path()).find(wrapped.substr(18, 16)), std::string::npos);
  // The others are untouched.
  sealed.erase(sealed.begin() + 1);
  ExpectAllOpen(sealed);
}

}  // namespace
}  // namespace convault::crypto
