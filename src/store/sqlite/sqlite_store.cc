#include "store/sqlite/sqlite_store.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "common/time_format.h"
#include "nlohmann/json.hpp"
#include "store/sqlite/migrator.h"
#include "store/sqlite/rows.h"

namespace convault {

using sqlite::Connection;
using sqlite::Statement;

namespace {

Tenant TenantFromRow(const Statement& s) {
  return Tenant{s.Text(0), s.Text(1), FromStorageMicros(s.Int(2))};
}

// The columns ApiKeyFromRow reads, in order (one string literal per statement:
// the key of the prepared-statement cache).
#define CV_API_KEY_COLUMNS "id, tenant_id, name, roles, secret_hash, created_at"

ApiKey ApiKeyFromRow(const Statement& s) {
  ApiKey k;
  k.id = s.Text(0);
  k.tenant_id = s.Text(1);
  k.name = s.Text(2);
  k.roles = RoleSet(static_cast<uint32_t>(s.Int(3)));
  k.secret_hash = s.Blob(4);
  k.created_at = FromStorageMicros(s.Int(5));
  return k;
}

absl::Status InsertApiKey(Connection& c, const ApiKey& key) {
  CV_SQL(q, c,
         "INSERT INTO api_keys (id, tenant_id, name, roles, secret_hash, created_at) "
         "SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM tenants WHERE id = ?2)");
  CV_RETURN_IF_ERROR(q->Bind(1, key.id)
                         .Bind(2, key.tenant_id)
                         .Bind(3, key.name)
                         .Bind(4, int64_t{key.roles.bits()})
                         .BindBlob(5, key.secret_hash)
                         .Bind(6, ToStorageMicros(key.created_at))
                         .Run());
  if (c.Changes() == 0) return absl::NotFoundError("tenant not found");
  return absl::OkStatus();
}

#define CV_RULE_COLUMNS                                                                           \
  "id, tenant_id, name, description, enabled, priority, detector, pattern, action, replacement, " \
  "mask_char, keep_last, applies_to, channel_ids, created_at, updated_at"

SensitiveDataRule RuleFromRow(const Statement& s) {
  SensitiveDataRule r;
  r.id = s.Text(0);
  r.tenant_id = s.Text(1);
  r.name = s.Text(2);
  r.description = s.Text(3);
  r.enabled = s.Int(4) != 0;
  r.priority = static_cast<int>(s.Int(5));
  r.detector = s.Text(6);
  r.pattern = s.Text(7);
  r.action = static_cast<RedactionAction>(s.Int(8));
  r.replacement = s.Text(9);
  r.mask_char = s.Text(10);
  r.keep_last = static_cast<int>(s.Int(11));
  r.applies_to = static_cast<uint32_t>(s.Int(12));
  std::string channels = s.Text(13);
  if (!channels.empty()) r.channel_ids = absl::StrSplit(channels, ',');
  r.created_at = FromStorageMicros(s.Int(14));
  r.updated_at = FromStorageMicros(s.Int(15));
  return r;
}

// Binds every column of CV_RULE_COLUMNS, in that order, from 1.
Statement& BindRule(Statement& q, const SensitiveDataRule& r) {
  return q.Bind(1, r.id)
      .Bind(2, r.tenant_id)
      .Bind(3, r.name)
      .Bind(4, r.description)
      .Bind(5, int64_t{r.enabled ? 1 : 0})
      .Bind(6, int64_t{r.priority})
      .Bind(7, r.detector)
      .Bind(8, r.pattern)
      .Bind(9, static_cast<int64_t>(r.action))
      .Bind(10, r.replacement)
      .Bind(11, r.mask_char)
      .Bind(12, int64_t{r.keep_last})
      .Bind(13, int64_t{r.applies_to})
      .Bind(14, absl::StrJoin(r.channel_ids, ","))
      .Bind(15, ToStorageMicros(r.created_at))
      .Bind(16, ToStorageMicros(r.updated_at));
}

absl::Status InsertRule(Connection& c, const SensitiveDataRule& r) {
  CV_SQL(q, c,
         "INSERT INTO sensitive_data_rules (" CV_RULE_COLUMNS
         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  return BindRule(*q, r).Run();
}

// Increases the tenant's rule-set version (creating it at 1) and returns it.
absl::StatusOr<int64_t> BumpRuleSetVersion(Connection& c, std::string_view tenant_id) {
  CV_SQL(q, c,
         "INSERT INTO rule_sets (tenant_id, version) VALUES (?1, 1) "
         "ON CONFLICT (tenant_id) DO UPDATE SET version = version + 1 "
         "RETURNING version");
  CV_ASSIGN_OR_RETURN(bool row, q->Bind(1, tenant_id).Step());
  if (!row) return absl::InternalError("rule set version not returned");
  int64_t version = q->Int(0);
  q->Reset();
  return version;
}

absl::Status TenantExists(Connection& c, std::string_view tenant_id) {
  CV_SQL(q, c, "SELECT 1 FROM tenants WHERE id = ?");
  CV_ASSIGN_OR_RETURN(bool row, q->Bind(1, tenant_id).Step());
  q->Reset();
  if (!row) return absl::NotFoundError("tenant not found");
  return absl::OkStatus();
}

// Channel settings kept as JSON text columns.
std::string AcknowledgmentJson(const Acknowledgment& a) {
  nlohmann::json j = {
      {"enabled", a.enabled}, {"text", a.text}, {"locales", a.locales}, {"version", a.version}};
  return j.dump();
}

Acknowledgment AcknowledgmentFromJson(const std::string& text) {
  Acknowledgment a;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return a;
  a.enabled = j.value("enabled", false);
  a.text = j.value("text", "");
  a.locales = j.value("locales", std::map<std::string, std::string>{});
  a.version = j.value("version", 0);
  return a;
}

std::string ConsentJson(const ChannelConsent& c) {
  nlohmann::json j = {{"required_level", c.required_level},
                      {"opt_out_keywords", c.opt_out_keywords},
                      {"opt_in_keywords", c.opt_in_keywords},
                      {"help_keywords", c.help_keywords},
                      {"replies", c.replies}};
  return j.dump();
}

ChannelConsent ConsentFromJson(const std::string& text) {
  ChannelConsent c;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return c;
  using Words = std::vector<std::string>;
  c.required_level = j.value("required_level", c.required_level);
  c.opt_out_keywords = j.value("opt_out_keywords", Words{});
  c.opt_in_keywords = j.value("opt_in_keywords", Words{});
  c.help_keywords = j.value("help_keywords", Words{});
  c.replies = j.value("replies", std::map<std::string, std::string>{});
  return c;
}

#define CV_CHANNEL_COLUMNS                                                                      \
  "id, tenant_id, type, name, address, region, credentials, credential_names, acknowledgment, " \
  "consent, session_inactivity_minutes, session_end_hours, retention_days, api_base_url, "      \
  "outbound_url, hipaa_attested, enabled, created_at, updated_at"

Channel ChannelFromRow(const Statement& s) {
  Channel c;
  c.id = s.Text(0);
  c.tenant_id = s.Text(1);
  c.type = static_cast<ChannelType>(s.Int(2));
  c.name = s.Text(3);
  c.address = s.Text(4);
  c.region = s.Text(5);
  c.credentials_sealed = s.Blob(6);
  std::string names = s.Text(7);
  if (!names.empty()) c.credential_names = absl::StrSplit(names, ',');
  c.acknowledgment = AcknowledgmentFromJson(s.Text(8));
  c.consent = ConsentFromJson(s.Text(9));
  c.session_inactivity_minutes = static_cast<int>(s.Int(10));
  c.session_end_hours = static_cast<int>(s.Int(11));
  c.retention_days = static_cast<int>(s.Int(12));
  c.api_base_url = s.Text(13);
  c.outbound_url = s.Text(14);
  c.hipaa_attested = s.Int(15) != 0;
  c.enabled = s.Int(16) != 0;
  c.created_at = FromStorageMicros(s.Int(17));
  c.updated_at = FromStorageMicros(s.Int(18));
  return c;
}

Statement& BindChannel(Statement& q, const Channel& c) {
  return q.Bind(1, c.id)
      .Bind(2, c.tenant_id)
      .Bind(3, static_cast<int64_t>(c.type))
      .Bind(4, c.name)
      .Bind(5, c.address)
      .Bind(6, c.region)
      .BindBlob(7, c.credentials_sealed)
      .Bind(8, absl::StrJoin(c.credential_names, ","))
      .Bind(9, AcknowledgmentJson(c.acknowledgment))
      .Bind(10, ConsentJson(c.consent))
      .Bind(11, int64_t{c.session_inactivity_minutes})
      .Bind(12, int64_t{c.session_end_hours})
      .Bind(13, int64_t{c.retention_days})
      .Bind(14, c.api_base_url)
      .Bind(15, c.outbound_url)
      .Bind(16, int64_t{c.hipaa_attested ? 1 : 0})
      .Bind(17, int64_t{c.enabled ? 1 : 0})
      .Bind(18, ToStorageMicros(c.created_at))
      .Bind(19, ToStorageMicros(c.updated_at));
}

// The cache key of a channel (tenant ids, made by the server, hold no NUL).
std::string ChannelKey(std::string_view tenant_id, std::string_view channel_id) {
  std::string key;
  key.reserve(tenant_id.size() + 1 + channel_id.size());
  key.append(tenant_id).push_back('\0');
  key.append(channel_id);
  return key;
}

absl::Status Renamed(absl::Status s, std::string_view what) {
  if (absl::IsAlreadyExists(s)) return absl::AlreadyExistsError(std::string(what));
  return s;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const Options& options,
                                                               Clock& clock) {
  Connection::Options co;
  co.busy_timeout_ms = options.busy_timeout_ms;
  auto conn = Connection::Open(options.path, co);
  if (!conn.ok()) return conn.status();
  CV_RETURN_IF_ERROR(sqlite::ApplyMigrations(**conn, sqlite::DataMigrations(), clock.Now()));
  auto checkpointer = sqlite::Checkpointer::Open(options.path, co, options.checkpoint_pages);
  if (!checkpointer.ok()) return checkpointer.status();
  (*checkpointer)->Install(**conn);
  auto readers = sqlite::ReadPool::Open(options.path, options.read_connections, co);
  if (!readers.ok()) return readers.status();
  auto writer = std::make_unique<sqlite::GroupCommitWriter>(std::move(*conn), options.max_batch,
                                                            options.commit_observer);
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(std::move(writer), std::move(*readers), std::move(*checkpointer)));
}

SqliteStore::~SqliteStore() { Close(); }

void SqliteStore::Close() {
  writer_->Stop();  // the last commit has reported to the checkpointer
  checkpointer_->Stop();
  readers_->Close();
}

int SqliteStore::CheckpointPassesForTesting() { return checkpointer_->PassesForTesting(); }

absl::Status SqliteStore::CheckReady() {
  return readers_->With([](Connection& c) -> absl::Status {
    auto v = sqlite::SchemaVersion(c);
    if (!v.ok()) return v.status();
    if (*v != sqlite::DataMigrations().back().version) {
      return absl::UnavailableError("schema migrations are not all applied");
    }
    return absl::OkStatus();
  });
}

absl::Status SqliteStore::CreateTenant(const Tenant& tenant, const ApiKey& admin_key) {
  return writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(q, c, "INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)");
    CV_RETURN_IF_ERROR(Renamed(q->Bind(1, tenant.id)
                                   .Bind(2, tenant.name)
                                   .Bind(3, ToStorageMicros(tenant.created_at))
                                   .Run(),
                               "a tenant with this name or id exists"));
    return Renamed(InsertApiKey(c, admin_key), "an api key with this id exists");
  });
}

