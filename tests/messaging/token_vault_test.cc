#include "messaging/token_vault.h"

#include "crypto/file_key_provider.h"
#include "gtest/gtest.h"
#include "store/memory/memory_key_store.h"
#include "support/temp_dir.h"

namespace convault {
namespace {

// The tokenize action end to end at the engine level: the policy replaces the
// value by a token, the vault seals the original under the subject's key, and
// only that subject's key (until it is destroyed) opens it.
class TokenVaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    provider_ = std::move(*crypto::FileKeyProvider::Open(dir_.File("kek")));
    keys_ = std::make_unique<crypto::KeyManager>(*provider_, key_store_, clock_);
    cipher_ = std::make_unique<crypto::FieldCipher>(*keys_);
    vault_ = std::make_unique<TokenVault>(*cipher_);
    SensitiveDataRule r;
    r.id = "rule_card";
    r.detector = "credit_card";
    r.action = RedactionAction::kTokenize;
    policy_ = *redact::Policy::Compile({r});
  }
  redact::RedactionResult Tokenize(std::string_view text) {
    IdTokenMinter minter(ids_);
    redact::RedactionScope scope;
    scope.tokens = &minter;
    auto result = policy_->Redact(text, scope);
    EXPECT_TRUE(result.ok());
    return std::move(*result);
  }

  testing::TempDir dir_;
  std::unique_ptr<crypto::FileKeyProvider> provider_;
  MemoryKeyStore key_store_;
  FakeClock clock_;
  SequentialIdGenerator ids_;
  std::unique_ptr<crypto::KeyManager> keys_;
  std::unique_ptr<crypto::FieldCipher> cipher_;
  std::unique_ptr<TokenVault> vault_;
  std::shared_ptr<const redact::Policy> policy_;
};

TEST_F(TokenVaultTest, SealsTheOriginalUnderTheSubjectsKey) {
  auto result = Tokenize("pay with 4111 1111 1111 1111 please");
  EXPECT_EQ(result.text, "pay with [TOKEN:tok_000001] please");
  auto sealed = vault_->Seal("ten_a", "eu_1", result.tokens);
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  ASSERT_EQ(sealed->size(), 1u);
  EXPECT_EQ((*sealed)[0].token, "tok_000001");
  EXPECT_EQ((*sealed)[0].rule_id, "rule_card");
  EXPECT_EQ((*sealed)[0].ciphertext.find("4111"), std::string::npos);
  EXPECT_TRUE(result.tokens[0].original.Reveal().empty());  // plaintext dropped

  auto opened = vault_->Open("ten_a", "eu_1", (*sealed)[0]);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->Reveal(), "4111 1111 1111 1111");
}

TEST_F(TokenVaultTest, OpensOnlyForItsTokenSubjectAndTenant) {
  auto result = Tokenize("4111 1111 1111 1111 and 5500 0000 0000 0004");
  auto sealed = *vault_->Seal("ten_a", "eu_1", result.tokens);
  ASSERT_EQ(sealed.size(), 2u);
  EXPECT_FALSE(vault_->Open("ten_a", "eu_2", sealed[0]).ok());
  EXPECT_FALSE(vault_->Open("ten_b", "eu_1", sealed[0]).ok());
  SealedToken swapped = sealed[0];
  swapped.token = sealed[1].token;  // a ciphertext moved to another token
  EXPECT_FALSE(vault_->Open("ten_a", "eu_1", swapped).ok());
}

TEST_F(TokenVaultTest, ErasureMakesTokensUnopenable) {
  auto result = Tokenize("4111 1111 1111 1111");
  auto sealed = *vault_->Seal("ten_a", "eu_1", result.tokens);
  ASSERT_TRUE(keys_->DestroySubjectKeys("ten_a", "eu_1").ok());
  auto opened = vault_->Open("ten_a", "eu_1", sealed[0]);
  ASSERT_FALSE(opened.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(opened.status())) << opened.status();
}

}  // namespace
}  // namespace convault
