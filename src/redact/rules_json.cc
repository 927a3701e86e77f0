#include "redact/rules_json.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/strings.h"
#include "nlohmann/json.hpp"

namespace convault::redact {
namespace {

using Json = nlohmann::json;

absl::Status Bad(std::string_view where, std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(Sv(where), Sv(field), ": ", Sv(why)));
}

struct ActorName {
  ActorType actor;
  const char* name;
};
constexpr ActorName kActors[] = {{ActorType::kEndUser, "end_user"},
                                 {ActorType::kAgent, "agent"},
                                 {ActorType::kBot, "bot"},
                                 {ActorType::kSystem, "system"}};

constexpr const char* kActions[] = {"", "replace", "mask", "remove", "tokenize"};

}  // namespace

absl::Status ApplyRuleFields(const Json& o, std::string_view where, bool allow_id,
                             SensitiveDataRule* r) {
  if (!o.is_object()) return Bad(where, "", "must be an object");
  for (auto it = o.begin(); it != o.end(); ++it) {
    const std::string& k = it.key();
    const Json& v = it.value();
    auto str = [&](std::string* field, size_t min, size_t max) -> absl::Status {
      if (!v.is_string() || v.get_ref<const std::string&>().size() > max ||
          v.get_ref<const std::string&>().size() < min) {
        return Bad(where, k, absl::StrCat("must be a string of ", min, " to ", max, " bytes"));
      }
      *field = v.get<std::string>();
      return absl::OkStatus();
    };
    absl::Status s = absl::OkStatus();
    if (k == "id" && allow_id) {
      s = str(&r->id, 1, 64);
    } else if (k == "name") {
      s = str(&r->name, 1, 200);
    } else if (k == "description") {
      s = str(&r->description, 0, 1000);
    } else if (k == "detector" || k == "pattern") {
      std::string* field = k == "detector" ? &r->detector : &r->pattern;
      if (v.is_null()) {
        field->clear();
      } else {
        s = str(field, 1, k == "detector" ? 64 : 1000);
      }
    } else if (k == "replacement") {
      s = str(&r->replacement, 0, 200);
    } else if (k == "mask_char") {
      s = str(&r->mask_char, 1, 8);
    } else if (k == "enabled") {
      if (!v.is_boolean()) return Bad(where, k, "must be true or false");
      r->enabled = v.get<bool>();
    } else if (k == "priority" || k == "keep_last") {
      if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 10000) {
        return Bad(where, k, "must be an integer from 0 to 10000");
      }
      (k == "priority" ? r->priority : r->keep_last) = static_cast<int>(v.get<int64_t>());
    } else if (k == "action") {
      std::string a;
      s = str(&a, 1, 16);
      if (s.ok()) {
        auto found = std::find(std::begin(kActions) + 1, std::end(kActions), a);
        if (found == std::end(kActions)) {
          return Bad(where, k, "must be replace, mask, remove or tokenize");
        }
        r->action = static_cast<RedactionAction>(found - std::begin(kActions));
      }
    } else if (k == "applies_to") {
      if (!v.is_array() || v.empty() || v.size() > 4) {
        return Bad(where, k, "must be a non-empty array of roles");
      }
      r->applies_to = 0;
      for (const Json& role : v) {
        std::string name = role.is_string() ? role.get<std::string>() : "";
        auto found = std::find_if(std::begin(kActors), std::end(kActors),
                                  [&](const ActorName& a) { return name == a.name; });
        if (found == std::end(kActors)) {
          return Bad(where, k, "roles are end_user, agent, bot and system");
        }
        r->applies_to |= static_cast<uint32_t>(found->actor);
      }
    } else if (k == "channel_ids") {
      if (!v.is_array() || v.size() > 100) {
        return Bad(where, k, "must be an array of at most 100 channel ids");
      }
      std::vector<std::string> ids;
      for (const Json& id : v) {
        if (!id.is_string() || id.get_ref<const std::string&>().empty() ||
            id.get_ref<const std::string&>().size() > 64 ||
            id.get_ref<const std::string&>().find(',') != std::string::npos) {
          return Bad(where, k, "must be an array of at most 100 channel ids");
        }
        ids.push_back(id.get<std::string>());
      }
      r->channel_ids = std::move(ids);
    } else {
      return Bad(where, k, "unknown field");
    }
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CheckRuleShape(const SensitiveDataRule& r, std::string_view where) {
  if (r.detector.empty() == r.pattern.empty()) {
    return Bad(where, "detector", "give exactly one of detector or pattern");
  }
  return absl::OkStatus();
}

Json RuleToJson(const SensitiveDataRule& r) {
  Json applies = Json::array();
  for (const ActorName& a : kActors) {
    if ((r.applies_to & static_cast<uint32_t>(a.actor)) != 0) applies.push_back(a.name);
  }
  int action = static_cast<int>(r.action);
  Json out = {{"id", r.id},
              {"name", r.name},
              {"description", r.description},
              {"enabled", r.enabled},
              {"priority", r.priority},
              {"detector", r.detector.empty() ? Json(nullptr) : Json(r.detector)},
              {"pattern", r.pattern.empty() ? Json(nullptr) : Json(r.pattern)},
              {"action", action >= 1 && action <= 4 ? kActions[action] : "replace"},
              {"replacement", r.replacement},
              {"mask_char", r.mask_char},
              {"keep_last", r.keep_last},
              {"applies_to", std::move(applies)},
              {"channel_ids", r.channel_ids}};
  return out;
}

absl::StatusOr<std::vector<SensitiveDataRule>> ParseRulesJson(std::string_view text) {
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return absl::InvalidArgumentError("rules: not valid JSON");
  if (!doc.is_array()) return absl::InvalidArgumentError("rules: must be a JSON array");
  if (doc.size() > 1000) return absl::InvalidArgumentError("rules: at most 1,000 rules");
  std::vector<SensitiveDataRule> out;
  for (size_t i = 0; i < doc.size(); ++i) {
    SensitiveDataRule r;
    r.id = absl::StrCat("rule_", i + 1);
    std::string where = absl::StrCat("rules[", i, "].");
    if (!doc[i].is_object())
      return absl::InvalidArgumentError(absl::StrCat("rules[", i, "]: must be an object"));
    CV_RETURN_IF_ERROR(ApplyRuleFields(doc[i], where, /*allow_id=*/true, &r));
    CV_RETURN_IF_ERROR(CheckRuleShape(r, where));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace convault::redact
