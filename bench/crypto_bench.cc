// bench/crypto: field seal/open with a cached DEK, blind-index tokens and DEK
// unwrap on a cache miss, with raw OpenSSL EVP AES-256-GCM in the same binary
// as the ceiling. Prints Google Benchmark's table, then one summary line per
// figure with the ratio to raw EVP (PERFORMANCE.md targets: >= 1,000,000
// seals/s and tokens/s per core; seal >= 50% of raw EVP at the same size).
#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "benchmark/benchmark.h"
#include "common/clock.h"
#include "crypto/blind_index.h"
#include "crypto/field_cipher.h"
#include "crypto/file_key_provider.h"
#include "crypto/pkcs11_key_provider.h"
#include "crypto/random.h"
#include "store/memory/memory_key_store.h"

namespace convault::crypto {
namespace {

struct World {
  std::string dir;
  std::unique_ptr<FileKeyProvider> provider;
  MemoryKeyStore store;
  Clock& clock = SystemClock::Get();
  std::unique_ptr<KeyManager> keys;
  std::unique_ptr<FieldCipher> cipher;
  std::unique_ptr<BlindIndexer> index;

  World() {
    char tmpl[] = "/tmp/convault-bench-XXXXXX";
    dir = mkdtemp(tmpl);
    provider = std::move(*FileKeyProvider::Open(dir + "/kek"));
    keys = std::make_unique<KeyManager>(*provider, store, clock);
    cipher = std::make_unique<FieldCipher>(*keys);
    index = std::make_unique<BlindIndexer>(*keys, clock, 32);
  }
  ~World() { std::filesystem::remove_all(dir); }
};

World& TheWorld() {
  static World* world = new World();
  return *world;
}

const FieldContext kContext{"ten_bench0000000000000", "entry", "ent_bench000000000000", "message",
                            "eu_bench00000000000000"};

void BM_RawEvpAes256GcmSeal(benchmark::State& state) {
  size_t size = static_cast<size_t>(state.range(0));
  auto key = *SecureRandomBytes(32);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr,
                     reinterpret_cast<const unsigned char*>(key.Reveal().data()), nullptr);
  std::string pt(size, 'm');
  std::string out(size + 16, '\0');
  unsigned char iv[12] = {0};
  std::string aad(80, 'a');
  uint64_t counter = 0;
  for (auto _ : state) {
    std::memcpy(iv, &++counter, sizeof(counter));  // the ceiling: no randomness, no allocation
    int len = 0;
    EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, iv);
    EVP_EncryptUpdate(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                      static_cast<int>(aad.size()));
    EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &len,
                      reinterpret_cast<const unsigned char*>(pt.data()), static_cast<int>(size));
    EVP_EncryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + len, &len);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out.data() + size);
    benchmark::DoNotOptimize(out.data());
  }
  EVP_CIPHER_CTX_free(ctx);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawEvpAes256GcmSeal)->Arg(16)->Arg(64)->Arg(256)->Arg(1024);