absl::StatusOr<Tenant> SqliteStore::GetTenant(std::string_view tenant_id) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<Tenant> {
    CV_SQL(q, c, "SELECT id, name, created_at FROM tenants WHERE id = ?");
    CV_ASSIGN_OR_RETURN(bool row, q->Bind(1, tenant_id).Step());
    if (!row) return absl::NotFoundError("tenant not found");
    return TenantFromRow(*q);
  });
}

absl::StatusOr<Tenant> SqliteStore::FindTenantByName(std::string_view name) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<Tenant> {
    CV_SQL(q, c, "SELECT id, name, created_at FROM tenants WHERE name = ?");
    CV_ASSIGN_OR_RETURN(bool row, q->Bind(1, name).Step());
    if (!row) return absl::NotFoundError("tenant not found");
    return TenantFromRow(*q);
  });
}

absl::StatusOr<std::vector<Tenant>> SqliteStore::ListTenants() {
  return readers_->With([&](Connection& c) -> absl::StatusOr<std::vector<Tenant>> {
    CV_SQL(q, c, "SELECT id, name, created_at FROM tenants ORDER BY name");
    return sqlite::Collect<Tenant>(*q, TenantFromRow);
  });
}

absl::Status SqliteStore::CreateApiKey(const ApiKey& key) {
  return writer_->Write([&](Connection& c) {
    return Renamed(InsertApiKey(c, key), "an api key with this id exists");
  });
}

