#include "privacy/retention.h"

#include "common/status.h"
#include "nlohmann/json.hpp"

namespace convault::privacy {
namespace {

void Add(ErasureCounts& into, const ErasureCounts& n) {
  into.sessions += n.sessions;
  into.entries += n.entries;
  into.participants += n.participants;
  into.context_entries += n.context_entries;
  into.transcripts += n.transcripts;
  into.tokens += n.tokens;
  into.outbox += n.outbox;
  into.inbound_records += n.inbound_records;
  into.idempotent_responses += n.idempotent_responses;
  into.index_entries += n.index_entries;
}

}  // namespace

absl::StatusOr<RetentionCounts> RetentionSweeper::RunOnce() {
  RetentionCounts total;
  auto tenants = store_.ListTenants();
  if (!tenants.ok()) return tenants.status();
  const absl::Time now = clock_.Now();
  for (const Tenant& tenant : *tenants) {
    auto settings = store_.GetSettings(tenant.id);
    if (!settings.ok()) return settings.status();
    RetentionCounts mine;
    ListOptions options;
    options.limit = 100;
    while (true) {
      auto channels = store_.ListChannels(tenant.id, options);
      if (!channels.ok()) return channels.status();
      for (const Channel& channel : channels->items) {
        int days =
            channel.retention_days > 0 ? channel.retention_days : settings->default_retention_days;
        if (days <= 0) continue;
        absl::Time before = now - absl::Hours(24) * days;
        while (true) {
          auto batch = store_.ExpireSessions(tenant.id, channel.id, before, kBatch);
          if (!batch.ok()) return batch.status();
          Add(mine.deleted, batch->deleted);
          for (const std::string& end_user : batch->emptied_end_users) {
            auto erased = privacy_.Submit(tenant.id, "erase", end_user, "retention period passed",
                                          Requester{"system", "system", "retention"});
            if (absl::IsNotFound(erased.status())) continue;  // erased meanwhile
            if (!erased.ok()) return erased.status();
            if (erased->status == "completed") ++mine.end_users_erased;
          }
          if (batch->deleted.sessions < kBatch) break;
        }
      }
      if (!channels->next_cursor) break;
      options.after = *channels->next_cursor;
    }
    if (mine.deleted.sessions > 0 || mine.end_users_erased > 0) {
      nlohmann::json detail = {{"sessions", mine.deleted.sessions},
                               {"entries", mine.deleted.entries},
                               {"context_entries", mine.deleted.context_entries},
                               {"transcripts", mine.deleted.transcripts},
                               {"end_users_erased", mine.end_users_erased}};
      std::string text = detail.dump();
      AuditEvent e;
      e.tenant_id = tenant.id;
      e.actor = "system";
      e.roles = "system";
      e.action = "retention.sweep";
      e.object_type = "sessions";
      e.purpose = "retention";
      e.outcome = "ok";
      e.detail = text;
      CV_RETURN_IF_ERROR(audit_.Append(e).status());
    }
    Add(total.deleted, mine.deleted);
    total.end_users_erased += mine.end_users_erased;
  }
  return total;
}

}  // namespace convault::privacy
