#include "store/memory/memory_store.h"

#include <algorithm>
#include <iterator>
#include <set>

#include "common/status.h"

namespace convault {

absl::Status MemoryStore::CheckOpen() const {
  if (closed_) return absl::UnavailableError("the store is closed");
  return absl::OkStatus();
}

absl::Status MemoryStore::CheckReady() {
  absl::MutexLock lock(&mu_);
  return CheckOpen();
}

absl::Status MemoryStore::CreateTenant(const Tenant& tenant, const ApiKey& admin_key) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (tenants_.count(tenant.id) > 0) {
    return absl::AlreadyExistsError("a tenant with this name or id exists");
  }
  for (const auto& [id, t] : tenants_) {
    if (t.name == tenant.name)
      return absl::AlreadyExistsError("a tenant with this name or id exists");
  }
  if (admin_key.tenant_id != tenant.id) return absl::NotFoundError("tenant not found");
  if (api_keys_.count(admin_key.id) > 0) {
    return absl::AlreadyExistsError("an api key with this id exists");
  }
  tenants_.emplace(tenant.id, tenant);
  api_keys_.emplace(admin_key.id, admin_key);
  return absl::OkStatus();
}

absl::StatusOr<Tenant> MemoryStore::GetTenant(std::string_view tenant_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = tenants_.find(tenant_id);
  if (it == tenants_.end()) return absl::NotFoundError("tenant not found");
  return it->second;
}

absl::StatusOr<Tenant> MemoryStore::FindTenantByName(std::string_view name) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  for (const auto& [id, t] : tenants_) {
    if (t.name == name) return t;
  }
  return absl::NotFoundError("tenant not found");
}

absl::StatusOr<std::vector<Tenant>> MemoryStore::ListTenants() {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::map<std::string, Tenant> by_name;
  for (const auto& [id, t] : tenants_) by_name.emplace(t.name, t);
  std::vector<Tenant> out;
  for (auto& [name, t] : by_name) out.push_back(t);
  return out;
}

absl::Status MemoryStore::CreateApiKey(const ApiKey& key) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (tenants_.count(key.tenant_id) == 0) return absl::NotFoundError("tenant not found");
  if (api_keys_.count(key.id) > 0)
    return absl::AlreadyExistsError("an api key with this id exists");
  api_keys_.emplace(key.id, key);
  return absl::OkStatus();
}

absl::StatusOr<ApiKey> MemoryStore::GetApiKey(std::string_view tenant_id, std::string_view key_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = api_keys_.find(key_id);
  if (it == api_keys_.end() || it->second.tenant_id != tenant_id) {
    return absl::NotFoundError("api key not found");
  }
  return it->second;
}

absl::StatusOr<ApiKey> MemoryStore::FindApiKeyForAuth(std::string_view key_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = api_keys_.find(key_id);
  if (it == api_keys_.end()) return absl::NotFoundError("api key not found");
  return it->second;
}

absl::StatusOr<Page<ApiKey>> MemoryStore::ListApiKeys(std::string_view tenant_id,
                                                      const ListOptions& options) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  Page<ApiKey> page;
  for (auto it = api_keys_.upper_bound(options.after); it != api_keys_.end(); ++it) {
    if (it->second.tenant_id != tenant_id) continue;
    if (page.items.size() == static_cast<size_t>(options.limit)) {
      page.next_cursor = page.items.back().id;
      break;
    }
    page.items.push_back(it->second);
  }
  return page;
}

absl::Status MemoryStore::DeleteApiKey(std::string_view tenant_id, std::string_view key_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = api_keys_.find(key_id);
  if (it == api_keys_.end() || it->second.tenant_id != tenant_id) {
    return absl::NotFoundError("api key not found");
  }
  if (it->second.roles.Has(Role::kAdmin)) {
    bool other_admin = false;
    for (const auto& [id, k] : api_keys_) {
      if (id != key_id && k.tenant_id == tenant_id && k.roles.Has(Role::kAdmin)) other_admin = true;
    }
    if (!other_admin) {
      return WithCode(absl::FailedPreconditionError(
                          "this is the tenant's last admin key; create another admin key first"),
                      "last_admin_key");
    }
  }
  api_keys_.erase(it);
  return absl::OkStatus();
}

absl::Status MemoryStore::AddIndexEntries(const std::vector<BlindIndexEntry>& entries) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  for (const BlindIndexEntry& e : entries) {
    if (tenants_.count(e.tenant_id) == 0) return absl::FailedPreconditionError("no such tenant");
  }
  for (const BlindIndexEntry& e : entries) {
    index_.emplace(
        std::make_tuple(e.tenant_id, e.index_name, e.token, e.object_type, e.object_id, e.field),
        e);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<BlindIndexEntry>> MemoryStore::FindIndexEntries(
    std::string_view tenant_id, std::string_view index_name, uint64_t token, int limit) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<BlindIndexEntry> out;
  auto key = std::make_tuple(std::string(tenant_id), std::string(index_name), token, std::string(),
                             std::string(), std::string());
  for (auto it = index_.lower_bound(key); it != index_.end(); ++it) {
    const BlindIndexEntry& e = it->second;
    if (e.tenant_id != tenant_id || e.index_name != index_name || e.token != token) break;
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back(e);
  }
  return out;
}