absl::StatusOr<ApiKey> SqliteStore::GetApiKey(std::string_view tenant_id, std::string_view key_id) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<ApiKey> {
    CV_SQL(q, c,
           "SELECT " CV_API_KEY_COLUMNS
           " FROM api_keys "
           "WHERE tenant_id = ? AND id = ?");
    CV_ASSIGN_OR_RETURN(bool row, q->Bind(1, tenant_id).Bind(2, key_id).Step());
    if (!row) return absl::NotFoundError("api key not found");
    return ApiKeyFromRow(*q);
  });
}

absl::StatusOr<ApiKey> SqliteStore::FindApiKeyForAuth(std::string_view key_id) {
  return api_keys_.GetOrRead(key_id, [&] {
    return readers_->With([&](Connection& c) -> absl::StatusOr<ApiKey> {
      CV_SQL(q, c,
             "SELECT " CV_API_KEY_COLUMNS
             " FROM api_keys "
             "WHERE id = ?");
      CV_ASSIGN_OR_RETURN(bool row, q->Bind(1, key_id).Step());
      if (!row) return absl::NotFoundError("api key not found");
      return ApiKeyFromRow(*q);
    });
  });
}

absl::StatusOr<Page<ApiKey>> SqliteStore::ListApiKeys(std::string_view tenant_id,
                                                      const ListOptions& options) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<Page<ApiKey>> {
    CV_SQL(q, c,
           "SELECT " CV_API_KEY_COLUMNS
           " FROM api_keys "
           "WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?");
    q->Bind(1, tenant_id).Bind(2, options.after).Bind(3, int64_t{options.limit} + 1);
    return sqlite::ReadPage<ApiKey>(*q, options.limit, ApiKeyFromRow);
  });
}

