#include "messaging/rule_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/strings.h"

namespace convault {

RuleService::RuleService(Store& store, Clock& clock, IdGenerator& ids, Options options)
    : store_(store), clock_(clock), ids_(ids), options_(options) {}

absl::StatusOr<SensitiveDataRuleSet> RuleService::Load(std::string_view tenant_id) {
  auto set = store_.GetRuleSet(tenant_id);
  if (!set.ok() || set->version != 0) return set;
  // Never initialized: seed a new tenant's defaults (a concurrent seeding wins harmlessly).
  std::vector<SensitiveDataRule> defaults = redact::DefaultRules();
  absl::Time now = clock_.Now();
  for (SensitiveDataRule& r : defaults) {
    r.id = ids_.NewId("rule");
    r.tenant_id = std::string(tenant_id);
    r.created_at = now;
    r.updated_at = now;
  }
  CV_RETURN_IF_ERROR(store_.InitRuleSet(tenant_id, defaults));
  return store_.GetRuleSet(tenant_id);
}

absl::StatusOr<SensitiveDataRuleSet> RuleService::List(std::string_view tenant_id) {
  return Load(tenant_id);
}

absl::StatusOr<SensitiveDataRule> RuleService::Get(std::string_view tenant_id,
                                                   std::string_view rule_id) {
  auto set = Load(tenant_id);
  if (!set.ok()) return set.status();
  for (SensitiveDataRule& r : set->rules) {
    if (r.id == rule_id) return std::move(r);
  }
  return absl::NotFoundError("no such rule");
}

absl::StatusOr<std::shared_ptr<const redact::Policy>> RuleService::CompileWith(
    const SensitiveDataRuleSet& set, const SensitiveDataRule* changed, bool remove) {
  std::vector<SensitiveDataRule> rules;
  rules.reserve(set.rules.size() + 1);
  bool replaced = false;
  for (const SensitiveDataRule& r : set.rules) {
    if (changed != nullptr && r.id == changed->id) {
      replaced = true;
      if (!remove) rules.push_back(*changed);
    } else {
      rules.push_back(r);
    }
  }
  if (changed != nullptr && !replaced && !remove) rules.push_back(*changed);
  if (changed != nullptr && !remove) {
    // Judge the changed rule alone first, so the reason names it and nothing else.
    SensitiveDataRule alone = *changed;
    alone.enabled = true;
    auto single = redact::Policy::Compile({alone});
    if (!single.ok()) {
      std::string why(single.status().message());
      std::string prefix = absl::StrCat("rule ", changed->id, ": ");
      if (why.rfind(prefix, 0) == 0) why.erase(0, prefix.size());
      return absl::InvalidArgumentError(why);
    }
  }
  return redact::Policy::Compile(std::move(rules));
}

void RuleService::Remember(std::string_view tenant_id, int64_t version,
                           std::shared_ptr<const redact::Policy> policy) {
  absl::MutexLock lock(&mu_);
  auto it = cache_.find(tenant_id);
  if (it != cache_.end() && it->second.compiled.version >= version) return;
  cache_[std::string(tenant_id)] = {{version, std::move(policy)}, clock_.Now()};
}

absl::StatusOr<SensitiveDataRule> RuleService::Create(std::string_view tenant_id,
                                                      SensitiveDataRule rule) {
  auto set = Load(tenant_id);
  if (!set.ok()) return set.status();
  if (set->rules.size() >= static_cast<size_t>(options_.max_rules)) {
    return absl::FailedPreconditionError(
        absl::StrCat("a tenant has at most ", options_.max_rules, " rules"));
  }
  rule.id = ids_.NewId("rule");
  rule.tenant_id = std::string(tenant_id);
  rule.created_at = clock_.Now();
  rule.updated_at = rule.created_at;
  auto policy = CompileWith(*set, &rule, false);
  if (!policy.ok()) return policy.status();
  auto version = store_.CreateRule(rule);
  if (!version.ok()) return version.status();
  if (*version == set->version + 1) Remember(tenant_id, *version, std::move(*policy));
  return rule;
}

absl::StatusOr<SensitiveDataRule> RuleService::Update(std::string_view tenant_id,
                                                      SensitiveDataRule rule) {
  auto set = Load(tenant_id);
  if (!set.ok()) return set.status();
  auto old = std::find_if(set->rules.begin(), set->rules.end(),
                          [&](const SensitiveDataRule& r) { return r.id == rule.id; });
  if (old == set->rules.end()) return absl::NotFoundError("no such rule");
  rule.tenant_id = std::string(tenant_id);
  rule.created_at = old->created_at;
  rule.updated_at = clock_.Now();
  auto policy = CompileWith(*set, &rule, false);
  if (!policy.ok()) return policy.status();
  auto version = store_.UpdateRule(rule);
  if (!version.ok()) return version.status();
  if (*version == set->version + 1) Remember(tenant_id, *version, std::move(*policy));
  return rule;
}

absl::Status RuleService::Delete(std::string_view tenant_id, std::string_view rule_id) {
  auto set = Load(tenant_id);
  if (!set.ok()) return set.status();
  auto old = std::find_if(set->rules.begin(), set->rules.end(),
                          [&](const SensitiveDataRule& r) { return r.id == rule_id; });
  if (old == set->rules.end()) return absl::NotFoundError("no such rule");
  SensitiveDataRule gone = *old;
  auto policy = CompileWith(*set, &gone, true);
  if (!policy.ok()) return policy.status();
  auto version = store_.DeleteRule(tenant_id, rule_id);
  if (!version.ok()) return version.status();
  if (*version == set->version + 1) Remember(tenant_id, *version, std::move(*policy));
  return absl::OkStatus();
}

absl::StatusOr<RuleService::Compiled> RuleService::Current(std::string_view tenant_id) {
  absl::Time now = clock_.Now();
  int64_t cached_version = -1;
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(tenant_id);
    if (it != cache_.end()) {
      if (now - it->second.checked_at < options_.recheck) return it->second.compiled;
      cached_version = it->second.compiled.version;
    }
  }
  auto version = store_.GetRuleSetVersion(tenant_id);
  if (!version.ok()) return version.status();
  if (*version == cached_version && *version != 0) {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(tenant_id);
    if (it != cache_.end() && it->second.compiled.version == *version) {
      it->second.checked_at = now;
      return it->second.compiled;
    }
  }
  auto set = Load(tenant_id);
  if (!set.ok()) return set.status();
  auto policy = redact::Policy::Compile(set->rules);
  if (!policy.ok()) return policy.status();
  Compiled compiled{set->version, std::move(*policy)};
  absl::MutexLock lock(&mu_);
  CacheEntry& entry = cache_[std::string(tenant_id)];
  if (entry.compiled.version <= compiled.version) entry = {compiled, now};
  return compiled;
}

}  // namespace convault
