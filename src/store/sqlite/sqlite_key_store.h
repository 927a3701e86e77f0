#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "store/key_store.h"
#include "store/sqlite/group_commit_writer.h"
#include "store/sqlite/read_pool.h"

namespace convault {

// The key store in its own SQLite file (DATA_DIR/keys.db), apart from the
// data store so that a data backup never carries the keys that open it.
class SqliteKeyStore final : public KeyStore {
 public:
  struct Options {
    std::string path;
    int busy_timeout_ms = 5000;
    int read_connections = 2;
  };
  static absl::StatusOr<std::unique_ptr<SqliteKeyStore>> Open(const Options& options, Clock& clock);
  ~SqliteKeyStore() override;

  absl::Status CheckReady() override;
  absl::Status PutWrappedKey(const WrappedKey& key) override;
  absl::Status PutWrappedKeys(const std::vector<WrappedKey>& keys) override;
  absl::StatusOr<WrappedKey> GetWrappedKey(const KeyRef& ref, uint32_t version) override;
  absl::StatusOr<std::vector<WrappedKey>> ListVersions(const KeyRef& ref) override;
  absl::StatusOr<int64_t> DeleteAllVersions(const KeyRef& ref) override;
  absl::StatusOr<int64_t> ReserveSeals(const KeyRef& ref, uint32_t version, int64_t count,
                                       int64_t limit) override;
  absl::StatusOr<int64_t> CountWrappedKeys(std::string_view tenant_id) override;
  absl::StatusOr<std::map<uint32_t, int64_t>> CountByKekVersion() override;
  absl::StatusOr<std::vector<WrappedKey>> ListWrappedBelow(uint32_t kek_version,
                                                           int limit) override;
  absl::Status Rewrap(const KeyRef& ref, uint32_t version, uint32_t expected_kek, uint32_t new_kek,
                      std::string_view new_wrapped) override;
  absl::Status PutKekVersion(const KekVersionRecord& record) override;
  absl::StatusOr<std::vector<KekVersionRecord>> ListKekVersions() override;
  void Close() override;

 private:
  SqliteKeyStore(std::unique_ptr<sqlite::GroupCommitWriter> writer,
                 std::unique_ptr<sqlite::ReadPool> readers)
      : writer_(std::move(writer)), readers_(std::move(readers)) {}

  std::unique_ptr<sqlite::GroupCommitWriter> writer_;
  std::unique_ptr<sqlite::ReadPool> readers_;
};

}  // namespace convault
