#pragma once

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "model/sensitive_data_rule.h"

namespace convault::redact {

// Reads rules from JSON: an array of objects with the fields of
// DATA-MODEL.md's sensitive_data_rule ({"detector": "credit_card",
// "action": "mask", "keep_last": 4} or {"pattern": "ORD-\\d{8}",
// "replacement": "[ORDER]", "priority": 5, "applies_to": ["agent"]}).
// Unknown fields, wrong types and bad values fail with InvalidArgument
// naming the rule index and field.
absl::StatusOr<std::vector<SensitiveDataRule>> ParseRulesJson(std::string_view json);

}  // namespace convault::redact