absl::StatusOr<int64_t> MemoryStore::DeleteIndexEntriesOfSubject(std::string_view tenant_id,
                                                                 std::string_view subject_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  int64_t n = 0;
  for (auto it = index_.begin(); it != index_.end();) {
    if (it->second.tenant_id == tenant_id && it->second.subject_id == subject_id) {
      it = index_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

absl::StatusOr<SensitiveDataRuleSet> MemoryStore::GetRuleSet(std::string_view tenant_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = rule_sets_.find(tenant_id);
  if (it == rule_sets_.end()) return SensitiveDataRuleSet{};
  return it->second;
}

absl::StatusOr<int64_t> MemoryStore::GetRuleSetVersion(std::string_view tenant_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = rule_sets_.find(tenant_id);
  return it == rule_sets_.end() ? int64_t{0} : it->second.version;
}

absl::Status MemoryStore::InitRuleSet(std::string_view tenant_id,
                                      const std::vector<SensitiveDataRule>& rules) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!tenants_.contains(tenant_id)) return absl::NotFoundError("tenant not found");
  if (rule_sets_.contains(tenant_id)) return absl::OkStatus();
  SensitiveDataRuleSet set{1, {}};
  for (const SensitiveDataRule& r : rules) {
    if (r.tenant_id != tenant_id) return absl::InvalidArgumentError("rule of another tenant");
    for (const auto& existing : set.rules) {
      if (existing.id == r.id) return absl::AlreadyExistsError("a rule with this id exists");
    }
    set.rules.push_back(r);
  }
  std::sort(set.rules.begin(), set.rules.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  rule_sets_.emplace(std::string(tenant_id), std::move(set));
  return absl::OkStatus();
}

absl::StatusOr<int64_t> MemoryStore::CreateRule(const SensitiveDataRule& rule) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!tenants_.contains(rule.tenant_id)) return absl::NotFoundError("tenant not found");
  SensitiveDataRuleSet& set = rule_sets_[rule.tenant_id];
  auto pos = std::lower_bound(set.rules.begin(), set.rules.end(), rule.id,
                              [](const auto& r, const std::string& id) { return r.id < id; });
  if (pos != set.rules.end() && pos->id == rule.id) {
    if (set.version == 0) rule_sets_.erase(rule.tenant_id);
    return absl::AlreadyExistsError("a rule with this id exists");
  }
  set.rules.insert(pos, rule);
  return ++set.version;
}

absl::StatusOr<int64_t> MemoryStore::UpdateRule(const SensitiveDataRule& rule) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = rule_sets_.find(rule.tenant_id);
  if (it != rule_sets_.end()) {
    for (auto& r : it->second.rules) {
      if (r.id != rule.id) continue;
      absl::Time created = r.created_at;
      r = rule;
      r.created_at = created;
      return ++it->second.version;
    }
  }
  return absl::NotFoundError("rule not found");
}

absl::StatusOr<int64_t> MemoryStore::DeleteRule(std::string_view tenant_id,
                                                std::string_view rule_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = rule_sets_.find(tenant_id);
  if (it != rule_sets_.end()) {
    auto& rules = it->second.rules;
    for (auto r = rules.begin(); r != rules.end(); ++r) {
      if (r->id != rule_id) continue;
      rules.erase(r);
      return ++it->second.version;
    }
  }
  return absl::NotFoundError("rule not found");
}

absl::StatusOr<TenantSettings> MemoryStore::GetSettings(std::string_view tenant_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!tenants_.contains(tenant_id)) return absl::NotFoundError("tenant not found");
  auto it = settings_.find(tenant_id);
  return it == settings_.end() ? TenantSettings{} : it->second;
}

absl::Status MemoryStore::PutSettings(std::string_view tenant_id, const TenantSettings& settings) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!tenants_.contains(tenant_id)) return absl::NotFoundError("tenant not found");
  settings_[std::string(tenant_id)] = settings;
  return absl::OkStatus();
}

absl::Status MemoryStore::CreateChannel(const Channel& channel) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!tenants_.contains(channel.tenant_id)) return absl::NotFoundError("tenant not found");
  if (!channels_.emplace(std::make_pair(channel.tenant_id, channel.id), channel).second) {
    return absl::AlreadyExistsError("a channel with this id exists");
  }
  return absl::OkStatus();
}

absl::StatusOr<Channel> MemoryStore::GetChannel(std::string_view tenant_id,
                                                std::string_view channel_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = channels_.find({std::string(tenant_id), std::string(channel_id)});
  if (it == channels_.end()) return absl::NotFoundError("channel not found");
  return it->second;
}

absl::StatusOr<Page<Channel>> MemoryStore::ListChannels(std::string_view tenant_id,
                                                        const ListOptions& options) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  Page<Channel> page;
  for (auto it = channels_.upper_bound({std::string(tenant_id), options.after});
       it != channels_.end() && it->first.first == tenant_id; ++it) {
    if (page.items.size() == static_cast<size_t>(options.limit)) {
      page.next_cursor = page.items.back().id;
      break;
    }
    page.items.push_back(it->second);
  }
  return page;
}

