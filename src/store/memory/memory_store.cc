#include "store/memory/memory_store.h"

#include "common/status.h"

namespace convault {

absl::Status MemoryStore::CheckOpen() const {
  if (closed_) return absl::UnavailableError("the store is closed");
  return absl::OkStatus();
}

absl::Status MemoryStore::CheckReady() {
  absl::MutexLock lock(&mu_);
  return CheckOpen();
}

absl::Status MemoryStore::CreateTenant(const Tenant& tenant, const ApiKey& admin_key) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (tenants_.count(tenant.id) > 0) {
    return absl::AlreadyExistsError("a tenant with this name or id exists");
  }
  for (const auto& [id, t] : tenants_) {
    if (t.name == tenant.name)
      return absl::AlreadyExistsError("a tenant with this name or id exists");
  }
  if (admin_key.tenant_id != tenant.id) return absl::NotFoundError("tenant not found");
  if (api_keys_.count(admin_key.id) > 0) {
    return absl::AlreadyExistsError("an api key with this id exists");
  }
  tenants_.emplace(tenant.id, tenant);
  api_keys_.emplace(admin_key.id, admin_key);
  return absl::OkStatus();
}

absl::StatusOr<Tenant> MemoryStore::GetTenant(std::string_view tenant_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = tenants_.find(tenant_id);
  if (it == tenants_.end()) return absl::NotFoundError("tenant not found");
  return it->second;
}

absl::StatusOr<Tenant> MemoryStore::FindTenantByName(std::string_view name) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  for (const auto& [id, t] : tenants_) {
    if (t.name == name) return t;
  }
  return absl::NotFoundError("tenant not found");
}

absl::StatusOr<std::vector<Tenant>> MemoryStore::ListTenants() {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::map<std::string, Tenant> by_name;
  for (const auto& [id, t] : tenants_) by_name.emplace(t.name, t);
  std::vector<Tenant> out;
  for (auto& [name, t] : by_name) out.push_back(t);
  return out;
}

absl::Status MemoryStore::CreateApiKey(const ApiKey& key) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (tenants_.count(key.tenant_id) == 0) return absl::NotFoundError("tenant not found");
  if (api_keys_.count(key.id) > 0)
    return absl::AlreadyExistsError("an api key with this id exists");
  api_keys_.emplace(key.id, key);
  return absl::OkStatus();
}

absl::StatusOr<ApiKey> MemoryStore::GetApiKey(std::string_view tenant_id, std::string_view key_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = api_keys_.find(key_id);
  if (it == api_keys_.end() || it->second.tenant_id != tenant_id) {
    return absl::NotFoundError("api key not found");
  }
  return it->second;
}

absl::StatusOr<ApiKey> MemoryStore::FindApiKeyForAuth(std::string_view key_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = api_keys_.find(key_id);
  if (it == api_keys_.end()) return absl::NotFoundError("api key not found");
  return it->second;
}

absl::StatusOr<Page<ApiKey>> MemoryStore::ListApiKeys(std::string_view tenant_id,
                                                      const ListOptions& options) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  Page<ApiKey> page;
  for (auto it = api_keys_.upper_bound(options.after); it != api_keys_.end(); ++it) {
    if (it->second.tenant_id != tenant_id) continue;
    if (page.items.size() == static_cast<size_t>(options.limit)) {
      page.next_cursor = page.items.back().id;
      break;
    }
    page.items.push_back(it->second);
  }
  return page;
}

absl::Status MemoryStore::DeleteApiKey(std::string_view tenant_id, std::string_view key_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = api_keys_.find(key_id);
  if (it == api_keys_.end() || it->second.tenant_id != tenant_id) {
    return absl::NotFoundError("api key not found");
  }
  if (it->second.roles.Has(Role::kAdmin)) {
    bool other_admin = false;
    for (const auto& [id, k] : api_keys_) {
      if (id != key_id && k.tenant_id == tenant_id && k.roles.Has(Role::kAdmin)) other_admin = true;
    }
    if (!other_admin) {
      return WithCode(absl::FailedPreconditionError(
                          "this is the tenant's last admin key; create another admin key first"),
                      "last_admin_key");
    }
  }
  api_keys_.erase(it);
  return absl::OkStatus();
}

absl::Status MemoryStore::AddIndexEntries(const std::vector<BlindIndexEntry>& entries) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  for (const BlindIndexEntry& e : entries) {
    if (tenants_.count(e.tenant_id) == 0) return absl::FailedPreconditionError("no such tenant");
  }
  for (const BlindIndexEntry& e : entries) {
    index_.emplace(
        std::make_tuple(e.tenant_id, e.index_name, e.token, e.object_type, e.object_id, e.field),
        e);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<BlindIndexEntry>> MemoryStore::FindIndexEntries(
    std::string_view tenant_id, std::string_view index_name, uint64_t token, int limit) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<BlindIndexEntry> out;
  auto key = std::make_tuple(std::string(tenant_id), std::string(index_name), token, std::string(),
                             std::string(), std::string());
  for (auto it = index_.lower_bound(key); it != index_.end(); ++it) {
    const BlindIndexEntry& e = it->second;
    if (e.tenant_id != tenant_id || e.index_name != index_name || e.token != token) break;
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back(e);
  }
  return out;
}

absl::StatusOr<int64_t> MemoryStore::DeleteIndexEntriesOfSubject(std::string_view tenant_id,
                                                                 std::string_view subject_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  int64_t n = 0;
  for (auto it = index_.begin(); it != index_.end();) {
    if (it->second.tenant_id == tenant_id && it->second.subject_id == subject_id) {
      it = index_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

void MemoryStore::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

}  // namespace convault
