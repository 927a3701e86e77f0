// HmacSha256's kept padded-key states against OpenSSL's own HMAC (through
// HmacSha256Once, which keys an EVP MAC context per call), over the key
// lengths around SHA-256's 64-byte block that the Wycheproof vectors do not
// cover (empty, one short of a block, a block, longer keys that are hashed).
#include "crypto/mac.h"

#include <string>

#include "gtest/gtest.h"

namespace convault::crypto {
namespace {

std::string Bytes(size_t n, int seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + seed * 17 + 7) & 0xff);
  return s;
}

TEST(HmacSha256, KeptStatesGiveOpenSslsTagsForEveryKeyLength) {
  for (size_t key_size : {0, 1, 31, 32, 63, 64, 65, 127, 128, 300}) {
    auto mac = HmacSha256::Create(SecretBytes(Bytes(key_size, 1)));
    ASSERT_TRUE(mac.ok()) << key_size;
    for (size_t message_size : {0, 1, 55, 56, 63, 64, 65, 1000}) {
      std::string message = Bytes(message_size, 2);
      auto expected = HmacSha256Once(Bytes(key_size, 1), message);
      ASSERT_TRUE(expected.ok());
      auto tag = (*mac)->Compute(message);
      ASSERT_TRUE(tag.ok());
      EXPECT_EQ(*tag, *expected) << key_size << " " << message_size;
      HmacSha256::Tag into;
      (*mac)->ComputeInto(message, into);
      EXPECT_EQ(std::string(reinterpret_cast<const char*>(into.data()), into.size()), *expected);
      EXPECT_TRUE((*mac)->Verify(message, expected->substr(0, 16)));
      EXPECT_FALSE((*mac)->Verify(message + "x", *expected));
    }
  }
}

}  // namespace
}  // namespace convault::crypto