absl::Status MemoryStore::UpdateChannel(const Channel& channel) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = channels_.find({channel.tenant_id, channel.id});
  if (it == channels_.end()) return absl::NotFoundError("channel not found");
  absl::Time created = it->second.created_at;
  it->second = channel;
  it->second.created_at = created;
  return absl::OkStatus();
}

absl::Status MemoryStore::DeleteChannel(std::string_view tenant_id, std::string_view channel_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (channels_.erase({std::string(tenant_id), std::string(channel_id)}) == 0) {
    return absl::NotFoundError("channel not found");
  }
  return absl::OkStatus();
}

absl::StatusOr<InboundCommit> MemoryStore::CommitInbound(const InboundWrite& w) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  const InboundRecord& r = w.record;
  auto seen = inbound_.find({r.tenant_id, r.channel_id, r.external_id});
  if (seen != inbound_.end()) return InboundCommit{seen->second, true};
  if (!tenants_.contains(r.tenant_id)) return absl::NotFoundError("tenant not found");
  // The optimistic check on the end users indexed under this token, for a
  // new end user (InboundWrite::compared_end_users).
  if (w.new_end_user.has_value()) {
    for (const auto& [key, e] : index_) {
      if (e.tenant_id != r.tenant_id || e.index_name != w.platform_key_index ||
          e.token != w.platform_key_token || e.object_type != "end_user") {
        continue;
      }
      auto u = end_users_.find({r.tenant_id, e.object_id});
      if (u == end_users_.end() || u->second.channel_id != r.channel_id) continue;
      if (std::find(w.compared_end_users.begin(), w.compared_end_users.end(), e.object_id) ==
          w.compared_end_users.end()) {
        return absl::AbortedError("a new end user with this platform key");
      }
    }
  }
  if (w.seen_end_user.has_value()) {
    auto u = end_users_.find({r.tenant_id, r.end_user_id});
    if (u == end_users_.end()) return absl::AbortedError("the end user is gone");
    if (u->second.processing_restricted != w.seen_end_user->processing_restricted ||
        u->second.locale != w.seen_end_user->locale) {
      return absl::AbortedError("the end user changed meanwhile");
    }
  }
  int64_t next_seq = 1;
  SessionStatus status = w.session_status;
  if (w.new_session.has_value()) {
    for (const auto& [key, s] : sessions_) {
      if (s.tenant_id == r.tenant_id && s.channel_id == w.new_session->channel_id &&
          s.end_user_id == w.new_session->end_user_id && s.status != SessionStatus::kEnded) {
        return absl::AbortedError("another session was opened meanwhile");
      }
    }
  } else {
    auto s = sessions_.find({r.tenant_id, r.session_id});
    if (s == sessions_.end() || s->second.status == SessionStatus::kEnded) {
      return absl::AbortedError("the session ended meanwhile");
    }
    next_seq = s->second.next_seq;
    // A customer writing again: an inactive or new session waits for an answer.
    status = s->second.status == SessionStatus::kActive ? SessionStatus::kActive
                                                        : SessionStatus::kWaiting;
  }
  // Nothing below fails: apply.
  if (w.new_end_user.has_value()) end_users_[{r.tenant_id, w.new_end_user->id}] = *w.new_end_user;
  if (w.new_session.has_value()) sessions_[{r.tenant_id, w.new_session->id}] = *w.new_session;
  for (Entry e : w.entries) {
    e.seq = next_seq++;
    entries_[{r.tenant_id, e.session_id, e.seq}] = std::move(e);
  }
  Session& session = sessions_[{r.tenant_id, r.session_id}];
  session.status = status;
  session.last_activity_at = w.activity_at;
  session.next_seq = next_seq;
  context_.insert(context_.end(), w.context.begin(), w.context.end());
  participants_.insert(participants_.end(), w.participants.begin(), w.participants.end());
  for (const BlindIndexEntry& e : w.index_entries) {
    index_.emplace(
        std::make_tuple(e.tenant_id, e.index_name, e.token, e.object_type, e.object_id, e.field),
        e);
  }
  outbox_.insert(outbox_.end(), w.outbox.begin(), w.outbox.end());
  consent_.insert(consent_.end(), w.consent.begin(), w.consent.end());
  for (const TokenRow& t : w.tokens) tokens_[{t.tenant_id, t.token}] = t;
  if (w.mark_initial_response_sent) {
    auto u = end_users_.find({r.tenant_id, r.end_user_id});
    if (u != end_users_.end()) {
      u->second.has_initial_response_sent = true;
      u->second.updated_at = w.activity_at;
    }
  }
  inbound_[{r.tenant_id, r.channel_id, r.external_id}] = r;
  return InboundCommit{r, false};
}

absl::StatusOr<std::optional<InboundRecord>> MemoryStore::FindInbound(
    std::string_view tenant_id, std::string_view channel_id, std::string_view external_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it =
      inbound_.find({std::string(tenant_id), std::string(channel_id), std::string(external_id)});
  if (it == inbound_.end()) return std::optional<InboundRecord>();
  return std::optional<InboundRecord>(it->second);
}

