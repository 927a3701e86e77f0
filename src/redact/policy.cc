#include "redact/policy.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/strings.h"

namespace convault::redact {
namespace {

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t CountChars(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += IsContinuation(c) ? 0 : 1;
  return n;
}

struct Candidate {
  size_t target;
  size_t start;
  size_t end;
};

}  // namespace

std::string_view ActionName(RedactionAction action) {
  switch (action) {
    case RedactionAction::kReplace:
      return "replace";
    case RedactionAction::kMask:
      return "mask";
    case RedactionAction::kRemove:
      return "remove";
    case RedactionAction::kTokenize:
      return "tokenize";
  }
  return "replace";
}

std::vector<SensitiveDataRule> DefaultRules() {
  SensitiveDataRule card;
  card.id = "rule_default_credit_card";
  card.name = "Payment cards";
  card.priority = 10;
  card.detector = "credit_card";
  card.action = RedactionAction::kMask;
  card.keep_last = 4;
  SensitiveDataRule ssn;
  ssn.id = "rule_default_us_ssn";
  ssn.name = "US Social Security numbers";
  ssn.priority = 10;
  ssn.detector = "us_ssn";
  ssn.action = RedactionAction::kReplace;
  return {card, ssn};
}

absl::StatusOr<std::vector<SensitiveDataRule>> RulesForDetectors(
    const std::vector<std::string>& ids) {
  std::vector<std::string> wanted;
  for (const std::string& id : ids) {
    if (id == "all") {
      for (const auto& d : BuiltinDetectors()) wanted.emplace_back(d->id());
    } else if (FindDetector(id) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown detector \"", id, "\""));
    } else {
      wanted.push_back(id);
    }
  }
  std::vector<SensitiveDataRule> rules;
  for (const std::string& id : wanted) {
    SensitiveDataRule r;
    r.id = "rule_" + id;
    r.name = id;
    r.priority = 10;
    r.detector = id;
    if (id == "credit_card") {
      r.action = RedactionAction::kMask;
      r.keep_last = 4;
    }
    rules.push_back(std::move(r));
  }
  return rules;
}

absl::StatusOr<std::shared_ptr<const Policy>> Policy::Compile(
    std::vector<SensitiveDataRule> rules) {
  std::shared_ptr<Policy> p(new Policy());
  std::vector<Pattern> patterns;
  for (size_t i = 0; i < rules.size(); ++i) {
    const SensitiveDataRule& r = rules[i];
    if (!r.enabled) continue;
    if (r.mask_char.empty() || CountChars(r.mask_char) != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("rule ", r.id, ": mask_char must be one character"));
    }
    if (!r.detector.empty()) {
      const Detector* d = FindDetector(r.detector);
      if (d == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("rule ", r.id, ": unknown detector \"", r.detector, "\""));
      }
      p->has_builtin_ = true;
      p->targets_.push_back({i, d, d->min_digits(), d->needs(), d->requires_words(), r.applies_to,
                             r.channel_ids.empty(), r.priority,
                             !r.replacement.empty()
                                 ? r.replacement
                                 : absl::StrCat("[", absl::AsciiStrToUpper(Sv(d->id())), "]")});
    } else {
      absl::Status valid = ValidateCustomPattern(r.pattern);
      if (!valid.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("rule ", r.id, ": ", valid.message()));
      }
      patterns.push_back({r.pattern, static_cast<unsigned>(p->targets_.size()), false, true});
      p->targets_.push_back({i, nullptr, 0, 0, 0, r.applies_to, r.channel_ids.empty(), r.priority,
                             !r.replacement.empty() ? r.replacement : "[REDACTED]"});
    }
  }
  for (uint32_t present = 1; present < p->builtin_by_present_.size(); ++present) {
    std::vector<uint32_t>& list = p->builtin_by_present_[present];
    for (size_t t = 0; t < p->targets_.size(); ++t) {
      if ((p->targets_[t].needs & present) != 0) list.push_back(static_cast<uint32_t>(t));
    }
    std::stable_sort(list.begin(), list.end(), [&](uint32_t a, uint32_t b) {
      return p->targets_[a].min_digits < p->targets_[b].min_digits;
    });
  }
  p->rules_ = std::move(rules);
  if (!patterns.empty()) {
    auto set = PatternSet::Compile(patterns);
    if (!set.ok()) return set.status();
    p->patterns_ = std::move(*set);
  }
  return std::shared_ptr<const Policy>(std::move(p));
}

absl::StatusOr<RedactionResult> Policy::Redact(std::string_view text,
                                               const RedactionScope& scope) const {
  RedactionResult result;
  absl::Status s = RedactInto(text, scope, &result);
  if (!s.ok()) return s;
  return result;
}

