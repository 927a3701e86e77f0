#include "crypto/key_manager.h"

#include <map>
#include <set>
#include <thread>

#include "common/ids.h"
#include "common/status.h"
#include "crypto/file_key_provider.h"
#include "gtest/gtest.h"
#include "store/memory/memory_key_store.h"
#include "support/temp_dir.h"

namespace convault::crypto {
namespace {

// A key store whose batch writes fail while `fail_batches` says so.
class FailingBatchKeyStore final : public KeyStore {
 public:
  explicit FailingBatchKeyStore(KeyStore& real) : real_(real) {}
  bool fail_batches = false;

  absl::Status CheckReady() override { return real_.CheckReady(); }
  absl::Status PutWrappedKey(const WrappedKey& key) override { return real_.PutWrappedKey(key); }
  absl::Status PutWrappedKeys(const std::vector<WrappedKey>& keys) override {
    if (fail_batches) return absl::UnavailableError("the key store is down");
    return real_.PutWrappedKeys(keys);
  }
  absl::StatusOr<WrappedKey> GetWrappedKey(const KeyRef& ref, uint32_t version) override {
    return real_.GetWrappedKey(ref, version);
  }
  absl::StatusOr<std::vector<WrappedKey>> ListVersions(const KeyRef& ref) override {
    return real_.ListVersions(ref);
  }
  absl::StatusOr<int64_t> DeleteAllVersions(const KeyRef& ref) override {
    return real_.DeleteAllVersions(ref);
  }
  absl::StatusOr<int64_t> ReserveSeals(const KeyRef& ref, uint32_t version, int64_t count,
                                       int64_t limit) override {
    return real_.ReserveSeals(ref, version, count, limit);
  }
  absl::StatusOr<int64_t> CountWrappedKeys(std::string_view tenant_id) override {
    return real_.CountWrappedKeys(tenant_id);
  }
  absl::StatusOr<std::map<uint32_t, int64_t>> CountByKekVersion() override {
    return real_.CountByKekVersion();
  }
  absl::StatusOr<std::vector<WrappedKey>> ListWrappedBelow(uint32_t kek_version,
                                                           int limit) override {
    return real_.ListWrappedBelow(kek_version, limit);
  }
  absl::Status Rewrap(const KeyRef& ref, uint32_t version, uint32_t expected_kek, uint32_t new_kek,
                      std::string_view new_wrapped) override {
    return real_.Rewrap(ref, version, expected_kek, new_kek, new_wrapped);
  }
  absl::Status PutKekVersion(const KekVersionRecord& record) override {
    return real_.PutKekVersion(record);
  }
  absl::StatusOr<std::vector<KekVersionRecord>> ListKekVersions() override {
    return real_.ListKekVersions();
  }
  void Close() override { real_.Close(); }

 private:
  KeyStore& real_;
};

class KeyManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto p = FileKeyProvider::Open(dir_.File("kek"));
    ASSERT_TRUE(p.ok());
    provider_ = std::move(*p);
  }
  std::unique_ptr<KeyManager> Manager(KeyManagerOptions options = {}) {
    return std::make_unique<KeyManager>(*provider_, store_, clock_, options);
  }
  static KeyRef Subject(std::string_view tenant, std::string_view subject) {
    return KeyRef{tenant, WrappedKeyKind::kSubjectDek, subject};
  }

  testing::TempDir dir_;
  std::unique_ptr<FileKeyProvider> provider_;
  MemoryKeyStore store_;
  FakeClock clock_;
};

TEST_F(KeyManagerTest, SealsUnderASubjectKeyCreatedOnFirstUse) {
  auto keys = Manager();
  auto ct = keys->Seal({"ten_a", "eu_1"}, "Jane Canary", "ad");
  ASSERT_TRUE(ct.ok()) << ct.status();
  EXPECT_EQ(*EnvelopeKeyId(*ct), 1u);
  EXPECT_EQ(*keys->Open({"ten_a", "eu_1"}, *ct, "ad"), "Jane Canary");
  auto stored = store_.GetWrappedKey(Subject("ten_a", "eu_1"), 1);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->kek_version, 1u);
  EXPECT_EQ(stored->wrapped.size(), 32u + kEnvelopeOverhead);
  // A fresh manager (another process, after a restart) opens it from the key store.
  EXPECT_EQ(*Manager()->Open({"ten_a", "eu_1"}, *ct, "ad"), "Jane Canary");
}

