#include "privacy/audit_log.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "crypto/hash.h"

namespace convault::privacy {
namespace {

void Part(std::string& out, std::string_view v) {
  uint32_t n = static_cast<uint32_t>(v.size());
  char len[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                 static_cast<char>(n)};
  out.append(len, 4);
  out.append(v);
}

absl::StatusOr<std::unique_ptr<crypto::HmacSha256>> Derive(const SecretBytes& root,
                                                           std::string_view info) {
  auto key = crypto::HkdfSha256(root.Reveal(), "convault-audit", info, 32);
  if (!key.ok()) return key.status();
  return crypto::HmacSha256::Create(*key);
}

absl::StatusOr<std::string> Hex(const crypto::HmacSha256& mac, std::string_view message) {
  auto tag = mac.Compute(message);
  if (!tag.ok()) return tag.status();
  return crypto::HexEncode(*tag);
}

}  // namespace

std::string AuditLog::Canonical(const AuditRecord& r) {
  std::string out = "cv-audit-v1";
  Part(out, r.tenant_id);
  Part(out, absl::StrCat(r.seq));
  Part(out, absl::StrCat(absl::ToUnixMicros(r.at)));
  for (const std::string* f : {&r.actor, &r.roles, &r.action, &r.object_type, &r.object_id,
                               &r.subject_hash, &r.purpose, &r.outcome, &r.detail, &r.prev_hash}) {
    Part(out, *f);
  }
  return out;
}

absl::StatusOr<std::shared_ptr<const AuditLog::TenantKeys>> AuditLog::KeysOf(
    std::string_view tenant_id) {
  {
    absl::MutexLock lock(&mu_);
    auto it = tenants_.find(Sv(tenant_id));
    if (it != tenants_.end()) return it->second;
  }
  auto root = keys_.TenantIndexKey(tenant_id);
  if (!root.ok()) return root.status();
  auto keys = std::make_shared<TenantKeys>();
  CV_ASSIGN_OR_RETURN(keys->chain, Derive(*root, "chain"));
  CV_ASSIGN_OR_RETURN(keys->subject, Derive(*root, "subject"));
  CV_ASSIGN_OR_RETURN(keys->sign, Derive(*root, "sign"));
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = tenants_.emplace(std::string(tenant_id), std::move(keys));
  return it->second;
}

absl::StatusOr<std::string> AuditLog::SubjectHash(std::string_view tenant_id,
                                                  std::string_view subject_id) {
  CV_ASSIGN_OR_RETURN(auto keys, KeysOf(tenant_id));
  auto hex = Hex(*keys->subject, subject_id);
  if (!hex.ok()) return hex.status();
  return hex->substr(0, 32);
}

absl::StatusOr<AuditRecord> AuditLog::Append(const AuditEvent& e) {
  CV_ASSIGN_OR_RETURN(auto keys, KeysOf(e.tenant_id));
  AuditRecord r;
  r.tenant_id = std::string(e.tenant_id);
  r.at = clock_.Now();
  r.actor = std::string(e.actor);
  r.roles = std::string(e.roles);
  r.action = std::string(e.action);
  r.object_type = std::string(e.object_type);
  r.object_id = std::string(e.object_id);
  if (!e.subject_id.empty()) {
    CV_ASSIGN_OR_RETURN(r.subject_hash, SubjectHash(e.tenant_id, e.subject_id));
  }
  r.purpose = std::string(e.purpose);
  r.outcome = std::string(e.outcome);
  r.detail = std::string(e.detail.empty() ? "{}" : e.detail);
  const crypto::HmacSha256& chain = *keys->chain;
  // HMAC cannot fail for a valid key; an empty hash would not verify later.
  return store_.AppendAudit(std::move(r), [&chain](const AuditRecord& rec) {
    auto hex = Hex(chain, Canonical(rec));
    return hex.ok() ? *hex : std::string();
  });
}

absl::StatusOr<AuditVerification> AuditLog::Verify(std::string_view tenant_id) {
  CV_ASSIGN_OR_RETURN(auto keys, KeysOf(tenant_id));
  AuditVerification v;
  v.head = std::string(64, '0');
  int64_t after = 0;
  while (true) {
    auto page = store_.ListAudit(tenant_id, after, 1000);
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    for (const AuditRecord& r : *page) {
      auto expected = Hex(*keys->chain, Canonical(r));
      if (!expected.ok()) return expected.status();
      const char* problem = nullptr;
      if (r.seq != v.records + 1) {
        problem = "a record is missing or out of order";
      } else if (r.prev_hash != v.head) {
        problem = "the record does not follow the previous one";
      } else if (!crypto::ConstantTimeEquals(*expected, r.hash)) {
        problem = "the record was changed";
      }
      if (problem != nullptr) {
        v.valid = false;
        v.first_bad = v.records + 1;
        v.problem = problem;
        return v;
      }
      ++v.records;
      v.head = r.hash;
      after = r.seq;
    }
  }
  return v;
}

absl::StatusOr<std::string> AuditLog::Sign(std::string_view tenant_id, std::string_view document) {
  CV_ASSIGN_OR_RETURN(auto keys, KeysOf(tenant_id));
  return Hex(*keys->sign, document);
}

absl::StatusOr<bool> AuditLog::CheckSignature(std::string_view tenant_id, std::string_view document,
                                              std::string_view signature_hex) {
  CV_ASSIGN_OR_RETURN(std::string expected, Sign(tenant_id, document));
  return crypto::ConstantTimeEquals(expected, signature_hex);
}

}  // namespace convault::privacy
