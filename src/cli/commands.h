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

struct RedactFlags {
  std::string rules_file;  // JSON array of rules (redact/rules_json.h)
  std::string detectors;   // "all" or "credit_card,email,..."
  bool json = false;
};
// stdin -> stdout, one line out per line in.
int Redact(const RedactFlags& flags);

}  // namespace convault::cli
