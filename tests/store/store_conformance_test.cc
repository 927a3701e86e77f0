// The Store contract (store/store.h), run against every backend.
#include <functional>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "store/memory/memory_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace convault {
namespace {

struct Backend {
  std::string name;
  std::function<std::unique_ptr<Store>(const std::string& dir)> open;
};

void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }

class StoreConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_.path());
    ASSERT_NE(store_, nullptr);
  }

  Tenant MakeTenant(const std::string& id, const std::string& name) {
    return Tenant{id, name, clock_.Now()};
  }
  ApiKey MakeKey(const std::string& id, const std::string& tenant, RoleSet roles) {
    ApiKey k;
    k.id = id;
    k.tenant_id = tenant;
    k.name = "k " + id;
    k.roles = roles;
    k.secret_hash = std::string(32, '\x07');
    k.created_at = clock_.Now();
    return k;
  }
  void AddTenant(const std::string& id, const std::string& name) {
    ASSERT_TRUE(store_
                    ->CreateTenant(MakeTenant(id, name),
                                   MakeKey("key_admin" + id.substr(4), id, {Role::kAdmin}))
                    .ok());
  }

  testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreConformance, IsReadyWhenOpen) { EXPECT_TRUE(store_->CheckReady().ok()); }

TEST_P(StoreConformance, CreatesTenantWithItsFirstAdminKey) {
  AddTenant("ten_a", "acme");
  auto t = store_->GetTenant("ten_a");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->name, "acme");
  EXPECT_EQ(t->created_at, clock_.Now());
  auto by_name = store_->FindTenantByName("acme");
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(by_name->id, "ten_a");
  auto key = store_->GetApiKey("ten_a", "key_admina");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_TRUE(key->roles.Has(Role::kAdmin));
  EXPECT_EQ(key->secret_hash, std::string(32, '\x07'));
}

TEST_P(StoreConformance, TenantNameAndIdAreUnique) {
  AddTenant("ten_a", "acme");
  EXPECT_TRUE(absl::IsAlreadyExists(store_->CreateTenant(
      MakeTenant("ten_b", "acme"), MakeKey("key_x", "ten_b", {Role::kAdmin}))));
  EXPECT_TRUE(absl::IsAlreadyExists(store_->CreateTenant(
      MakeTenant("ten_a", "other"), MakeKey("key_y", "ten_a", {Role::kAdmin}))));
  // A failed creation left nothing behind.
  EXPECT_TRUE(absl::IsNotFound(store_->GetTenant("ten_b").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->FindApiKeyForAuth("key_x").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->FindTenantByName("other").status()));
}

TEST_P(StoreConformance, ListsTenantsByName) {
  AddTenant("ten_b", "zeta");
  AddTenant("ten_a", "alpha");
  auto list = store_->ListTenants();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "alpha");
  EXPECT_EQ((*list)[1].name, "zeta");
}

TEST_P(StoreConformance, ApiKeyNeedsAnExistingTenant) {
  EXPECT_TRUE(absl::IsNotFound(store_->CreateApiKey(MakeKey("key_1", "ten_none", {Role::kBot}))));
}

TEST_P(StoreConformance, ApiKeyIdsAreUnique) {
  AddTenant("ten_a", "a");
  ASSERT_TRUE(store_->CreateApiKey(MakeKey("key_1", "ten_a", {Role::kBot})).ok());
  EXPECT_TRUE(
      absl::IsAlreadyExists(store_->CreateApiKey(MakeKey("key_1", "ten_a", {Role::kAgent}))));
  EXPECT_EQ(store_->GetApiKey("ten_a", "key_1")->roles, RoleSet({Role::kBot}));
}

TEST_P(StoreConformance, AnotherTenantsKeyIsNotFound) {
  AddTenant("ten_a", "a");
  AddTenant("ten_b", "b");
  ASSERT_TRUE(store_->CreateApiKey(MakeKey("key_1", "ten_a", {Role::kAgent})).ok());
  EXPECT_TRUE(absl::IsNotFound(store_->GetApiKey("ten_b", "key_1").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->DeleteApiKey("ten_b", "key_1")));
  EXPECT_TRUE(store_->GetApiKey("ten_a", "key_1").ok());
  auto page = store_->ListApiKeys("ten_b", {});
  ASSERT_TRUE(page.ok());
  for (const ApiKey& k : page->items) EXPECT_EQ(k.tenant_id, "ten_b");
  // Authentication finds a key of any tenant, with its tenant.
  auto found = store_->FindApiKeyForAuth("key_1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->tenant_id, "ten_a");
}

TEST_P(StoreConformance, ListsKeysInPagesByIdWithACursor) {
  AddTenant("ten_a", "a");
  AddTenant("ten_b", "b");
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(
        store_->CreateApiKey(MakeKey("key_k" + std::to_string(i), "ten_a", {Role::kBot})).ok());
    ASSERT_TRUE(
        store_->CreateApiKey(MakeKey("key_m" + std::to_string(i), "ten_b", {Role::kBot})).ok());
  }
  std::vector<std::string> seen;
  ListOptions options;
  options.limit = 3;
  int pages = 0;
  while (true) {
    auto page = store_->ListApiKeys("ten_a", options);
    ASSERT_TRUE(page.ok()) << page.status();
    ++pages;
    for (const ApiKey& k : page->items) seen.push_back(k.id);
    if (!page->next_cursor.has_value()) break;
    options.after = *page->next_cursor;
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 8u);  // 7 + the admin key
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  for (const auto& id : seen) EXPECT_NE(id.substr(0, 5), "key_m");
}

TEST_P(StoreConformance, ExactlyFullPageHasNoCursor) {
  AddTenant("ten_a", "a");
  ListOptions options;
  options.limit = 1;
  auto page = store_->ListApiKeys("ten_a", options);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 1u);
  EXPECT_FALSE(page->next_cursor.has_value());
}

TEST_P(StoreConformance, DeletesKeysButNeverTheLastAdminKey) {
  AddTenant("ten_a", "a");
  ASSERT_TRUE(store_->CreateApiKey(MakeKey("key_bot", "ten_a", {Role::kBot})).ok());
  EXPECT_TRUE(store_->DeleteApiKey("ten_a", "key_bot").ok());
  EXPECT_TRUE(absl::IsNotFound(store_->FindApiKeyForAuth("key_bot").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->DeleteApiKey("ten_a", "key_bot")));

  absl::Status last = store_->DeleteApiKey("ten_a", "key_admina");
  EXPECT_TRUE(absl::IsFailedPrecondition(last)) << last;
  EXPECT_TRUE(store_->GetApiKey("ten_a", "key_admina").ok());

  ASSERT_TRUE(
      store_->CreateApiKey(MakeKey("key_admin2", "ten_a", {Role::kAdmin, Role::kAuditor})).ok());
  EXPECT_TRUE(store_->DeleteApiKey("ten_a", "key_admina").ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(store_->DeleteApiKey("ten_a", "key_admin2")));
}

TEST_P(StoreConformance, ConcurrentWritersAllCommit) {
  AddTenant("ten_a", "a");
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        std::string id = "key_t" + std::to_string(t) + "n" + std::to_string(i);
        EXPECT_TRUE(store_->CreateApiKey(MakeKey(id, "ten_a", {Role::kBot})).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  ListOptions options;
  options.limit = 500;
  EXPECT_EQ(store_->ListApiKeys("ten_a", options)->items.size(), 201u);
}

TEST_P(StoreConformance, CallsAfterCloseAreUnavailable) {
  AddTenant("ten_a", "a");
  store_->Close();
  EXPECT_TRUE(absl::IsUnavailable(store_->GetTenant("ten_a").status()));
  EXPECT_TRUE(absl::IsUnavailable(store_->CreateApiKey(MakeKey("key_z", "ten_a", {Role::kBot}))));
  EXPECT_FALSE(store_->CheckReady().ok());
}

BlindIndexEntry Entry(const std::string& tenant, uint64_t token, const std::string& object,
                      const std::string& subject) {
  return BlindIndexEntry{tenant, "email", token, "end_user", object, "email", subject};
}

TEST_P(StoreConformance, FindsIndexEntriesByTokenWithinATenantAndIndex) {
  AddTenant("ten_a", "a");
  AddTenant("ten_b", "b");
  uint64_t big = 0xfedcba9876543210ULL;  // the top bit set: stored bit for bit
  ASSERT_TRUE(store_
                  ->AddIndexEntries(
                      {Entry("ten_a", big, "eu_1", "eu_1"), Entry("ten_a", big, "eu_2", "eu_2"),
                       Entry("ten_a", 7, "eu_3", "eu_3"), Entry("ten_b", big, "eu_9", "eu_9")})
                  .ok());
  // Adding again changes nothing.
  ASSERT_TRUE(store_->AddIndexEntries({Entry("ten_a", big, "eu_1", "eu_1")}).ok());
  auto found = store_->FindIndexEntries("ten_a", "email", big, 100);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->size(), 2u);
  for (const auto& e : *found) {
    EXPECT_EQ(e.tenant_id, "ten_a");
    EXPECT_EQ(e.token, big);
    EXPECT_EQ(e.object_type, "end_user");
  }
  EXPECT_EQ(store_->FindIndexEntries("ten_a", "phone", big, 100)->size(), 0u);
  EXPECT_EQ(store_->FindIndexEntries("ten_a", "email", big, 1)->size(), 1u);
  EXPECT_EQ(store_->FindIndexEntries("ten_b", "email", big, 100)->size(), 1u);
}

