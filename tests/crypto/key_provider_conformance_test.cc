// The KeyProvider contract (crypto/key_provider.h), run on every provider.
// The PKCS#11 provider joins this suite with its issue work (SoftHSM2).
#include <sys/stat.h>

#include <functional>
#include <memory>

#include "crypto/file_key_provider.h"
#include "crypto/pkcs11_key_provider.h"
#include "crypto/random.h"
#include "gtest/gtest.h"
#include "support/softhsm.h"
#include "support/temp_dir.h"

namespace convault::crypto {
namespace {

struct ProviderBackend {
  std::string name;
  std::function<std::unique_ptr<KeyProvider>(const std::string& dir)> open;
};
void PrintTo(const ProviderBackend& b, std::ostream* os) { *os << b.name; }

class KeyProviderConformance : public ::testing::TestWithParam<ProviderBackend> {
 protected:
  void SetUp() override {
    provider_ = GetParam().open(dir_.path());
    ASSERT_NE(provider_, nullptr);
  }
  SecretBytes Dek() { return std::move(*SecureRandomBytes(32)); }
  testing::TempDir dir_;
  std::unique_ptr<KeyProvider> provider_;
};

TEST_P(KeyProviderConformance, StartsWithOneVersion) {
  auto versions = provider_->Versions();
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(*versions, std::vector<uint32_t>{1});
}

TEST_P(KeyProviderConformance, WrapsAndUnwrapsWithTheSameContext) {
  SecretBytes dek = Dek();
  auto wrapped = provider_->Wrap(1, dek, "ten_a|1|eu_1|1");
  ASSERT_TRUE(wrapped.ok()) << wrapped.status();
  EXPECT_EQ(wrapped->find(dek.Reveal()), std::string::npos);
  auto back = provider_->Unwrap(1, *wrapped, "ten_a|1|eu_1|1");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->Reveal(), dek.Reveal());
}

TEST_P(KeyProviderConformance, AnyChangeFailsToUnwrap) {
  SecretBytes dek = Dek();
  std::string wrapped = *provider_->Wrap(1, dek, "ctx");
  EXPECT_TRUE(absl::IsInvalidArgument(provider_->Unwrap(1, wrapped, "ctx2").status()));
  EXPECT_FALSE(provider_->Unwrap(2, wrapped, "ctx").ok());
  for (size_t i = 0; i < wrapped.size(); ++i) {
    std::string bad = wrapped;
    bad[i] ^= 0x01;
    EXPECT_FALSE(provider_->Unwrap(1, bad, "ctx").ok()) << i;
  }
  EXPECT_FALSE(provider_->Unwrap(1, wrapped.substr(0, wrapped.size() - 1), "ctx").ok());
}

TEST_P(KeyProviderConformance, NewVersionsWrapIndependently) {
  auto v2 = provider_->CreateVersion();
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(*v2, 2u);
  EXPECT_EQ(*provider_->Versions(), (std::vector<uint32_t>{1, 2}));
  SecretBytes dek = Dek();
  std::string w1 = *provider_->Wrap(1, dek, "c");
  std::string w2 = *provider_->Wrap(2, dek, "c");
  EXPECT_FALSE(provider_->Unwrap(2, w1, "c").ok());
  EXPECT_EQ(provider_->Unwrap(2, w2, "c")->Reveal(), dek.Reveal());
}

TEST_P(KeyProviderConformance, DestroyedVersionNoLongerUnwraps) {
  SecretBytes dek = Dek();
  std::string w1 = *provider_->Wrap(1, dek, "c");
  EXPECT_TRUE(absl::IsFailedPrecondition(provider_->DestroyVersion(1)));  // the only one
  ASSERT_TRUE(provider_->CreateVersion().ok());
  ASSERT_TRUE(provider_->DestroyVersion(1).ok());
  EXPECT_EQ(*provider_->Versions(), std::vector<uint32_t>{2});
  EXPECT_FALSE(provider_->Unwrap(1, w1, "c").ok());
  EXPECT_TRUE(absl::IsNotFound(provider_->DestroyVersion(1)));
  // Reopening does not bring it back.
  provider_.reset();
  provider_ = GetParam().open(dir_.path());
  EXPECT_EQ(*provider_->Versions(), std::vector<uint32_t>{2});
  EXPECT_FALSE(provider_->Unwrap(1, w1, "c").ok());
}

TEST_P(KeyProviderConformance, VersionsSurviveReopen) {
  SecretBytes dek = Dek();
  ASSERT_TRUE(provider_->CreateVersion().ok());
  std::string w2 = *provider_->Wrap(2, dek, "c");
  provider_.reset();
  provider_ = GetParam().open(dir_.path());
  EXPECT_EQ(*provider_->Versions(), (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(provider_->Unwrap(2, w2, "c")->Reveal(), dek.Reveal());
}

INSTANTIATE_TEST_SUITE_P(
    Providers, KeyProviderConformance,
    ::testing::Values(ProviderBackend{"file",
                                      [](const std::string& dir) -> std::unique_ptr<KeyProvider> {
                                        auto p = FileKeyProvider::Open(dir + "/kek");
                                        if (!p.ok()) return nullptr;
                                        return std::move(*p);
                                      }},
                      ProviderBackend{"pkcs11_softhsm2",
                                      [](const std::string& dir) -> std::unique_ptr<KeyProvider> {
                                        auto p = testing::OpenSoftHsmProvider(dir);
                                        EXPECT_TRUE(p.ok()) << p.status();
                                        if (!p.ok()) return nullptr;
                                        return std::move(*p);
                                      }}),
    [](const ::testing::TestParamInfo<ProviderBackend>& p) { return p.param.name; });

TEST(FileKeyProvider, KeyFilesArePrivateAndLooseOnesAreRefused) {
  testing::TempDir dir;
  ASSERT_TRUE(FileKeyProvider::Open(dir.File("kek")).ok());
  struct stat st {};
  ASSERT_EQ(stat(dir.File("kek/kek-000001.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  ASSERT_EQ(stat(dir.File("kek").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  chmod(dir.File("kek/kek-000001.key").c_str(), 0644);
  auto reopened = FileKeyProvider::Open(dir.File("kek"));
  ASSERT_FALSE(reopened.ok());
  EXPECT_NE(std::string(reopened.status().message()).find("0600"), std::string::npos);
}

TEST(Pkcs11KeyProvider, KeksAreNonExtractableAndTheirValueNeverLeaves) {
  testing::TempDir dir;
  auto provider = testing::OpenSoftHsmProvider(dir.path());
  ASSERT_TRUE(provider.ok()) << provider.status();
  ASSERT_TRUE((*provider)->CreateVersion().ok());
  for (uint32_t v : {1u, 2u}) {
    auto extractable = (*provider)->IsExtractableForTesting(v);
    ASSERT_TRUE(extractable.ok()) << extractable.status();
    EXPECT_FALSE(*extractable);
  }
}

TEST(Pkcs11KeyProvider, UriNeedsModuleTokenAndAPinSourceButNeverAPin) {
  EXPECT_TRUE(ParsePkcs11Uri("pkcs11:module=/m.so;token=t;pin-env=P").ok());
  EXPECT_TRUE(ParsePkcs11Uri("pkcs11:module=/m.so;token=t;pin-file=/run/pin").ok());
  for (std::string bad :
       {"pkcs11:token=t;pin-env=P", "pkcs11:module=/m.so;pin-env=P", "pkcs11:module=/m.so;token=t",
        "pkcs11:module=/m.so;token=t;pin=1234", "pkcs11:module=/m.so;token=t;pin-env=P;pin-file=/f",
        "pkcs11:module=/m.so;token=t;pin-env=P;colour=blue", "file:/x"}) {
    EXPECT_FALSE(ParsePkcs11Uri(bad).ok()) << bad;
  }
  auto no_pin = ParsePkcs11Uri("pkcs11:module=/m.so;token=t;pin=1234");
  EXPECT_EQ(std::string(no_pin.status().message()).find("1234"), std::string::npos);
}

TEST(Pkcs11KeyProvider, AWrongPinOrTokenIsAClearError) {
  testing::TempDir dir;
  ASSERT_TRUE(testing::OpenSoftHsmProvider(dir.path()).ok());  // creates the token
  setenv(testing::kSoftHsmPinEnv, "0000", 1);
  auto options = *ParsePkcs11Uri(testing::SoftHsmUri());
  auto wrong_pin = Pkcs11KeyProvider::Open(options);
  EXPECT_TRUE(absl::IsPermissionDenied(wrong_pin.status())) << wrong_pin.status();
  setenv(testing::kSoftHsmPinEnv, "4321", 1);
  options.token_label = "no-such-token";
  auto no_token = Pkcs11KeyProvider::Open(options);
  EXPECT_TRUE(absl::IsFailedPrecondition(no_token.status())) << no_token.status();
}

}  // namespace
}  // namespace convault::crypto