absl::StatusOr<EndUser> MemoryStore::GetEndUser(std::string_view tenant_id,
                                                std::string_view end_user_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = end_users_.find({std::string(tenant_id), std::string(end_user_id)});
  if (it == end_users_.end()) return absl::NotFoundError("end user not found");
  return it->second;
}

absl::StatusOr<std::optional<Session>> MemoryStore::FindActiveSession(
    std::string_view tenant_id, std::string_view channel_id, std::string_view end_user_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  for (const auto& [key, s] : sessions_) {
    if (s.tenant_id == tenant_id && s.channel_id == channel_id && s.end_user_id == end_user_id &&
        s.status != SessionStatus::kEnded) {
      return std::optional<Session>(s);
    }
  }
  return std::optional<Session>();
}

absl::StatusOr<Session> MemoryStore::GetSession(std::string_view tenant_id,
                                                std::string_view session_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = sessions_.find({std::string(tenant_id), std::string(session_id)});
  if (it == sessions_.end()) return absl::NotFoundError("session not found");
  return it->second;
}

absl::StatusOr<Page<Session>> MemoryStore::ListSessions(std::string_view tenant_id,
                                                        const SessionFilter& filter,
                                                        const ListOptions& options) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  Page<Session> page;
  for (auto it = sessions_.upper_bound({std::string(tenant_id), options.after});
       it != sessions_.end() && it->first.first == tenant_id; ++it) {
    const Session& s = it->second;
    if ((!filter.channel_id.empty() && s.channel_id != filter.channel_id) ||
        (!filter.end_user_id.empty() && s.end_user_id != filter.end_user_id) ||
        (filter.status.has_value() && s.status != *filter.status) ||
        s.last_activity_at < filter.since) {
      continue;
    }
    if (page.items.size() == static_cast<size_t>(options.limit)) {
      page.next_cursor = page.items.back().id;
      break;
    }
    page.items.push_back(s);
  }
  return page;
}

absl::StatusOr<std::vector<Entry>> MemoryStore::ListEntries(std::string_view tenant_id,
                                                            std::string_view session_id,
                                                            int64_t after_seq, int limit) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<Entry> out;
  for (auto it = entries_.upper_bound({std::string(tenant_id), std::string(session_id), after_seq});
       it != entries_.end() && std::get<0>(it->first) == tenant_id &&
       std::get<1>(it->first) == session_id && out.size() < static_cast<size_t>(limit);
       ++it) {
    out.push_back(it->second);
  }
  return out;
}

absl::StatusOr<std::vector<ContextEntry>> MemoryStore::ListContext(std::string_view tenant_id,
                                                                   std::string_view session_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<ContextEntry> out;
  for (const ContextEntry& c : context_) {
    if (c.tenant_id == tenant_id && c.session_id == session_id) out.push_back(c);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

absl::StatusOr<std::vector<Participant>> MemoryStore::ListParticipants(
    std::string_view tenant_id, std::string_view session_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<Participant> out;
  for (const Participant& p : participants_) {
    if (p.tenant_id == tenant_id && p.session_id == session_id) out.push_back(p);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.joined_at != b.joined_at ? a.joined_at < b.joined_at : a.id < b.id;
  });
  return out;
}

absl::StatusOr<std::vector<Entry>> MemoryStore::AppendEntries(const EntriesWrite& w) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = sessions_.find({w.tenant_id, w.session_id});
  if (it == sessions_.end()) return absl::NotFoundError("session not found");
  Session& session = it->second;
  if (session.status == SessionStatus::kEnded) {
    return WithCode(absl::FailedPreconditionError("the session has ended"), "session_ended");
  }
  std::vector<Entry> stored;
  for (Entry e : w.entries) {
    e.seq = session.next_seq++;
    entries_[{w.tenant_id, w.session_id, e.seq}] = e;
    stored.push_back(std::move(e));
  }
  participants_.insert(participants_.end(), w.participants.begin(), w.participants.end());
  outbox_.insert(outbox_.end(), w.outbox.begin(), w.outbox.end());
  for (const TokenRow& t : w.tokens) tokens_[{t.tenant_id, t.token}] = t;
  if (w.session_status.has_value()) session.status = *w.session_status;
  session.last_activity_at = w.activity_at;
  return stored;
}

absl::StatusOr<Session> MemoryStore::EndSession(std::string_view tenant_id,
                                                std::string_view session_id, absl::Time at,
                                                std::string_view reason) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = sessions_.find({std::string(tenant_id), std::string(session_id)});
  if (it == sessions_.end()) return absl::NotFoundError("session not found");
  Session& s = it->second;
  if (s.status == SessionStatus::kEnded) {
    return WithCode(absl::FailedPreconditionError("the session has ended"), "session_ended");
  }
  s.status = SessionStatus::kEnded;
  s.ended_at = at;
  s.end_reason = std::string(reason);
  return s;
}

