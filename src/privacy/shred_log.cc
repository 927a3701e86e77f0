#include "privacy/shred_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "common/time_format.h"
#include "nlohmann/json.hpp"

namespace convault::privacy {

absl::Status ShredLog::Append(const ShredRecord& r) {
  nlohmann::json j = {{"request_id", r.request_id},
                      {"tenant_id", r.tenant_id},
                      {"subject_id", r.subject_id},
                      {"at", FormatRfc3339(r.at)}};
  std::string line = j.dump() + "\n";
  absl::MutexLock lock(&mu_);
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return absl::UnavailableError("cannot open the shred log");
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return absl::UnavailableError("cannot write the shred log");
    }
    done += static_cast<size_t>(n);
  }
  int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) return absl::UnavailableError("cannot sync the shred log");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ShredRecord>> ShredLog::ReadAll() {
  absl::MutexLock lock(&mu_);
  std::vector<ShredRecord> out;
  std::ifstream in(path_);
  if (!in) return out;
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;  // a torn last line
    ShredRecord r;
    r.request_id = j.value("request_id", "");
    r.tenant_id = j.value("tenant_id", "");
    r.subject_id = j.value("subject_id", "");
    auto at = ParseRfc3339(j.value("at", ""));
    r.at = at.ok() ? *at : absl::InfinitePast();
    if (r.tenant_id.empty() || r.subject_id.empty()) continue;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace convault::privacy
