#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace convault::crypto {

// Canonical forms of identifiers before they are blind-indexed, so that the
// same person written two ways gives the same token. Each fails with
// InvalidArgument (never echoing the value) when the input cannot be read.

// E.164 ("+14155550123"). Numbers without a country code are read in
// `region` (ISO 3166 alpha-2, e.g. "US").
absl::StatusOr<std::string> NormalizePhone(std::string_view text, std::string_view region);

// Trimmed and lower-cased; must hold exactly one '@' with text on both sides.
absl::StatusOr<std::string> NormalizeEmail(std::string_view text);

// Unicode NFKC with case folding, runs of white space collapsed to one space, trimmed.
absl::StatusOr<std::string> NormalizeName(std::string_view text);

// Whether `text` (valid UTF-8, any length), normalized as NormalizeName does,
// holds `normalized_name` (a NormalizeName result) as whole words: "Ada
// Lovelace" is in "hi, this is ADA  lovelace!" but not in "adalovelace".
bool MentionsName(std::string_view text, std::string_view normalized_name);

// Platform ids that are not phone numbers (PSIDs, LINE ids, visitor ids):
// trimmed and lower-cased.
absl::StatusOr<std::string> NormalizePlatformId(std::string_view text);

}  // namespace convault::crypto
