#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/sensitive.h"
#include "model/sensitive_data_rule.h"
#include "redact/detector.h"
#include "redact/pattern_set.h"

namespace convault::redact {

// Names the tokens that replace tokenized findings. The ingest pipeline mints
// unguessable ids (a token says nothing about the value it stands for);
// without a minter, tokens are numbered within the message ("1", "2", ...).
class TokenMinter {
 public:
  virtual ~TokenMinter() = default;
  // A fresh token id: [A-Za-z0-9_-], at most 64 bytes.
  virtual std::string NewToken() = 0;
};

// Whose text this is and where it came from: selects the rules in scope.
struct RedactionScope {
  ActorType actor = ActorType::kEndUser;
  std::string_view channel_id;
  std::string_view region = "US";
  TokenMinter* tokens = nullptr;  // optional; see TokenMinter
};

// One finding, with byte offsets into the input (never the matched value).
struct Finding {
  std::string rule_id;
  std::string detector;  // built-in id, or "custom"
  size_t start = 0;
  size_t end = 0;
  RedactionAction action = RedactionAction::kReplace;
};

// A tokenized finding: the text holds "[TOKEN:<token>]" where the value was;
// the caller seals `original` under the subject's key before anything is
// stored (messaging/token_vault.h) and drops the plaintext.
struct TokenizedValue {
  std::string token;
  std::string rule_id;
  Sensitive<std::string> original;
};

struct RedactionResult {
  std::string text;
  std::vector<Finding> findings;
  std::vector<TokenizedValue> tokens;  // one per tokenize finding, in text order
};

// An immutable, compiled rule set, shared by all threads (shared_ptr<const>).
// Overlaps: the lower priority number wins; at equal priority the longer
// span. Spans are widened to whole UTF-8 characters; invalid UTF-8 passes
// through untouched outside findings.
class Policy {
 public:
  static absl::StatusOr<std::shared_ptr<const Policy>> Compile(
      std::vector<SensitiveDataRule> rules);

  // The masked text and the findings, for text written by scope.actor.
  absl::StatusOr<RedactionResult> Redact(std::string_view text, const RedactionScope& scope) const;
  // The same into `out`, reusing its buffers: a worker that redacts message
  // after message allocates nothing once its buffers have grown.
  absl::Status RedactInto(std::string_view text, const RedactionScope& scope,
                          RedactionResult* out) const;

  const std::vector<SensitiveDataRule>& rules() const { return rules_; }

 private:
  struct Target {
    size_t rule;
    const Detector* detector;  // null for a custom pattern
    size_t min_digits;         // the detector's, read once
    uint32_t needs;            // the detector's ScanInput bits, read once
    uint32_t words;            // the detector's required word hints, read once
    uint32_t applies_to;       // the rule's actor bits
    bool every_channel;        // the rule has no channel scope
    int priority;              // the rule's
    std::string replacement;   // kReplace: the rule's text, or "[CREDIT_CARD]" and the like
  };
  Policy() = default;

  std::vector<SensitiveDataRule> rules_;
  std::vector<Target> targets_;  // custom patterns: by pattern id
  bool has_builtin_ = false;     // a target has a detector
  // For each set of ScanInput::Present() bits, the targets with a detector
  // that start from one of them, fewest min_digits first: a text is shown to
  // the detectors that can find something in it, without a virtual call or a
  // mispredicted branch for the others.
  std::array<std::vector<uint32_t>, 16> builtin_by_present_;
  std::shared_ptr<const PatternSet> patterns_;
};

// The rules of a new tenant: credit_card (mask, keep the last 4) and us_ssn (replace).
std::vector<SensitiveDataRule> DefaultRules();
// One rule per named built-in detector ("all" for every one): replace, except
// credit_card which masks keeping the last 4.
absl::StatusOr<std::vector<SensitiveDataRule>> RulesForDetectors(
    const std::vector<std::string>& ids);

std::string_view ActionName(RedactionAction action);

}  // namespace convault::redact
