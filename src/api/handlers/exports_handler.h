#pragma once

#include "api/router.h"
#include "common/clock.h"
#include "privacy/bulk_export.h"

namespace convault {

// Bulk transcript exports (roles admin, privacy_officer):
//   POST /v1/exports {format: jsonl | csv | text, channel_id?, from?, to?, include_restricted?}
//        -> 202 the export job, already complete; include_restricted only for privacy officers
//   GET  /v1/exports/{id}            -> the job
//   GET  /v1/exports/{id}/download   -> the file, streamed (30 days)
class ExportsHandler {
 public:
  ExportsHandler(Store& store, privacy::BulkExportService& exports, Clock& clock)
      : store_(store), exports_(exports), clock_(clock) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> Create(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Get(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Download(const RequestContext& ctx);
  absl::StatusOr<Job> Load(const RequestContext& ctx);

  Store& store_;
  privacy::BulkExportService& exports_;
  Clock& clock_;
};

}  // namespace convault
