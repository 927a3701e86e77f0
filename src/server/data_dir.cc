#include "server/data_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/strings.h"
#include "crypto/api_key_token.h"

namespace convault {

DataDirLayout::DataDirLayout(std::string d)
    : dir(std::move(d)),
      data_db((std::filesystem::path(dir) / "data.db").string()),
      keys_db((std::filesystem::path(dir) / "keys.db").string()),
      admin_key((std::filesystem::path(dir) / "admin.key").string()) {}

absl::Status EnsureDataDir(const DataDirLayout& layout) {
  std::error_code ec;
  if (std::filesystem::exists(layout.dir, ec)) {
    if (!std::filesystem::is_directory(layout.dir, ec)) {
      return absl::FailedPreconditionError(
          absl::StrCat("data directory ", layout.dir, " exists and is not a directory"));
    }
    return absl::OkStatus();
  }
  std::filesystem::create_directories(layout.dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create data directory ", layout.dir, ": ", ec.message()));
  }
  std::filesystem::permissions(layout.dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  return absl::OkStatus();
}

absl::StatusOr<bool> IsInitialized(Store& store) {
  auto t = store.FindTenantByName(kDefaultTenantName);
  if (t.ok()) return true;
  if (absl::IsNotFound(t.status())) return false;
  return t.status();
}

namespace {

// A tenant with its first admin key, not yet stored.
struct PreparedTenant {
  Tenant tenant;
  ApiKey key;
  SecretBytes token;
};

absl::StatusOr<PreparedTenant> PrepareTenant(std::string_view name, Clock& clock,
                                             IdGenerator& ids) {
  CV_RETURN_IF_ERROR(ValidateTenantName(name));
  PreparedTenant p;
  p.tenant = Tenant{ids.NewId("ten"), std::string(name), clock.Now()};
  p.key.id = ids.NewId("key");
  p.key.tenant_id = p.tenant.id;
  p.key.name = "admin";
  p.key.roles = RoleSet{Role::kAdmin};
  p.key.created_at = p.tenant.created_at;
  auto token = crypto::GenerateApiKeyToken(p.key.id);
  if (!token.ok()) return token.status();
  p.key.secret_hash = token->secret_hash;
  p.token = std::move(token->token);
  return p;
}

absl::StatusOr<NewTenant> Commit(Store& store, PreparedTenant p) {
  absl::Status s = store.CreateTenant(p.tenant, p.key);
  if (absl::IsAlreadyExists(s)) {
    return absl::AlreadyExistsError(absl::StrCat("tenant \"", p.tenant.name, "\" already exists"));
  }
  CV_RETURN_IF_ERROR(s);
  return NewTenant{std::move(p.tenant), p.key.id, std::move(p.token)};
}

}  // namespace

absl::StatusOr<NewTenant> CreateTenantWithAdminKey(Store& store, std::string_view name,
                                                   Clock& clock, IdGenerator& ids) {
  CV_ASSIGN_OR_RETURN(PreparedTenant p, PrepareTenant(name, clock, ids));
  return Commit(store, std::move(p));
}

absl::Status WritePrivateFile(const std::string& path, std::string_view contents) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot write ", tmp, ": ", strerror(errno)));
  bool ok = ::fchmod(fd, 0600) == 0;
  size_t written = 0;
  while (ok && written < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return absl::OkStatus();
}

absl::StatusOr<NewTenant> InitializeDataDir(const DataDirLayout& layout, Store& store, Clock& clock,
                                            IdGenerator& ids) {
  CV_ASSIGN_OR_RETURN(bool initialized, IsInitialized(store));
  if (initialized) {
    return absl::FailedPreconditionError(
        absl::StrCat(layout.dir, " is already initialized; nothing was changed"));
  }
  CV_ASSIGN_OR_RETURN(PreparedTenant p, PrepareTenant(kDefaultTenantName, clock, ids));
  // The key file is written before the commit; see the header.
  std::string line = absl::StrCat(Sv(p.token.Reveal()), "\n");
  absl::Status written = WritePrivateFile(layout.admin_key, line);
  SecureZero(line.data(), line.size());
  CV_RETURN_IF_ERROR(written);
  return Commit(store, std::move(p));
}

}  // namespace convault
