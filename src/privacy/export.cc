#include "privacy/export.h"

#include <filesystem>
#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/json_text.h"
#include "common/status.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "crypto/hash.h"
#include "messaging/transcripts.h"
#include "nlohmann/json.hpp"
#include "openssl/evp.h"
#include "privacy/privacy_service.h"
#include "privacy/sealed_file.h"

namespace convault::privacy {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

Json Optional(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }

std::string Time(absl::Time t) { return t == absl::InfinitePast() ? "" : FormatRfc3339(t); }

SealedFileId FileOf(const PrivacyRequest& r) { return {r.tenant_id, r.id, r.end_user_id}; }

// Incremental SHA-256 of one part of the document.
class PartHash {
 public:
  PartHash() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~PartHash() { EVP_MD_CTX_free(ctx_); }
  PartHash(const PartHash&) = delete;
  PartHash& operator=(const PartHash&) = delete;
  void Add(std::string_view bytes) { EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()); }
  std::string Hex() {
    unsigned char digest[32];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_, digest, &n);
    return crypto::HexEncode(std::string_view(reinterpret_cast<const char*>(digest), n));
  }

 private:
  EVP_MD_CTX* ctx_;
};

}  // namespace

std::string ExportService::PathOf(const PrivacyRequest& r) const {
  return SealedFilePath(dir_, FileOf(r));
}