absl::StatusOr<SweepCounts> MemoryStore::SweepSessions(std::string_view tenant_id,
                                                       std::string_view channel_id,
                                                       absl::Time inactive_before,
                                                       absl::Time end_before, absl::Time now) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  SweepCounts counts;
  for (auto& [key, s] : sessions_) {
    if (s.tenant_id != tenant_id || s.channel_id != channel_id) continue;
    if (s.status == SessionStatus::kInactive && s.last_activity_at < end_before) {
      s.status = SessionStatus::kEnded;
      s.ended_at = now;
      s.end_reason = "inactivity";
      ++counts.ended;
    } else if ((s.status == SessionStatus::kNew || s.status == SessionStatus::kWaiting ||
                s.status == SessionStatus::kActive) &&
               s.last_activity_at < inactive_before) {
      s.status = SessionStatus::kInactive;
      ++counts.made_inactive;
    }
  }
  return counts;
}

absl::StatusOr<Entry> MemoryStore::GetEntry(std::string_view tenant_id, std::string_view entry_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  for (const auto& [key, e] : entries_) {
    if (e.tenant_id == tenant_id && e.id == entry_id) return e;
  }
  return absl::NotFoundError("entry not found");
}

absl::StatusOr<std::vector<OutboxItem>> MemoryStore::ClaimOutbox(absl::Time now,
                                                                 absl::Duration lease, int limit) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<OutboxItem*> due;
  for (OutboxItem& o : outbox_) {
    if (o.next_attempt_at <= now) due.push_back(&o);
  }
  auto seq_of = [&](const OutboxItem* o) -> int64_t {
    for (const auto& [key, e] : entries_) {
      if (e.tenant_id == o->tenant_id && e.id == o->entry_id) return e.seq;
    }
    return 0;
  };
  std::stable_sort(due.begin(), due.end(), [&](const OutboxItem* a, const OutboxItem* b) {
    if (a->next_attempt_at != b->next_attempt_at) return a->next_attempt_at < b->next_attempt_at;
    if (a->session_id != b->session_id) return a->session_id < b->session_id;
    return seq_of(a) < seq_of(b);
  });
  std::vector<OutboxItem> out;
  for (OutboxItem* o : due) {
    if (out.size() == static_cast<size_t>(limit)) break;
    out.push_back(*o);
    o->next_attempt_at = now + lease;
  }
  return out;
}

absl::Status MemoryStore::FinishDelivery(const OutboxItem& item, DeliveryStatus status) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::erase_if(outbox_, [&](const OutboxItem& o) {
    return o.tenant_id == item.tenant_id && o.id == item.id;
  });
  for (auto& [key, e] : entries_) {
    if (e.tenant_id == item.tenant_id && e.id == item.entry_id) e.delivery_status = status;
  }
  return absl::OkStatus();
}

absl::Status MemoryStore::RetryDelivery(const OutboxItem& item, absl::Time next) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  for (OutboxItem& o : outbox_) {
    if (o.tenant_id == item.tenant_id && o.id == item.id) {
      o.attempts = item.attempts + 1;
      o.next_attempt_at = next;
    }
  }
  for (auto& [key, e] : entries_) {
    if (e.tenant_id == item.tenant_id && e.id == item.entry_id) {
      e.delivery_status = DeliveryStatus::kFailed;
    }
  }
  return absl::OkStatus();
}

absl::Status MemoryStore::PutTranscript(const Transcript& transcript) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!sessions_.contains({transcript.tenant_id, transcript.session_id})) {
    return absl::NotFoundError("session not found");
  }
  transcripts_[{transcript.tenant_id, transcript.session_id}] = transcript;
  return absl::OkStatus();
}

absl::StatusOr<Transcript> MemoryStore::GetTranscript(std::string_view tenant_id,
                                                      std::string_view session_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = transcripts_.find({std::string(tenant_id), std::string(session_id)});
  if (it == transcripts_.end()) return absl::NotFoundError("transcript not found");
  return it->second;
}

absl::StatusOr<std::vector<Session>> MemoryStore::ListEndedWithoutTranscript(int limit) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<Session> out;
  for (const auto& [key, s] : sessions_) {
    if (out.size() == static_cast<size_t>(limit)) break;
    if (s.status == SessionStatus::kEnded && !transcripts_.contains(key)) out.push_back(s);
  }
  return out;
}

absl::Status MemoryStore::AppendConsent(const ConsentRecord& record) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!end_users_.contains({record.tenant_id, record.end_user_id})) {
    return absl::NotFoundError("end user not found");
  }
  consent_.push_back(record);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ConsentRecord>> MemoryStore::ListConsent(std::string_view tenant_id,
                                                                    std::string_view end_user_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<ConsentRecord> out;
  for (const ConsentRecord& c : consent_) {
    if (c.tenant_id == tenant_id && c.end_user_id == end_user_id) out.push_back(c);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.captured_at < b.captured_at; });
  return out;
}

absl::StatusOr<TokenRow> MemoryStore::GetToken(std::string_view tenant_id, std::string_view token) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = tokens_.find({std::string(tenant_id), std::string(token)});
  if (it == tokens_.end()) return absl::NotFoundError("token not found");
  return it->second;
}

absl::Status MemoryStore::PutJob(const Job& job) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!tenants_.contains(job.tenant_id)) return absl::NotFoundError("tenant not found");
  jobs_[{job.tenant_id, job.id}] = job;
  return absl::OkStatus();
}

