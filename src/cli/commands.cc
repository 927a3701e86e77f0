#include "cli/commands.h"

#include <signal.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "api/http_server.h"
#include "channels/byoc/byoc_receiver.h"
#include "common/log.h"
#include "config/listen_address.h"
#include "nlohmann/json.hpp"
#include "redact/policy.h"
#include "redact/rules_json.h"
#include "server/app.h"
#include "server/backup.h"

namespace convault::cli {
namespace {

void Fail(std::string_view command, const absl::Status& status) {
  std::cerr << "convault " << command << ": " << status.message() << "\n";
}

absl::StatusOr<Config> Load(const ConfigSources& sources) {
  auto config = LoadConfig(sources);
  if (!config.ok()) return config.status();
  log::Level level = log::Level::kInfo;
  log::ParseLevel(config->log.level, &level);
  log::Init({level});
  return config;
}

void PrintAdminKey(const NewTenant& t, const std::string& key_file) {
  std::cout << "Tenant \"" << t.tenant.name << "\" (" << t.tenant.id << ") admin API key";
  if (!key_file.empty()) std::cout << " (shown once; also saved to " << key_file << ", mode 0600)";
  std::cout << ":\n" << t.admin_key.Reveal() << "\n" << std::flush;
}

// Blocks SIGINT and SIGTERM before any thread starts, so that every thread
// inherits the mask and only the caller's sigwait receives them; ignores
// SIGPIPE. Returns the set to wait on.
sigset_t BlockStopSignals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return stop_signals;
}

// Opens the data directory for a one-shot command (works beside a running server).
absl::StatusOr<std::unique_ptr<App>> OpenApp(const ConfigSources& sources) {
  auto config = Load(sources);
  if (!config.ok()) return config.status();
  return App::Open(*config, SystemClock::Get(), RandomIdGenerator::Get());
}

}  // namespace

int Serve(const ConfigSources& sources) {
  sigset_t stop_signals = BlockStopSignals();

  auto config = Load(sources);
  if (!config.ok()) {
    Fail("serve", config.status());
    return 2;
  }
  log::Info("server", "config",
            {{"data_dir", config->data_dir},
             {"config_file", config->config_file},
             {"listen", config->http.listen.host},
             {"port", static_cast<int>(config->http.listen.port)},
             {"io_threads", config->http.io_threads},
             {"handler_threads", config->http.handler_threads},
             {"max_body_bytes", config->http.max_body_bytes}});
  auto app = App::Open(*config, SystemClock::Get(), RandomIdGenerator::Get());
  if (!app.ok()) {
    Fail("serve", app.status());
    return 1;
  }
  auto fresh = (*app)->InitializeIfNeeded();
  if (!fresh.ok()) {
    Fail("serve", fresh.status());
    return 1;
  }
  if (fresh->has_value()) {
    std::cout << "Initialized data directory " << config->data_dir << ".\n";
    PrintAdminKey(**fresh, (*app)->layout().admin_key);
  }
  absl::Status s = (*app)->Serve();
  if (!s.ok()) {
    Fail("serve", s);
    return 1;
  }
  std::cout << "convault listening on http://" << config->http.listen.host << ":" << (*app)->port()
            << " (data: " << config->data_dir << ")\n"
            << std::flush;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  log::Info("server", "signal", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*app)->Shutdown();
  return 0;
}

int Init(const ConfigSources& sources) {
  auto app = OpenApp(sources);
  if (!app.ok()) {
    Fail("init", app.status());
    return 1;
  }
  auto initialized = IsInitialized((*app)->store());
  if (!initialized.ok()) {
    Fail("init", initialized.status());
    return 1;
  }
  if (*initialized) {
    std::cerr << "convault init: " << (*app)->layout().dir
              << " is already initialized (tenant \"default\" exists); nothing was changed.\n";
    return 1;
  }
  auto fresh = (*app)->InitializeIfNeeded();
  if (!fresh.ok() || !fresh->has_value()) {
    Fail("init", fresh.ok() ? absl::InternalError("not initialized") : fresh.status());
    return 1;
  }
  std::cout << "Initialized data directory " << (*app)->layout().dir << ".\n";
  PrintAdminKey(**fresh, (*app)->layout().admin_key);
  return 0;
}