TEST_F(KeyManagerTest, NewSubjectsComeWithDurableKeysPreparedInBatches) {
  KeyManagerOptions options;
  options.subject_batch = 4;
  auto keys = Manager(options);
  SequentialIdGenerator ids;
  std::set<std::string> seen;
  std::vector<std::string> handed;
  std::vector<std::string> sealed;
  for (int i = 0; i < 6; ++i) {
    auto id = keys->NewSubject("ten_a", ids, "eu");
    ASSERT_TRUE(id.ok()) << id.status();
    EXPECT_TRUE(IsWellFormedId(*id, "eu")) << *id;
    EXPECT_TRUE(seen.insert(*id).second);
    handed.push_back(*id);
    // The first batch is one key-store write of 4 keys; the third subject
    // found half a batch left and prepared the next 4 ahead of need.
    EXPECT_EQ(*store_.CountWrappedKeys("ten_a"), i < 2 ? 4 : 8);
    // Its key is already stored: sealing adds no row.
    sealed.push_back(*keys->Seal({"ten_a", *id}, "Jane Canary " + *id, "ad"));
    EXPECT_EQ(*store_.CountWrappedKeys("ten_a"), i < 2 ? 4 : 8);
  }
  // Handed out in the order the ids were made, across batches.
  EXPECT_EQ(handed, std::vector<std::string>(seen.begin(), seen.end()));
  EXPECT_EQ(handed.front(), "eu_000001");
  // Another process opens them from the key store; other tenants have their own.
  auto restarted = Manager(options);
  int i = 0;
  for (const std::string& id : seen) {
    EXPECT_EQ(*restarted->Open({"ten_a", id}, sealed[i++], "ad"), "Jane Canary " + id);
  }
  auto other = keys->NewSubject("ten_b", ids, "eu");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(*store_.CountWrappedKeys("ten_b"), 4);
  EXPECT_FALSE(keys->Open({"ten_b", *other}, sealed[0], "ad").ok());
}

TEST_F(KeyManagerTest, ConcurrentNewSubjectsAreDistinctAndDurable) {
  KeyManagerOptions options;
  options.subject_batch = 8;
  auto keys = Manager(options);
  RandomIdGenerator ids(clock_);
  constexpr int kThreads = 8;
  constexpr int kEach = 40;
  std::vector<std::vector<std::string>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto id = keys->NewSubject(t % 2 == 0 ? "ten_a" : "ten_b", ids, "eu");
        if (id.ok()) made[t].push_back(*id);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::string> all;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(made[t].size(), static_cast<size_t>(kEach));
    for (const std::string& id : made[t]) {
      EXPECT_TRUE(all.insert(id).second) << id;
      // Durable before it was handed out: the key store has it.
      EXPECT_TRUE(store_.GetWrappedKey(Subject(t % 2 == 0 ? "ten_a" : "ten_b", id), 1).ok()) << id;
    }
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  // Whole batches only, at most one prepared ahead per tenant.
  for (const char* tenant : {"ten_a", "ten_b"}) {
    int64_t stored = *store_.CountWrappedKeys(tenant);
    EXPECT_EQ(stored % 8, 0);
    EXPECT_GE(stored, kThreads / 2 * kEach);
    EXPECT_LE(stored, kThreads / 2 * kEach + 2 * 8);
  }
}

TEST_F(KeyManagerTest, ANewSubjectWaitsForNoFailedBatchAndTheNextCallPreparesAgain) {
  FailingBatchKeyStore flaky(store_);
  KeyManagerOptions options;
  options.subject_batch = 4;
  KeyManager keys(*provider_, flaky, clock_, options);
  SequentialIdGenerator ids;
  flaky.fail_batches = true;
  auto failed = keys.NewSubject("ten_a", ids, "eu");
  EXPECT_TRUE(absl::IsUnavailable(failed.status())) << failed.status();
  EXPECT_EQ(*store_.CountWrappedKeys("ten_a"), 0);
  flaky.fail_batches = false;
  auto first = keys.NewSubject("ten_a", ids, "eu");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(store_.GetWrappedKey(Subject("ten_a", *first), 1).ok());
  // A failed preparation ahead of need costs nobody their subject: the
  // pool still has what was left.
  flaky.fail_batches = true;
  for (int i = 0; i < 3; ++i) {
    auto id = keys.NewSubject("ten_a", ids, "eu");
    ASSERT_TRUE(id.ok()) << i << ": " << id.status();
    EXPECT_TRUE(store_.GetWrappedKey(Subject("ten_a", *id), 1).ok());
  }
  EXPECT_TRUE(absl::IsUnavailable(keys.NewSubject("ten_a", ids, "eu").status()));
  flaky.fail_batches = false;
  EXPECT_TRUE(keys.NewSubject("ten_a", ids, "eu").ok());
  EXPECT_EQ(*store_.CountWrappedKeys("ten_a"), 8);
}