absl::Status SqliteStore::DeleteApiKey(std::string_view tenant_id, std::string_view key_id) {
  absl::Status deleted = writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(find, c, "SELECT roles FROM api_keys WHERE tenant_id = ? AND id = ?");
    CV_ASSIGN_OR_RETURN(bool row, find->Bind(1, tenant_id).Bind(2, key_id).Step());
    if (!row) return absl::NotFoundError("api key not found");
    if (RoleSet(static_cast<uint32_t>(find->Int(0))).Has(Role::kAdmin)) {
      CV_SQL(others, c,
             "SELECT COUNT(*) FROM api_keys WHERE tenant_id = ? AND id <> ? AND (roles & 1) <> 0");
      CV_ASSIGN_OR_RETURN(bool counted, others->Bind(1, tenant_id).Bind(2, key_id).Step());
      if (!counted || others->Int(0) == 0) {
        return WithCode(absl::FailedPreconditionError(
                            "this is the tenant's last admin key; create another admin key first"),
                        "last_admin_key");
      }
    }
    CV_SQL(del, c, "DELETE FROM api_keys WHERE tenant_id = ? AND id = ?");
    return del->Bind(1, tenant_id).Bind(2, key_id).Run();
  });
  api_keys_.Invalidate(key_id);
  return deleted;
}

