#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "redact/policy.h"
#include "store/store.h"

namespace convault {

// Masks every string of a JSON value (a message payload) in place with one
// policy call per string; adds the counts per detector and the tokenized
// originals. True when something changed.
absl::StatusOr<bool> MaskJsonStrings(nlohmann::json& value, const redact::Policy& policy,
                                     const redact::RedactionScope& scope,
                                     std::map<std::string, int>* counts,
                                     std::vector<redact::TokenizedValue>* tokens);

// The region national phone numbers of a channel are read in: its own, else
// the tenant's default_region.
absl::StatusOr<std::string> ChannelRegion(Store& store, const Channel& channel);

}  // namespace convault