TEST_P(StoreConformance, DeletesTheIndexEntriesOfOneSubject) {
  AddTenant("ten_a", "a");
  ASSERT_TRUE(
      store_
          ->AddIndexEntries({Entry("ten_a", 1, "eu_1", "eu_1"), Entry("ten_a", 2, "ent_5", "eu_1"),
                             Entry("ten_a", 1, "eu_2", "eu_2")})
          .ok());
  EXPECT_EQ(*store_->DeleteIndexEntriesOfSubject("ten_a", "eu_1"), 2);
  EXPECT_EQ(store_->FindIndexEntries("ten_a", "email", 1, 100)->size(), 1u);
  EXPECT_EQ(*store_->DeleteIndexEntriesOfSubject("ten_a", "eu_1"), 0);
}

TEST_P(StoreConformance, IndexEntriesNeedAnExistingTenant) {
  absl::Status s = store_->AddIndexEntries({Entry("ten_none", 1, "eu_1", "eu_1")});
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
}

SensitiveDataRule MakeRule(const std::string& id, const std::string& tenant, absl::Time now) {
  SensitiveDataRule r;
  r.id = id;
  r.tenant_id = tenant;
  r.name = "rule " + id;
  r.description = "a rule";
  r.priority = 7;
  r.pattern = "ORD-[0-9]{8}";
  r.action = RedactionAction::kMask;
  r.mask_char = "#";
  r.keep_last = 2;
  r.applies_to = 2 | 4;
  r.channel_ids = {"ch_a", "ch_b"};
  r.created_at = now;
  r.updated_at = now;
  return r;
}

TEST_P(StoreConformance, RuleSetIsUninitializedUntilSeeded) {
  AddTenant("ten_a", "a");
  auto set = store_->GetRuleSet("ten_a");
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->version, 0);
  EXPECT_TRUE(set->rules.empty());
  auto version = store_->GetRuleSetVersion("ten_a");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 0);
}

TEST_P(StoreConformance, InitRuleSetSeedsOnceAtVersionOne) {
  AddTenant("ten_a", "a");
  ASSERT_TRUE(store_->InitRuleSet("ten_a", {MakeRule("rule_1", "ten_a", clock_.Now())}).ok());
  // A second seeding (another thread or process got there first) changes nothing.
  ASSERT_TRUE(store_->InitRuleSet("ten_a", {MakeRule("rule_2", "ten_a", clock_.Now())}).ok());
  auto set = store_->GetRuleSet("ten_a");
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->version, 1);
  ASSERT_EQ(set->rules.size(), 1u);
  EXPECT_EQ(set->rules[0].id, "rule_1");
  EXPECT_TRUE(absl::IsNotFound(store_->InitRuleSet("ten_x", {})));
}

TEST_P(StoreConformance, RulesRoundTripEveryField) {
  AddTenant("ten_a", "a");
  SensitiveDataRule r = MakeRule("rule_1", "ten_a", clock_.Now());
  r.detector = "";
  r.replacement = "[ORDER]";
  auto v = store_->CreateRule(r);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(*v, 1);
  auto set = store_->GetRuleSet("ten_a");
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->rules.size(), 1u);
  const SensitiveDataRule& got = set->rules[0];
  EXPECT_EQ(got.name, r.name);
  EXPECT_EQ(got.description, r.description);
  EXPECT_EQ(got.enabled, r.enabled);
  EXPECT_EQ(got.priority, 7);
  EXPECT_EQ(got.pattern, r.pattern);
  EXPECT_EQ(got.action, RedactionAction::kMask);
  EXPECT_EQ(got.replacement, "[ORDER]");
  EXPECT_EQ(got.mask_char, "#");
  EXPECT_EQ(got.keep_last, 2);
  EXPECT_EQ(got.applies_to, 6u);
  EXPECT_EQ(got.channel_ids, (std::vector<std::string>{"ch_a", "ch_b"}));
  EXPECT_EQ(got.created_at, r.created_at);
}

TEST_P(StoreConformance, EveryRuleChangeIncreasesTheVersion) {
  AddTenant("ten_a", "a");
  AddTenant("ten_b", "b");
  ASSERT_TRUE(store_->InitRuleSet("ten_a", {}).ok());
  SensitiveDataRule r = MakeRule("rule_1", "ten_a", clock_.Now());
  EXPECT_EQ(*store_->CreateRule(r), 2);
  EXPECT_TRUE(absl::IsAlreadyExists(store_->CreateRule(r).status()));
  r.enabled = false;
  r.channel_ids.clear();
  clock_.Advance(absl::Seconds(5));
  r.updated_at = clock_.Now();
  EXPECT_EQ(*store_->UpdateRule(r), 3);
  auto set = store_->GetRuleSet("ten_a");
  ASSERT_TRUE(set.ok());
  EXPECT_FALSE(set->rules[0].enabled);
  EXPECT_TRUE(set->rules[0].channel_ids.empty());
  EXPECT_EQ(set->rules[0].updated_at, clock_.Now());
  EXPECT_EQ(*store_->DeleteRule("ten_a", "rule_1"), 4);
  EXPECT_TRUE(absl::IsNotFound(store_->DeleteRule("ten_a", "rule_1").status()));
  EXPECT_EQ(*store_->GetRuleSetVersion("ten_a"), 4);
  // A failed change leaves the version alone.
  EXPECT_TRUE(absl::IsNotFound(store_->UpdateRule(r).status()));
  EXPECT_EQ(*store_->GetRuleSetVersion("ten_a"), 4);
  EXPECT_EQ(*store_->GetRuleSetVersion("ten_b"), 0);
}

TEST_P(StoreConformance, AnotherTenantsRuleIsNotFound) {
  AddTenant("ten_a", "a");
  AddTenant("ten_b", "b");
  SensitiveDataRule r = MakeRule("rule_1", "ten_a", clock_.Now());
  ASSERT_TRUE(store_->CreateRule(r).ok());
  SensitiveDataRule foreign = r;
  foreign.tenant_id = "ten_b";
  foreign.name = "hijack";
  EXPECT_TRUE(absl::IsNotFound(store_->UpdateRule(foreign).status()));
  EXPECT_TRUE(absl::IsNotFound(store_->DeleteRule("ten_b", "rule_1").status()));
  EXPECT_TRUE(store_->GetRuleSet("ten_b")->rules.empty());
  EXPECT_EQ(store_->GetRuleSet("ten_a")->rules[0].name, "rule rule_1");
  EXPECT_TRUE(
      absl::IsNotFound(store_->CreateRule(MakeRule("rule_2", "ten_x", clock_.Now())).status()));
}

Channel MakeChannel(const std::string& id, const std::string& tenant, absl::Time now) {
  Channel c;
  c.id = id;
  c.tenant_id = tenant;
  c.type = ChannelType::kByoc;
  c.name = "support " + id;
  c.address = "+14155550100";
  c.region = "GB";
  c.credentials_sealed = std::string("\x01\x02sealed\x00bytes", 14);
  c.credential_names = {"signing_secret", "token"};
  c.acknowledgment.enabled = true;
  c.acknowledgment.text = "We keep a transcript of this chat.";
  c.acknowledgment.locales = {{"fr", "Nous gardons une transcription."}};
  c.acknowledgment.version = 3;
  c.consent.required_level = "opted_in";
  c.consent.opt_out_keywords = {"STOP", "ARRET"};
  c.consent.replies = {{"opt_out", "You are unsubscribed."}};
  c.session_inactivity_minutes = 15;
  c.session_end_hours = 12;
  c.retention_days = 90;
  c.api_base_url = "http://127.0.0.1:9/api";
  c.outbound_url = "http://127.0.0.1:9/out";
  c.hipaa_attested = true;
  c.enabled = false;
  c.created_at = now;
  c.updated_at = now;
  return c;
}