absl::StatusOr<ExportSummary> ExportService::Write(const PrivacyRequest& r) {
  auto user = reader_.EndUser(r.tenant_id, r.end_user_id);
  if (!user.ok()) return user.status();
  const std::string path = PathOf(r);
  const std::string partial = path + ".partial";
  auto created = CreateSealedFile(dir_, partial);
  if (!created.ok()) return created.status();
  std::ofstream& out = *created;
  SealedFileWriter w(cipher_, FileOf(r), out);
  std::map<std::string, int64_t> counts;
  std::map<std::string, std::string> hashes;
  // Writes one part: `"name":` then what `body` writes, hashed.
  auto part = [&](const char* name, const std::function<absl::Status()>& body) -> absl::Status {
    CV_RETURN_IF_ERROR(w.Write(absl::StrCat(",\"", name, "\":")));
    PartHash hash;
    w.Observe([&hash](std::string_view bytes) { hash.Add(bytes); });
    absl::Status s = body();
    w.Observe(nullptr);
    hashes[name] = hash.Hex();
    return s;
  };

  Json head = {{"format", "convault-export-v1"},
               {"request_id", r.id},
               {"tenant_id", r.tenant_id},
               {"generated_at", FormatRfc3339(clock_.Now())}};
  std::string head_text = head.dump();
  head_text.pop_back();  // the object stays open for the parts
  absl::Status status = w.Write(head_text);
  if (!status.ok()) return status;

  const EndUser& u = user->end_user;
  status = part("end_user", [&] {
    counts["end_users"] = 1;
    return w.Write(Json{{"id", u.id},
                        {"channel_id", u.channel_id},
                        {"platform_key", Optional(user->platform_key)},
                        {"name", Optional(user->name)},
                        {"profile_picture_url", Optional(user->profile_picture_url)},
                        {"locale", u.locale},
                        {"has_initial_response_sent", u.has_initial_response_sent},
                        {"processing_restricted", u.processing_restricted},
                        {"legal_hold", u.legal_hold},
                        {"created_at", FormatRfc3339(u.created_at)},
                        {"updated_at", FormatRfc3339(u.updated_at)}}
                       .dump());
  });
  if (!status.ok()) return status;

  status = part("sessions", [&]() -> absl::Status {
    // Written with JsonText into `buf`, handed to the sealed writer a batch
    // at a time; the text transcript is built from the same walk.
    std::string buf;
    JsonText j(buf);
    auto drain = [&]() -> absl::Status {
      absl::Status s = w.Write(buf);
      buf.clear();
      return s;
    };
    j.BeginArray();
    SessionFilter filter;
    filter.end_user_id = u.id;
    ListOptions options;
    options.limit = 100;
    std::string transcript;
    std::string at;
    while (true) {
      auto page = store_.ListSessions(r.tenant_id, filter, options);
      if (!page.ok()) return page.status();
      for (const Session& s : page->items) {
        bool ended = s.status == SessionStatus::kEnded;
        // Members in name order, as the rest of the API writes them.
        j.BeginObject().Key("channel_id").String(s.channel_id).Key("context").BeginArray();
        auto context = reader_.Context(s);
        if (!context.ok()) return context.status();
        for (const OpenedContext& c : *context) {
          j.BeginObject()
              .Key("id")
              .String(c.id)
              .Key("key")
              .OptionalString(c.key)
              .Key("value")
              .OptionalString(c.value)
              .EndObject();
        }
        counts["context_entries"] += static_cast<int64_t>(context->size());
        j.EndArray().Key("end_reason").String(s.end_reason).Key("ended_at");
        if (ended) {
          j.Time(s.ended_at);
        } else {
          j.String("");
        }
        j.Key("entries").BeginArray();
        transcript.clear();
        std::optional<std::string> ended_at;
        if (ended) ended_at = FormatRfc3339(s.ended_at);
        AppendTranscriptTextHeading(transcript, s.id, FormatRfc3339(s.started_at),
                                    ended_at ? &*ended_at : nullptr);
        CV_RETURN_IF_ERROR(reader_.ForEachEntry(s, [&](const OpenedEntry& o) -> absl::Status {
          ++counts["entries"];
          AppendEntryJson(j, o);
          at.clear();
          AppendRfc3339(at, o.entry.created_at);
          AppendTranscriptTextLine(transcript, at, ActorTypeName(o.entry.actor),
                                   o.actor_name ? &*o.actor_name : nullptr,
                                   o.text ? &*o.text : nullptr);
          return buf.size() >= SealedFileWriter::kChunkBytes ? drain() : absl::OkStatus();
        }));
        j.EndArray().Key("id").String(s.id).Key("last_activity_at").Time(s.last_activity_at);
        j.Key("participants").BeginArray();
        auto participants = reader_.Participants(s);
        if (!participants.ok()) return participants.status();
        for (const OpenedParticipant& p : *participants) {
          j.BeginObject()
              .Key("display_name")
              .OptionalString(p.display_name)
              .Key("id")
              .String(p.participant.id)
              .Key("joined_at")
              .Time(p.participant.joined_at)
              .Key("role")
              .String(ActorTypeName(p.participant.role))
              .EndObject();
        }
        counts["participants"] += static_cast<int64_t>(participants->size());
        ++counts["transcripts"];
        ++counts["sessions"];
        j.EndArray()
            .Key("started_at")
            .Time(s.started_at)
            .Key("status")
            .String(SessionStatusName(s.status))
            .Key("transcript_text")
            .String(transcript)
            .EndObject();
        CV_RETURN_IF_ERROR(drain());
      }
      if (!page->next_cursor) break;
      options.after = *page->next_cursor;
    }
    j.EndArray();
    return drain();
  });
  if (!status.ok()) return status;

  status = part("consent_history", [&]() -> absl::Status {
    auto ledger = store_.ListConsent(r.tenant_id, u.id);
    if (!ledger.ok()) return ledger.status();
    Json items = Json::array();
    for (const ConsentRecord& c : *ledger) {
      Json evidence = Json::parse(c.evidence, nullptr, false);
      if (evidence.is_discarded() || evidence.contains("sealed")) evidence = Json::object();
      items.push_back({{"id", c.id},
                       {"channel_id", c.channel_id},
                       {"purpose", c.purpose},
                       {"status", c.status},
                       {"source", c.source},
                       {"evidence", evidence},
                       {"captured_at", FormatRfc3339(c.captured_at)},
                       {"effective_from", FormatRfc3339(c.effective_from)}});
    }
    counts["consent_records"] = static_cast<int64_t>(items.size());
    return w.Write(items.dump());
  });
  if (!status.ok()) return status;

  status = part("privacy_requests", [&]() -> absl::Status {
    Json items = Json::array();
    CV_RETURN_IF_ERROR(
        ForEachPrivacyRequest(store_, r.tenant_id, u.id, "", [&](const PrivacyRequest& p) {
          items.push_back({{"id", p.id},
                           {"type", p.type},
                           {"status", p.id == r.id ? "completed" : p.status},
                           {"created_at", FormatRfc3339(p.created_at)},
                           {"due_at", FormatRfc3339(p.due_at)},
                           {"completed_at", Time(p.completed_at)}});
          return absl::OkStatus();
        }));
    counts["privacy_requests"] = static_cast<int64_t>(items.size());
    return w.Write(items.dump());
  });
  if (!status.ok()) return status;

  status = part("audit_records", [&]() -> absl::Status {
    auto hash = audit_.SubjectHash(r.tenant_id, u.id);
    if (!hash.ok()) return hash.status();
    CV_RETURN_IF_ERROR(w.Write("["));
    int64_t after = 0;
    bool first = true;
    while (true) {
      auto page = store_.ListAuditBySubject(r.tenant_id, *hash, after, 1000);
      if (!page.ok()) return page.status();
      if (page->empty()) break;
      for (const AuditRecord& a : *page) {
        Json record = {{"seq", a.seq},       {"at", FormatRfc3339(a.at)}, {"actor", a.actor},
                       {"action", a.action}, {"purpose", a.purpose},      {"outcome", a.outcome}};
        CV_RETURN_IF_ERROR(w.Write(absl::StrCat(first ? "" : ",", record.dump())));
        first = false;
        ++counts["audit_records"];
        after = a.seq;
      }
    }
    return w.Write("]");
  });
  if (!status.ok()) return status;

  Json manifest = {{"counts", counts}, {"sha256", hashes}};
  CV_RETURN_IF_ERROR(w.Write(absl::StrCat(",\"manifest\":", manifest.dump(), "}")));
  CV_RETURN_IF_ERROR(w.Finish());
  out.close();
  if (!out) return absl::UnavailableError("cannot write the export file");
  std::error_code ec;
  fs::rename(partial, path, ec);
  if (ec) return absl::UnavailableError("cannot finish the export file");
  ExportSummary summary;
  summary.bytes = w.total();
  summary.expires_at = clock_.Now() + kLifetime;
  summary.manifest_json = manifest.dump();
  return summary;
}

