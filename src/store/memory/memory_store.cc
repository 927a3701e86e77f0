#include "store/memory/memory_store.h"

#include <algorithm>

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

absl::StatusOr<SensitiveDataRuleSet> MemoryStore::GetRuleSet(std::string_view tenant_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = rule_sets_.find(tenant_id);
  if (it == rule_sets_.end()) return SensitiveDataRuleSet{};
  return it->second;
}

absl::StatusOr<int64_t> MemoryStore::GetRuleSetVersion(std::string_view tenant_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = rule_sets_.find(tenant_id);
  return it == rule_sets_.end() ? int64_t{0} : it->second.version;
}

absl::Status MemoryStore::InitRuleSet(std::string_view tenant_id,
                                      const std::vector<SensitiveDataRule>& rules) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!tenants_.contains(tenant_id)) return absl::NotFoundError("tenant not found");
  if (rule_sets_.contains(tenant_id)) return absl::OkStatus();
  SensitiveDataRuleSet set{1, {}};
  for (const SensitiveDataRule& r : rules) {
    if (r.tenant_id != tenant_id) return absl::InvalidArgumentError("rule of another tenant");
    for (const auto& existing : set.rules) {
      if (existing.id == r.id) return absl::AlreadyExistsError("a rule with this id exists");
    }
    set.rules.push_back(r);
  }
  std::sort(set.rules.begin(), set.rules.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  rule_sets_.emplace(std::string(tenant_id), std::move(set));
  return absl::OkStatus();
}

absl::StatusOr<int64_t> MemoryStore::CreateRule(const SensitiveDataRule& rule) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!tenants_.contains(rule.tenant_id)) return absl::NotFoundError("tenant not found");
  SensitiveDataRuleSet& set = rule_sets_[rule.tenant_id];
  auto pos = std::lower_bound(set.rules.begin(), set.rules.end(), rule.id,
                              [](const auto& r, const std::string& id) { return r.id < id; });
  if (pos != set.rules.end() && pos->id == rule.id) {
    if (set.version == 0) rule_sets_.erase(rule.tenant_id);
    return absl::AlreadyExistsError("a rule with this id exists");
  }
  set.rules.insert(pos, rule);
  return ++set.version;
}

absl::StatusOr<int64_t> MemoryStore::UpdateRule(const SensitiveDataRule& rule) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = rule_sets_.find(rule.tenant_id);
  if (it != rule_sets_.end()) {
    for (auto& r : it->second.rules) {
      if (r.id != rule.id) continue;
      absl::Time created = r.created_at;
      r = rule;
      r.created_at = created;
      return ++it->second.version;
    }
  }
  return absl::NotFoundError("rule not found");
}

absl::StatusOr<int64_t> MemoryStore::DeleteRule(std::string_view tenant_id,
                                                std::string_view rule_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = rule_sets_.find(tenant_id);
  if (it != rule_sets_.end()) {
    auto& rules = it->second.rules;
    for (auto r = rules.begin(); r != rules.end(); ++r) {
      if (r->id != rule_id) continue;
      rules.erase(r);
      return ++it->second.version;
    }
  }
  return absl::NotFoundError("rule not found");
}

absl::StatusOr<TenantSettings> MemoryStore::GetSettings(std::string_view tenant_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!tenants_.contains(tenant_id)) return absl::NotFoundError("tenant not found");
  auto it = settings_.find(tenant_id);
  return it == settings_.end() ? TenantSettings{} : it->second;
}

absl::Status MemoryStore::PutSettings(std::string_view tenant_id, const TenantSettings& settings) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!tenants_.contains(tenant_id)) return absl::NotFoundError("tenant not found");
  settings_[std::string(tenant_id)] = settings;
  return absl::OkStatus();
}

absl::Status MemoryStore::CreateChannel(const Channel& channel) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!tenants_.contains(channel.tenant_id)) return absl::NotFoundError("tenant not found");
  if (!channels_.emplace(std::make_pair(channel.tenant_id, channel.id), channel).second) {
    return absl::AlreadyExistsError("a channel with this id exists");
  }
  return absl::OkStatus();
}

absl::StatusOr<Channel> MemoryStore::GetChannel(std::string_view tenant_id,
                                                std::string_view channel_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = channels_.find({std::string(tenant_id), std::string(channel_id)});
  if (it == channels_.end()) return absl::NotFoundError("channel not found");
  return it->second;
}

absl::StatusOr<Page<Channel>> MemoryStore::ListChannels(std::string_view tenant_id,
                                                        const ListOptions& options) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  Page<Channel> page;
  for (auto it = channels_.upper_bound({std::string(tenant_id), options.after});
       it != channels_.end() && it->first.first == tenant_id; ++it) {
    if (page.items.size() == static_cast<size_t>(options.limit)) {
      page.next_cursor = page.items.back().id;
      break;
    }
    page.items.push_back(it->second);
  }
  return page;
}

absl::Status MemoryStore::UpdateChannel(const Channel& channel) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = channels_.find({channel.tenant_id, channel.id});
  if (it == channels_.end()) return absl::NotFoundError("channel not found");
  absl::Time created = it->second.created_at;
  it->second = channel;
  it->second.created_at = created;
  return absl::OkStatus();
}

absl::Status MemoryStore::DeleteChannel(std::string_view tenant_id, std::string_view channel_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (channels_.erase({std::string(tenant_id), std::string(channel_id)}) == 0) {
    return absl::NotFoundError("channel not found");
  }
  return absl::OkStatus();
}

void MemoryStore::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

}  // namespace convault
