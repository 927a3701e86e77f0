#include "crypto/aead.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "crypto/nonce_source.h"
#include "crypto/random.h"
#include "gtest/gtest.h"

namespace convault::crypto {
namespace {

std::unique_ptr<AesGcmAead> NewKey(uint32_t id = 7) {
  auto key = SecureRandomBytes(32);
  auto aead = AesGcmAead::Create(std::move(*key), id);
  EXPECT_TRUE(aead.ok());
  return std::move(*aead);
}

TEST(Aead, RoundTripsAndWritesTheDocumentedEnvelope) {
  auto aead = NewKey(0x01020304);
  for (size_t size : {0, 1, 16, 64, 256, 1024, 70000}) {
    std::string pt(size, 'x');
    auto ct = aead->Encrypt(pt, "ad");
    ASSERT_TRUE(ct.ok());
    ASSERT_EQ(ct->size(), pt.size() + kEnvelopeOverhead);
    EXPECT_EQ(static_cast<uint8_t>((*ct)[0]), 1);
    EXPECT_EQ(static_cast<uint8_t>((*ct)[1]), 1);
    EXPECT_EQ(ct->substr(2, 4), std::string("\x01\x02\x03\x04", 4));
    EXPECT_EQ(*EnvelopeKeyId(*ct), 0x01020304u);
    auto back = aead->Decrypt(*ct, "ad");
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, pt);
    if (size >= 16) {
      EXPECT_EQ(ct->find(pt.substr(0, 16)), std::string::npos);
    }
  }
}

// A key keeps one pooled context for both directions; sealing and opening
// in turn on one thread reuse it each time. Every envelope must still open
// with the bare primitive, and a tampered one must still fail, whichever
// direction the context served last.
TEST(Aead, SealingAndOpeningInTurnShareAContextAndStayCorrect) {
  auto key = SecureRandomBytes(32);
  ASSERT_TRUE(key.ok());
  const std::string raw_key(key->Reveal());
  auto aead = AesGcmAead::Create(std::move(*key), 9);
  ASSERT_TRUE(aead.ok());
  std::vector<std::string> sealed;
  for (int i = 0; i < 50; ++i) {
    const std::string pt = "message " + std::to_string(i) + std::string(i * 7, 'p');
    auto ct = (*aead)->Encrypt(pt, "ad" + std::to_string(i));
    ASSERT_TRUE(ct.ok());
    sealed.push_back(*ct);
    // The envelope is header, nonce, ciphertext and tag, with the header
    // authenticated ahead of the caller's associated data.
    const std::string header = ct->substr(0, kEnvelopeHeaderSize);
    const std::string nonce = ct->substr(header.size(), 12);
    auto bare = raw::AesGcmOpen(raw_key, nonce, header + "ad" + std::to_string(i),
                                ct->substr(header.size() + 12));
    ASSERT_TRUE(bare.ok()) << i;
    EXPECT_EQ(*bare, pt);
    // Open this one and an older one, then a tampered copy, before the next seal.
    auto back = (*aead)->Decrypt(*ct, "ad" + std::to_string(i));
    ASSERT_TRUE(back.ok()) << i;
    EXPECT_EQ(*back, pt);
    auto older = (*aead)->Decrypt(sealed[i / 2], "ad" + std::to_string(i / 2));
    ASSERT_TRUE(older.ok()) << i;
    std::string tampered = *ct;
    tampered.back() ^= 1;
    EXPECT_FALSE((*aead)->Decrypt(tampered, "ad" + std::to_string(i)).ok()) << i;
  }
}

// Sets the process-wide budget of keys with pooled contexts for one test.
class PooledKeyBudget {
 public:
  explicit PooledKeyBudget(size_t budget)
      : before_(AesGcmAead::SetPooledKeyBudgetForTesting(budget)) {}
  ~PooledKeyBudget() { AesGcmAead::SetPooledKeyBudgetForTesting(before_); }

 private:
  size_t before_;
};

size_t Pooled(const std::vector<std::unique_ptr<AesGcmAead>>& keys) {
  size_t n = 0;
  for (const auto& k : keys) n += k->PooledContextsForTesting() > 0 ? 1 : 0;
  return n;
}

// Many keys used once each (one per end user) do not each keep a context:
// beyond the budget, the keys not used again lose theirs, a key in steady
// use keeps its own, and every key still seals and opens afterwards.
TEST(Aead, PooledContextsAreBoundedAcrossKeysAndKeysInUseKeepTheirs) {
  const size_t others = AesGcmAead::PooledKeys();  // keys of other tests still alive
  PooledKeyBudget budget(others + 8);
  auto hot = NewKey(1);
  std::vector<std::unique_ptr<AesGcmAead>> cold;
  std::vector<std::string> sealed;
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(hot->Encrypt("steady", "ad").ok());
    cold.push_back(NewKey(100 + i));
    auto ct = cold.back()->Encrypt("once " + std::to_string(i), "ad");
    ASSERT_TRUE(ct.ok());
    sealed.push_back(*ct);
    ASSERT_LE(AesGcmAead::PooledKeys(), others + 8) << i;
    ASSERT_LE(Pooled(cold), 8u) << i;
    EXPECT_EQ(hot->PooledContextsForTesting(), 1u) << i;
  }
  // Keys that lost their context make a new one when used again.
  for (int i = 0; i < 200; ++i) {
    auto back = cold[i]->Decrypt(sealed[i], "ad");
    ASSERT_TRUE(back.ok()) << i;
    EXPECT_EQ(*back, "once " + std::to_string(i));
  }
  EXPECT_LE(AesGcmAead::PooledKeys(), others + 8);
  // A destroyed key leaves the set.
  const size_t now = AesGcmAead::PooledKeys();
  size_t leaving = Pooled(cold) + (hot->PooledContextsForTesting() > 0 ? 1 : 0);
  cold.clear();
  hot.reset();
  EXPECT_EQ(AesGcmAead::PooledKeys(), now - leaving);
}

