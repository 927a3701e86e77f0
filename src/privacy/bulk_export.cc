#include "privacy/bulk_export.h"

#include <filesystem>
#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/json_text.h"
#include "common/status.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "nlohmann/json.hpp"
#include "privacy/sealed_file.h"

namespace convault::privacy {
namespace {

using Json = nlohmann::json;

SealedFileId FileOf(const Job& job) { return {job.tenant_id, job.id, ""}; }

// RFC 4180: quoted when it holds a comma, a quote or a line break.
std::string Csv(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  return absl::StrCat("\"", absl::StrReplaceAll(Sv(v), {{"\"", "\"\""}}), "\"");
}

}  // namespace

std::string BulkExportService::PathOf(const Job& job) const {
  return SealedFilePath(dir_, FileOf(job));
}

absl::StatusOr<int> BulkExportService::DeleteExpired() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(dir_, ec)) return 0;
  int deleted = 0;
  for (const auto& f : fs::directory_iterator(dir_, ec)) {
    // <tenant>.<exp_id>.cvx (docs/formats/bulk-export.md); subject exports
    // (prq_...) are ExportService's.
    std::vector<std::string> parts = absl::StrSplit(f.path().filename().string(), '.');
    if (parts.size() != 3 || parts[2] != "cvx" || parts[1].rfind("exp_", 0) != 0) continue;
    auto job = store_.GetJob(parts[0], parts[1]);
    if (job.ok() && (job->status == "running" || clock_.Now() < job->updated_at + kLifetime)) {
      continue;
    }
    fs::remove(f.path(), ec);
    if (!ec) ++deleted;
  }
  return deleted;
}

std::string BulkExportService::ContentType(std::string_view format) {
  if (format == "jsonl") return "application/x-ndjson";
  if (format == "csv") return "text/csv; charset=utf-8";
  return "text/plain; charset=utf-8";
}

absl::StatusOr<Job> BulkExportService::Run(std::string_view tenant_id,
                                           const BulkExportRequest& request) {
  Job job;
  job.id = ids_.NewId("exp");
  job.tenant_id = std::string(tenant_id);
  job.kind = "bulk_export";
  job.status = "running";
  job.created_at = clock_.Now();
  job.updated_at = job.created_at;
  job.cursor = Json{{"format", request.format},
                    {"channel_id", request.channel_id},
                    {"include_restricted", request.include_restricted}}
                   .dump();
  CV_RETURN_IF_ERROR(store_.PutJob(job));
  auto created = CreateSealedFile(dir_, PathOf(job));
  if (!created.ok()) return created.status();
  std::ofstream& out = *created;
  SealedFileWriter w(cipher_, FileOf(job), out);
  if (request.format == "csv") {
    CV_RETURN_IF_ERROR(
        w.Write("session_id,channel_id,end_user_id,seq,created_at,direction,actor_type,actor_name,"
                "text\r\n"));
  }
  std::map<std::string, bool> restricted;  // end user -> processing_restricted
  std::string line;                        // one jsonl line, reused
  SessionFilter filter;
  filter.channel_id = request.channel_id;
  filter.since = request.from;
  ListOptions options;
  options.limit = 100;
  while (true) {
    auto page = store_.ListSessions(tenant_id, filter, options);
    if (!page.ok()) return page.status();
    for (const Session& s : page->items) {
      if (s.started_at >= request.to) continue;
      auto known = restricted.find(s.end_user_id);
      if (known == restricted.end()) {
        auto user = store_.GetEndUser(tenant_id, s.end_user_id);
        if (!user.ok()) continue;
        known = restricted.emplace(s.end_user_id, user->processing_restricted).first;
      }
      if (known->second && !request.include_restricted) continue;
      ++job.scanned;
      if (request.format == "text") {
        auto text = transcripts_.Render(s, "text");
        if (!text.ok()) return text.status();
        CV_RETURN_IF_ERROR(w.Write(text->second));
        CV_RETURN_IF_ERROR(w.Write("\n"));
        continue;
      }
      absl::Status written = reader_.ForEachEntry(s, [&](const OpenedEntry& o) -> absl::Status {
        const Entry& e = o.entry;
        std::string_view direction = e.direction == Direction::kInbound ? "inbound" : "outbound";
        std::string_view actor = ActorTypeName(e.actor);
        ++job.changed;
        if (request.format == "csv") {
          return w.Write(absl::StrCat(
              Csv(s.id), ",", Csv(s.channel_id), ",", Csv(s.end_user_id), ",", e.seq, ",",
              Csv(FormatRfc3339(e.created_at)), ",", Sv(direction), ",", Sv(actor), ",",
              Csv(o.actor_name.value_or("")), ",", Csv(o.text.value_or("")), "\r\n"));
        }
        line.clear();
        JsonText j(line);
        j.BeginObject()
            .Key("actor_name")
            .OptionalString(o.actor_name)
            .Key("actor_type")
            .String(actor)
            .Key("channel_id")
            .String(s.channel_id)
            .Key("created_at")
            .Time(e.created_at)
            .Key("direction")
            .String(direction)
            .Key("end_user_id")
            .String(s.end_user_id)
            .Key("seq")
            .Int(e.seq)
            .Key("session_id")
            .String(s.id)
            .Key("text")
            .OptionalString(o.text)
            .EndObject();
        line += '\n';
        return w.Write(line);
      });
      if (!written.ok()) return written;
    }
    if (!page->next_cursor) break;
    options.after = *page->next_cursor;
  }
  CV_RETURN_IF_ERROR(w.Finish());
  out.close();
  if (!out) return absl::UnavailableError("cannot write the export file");
  job.status = "completed";
  job.updated_at = clock_.Now();
  CV_RETURN_IF_ERROR(store_.PutJob(job));
  return job;
}

absl::StatusOr<std::shared_ptr<BodySource>> BulkExportService::Open(const Job& job) {
  auto source = std::make_shared<SealedFileSource>(cipher_, FileOf(job), PathOf(job));
  if (!source->ok()) return absl::NotFoundError("the export is no longer available");
  return std::shared_ptr<BodySource>(std::move(source));
}

}  // namespace convault::privacy