TEST_P(StoreConformance, ChannelsRoundTripEveryField) {
  AddTenant("ten_a", "a");
  Channel c = MakeChannel("ch_1", "ten_a", clock_.Now());
  ASSERT_TRUE(store_->CreateChannel(c).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(store_->CreateChannel(c)));
  auto got = store_->GetChannel("ten_a", "ch_1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->type, ChannelType::kByoc);
  EXPECT_EQ(got->name, c.name);
  EXPECT_EQ(got->address, c.address);
  EXPECT_EQ(got->region, "GB");
  EXPECT_EQ(got->credentials_sealed, c.credentials_sealed);
  EXPECT_EQ(got->credential_names, c.credential_names);
  EXPECT_TRUE(got->acknowledgment.enabled);
  EXPECT_EQ(got->acknowledgment.text, c.acknowledgment.text);
  EXPECT_EQ(got->acknowledgment.locales, c.acknowledgment.locales);
  EXPECT_EQ(got->acknowledgment.version, 3);
  EXPECT_EQ(got->consent.required_level, "opted_in");
  EXPECT_EQ(got->consent.opt_out_keywords, c.consent.opt_out_keywords);
  EXPECT_EQ(got->consent.replies, c.consent.replies);
  EXPECT_EQ(got->session_inactivity_minutes, 15);
  EXPECT_EQ(got->session_end_hours, 12);
  EXPECT_EQ(got->retention_days, 90);
  EXPECT_EQ(got->api_base_url, c.api_base_url);
  EXPECT_EQ(got->outbound_url, c.outbound_url);
  EXPECT_TRUE(got->hipaa_attested);
  EXPECT_FALSE(got->enabled);
  EXPECT_EQ(got->created_at, c.created_at);
  EXPECT_TRUE(absl::IsNotFound(store_->CreateChannel(MakeChannel("ch_2", "ten_x", clock_.Now()))));
}

// Rows read on every request (a store may keep them in memory): a read
// after a change sees the change.
TEST_P(StoreConformance, ReadsAfterAChangeSeeIt) {
  AddTenant("ten_a", "a");
  Channel c = MakeChannel("ch_1", "ten_a", clock_.Now());
  ASSERT_TRUE(store_->CreateChannel(c).ok());
  for (int round = 0; round < 2; ++round) ASSERT_TRUE(store_->GetChannel("ten_a", "ch_1").ok());
  c.name = "renamed";
  c.enabled = true;
  ASSERT_TRUE(store_->UpdateChannel(c).ok());
  auto updated = store_->GetChannel("ten_a", "ch_1");
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->name, "renamed");
  EXPECT_TRUE(updated->enabled);
  ASSERT_TRUE(store_->DeleteChannel("ten_a", "ch_1").ok());
  EXPECT_TRUE(absl::IsNotFound(store_->GetChannel("ten_a", "ch_1").status()));

  ASSERT_TRUE(store_->CreateApiKey(MakeKey("key_bot", "ten_a", {Role::kBot})).ok());
  for (int round = 0; round < 2; ++round) ASSERT_TRUE(store_->FindApiKeyForAuth("key_bot").ok());
  ASSERT_TRUE(store_->DeleteApiKey("ten_a", "key_bot").ok());
  EXPECT_TRUE(absl::IsNotFound(store_->FindApiKeyForAuth("key_bot").status()));

  for (int round = 0; round < 2; ++round) ASSERT_TRUE(store_->GetSettings("ten_a").ok());
  ASSERT_TRUE(store_->PutSettings("ten_a", TenantSettings{false, "DE", 7, 3}).ok());
  auto settings = store_->GetSettings("ten_a");
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->default_region, "DE");
  EXPECT_EQ(settings->default_retention_days, 7);
}

TEST_P(StoreConformance, ChannelsUpdateListAndDeleteWithinATenant) {
  AddTenant("ten_a", "a");
  AddTenant("ten_b", "b");
  for (const char* id : {"ch_1", "ch_2", "ch_3"}) {
    ASSERT_TRUE(store_->CreateChannel(MakeChannel(id, "ten_a", clock_.Now())).ok());
  }
  ASSERT_TRUE(store_->CreateChannel(MakeChannel("ch_9", "ten_b", clock_.Now())).ok());
  auto page = store_->ListChannels("ten_a", {2, ""});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 2u);
  ASSERT_TRUE(page->next_cursor.has_value());
  auto rest = store_->ListChannels("ten_a", {2, *page->next_cursor});
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].id, "ch_3");
  EXPECT_FALSE(rest->next_cursor.has_value());

  Channel c = MakeChannel("ch_1", "ten_a", clock_.Now());
  c.name = "renamed";
  c.credentials_sealed.clear();
  c.credential_names.clear();
  ASSERT_TRUE(store_->UpdateChannel(c).ok());
  EXPECT_EQ(store_->GetChannel("ten_a", "ch_1")->name, "renamed");
  EXPECT_TRUE(store_->GetChannel("ten_a", "ch_1")->credential_names.empty());

  Channel foreign = c;
  foreign.tenant_id = "ten_b";
  EXPECT_TRUE(absl::IsNotFound(store_->UpdateChannel(foreign)));
  EXPECT_TRUE(absl::IsNotFound(store_->GetChannel("ten_b", "ch_1").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->DeleteChannel("ten_b", "ch_1")));
  ASSERT_TRUE(store_->DeleteChannel("ten_a", "ch_1").ok());
  EXPECT_TRUE(absl::IsNotFound(store_->GetChannel("ten_a", "ch_1").status()));
  EXPECT_EQ(store_->ListChannels("ten_b", {50, ""})->items.size(), 1u);
}

TEST_P(StoreConformance, SettingsDefaultUntilPut) {
  AddTenant("ten_a", "a");
  auto s = store_->GetSettings("ten_a");
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->hipaa_mode);
  EXPECT_EQ(s->default_region, "US");
  TenantSettings t{true, "GB", 30, 14};
  ASSERT_TRUE(store_->PutSettings("ten_a", t).ok());
  auto again = store_->GetSettings("ten_a");
  EXPECT_TRUE(again->hipaa_mode);
  EXPECT_EQ(again->default_region, "GB");
  EXPECT_EQ(again->default_retention_days, 30);
  EXPECT_EQ(again->erase_due_days, 14);
  EXPECT_TRUE(absl::IsNotFound(store_->GetSettings("ten_x").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->PutSettings("ten_x", t)));
}

// One inbound message for conformance tests: a new end user and session when asked.
InboundWrite MakeInbound(const std::string& tenant, const std::string& external_id,
                         const std::string& end_user, bool new_end_user, const std::string& session,
                         bool new_session, absl::Time now, int entries = 1) {
  InboundWrite w;
  w.record = {tenant, "ch_1", external_id, "ent_" + external_id, session, end_user, "", "[]"};
  w.platform_key_index = "end_user.platform_key";
  w.platform_key_token = 42;
  if (new_end_user) {
    EndUser u;
    u.id = end_user;
    u.tenant_id = tenant;
    u.channel_id = "ch_1";
    u.platform_key_sealed = "sealed-key-" + end_user;
    u.created_at = now;
    u.updated_at = now;
    w.new_end_user = u;
    w.index_entries.push_back(
        {tenant, "end_user.platform_key", 42, "end_user", end_user, "platform_key", end_user});
  }
  if (new_session) {
    Session s;
    s.id = session;
    s.tenant_id = tenant;
    s.channel_id = "ch_1";
    s.end_user_id = end_user;
    s.status = SessionStatus::kWaiting;
    s.started_at = now;
    s.last_activity_at = now;
    w.new_session = s;
    Participant p;
    p.id = "par_" + session;
    p.tenant_id = tenant;
    p.session_id = session;
    p.display_name_sealed = "sealed-name";
    p.joined_at = now;
    w.participants.push_back(p);
  }
  w.session_status = SessionStatus::kWaiting;
  w.activity_at = now;
  for (int k = 0; k < entries; ++k) {
    convault::Entry e;
    e.id = "ent_" + external_id + (k == 0 ? "" : "_" + std::to_string(k));
    e.tenant_id = tenant;
    e.session_id = session;
    e.end_user_id = end_user;
    e.created_at = now;
    e.message_sealed = "sealed-message";
    e.external_id = k == 0 ? external_id : "";
    e.actor = k == 0 ? ActorType::kEndUser : ActorType::kSystem;
    e.redactions = R"({"credit_card":1})";
    e.rule_set_version = 3;
    w.entries.push_back(e);
  }
  return w;
}