// Keys used from many threads at once while the budget forces the clock to
// free contexts all the time: every call still succeeds and the set stays
// within the budget once they are done (the sanitizer preset runs it under
// ASan and UBSan).
TEST(Aead, PooledContextsStayBoundedWhenKeysAreUsedConcurrently) {
  const size_t others = AesGcmAead::PooledKeys();
  PooledKeyBudget budget(others + 4);
  std::vector<std::unique_ptr<AesGcmAead>> keys;
  for (int i = 0; i < 32; ++i) keys.push_back(NewKey(i));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const auto& k = keys[(i * 7 + t * 13) % keys.size()];
        auto ct = k->Encrypt("x", "ad");
        if (!ct.ok() || !k->Decrypt(*ct, "ad").ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  // One more join sweeps whatever a race let in beyond the budget.
  auto last = NewKey(99);
  ASSERT_TRUE(last->Encrypt("x", "ad").ok());
  EXPECT_LE(AesGcmAead::PooledKeys(), others + 4);
}

TEST(Aead, RefusesKeysOfTheWrongSize) {
  EXPECT_FALSE(AesGcmAead::Create(SecretBytes(std::string(16, 'k')), 1).ok());
  EXPECT_FALSE(AesGcmAead::Create(SecretBytes(std::string(33, 'k')), 1).ok());
}

TEST(Aead, EveryTamperFailsToOpen) {
  auto aead = NewKey();
  std::mt19937 rng(42);
  for (int trial = 0; trial < 3000; ++trial) {
    std::string pt(rng() % 200, 'a' + trial % 26);
    auto ct = aead->Encrypt(pt, "tenant|entry|message");
    ASSERT_TRUE(ct.ok());
    std::string bad = *ct;
    switch (trial % 4) {
      case 0:  // flip one bit anywhere
        bad[rng() % bad.size()] ^= static_cast<char>(1 << (rng() % 8));
        break;
      case 1:  // truncate
        bad.resize(rng() % bad.size());
        break;
      case 2:  // extend
        bad.push_back(static_cast<char>(rng()));
        break;
      case 3:  // right ciphertext, other associated data
        EXPECT_FALSE(aead->Decrypt(bad, "tenant|entry|messagf").ok());
        continue;
    }
    EXPECT_FALSE(aead->Decrypt(bad, "tenant|entry|message").ok()) << "trial " << trial;
  }
}

TEST(Aead, AnotherKeyCannotOpen) {
  auto a = NewKey(1);
  auto b = NewKey(1);
  auto ct = a->Encrypt("secret", "");
  EXPECT_FALSE(b->Decrypt(*ct, "").ok());
}

TEST(Aead, NoncesDoNotRepeat) {
  auto aead = NewKey();
  std::set<std::string> nonces;
  for (int i = 0; i < 100000; ++i) {
    auto ct = aead->Encrypt("", "");
    nonces.insert(ct->substr(kEnvelopeHeaderSize, 12));
  }
  EXPECT_EQ(nonces.size(), 100000u);
}

TEST(Aead, NoncesComeFromTheBulkPoolNotOneDrawEach) {
  auto aead = NewKey();
  aead->Encrypt("", "").IgnoreError();
  uint64_t before = NonceSource::refills();
  for (int i = 0; i < 10000; ++i) aead->Encrypt("x", "").IgnoreError();
  // 4096-byte pool, 12-byte nonces: about 30 refills, not 10000.
  EXPECT_LE(NonceSource::refills() - before, 40u);
}

TEST(Aead, ParentAndChildNeverReuseANonceAfterFork) {
  auto aead = NewKey();
  aead->Encrypt("warm the pool", "").IgnoreError();  // the pool now holds unused bytes
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  constexpr int kCount = 200;
  if (pid == 0) {
    close(fds[0]);
    for (int i = 0; i < kCount; ++i) {
      auto ct = aead->Encrypt("", "");
      if (write(fds[1], ct->data() + kEnvelopeHeaderSize, 12) != 12) _exit(2);
    }
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  std::set<std::string> parent;
  for (int i = 0; i < kCount; ++i) {
    auto ct = aead->Encrypt("", "");
    parent.insert(ct->substr(kEnvelopeHeaderSize, 12));
  }
  std::string child_bytes;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof(buf))) > 0) child_bytes.append(buf, n);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_EQ(WEXITSTATUS(status), 0);
  ASSERT_EQ(child_bytes.size(), 12u * kCount);
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(parent.count(child_bytes.substr(12 * i, 12)), 0u) << "nonce reused across fork";
  }
}

TEST(Aead, EnvelopeKeyIdRefusesForeignBytes) {
  EXPECT_FALSE(EnvelopeKeyId("short").ok());
  EXPECT_FALSE(EnvelopeKeyId(std::string(40, '\x02')).ok());
}

}  // namespace
}  // namespace convault::crypto
