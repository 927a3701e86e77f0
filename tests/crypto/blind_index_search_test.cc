// A blind-index lookup end to end on the real SQLite store: tokens collide on
// purpose, the lookup returns candidates, and opening and comparing them
// keeps exactly the matches.
#include <map>

#include "crypto/blind_index.h"
#include "crypto/field_cipher.h"
#include "crypto/file_key_provider.h"
#include "crypto/normalize.h"
#include "gtest/gtest.h"
#include "store/memory/memory_key_store.h"
#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"

namespace convault::crypto {
namespace {

TEST(BlindIndexSearch, CandidatesOpenedAndComparedGiveExactlyTheMatches) {
  testing::TempDir dir;
  FakeClock clock;
  auto provider = std::move(*FileKeyProvider::Open(dir.File("kek")));
  MemoryKeyStore key_store;
  KeyManager keys(*provider, key_store, clock);
  FieldCipher cipher(keys);
  // 256 buckets for 6,000 values: a bucket holding only the wanted value has
  // probability (255/256)^5999 < 1e-10.
  BlindIndexer index(keys, clock, 8);
  SqliteStore::Options o;
  o.path = dir.File("data.db");
  auto store = std::move(*SqliteStore::Open(o, clock));
  ApiKey admin{"key_a", "ten_a", "admin", RoleSet{Role::kAdmin}, std::string(32, 'x'), clock.Now()};
  ASSERT_TRUE(store->CreateTenant({"ten_a", "a", clock.Now()}, admin).ok());

  // 6,000 end users with an email each; the ciphertexts stand for the stored rows.
  std::map<std::string, std::string> sealed_email;  // end user id -> ciphertext
  std::vector<BlindIndexEntry> entries;
  for (int i = 0; i < 6000; ++i) {
    std::string id = "eu_" + std::to_string(i);
    std::string email = "Customer." + std::to_string(i) + "@Example.com";
    sealed_email[id] = *cipher.Seal({"ten_a", "end_user", id, "email", id}, email);
    uint64_t token = *index.Token("ten_a", "email", *NormalizeEmail(email));
    entries.push_back({"ten_a", "email", token, "end_user", id, "email", id});
  }
  ASSERT_TRUE(store->AddIndexEntries(entries).ok());

  // Search as a privacy officer would: normalize, token, candidates, open, compare.
  std::string wanted = *NormalizeEmail("  customer.417@EXAMPLE.com ");
  uint64_t token = *index.Token("ten_a", "email", wanted);
  auto candidates = store->FindIndexEntries("ten_a", "email", token, 1000);
  ASSERT_TRUE(candidates.ok());
  EXPECT_GE(candidates->size(), 2u);  // the token alone does not single anyone out
  std::vector<std::string> matches;
  for (const auto& c : *candidates) {
    auto email = cipher.Open({"ten_a", c.object_type, c.object_id, c.field, c.subject_id},
                             sealed_email[c.object_id]);
    ASSERT_TRUE(email.ok());
    if (*NormalizeEmail(*email) == wanted) matches.push_back(c.object_id);
  }
  EXPECT_EQ(matches, std::vector<std::string>{"eu_417"});
}

}  // namespace
}  // namespace convault::crypto
