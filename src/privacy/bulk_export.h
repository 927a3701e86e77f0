#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/body_source.h"
#include "common/clock.h"
#include "common/ids.h"
#include "crypto/field_cipher.h"
#include "messaging/conversation_reader.h"
#include "messaging/transcripts.h"
#include "store/store.h"

namespace convault::privacy {

struct BulkExportRequest {
  std::string channel_id;                  // empty: every channel
  absl::Time from = absl::InfinitePast();  // sessions active at or after
  absl::Time to = absl::InfiniteFuture();  // sessions started before
  std::string format;                      // jsonl | csv | text
  bool include_restricted = false;         // privacy officers only
};

// Bulk transcript export (POST /v1/exports, docs/formats/bulk-export.md): the
// tenant's sessions that match, as one line per entry (jsonl, csv) or as text
// transcripts, leaving out end users whose processing is restricted unless a
// privacy officer asks. Written at once into a file sealed under the tenant
// DEK (DATA_DIR/exports/<tenant>.<exp_id>.cvx) and recorded as a job; the
// download is streamed and available for 30 days.
// Thread safety: safe for concurrent use.
class BulkExportService {
 public:
  static constexpr absl::Duration kLifetime = absl::Hours(24 * 30);

  BulkExportService(Store& store, crypto::FieldCipher& cipher, ConversationReader& reader,
                    TranscriptService& transcripts, Clock& clock, IdGenerator& ids, std::string dir)
      : store_(store),
        cipher_(cipher),
        reader_(reader),
        transcripts_(transcripts),
        clock_(clock),
        ids_(ids),
        dir_(std::move(dir)) {}

  // The job (kind "bulk_export"): scanned = sessions written, changed = entries
  // written, cursor = the request as JSON.
  absl::StatusOr<Job> Run(std::string_view tenant_id, const BulkExportRequest& request);
  absl::StatusOr<std::shared_ptr<BodySource>> Open(const Job& job);
  std::string PathOf(const Job& job) const;
  // Deletes the files of finished exports older than kLifetime, and files
  // whose job is gone. Returns how many were deleted.
  absl::StatusOr<int> DeleteExpired();
  static std::string ContentType(std::string_view format);

 private:
  Store& store_;
  crypto::FieldCipher& cipher_;
  ConversationReader& reader_;
  TranscriptService& transcripts_;
  Clock& clock_;
  IdGenerator& ids_;
  const std::string dir_;
};

}  // namespace convault::privacy
