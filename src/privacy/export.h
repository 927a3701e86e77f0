#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/body_source.h"
#include "common/clock.h"
#include "crypto/field_cipher.h"
#include "messaging/conversation_reader.h"
#include "privacy/audit_log.h"
#include "store/store.h"

namespace convault::privacy {

// What an export wrote, for the request's result (no personal data).
struct ExportSummary {
  int64_t bytes = 0;
  absl::Time expires_at;
  std::string manifest_json;  // {counts: {...}, sha256: {part: hex}}
};

// The data-subject export (PRIVACY.md section 4, docs/formats/export.md):
// one JSON document with every field of every object of the subject (end
// user, sessions with participants, context, entries and a human-readable
// transcript, consent history, privacy requests, the audit records that
// concern them) and a manifest of counts and SHA-256 per part.
//
// The document is written once, part by part, into
// DATA_DIR/exports/<request id>.cvx as a sequence of chunks sealed under the
// subject's DEK (so erasing the subject makes it unreadable even before the
// file is deleted), and streamed back decrypted chunk by chunk: it is never
// whole in memory, nor in plaintext on disk.
// Thread safety: safe for concurrent use.
class ExportService {
 public:
  static constexpr absl::Duration kLifetime = absl::Hours(24 * 30);

  ExportService(Store& store, crypto::FieldCipher& cipher, ConversationReader& reader,
                AuditLog& audit, Clock& clock, std::string dir)
      : store_(store),
        cipher_(cipher),
        reader_(reader),
        audit_(audit),
        clock_(clock),
        dir_(std::move(dir)) {}

  // Writes the export of `request` (type export, its end user).
  absl::StatusOr<ExportSummary> Write(const PrivacyRequest& request);
  // The document, decrypted as it is sent. NotFound when there is no file
  // (expired and deleted, or erased).
  absl::StatusOr<std::shared_ptr<BodySource>> Open(const PrivacyRequest& request);
  // Deletes the export file of a request (erasure, expiry). OK when absent.
  absl::Status Delete(const PrivacyRequest& request);
  // Deletes the files of expired export requests of every tenant; returns how many.
  absl::StatusOr<int> DeleteExpired();

  std::string PathOf(const PrivacyRequest& request) const;

 private:
  Store& store_;
  crypto::FieldCipher& cipher_;
  ConversationReader& reader_;
  AuditLog& audit_;
  Clock& clock_;
  const std::string dir_;
};

}  // namespace convault::privacy