int TenantCreate(const ConfigSources& sources, const std::string& name) {
  auto app = OpenApp(sources);
  if (!app.ok()) {
    Fail("tenant create", app.status());
    return 1;
  }
  auto initialized = IsInitialized((*app)->store());
  if (!initialized.ok() || !*initialized) {
    std::cerr << "convault tenant create: " << (*app)->layout().dir
              << " is not initialized; run `convault init` or `convault serve` first.\n";
    return 1;
  }
  auto t =
      CreateTenantWithAdminKey((*app)->store(), name, SystemClock::Get(), RandomIdGenerator::Get());
  if (!t.ok()) {
    Fail("tenant create", t.status());
    return 1;
  }
  PrintAdminKey(*t, "");
  return 0;
}

int TenantList(const ConfigSources& sources) {
  auto app = OpenApp(sources);
  if (!app.ok()) {
    Fail("tenant list", app.status());
    return 1;
  }
  auto tenants = (*app)->store().ListTenants();
  if (!tenants.ok()) {
    Fail("tenant list", tenants.status());
    return 1;
  }
  for (const Tenant& t : *tenants) std::cout << t.id << "\t" << t.name << "\n";
  return 0;
}

namespace {
void PrintKeyStatus(App& app) {
  auto status = app.kek_rotator().Status();
  if (!status.ok()) {
    Fail("keys status", status.status());
    return;
  }
  std::cout << "provider: " << status->provider
            << "\ncurrent KEK version: " << status->current_version << "\n";
  for (const auto& v : status->versions) {
    auto it = status->wrapped_keys.find(v.version);
    std::cout << "  version " << v.version << "  " << crypto::KekStateName(v.state) << "  "
              << (it == status->wrapped_keys.end() ? 0 : it->second) << " wrapped keys\n";
  }
}
}  // namespace

int KeysStatus(const ConfigSources& sources) {
  auto app = OpenApp(sources);
  if (!app.ok()) {
    Fail("keys status", app.status());
    return 1;
  }
  PrintKeyStatus(**app);
  return 0;
}

int KeysRotate(const ConfigSources& sources) {
  auto app = OpenApp(sources);
  if (!app.ok()) {
    Fail("keys rotate", app.status());
    return 1;
  }
  auto version = (*app)->kek_rotator().Rotate();
  if (!version.ok()) {
    Fail("keys rotate", version.status());
    return 1;
  }
  std::cout << "new KEK version " << *version << "; rewrapping data keys...\n";
  auto moved = (*app)->kek_rotator().RunToCompletion();
  if (!moved.ok()) {
    Fail("keys rotate", moved.status());
    return 1;
  }
  std::cout << "rewrapped " << *moved
            << " keys. Older versions are destroyed once drained and past the grace period "
               "(keys.destroy_grace_seconds), by the server or the next `convault keys rotate`.\n";
  PrintKeyStatus(**app);
  return 0;
}

int AuditVerify(const ConfigSources& sources, const std::string& tenant_name) {
  auto app = OpenApp(sources);
  if (!app.ok()) {
    Fail("audit verify", app.status());
    return 1;
  }
  auto tenants = (*app)->store().ListTenants();
  if (!tenants.ok()) {
    Fail("audit verify", tenants.status());
    return 1;
  }
  bool all_valid = true;
  bool found = false;
  for (const Tenant& t : *tenants) {
    if (!tenant_name.empty() && t.name != tenant_name) continue;
    found = true;
    auto v = (*app)->audit().Verify(t.id);
    if (!v.ok()) {
      Fail("audit verify", v.status());
      return 1;
    }
    if (v->valid) {
      std::cout << t.name << ": valid, " << v->records << " records, head " << v->head << "\n";
    } else {
      all_valid = false;
      std::cout << t.name << ": INVALID at seq " << v->first_bad << " (" << v->problem << "), "
                << v->records << " records verified before it\n";
    }
  }
  if (!found) {
    std::cerr << "convault audit verify: no tenant named " << tenant_name << "\n";
    return 1;
  }
  return all_valid ? 0 : 1;
}