absl::StatusOr<Job> MemoryStore::GetJob(std::string_view tenant_id, std::string_view job_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = jobs_.find({std::string(tenant_id), std::string(job_id)});
  if (it == jobs_.end()) return absl::NotFoundError("job not found");
  return it->second;
}

absl::StatusOr<std::vector<Job>> MemoryStore::ListRunningJobs(int limit) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<Job> out;
  for (const auto& [key, j] : jobs_) {
    if (j.status == "running") out.push_back(j);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Job& a, const Job& b) { return a.created_at < b.created_at; });
  if (out.size() > static_cast<size_t>(limit)) out.resize(static_cast<size_t>(limit));
  return out;
}

absl::StatusOr<std::vector<Entry>> MemoryStore::ListEntriesAfter(std::string_view tenant_id,
                                                                 std::string_view after,
                                                                 int limit) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<Entry> out;
  for (const auto& [key, e] : entries_) {
    if (e.tenant_id == tenant_id && e.id > after) out.push_back(e);
  }
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.id < b.id; });
  if (out.size() > static_cast<size_t>(limit)) out.resize(static_cast<size_t>(limit));
  return out;
}

absl::StatusOr<std::vector<ContextEntry>> MemoryStore::ListContextAfter(std::string_view tenant_id,
                                                                        std::string_view after,
                                                                        int limit) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<ContextEntry> out;
  for (const ContextEntry& c : context_) {
    if (c.tenant_id == tenant_id && c.id > after) out.push_back(c);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  if (out.size() > static_cast<size_t>(limit)) out.resize(static_cast<size_t>(limit));
  return out;
}

absl::StatusOr<std::vector<Transcript>> MemoryStore::ListTranscriptsAfter(
    std::string_view tenant_id, std::string_view after, int limit) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<Transcript> out;
  for (const auto& [key, t] : transcripts_) {
    if (t.tenant_id == tenant_id && t.session_id > after) out.push_back(t);
    if (out.size() == static_cast<size_t>(limit)) break;
  }
  return out;
}

absl::Status MemoryStore::UpdateEntryContent(const Entry& entry) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  for (auto& [key, e] : entries_) {
    if (e.tenant_id == entry.tenant_id && e.id == entry.id) {
      e.message_sealed = entry.message_sealed;
      e.payload_sealed = entry.payload_sealed;
      e.redactions = entry.redactions;
      e.rule_set_version = entry.rule_set_version;
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError("entry not found");
}

absl::Status MemoryStore::UpdateContextValue(const ContextEntry& context) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  for (ContextEntry& c : context_) {
    if (c.tenant_id == context.tenant_id && c.id == context.id) {
      c.value_sealed = context.value_sealed;
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError("context entry not found");
}

absl::Status MemoryStore::AddTokens(const std::vector<TokenRow>& tokens) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  for (const TokenRow& t : tokens) tokens_[{t.tenant_id, t.token}] = t;
  return absl::OkStatus();
}

void MemoryStore::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

absl::StatusOr<AuditRecord> MemoryStore::AppendAudit(AuditRecord record,
                                                     const AuditChainer& chain) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto last = audit_.lower_bound({record.tenant_id, INT64_MAX});
  bool first = last == audit_.begin() || std::prev(last)->first.first != record.tenant_id;
  record.seq = first ? 1 : std::prev(last)->first.second + 1;
  record.prev_hash = first ? std::string(64, '0') : std::prev(last)->second.hash;
  record.hash = chain(record);
  audit_[{record.tenant_id, record.seq}] = record;
  return record;
}

absl::StatusOr<std::vector<AuditRecord>> MemoryStore::ListAudit(std::string_view tenant_id,
                                                                int64_t after_seq, int limit) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<AuditRecord> out;
  for (auto it = audit_.upper_bound({std::string(tenant_id), after_seq});
       it != audit_.end() && it->first.first == tenant_id && static_cast<int>(out.size()) < limit;
       ++it) {
    out.push_back(it->second);
  }
  return out;
}

absl::StatusOr<std::vector<AuditRecord>> MemoryStore::ListAuditBySubject(
    std::string_view tenant_id, std::string_view subject_hash, int64_t after_seq, int limit) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<AuditRecord> out;
  for (auto it = audit_.upper_bound({std::string(tenant_id), after_seq});
       it != audit_.end() && it->first.first == tenant_id && static_cast<int>(out.size()) < limit;
       ++it) {
    if (it->second.subject_hash == subject_hash) out.push_back(it->second);
  }
  return out;
}

absl::Status MemoryStore::PutPrivacyRequest(const PrivacyRequest& request) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!tenants_.contains(request.tenant_id)) return absl::NotFoundError("tenant not found");
  requests_[{request.tenant_id, request.id}] = request;
  return absl::OkStatus();
}

absl::StatusOr<PrivacyRequest> MemoryStore::GetPrivacyRequest(std::string_view tenant_id,
                                                              std::string_view request_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = requests_.find({std::string(tenant_id), std::string(request_id)});
  if (it == requests_.end()) return absl::NotFoundError("privacy request not found");
  return it->second;
}

