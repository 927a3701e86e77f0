#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/ids.h"
#include "crypto/blind_index.h"
#include "crypto/field_cipher.h"
#include "privacy/audit_log.h"
#include "privacy/shred_log.h"
#include "store/key_store.h"
#include "store/store.h"

namespace convault::privacy {

// Who asks, for the request and its audit records.
struct Requester {
  std::string_view key_id;  // API key id, or "cli"
  std::string_view roles;
  std::string_view purpose;
};

// Data-subject requests (PRIVACY.md sections 3 and 5; docs/privacy-operations.md):
// every type runs at once and the request is answered completed (or
// rejected); export writes the document through ExportService.
//
// Erase, in order: legal hold check (rejected with the hold, nothing
// deleted); the shred log; the subject's DEK destroyed; every row of the
// subject and their blind-index entries deleted in one transaction; an
// erasure certificate signed with the tenant's audit key. A crash after the
// shred log is finished by ReplayShredLog at the next start.
// Thread safety: all methods may be called concurrently.
class PrivacyService {
 public:
  PrivacyService(Store& store, KeyStore& key_store, crypto::KeyManager& keys,
                 crypto::FieldCipher& cipher, crypto::BlindIndexer& blind, AuditLog& audit,
                 ShredLog& shred, Clock& clock, IdGenerator& ids)
      : store_(store),
        key_store_(key_store),
        keys_(keys),
        cipher_(cipher),
        blind_(blind),
        audit_(audit),
        shred_(shred),
        clock_(clock),
        ids_(ids) {}

  // Where exports are written (set once, before use).
  void set_exports(class ExportService* exports) { exports_ = exports; }

  // NotFound when the end user does not exist; InvalidArgument for an
  // unknown type.
  absl::StatusOr<PrivacyRequest> Submit(std::string_view tenant_id, std::string_view type,
                                        std::string_view end_user_id, std::string_view reason,
                                        const Requester& who);

  // The officer's reason, opened (empty when it no longer opens).
  std::string OpenReason(const PrivacyRequest& request);

  // Legal holds (PRIVACY.md section 3): the reason is sealed under the tenant DEK.
  absl::Status PlaceLegalHold(std::string_view tenant_id, std::string_view end_user_id,
                              std::string_view reason, const Requester& who);
  absl::Status LiftLegalHold(std::string_view tenant_id, std::string_view end_user_id,
                             const Requester& who);
  // The hold's reason, opened; NotFound when there is none.
  absl::StatusOr<std::string> LegalHoldReason(std::string_view tenant_id,
                                              std::string_view end_user_id);

  // Finishes every erasure of the shred log again (after a crash or a
  // restore): keys destroyed, rows deleted, pending requests completed.
  // Returns how many records were replayed.
  absl::StatusOr<int> ReplayShredLog();

  // Checks an erasure certificate (the JSON of a completed request's
  // result.certificate): true when its signature holds.
  absl::StatusOr<bool> VerifyCertificate(std::string_view certificate_json);

 private:
  absl::Status Erase(PrivacyRequest& request, const Requester& who);
  // Steps after the shred log; safe to repeat.
  absl::Status FinishErase(PrivacyRequest& request, const Requester& who);
  absl::Status Restrict(PrivacyRequest& request, bool restricted, const Requester& who);
  absl::Status Export(PrivacyRequest& request, const Requester& who);
  // Puts an end user who opted out of messaging on the suppression list
  // (before their key is destroyed); true when listed.
  absl::StatusOr<bool> Suppress(const PrivacyRequest& request);
  absl::Status Record(const PrivacyRequest& request, std::string_view action,
                      std::string_view outcome, const Requester& who, std::string_view detail);

  Store& store_;
  KeyStore& key_store_;
  crypto::KeyManager& keys_;
  crypto::FieldCipher& cipher_;
  crypto::BlindIndexer& blind_;
  AuditLog& audit_;
  ShredLog& shred_;
  Clock& clock_;
  IdGenerator& ids_;
  class ExportService* exports_ = nullptr;
};

// Calls `fn` for every privacy request of the tenant about `end_user_id`
// (of `type` when not empty), newest first.
absl::Status ForEachPrivacyRequest(Store& store, std::string_view tenant_id,
                                   std::string_view end_user_id, std::string_view type,
                                   const std::function<absl::Status(const PrivacyRequest&)>& fn);

// Request statuses and types (stored; never rename).
inline constexpr std::string_view kRequestPending = "pending";
inline constexpr std::string_view kRequestCompleted = "completed";
inline constexpr std::string_view kRequestRejected = "rejected";
inline constexpr std::string_view kRequestFailed = "failed";

}  // namespace convault::privacy
