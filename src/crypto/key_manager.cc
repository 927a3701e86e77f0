#include "crypto/key_manager.h"

#include <algorithm>
#include <iterator>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/strings.h"
#include "crypto/random.h"

namespace convault::crypto {
namespace {

void AppendPart(std::string& out, std::string_view part) {
  absl::StrAppend(&out, part.size(), ":", Sv(part), "|");
}

void AppendKeyRef(std::string& out, const KeyRef& ref) {
  AppendPart(out, ref.tenant_id);
  absl::StrAppend(&out, static_cast<int>(ref.kind), "|");
  AppendPart(out, ref.subject_id);
}

// Cache names: "tenant \x1f kind subject \x1e [version, 4 bytes]". Ids hold
// no control characters, so names cannot collide, and the scope part is a
// prefix of exactly that scope's entries. Built in a per-thread buffer
// without number formatting: this runs for every sealed field.
void AppendScopeName(std::string& out, const KeyRef& ref) {
  out.append(ref.tenant_id);
  out.push_back('\x1f');
  out.push_back(static_cast<char>('0' + static_cast<int>(ref.kind)));
  out.append(ref.subject_id);
  out.push_back('\x1e');
}

std::string ScopeName(const KeyRef& ref) {
  std::string out;
  AppendScopeName(out, ref);
  return out;
}

void AppendVersion(std::string& out, uint32_t version) {
  char bytes[4] = {static_cast<char>(version >> 24), static_cast<char>(version >> 16),
                   static_cast<char>(version >> 8), static_cast<char>(version)};
  out.append(bytes, 4);
}

std::string VersionName(const KeyRef& ref, uint32_t version) {
  std::string out = ScopeName(ref);
  AppendVersion(out, version);
  return out;
}

const std::string& ThreadScopeName(const KeyRef& ref) {
  thread_local std::string name;
  name.clear();
  AppendScopeName(name, ref);
  return name;
}

const std::string& ThreadVersionName(const KeyRef& ref, uint32_t version) {
  thread_local std::string name;
  name.clear();
  AppendScopeName(name, ref);
  AppendVersion(name, version);
  return name;
}

// The data key fields of this scope are sealed with: the subject's, or the
// tenant's for tenant data.
KeyRef DekRef(std::string_view tenant_id, std::string_view subject_id) {
  return {tenant_id, subject_id.empty() ? WrappedKeyKind::kTenantDek : WrappedKeyKind::kSubjectDek,
          subject_id};
}

absl::Status KeyDestroyed() {
  return WithCode(absl::FailedPreconditionError("the data key was destroyed"), "key_destroyed");
}

}  // namespace

std::string KeyRefString(const KeyRef& ref) {
  std::string out;
  AppendKeyRef(out, ref);
  return out;
}

std::string DataKeyWrapContext(const KeyRef& ref, uint32_t version) {
  return absl::StrCat(KeyRefString(ref), version);
}

KeyManager::KeyManager(KeyProvider& provider, KeyStore& store, Clock& clock,
                       KeyManagerOptions options)
    : provider_(provider),
      store_(store),
      clock_(clock),
      options_(options),
      open_cache_(options.cache_capacity, options.cache_ttl, clock),
      current_cache_(options.cache_capacity, options.cache_ttl, clock) {}

absl::StatusOr<std::shared_ptr<const AesGcmAead>> KeyManager::Unwrap(const WrappedKey& w) {
  KeyRef ref{w.tenant_id, w.kind, w.subject_id};
  auto key = provider_.Unwrap(w.kek_version, w.wrapped, DataKeyWrapContext(ref, w.version));
  if (!key.ok()) return key.status();
  auto aead = AesGcmAead::Create(std::move(*key), w.version);
  if (!aead.ok()) return aead.status();
  return std::shared_ptr<const AesGcmAead>(std::move(*aead));
}

absl::StatusOr<std::shared_ptr<KeyManager::SealingKey>> KeyManager::NewVersion(const KeyRef& ref,
                                                                               uint32_t version) {
  auto kek_versions = provider_.Versions();
  if (!kek_versions.ok()) return kek_versions.status();
  if (kek_versions->empty()) return absl::FailedPreconditionError("the key provider has no KEK");
  auto dek = SecureRandomBytes(32);
  if (!dek.ok()) return dek.status();
  WrappedKey w;
  w.tenant_id = std::string(ref.tenant_id);
  w.kind = ref.kind;
  w.subject_id = std::string(ref.subject_id);
  w.version = version;
  w.kek_version = kek_versions->back();
  w.seals_reserved = options_.seal_reservation;
  w.created_at = clock_.Now();
  auto wrapped = provider_.Wrap(w.kek_version, *dek, DataKeyWrapContext(ref, version));
  if (!wrapped.ok()) return wrapped.status();
  w.wrapped = std::move(*wrapped);
  CV_RETURN_IF_ERROR(store_.PutWrappedKey(w));
  auto aead = AesGcmAead::Create(std::move(*dek), version);
  if (!aead.ok()) return aead.status();
  auto key = std::make_shared<SealingKey>();
  key->version = version;
  key->aead = std::shared_ptr<const AesGcmAead>(std::move(*aead));
  key->budget.store(options_.seal_reservation);
  open_cache_.Put(VersionName(ref, version), key->aead);
  return key;
}

absl::StatusOr<std::vector<KeyManager::PreparedSubject>> KeyManager::PrepareSubjects(
    std::string_view tenant_id, IdGenerator& ids, std::string_view prefix) {
  auto kek_versions = provider_.Versions();
  if (!kek_versions.ok()) return kek_versions.status();
  if (kek_versions->empty()) return absl::FailedPreconditionError("the key provider has no KEK");
  const uint32_t kek = kek_versions->back();
  const size_t n = static_cast<size_t>(std::max(1, options_.subject_batch));
  // One draw from the CSPRNG for the whole batch.
  auto random = SecureRandomBytes(32 * n);
  if (!random.ok()) return random.status();
  std::vector<PreparedSubject> prepared;
  std::vector<WrappedKey> rows;
  prepared.reserve(n);
  rows.reserve(n);
  absl::Time now = clock_.Now();
  for (size_t i = 0; i < n; ++i) {
    SecretBytes dek(random->Reveal().substr(32 * i, 32));
    PreparedSubject p;
    p.subject_id = ids.NewId(prefix);
    KeyRef ref{tenant_id, WrappedKeyKind::kSubjectDek, p.subject_id};
    WrappedKey w;
    w.tenant_id = std::string(tenant_id);
    w.kind = WrappedKeyKind::kSubjectDek;
    w.subject_id = p.subject_id;
    w.version = 1;
    w.kek_version = kek;
    w.seals_reserved = options_.seal_reservation;
    w.created_at = now;
    auto wrapped = provider_.Wrap(kek, dek, DataKeyWrapContext(ref, 1));
    if (!wrapped.ok()) return wrapped.status();
    w.wrapped = std::move(*wrapped);
    auto aead = AesGcmAead::Create(std::move(dek), 1);
    if (!aead.ok()) return aead.status();
    p.key = std::make_shared<SealingKey>();
    p.key->version = 1;
    p.key->aead = std::shared_ptr<const AesGcmAead>(std::move(*aead));
    p.key->budget.store(options_.seal_reservation);
    rows.push_back(std::move(w));
    prepared.push_back(std::move(p));
  }
  CV_RETURN_IF_ERROR(store_.PutWrappedKeys(rows));
  return prepared;
}

absl::StatusOr<std::string> KeyManager::NewSubject(std::string_view tenant_id, IdGenerator& ids,
                                                   std::string_view prefix) {
  const std::string name = absl::StrCat(Sv(tenant_id), "\x1f", Sv(prefix));
  const size_t low_water = static_cast<size_t>(std::max(1, options_.subject_batch)) / 2;
  std::optional<PreparedSubject> taken;
  absl::Status failed = absl::OkStatus();
  while (!taken.has_value()) {
    bool refill = false;
    {
      absl::MutexLock lock(&pool_mu_);
      SubjectPool* pool = &pool_[name];
      // Empty while another caller prepares the next batch: wait for it.
      pool_mu_.Await(absl::Condition(
          +[](SubjectPool* p) { return !p->ready.empty() || !p->refilling; }, pool));
      if (pool->ready.empty() && !failed.ok()) return failed;  // this caller's own refill
      if (!pool->refilling && pool->ready.size() <= low_water) {
        pool->refilling = true;
        refill = true;
      }
      if (!pool->ready.empty()) {
        taken = std::move(pool->ready.back());
        pool->ready.pop_back();
      }
    }
    if (!refill) continue;
    auto batch = PrepareSubjects(tenant_id, ids, prefix);
    absl::MutexLock lock(&pool_mu_);
    SubjectPool& pool = pool_[name];
    pool.refilling = false;
    if (!batch.ok()) {
      failed = batch.status();
      continue;
    }
    // Handed out in the order the ids were made, after what is left (the
    // last one first would work too, but in order keeps new rows together
    // in the store).
    pool.ready.insert(pool.ready.begin(), std::make_move_iterator(batch->rbegin()),
                      std::make_move_iterator(batch->rend()));
  }
  KeyRef ref{tenant_id, WrappedKeyKind::kSubjectDek, taken->subject_id};
  open_cache_.Put(VersionName(ref, 1), taken->key->aead);
  current_cache_.Put(ScopeName(ref), taken->key);
  return std::move(taken->subject_id);
}

absl::StatusOr<std::shared_ptr<KeyManager::SealingKey>> KeyManager::Current(const KeyRef& ref) {
  if (auto cached = current_cache_.Get(ThreadScopeName(ref))) return cached;
  std::string name = ScopeName(ref);
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto versions = store_.ListVersions(ref);
    if (!versions.ok()) return versions.status();
    absl::StatusOr<std::shared_ptr<SealingKey>> key;
    if (versions->empty()) {
      key = NewVersion(ref, 1);
    } else {
      const WrappedKey& latest = versions->back();
      auto aead = Unwrap(latest);
      if (!aead.ok()) return aead.status();
      auto loaded = std::make_shared<SealingKey>();
      loaded->version = latest.version;
      loaded->aead = std::move(*aead);
      absl::Status s = Refill(ref, *loaded);
      if (s.ok()) {
        key = loaded;
      } else if (absl::IsResourceExhausted(s)) {
        key = NewVersion(ref, latest.version + 1);
      } else {
        return s;
      }
    }
    // Another thread or process created the same version first: load again.
    if (!key.ok() && absl::IsAlreadyExists(key.status())) continue;
    if (!key.ok()) return key.status();
    current_cache_.Put(name, *key);
    return key;
  }
  return absl::AbortedError("concurrent key creation did not settle");
}