absl::StatusOr<Page<PrivacyRequest>> MemoryStore::ListPrivacyRequests(std::string_view tenant_id,
                                                                      const ListOptions& options) {
  return PageOfRequests(tenant_id, "", options);
}

absl::StatusOr<Page<PrivacyRequest>> MemoryStore::ListPrivacyRequestsOf(
    std::string_view tenant_id, std::string_view end_user_id, const ListOptions& options) {
  return PageOfRequests(tenant_id, end_user_id, options);
}

absl::StatusOr<Page<PrivacyRequest>> MemoryStore::PageOfRequests(std::string_view tenant_id,
                                                                 std::string_view end_user_id,
                                                                 const ListOptions& options) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  Page<PrivacyRequest> page;
  for (auto it = requests_.rbegin(); it != requests_.rend(); ++it) {
    if (it->first.first != tenant_id) continue;
    if (!end_user_id.empty() && it->second.end_user_id != end_user_id) continue;
    if (!options.after.empty() && it->first.second >= options.after) continue;
    if (static_cast<int>(page.items.size()) == options.limit) {
      page.next_cursor = page.items.back().id;
      break;
    }
    page.items.push_back(it->second);
  }
  return page;
}

absl::Status MemoryStore::PutLegalHold(const LegalHold& hold) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto user = end_users_.find({hold.tenant_id, hold.end_user_id});
  if (user == end_users_.end()) return absl::NotFoundError("end user not found");
  holds_[{hold.tenant_id, hold.end_user_id}] = hold;
  user->second.legal_hold = true;
  user->second.updated_at = hold.placed_at;
  return absl::OkStatus();
}

absl::StatusOr<LegalHold> MemoryStore::GetLegalHold(std::string_view tenant_id,
                                                    std::string_view end_user_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = holds_.find({std::string(tenant_id), std::string(end_user_id)});
  if (it == holds_.end()) return absl::NotFoundError("no legal hold");
  return it->second;
}

absl::Status MemoryStore::DeleteLegalHold(std::string_view tenant_id,
                                          std::string_view end_user_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (holds_.erase({std::string(tenant_id), std::string(end_user_id)}) == 0) {
    return absl::NotFoundError("no legal hold");
  }
  auto user = end_users_.find({std::string(tenant_id), std::string(end_user_id)});
  if (user != end_users_.end()) user->second.legal_hold = false;
  return absl::OkStatus();
}

absl::Status MemoryStore::SetProcessingRestricted(std::string_view tenant_id,
                                                  std::string_view end_user_id, bool restricted,
                                                  absl::Time at) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto user = end_users_.find({std::string(tenant_id), std::string(end_user_id)});
  if (user == end_users_.end()) return absl::NotFoundError("end user not found");
  user->second.processing_restricted = restricted;
  user->second.updated_at = at;
  return absl::OkStatus();
}

std::set<std::string> MemoryStore::EraseRowsOfSessions(const std::string& tenant,
                                                       const std::set<std::string>& sessions,
                                                       ErasureCounts& n) {
  auto of_session = [&](const std::string& t, const std::string& session) {
    return t == tenant && sessions.contains(session);
  };
  std::set<std::string> objects;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (of_session(std::get<0>(it->first), std::get<1>(it->first))) {
      objects.insert(it->second.id);
      it = entries_.erase(it);
      ++n.entries;
    } else {
      ++it;
    }
  }
  n.participants = std::erase_if(participants_, [&](const Participant& p) {
    if (!of_session(p.tenant_id, p.session_id)) return false;
    objects.insert(p.id);
    return true;
  });
  n.context_entries = std::erase_if(context_, [&](const ContextEntry& c) {
    if (!of_session(c.tenant_id, c.session_id)) return false;
    objects.insert(c.id);
    return true;
  });
  n.outbox = std::erase_if(
      outbox_, [&](const OutboxItem& o) { return of_session(o.tenant_id, o.session_id); });
  n.transcripts = std::erase_if(
      transcripts_, [&](const auto& kv) { return of_session(kv.first.first, kv.first.second); });
  return objects;
}

absl::StatusOr<RetentionBatch> MemoryStore::ExpireSessions(std::string_view tenant_id,
                                                           std::string_view channel_id,
                                                           absl::Time before, int limit) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  const std::string tenant(tenant_id);
  RetentionBatch batch;
  ErasureCounts& n = batch.deleted;
  std::set<std::string> sessions;
  std::set<std::string> owners;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    const Session& s = it->second;
    auto user = end_users_.find({tenant, s.end_user_id});
    bool held = user != end_users_.end() && user->second.legal_hold;
    if (it->first.first == tenant && s.channel_id == channel_id && s.last_activity_at < before &&
        !held && static_cast<int>(sessions.size()) < limit) {
      sessions.insert(s.id);
      owners.insert(s.end_user_id);
      it = sessions_.erase(it);
      ++n.sessions;
    } else {
      ++it;
    }
  }
  std::set<std::string> objects = EraseRowsOfSessions(tenant, sessions, n);
  n.tokens = std::erase_if(tokens_, [&](const auto& kv) {
    return kv.first.first == tenant && objects.contains(kv.second.entry_id);
  });
  n.inbound_records = std::erase_if(inbound_, [&](const auto& kv) {
    return std::get<0>(kv.first) == tenant && sessions.contains(kv.second.session_id);
  });
  n.index_entries = std::erase_if(index_, [&](const auto& kv) {
    return std::get<0>(kv.first) == tenant && objects.contains(kv.second.object_id);
  });
  for (const std::string& owner : owners) {
    bool left = false;
    for (const auto& [key, s] : sessions_) {
      if (key.first == tenant && s.end_user_id == owner) {
        left = true;
        break;
      }
    }
    if (!left) batch.emptied_end_users.push_back(owner);
  }
  return batch;
}

