#pragma once

#include <string>

#include "config/config.h"

namespace convault::cli {

// Each command returns the process exit code. Messages for the operator go
// to stderr; what a command produces (keys, lists) goes to stdout.
int Serve(const ConfigSources& sources);
int Init(const ConfigSources& sources);
int TenantCreate(const ConfigSources& sources, const std::string& name);
int TenantList(const ConfigSources& sources);
int KeysStatus(const ConfigSources& sources);
int KeysRotate(const ConfigSources& sources);
// Checks the audit chain of one tenant (by name; all tenants when empty).
// Exit 0 when every chain verifies, 1 otherwise.
int AuditVerify(const ConfigSources& sources, const std::string& tenant_name);
// Checks an erasure certificate file: exit 0 when its signature holds.
int AuditVerifyCertificate(const ConfigSources& sources, const std::string& file);
// A privacy request from the command line (actor "cli"): erase, restrict or
// lift_restriction of an end user of the tenant (by name, default "default").
// convault backup --out BACKUP / convault restore --from BACKUP (docs/backups.md).
int Backup(const ConfigSources& sources, const std::string& out);
int Restore(const ConfigSources& sources, const std::string& from);
// Prints the search hits for Q as JSON lines.
int PrivacySearch(const ConfigSources& sources, const std::string& tenant_name,
                  const std::string& q);
// For export, `out` (when set) receives the document.
int PrivacyRequestCommand(const ConfigSources& sources, const std::string& type,
                          const std::string& tenant_name, const std::string& end_user_id,
                          const std::string& reason, const std::string& out = "");

struct RedactFlags {
  std::string rules_file;  // JSON array of rules (redact/rules_json.h)
  std::string detectors;   // "all" or "credit_card,email,..."
  bool json = false;
};
// stdin -> stdout, one line out per line in.
int Redact(const RedactFlags& flags);

// `convault byoc receive`: serves a ByocReceiver until SIGINT or SIGTERM.
// Prints JSON lines on stdout: {"listening": URL} first, then each delivered
// message as it was received.
int ByocReceive(const std::string& listen, const std::string& secret, const std::string& path);

}  // namespace convault::cli
