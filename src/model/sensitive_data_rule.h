#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace convault {

// What happens to a finding. Values are stored: never renumber.
enum class RedactionAction : int {
  kReplace = 1,   // fixed text, default "[DETECTOR_ID]"
  kMask = 2,      // each character becomes mask_char, except the last keep_last
  kRemove = 3,    // dropped
  kTokenize = 4,  // a token; the original sealed under the subject's key
};

// Whose text a rule applies to (bit set). Values are stored: never renumber.
enum class ActorType : uint32_t { kEndUser = 1, kAgent = 2, kBot = 4, kSystem = 8 };
inline constexpr uint32_t kAllActors = 1 | 2 | 4 | 8;

// A sensitive-data rule (DATA-MODEL.md): a built-in detector or a custom
// pattern, with its priority, scope and action.
struct SensitiveDataRule {
  std::string id;         // "rule_..."
  std::string tenant_id;  // owner (empty for rules not stored, e.g. the CLI's)
  std::string name;
  std::string description;
  bool enabled = true;
  int priority = 100;    // lower runs first and wins overlaps
  std::string detector;  // built-in detector id, or empty for a custom pattern
  std::string pattern;   // custom regex (Vectorscan dialect), when detector is empty
  RedactionAction action = RedactionAction::kReplace;
  std::string replacement;  // for replace; empty: "[DETECTOR_ID]" or "[REDACTED]"
  std::string mask_char = "*";
  int keep_last = 0;
  uint32_t applies_to = kAllActors;
  std::vector<std::string> channel_ids;  // empty: every channel
  absl::Time created_at;
  absl::Time updated_at;
};

// A tenant's rules and the rule-set version, which increases on every change.
// Version 0 (and no rules) means the tenant's rules were never initialized.
struct SensitiveDataRuleSet {
  int64_t version = 0;
  std::vector<SensitiveDataRule> rules;  // by id
};

}  // namespace convault
