#pragma once

#include <string>

#include "absl/time/time.h"

namespace convault {

// The final transcript of an ended session (DATA-MODEL.md transcript). Both
// bodies are sealed under the end user's DEK; body leaves out internal notes,
// supervisor_body keeps everything. Before the end, transcripts are rendered
// from the entries on each read.
struct Transcript {
  std::string tenant_id;
  std::string session_id;
  std::string body_sealed;
  std::string supervisor_body_sealed;
  int format_version = 1;
  absl::Time generated_at;
};

}  // namespace convault