int AuditVerifyCertificate(const ConfigSources& sources, const std::string& file) {
  std::ifstream in(file);
  if (!in) {
    std::cerr << "convault audit verify-certificate: cannot read " << file << "\n";
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto app = OpenApp(sources);
  if (!app.ok()) {
    Fail("audit verify-certificate", app.status());
    return 2;
  }
  auto valid = (*app)->privacy().VerifyCertificate(text.str());
  if (!valid.ok()) {
    Fail("audit verify-certificate", valid.status());
    return 1;
  }
  std::cout << (*valid ? "valid: the signature holds\n" : "INVALID: the signature does not hold\n");
  return *valid ? 0 : 1;
}

int Backup(const ConfigSources& sources, const std::string& out) {
  auto config = Load(sources);
  if (!config.ok()) {
    Fail("backup", config.status());
    return 2;
  }
  auto summary = TakeBackup(*config, out);
  if (!summary.ok()) {
    Fail("backup", summary.status());
    return 1;
  }
  std::cout << "backup written to " << summary->dir << ": data store " << summary->data_bytes
            << " bytes, key store " << summary->keys_bytes
            << " bytes sealed under a backup key wrapped by KEK version " << summary->kek_version
            << ". The shred log is not in it; keep the KEK apart from it.\n";
  return 0;
}

int Restore(const ConfigSources& sources, const std::string& from) {
  auto config = Load(sources);
  if (!config.ok()) {
    Fail("restore", config.status());
    return 2;
  }
  auto summary = RestoreBackup(*config, from);
  if (!summary.ok()) {
    Fail("restore", summary.status());
    return 1;
  }
  std::cout << "restored " << from << " into " << config->data_dir << "; replayed "
            << summary->shred_records_replayed
            << " shred-log records (subjects erased since the backup stay erased).\n";
  return 0;
}

int PrivacySearch(const ConfigSources& sources, const std::string& tenant_name,
                  const std::string& q) {
  auto app = OpenApp(sources);
  if (!app.ok()) {
    Fail("privacy search", app.status());
    return 1;
  }
  auto tenant = (*app)->store().FindTenantByName(tenant_name);
  if (!tenant.ok()) {
    std::cerr << "convault privacy search: no tenant named " << tenant_name << "\n";
    return 1;
  }
  auto hits = (*app)->search().Search(tenant->id, q);
  if (!hits.ok()) {
    Fail("privacy search", hits.status());
    return 1;
  }
  privacy::AuditEvent e;
  e.tenant_id = tenant->id;
  e.actor = "cli";
  e.roles = "operator";
  e.action = "privacy.search";
  e.object_type = "search";
  e.purpose = "privacy_request";
  e.outcome = "ok";
  std::string detail = nlohmann::json({{"hits", hits->size()}}).dump();
  e.detail = detail;
  auto audited = (*app)->audit().Append(e);
  if (!audited.ok()) {
    Fail("privacy search", audited.status());
    return 1;
  }
  for (const privacy::SearchHit& h : *hits) {
    nlohmann::json j = {
        {"object", h.object}, {"id", h.id}, {"field", h.field}, {"end_user_id", h.end_user_id}};
    if (!h.session_id.empty()) j["session_id"] = h.session_id;
    std::cout << j.dump() << "\n";
  }
  return 0;
}

int PrivacyRequestCommand(const ConfigSources& sources, const std::string& type,
                          const std::string& tenant_name, const std::string& end_user_id,
                          const std::string& reason, const std::string& out_file) {
  std::string command = "privacy " + type;
  auto app = OpenApp(sources);
  if (!app.ok()) {
    Fail(command, app.status());
    return 1;
  }
  auto tenant = (*app)->store().FindTenantByName(tenant_name);
  if (!tenant.ok()) {
    std::cerr << "convault " << command << ": no tenant named " << tenant_name << "\n";
    return 1;
  }
  privacy::Requester who{"cli", "operator", "privacy_request"};
  auto request = (*app)->privacy().Submit(tenant->id, type, end_user_id, reason, who);
  if (!request.ok()) {
    Fail(command, request.status());
    return 1;
  }
  nlohmann::json out = {{"id", request->id},
                        {"type", request->type},
                        {"status", request->status},
                        {"end_user_id", request->end_user_id}};
  auto result = nlohmann::json::parse(request->result, nullptr, false);
  out["result"] = result.is_discarded() ? nlohmann::json::object() : result;
  if (type == "export" && request->status == "completed" && !out_file.empty()) {
    auto source = (*app)->exports().Open(*request);
    if (!source.ok()) {
      Fail(command, source.status());
      return 1;
    }
    std::ofstream file(out_file, std::ios::binary | std::ios::trunc);
    while (true) {
      auto piece = (*source)->Next();
      if (!piece.ok()) {
        Fail(command, piece.status());
        return 1;
      }
      if (!piece->has_value()) break;
      file << **piece;
    }
    file.close();
    if (!file) {
      std::cerr << "convault " << command << ": cannot write " << out_file << "\n";
      return 1;
    }
    out["written_to"] = out_file;
  }
  std::cout << out.dump(2) << "\n";
  return request->status == "completed" ? 0 : 1;
}

int ByocReceive(const std::string& listen, const std::string& secret, const std::string& path) {
  sigset_t stop_signals = BlockStopSignals();
  auto address = ParseListenAddress(listen);
  if (!address.ok()) {
    Fail("byoc receive", address.status());
    return 2;
  }
  if (secret.empty()) {
    std::cerr << "convault byoc receive: --secret must not be empty\n";
    return 2;
  }
  ByocReceiver receiver(SecretBytes(secret), path, [](const nlohmann::json& message) {
    std::cout << message.dump() << "\n" << std::flush;
  });
  HttpOptions options;
  options.listen = *address;
  options.handler_threads = 2;
  options.shutdown_grace_ms = 2000;
  auto server = HttpServer::Start(options, receiver);
  if (!server.ok()) {
    Fail("byoc receive", server.status());
    return 1;
  }
  // The first line says where; then one line per message.
  std::cout << nlohmann::json{{"listening", absl::StrCat("http://", address->host, ":",
                                                         (*server)->port(), path)}}
                   .dump()
            << "\n"
            << std::flush;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  (*server)->Shutdown();
  return 0;
}

int Redact(const RedactFlags& flags) {
  absl::StatusOr<std::vector<SensitiveDataRule>> rules = redact::DefaultRules();
  if (!flags.rules_file.empty()) {
    std::ifstream in(flags.rules_file, std::ios::binary);
    if (!in) {
      std::cerr << "convault redact: cannot read " << flags.rules_file << "\n";
      return 2;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    rules = redact::ParseRulesJson(text);
  } else if (!flags.detectors.empty()) {
    std::vector<std::string> ids;
    for (absl::string_view id : absl::StrSplit(flags.detectors, ',', absl::SkipEmpty())) {
      ids.emplace_back(id);
    }
    rules = redact::RulesForDetectors(ids);
  }
  if (!rules.ok()) {
    Fail("redact", rules.status());
    return 2;
  }
  auto policy = redact::Policy::Compile(*rules);
  if (!policy.ok()) {
    Fail("redact", policy.status());
    return 2;
  }
  std::ios::sync_with_stdio(false);
  std::string line;
  std::string out;
  while (std::getline(std::cin, line)) {
    auto result = (*policy)->Redact(line, {});
    if (!result.ok()) {
      Fail("redact", result.status());
      return 1;
    }
    if (flags.json) {
      nlohmann::ordered_json findings = nlohmann::ordered_json::array();
      for (const auto& f : result->findings) {
        findings.push_back({{"detector", f.detector},
                            {"start", f.start},
                            {"end", f.end},
                            {"action", std::string(redact::ActionName(f.action))}});
      }
      nlohmann::ordered_json doc = {{"text", result->text}, {"findings", std::move(findings)}};
      std::cout << doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                << '\n';
    } else {
      std::cout << result->text << '\n';
    }
  }
  std::cout.flush();
  return 0;
}

}  // namespace convault::cli