TEST_P(StoreConformance, InboundCommitWritesEverythingOnceAndRepeatsAreDuplicates) {
  AddTenant("ten_a", "a");
  InboundWrite w = MakeInbound("ten_a", "m1", "eu_1", true, "ses_1", true, clock_.Now(), 2);
  ContextEntry ctx{"ctx_1", "ten_a", "ses_1", "sealed-k", "sealed-v"};
  w.context.push_back(ctx);
  w.outbox.push_back(
      {"out_1", "ten_a", "ch_1", "ses_1", "ent_m1_1", 0, clock_.Now(), clock_.Now()});
  w.mark_initial_response_sent = true;
  w.record.acknowledgment_entry_id = "ent_m1_1";
  w.consent.push_back({"con_1", "ten_a", "eu_1", "ch_1", "transcript_storage", "implicit",
                       "acknowledgment", R"({"acknowledgment_version":2})", clock_.Now(),
                       clock_.Now()});
  auto c = store_->CommitInbound(w);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->duplicate);

  auto session = store_->GetSession("ten_a", "ses_1");
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->next_seq, 3);
  EXPECT_EQ(session->status, SessionStatus::kWaiting);
  EXPECT_EQ(session->ended_at, absl::InfinitePast());
  auto entries = store_->ListEntries("ten_a", "ses_1", 0, 100);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].seq, 1);
  EXPECT_EQ((*entries)[0].external_id, "m1");
  EXPECT_EQ((*entries)[0].message_sealed, "sealed-message");
  EXPECT_EQ((*entries)[0].redactions, R"({"credit_card":1})");
  EXPECT_EQ((*entries)[0].rule_set_version, 3);
  EXPECT_EQ((*entries)[1].seq, 2);
  EXPECT_EQ((*entries)[1].actor, ActorType::kSystem);
  EXPECT_EQ(store_->ListEntries("ten_a", "ses_1", 1, 100)->size(), 1u);
  auto user = store_->GetEndUser("ten_a", "eu_1");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->platform_key_sealed, "sealed-key-eu_1");
  EXPECT_TRUE(user->has_initial_response_sent);
  EXPECT_EQ(store_->ListContext("ten_a", "ses_1")->size(), 1u);
  EXPECT_EQ(store_->ListParticipants("ten_a", "ses_1")->at(0).display_name_sealed, "sealed-name");
  auto found = store_->FindIndexEntries("ten_a", "end_user.platform_key", 42, 10);
  ASSERT_EQ(found->size(), 1u);
  auto consent = store_->ListConsent("ten_a", "eu_1");
  ASSERT_TRUE(consent.ok());
  ASSERT_EQ(consent->size(), 1u);
  EXPECT_EQ(consent->at(0).source, "acknowledgment");
  EXPECT_EQ(consent->at(0).evidence, R"({"acknowledgment_version":2})");
  EXPECT_TRUE(store_->ListConsent("ten_b", "eu_1")->empty());
  auto record = store_->FindInbound("ten_a", "ch_1", "m1");
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_EQ((*record)->acknowledgment_entry_id, "ent_m1_1");

  // The same message id again: the first answer, nothing new.
  InboundWrite again = MakeInbound("ten_a", "m1", "eu_9", true, "ses_9", true, clock_.Now());
  auto repeat = store_->CommitInbound(again);
  ASSERT_TRUE(repeat.ok()) << repeat.status();
  EXPECT_TRUE(repeat->duplicate);
  EXPECT_EQ(repeat->record.session_id, "ses_1");
  EXPECT_EQ(repeat->record.end_user_id, "eu_1");
  EXPECT_TRUE(absl::IsNotFound(store_->GetEndUser("ten_a", "eu_9").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->GetSession("ten_a", "ses_9").status()));

  // The next message of the session continues the sequence.
  InboundWrite m2 = MakeInbound("ten_a", "m2", "eu_1", false, "ses_1", false, clock_.Now());
  m2.compared_end_users = {"eu_1"};
  auto next = store_->CommitInbound(m2);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_FALSE(next->duplicate);
  EXPECT_EQ(store_->ListEntries("ten_a", "ses_1", 2, 10)->at(0).seq, 3);
  EXPECT_EQ(store_->GetSession("ten_a", "ses_1")->next_seq, 4);
}

// One subject with everything a subject can have, for erasure tests.
void AddSubject(Store& store, const std::string& tenant, const std::string& eu,
                const std::string& prefix, absl::Time now) {
  InboundWrite w = MakeInbound(tenant, prefix + "m1", eu, true, "ses_" + prefix, true, now, 2);
  w.platform_key_token = 1000 + prefix.size() * 7 + prefix[0];
  w.index_entries[0].token = w.platform_key_token;
  w.context.push_back({"ctx_" + prefix, tenant, "ses_" + prefix, "k", "v"});
  w.outbox.push_back(
      {"out_" + prefix, tenant, "ch_1", "ses_" + prefix, "ent_" + prefix + "m1_1", 0, now, now});
  w.consent.push_back(
      {"con_" + prefix, tenant, eu, "ch_1", "messaging", "implicit", "inbound", "{}", now, now});
  w.tokens.push_back({tenant, "tok_" + prefix, eu, "ent_" + prefix + "m1", "rule", "sealed", now});
  w.index_entries.push_back(
      {tenant, "identifier.email", 77, "entry", "ent_" + prefix + "m1", "message", eu});
  ASSERT_TRUE(store.CommitInbound(w).ok());
  ASSERT_TRUE(store.EndSession(tenant, "ses_" + prefix, now, "agent").ok());
  Transcript t;
  t.tenant_id = tenant;
  t.session_id = "ses_" + prefix;
  t.body_sealed = "body";
  t.supervisor_body_sealed = "sup";
  t.generated_at = now;
  ASSERT_TRUE(store.PutTranscript(t).ok());
  IdempotentResponse r{tenant,   "key_1", "idem-" + prefix, "fp", 201, "application/json", eu,
                       "sealed", now};
  ASSERT_TRUE(store.PutIdempotentResponse(r).ok());
}

TEST_P(StoreConformance, EraseSubjectRemovesEveryRowOfTheSubjectAndNoOther) {
  AddTenant("ten_a", "a");
  AddTenant("ten_b", "b");
  AddSubject(*store_, "ten_a", "eu_1", "a", clock_.Now());
  AddSubject(*store_, "ten_a", "eu_2", "b", clock_.Now());
  AddSubject(*store_, "ten_b", "eu_1", "c", clock_.Now());  // same id, another tenant
  auto n = store_->EraseSubject("ten_a", "eu_1");
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->end_users, 1);
  EXPECT_EQ(n->sessions, 1);
  EXPECT_EQ(n->entries, 2);
  EXPECT_EQ(n->participants, 1);
  EXPECT_EQ(n->context_entries, 1);
  EXPECT_EQ(n->transcripts, 1);
  EXPECT_EQ(n->tokens, 1);
  EXPECT_EQ(n->outbox, 1);
  EXPECT_EQ(n->consent_records, 1);
  EXPECT_EQ(n->inbound_records, 1);
  EXPECT_EQ(n->index_entries, 2);
  EXPECT_EQ(n->idempotent_responses, 1);
  EXPECT_TRUE(absl::IsNotFound(store_->GetIdempotentResponse("ten_a", "key_1", "idem-a").status()));
  EXPECT_TRUE(store_->GetIdempotentResponse("ten_a", "key_1", "idem-b").ok());
  EXPECT_TRUE(store_->GetIdempotentResponse("ten_b", "key_1", "idem-c").ok());
  EXPECT_TRUE(absl::IsNotFound(store_->GetEndUser("ten_a", "eu_1").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->GetSession("ten_a", "ses_a").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->GetTranscript("ten_a", "ses_a").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->GetToken("ten_a", "tok_a").status()));
  EXPECT_TRUE(store_->ListConsent("ten_a", "eu_1")->empty());
  EXPECT_FALSE(store_->FindInbound("ten_a", "ch_1", "am1")->has_value());
  // The other subject of the tenant and the same id in another tenant are intact.
  for (auto [tenant, eu, p] : {std::tuple{"ten_a", "eu_2", "b"}, {"ten_b", "eu_1", "c"}}) {
    std::string ses = std::string("ses_") + p;
    EXPECT_TRUE(store_->GetEndUser(tenant, eu).ok());
    EXPECT_EQ(store_->ListEntries(tenant, ses, 0, 10)->size(), 2u);
    EXPECT_EQ(store_->ListContext(tenant, ses)->size(), 1u);
    EXPECT_EQ(store_->ListParticipants(tenant, ses)->size(), 1u);
    EXPECT_TRUE(store_->GetTranscript(tenant, ses).ok());
    EXPECT_EQ(store_->ListConsent(tenant, eu)->size(), 1u);
    EXPECT_TRUE(store_->FindInbound(tenant, "ch_1", std::string(p) + "m1")->has_value());
  }
  EXPECT_EQ(store_->FindIndexEntries("ten_a", "identifier.email", 77, 10)->size(), 1u);
  // Again: nothing left, all zero.
  auto again = store_->EraseSubject("ten_a", "eu_1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->end_users + again->entries + again->index_entries, 0);
}

