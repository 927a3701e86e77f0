#include "server/backup.h"

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/status.h"
#include "common/time_format.h"
#include "crypto/aead.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "nlohmann/json.hpp"
#include "server/app.h"
#include "server/data_dir.h"

namespace convault {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr char kFormat[] = "convault-backup-v1";
constexpr char kWrapContext[] = "convault-backup-key-v1";
constexpr char kSealContext[] = "convault-backup-keys-db-v1";

// SQLite's online backup: a consistent copy while writers go on.
absl::Status CopyDatabase(const std::string& from, const std::string& to) {
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  absl::Status result = absl::OkStatus();
  if (sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK ||
      sqlite3_open_v2(to.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
          SQLITE_OK) {
    result =
        absl::UnavailableError(absl::StrCat("cannot open ", fs::path(from).filename().string()));
  } else {
    sqlite3_busy_timeout(src, 10000);
    sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
    if (b == nullptr) {
      result = absl::UnavailableError("cannot start the online backup");
    } else {
      int rc;
      do {
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
      } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
      sqlite3_backup_finish(b);
      if (rc != SQLITE_DONE) result = absl::UnavailableError("the online backup failed");
    }
  }
  sqlite3_close_v2(dst);
  sqlite3_close_v2(src);
  return result;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::NotFoundError(absl::StrCat("cannot read ", fs::path(path).filename().string()));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

absl::Status WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  return absl::OkStatus();
}

std::string Sha256Hex(std::string_view bytes) { return crypto::HexEncode(crypto::Sha256(bytes)); }

}  // namespace

absl::StatusOr<BackupSummary> TakeBackup(const Config& config, const std::string& out) {
  DataDirLayout layout(config.data_dir);
  if (!fs::exists(layout.data_db)) {
    return absl::FailedPreconditionError("the data directory holds no data store");
  }
  std::error_code ec;
  if (fs::exists(out) && !fs::is_empty(out, ec)) {
    return absl::FailedPreconditionError("the backup directory exists and is not empty");
  }
  fs::create_directories(out, ec);
  if (ec) return absl::UnavailableError("cannot create the backup directory");
  fs::permissions(out, fs::perms::owner_all, fs::perm_options::replace, ec);

  auto provider = OpenKeyProvider(config);
  if (!provider.ok()) return provider.status();
  auto versions = (*provider)->Versions();
  if (!versions.ok()) return versions.status();
  if (versions->empty()) return absl::FailedPreconditionError("the key provider has no KEK");
  uint32_t kek = versions->back();

  BackupSummary summary;
  summary.dir = out;
  summary.kek_version = kek;
  std::string data_copy = (fs::path(out) / "data.db").string();
  CV_RETURN_IF_ERROR(CopyDatabase(layout.data_db, data_copy));
  // The key store: copied next to the backup, sealed, and the plain copy
  // (wrapped keys only) removed.
  std::string keys_copy = (fs::path(out) / "keys.db.tmp").string();
  CV_RETURN_IF_ERROR(CopyDatabase(layout.keys_db, keys_copy));
  auto keys_bytes = ReadFile(keys_copy);
  fs::remove(keys_copy, ec);
  if (!keys_bytes.ok()) return keys_bytes.status();
  auto backup_key = crypto::SecureRandomBytes(32);
  if (!backup_key.ok()) return backup_key.status();
  auto wrapped = (*provider)->Wrap(kek, *backup_key, kWrapContext);
  if (!wrapped.ok()) return wrapped.status();
  auto aead = crypto::AesGcmAead::Create(std::move(*backup_key), 1);
  if (!aead.ok()) return aead.status();
  auto sealed = (*aead)->Encrypt(*keys_bytes, kSealContext);
  if (!sealed.ok()) return sealed.status();
  CV_RETURN_IF_ERROR(WriteFile((fs::path(out) / "keys.db.sealed").string(), *sealed));
  auto data_bytes = ReadFile(data_copy);
  if (!data_bytes.ok()) return data_bytes.status();
  summary.data_bytes = static_cast<int64_t>(data_bytes->size());
  summary.keys_bytes = static_cast<int64_t>(sealed->size());
  Json manifest = {
      {"format", kFormat},
      {"created_at", FormatRfc3339(SystemClock::Get().Now())},
      {"kek_version", kek},
      {"key_provider", std::string((*provider)->kind())},
      {"backup_key_wrapped", absl::Base64Escape(*wrapped)},
      {"files", {{"data.db", Sha256Hex(*data_bytes)}, {"keys.db.sealed", Sha256Hex(*sealed)}}}};
  CV_RETURN_IF_ERROR(
      WriteFile((fs::path(out) / "manifest.json").string(), manifest.dump(2) + "\n"));
  return summary;
}

absl::StatusOr<RestoreSummary> RestoreBackup(const Config& config, const std::string& from) {
  auto manifest_text = ReadFile((fs::path(from) / "manifest.json").string());
  if (!manifest_text.ok()) return manifest_text.status();
  Json manifest = Json::parse(*manifest_text, nullptr, false);
  if (manifest.is_discarded() || !manifest.is_object() || manifest.value("format", "") != kFormat ||
      !manifest.contains("files") || !manifest["files"].is_object()) {
    return absl::InvalidArgumentError("manifest.json is not a convault backup manifest");
  }
  auto data_bytes = ReadFile((fs::path(from) / "data.db").string());
  if (!data_bytes.ok()) return data_bytes.status();
  auto sealed = ReadFile((fs::path(from) / "keys.db.sealed").string());
  if (!sealed.ok()) return sealed.status();
  if (manifest["files"].value("data.db", "") != Sha256Hex(*data_bytes) ||
      manifest["files"].value("keys.db.sealed", "") != Sha256Hex(*sealed)) {
    return absl::DataLossError("a backup file does not match its SHA-256 in the manifest");
  }
  std::string wrapped;
  if (!manifest["backup_key_wrapped"].is_string() ||
      !absl::Base64Unescape(manifest["backup_key_wrapped"].get<std::string>(), &wrapped) ||
      !manifest["kek_version"].is_number_unsigned()) {
    return absl::InvalidArgumentError("manifest.json has no wrapped backup key");
  }
  auto provider = OpenKeyProvider(config);
  if (!provider.ok()) return provider.status();
  auto key = (*provider)->Unwrap(manifest["kek_version"].get<uint32_t>(), wrapped, kWrapContext);
  if (!key.ok()) {
    return absl::FailedPreconditionError(
        "the backup key does not unwrap: the KEK version it was wrapped under is not available");
  }
  auto aead = crypto::AesGcmAead::Create(std::move(*key), 1);
  if (!aead.ok()) return aead.status();
  auto keys_bytes = (*aead)->Decrypt(*sealed, kSealContext);
  if (!keys_bytes.ok()) return absl::DataLossError("keys.db.sealed does not open");

  DataDirLayout layout(config.data_dir);
  CV_RETURN_IF_ERROR(EnsureDataDir(layout));
  std::error_code ec;
  for (const std::string& db : {layout.data_db, layout.keys_db}) {
    for (const char* suffix : {"-wal", "-shm"}) fs::remove(db + suffix, ec);
  }
  CV_RETURN_IF_ERROR(WriteFile(layout.data_db, *data_bytes));
  CV_RETURN_IF_ERROR(WriteFile(layout.keys_db, *keys_bytes));

  // Erased subjects stay erased: the shred log of this directory (never in a
  // backup) is replayed before anything serves.
  auto app = App::Open(config, SystemClock::Get(), RandomIdGenerator::Get());
  if (!app.ok()) return app.status();
  auto replayed = (*app)->privacy().ReplayShredLog();
  if (!replayed.ok()) return replayed.status();
  RestoreSummary summary;
  summary.shred_records_replayed = *replayed;
  return summary;
}

}  // namespace convault
