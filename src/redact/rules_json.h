#pragma once

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "model/sensitive_data_rule.h"
#include "nlohmann/json.hpp"

namespace convault::redact {

// Reads rules from JSON: an array of objects with the fields of
// DATA-MODEL.md's sensitive_data_rule ({"detector": "credit_card",
// "action": "mask", "keep_last": 4} or {"pattern": "ORD-\\d{8}",
// "replacement": "[ORDER]", "priority": 5, "applies_to": ["agent"]}).
// Unknown fields, wrong types and bad values fail with InvalidArgument
// naming the rule index and field.
absl::StatusOr<std::vector<SensitiveDataRule>> ParseRulesJson(std::string_view json);

// Sets the fields present in `object` on `rule` (for a new rule, or a PATCH of
// a stored one); "id" only when `allow_id`. `detector` and `pattern` may be
// null to clear them. Errors are InvalidArgument "<where><field>: <reason>".
// Afterwards call CheckRuleShape.
absl::Status ApplyRuleFields(const nlohmann::json& object, std::string_view where, bool allow_id,
                             SensitiveDataRule* rule);
// Exactly one of detector and pattern.
absl::Status CheckRuleShape(const SensitiveDataRule& rule, std::string_view where);

// The rule as the API shows it (DATA-MODEL.md field names; no tenant id).
nlohmann::json RuleToJson(const SensitiveDataRule& rule);

}  // namespace convault::redact