TEST_F(KeyManagerTest, SubjectsAndTenantsHaveTheirOwnKeys) {
  auto keys = Manager();
  std::string a = *keys->Seal({"ten_a", "eu_1"}, "x", "ad");
  EXPECT_FALSE(keys->Open({"ten_a", "eu_2"}, a, "ad").ok());
  EXPECT_FALSE(keys->Open({"ten_b", "eu_1"}, a, "ad").ok());
  EXPECT_FALSE(keys->Open({"ten_a", ""}, a, "ad").ok());
  std::string t = *keys->Seal({"ten_a", ""}, "credential", "ad");
  EXPECT_EQ(*keys->Open({"ten_a", ""}, t, "ad"), "credential");
  EXPECT_EQ(*store_.CountWrappedKeys("ten_a"), 2);
}

TEST_F(KeyManagerTest, DestroyedSubjectKeyGivesKeyDestroyedEverywhere) {
  auto keys = Manager();
  std::string mine = *keys->Seal({"ten_a", "eu_1"}, "mine", "ad");
  std::string other = *keys->Seal({"ten_a", "eu_2"}, "other", "ad");
  ASSERT_TRUE(keys->Open({"ten_a", "eu_1"}, mine, "ad").ok());  // warm the cache
  auto destroyed = keys->DestroySubjectKeys("ten_a", "eu_1");
  ASSERT_TRUE(destroyed.ok());
  EXPECT_EQ(*destroyed, 1);
  auto restarted = Manager();
  for (KeyManager* m : {keys.get(), restarted.get()}) {
    auto opened = m->Open({"ten_a", "eu_1"}, mine, "ad");
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(ErrorCode(opened.status()), "key_destroyed");
    EXPECT_EQ(*m->Open({"ten_a", "eu_2"}, other, "ad"), "other");
  }
  EXPECT_TRUE(store_.ListVersions(Subject("ten_a", "eu_1"))->empty());
  // A new message from the same person later gets a new key, not the old one.
  std::string fresh = *keys->Seal({"ten_a", "eu_1"}, "new", "ad");
  EXPECT_EQ(*keys->Open({"ten_a", "eu_1"}, fresh, "ad"), "new");
  EXPECT_FALSE(keys->Open({"ten_a", "eu_1"}, mine, "ad").ok());
}

TEST_F(KeyManagerTest, ScopedOpenerOpensEveryVersionOfItsScopeOnly) {
  KeyManagerOptions options;
  options.max_seals_per_key = 4;
  options.seal_reservation = 2;
  auto keys = Manager(options);
  std::vector<std::string> sealed;
  for (int i = 0; i < 9; ++i) {
    sealed.push_back(*keys->Seal({"ten_a", "eu_1"}, "m" + std::to_string(i), "ad"));
  }
  ASSERT_GT(*EnvelopeKeyId(sealed.back()), 1u);  // several key versions
  auto opener = keys->OpenerFor({"ten_a", "eu_1"});
  for (int i = 0; i < 9; ++i) {  // versions in order, then back to the first
    EXPECT_EQ(*opener.Open(sealed[i], "ad"), "m" + std::to_string(i));
  }
  EXPECT_EQ(*opener.Open(sealed[0], "ad"), "m0");
  EXPECT_FALSE(opener.Open(sealed[0], "other ad").ok());
  EXPECT_FALSE(opener.Open("not an envelope", "ad").ok());
  // Another subject's ciphertext does not open under this scope.
  std::string other = *keys->Seal({"ten_a", "eu_2"}, "other", "ad");
  EXPECT_FALSE(opener.Open(other, "ad").ok());
  // After erasure, a new opener (the next page) meets key_destroyed.
  ASSERT_TRUE(keys->DestroySubjectKeys("ten_a", "eu_1").ok());
  auto after = keys->OpenerFor({"ten_a", "eu_1"});
  auto opened = after.Open(sealed[0], "ad");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(ErrorCode(opened.status()), "key_destroyed");
}

