#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/node_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/secret.h"
#include "crypto/aead.h"
#include "crypto/key_cache.h"
#include "crypto/key_provider.h"
#include "store/key_store.h"

namespace convault::crypto {

// Whose key: the subject's DEK when subject_id is set, else the tenant DEK.
struct KeyScope {
  std::string_view tenant_id;
  std::string_view subject_id;
};

struct KeyManagerOptions {
  size_t cache_capacity = 100000;  // unwrapped keys held at most
  absl::Duration cache_ttl = absl::Minutes(10);
  int64_t max_seals_per_key = int64_t{1} << 31;  // a DEK is replaced before this many
  int64_t seal_reservation = 4096;               // seals reserved in keys.db per round trip
  int subject_batch = 64;  // subject DEKs prepared per key-store write (NewSubject)
};

// The key hierarchy (docs/keys.md): KEK versions in the provider; per tenant
// a DEK and an index key; per subject (end user) a DEK. Data keys are random
// 256-bit keys, wrapped by the current KEK and kept in the key store; the
// unwrapped ones live in a bounded cache with a TTL.
//
// Seal counting: each sealing key reserves seals in the key store in blocks,
// so the count survives restarts; when a key would pass max_seals_per_key a
// new version of it is created and used from then on (old versions still open).
//
// DestroySubjectKeys removes every version of a subject's DEK from the key
// store and from this node's cache; afterwards Open of that subject's data
// fails with FailedPrecondition, code "key_destroyed".
// Thread safety: all methods may be called concurrently.
class KeyManager {
 public:
  // All references must outlive the manager.
  KeyManager(KeyProvider& provider, KeyStore& store, Clock& clock, KeyManagerOptions options = {});

  absl::StatusOr<std::string> Seal(const KeyScope& scope, std::string_view plaintext,
                                   std::string_view associated_data);
  absl::StatusOr<std::string> Open(const KeyScope& scope, std::string_view envelope,
                                   std::string_view associated_data);

  // Opens many envelopes of one scope (the fields of one page of a subject's
  // rows): the key of each version is looked up in the cache once, then held
  // for the opener's life, so keep it short-lived. Not thread-safe: one per
  // thread. The manager must outlive it.
  class ScopedOpener {
   public:
    absl::StatusOr<std::string> Open(std::string_view envelope, std::string_view associated_data);
    const std::string& tenant_id() const { return tenant_id_; }
    const std::string& subject_id() const { return subject_id_; }

   private:
    friend class KeyManager;
    ScopedOpener(KeyManager& keys, const KeyScope& scope)
        : keys_(keys), tenant_id_(scope.tenant_id), subject_id_(scope.subject_id) {}
    KeyManager& keys_;
    std::string tenant_id_;
    std::string subject_id_;
    uint32_t version_ = 0;
    std::shared_ptr<const AesGcmAead> aead_;
  };
  ScopedOpener OpenerFor(const KeyScope& scope) { return ScopedOpener(*this, scope); }

  // A new subject id (`prefix` then an id from `ids`) whose DEK version 1 is
  // already durable in the key store, so that sealing the subject's first
  // fields does not wait for a key-store write of its own. Subjects are
  // prepared per tenant in batches of options.subject_batch, one key-store
  // write per batch. A prepared subject that is never handed out (the process
  // stops first) leaves a wrapped key that no data uses (docs/keys.md).
  absl::StatusOr<std::string> NewSubject(std::string_view tenant_id, IdGenerator& ids,
                                         std::string_view prefix);

  // The tenant's blind-index root key, created on first use.
  absl::StatusOr<SecretBytes> TenantIndexKey(std::string_view tenant_id);

  // Returns how many key versions were destroyed (0 when none existed).
  absl::StatusOr<int64_t> DestroySubjectKeys(std::string_view tenant_id,
                                             std::string_view subject_id);

  uint64_t cache_hits() { return open_cache_.hits(); }
  uint64_t cache_misses() { return open_cache_.misses(); }
  size_t cached_keys() { return open_cache_.size() + current_cache_.size(); }

 private:
  // The key new data of one scope is sealed with, and its remaining budget.
  struct SealingKey {
    uint32_t version;
    std::shared_ptr<const AesGcmAead> aead;
    std::atomic<int64_t> budget{0};
    absl::Mutex refill_mu;
    bool retired = false;  // guarded by refill_mu: a newer version replaced it
  };

  struct PreparedSubject {
    std::string subject_id;
    std::shared_ptr<SealingKey> key;
  };

  absl::StatusOr<std::shared_ptr<SealingKey>> Current(const KeyRef& ref);
  absl::StatusOr<std::vector<PreparedSubject>> PrepareSubjects(std::string_view tenant_id,
                                                               IdGenerator& ids,
                                                               std::string_view prefix);
  absl::StatusOr<std::shared_ptr<SealingKey>> NewVersion(const KeyRef& ref, uint32_t version);
  absl::Status Refill(const KeyRef& ref, SealingKey& key);
  absl::StatusOr<std::shared_ptr<const AesGcmAead>> ForOpen(const KeyRef& ref, uint32_t version);
  absl::StatusOr<std::shared_ptr<const AesGcmAead>> Unwrap(const WrappedKey& wrapped);

  KeyProvider& provider_;
  KeyStore& store_;
  Clock& clock_;
  const KeyManagerOptions options_;
  KeyCache<const AesGcmAead> open_cache_;
  KeyCache<SealingKey> current_cache_;
  // Prepared subjects of one "tenant \x1f prefix", handed out from the back.
  // When half a batch is left, one caller prepares the next batch outside the
  // lock (wrapping and the key-store write) while the others go on taking;
  // only a caller that finds the pool empty waits for it.
  struct SubjectPool {
    std::vector<PreparedSubject> ready;
    bool refilling = false;
  };
  absl::Mutex pool_mu_;
  // Node-based: a waiting caller keeps a pointer to its pool while others add theirs.
  absl::node_hash_map<std::string, SubjectPool> pool_ ABSL_GUARDED_BY(pool_mu_);
};

// "tenant|kind|subject|" with length prefixes, so that no two distinct
// tuples collide.
std::string KeyRefString(const KeyRef& ref);

// The context a data key is wrapped with: its identity, so that a wrapped
// key copied to another row does not unwrap.
std::string DataKeyWrapContext(const KeyRef& ref, uint32_t version);

}  // namespace convault::crypto
