#pragma once

#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/body_source.h"
#include "crypto/field_cipher.h"

namespace convault::privacy {

// Which document a sealed file holds: its chunks are sealed under the
// subject's DEK (or the tenant DEK when subject_id is empty) with associated
// data (tenant, "export", id, "chunk-N" | "last-N", subject)
// (docs/formats/export.md).
struct SealedFileId {
  std::string tenant_id;
  std::string id;
  std::string subject_id;
};

// Where the document `id` is kept in `dir`: <tenant>.<id>.cvx.
std::string SealedFilePath(std::string_view dir, const SealedFileId& id);
// Creates (truncates) `path` for writing, readable by the owner only, in
// `dir` (created, owner only, when missing).
absl::StatusOr<std::ofstream> CreateSealedFile(const std::string& dir, const std::string& path);

// Writes a document as a sequence of sealed chunks of up to 64 KiB:
// [4-byte big-endian length][envelope]... The last chunk has its own name,
// so that a file cut short does not read as complete.
class SealedFileWriter {
 public:
  static constexpr size_t kChunkBytes = 64 * 1024;

  SealedFileWriter(crypto::FieldCipher& cipher, SealedFileId id, std::ofstream& out)
      : cipher_(cipher), id_(std::move(id)), out_(out) {}

  absl::Status Write(std::string_view bytes);
  absl::Status Finish();
  int64_t total() const { return static_cast<int64_t>(total_); }
  // Every byte written from now on is also handed to `observer` (part hashes).
  void Observe(std::function<void(std::string_view)> observer) { observer_ = std::move(observer); }

 private:
  absl::Status Flush(std::string_view bytes, bool last);

  crypto::FieldCipher& cipher_;
  const SealedFileId id_;
  std::ofstream& out_;
  std::string buffer_;
  size_t total_ = 0;
  size_t chunks_ = 0;
  std::function<void(std::string_view)> observer_;
};

// Reads a sealed file back, one opened chunk per Next().
class SealedFileSource final : public BodySource {
 public:
  SealedFileSource(crypto::FieldCipher& cipher, SealedFileId id, const std::string& path)
      : cipher_(cipher), id_(std::move(id)), in_(path, std::ios::binary) {}
  bool ok() const { return static_cast<bool>(in_); }
  absl::StatusOr<std::optional<std::string>> Next() override;

 private:
  crypto::FieldCipher& cipher_;
  const SealedFileId id_;
  std::ifstream in_;
  size_t chunks_ = 0;
  bool done_ = false;
};

}  // namespace convault::privacy
