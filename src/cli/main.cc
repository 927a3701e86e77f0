// convault: the executable. Parses the command line and hands over to the
// commands; everything else lives in the library.
#include <sys/stat.h>

#include <iostream>
#include <map>
#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/synchronization/mutex.h"
#include "cli/commands.h"

namespace {

struct CommonFlags {
  std::string data;
  std::string config;
  void AddTo(CLI::App* cmd) {
    cmd->add_option("--data", data, "data directory (default ./convault-data; env CONVAULT_DATA)");
    cmd->add_option("--config", config, "convault.toml to read (env CONVAULT_CONFIG)");
  }
  convault::ConfigSources Sources() const {
    convault::ConfigSources s;
    s.env = convault::ConvaultEnvironment();
    if (!config.empty()) s.config_file = config;
    if (!data.empty()) s.flags["data_dir"] = data;
    return s;
  }
};

}  // namespace

int main(int argc, char** argv) {
  // Everything convault writes (stores, key files, exports) is for its owner only.
  umask(0077);
  // Abseil's lock-order cycle detection is a debugging aid that costs on
  // every lock; tests keep it, the product turns it off.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  CLI::App app{
      "convault: stores customer-messaging conversations and protects the personal data in them"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("convault 0.1.0"));

  CommonFlags serve_flags;
  std::string listen;
  std::string log_level;
  auto* serve = app.add_subcommand("serve", "serve the HTTP API (initializes an empty data dir)");
  serve_flags.AddTo(serve);
  serve->add_option("--listen", listen, "ADDR:PORT (default 127.0.0.1:8080; env CONVAULT_LISTEN)");
  serve->add_option("--log-level", log_level, "debug, info, warn or error");

  CommonFlags init_flags;
  auto* init = app.add_subcommand("init", "initialize a data directory and print its admin key");
  init_flags.AddTo(init);

  auto* tenant = app.add_subcommand("tenant", "manage tenants");
  tenant->require_subcommand(1);
  CommonFlags create_flags;
  std::string tenant_name;
  auto* create = tenant->add_subcommand("create", "create a tenant and print its admin key");
  create_flags.AddTo(create);
  create->add_option("NAME", tenant_name, "tenant name: a-z, 0-9 and '-'")->required();
  CommonFlags list_flags;
  auto* list = tenant->add_subcommand("list", "list tenants");
  list_flags.AddTo(list);

  auto* keys = app.add_subcommand("keys", "key-encryption keys: status and rotation");
  keys->require_subcommand(1);
  CommonFlags keys_status_flags;
  auto* keys_status = keys->add_subcommand("status", "KEK versions, states and wrapped-key counts");
  keys_status_flags.AddTo(keys_status);
  CommonFlags keys_rotate_flags;
  auto* keys_rotate =
      keys->add_subcommand("rotate", "add a KEK version and rewrap every data key under it");
  keys_rotate_flags.AddTo(keys_rotate);

  auto* audit = app.add_subcommand("audit", "the audit log and erasure certificates");
  audit->require_subcommand(1);
  CommonFlags audit_verify_flags;
  std::string audit_tenant;
  auto* audit_verify =
      audit->add_subcommand("verify", "check the hash chain of the audit log (exit 1 if broken)");
  audit_verify_flags.AddTo(audit_verify);
  audit_verify->add_option("--tenant", audit_tenant, "tenant name (default: every tenant)");
  CommonFlags certificate_flags;
  std::string certificate_file;
  auto* verify_certificate = audit->add_subcommand(
      "verify-certificate", "check an erasure certificate's signature (exit 0 when it holds)");
  certificate_flags.AddTo(verify_certificate);
  verify_certificate->add_option("FILE", certificate_file, "the certificate JSON")->required();

  auto* privacy = app.add_subcommand("privacy", "data-subject requests");
  privacy->require_subcommand(1);
  struct PrivacyCommand {
    CommonFlags flags;
    std::string tenant = "default";
    std::string end_user;
    std::string reason;
    std::string out;
    CLI::App* cmd = nullptr;
  };
  std::map<std::string, PrivacyCommand> privacy_commands;
  for (const auto& [name, help] : std::map<std::string, std::string>{
           {"erase", "erase an end user (destroys their key; prints the certificate)"},
           {"export", "export everything about an end user (--out FILE writes the document)"},
           {"restrict", "restrict processing of an end user's data"},
           {"lift_restriction", "lift a restriction"}}) {
    PrivacyCommand& p = privacy_commands[name];
    p.cmd = privacy->add_subcommand(name, help);
    p.flags.AddTo(p.cmd);
    p.cmd->add_option("END_USER_ID", p.end_user, "the end user (eu_...)")->required();
    p.cmd->add_option("--tenant", p.tenant, "tenant name (default: default)");
    p.cmd->add_option("--reason", p.reason, "why (kept sealed with the request)");
    if (name == "export") p.cmd->add_option("--out", p.out, "file for the export document");
  }

  CommonFlags search_flags;
  std::string search_tenant = "default";
  std::string search_q;
  auto* privacy_search = privacy->add_subcommand(
      "search", "every object holding a phone number, email, name or platform id (JSON lines)");
  search_flags.AddTo(privacy_search);
  privacy_search->add_option("Q", search_q, "what to look for")->required();
  privacy_search->add_option("--tenant", search_tenant, "tenant name (default: default)");

  CommonFlags backup_flags;
  std::string backup_out;
  auto* backup = app.add_subcommand(
      "backup", "consistent online copy of the data store, the key store sealed apart");
  backup_flags.AddTo(backup);
  backup->add_option("--out", backup_out, "backup directory to create")->required();
  CommonFlags restore_flags;
  std::string restore_from;
  auto* restore =
      app.add_subcommand("restore", "restore a backup (server stopped), then replay the shred log");
  restore_flags.AddTo(restore);
  restore->add_option("--from", restore_from, "backup directory")->required();

  std::string receive_listen = "127.0.0.1:9090", receive_secret, receive_path = "/";
  auto* byoc = app.add_subcommand("byoc", "Bring-Your-Own-Channel tools");
  auto* byoc_receive = byoc->add_subcommand(
      "receive",
      "a local receiver for a byoc channel's deliveries: checks signatures, prints one JSON "
      "line per message");
  byoc_receive->add_option("--listen", receive_listen, "ADDR:PORT (default 127.0.0.1:9090)");
  byoc_receive->add_option("--secret", receive_secret, "the channel's credentials.signing_secret")
      ->required();
  byoc_receive->add_option("--path", receive_path, "the path of the outbound_url (default /)");

  convault::cli::RedactFlags redact_flags;
  auto* redact = app.add_subcommand(
      "redact", "mask sensitive data: stdin to stdout, one line out per line in");
  redact->add_option("--rules", redact_flags.rules_file, "JSON array of rules");
  redact->add_option("--detectors", redact_flags.detectors,
                     "all, or detector ids separated by commas (default: a new tenant's rules)");
  redact->add_flag("--json", redact_flags.json, "one JSON object per line with the findings");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (serve->parsed()) {
    convault::ConfigSources s = serve_flags.Sources();
    if (!listen.empty()) s.flags["listen"] = listen;
    if (!log_level.empty()) s.flags["log.level"] = log_level;
    return convault::cli::Serve(s);
  }
  if (init->parsed()) return convault::cli::Init(init_flags.Sources());
  if (create->parsed()) return convault::cli::TenantCreate(create_flags.Sources(), tenant_name);
  if (list->parsed()) return convault::cli::TenantList(list_flags.Sources());
  if (keys_status->parsed()) return convault::cli::KeysStatus(keys_status_flags.Sources());
  if (redact->parsed()) return convault::cli::Redact(redact_flags);
  if (byoc_receive->parsed()) {
    return convault::cli::ByocReceive(receive_listen, receive_secret, receive_path);
  }
  if (keys_rotate->parsed()) return convault::cli::KeysRotate(keys_rotate_flags.Sources());
  if (audit_verify->parsed()) {
    return convault::cli::AuditVerify(audit_verify_flags.Sources(), audit_tenant);
  }
  if (verify_certificate->parsed()) {
    return convault::cli::AuditVerifyCertificate(certificate_flags.Sources(), certificate_file);
  }
  if (backup->parsed()) return convault::cli::Backup(backup_flags.Sources(), backup_out);
  if (restore->parsed()) return convault::cli::Restore(restore_flags.Sources(), restore_from);
  if (privacy_search->parsed()) {
    return convault::cli::PrivacySearch(search_flags.Sources(), search_tenant, search_q);
  }
  for (auto& [name, p] : privacy_commands) {
    if (p.cmd->parsed()) {
      return convault::cli::PrivacyRequestCommand(p.flags.Sources(), name, p.tenant, p.end_user,
                                                  p.reason, p.out);
    }
  }
  return 2;
}
