#include "api/handlers/exports_handler.h"

#include "api/api_service.h"
#include "api/json.h"
#include "common/status.h"
#include "common/time_format.h"

namespace convault {
namespace {

const RoleSet kExporters{Role::kAdmin, Role::kPrivacyOfficer};

Json ExportJson(const Job& j) {
  Json request = Json::parse(j.cursor, nullptr, false);
  if (request.is_discarded()) request = Json::object();
  return {{"id", j.id},
          {"status", j.status},
          {"format", request.value("format", "")},
          {"channel_id", request.value("channel_id", "").empty()
                             ? Json(nullptr)
                             : Json(request.value("channel_id", ""))},
          {"include_restricted", request.value("include_restricted", false)},
          {"sessions", j.scanned},
          {"entries", j.changed},
          {"created_at", FormatRfc3339(j.created_at)},
          {"expires_at", FormatRfc3339(j.updated_at + privacy::BulkExportService::kLifetime)},
          {"download", "/v1/exports/" + j.id + "/download"}};
}

}  // namespace

void ExportsHandler::Register(Router& router) {
  router.Add({"POST", "/v1/exports", false, kExporters,
              [this](const RequestContext& c) { return Create(c); }});
  router.Add({"GET", "/v1/exports/{id}", false, kExporters,
              [this](const RequestContext& c) { return Get(c); }});
  router.Add({"GET", "/v1/exports/{id}/download", false, kExporters,
              [this](const RequestContext& c) { return Download(c); }});
}

absl::StatusOr<HttpResponse> ExportsHandler::Create(const RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return body.status();
  JsonFields f(*body);
  f.RejectUnknown({"format", "channel_id", "from", "to", "include_restricted"});
  privacy::BulkExportRequest request;
  if (auto v = f.RequiredString("format", 1, 8)) {
    if (*v == "jsonl" || *v == "csv" || *v == "text") {
      request.format = *v;
    } else {
      f.AddError("format", "must be jsonl, csv or text");
    }
  }
  if (auto v = f.OptionalString("channel_id", 1, 100)) {
    if (!store_.GetChannel(ctx.principal->tenant_id, *v).ok()) {
      f.AddError("channel_id", "is not a channel of this tenant");
    }
    request.channel_id = *v;
  }
  for (const char* name : {"from", "to"}) {
    if (auto v = f.OptionalString(name, 1, 64)) {
      auto t = ParseRfc3339(*v);
      if (!t.ok()) {
        f.AddError(name, "must be an RFC 3339 time");
      } else {
        (std::string_view(name) == "from" ? request.from : request.to) = *t;
      }
    }
  }
  if (auto v = f.OptionalBool("include_restricted")) request.include_restricted = *v;
  CV_RETURN_IF_ERROR(f.Finish());
  if (request.include_restricted && !ctx.principal->roles.Has(Role::kPrivacyOfficer)) {
    return absl::PermissionDeniedError(
        "only a privacy officer may include end users whose processing is restricted");
  }
  auto job = exports_.Run(ctx.principal->tenant_id, request);
  if (!job.ok()) return job.status();
  ctx.audit_detail = Json({{"export_id", job->id},
                           {"sessions", job->scanned},
                           {"include_restricted", request.include_restricted}})
                         .dump();
  HttpResponse res = JsonResponse(202, ExportJson(*job));
  res.headers.emplace_back("Location", "/v1/exports/" + job->id);
  return res;
}

absl::StatusOr<Job> ExportsHandler::Load(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "exp")) return absl::NotFoundError("no such export");
  auto job = store_.GetJob(ctx.principal->tenant_id, id);
  if (absl::IsNotFound(job.status()) || (job.ok() && job->kind != "bulk_export")) {
    return absl::NotFoundError("no such export");
  }
  return job;
}

absl::StatusOr<HttpResponse> ExportsHandler::Get(const RequestContext& ctx) {
  auto job = Load(ctx);
  if (!job.ok()) return job.status();
  return JsonResponse(200, ExportJson(*job));
}

absl::StatusOr<HttpResponse> ExportsHandler::Download(const RequestContext& ctx) {
  auto job = Load(ctx);
  if (!job.ok()) return job.status();
  if (job->status != "completed") return absl::NotFoundError("the export is not complete");
  if (clock_.Now() >= job->updated_at + privacy::BulkExportService::kLifetime) {
    return WithCode(absl::NotFoundError("the export has expired and was deleted"),
                    "export_expired");
  }
  auto source = exports_.Open(*job);
  if (absl::IsNotFound(source.status())) {
    return WithCode(absl::NotFoundError("the export is no longer available"), "export_expired");
  }
  if (!source.ok()) return source.status();
  Json request = Json::parse(job->cursor, nullptr, false);
  std::string format = request.is_discarded() ? "jsonl" : request.value("format", "jsonl");
  HttpResponse res;
  res.status = 200;
  res.content_type = privacy::BulkExportService::ContentType(format);
  res.stream = std::move(*source);
  return res;
}

}  // namespace convault