TEST_P(StoreConformance, ExpireSessionsDeletesOldSessionsButNotHeldOnes) {
  AddTenant("ten_a", "a");
  absl::Time old = clock_.Now();
  AddSubject(*store_, "ten_a", "eu_1", "a", old);
  AddSubject(*store_, "ten_a", "eu_2", "b", old);
  ASSERT_TRUE(store_->PutLegalHold({"ten_a", "eu_2", "r", "k", old}).ok());
  clock_.Advance(absl::Hours(48));
  auto batch = store_->ExpireSessions("ten_a", "ch_1", clock_.Now() - absl::Hours(24), 10);
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->deleted.sessions, 1);
  EXPECT_EQ(batch->deleted.entries, 2);
  EXPECT_EQ(batch->deleted.participants, 1);
  EXPECT_EQ(batch->deleted.context_entries, 1);
  EXPECT_EQ(batch->deleted.transcripts, 1);
  EXPECT_EQ(batch->deleted.tokens, 1);
  EXPECT_EQ(batch->deleted.inbound_records, 1);
  EXPECT_EQ(batch->deleted.index_entries, 1);  // the email found in the entry
  EXPECT_EQ(batch->emptied_end_users, std::vector<std::string>{"eu_1"});
  EXPECT_TRUE(store_->GetEndUser("ten_a", "eu_1").ok());  // erased by the caller, not here
  EXPECT_TRUE(absl::IsNotFound(store_->GetSession("ten_a", "ses_a").status()));
  EXPECT_FALSE(store_->FindInbound("ten_a", "ch_1", "am1")->has_value());
  EXPECT_TRUE(store_->GetSession("ten_a", "ses_b").ok());
  EXPECT_TRUE(store_->FindInbound("ten_a", "ch_1", "bm1")->has_value());
  auto again = store_->ExpireSessions("ten_a", "ch_1", clock_.Now() - absl::Hours(24), 10);
  EXPECT_EQ(again->deleted.sessions, 0);
  EXPECT_TRUE(store_->ExpireSessions("ten_a", "ch_1", old, 10)->emptied_end_users.empty());
}

TEST_P(StoreConformance, LegalHoldBlocksErasureUntilLifted) {
  AddTenant("ten_a", "a");
  AddSubject(*store_, "ten_a", "eu_1", "a", clock_.Now());
  EXPECT_TRUE(absl::IsNotFound(store_->GetLegalHold("ten_a", "eu_1").status()));
  LegalHold h{"ten_a", "eu_1", "sealed-reason", "key_1", clock_.Now()};
  ASSERT_TRUE(store_->PutLegalHold(h).ok());
  EXPECT_TRUE(store_->GetEndUser("ten_a", "eu_1")->legal_hold);
  EXPECT_EQ(store_->GetLegalHold("ten_a", "eu_1")->reason_sealed, "sealed-reason");
  EXPECT_TRUE(absl::IsNotFound(store_->GetLegalHold("ten_b", "eu_1").status()));
  auto refused = store_->EraseSubject("ten_a", "eu_1");
  EXPECT_EQ(ErrorCode(refused.status()), "legal_hold");
  EXPECT_TRUE(store_->GetEndUser("ten_a", "eu_1").ok());
  EXPECT_TRUE(absl::IsNotFound(store_->PutLegalHold({"ten_a", "eu_9", "r", "k", clock_.Now()})));
  ASSERT_TRUE(store_->DeleteLegalHold("ten_a", "eu_1").ok());
  EXPECT_TRUE(absl::IsNotFound(store_->DeleteLegalHold("ten_a", "eu_1")));
  EXPECT_FALSE(store_->GetEndUser("ten_a", "eu_1")->legal_hold);
  EXPECT_TRUE(store_->EraseSubject("ten_a", "eu_1").ok());
}

TEST_P(StoreConformance, ProcessingRestrictionIsSetAndLifted) {
  AddTenant("ten_a", "a");
  AddSubject(*store_, "ten_a", "eu_1", "a", clock_.Now());
  ASSERT_TRUE(store_->SetProcessingRestricted("ten_a", "eu_1", true, clock_.Now()).ok());
  EXPECT_TRUE(store_->GetEndUser("ten_a", "eu_1")->processing_restricted);
  ASSERT_TRUE(store_->SetProcessingRestricted("ten_a", "eu_1", false, clock_.Now()).ok());
  EXPECT_FALSE(store_->GetEndUser("ten_a", "eu_1")->processing_restricted);
  EXPECT_TRUE(
      absl::IsNotFound(store_->SetProcessingRestricted("ten_b", "eu_1", true, clock_.Now())));
}

TEST_P(StoreConformance, AuditRecordsAreNumberedAndChainedPerTenant) {
  AddTenant("ten_a", "a");
  AuditChainer chain = [](const AuditRecord& r) {
    return absl::StrCat("h", r.seq, "<", r.prev_hash.substr(0, 3));
  };
  AuditRecord r;
  r.tenant_id = "ten_a";
  r.at = clock_.Now();
  r.actor = "key_1";
  r.action = "privacy.erase";
  r.detail = "{}";
  auto first = store_->AppendAudit(r, chain);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->seq, 1);
  EXPECT_EQ(first->prev_hash, std::string(64, '0'));
  EXPECT_EQ(first->hash, "h1<000");
  auto second = store_->AppendAudit(r, chain);
  EXPECT_EQ(second->seq, 2);
  EXPECT_EQ(second->prev_hash, "h1<000");
  r.tenant_id = "ten_b";
  EXPECT_EQ(store_->AppendAudit(r, chain)->seq, 1);
  auto list = store_->ListAudit("ten_a", 0, 10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].hash, second->hash);
  EXPECT_EQ((*list)[0].action, "privacy.erase");
  EXPECT_EQ((*list)[0].at, clock_.Now());
  EXPECT_EQ(store_->ListAudit("ten_a", 1, 10)->size(), 1u);
  EXPECT_EQ(store_->ListAudit("ten_b", 0, 10)->size(), 1u);
  r.tenant_id = "ten_a";
  r.subject_hash = "abc";
  ASSERT_TRUE(store_->AppendAudit(r, chain).ok());  // seq 3
  auto mine = store_->ListAuditBySubject("ten_a", "abc", 0, 10);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->at(0).seq, 3);
  EXPECT_TRUE(store_->ListAuditBySubject("ten_a", "abc", 3, 10)->empty());
  EXPECT_TRUE(store_->ListAuditBySubject("ten_b", "abc", 0, 10)->empty());
}

TEST_P(StoreConformance, IdempotentResponsesKeepTheFirstAnswerPerApiKeyUntilDeleted) {
  AddTenant("ten_a", "a");
  absl::Time t0 = clock_.Now();
  IdempotentResponse first{"ten_a", "key_1", "k-1", "fp1", 201, "application/json",
                           "eu_1",  "body1", t0};
  ASSERT_TRUE(store_->PutIdempotentResponse(first).ok());
  IdempotentResponse second = first;  // the same key again: the first answer stays
  second.fingerprint = "fp2";
  second.body_sealed = "body2";
  ASSERT_TRUE(store_->PutIdempotentResponse(second).ok());
  auto got = store_->GetIdempotentResponse("ten_a", "key_1", "k-1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->fingerprint, "fp1");
  EXPECT_EQ(got->status, 201);
  EXPECT_EQ(got->content_type, "application/json");
  EXPECT_EQ(got->subject_id, "eu_1");
  EXPECT_EQ(got->body_sealed, "body1");
  EXPECT_EQ(got->created_at, t0);
  // Scoped to the API key and the tenant.
  EXPECT_TRUE(absl::IsNotFound(store_->GetIdempotentResponse("ten_a", "key_2", "k-1").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->GetIdempotentResponse("ten_b", "key_1", "k-1").status()));
  // No body kept (the answer held a secret).
  IdempotentResponse bare{
      "ten_a", "key_1", "k-2", "fp", 201, "application/json", "", "", t0 + absl::Hours(2)};
  ASSERT_TRUE(store_->PutIdempotentResponse(bare).ok());
  EXPECT_EQ(store_->GetIdempotentResponse("ten_a", "key_1", "k-2")->body_sealed, "");
  IdempotentResponse orphan = bare;
  orphan.tenant_id = "ten_missing";
  EXPECT_TRUE(absl::IsNotFound(store_->PutIdempotentResponse(orphan)));
  // Deleting by age: only those created before the cutoff, at most `limit`.
  auto deleted = store_->DeleteIdempotentResponses(t0 + absl::Hours(1), 10);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 1);
  EXPECT_TRUE(absl::IsNotFound(store_->GetIdempotentResponse("ten_a", "key_1", "k-1").status()));
  EXPECT_TRUE(store_->GetIdempotentResponse("ten_a", "key_1", "k-2").ok());
  EXPECT_EQ(*store_->DeleteIdempotentResponses(t0 + absl::Hours(3), 0), 0);
  ASSERT_TRUE(store_->DeleteIdempotentResponse("ten_a", "key_2", "k-2").ok());  // absent: OK
  EXPECT_TRUE(store_->GetIdempotentResponse("ten_a", "key_1", "k-2").ok());
  EXPECT_EQ(*store_->DeleteIdempotentResponses(t0 + absl::Hours(3), 10), 1);
}