absl::Status Policy::RedactInto(std::string_view text, const RedactionScope& scope,
                                RedactionResult* out) const {
  RedactionResult& result = *out;
  result.text.clear();
  result.tokens.clear();
  // Findings are overwritten in place, so their strings keep their buffers
  // from call to call; the vector is cut to the count at the end.
  size_t found = 0;
  struct Trim {
    std::vector<Finding>* findings;
    size_t* found;
    ~Trim() { findings->resize(*found); }
  } trim{&result.findings, &found};
  if (text.size() > UINT32_MAX) return absl::InvalidArgumentError("text over 4 GiB");
  // Per-thread buffers, reused by every call on this thread (one thread_local:
  // one initialization check per call).
  struct Scratch {
    ScanInput input;
    std::vector<Span> spans;
    std::vector<Candidate> accepted;
    std::vector<Candidate> chosen;
  };
  thread_local Scratch scratch;
  ScanInput& input = scratch.input;
  std::vector<Span>& spans = scratch.spans;
  std::vector<Candidate>& accepted = scratch.accepted;
  std::vector<Candidate>& chosen = scratch.chosen;
  accepted.clear();
  const uint32_t actor = static_cast<uint32_t>(scope.actor);
  auto in_scope = [&](const Target& t) {
    if ((t.applies_to & actor) == 0) return false;
    if (t.every_channel) return true;
    const std::vector<std::string>& channels = rules_[t.rule].channel_ids;
    return std::find(channels.begin(), channels.end(), scope.channel_id) != channels.end();
  };
  if (has_builtin_ && !text.empty()) {
    input.Reset(text);
    uint32_t present = input.Present();
    if (present != 0) {
      ScanContext context{scope.region};
      const size_t digits = input.digit_count;
      for (uint32_t target : builtin_by_present_[present]) {
        const Target& t = targets_[target];
        if (digits < t.min_digits) break;  // and every target after it
        if (!in_scope(t)) continue;
        if (t.words != 0 && (input.WordHints() & t.words) != t.words) continue;
        spans.clear();
        t.detector->Find(input, context, &spans);
        for (const Span& sp : spans) {
          if (sp.start < sp.end) accepted.push_back({target, sp.start, sp.end});
        }
      }
    }
  }
  if (patterns_ != nullptr && !text.empty()) {
    absl::Status s = patterns_->Scan(text, [&](unsigned id, size_t start, size_t end) {
      if (start < end && in_scope(targets_[id])) accepted.push_back({id, start, end});
    });
    if (!s.ok()) return s;
  }
  if (accepted.empty()) {
    result.text.assign(text);
    return absl::OkStatus();
  }

  // Priority, then the longer span, then the earlier start; keep what does not overlap.
  std::sort(accepted.begin(), accepted.end(), [&](const Candidate& a, const Candidate& b) {
    int pa = targets_[a.target].priority;
    int pb = targets_[b.target].priority;
    if (pa != pb) return pa < pb;
    if (a.end - a.start != b.end - b.start) return a.end - a.start > b.end - b.start;
    if (a.start != b.start) return a.start < b.start;
    return a.target < b.target;  // then the rule listed first
  });
  chosen.clear();
  for (Candidate c : accepted) {
    while (c.start > 0 && IsContinuation(text[c.start])) --c.start;
    while (c.end < text.size() && IsContinuation(text[c.end])) ++c.end;
    bool overlaps = false;
    for (const Candidate& k : chosen) overlaps = overlaps || (c.start < k.end && k.start < c.end);
    if (!overlaps) chosen.push_back(c);
  }
  std::sort(chosen.begin(), chosen.end(),
            [](const Candidate& a, const Candidate& b) { return a.start < b.start; });

  result.text.reserve(text.size());
  size_t at = 0;
  for (const Candidate& c : chosen) {
    const Target& t = targets_[c.target];
    const SensitiveDataRule& r = rules_[t.rule];
    result.text.append(text.substr(at, c.start - at));
    std::string_view span = text.substr(c.start, c.end - c.start);
    std::string_view detector = t.detector != nullptr ? t.detector->id() : "custom";
    switch (r.action) {
      case RedactionAction::kReplace:
        result.text.append(t.replacement);
        break;
      case RedactionAction::kMask: {
        size_t chars = CountChars(span);
        size_t keep = std::min<size_t>(static_cast<size_t>(std::max(r.keep_last, 0)), chars);
        size_t masked = chars - keep;
        size_t pos = 0;
        for (size_t i = 0; i < masked; ++i) {
          result.text.append(r.mask_char);
          ++pos;
          while (pos < span.size() && IsContinuation(span[pos])) ++pos;
        }
        result.text.append(span.substr(pos));
        break;
      }
      case RedactionAction::kRemove:
        break;
      case RedactionAction::kTokenize: {
        std::string token = scope.tokens != nullptr ? scope.tokens->NewToken()
                                                    : std::to_string(result.tokens.size() + 1);
        absl::StrAppend(&result.text, "[TOKEN:", token, "]");
        result.tokens.push_back(
            {std::move(token), r.id, Sensitive<std::string>(std::string(span))});
        break;
      }
    }
    if (found == result.findings.size()) result.findings.emplace_back();
    Finding& f = result.findings[found++];
    f.rule_id.assign(r.id);
    f.detector.assign(detector);
    f.start = c.start;
    f.end = c.end;
    f.action = r.action;
    at = c.end;
  }
  result.text.append(text.substr(at));
  return absl::OkStatus();
}

}  // namespace convault::redact