absl::Status MemoryStore::PutContextKeyClass(const ContextKeyClass& c) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!tenants_.contains(c.tenant_id)) return absl::NotFoundError("tenant not found");
  context_keys_[{c.tenant_id, c.key}] = c;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ContextKeyClass>> MemoryStore::ListContextKeyClasses(
    std::string_view tenant_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  std::vector<ContextKeyClass> out;
  for (const auto& [k, c] : context_keys_) {
    if (k.first == tenant_id) out.push_back(c);
  }
  return out;
}

absl::Status MemoryStore::PutIdempotentResponse(const IdempotentResponse& r) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!tenants_.contains(r.tenant_id)) return absl::NotFoundError("tenant not found");
  idempotent_responses_.try_emplace({r.tenant_id, r.api_key_id, r.key}, r);
  return absl::OkStatus();
}

absl::StatusOr<IdempotentResponse> MemoryStore::GetIdempotentResponse(std::string_view tenant_id,
                                                                      std::string_view api_key_id,
                                                                      std::string_view key) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  auto it = idempotent_responses_.find(
      {std::string(tenant_id), std::string(api_key_id), std::string(key)});
  if (it == idempotent_responses_.end()) return absl::NotFoundError("no such idempotency key");
  return it->second;
}

absl::StatusOr<int> MemoryStore::DeleteIdempotentResponses(absl::Time before, int limit) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  int n = 0;
  for (auto it = idempotent_responses_.begin(); it != idempotent_responses_.end() && n < limit;) {
    if (it->second.created_at < before) {
      it = idempotent_responses_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

absl::Status MemoryStore::DeleteIdempotentResponse(std::string_view tenant_id,
                                                   std::string_view api_key_id,
                                                   std::string_view key) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  idempotent_responses_.erase({std::string(tenant_id), std::string(api_key_id), std::string(key)});
  return absl::OkStatus();
}

absl::Status MemoryStore::AddSuppression(std::string_view tenant_id, std::string_view channel_id,
                                         std::string_view key_hash, absl::Time) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  if (!tenants_.contains(tenant_id)) return absl::NotFoundError("tenant not found");
  suppressions_.insert({std::string(tenant_id), std::string(channel_id), std::string(key_hash)});
  return absl::OkStatus();
}

absl::StatusOr<bool> MemoryStore::IsSuppressed(std::string_view tenant_id,
                                               std::string_view channel_id,
                                               std::string_view key_hash) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  return suppressions_.contains(
      {std::string(tenant_id), std::string(channel_id), std::string(key_hash)});
}

absl::StatusOr<ErasureCounts> MemoryStore::EraseSubject(std::string_view tenant_id,
                                                        std::string_view end_user_id) {
  absl::MutexLock lock(&mu_);
  CV_RETURN_IF_ERROR(CheckOpen());
  ErasureCounts n;
  const std::string tenant(tenant_id);
  const std::string subject(end_user_id);
  auto user = end_users_.find({tenant, subject});
  if (user != end_users_.end() && user->second.legal_hold) {
    return WithCode(absl::FailedPreconditionError("the end user is under legal hold"),
                    "legal_hold");
  }
  std::set<std::string> sessions;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->first.first == tenant && it->second.end_user_id == subject) {
      sessions.insert(it->first.second);
      it = sessions_.erase(it);
      ++n.sessions;
    } else {
      ++it;
    }
  }
  EraseRowsOfSessions(tenant, sessions, n);
  n.tokens = std::erase_if(tokens_, [&](const auto& kv) {
    return kv.first.first == tenant && kv.second.end_user_id == subject;
  });
  n.consent_records = std::erase_if(consent_, [&](const ConsentRecord& c) {
    return c.tenant_id == tenant && c.end_user_id == subject;
  });
  n.inbound_records = std::erase_if(inbound_, [&](const auto& kv) {
    return std::get<0>(kv.first) == tenant && kv.second.end_user_id == subject;
  });
  n.index_entries = std::erase_if(index_, [&](const auto& kv) {
    return std::get<0>(kv.first) == tenant && kv.second.subject_id == subject;
  });
  n.idempotent_responses = std::erase_if(idempotent_responses_, [&](const auto& kv) {
    return kv.second.tenant_id == tenant && kv.second.subject_id == subject;
  });
  n.end_users = end_users_.erase({tenant, subject});
  return n;
}

}  // namespace convault
