#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "crypto/blind_index.h"
#include "crypto/field_cipher.h"
#include "store/store.h"

namespace convault::privacy {

// One object that holds the searched identifier.
struct SearchHit {
  std::string object;  // end_user, entry, context_entry, participant
  std::string id;
  std::string field;  // platform_key, name, message, value, display_name
  std::string end_user_id;
  std::string session_id;  // entries only; empty otherwise
};

// Global search for a data subject (PRIVACY.md section 3, API.md Privacy):
// reads `q` as an email, a phone number (in the tenant's default region), a
// name and a platform id; looks each reading up in the blind indexes (never
// a table scan, never a plaintext index), then opens every candidate and
// keeps it only when its value equals the reading (tokens are truncated, so
// candidates include strangers). At most `kMaxHits` hits.
// Thread safety: safe for concurrent use.
class SearchService {
 public:
  static constexpr int kMaxHits = 1000;

  SearchService(Store& store, crypto::FieldCipher& cipher, crypto::BlindIndexer& blind)
      : store_(store), cipher_(cipher), blind_(blind) {}

  // InvalidArgument when `q` is empty or over 256 bytes.
  absl::StatusOr<std::vector<SearchHit>> Search(std::string_view tenant_id, std::string_view q);

 private:
  absl::StatusOr<bool> Confirm(const BlindIndexEntry& candidate, const std::string& value);

  Store& store_;
  crypto::FieldCipher& cipher_;
  crypto::BlindIndexer& blind_;
};

}  // namespace convault::privacy