void BM_FieldSeal(benchmark::State& state) {
  World& w = TheWorld();
  std::string pt(static_cast<size_t>(state.range(0)), 'm');
  w.cipher->Seal(kContext, pt).IgnoreError();  // create and cache the DEK
  for (auto _ : state) {
    auto ct = w.cipher->Seal(kContext, pt);
    benchmark::DoNotOptimize(ct);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FieldSeal)->Arg(16)->Arg(64)->Arg(256)->Arg(1024);

void BM_FieldOpen(benchmark::State& state) {
  World& w = TheWorld();
  std::string ct = *w.cipher->Seal(kContext, std::string(static_cast<size_t>(state.range(0)), 'm'));
  for (auto _ : state) {
    auto pt = w.cipher->Open(kContext, ct);
    benchmark::DoNotOptimize(pt);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FieldOpen)->Arg(16)->Arg(64)->Arg(256)->Arg(1024);

void BM_BlindIndexToken(benchmark::State& state) {
  World& w = TheWorld();
  w.index->Token(kContext.tenant_id, "email", "warm@example.com").IgnoreError();
  std::string value = "jane.doe@example.com";
  for (auto _ : state) {
    auto t = w.index->Token(kContext.tenant_id, "email", value);
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BlindIndexToken);

void BM_DekUnwrapCacheMissFile(benchmark::State& state) {
  World& w = TheWorld();
  auto dek = *SecureRandomBytes(32);
  std::string wrapped = *w.provider->Wrap(1, dek, "ten|1|eu|1");
  for (auto _ : state) {
    auto key = w.provider->Unwrap(1, wrapped, "ten|1|eu|1");
    auto aead = AesGcmAead::Create(std::move(*key), 1);
    benchmark::DoNotOptimize(aead);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DekUnwrapCacheMissFile);

// DEK unwrap through the HSM (SoftHSM2 in bench/crypto), when configured.
void DekUnwrapCacheMissPkcs11(benchmark::State& state, KeyProvider* hsm) {
  auto dek = *SecureRandomBytes(32);
  uint32_t version = hsm->Versions()->back();
  std::string wrapped = *hsm->Wrap(version, dek, "ten|1|eu|1");
  for (auto _ : state) {
    auto key = hsm->Unwrap(version, wrapped, "ten|1|eu|1");
    if (!key.ok()) {
      state.SkipWithError("unwrap failed");
      break;
    }
    auto aead = AesGcmAead::Create(std::move(*key), 1);
    benchmark::DoNotOptimize(aead);
  }
  state.SetItemsProcessed(state.iterations());
}

// Collects ns per operation by benchmark name for the summary lines.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      bool median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      if (r.run_type == Run::RT_Iteration || median) ns_[r.run_name.str()] = r.GetAdjustedCPUTime();
    }
  }
  void Summary() const {
    for (int size : {16, 64, 256, 1024}) {
      std::string s = std::to_string(size);
      auto raw = ns_.find("BM_RawEvpAes256GcmSeal/" + s);
      auto seal = ns_.find("BM_FieldSeal/" + s);
      auto open = ns_.find("BM_FieldOpen/" + s);
      if (raw == ns_.end() || seal == ns_.end() || open == ns_.end()) continue;
      std::printf(
          "field seal %4d B: %.0f seals/s per core, %.0f%% of raw EVP (%.0f/s); open %.0f/s\n",
          size, 1e9 / seal->second, 100.0 * raw->second / seal->second, 1e9 / raw->second,
          1e9 / open->second);
    }
    if (auto t = ns_.find("BM_BlindIndexToken"); t != ns_.end()) {
      std::printf("blind-index token: %.0f tokens/s per core\n", 1e9 / t->second);
    }
    if (auto u = ns_.find("BM_DekUnwrapCacheMissFile"); u != ns_.end()) {
      std::printf("DEK unwrap on cache miss (file provider): %.0f/s per core (%.2f us)\n",
                  1e9 / u->second, u->second / 1000.0);
    }
    if (auto u = ns_.find("BM_DekUnwrapCacheMissSoftHsm2"); u != ns_.end()) {
      std::printf("DEK unwrap on cache miss (PKCS#11, SoftHSM2): %.0f/s (%.2f us)\n",
                  1e9 / u->second, u->second / 1000.0);
    }
  }

 private:
  std::map<std::string, double> ns_;
};

}  // namespace
}  // namespace convault::crypto

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  // As in the server (src/cli/main.cc): no per-lock cycle detection.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  std::unique_ptr<convault::crypto::Pkcs11KeyProvider> hsm;
  if (const char* uri = std::getenv("CONVAULT_BENCH_PKCS11_URI")) {
    auto options = convault::crypto::ParsePkcs11Uri(uri);
    auto opened = options.ok()
                      ? convault::crypto::Pkcs11KeyProvider::Open(*options)
                      : absl::StatusOr<std::unique_ptr<convault::crypto::Pkcs11KeyProvider>>(
                            options.status());
    if (!opened.ok()) {
      std::fprintf(stderr, "PKCS#11 provider: %s\n",
                   std::string(opened.status().message()).c_str());
      return 1;
    }
    hsm = std::move(*opened);
    benchmark::RegisterBenchmark("BM_DekUnwrapCacheMissSoftHsm2",
                                 convault::crypto::DekUnwrapCacheMissPkcs11, hsm.get());
  }
  convault::crypto::SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.Summary();
  benchmark::Shutdown();
  return 0;
}