absl::Status SqliteStore::AddIndexEntries(const std::vector<BlindIndexEntry>& entries) {
  return writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(q, c,
           "INSERT OR IGNORE INTO blind_index (tenant_id, index_name, token, object_type, "
           "object_id, field, subject_id, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (const BlindIndexEntry& e : entries) {
      CV_RETURN_IF_ERROR(q->Bind(1, e.tenant_id)
                             .Bind(2, e.index_name)
                             .Bind(3, static_cast<int64_t>(e.token))
                             .Bind(4, e.object_type)
                             .Bind(5, e.object_id)
                             .Bind(6, e.field)
                             .Bind(7, e.subject_id)
                             .BindBlob(8, e.value_sealed)
                             .Run());
      q->Reset();
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<BlindIndexEntry>> SqliteStore::FindIndexEntries(
    std::string_view tenant_id, std::string_view index_name, uint64_t token, int limit) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<std::vector<BlindIndexEntry>> {
    CV_SQL(q, c,
           "SELECT object_type, object_id, field, subject_id, value FROM blind_index WHERE "
           "tenant_id = ? AND index_name = ? AND token = ? LIMIT ?");
    q->Bind(1, tenant_id)
        .Bind(2, index_name)
        .Bind(3, static_cast<int64_t>(token))
        .Bind(4, int64_t{limit});
    std::vector<BlindIndexEntry> out;
    while (true) {
      CV_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      out.push_back({std::string(tenant_id), std::string(index_name), token, q->Text(0), q->Text(1),
                     q->Text(2), q->Text(3), q->Blob(4)});
    }
    return out;
  });
}

absl::StatusOr<int64_t> SqliteStore::DeleteIndexEntriesOfSubject(std::string_view tenant_id,
                                                                 std::string_view subject_id) {
  int64_t deleted = 0;
  absl::Status s = writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(q, c, "DELETE FROM blind_index WHERE tenant_id = ? AND subject_id = ?");
    CV_RETURN_IF_ERROR(q->Bind(1, tenant_id).Bind(2, subject_id).Run());
    deleted = c.Changes();
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return deleted;
}

absl::StatusOr<SensitiveDataRuleSet> SqliteStore::GetRuleSet(std::string_view tenant_id) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<SensitiveDataRuleSet> {
    // One read transaction: the version and the rules agree.
    CV_RETURN_IF_ERROR(c.Exec("BEGIN"));
    auto result = [&]() -> absl::StatusOr<SensitiveDataRuleSet> {
      SensitiveDataRuleSet set;
      CV_SQL(v, c, "SELECT version FROM rule_sets WHERE tenant_id = ?");
      CV_ASSIGN_OR_RETURN(bool row, v->Bind(1, tenant_id).Step());
      if (row) set.version = v->Int(0);
      v->Reset();
      CV_SQL(q, c,
             "SELECT " CV_RULE_COLUMNS
             " FROM sensitive_data_rules WHERE tenant_id = ? ORDER BY id");
      q->Bind(1, tenant_id);
      while (true) {
        CV_ASSIGN_OR_RETURN(bool r, q->Step());
        if (!r) break;
        set.rules.push_back(RuleFromRow(*q));
      }
      q->Reset();
      return set;
    }();
    absl::Status end = c.Exec("COMMIT");
    if (!result.ok()) return result.status();
    CV_RETURN_IF_ERROR(end);
    return result;
  });
}

absl::StatusOr<int64_t> SqliteStore::GetRuleSetVersion(std::string_view tenant_id) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<int64_t> {
    CV_SQL(q, c, "SELECT version FROM rule_sets WHERE tenant_id = ?");
    CV_ASSIGN_OR_RETURN(bool row, q->Bind(1, tenant_id).Step());
    return row ? q->Int(0) : int64_t{0};
  });
}

