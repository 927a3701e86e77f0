#include "crypto/kek_rotator.h"

#include <set>

#include "common/log.h"
#include "common/status.h"
#include "crypto/key_manager.h"

namespace convault::crypto {

std::string_view KekStateName(KekState state) {
  switch (state) {
    case KekState::kActive:
      return "active";
    case KekState::kRetiring:
      return "retiring";
    case KekState::kDestroyed:
      return "destroyed";
  }
  return "unknown";
}

KekRotator::KekRotator(KeyProvider& provider, KeyStore& store, Clock& clock,
                       KekRotatorOptions options)
    : provider_(provider), store_(store), clock_(clock), options_(options) {}

absl::StatusOr<uint32_t> KekRotator::CurrentVersion() {
  auto versions = provider_.Versions();
  if (!versions.ok()) return versions.status();
  if (versions->empty()) return absl::FailedPreconditionError("the key provider has no KEK");
  return versions->back();
}

absl::Status KekRotator::Sync() {
  auto versions = provider_.Versions();
  if (!versions.ok()) return versions.status();
  auto records = store_.ListKekVersions();
  if (!records.ok()) return records.status();
  std::map<uint32_t, KekVersionRecord> known;
  for (const auto& r : *records) known[r.version] = r;
  std::set<uint32_t> present(versions->begin(), versions->end());
  absl::Time now = clock_.Now();
  for (uint32_t v : *versions) {
    KekState want = v == versions->back() ? KekState::kActive : KekState::kRetiring;
    auto it = known.find(v);
    if (it == known.end()) {
      CV_RETURN_IF_ERROR(store_.PutKekVersion({v, want, now, now}));
    } else if (it->second.state != want) {
      CV_RETURN_IF_ERROR(store_.PutKekVersion({v, want, it->second.created_at, now}));
    }
  }
  for (const auto& [v, r] : known) {
    if (present.count(v) == 0 && r.state != KekState::kDestroyed) {
      log::Warn("keys", "kek_version_missing", {{"kek_version", static_cast<int64_t>(v)}});
      CV_RETURN_IF_ERROR(store_.PutKekVersion({v, KekState::kDestroyed, r.created_at, now}));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<uint32_t> KekRotator::Rotate() {
  auto version = provider_.CreateVersion();
  if (!version.ok()) return version.status();
  CV_RETURN_IF_ERROR(Sync());
  log::Info("keys", "kek_rotated", {{"kek_version", static_cast<int64_t>(*version)}});
  return version;
}

absl::StatusOr<int> KekRotator::RewrapBatch() {
  CV_ASSIGN_OR_RETURN(uint32_t current, CurrentVersion());
  auto keys = store_.ListWrappedBelow(current, options_.batch_size);
  if (!keys.ok()) return keys.status();
  int moved = 0;
  for (const WrappedKey& w : *keys) {
    KeyRef ref{w.tenant_id, w.kind, w.subject_id};
    std::string context = DataKeyWrapContext(ref, w.version);
    auto dek = provider_.Unwrap(w.kek_version, w.wrapped, context);
    if (!dek.ok()) return dek.status();
    auto rewrapped = provider_.Wrap(current, *dek, context);
    if (!rewrapped.ok()) return rewrapped.status();
    absl::Status s = store_.Rewrap(ref, w.version, w.kek_version, current, *rewrapped);
    if (absl::IsNotFound(s)) continue;  // destroyed or moved by another worker meanwhile
    CV_RETURN_IF_ERROR(s);
    ++moved;
  }
  return moved;
}

absl::StatusOr<std::vector<uint32_t>> KekRotator::DestroyDrained() {
  CV_RETURN_IF_ERROR(Sync());
  auto records = store_.ListKekVersions();
  if (!records.ok()) return records.status();
  auto counts = store_.CountByKekVersion();
  if (!counts.ok()) return counts.status();
  std::vector<uint32_t> destroyed;
  absl::Time now = clock_.Now();
  for (const auto& r : *records) {
    if (r.state != KekState::kRetiring) continue;
    if (counts->count(r.version) > 0 && counts->at(r.version) > 0) continue;
    if (now - r.changed_at < options_.destroy_grace) continue;
    absl::Status s = provider_.DestroyVersion(r.version);
    if (!s.ok() && !absl::IsNotFound(s)) return s;
    CV_RETURN_IF_ERROR(store_.PutKekVersion({r.version, KekState::kDestroyed, r.created_at, now}));
    log::Info("keys", "kek_destroyed", {{"kek_version", static_cast<int64_t>(r.version)}});
    destroyed.push_back(r.version);
  }
  return destroyed;
}

absl::StatusOr<int64_t> KekRotator::RunToCompletion() {
  absl::MutexLock lock(&run_mu_);
  int64_t total = 0;
  while (true) {
    CV_ASSIGN_OR_RETURN(int moved, RewrapBatch());
    total += moved;
    if (moved == 0) break;
  }
  CV_RETURN_IF_ERROR(DestroyDrained().status());
  return total;
}

absl::StatusOr<KeyStatus> KekRotator::Status() {
  CV_RETURN_IF_ERROR(Sync());
  KeyStatus out;
  out.provider = std::string(provider_.kind());
  CV_ASSIGN_OR_RETURN(out.current_version, CurrentVersion());
  CV_ASSIGN_OR_RETURN(out.versions, store_.ListKekVersions());
  CV_ASSIGN_OR_RETURN(out.wrapped_keys, store_.CountByKekVersion());
  return out;
}

}  // namespace convault::crypto