absl::Status KeyManager::Refill(const KeyRef& ref, SealingKey& key) {
  auto total =
      store_.ReserveSeals(ref, key.version, options_.seal_reservation, options_.max_seals_per_key);
  if (!total.ok()) return total.status();
  key.budget.fetch_add(options_.seal_reservation);
  return absl::OkStatus();
}

absl::StatusOr<std::string> KeyManager::Seal(const KeyScope& scope, std::string_view plaintext,
                                             std::string_view associated_data) {
  KeyRef ref = DekRef(scope.tenant_id, scope.subject_id);
  for (int attempt = 0; attempt < 4; ++attempt) {
    CV_ASSIGN_OR_RETURN(std::shared_ptr<SealingKey> key, Current(ref));
    if (key->budget.fetch_sub(1) > 0) return key->aead->Encrypt(plaintext, associated_data);
    // Out of reserved seals: reserve more, or move to a new version.
    absl::MutexLock lock(&key->refill_mu);
    if (key->retired) continue;
    if (key->budget.load() > 0) continue;
    absl::Status s = Refill(ref, *key);
    if (s.ok()) continue;
    if (!absl::IsResourceExhausted(s)) return s;
    auto next = NewVersion(ref, key->version + 1);
    if (!next.ok() && !absl::IsAlreadyExists(next.status())) return next.status();
    key->retired = true;
    if (next.ok()) {
      current_cache_.Put(ScopeName(ref), *next);
    } else {
      current_cache_.EraseByPrefix(ScopeName(ref));
    }
  }
  return absl::UnavailableError("could not obtain a sealing key");
}

