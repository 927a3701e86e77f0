#include "crypto/field_cipher.h"

#include <random>

#include "crypto/file_key_provider.h"
#include "gtest/gtest.h"
#include "store/memory/memory_key_store.h"
#include "support/temp_dir.h"

namespace convault::crypto {
namespace {

class FieldCipherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    provider_ = std::move(*FileKeyProvider::Open(dir_.File("kek")));
    keys_ = std::make_unique<KeyManager>(*provider_, store_, clock_);
    cipher_ = std::make_unique<FieldCipher>(*keys_);
  }
  testing::TempDir dir_;
  std::unique_ptr<FileKeyProvider> provider_;
  MemoryKeyStore store_;
  FakeClock clock_;
  std::unique_ptr<KeyManager> keys_;
  std::unique_ptr<FieldCipher> cipher_;
};

TEST_F(FieldCipherTest, RoundTripsInItsOwnContext) {
  FieldContext c{"ten_a", "entry", "ent_1", "message", "eu_1"};
  auto ct = cipher_->Seal(c, "my card is 4111");
  ASSERT_TRUE(ct.ok());
  EXPECT_EQ(*cipher_->Open(c, *ct), "my card is 4111");
}

TEST_F(FieldCipherTest, SubjectOpenerOpensItsSubjectAndFallsBackForOthers) {
  FieldContext mine{"ten_a", "entry", "ent_1", "message", "eu_1"};
  FieldContext moved{"ten_a", "entry", "ent_2", "message", "eu_1"};
  FieldContext other{"ten_a", "entry", "ent_3", "message", "eu_2"};
  FieldContext tenant{"ten_a", "channel", "ch_1", "credentials", ""};
  std::string a = *cipher_->Seal(mine, "mine");
  std::string b = *cipher_->Seal(other, "other");
  std::string c = *cipher_->Seal(tenant, "tenant data");
  auto opener = cipher_->OpenerFor("ten_a", "eu_1");
  EXPECT_EQ(*opener.Open(mine, a), "mine");
  EXPECT_FALSE(opener.Open(moved, a).ok());  // the context is still checked
  EXPECT_EQ(*opener.Open(other, b), "other");
  EXPECT_EQ(*opener.Open(tenant, c), "tenant data");
  EXPECT_FALSE(opener.Open(mine, b).ok());
}

TEST_F(FieldCipherTest, AssociatedDataIsUnambiguous) {
  // Shifting bytes between parts changes the associated data.
  EXPECT_NE(FieldAssociatedData({"ab", "c", "", "", ""}),
            FieldAssociatedData({"a", "bc", "", "", ""}));
  EXPECT_NE(FieldAssociatedData({"a", "", "", "", "b"}),
            FieldAssociatedData({"a", "", "", "b", ""}));
}

TEST_F(FieldCipherTest, CiphertextMovedAnywhereElseFailsToOpen) {
  const std::vector<std::string> tenants = {"ten_a", "ten_b"};
  const std::vector<std::string> types = {"entry", "end_user", "context_entry"};
  const std::vector<std::string> rows = {"obj_1", "obj_2", "obj_3"};
  const std::vector<std::string> fields = {"message", "name", "payload", "actor_name"};
  const std::vector<std::string> subjects = {"eu_1", "eu_2", ""};
  std::mt19937 rng(7);
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  int moved = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string t1 = pick(tenants), y1 = pick(types), r1 = pick(rows), f1 = pick(fields),
                s1 = pick(subjects);
    std::string t2 = pick(tenants), y2 = pick(types), r2 = pick(rows), f2 = pick(fields),
                s2 = pick(subjects);
    FieldContext from{t1, y1, r1, f1, s1};
    FieldContext to{t2, y2, r2, f2, s2};
    auto ct = cipher_->Seal(from, "value " + std::to_string(trial));
    ASSERT_TRUE(ct.ok());
    bool same = t1 == t2 && y1 == y2 && r1 == r2 && f1 == f2 && s1 == s2;
    auto opened = cipher_->Open(to, *ct);
    if (same) {
      EXPECT_TRUE(opened.ok());
    } else {
      EXPECT_FALSE(opened.ok()) << t1 << "/" << y1 << "/" << r1 << "/" << f1 << "/" << s1 << " -> "
                                << t2 << "/" << y2 << "/" << r2 << "/" << f2 << "/" << s2;
      ++moved;
    }
  }
  EXPECT_GT(moved, 2500);
}

TEST_F(FieldCipherTest, TamperedCiphertextFailsToOpen) {
  FieldContext c{"ten_a", "entry", "ent_1", "message", "eu_1"};
  std::string ct = *cipher_->Seal(c, "hello there");
  std::mt19937 rng(3);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string bad = ct;
    if (trial % 2 == 0) {
      bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
    } else {
      bad.resize(rng() % bad.size());
    }
    EXPECT_FALSE(cipher_->Open(c, bad).ok()) << trial;
  }
}

}  // namespace
}  // namespace convault::crypto
