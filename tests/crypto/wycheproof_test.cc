// Wycheproof vectors through convault's own wrappers. Parameters convault
// does not support (AES-128/192, nonces other than 96 bits) must be refused.
#include <fstream>

#include "crypto/aead.h"
#include "crypto/mac.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace convault::crypto {
namespace {

using nlohmann::json;

json Load(const std::string& name) {
  std::ifstream in(std::string(CONVAULT_SOURCE_DIR) + "/tests/data/wycheproof/" + name);
  return json::parse(in, nullptr, false);
}

std::string Unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

TEST(Wycheproof, AesGcm) {
  json vectors = Load("aes_gcm_test.json");
  ASSERT_TRUE(vectors.is_object());
  int checked = 0, refused = 0;
  for (const auto& group : vectors["testGroups"]) {
    bool supported = group["keySize"] == 256 && group["ivSize"] == 96 && group["tagSize"] == 128;
    for (const auto& t : group["tests"]) {
      std::string key = Unhex(t["key"]), iv = Unhex(t["iv"]), aad = Unhex(t["aad"]);
      std::string msg = Unhex(t["msg"]), ct_tag = Unhex(t["ct"]) + Unhex(t["tag"]);
      std::string id = "tcId " + std::to_string(t["tcId"].get<int>());
      if (!supported) {
        EXPECT_FALSE(raw::AesGcmSeal(key, iv, aad, msg).ok()) << id;
        EXPECT_FALSE(raw::AesGcmOpen(key, iv, aad, ct_tag).ok()) << id;
        ++refused;
        continue;
      }
      auto opened = raw::AesGcmOpen(key, iv, aad, ct_tag);
      if (t["result"] == "valid") {
        ASSERT_TRUE(opened.ok()) << id;
        EXPECT_EQ(*opened, msg) << id;
        auto sealed = raw::AesGcmSeal(key, iv, aad, msg);
        ASSERT_TRUE(sealed.ok()) << id;
        EXPECT_EQ(*sealed, ct_tag) << id;
      } else {
        EXPECT_FALSE(opened.ok()) << id;
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 60);
  EXPECT_GE(refused, 200);
}

TEST(Wycheproof, HmacSha256) {
  json vectors = Load("hmac_sha256_test.json");
  ASSERT_TRUE(vectors.is_object());
  int checked = 0;
  for (const auto& group : vectors["testGroups"]) {
    size_t tag_bytes = group["tagSize"].get<size_t>() / 8;
    for (const auto& t : group["tests"]) {
      std::string key = Unhex(t["key"]), msg = Unhex(t["msg"]), tag = Unhex(t["tag"]);
      std::string id = "tcId " + std::to_string(t["tcId"].get<int>());
      auto full = HmacSha256Once(key, msg);
      ASSERT_TRUE(full.ok()) << id;
      bool matches = full->substr(0, tag_bytes) == tag;
      EXPECT_EQ(matches, t["result"] == "valid") << id;
      // The prepared-state path gives the same answers.
      auto prepared = HmacSha256::Create(SecretBytes(key));
      ASSERT_TRUE(prepared.ok());
      EXPECT_EQ((*prepared)->Verify(msg, tag), t["result"] == "valid") << id;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100);
}

TEST(Wycheproof, HkdfSha256) {
  json vectors = Load("hkdf_sha256_test.json");
  ASSERT_TRUE(vectors.is_object());
  int valid = 0, invalid = 0;
  for (const auto& group : vectors["testGroups"]) {
    for (const auto& t : group["tests"]) {
      std::string id = "tcId " + std::to_string(t["tcId"].get<int>());
      auto okm =
          HkdfSha256(Unhex(t["ikm"]), Unhex(t["salt"]), Unhex(t["info"]), t["size"].get<size_t>());
      if (t["result"] == "valid") {
        ASSERT_TRUE(okm.ok()) << id << " " << okm.status();
        EXPECT_EQ(std::string(okm->Reveal()), Unhex(t["okm"])) << id;
        ++valid;
      } else {
        EXPECT_FALSE(okm.ok()) << id;
        ++invalid;
      }
    }
  }
  EXPECT_GT(valid, 80);
  EXPECT_EQ(invalid, 3);
}

}  // namespace
}  // namespace convault::crypto
