#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/ids.h"
#include "model/sensitive_data_rule.h"
#include "redact/policy.h"
#include "store/store.h"

namespace convault {

// A tenant's sensitive-data rules: validated changes (each one increases the
// rule-set version in the store) and the compiled policy of the current
// version, cached and shared by every thread that redacts for the tenant.
//
// A tenant's rules are seeded with redact::DefaultRules() on first use.
// Changes made through this object refresh the cache at once; changes made by
// another process are picked up within Options::recheck (on the injected clock).
// Thread safety: all methods may be called concurrently.
class RuleService {
 public:
  struct Options {
    int max_rules = 200;
    absl::Duration recheck = absl::Seconds(2);
  };
  struct Compiled {
    int64_t version = 0;
    std::shared_ptr<const redact::Policy> policy;
  };

  RuleService(Store& store, Clock& clock, IdGenerator& ids, Options options);
  RuleService(Store& store, Clock& clock, IdGenerator& ids)
      : RuleService(store, clock, ids, Options{}) {}

  absl::StatusOr<SensitiveDataRuleSet> List(std::string_view tenant_id);
  // NotFound for a missing or foreign id.
  absl::StatusOr<SensitiveDataRule> Get(std::string_view tenant_id, std::string_view rule_id);
  // `rule` carries the fields; id, tenant and times are set here. InvalidArgument
  // (with the reason) when the rule does not compile or matches the empty
  // string; FailedPrecondition when the tenant has max_rules rules.
  absl::StatusOr<SensitiveDataRule> Create(std::string_view tenant_id, SensitiveDataRule rule);
  // `rule.id` names the stored rule; every other field is replaced.
  absl::StatusOr<SensitiveDataRule> Update(std::string_view tenant_id, SensitiveDataRule rule);
  absl::Status Delete(std::string_view tenant_id, std::string_view rule_id);
  // The compiled policy of the tenant's current rule set.
  absl::StatusOr<Compiled> Current(std::string_view tenant_id);

 private:
  struct CacheEntry {
    Compiled compiled;
    absl::Time checked_at;
  };
  absl::StatusOr<SensitiveDataRuleSet> Load(std::string_view tenant_id);
  absl::StatusOr<std::shared_ptr<const redact::Policy>> CompileWith(
      const SensitiveDataRuleSet& set, const SensitiveDataRule* changed, bool remove);
  // Records a policy compiled for `version` when it follows the cached one.
  void Remember(std::string_view tenant_id, int64_t version,
                std::shared_ptr<const redact::Policy> policy);

  Store& store_;
  Clock& clock_;
  IdGenerator& ids_;
  Options options_;
  absl::Mutex mu_;
  std::map<std::string, CacheEntry, std::less<>> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace convault
