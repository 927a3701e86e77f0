#pragma once

#include <string>

#include "absl/time/time.h"

namespace convault {

// The original of a tokenized value (the `tokenize` action), sealed under the
// end user's DEK by messaging/token_vault.h; the stored text holds
// "[TOKEN:<token>]" in its place.
struct TokenRow {
  std::string tenant_id;
  std::string token;  // "tok_..."
  std::string end_user_id;
  std::string entry_id;  // where it was found
  std::string rule_id;
  std::string value_sealed;
  absl::Time created_at;
};

}  // namespace convault