absl::StatusOr<std::shared_ptr<const AesGcmAead>> KeyManager::ForOpen(const KeyRef& ref,
                                                                      uint32_t version) {
  if (auto cached = open_cache_.Get(ThreadVersionName(ref, version))) return cached;
  std::string name = VersionName(ref, version);
  auto wrapped = store_.GetWrappedKey(ref, version);
  if (absl::IsNotFound(wrapped.status())) return KeyDestroyed();
  if (!wrapped.ok()) return wrapped.status();
  auto aead = Unwrap(*wrapped);
  if (!aead.ok()) return aead.status();
  open_cache_.Put(name, *aead);
  return aead;
}

absl::StatusOr<std::string> KeyManager::Open(const KeyScope& scope, std::string_view envelope,
                                             std::string_view associated_data) {
  auto version = EnvelopeKeyId(envelope);
  if (!version.ok()) return absl::InvalidArgumentError("ciphertext does not open");
  KeyRef ref = DekRef(scope.tenant_id, scope.subject_id);
  CV_ASSIGN_OR_RETURN(std::shared_ptr<const AesGcmAead> aead, ForOpen(ref, *version));
  return aead->Decrypt(envelope, associated_data);
}

absl::StatusOr<std::string> KeyManager::ScopedOpener::Open(std::string_view envelope,
                                                           std::string_view associated_data) {
  auto version = EnvelopeKeyId(envelope);
  if (!version.ok()) return absl::InvalidArgumentError("ciphertext does not open");
  if (aead_ == nullptr || *version != version_) {
    CV_ASSIGN_OR_RETURN(aead_, keys_.ForOpen(DekRef(tenant_id_, subject_id_), *version));
    version_ = *version;
  }
  return aead_->Decrypt(envelope, associated_data);
}

