#include "crypto/api_key_token.h"

#include <set>

#include "crypto/hash.h"
#include "gtest/gtest.h"

namespace convault::crypto {
namespace {

TEST(ApiKeyToken, RoundTripsAndMatchesItsStoredHash) {
  auto token = GenerateApiKeyToken("key_abcdefghij234567abcd");
  ASSERT_TRUE(token.ok()) << token.status();
  std::string_view t = token->token.Reveal();
  EXPECT_EQ(t.substr(0, 4), "cvk_");
  EXPECT_EQ(t.size(), 4 + 20 + 1 + 64u);
  auto parsed = ParseApiKeyToken(t);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->key_id, "key_abcdefghij234567abcd");
  EXPECT_TRUE(ApiKeySecretMatches(parsed->secret_hash, token->secret_hash));
  EXPECT_EQ(token->secret_hash.size(), 32u);
}

TEST(ApiKeyToken, SecretsAreRandomAndAtLeast128Bits) {
  std::set<std::string> hashes;
  for (int i = 0; i < 1000; ++i) hashes.insert(GenerateApiKeyToken("key_x")->secret_hash);
  EXPECT_EQ(hashes.size(), 1000u);
}

TEST(ApiKeyToken, AnyChangedCharacterFailsToMatch) {
  auto token = GenerateApiKeyToken("key_abc");
  std::string t(token->token.Reveal());
  for (size_t i = 8; i < t.size(); ++i) {
    std::string forged = t;
    forged[i] = forged[i] == 'a' ? 'b' : 'a';
    auto parsed = ParseApiKeyToken(forged);
    if (!parsed.ok()) continue;  // malformed is also a refusal
    EXPECT_FALSE(parsed->key_id == "key_abc" &&
                 ApiKeySecretMatches(parsed->secret_hash, token->secret_hash))
        << "position " << i;
  }
}

TEST(ApiKeyToken, MalformedTokensAreUnauthenticated) {
  std::string hex(64, 'a');
  for (std::string bad :
       {std::string(""), std::string("cvk_"), "cvk_abc" + hex, "xyz_abc_" + hex, "cvk_ABC_" + hex,
        "cvk__" + hex, "cvk_abc_" + std::string(64, 'G'), "cvk_abc_" + hex + "0", "cvk_a/b_" + hex,
        std::string("cvk_abc_\xff") + hex.substr(1)}) {
    auto parsed = ParseApiKeyToken(bad);
    EXPECT_TRUE(absl::IsUnauthenticated(parsed.status())) << bad;
  }
}

TEST(Hash, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace convault::crypto