absl::Status SqliteStore::InitRuleSet(std::string_view tenant_id,
                                      const std::vector<SensitiveDataRule>& rules) {
  return writer_->Write([&](Connection& c) -> absl::Status {
    CV_RETURN_IF_ERROR(TenantExists(c, tenant_id));
    CV_SQL(v, c, "SELECT 1 FROM rule_sets WHERE tenant_id = ?");
    CV_ASSIGN_OR_RETURN(bool exists, v->Bind(1, tenant_id).Step());
    v->Reset();
    if (exists) return absl::OkStatus();
    for (const SensitiveDataRule& r : rules) {
      if (r.tenant_id != tenant_id) return absl::InvalidArgumentError("rule of another tenant");
      CV_RETURN_IF_ERROR(Renamed(InsertRule(c, r), "a rule with this id exists"));
    }
    return BumpRuleSetVersion(c, tenant_id).status();
  });
}

absl::StatusOr<int64_t> SqliteStore::CreateRule(const SensitiveDataRule& rule) {
  int64_t version = 0;
  absl::Status written = writer_->Write([&](Connection& c) -> absl::Status {
    CV_RETURN_IF_ERROR(TenantExists(c, rule.tenant_id));
    CV_RETURN_IF_ERROR(Renamed(InsertRule(c, rule), "a rule with this id exists"));
    CV_ASSIGN_OR_RETURN(version, BumpRuleSetVersion(c, rule.tenant_id));
    return absl::OkStatus();
  });
  if (!written.ok()) return written;
  return version;
}

absl::StatusOr<int64_t> SqliteStore::UpdateRule(const SensitiveDataRule& rule) {
  int64_t version = 0;
  absl::Status written = writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(q, c,
           "UPDATE sensitive_data_rules SET name = ?3, description = ?4, enabled = ?5, "
           "priority = ?6, detector = ?7, pattern = ?8, action = ?9, replacement = ?10, "
           "mask_char = ?11, keep_last = ?12, applies_to = ?13, channel_ids = ?14, "
           "updated_at = ?16 WHERE id = ?1 AND tenant_id = ?2 AND ?15 = ?15");
    CV_RETURN_IF_ERROR(BindRule(*q, rule).Run());
    if (c.Changes() == 0) return absl::NotFoundError("rule not found");
    CV_ASSIGN_OR_RETURN(version, BumpRuleSetVersion(c, rule.tenant_id));
    return absl::OkStatus();
  });
  if (!written.ok()) return written;
  return version;
}

absl::StatusOr<int64_t> SqliteStore::DeleteRule(std::string_view tenant_id,
                                                std::string_view rule_id) {
  int64_t version = 0;
  absl::Status written = writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(q, c, "DELETE FROM sensitive_data_rules WHERE tenant_id = ? AND id = ?");
    CV_RETURN_IF_ERROR(q->Bind(1, tenant_id).Bind(2, rule_id).Run());
    if (c.Changes() == 0) return absl::NotFoundError("rule not found");
    CV_ASSIGN_OR_RETURN(version, BumpRuleSetVersion(c, tenant_id));
    return absl::OkStatus();
  });
  if (!written.ok()) return written;
  return version;
}

absl::StatusOr<TenantSettings> SqliteStore::GetSettings(std::string_view tenant_id) {
  return settings_.GetOrRead(tenant_id, [&] {
    return readers_->With([&](Connection& c) -> absl::StatusOr<TenantSettings> {
      CV_SQL(t, c, "SELECT 1 FROM tenants WHERE id = ?");
      CV_ASSIGN_OR_RETURN(bool exists, t->Bind(1, tenant_id).Step());
      if (!exists) return absl::NotFoundError("tenant not found");
      CV_SQL(q, c,
             "SELECT hipaa_mode, default_region, default_retention_days, erase_due_days "
             "FROM tenant_settings WHERE tenant_id = ?");
      CV_ASSIGN_OR_RETURN(bool row, q->Bind(1, tenant_id).Step());
      TenantSettings settings;
      if (row) {
        settings.hipaa_mode = q->Int(0) != 0;
        settings.default_region = q->Text(1);
        settings.default_retention_days = static_cast<int>(q->Int(2));
        settings.erase_due_days = static_cast<int>(q->Int(3));
      }
      return settings;
    });
  });
}