TEST_P(StoreConformance, PrivacyRequestsRoundTripNewestFirst) {
  AddTenant("ten_a", "a");
  for (const char* id : {"prq_1", "prq_2", "prq_3"}) {
    PrivacyRequest r;
    r.id = id;
    r.tenant_id = "ten_a";
    r.type = "erase";
    r.status = "pending";
    r.end_user_id = "eu_1";
    r.reason_sealed = "sealed";
    r.requested_by = "key_1";
    r.result = "{}";
    r.created_at = clock_.Now();
    r.due_at = clock_.Now() + absl::Hours(24 * 30);
    ASSERT_TRUE(store_->PutPrivacyRequest(r).ok());
  }
  auto got = store_->GetPrivacyRequest("ten_a", "prq_2");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->completed_at, absl::InfinitePast());
  EXPECT_EQ(got->due_at, clock_.Now() + absl::Hours(24 * 30));
  got->status = "completed";
  got->completed_at = clock_.Now();
  got->result = R"({"certificate":{}})";
  ASSERT_TRUE(store_->PutPrivacyRequest(*got).ok());
  EXPECT_EQ(store_->GetPrivacyRequest("ten_a", "prq_2")->completed_at, clock_.Now());
  EXPECT_EQ(store_->GetPrivacyRequest("ten_a", "prq_2")->status, "completed");
  EXPECT_TRUE(absl::IsNotFound(store_->GetPrivacyRequest("ten_b", "prq_2").status()));
  auto page = store_->ListPrivacyRequests("ten_a", {2, ""});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, "prq_3");
  ASSERT_TRUE(page->next_cursor.has_value());
  auto rest = store_->ListPrivacyRequests("ten_a", {2, *page->next_cursor});
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].id, "prq_1");
  EXPECT_FALSE(rest->next_cursor.has_value());
  // One subject's requests only, newest first, paged the same way.
  PrivacyRequest other = *got;
  other.id = "prq_4";
  other.end_user_id = "eu_2";
  ASSERT_TRUE(store_->PutPrivacyRequest(other).ok());
  auto mine = store_->ListPrivacyRequestsOf("ten_a", "eu_1", {2, ""});
  ASSERT_TRUE(mine.ok()) << mine.status();
  ASSERT_EQ(mine->items.size(), 2u);
  EXPECT_EQ(mine->items[0].id, "prq_3");
  auto more = store_->ListPrivacyRequestsOf("ten_a", "eu_1", {2, *mine->next_cursor});
  ASSERT_EQ(more->items.size(), 1u);
  EXPECT_EQ(more->items[0].id, "prq_1");
  auto theirs = store_->ListPrivacyRequestsOf("ten_a", "eu_2", {10, ""});
  ASSERT_EQ(theirs->items.size(), 1u);
  EXPECT_EQ(theirs->items[0].id, "prq_4");
  EXPECT_TRUE(store_->ListPrivacyRequestsOf("ten_b", "eu_1", {10, ""})->items.empty());
}

// Context key classes are read for every message with context (the SQLite
// store keeps them in memory): each change shows in the next list.
TEST_P(StoreConformance, ContextKeyClassesListShowsEveryChange) {
  AddTenant("ten_a", "a");
  AddTenant("ten_b", "b");
  ContextKeyClass order{"ten_a", "order_id", "internal", {}, "", clock_.Now()};
  EXPECT_TRUE(absl::IsNotFound(
      store_->PutContextKeyClass({"ten_x", "k", "internal", {}, "", clock_.Now()})));
  auto listed = store_->ListContextKeyClasses("ten_a");
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_TRUE(listed->empty());
  ASSERT_TRUE(store_->PutContextKeyClass(order).ok());
  ContextKeyClass email{"ten_a", "email",     "confidential", {"pii", "credential"},
                        "email", clock_.Now()};
  ASSERT_TRUE(store_->PutContextKeyClass(email).ok());
  listed = store_->ListContextKeyClasses("ten_a");
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].key, "email");  // by key
  EXPECT_EQ((*listed)[0].categories, (std::vector<std::string>{"pii", "credential"}));
  EXPECT_EQ((*listed)[0].identifier, "email");
  EXPECT_EQ((*listed)[1].key, "order_id");
  EXPECT_EQ((*listed)[1].sensitivity, "internal");
  order.sensitivity = "restricted";
  order.categories = {"pci"};
  ASSERT_TRUE(store_->PutContextKeyClass(order).ok());
  listed = store_->ListContextKeyClasses("ten_a");
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[1].sensitivity, "restricted");
  EXPECT_EQ((*listed)[1].categories, (std::vector<std::string>{"pci"}));
  EXPECT_TRUE(store_->ListContextKeyClasses("ten_b")->empty());
}

TEST_P(StoreConformance, InboundCommitRefusesAStaleView) {
  AddTenant("ten_a", "a");
  ASSERT_TRUE(
      store_->CommitInbound(MakeInbound("ten_a", "m1", "eu_1", true, "ses_1", true, clock_.Now()))
          .ok());
  // A concurrent first message created another end user for the same token.
  InboundWrite twin = MakeInbound("ten_a", "m2", "eu_2", true, "ses_2", true, clock_.Now());
  EXPECT_TRUE(absl::IsAborted(store_->CommitInbound(twin).status()));
  twin.compared_end_users = {"eu_1"};  // compared and found different: fine
  EXPECT_TRUE(store_->CommitInbound(twin).ok());
  // A message to an end user the caller matched exactly: another end user
  // under the token has another platform key (tokens are truncated).
  InboundWrite known = MakeInbound("ten_a", "m5", "eu_1", false, "ses_1", false, clock_.Now());
  known.compared_end_users = {"eu_1"};
  EXPECT_TRUE(store_->CommitInbound(known).ok());
  // A second open session for the same end user and channel.
  InboundWrite second = MakeInbound("ten_a", "m3", "eu_1", false, "ses_3", true, clock_.Now());
  second.compared_end_users = {"eu_1", "eu_2"};
  EXPECT_TRUE(absl::IsAborted(store_->CommitInbound(second).status()));
  // Messages to a session that does not exist.
  InboundWrite lost = MakeInbound("ten_a", "m4", "eu_1", false, "ses_404", false, clock_.Now());
  lost.compared_end_users = {"eu_1", "eu_2"};
  EXPECT_TRUE(absl::IsAborted(store_->CommitInbound(lost).status()));
  EXPECT_FALSE(store_->FindInbound("ten_a", "ch_1", "m3")->has_value());
  EXPECT_FALSE(store_->FindInbound("ten_a", "ch_1", "m4")->has_value());
}

// A caller may decide on a view of the end user it kept from an earlier
// message (the ingest pipeline's hint): the commit refuses it when the end
// user is gone or no longer as seen.
TEST_P(StoreConformance, InboundCommitChecksTheEndUserTheCallerSaw) {
  AddTenant("ten_a", "a");
  ASSERT_TRUE(
      store_->CommitInbound(MakeInbound("ten_a", "m1", "eu_1", true, "ses_1", true, clock_.Now()))
          .ok());
  auto next = [&](const std::string& id, bool restricted, const std::string& locale) {
    InboundWrite w = MakeInbound("ten_a", id, "eu_1", false, "ses_1", false, clock_.Now());
    w.compared_end_users = {"eu_1"};
    w.seen_end_user = InboundWrite::SeenEndUser{restricted, locale};
    return store_->CommitInbound(w).status();
  };
  EXPECT_TRUE(next("m2", false, "").ok());
  EXPECT_TRUE(absl::IsAborted(next("m3", true, "")));     // it was not restricted
  EXPECT_TRUE(absl::IsAborted(next("m3", false, "fr")));  // nor in French
  ASSERT_TRUE(store_->SetProcessingRestricted("ten_a", "eu_1", true, clock_.Now()).ok());
  EXPECT_TRUE(absl::IsAborted(next("m3", false, "")));  // restricted since
  EXPECT_TRUE(next("m3", true, "").ok());
  ASSERT_TRUE(store_->SetProcessingRestricted("ten_a", "eu_1", false, clock_.Now()).ok());
  ASSERT_TRUE(store_->EraseSubject("ten_a", "eu_1").ok());
  EXPECT_TRUE(absl::IsAborted(next("m4", false, "")));  // erased
  EXPECT_FALSE(store_->FindInbound("ten_a", "ch_1", "m4")->has_value());
  EXPECT_EQ(store_->ListEntries("ten_a", "ses_1", 0, 10)->size(), 0u);
}

// A customer's message to an open session makes it waiting unless it is
// active, from the status the store holds (the caller's may be old).
TEST_P(StoreConformance, AContinuingMessageLeavesActiveSessionsActiveAndWakesTheOthers) {
  AddTenant("ten_a", "a");
  absl::Time t0 = clock_.Now();
  ASSERT_TRUE(
      store_->CommitInbound(MakeInbound("ten_a", "m1", "eu_1", true, "ses_1", true, t0)).ok());
  EntriesWrite reply;
  reply.tenant_id = "ten_a";
  reply.session_id = "ses_1";
  reply.session_status = SessionStatus::kActive;
  reply.activity_at = t0;
  ASSERT_TRUE(store_->AppendEntries(reply).ok());
  InboundWrite m2 = MakeInbound("ten_a", "m2", "eu_1", false, "ses_1", false, t0);
  m2.compared_end_users = {"eu_1"};
  m2.session_status = SessionStatus::kWaiting;  // what an old view would say
  ASSERT_TRUE(store_->CommitInbound(m2).ok());
  EXPECT_EQ(store_->GetSession("ten_a", "ses_1")->status, SessionStatus::kActive);
  // Idle: the sweep makes it inactive; the next message makes it waiting.
  absl::Time later = t0 + absl::Hours(1);
  auto swept = store_->SweepSessions("ten_a", "ch_1", later, later - absl::Hours(24), later);
  ASSERT_TRUE(swept.ok()) << swept.status();
  ASSERT_EQ(store_->GetSession("ten_a", "ses_1")->status, SessionStatus::kInactive);
  InboundWrite m3 = MakeInbound("ten_a", "m3", "eu_1", false, "ses_1", false, later);
  m3.compared_end_users = {"eu_1"};
  m3.session_status = SessionStatus::kActive;  // likewise
  ASSERT_TRUE(store_->CommitInbound(m3).ok());
  EXPECT_EQ(store_->GetSession("ten_a", "ses_1")->status, SessionStatus::kWaiting);
}