TEST_F(KeyManagerTest, RotatesTheDataKeyBeforeItsSealLimit) {
  KeyManagerOptions options;
  options.max_seals_per_key = 10;
  options.seal_reservation = 4;
  auto keys = Manager(options);
  std::vector<std::string> sealed;
  for (int i = 0; i < 25; ++i) sealed.push_back(*keys->Seal({"ten_a", "eu_1"}, "m", "ad"));
  EXPECT_EQ(*EnvelopeKeyId(sealed[0]), 1u);
  // Seals are reserved in blocks of 4, so each version gives 8 of its 10.
  EXPECT_EQ(*EnvelopeKeyId(sealed[24]), 4u);
  std::map<uint32_t, int> per_version;
  for (const auto& ct : sealed) {
    ++per_version[*EnvelopeKeyId(ct)];
    EXPECT_TRUE(keys->Open({"ten_a", "eu_1"}, ct, "ad").ok());
  }
  EXPECT_LE(per_version[1], 10);
  EXPECT_LE(per_version[2], 10);
  auto versions = store_.ListVersions(Subject("ten_a", "eu_1"));
  ASSERT_TRUE(versions.ok());
  for (const auto& w : *versions) {
    EXPECT_LE(w.seals_reserved, 10);
  }
}

TEST_F(KeyManagerTest, SealCountsSurviveARestart) {
  KeyManagerOptions options;
  options.max_seals_per_key = 10;
  options.seal_reservation = 4;
  int64_t total = 0;
  for (int restart = 0; restart < 5; ++restart) {
    auto keys = Manager(options);  // each "process" reserves afresh from the key store
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(keys->Seal({"ten_a", "eu_1"}, "m", "ad").ok());
      ++total;
    }
  }
  auto versions = *store_.ListVersions(Subject("ten_a", "eu_1"));
  ASSERT_GE(versions.size(), 2u);  // 15 seals cannot fit under one key of 10
  for (const auto& w : versions) EXPECT_LE(w.seals_reserved, 10);
}

TEST_F(KeyManagerTest, CacheExpiresOnTheInjectedClockAndStaysBounded) {
  KeyManagerOptions options;
  options.cache_capacity = 3;
  options.cache_ttl = absl::Minutes(5);
  auto writer = Manager(options);
  std::vector<std::string> sealed;
  for (int i = 0; i < 10; ++i) {
    sealed.push_back(*writer->Seal({"ten_a", "eu_" + std::to_string(i)}, "m", "ad"));
  }
  EXPECT_LE(writer->cached_keys(), 6u);

  auto reader = Manager(options);
  ASSERT_TRUE(reader->Open({"ten_a", "eu_9"}, sealed[9], "ad").ok());
  ASSERT_TRUE(reader->Open({"ten_a", "eu_9"}, sealed[9], "ad").ok());
  uint64_t misses = reader->cache_misses();
  EXPECT_EQ(reader->cache_hits(), 1u);
  clock_.Advance(absl::Minutes(6));
  ASSERT_TRUE(reader->Open({"ten_a", "eu_9"}, sealed[9], "ad").ok());
  EXPECT_EQ(reader->cache_misses(), misses + 1);
}

TEST_F(KeyManagerTest, ConcurrentSealsOfOneNewSubjectAgreeOnOneKey) {
  auto keys = Manager();
  std::vector<std::thread> threads;
  std::vector<std::string> sealed(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] { sealed[t] = *keys->Seal({"ten_a", "eu_new"}, "m", "ad"); });
  }
  for (auto& t : threads) t.join();
  auto other = Manager();
  for (const auto& ct : sealed) EXPECT_EQ(*other->Open({"ten_a", "eu_new"}, ct, "ad"), "m");
  EXPECT_EQ(store_.ListVersions(Subject("ten_a", "eu_new"))->size(), 1u);
}

TEST_F(KeyManagerTest, TenantIndexKeyIsStablePerTenant) {
  auto a1 = Manager()->TenantIndexKey("ten_a");
  auto a2 = Manager()->TenantIndexKey("ten_a");
  auto b = Manager()->TenantIndexKey("ten_b");
  ASSERT_TRUE(a1.ok() && a2.ok() && b.ok());
  EXPECT_EQ(a1->size(), 32u);
  EXPECT_EQ(a1->Reveal(), a2->Reveal());
  EXPECT_NE(a1->Reveal(), b->Reveal());
}

}  // namespace
}  // namespace convault::crypto
