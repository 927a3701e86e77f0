#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"

namespace convault {

// One field of the data model with its classification (DATA-MODEL.md): the
// registry served at GET /v1/schema. `categories` is a subset of pii, phi,
// pci, credential; `search` says how the field can be found: "none",
// "blind_index" (normalized value), "identifiers" (emails and phone numbers
// found in it), "exact".
struct FieldClass {
  std::string_view object;
  std::string_view field;
  std::string_view sensitivity;  // public | internal | confidential | restricted
  std::vector<std::string_view> categories;
  bool encrypted;
  std::string_view key;  // which key seals it: "subject", "tenant", or "" when not encrypted
  std::string_view search;
};

// The registry: one table, in the code.
const std::vector<FieldClass>& SchemaRegistry();

// An admin's classification of a custom context key (PUT /v1/schema/context-keys/{key}).
// `identifier` is "" (not an identifier), "email", "phone" or "id"; an
// identifier's values are blind-indexed for privacy search.
struct ContextKeyClass {
  std::string tenant_id;
  std::string key;
  std::string sensitivity = "confidential";
  std::vector<std::string> categories = {"pii"};
  std::string identifier;
  absl::Time updated_at;
};

bool IsSensitivity(std::string_view s);
bool IsCategory(std::string_view c);

}  // namespace convault