TEST_P(StoreConformance, SessionsListWithFiltersWithinATenant) {
  AddTenant("ten_a", "a");
  AddTenant("ten_b", "b");
  ASSERT_TRUE(
      store_->CommitInbound(MakeInbound("ten_a", "m1", "eu_1", true, "ses_1", true, clock_.Now()))
          .ok());
  clock_.Advance(absl::Hours(1));
  InboundWrite w = MakeInbound("ten_a", "m2", "eu_2", true, "ses_2", true, clock_.Now());
  w.compared_end_users = {"eu_1"};
  ASSERT_TRUE(store_->CommitInbound(w).ok());
  ASSERT_TRUE(
      store_->CommitInbound(MakeInbound("ten_b", "m1", "eu_1", true, "ses_1", true, clock_.Now()))
          .ok());
  EXPECT_EQ(store_->ListSessions("ten_a", {}, {50, ""})->items.size(), 2u);
  SessionFilter by_user;
  by_user.end_user_id = "eu_2";
  auto one = store_->ListSessions("ten_a", by_user, {50, ""});
  ASSERT_EQ(one->items.size(), 1u);
  EXPECT_EQ(one->items[0].id, "ses_2");
  SessionFilter since;
  since.since = clock_.Now();
  EXPECT_EQ(store_->ListSessions("ten_a", since, {50, ""})->items.size(), 1u);
  SessionFilter ended;
  ended.status = SessionStatus::kEnded;
  EXPECT_TRUE(store_->ListSessions("ten_a", ended, {50, ""})->items.empty());
  auto paged = store_->ListSessions("ten_a", {}, {1, ""});
  ASSERT_TRUE(paged->next_cursor.has_value());
  // Another tenant's session and end user are not found.
  EXPECT_EQ(store_->GetSession("ten_b", "ses_1")->tenant_id, "ten_b");
  EXPECT_TRUE(absl::IsNotFound(store_->GetSession("ten_b", "ses_2").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->GetEndUser("ten_b", "eu_2").status()));
  EXPECT_TRUE(store_->ListEntries("ten_b", "ses_2", 0, 10)->empty());
  auto active = store_->FindActiveSession("ten_a", "ch_1", "eu_1");
  ASSERT_TRUE(active.ok() && active->has_value());
  EXPECT_EQ((*active)->id, "ses_1");
  EXPECT_FALSE(store_->FindActiveSession("ten_a", "ch_2", "eu_1")->has_value());
}

TEST_P(StoreConformance, AppendedEntriesContinueTheSessionUntilItEnds) {
  AddTenant("ten_a", "a");
  ASSERT_TRUE(
      store_->CommitInbound(MakeInbound("ten_a", "m1", "eu_1", true, "ses_1", true, clock_.Now()))
          .ok());
  clock_.Advance(absl::Minutes(1));
  EntriesWrite w;
  w.tenant_id = "ten_a";
  w.session_id = "ses_1";
  convault::Entry reply;
  reply.id = "ent_reply";
  reply.tenant_id = "ten_a";
  reply.session_id = "ses_1";
  reply.end_user_id = "eu_1";
  reply.direction = Direction::kOutbound;
  reply.actor = ActorType::kAgent;
  reply.delivery_status = DeliveryStatus::kQueued;
  reply.created_at = clock_.Now();
  w.entries = {reply};
  w.outbox.push_back(
      {"out_1", "ten_a", "ch_1", "ses_1", "ent_reply", 0, clock_.Now(), clock_.Now()});
  w.session_status = SessionStatus::kActive;
  w.activity_at = clock_.Now();
  auto stored = store_->AppendEntries(w);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->at(0).seq, 2);
  auto s = store_->GetSession("ten_a", "ses_1");
  EXPECT_EQ(s->status, SessionStatus::kActive);
  EXPECT_EQ(s->last_activity_at, clock_.Now());
  EXPECT_EQ(store_->ListEntries("ten_a", "ses_1", 0, 10)->back().actor, ActorType::kAgent);

  auto ended = store_->EndSession("ten_a", "ses_1", clock_.Now(), "agent");
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->status, SessionStatus::kEnded);
  EXPECT_EQ(ended->end_reason, "agent");
  EXPECT_EQ(ended->ended_at, clock_.Now());
  EXPECT_TRUE(absl::IsFailedPrecondition(
      store_->EndSession("ten_a", "ses_1", clock_.Now(), "agent").status()));
  reply.id = "ent_late";
  w.entries = {reply};
  w.outbox.clear();
  EXPECT_TRUE(absl::IsFailedPrecondition(store_->AppendEntries(w).status()));
  EXPECT_TRUE(absl::IsNotFound(store_->EndSession("ten_b", "ses_1", clock_.Now(), "x").status()));
  w.session_id = "ses_404";
  EXPECT_TRUE(absl::IsNotFound(store_->AppendEntries(w).status()));
  // The end user may open a new session now.
  EXPECT_FALSE(store_->FindActiveSession("ten_a", "ch_1", "eu_1")->has_value());
  InboundWrite again = MakeInbound("ten_a", "m2", "eu_1", false, "ses_2", true, clock_.Now());
  again.compared_end_users = {"eu_1"};
  EXPECT_TRUE(store_->CommitInbound(again).ok());
}

TEST_P(StoreConformance, SweepMakesIdleSessionsInactiveThenEndsThem) {
  AddTenant("ten_a", "a");
  absl::Time t0 = clock_.Now();
  ASSERT_TRUE(
      store_->CommitInbound(MakeInbound("ten_a", "m1", "eu_1", true, "ses_1", true, t0)).ok());
  InboundWrite later = MakeInbound("ten_a", "m2", "eu_2", true, "ses_2", true, t0 + absl::Hours(2));
  later.compared_end_users = {"eu_1"};
  ASSERT_TRUE(store_->CommitInbound(later).ok());
  absl::Time now = t0 + absl::Hours(2) + absl::Minutes(10);
  // 30 minutes of inactivity; end 24 hours after that.
  auto first = store_->SweepSessions("ten_a", "ch_1", now - absl::Minutes(30),
                                     now - absl::Minutes(30) - absl::Hours(24), now);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->made_inactive, 1);
  EXPECT_EQ(first->ended, 0);
  EXPECT_EQ(store_->GetSession("ten_a", "ses_1")->status, SessionStatus::kInactive);
  EXPECT_EQ(store_->GetSession("ten_a", "ses_2")->status, SessionStatus::kWaiting);
  EXPECT_EQ(store_->SweepSessions("ten_b", "ch_1", now, now, now)->made_inactive, 0);
  now += absl::Hours(30);
  auto second = store_->SweepSessions("ten_a", "ch_1", now - absl::Minutes(30),
                                      now - absl::Minutes(30) - absl::Hours(24), now);
  EXPECT_EQ(second->ended, 1);
  EXPECT_EQ(second->made_inactive, 1);
  auto s1 = store_->GetSession("ten_a", "ses_1");
  EXPECT_EQ(s1->status, SessionStatus::kEnded);
  EXPECT_EQ(s1->end_reason, "inactivity");
  EXPECT_EQ(s1->ended_at, now);
}

