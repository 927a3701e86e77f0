#include "crypto/file_key_provider.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/strings.h"
#include "crypto/random.h"

namespace convault::crypto {
namespace {

constexpr std::string_view kWrapContext = "convault-kek-wrap-v1|";

absl::StatusOr<SecretBytes> ReadKeyFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::NotFoundError("KEK file missing");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
    ::close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat("KEK file ", path, " must be readable by its owner only (mode 0600)"));
  }
  SecretBytes key(32);
  ssize_t n = ::read(fd, key.mutable_data(), 32);
  uint8_t extra;
  ssize_t more = ::read(fd, &extra, 1);
  ::close(fd);
  if (n != 32 || more != 0) {
    return absl::DataLossError(absl::StrCat("KEK file ", path, " is not 32 bytes"));
  }
  return key;
}

absl::Status WriteKeyFile(const std::string& path, const SecretBytes& key) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot create KEK file ", path));
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, key.Reveal().data(), key.size()) == static_cast<ssize_t>(key.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return absl::InternalError(absl::StrCat("cannot write KEK file ", path));
  }
  return absl::OkStatus();
}

void SyncDir(const std::string& dir) {
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<FileKeyProvider>> FileKeyProvider::Open(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::FailedPreconditionError(absl::StrCat("cannot create ", dir));
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  std::unique_ptr<FileKeyProvider> p(new FileKeyProvider(dir));
  {
    absl::MutexLock lock(&p->mu_);
    CV_RETURN_IF_ERROR(p->Load());
  }
  auto versions = p->Versions();
  if (!versions.ok()) return versions.status();
  if (versions->empty()) {
    auto v = p->CreateVersion();
    if (!v.ok()) return v.status();
  }
  return p;
}

std::string FileKeyProvider::PathOf(uint32_t version) const {
  char name[32];
  std::snprintf(name, sizeof(name), "kek-%06u.key", version);
  return (std::filesystem::path(dir_) / name).string();
}

absl::Status FileKeyProvider::Load() {
  std::error_code ec;
  std::map<uint32_t, std::shared_ptr<const AesGcmAead>> found;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    std::string name = entry.path().filename().string();
    unsigned version = 0;
    char tail[8] = {0};
    if (std::sscanf(name.c_str(), "kek-%6u.%3s", &version, tail) != 2 ||
        std::string_view(tail) != "key" || version == 0) {
      continue;
    }
    if (auto known = keks_.find(version); known != keks_.end()) {
      found[version] = std::move(known->second);
      continue;
    }
    auto key = ReadKeyFile(entry.path().string());
    if (!key.ok()) return key.status();
    auto aead = AesGcmAead::Create(std::move(*key), version);
    if (!aead.ok()) return aead.status();
    found[version] = std::move(*aead);
  }
  if (ec) return absl::FailedPreconditionError(absl::StrCat("cannot read ", dir_));
  keks_ = std::move(found);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<uint32_t>> FileKeyProvider::Versions() {
  absl::MutexLock lock(&mu_);
  // Another process (convault keys rotate) may have added or destroyed a version.
  CV_RETURN_IF_ERROR(Load());
  std::vector<uint32_t> out;
  for (const auto& [v, k] : keks_) out.push_back(v);
  return out;
}

absl::StatusOr<uint32_t> FileKeyProvider::CreateVersion() {
  absl::MutexLock lock(&mu_);
  uint32_t version = keks_.empty() ? 1 : keks_.rbegin()->first + 1;
  // Numbers only grow while versions exist; files left over from a crash are skipped.
  while (std::filesystem::exists(PathOf(version))) ++version;
  auto key = SecureRandomBytes(32);
  if (!key.ok()) return key.status();
  CV_RETURN_IF_ERROR(WriteKeyFile(PathOf(version), *key));
  SyncDir(dir_);
  auto aead = AesGcmAead::Create(std::move(*key), version);
  if (!aead.ok()) return aead.status();
  keks_[version] = std::move(*aead);
  return version;
}

absl::StatusOr<std::shared_ptr<const AesGcmAead>> FileKeyProvider::Kek(uint32_t version) {
  absl::MutexLock lock(&mu_);
  auto it = keks_.find(version);
  if (it == keks_.end()) {
    CV_RETURN_IF_ERROR(Load());  // created by another process since
    it = keks_.find(version);
  }
  if (it == keks_.end()) return absl::NotFoundError(absl::StrCat("no KEK version ", version));
  return it->second;
}

absl::StatusOr<std::string> FileKeyProvider::Wrap(uint32_t version, const SecretBytes& key,
                                                  std::string_view context) {
  CV_ASSIGN_OR_RETURN(std::shared_ptr<const AesGcmAead> kek, Kek(version));
  return kek->Encrypt(key.Reveal(), absl::StrCat(Sv(kWrapContext), Sv(context)));
}

absl::StatusOr<SecretBytes> FileKeyProvider::Unwrap(uint32_t version, std::string_view wrapped,
                                                    std::string_view context) {
  auto kek = Kek(version);
  if (!kek.ok()) return absl::InvalidArgumentError("wrapped key does not open");
  auto plain = (*kek)->Decrypt(wrapped, absl::StrCat(Sv(kWrapContext), Sv(context)));
  if (!plain.ok()) return absl::InvalidArgumentError("wrapped key does not open");
  SecretBytes out(*plain);
  SecureZero(plain->data(), plain->size());
  return out;
}

absl::Status FileKeyProvider::DestroyVersion(uint32_t version) {
  absl::MutexLock lock(&mu_);
  auto it = keks_.find(version);
  if (it == keks_.end()) return absl::NotFoundError(absl::StrCat("no KEK version ", version));
  if (keks_.size() == 1) {
    return absl::FailedPreconditionError("the only KEK version cannot be destroyed");
  }
  std::string path = PathOf(version);
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd >= 0) {
    static const uint8_t kZeros[32] = {0};
    bool ok = ::write(fd, kZeros, sizeof(kZeros)) == sizeof(kZeros) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return absl::InternalError(absl::StrCat("cannot overwrite ", path));
  }
  if (::unlink(path.c_str()) != 0) return absl::InternalError(absl::StrCat("cannot remove ", path));
  SyncDir(dir_);
  keks_.erase(it);
  return absl::OkStatus();
}

}  // namespace convault::crypto
