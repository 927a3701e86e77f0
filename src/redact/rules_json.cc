#include "redact/rules_json.h"

#include "absl/strings/str_cat.h"
#include "common/strings.h"
#include "nlohmann/json.hpp"

namespace convault::redact {
namespace {

using Json = nlohmann::json;

absl::Status Bad(size_t i, std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("rules[", i, "].", Sv(field), ": ", Sv(why)));
}

}  // namespace

absl::StatusOr<std::vector<SensitiveDataRule>> ParseRulesJson(std::string_view text) {
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return absl::InvalidArgumentError("rules: not valid JSON");
  if (!doc.is_array()) return absl::InvalidArgumentError("rules: must be a JSON array");
  if (doc.size() > 1000) return absl::InvalidArgumentError("rules: at most 1,000 rules");
  std::vector<SensitiveDataRule> out;
  for (size_t i = 0; i < doc.size(); ++i) {
    const Json& o = doc[i];
    if (!o.is_object()) return Bad(i, "", "must be an object");
    SensitiveDataRule r;
    r.id = absl::StrCat("rule_", i + 1);
    for (auto it = o.begin(); it != o.end(); ++it) {
      const std::string& k = it.key();
      const Json& v = it.value();
      auto str = [&](std::string* field, size_t max) -> absl::Status {
        if (!v.is_string() || v.get_ref<const std::string&>().size() > max) {
          return Bad(i, k, absl::StrCat("must be a string of at most ", max, " bytes"));
        }
        *field = v.get<std::string>();
        return absl::OkStatus();
      };
      absl::Status s = absl::OkStatus();
      if (k == "id") {
        s = str(&r.id, 64);
      } else if (k == "name") {
        s = str(&r.name, 200);
      } else if (k == "detector") {
        s = str(&r.detector, 64);
      } else if (k == "pattern") {
        s = str(&r.pattern, 1000);
      } else if (k == "replacement") {
        s = str(&r.replacement, 200);
      } else if (k == "mask_char") {
        s = str(&r.mask_char, 8);
      } else if (k == "enabled") {
        if (!v.is_boolean()) return Bad(i, k, "must be true or false");
        r.enabled = v.get<bool>();
      } else if (k == "priority" || k == "keep_last") {
        if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 10000) {
          return Bad(i, k, "must be an integer from 0 to 10000");
        }
        (k == "priority" ? r.priority : r.keep_last) = static_cast<int>(v.get<int64_t>());
      } else if (k == "action") {
        std::string a;
        s = str(&a, 16);
        if (s.ok()) {
          if (a == "replace") {
            r.action = RedactionAction::kReplace;
          } else if (a == "mask") {
            r.action = RedactionAction::kMask;
          } else if (a == "remove") {
            r.action = RedactionAction::kRemove;
          } else if (a == "tokenize") {
            r.action = RedactionAction::kTokenize;
          } else {
            return Bad(i, k, "must be replace, mask, remove or tokenize");
          }
        }
      } else if (k == "applies_to") {
        if (!v.is_array() || v.empty()) return Bad(i, k, "must be a non-empty array of roles");
        r.applies_to = 0;
        for (const Json& role : v) {
          std::string name = role.is_string() ? role.get<std::string>() : "";
          if (name == "end_user") {
            r.applies_to |= static_cast<uint32_t>(ActorType::kEndUser);
          } else if (name == "agent") {
            r.applies_to |= static_cast<uint32_t>(ActorType::kAgent);
          } else if (name == "bot") {
            r.applies_to |= static_cast<uint32_t>(ActorType::kBot);
          } else if (name == "system") {
            r.applies_to |= static_cast<uint32_t>(ActorType::kSystem);
          } else {
            return Bad(i, k, "roles are end_user, agent, bot and system");
          }
        }
      } else if (k == "channel_ids") {
        if (!v.is_array()) return Bad(i, k, "must be an array of channel ids");
        for (const Json& id : v) {
          if (!id.is_string()) return Bad(i, k, "must be an array of channel ids");
          r.channel_ids.push_back(id.get<std::string>());
        }
      } else {
        return Bad(i, k, "unknown field");
      }
      if (!s.ok()) return s;
    }
    if (r.detector.empty() == r.pattern.empty()) {
      return Bad(i, "detector", "give exactly one of detector or pattern");
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace convault::redact