// The SQLite store finds sessions to sweep by the minute of their last
// activity; the cutoff is still the exact time, and later messages and
// replies in the same minute or the next still count as activity.
TEST_P(StoreConformance, SweepCutsAtTheExactTimeOfTheLastActivity) {
  AddTenant("ten_a", "a");
  const absl::Time t0 = absl::FromUnixSeconds(1'800'000'000) + absl::Seconds(30);
  ASSERT_TRUE(
      store_->CommitInbound(MakeInbound("ten_a", "m1", "eu_1", true, "ses_1", true, t0)).ok());
  auto sweep = [&](absl::Time inactive_before) {
    auto counts = store_->SweepSessions("ten_a", "ch_1", inactive_before,
                                        inactive_before - absl::Hours(24), inactive_before);
    return counts.ok() ? counts->made_inactive : -1;
  };
  EXPECT_EQ(sweep(t0), 0);
  // A message later in the same minute, then a reply in the next minute.
  InboundWrite second =
      MakeInbound("ten_a", "m2", "eu_1", false, "ses_1", false, t0 + absl::Seconds(20));
  second.compared_end_users = {"eu_1"};
  ASSERT_TRUE(store_->CommitInbound(second).ok());
  EXPECT_EQ(sweep(t0 + absl::Seconds(20)), 0);
  EntriesWrite reply;
  reply.tenant_id = "ten_a";
  reply.session_id = "ses_1";
  reply.activity_at = t0 + absl::Seconds(50);
  convault::Entry e;
  e.id = "ent_reply";
  e.tenant_id = "ten_a";
  e.session_id = "ses_1";
  e.end_user_id = "eu_1";
  e.created_at = reply.activity_at;
  reply.entries = {e};
  ASSERT_TRUE(store_->AppendEntries(reply).ok());
  EXPECT_EQ(sweep(t0 + absl::Seconds(50)), 0);
  EXPECT_EQ(store_->GetSession("ten_a", "ses_1")->status, SessionStatus::kWaiting);
  EXPECT_EQ(sweep(t0 + absl::Seconds(50) + absl::Microseconds(1)), 1);
  EXPECT_EQ(store_->GetSession("ten_a", "ses_1")->status, SessionStatus::kInactive);
}

TEST_P(StoreConformance, OutboxRowsAreClaimedLeasedRetriedAndFinished) {
  AddTenant("ten_a", "a");
  absl::Time t0 = clock_.Now();
  InboundWrite w = MakeInbound("ten_a", "m1", "eu_1", true, "ses_1", true, t0, 2);
  w.entries[1].delivery_status = DeliveryStatus::kQueued;
  w.outbox.push_back({"out_1", "ten_a", "ch_1", "ses_1", w.entries[1].id, 0, t0, t0});
  ASSERT_TRUE(store_->CommitInbound(w).ok());
  EXPECT_TRUE(store_->ClaimOutbox(t0 - absl::Seconds(1), absl::Minutes(1), 10)->empty());
  auto claimed = store_->ClaimOutbox(t0, absl::Minutes(1), 10);
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  ASSERT_EQ(claimed->size(), 1u);
  OutboxItem item = claimed->front();
  EXPECT_EQ(item.entry_id, "ent_m1_1");
  EXPECT_EQ(item.attempts, 0);
  // Leased: nobody else takes it until the lease has passed.
  EXPECT_TRUE(store_->ClaimOutbox(t0 + absl::Seconds(30), absl::Minutes(1), 10)->empty());
  EXPECT_EQ(store_->ClaimOutbox(t0 + absl::Minutes(2), absl::Minutes(1), 10)->size(), 1u);

  ASSERT_TRUE(store_->RetryDelivery(item, t0 + absl::Minutes(10)).ok());
  EXPECT_EQ(store_->GetEntry("ten_a", "ent_m1_1")->delivery_status, DeliveryStatus::kFailed);
  EXPECT_TRUE(store_->ClaimOutbox(t0 + absl::Minutes(9), absl::Minutes(1), 10)->empty());
  auto again = store_->ClaimOutbox(t0 + absl::Minutes(10), absl::Minutes(1), 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ(again->front().attempts, 1);

  ASSERT_TRUE(store_->FinishDelivery(again->front(), DeliveryStatus::kSent).ok());
  EXPECT_EQ(store_->GetEntry("ten_a", "ent_m1_1")->delivery_status, DeliveryStatus::kSent);
  EXPECT_TRUE(store_->ClaimOutbox(t0 + absl::Hours(1), absl::Minutes(1), 10)->empty());
  EXPECT_TRUE(absl::IsNotFound(store_->GetEntry("ten_b", "ent_m1_1").status()));
}

TEST_P(StoreConformance, TranscriptsOfEndedSessions) {
  AddTenant("ten_a", "a");
  ASSERT_TRUE(
      store_->CommitInbound(MakeInbound("ten_a", "m1", "eu_1", true, "ses_1", true, clock_.Now()))
          .ok());
  EXPECT_TRUE(store_->ListEndedWithoutTranscript(10)->empty());
  EXPECT_TRUE(absl::IsNotFound(store_->GetTranscript("ten_a", "ses_1").status()));
  ASSERT_TRUE(store_->EndSession("ten_a", "ses_1", clock_.Now(), "agent").ok());
  auto pending = store_->ListEndedWithoutTranscript(10);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(pending->front().id, "ses_1");
  Transcript t{"ten_a", "ses_1", "sealed-body", "sealed-supervisor", 1, clock_.Now()};
  ASSERT_TRUE(store_->PutTranscript(t).ok());
  auto got = store_->GetTranscript("ten_a", "ses_1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->body_sealed, "sealed-body");
  EXPECT_EQ(got->supervisor_body_sealed, "sealed-supervisor");
  EXPECT_EQ(got->generated_at, clock_.Now());
  EXPECT_TRUE(store_->ListEndedWithoutTranscript(10)->empty());
  EXPECT_TRUE(absl::IsNotFound(store_->GetTranscript("ten_b", "ses_1").status()));
  t.tenant_id = "ten_b";
  EXPECT_TRUE(absl::IsNotFound(store_->PutTranscript(t)));
}

TEST_P(StoreConformance, JobsAndReapplyReadsAndUpdates) {
  AddTenant("ten_a", "a");
  Job job{"job_1", "ten_a", "reapply", "running", "e:", 0, 0, 3, "", clock_.Now(), clock_.Now()};
  ASSERT_TRUE(store_->PutJob(job).ok());
  job.cursor = "c:ctx_9";
  job.scanned = 7;
  ASSERT_TRUE(store_->PutJob(job).ok());
  auto got = store_->GetJob("ten_a", "job_1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->cursor, "c:ctx_9");
  EXPECT_EQ(got->scanned, 7);
  EXPECT_EQ(store_->ListRunningJobs(10)->size(), 1u);
  job.status = "completed";
  ASSERT_TRUE(store_->PutJob(job).ok());
  EXPECT_TRUE(store_->ListRunningJobs(10)->empty());
  EXPECT_TRUE(absl::IsNotFound(store_->GetJob("ten_b", "job_1").status()));

  InboundWrite w = MakeInbound("ten_a", "m1", "eu_1", true, "ses_1", true, clock_.Now(), 2);
  w.context.push_back({"ctx_1", "ten_a", "ses_1", "k", "v"});
  ASSERT_TRUE(store_->CommitInbound(w).ok());
  auto entries = store_->ListEntriesAfter("ten_a", "", 10);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ(store_->ListEntriesAfter("ten_a", entries->at(0).id, 10)->size(), 1u);
  convault::Entry e = entries->at(0);
  e.message_sealed = "resealed";
  e.redactions = R"({"email":1})";
  e.rule_set_version = 3;
  ASSERT_TRUE(store_->UpdateEntryContent(e).ok());
  auto updated = store_->GetEntry("ten_a", e.id);
  EXPECT_EQ(updated->message_sealed, "resealed");
  EXPECT_EQ(updated->rule_set_version, 3);
  auto context = store_->ListContextAfter("ten_a", "", 10);
  ASSERT_EQ(context->size(), 1u);
  ContextEntry x = context->at(0);
  x.value_sealed = "v2";
  ASSERT_TRUE(store_->UpdateContextValue(x).ok());
  EXPECT_EQ(store_->ListContext("ten_a", "ses_1")->at(0).value_sealed, "v2");
  EXPECT_TRUE(store_->ListEntriesAfter("ten_b", "", 10)->empty());
  e.tenant_id = "ten_b";
  EXPECT_TRUE(absl::IsNotFound(store_->UpdateEntryContent(e)));
  ASSERT_TRUE(store_->EndSession("ten_a", "ses_1", clock_.Now(), "agent").ok());
  ASSERT_TRUE(store_->PutTranscript({"ten_a", "ses_1", "b", "s", 1, clock_.Now()}).ok());
  EXPECT_EQ(store_->ListTranscriptsAfter("ten_a", "", 10)->size(), 1u);
  EXPECT_TRUE(store_->ListTranscriptsAfter("ten_a", "ses_1", 10)->empty());
  ASSERT_TRUE(
      store_->AddTokens({{"ten_a", "tok_1", "eu_1", e.id, "rule_x", "sealed", clock_.Now()}}).ok());
  EXPECT_EQ(store_->GetToken("ten_a", "tok_1")->value_sealed, "sealed");
}

INSTANTIATE_TEST_SUITE_P(
    Backends, StoreConformance,
    ::testing::Values(Backend{"memory",
                              [](const std::string&) { return std::make_unique<MemoryStore>(); }},
                      Backend{"sqlite",
                              [](const std::string& dir) -> std::unique_ptr<Store> {
                                SqliteStore::Options o;
                                o.path = dir + "/data.db";
                                auto s = SqliteStore::Open(o, SystemClock::Get());
                                if (!s.ok()) return nullptr;
                                return std::move(*s);
                              }}),
    [](const ::testing::TestParamInfo<Backend>& p) { return p.param.name; });

}  // namespace
}  // namespace convault