absl::StatusOr<SecretBytes> KeyManager::TenantIndexKey(std::string_view tenant_id) {
  KeyRef ref{tenant_id, WrappedKeyKind::kTenantIndexKey, ""};
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto wrapped = store_.GetWrappedKey(ref, 1);
    if (wrapped.ok()) {
      return provider_.Unwrap(wrapped->kek_version, wrapped->wrapped, DataKeyWrapContext(ref, 1));
    }
    if (!absl::IsNotFound(wrapped.status())) return wrapped.status();
    auto created = NewVersion(ref, 1);
    if (!created.ok() && !absl::IsAlreadyExists(created.status())) return created.status();
  }
  return absl::UnavailableError("could not obtain the index key");
}

absl::StatusOr<int64_t> KeyManager::DestroySubjectKeys(std::string_view tenant_id,
                                                       std::string_view subject_id) {
  if (subject_id.empty()) return absl::InvalidArgumentError("a subject id is required");
  KeyRef ref{tenant_id, WrappedKeyKind::kSubjectDek, subject_id};
  auto deleted = store_.DeleteAllVersions(ref);
  if (!deleted.ok()) return deleted.status();
  std::string prefix = ScopeName(ref);
  current_cache_.EraseByPrefix(prefix);
  open_cache_.EraseByPrefix(prefix);
  return deleted;
}

}  // namespace convault::crypto