absl::Status SqliteStore::PutSettings(std::string_view tenant_id, const TenantSettings& settings) {
  absl::Status put = writer_->Write([&](Connection& c) -> absl::Status {
    CV_RETURN_IF_ERROR(TenantExists(c, tenant_id));
    CV_SQL(q, c,
           "INSERT INTO tenant_settings (tenant_id, hipaa_mode, default_region, "
           "default_retention_days, erase_due_days) VALUES (?1, ?2, ?3, ?4, ?5) "
           "ON CONFLICT (tenant_id) DO UPDATE SET hipaa_mode = ?2, default_region = ?3, "
           "default_retention_days = ?4, erase_due_days = ?5");
    return q->Bind(1, tenant_id)
        .Bind(2, int64_t{settings.hipaa_mode ? 1 : 0})
        .Bind(3, settings.default_region)
        .Bind(4, int64_t{settings.default_retention_days})
        .Bind(5, int64_t{settings.erase_due_days})
        .Run();
  });
  settings_.Invalidate(tenant_id);
  return put;
}

absl::Status SqliteStore::CreateChannel(const Channel& channel) {
  return writer_->Write([&](Connection& c) -> absl::Status {
    CV_RETURN_IF_ERROR(TenantExists(c, channel.tenant_id));
    CV_SQL(q, c,
           "INSERT INTO channels (" CV_CHANNEL_COLUMNS
           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    return Renamed(BindChannel(*q, channel).Run(), "a channel with this id exists");
  });
}

absl::StatusOr<Channel> SqliteStore::GetChannel(std::string_view tenant_id,
                                                std::string_view channel_id) {
  return channels_.GetOrRead(ChannelKey(tenant_id, channel_id), [&] {
    return readers_->With([&](Connection& c) -> absl::StatusOr<Channel> {
      CV_SQL(q, c, "SELECT " CV_CHANNEL_COLUMNS " FROM channels WHERE tenant_id = ? AND id = ?");
      CV_ASSIGN_OR_RETURN(bool row, q->Bind(1, tenant_id).Bind(2, channel_id).Step());
      if (!row) return absl::NotFoundError("channel not found");
      return ChannelFromRow(*q);
    });
  });
}

absl::StatusOr<Page<Channel>> SqliteStore::ListChannels(std::string_view tenant_id,
                                                        const ListOptions& options) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<Page<Channel>> {
    CV_SQL(q, c,
           "SELECT " CV_CHANNEL_COLUMNS
           " FROM channels WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?");
    q->Bind(1, tenant_id).Bind(2, options.after).Bind(3, int64_t{options.limit} + 1);
    return sqlite::ReadPage<Channel>(*q, options.limit, ChannelFromRow);
  });
}

absl::Status SqliteStore::UpdateChannel(const Channel& channel) {
  absl::Status updated = writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(q, c,
           "UPDATE channels SET type = ?3, name = ?4, address = ?5, region = ?6, "
           "credentials = ?7, credential_names = ?8, acknowledgment = ?9, consent = ?10, "
           "session_inactivity_minutes = ?11, session_end_hours = ?12, retention_days = ?13, "
           "api_base_url = ?14, outbound_url = ?15, hipaa_attested = ?16, enabled = ?17, "
           "updated_at = ?19 WHERE id = ?1 AND tenant_id = ?2 AND ?18 = ?18");
    CV_RETURN_IF_ERROR(BindChannel(*q, channel).Run());
    if (c.Changes() == 0) return absl::NotFoundError("channel not found");
    return absl::OkStatus();
  });
  channels_.Invalidate(ChannelKey(channel.tenant_id, channel.id));
  return updated;
}

absl::Status SqliteStore::DeleteChannel(std::string_view tenant_id, std::string_view channel_id) {
  absl::Status deleted = writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(q, c, "DELETE FROM channels WHERE tenant_id = ? AND id = ?");
    CV_RETURN_IF_ERROR(q->Bind(1, tenant_id).Bind(2, channel_id).Run());
    if (c.Changes() == 0) return absl::NotFoundError("channel not found");
    return absl::OkStatus();
  });
  channels_.Invalidate(ChannelKey(tenant_id, channel_id));
  return deleted;
}

}  // namespace convault