absl::StatusOr<std::shared_ptr<BodySource>> ExportService::Open(const PrivacyRequest& r) {
  auto source = std::make_shared<SealedFileSource>(cipher_, FileOf(r), PathOf(r));
  if (!source->ok()) return absl::NotFoundError("the export is no longer available");
  return std::shared_ptr<BodySource>(std::move(source));
}

absl::Status ExportService::Delete(const PrivacyRequest& r) {
  std::error_code ec;
  fs::remove(PathOf(r), ec);
  fs::remove(PathOf(r) + ".partial", ec);
  return absl::OkStatus();
}

absl::StatusOr<int> ExportService::DeleteExpired() {
  std::error_code ec;
  if (!fs::exists(dir_, ec)) return 0;
  int deleted = 0;
  for (const auto& f : fs::directory_iterator(dir_, ec)) {
    std::string name = f.path().filename().string();
    std::vector<std::string> parts = absl::StrSplit(name, '.');
    if (parts.size() == 4 && parts[2] == "cvx" && parts[3] == "partial" &&
        parts[1].rfind("prq_", 0) == 0) {
      // Left by a crash mid-write: gone once its request is no longer pending.
      auto request = store_.GetPrivacyRequest(parts[0], parts[1]);
      if (!request.ok() || request->status != "pending") fs::remove(f.path(), ec);
      continue;
    }
    // Bulk exports (exp_...) share the folder; BulkExportService expires them.
    if (parts.size() != 3 || parts[2] != "cvx" || parts[1].rfind("prq_", 0) != 0) continue;
    auto request = store_.GetPrivacyRequest(parts[0], parts[1]);
    bool expired = !request.ok() || request->completed_at == absl::InfinitePast() ||
                   clock_.Now() >= request->completed_at + kLifetime;
    if (!expired) continue;
    fs::remove(f.path(), ec);
    if (!ec) ++deleted;
  }
  return deleted;
}

}  // namespace convault::privacy
