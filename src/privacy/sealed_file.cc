#include "privacy/sealed_file.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace convault::privacy {
namespace {

std::string ChunkName(size_t n, bool last) { return absl::StrCat(last ? "last-" : "chunk-", n); }

crypto::FieldContext ChunkField(const SealedFileId& id, const std::string& name) {
  return {id.tenant_id, "export", id.id, name, id.subject_id};
}

}  // namespace

std::string SealedFilePath(std::string_view dir, const SealedFileId& id) {
  return (std::filesystem::path(dir) / absl::StrCat(id.tenant_id, ".", id.id, ".cvx")).string();
}

absl::StatusOr<std::ofstream> CreateSealedFile(const std::string& dir, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::UnavailableError("cannot create the export file");
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace,
                  ec);
  return out;
}

absl::Status SealedFileWriter::Write(std::string_view bytes) {
  if (observer_) observer_(bytes);
  total_ += bytes.size();
  // Complete the pending chunk, then seal whole chunks straight from `bytes`:
  // each byte is copied at most once, however large the write.
  if (!buffer_.empty()) {
    size_t take = std::min(bytes.size(), kChunkBytes - buffer_.size());
    buffer_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (buffer_.size() < kChunkBytes) return absl::OkStatus();
    CV_RETURN_IF_ERROR(Flush(buffer_, false));
    buffer_.clear();
  }
  while (bytes.size() >= kChunkBytes) {
    CV_RETURN_IF_ERROR(Flush(bytes.substr(0, kChunkBytes), false));
    bytes.remove_prefix(kChunkBytes);
  }
  buffer_.append(bytes);
  return absl::OkStatus();
}

absl::Status SealedFileWriter::Finish() { return Flush(buffer_, true); }

absl::Status SealedFileWriter::Flush(std::string_view bytes, bool last) {
  auto sealed = cipher_.Seal(ChunkField(id_, ChunkName(chunks_, last)), bytes);
  if (!sealed.ok()) return sealed.status();
  uint32_t n = static_cast<uint32_t>(sealed->size());
  char len[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                 static_cast<char>(n)};
  out_.write(len, 4);
  out_.write(sealed->data(), static_cast<std::streamsize>(sealed->size()));
  if (!out_) return absl::UnavailableError("cannot write the export file");
  ++chunks_;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> SealedFileSource::Next() {
  if (done_) return std::optional<std::string>();
  unsigned char len[4];
  if (!in_.read(reinterpret_cast<char*>(len), 4)) {
    return absl::DataLossError("the export file ends before its last chunk");
  }
  uint32_t n = (uint32_t{len[0]} << 24) | (uint32_t{len[1]} << 16) | (uint32_t{len[2]} << 8) |
               uint32_t{len[3]};
  if (n > 2 * SealedFileWriter::kChunkBytes)
    return absl::DataLossError("the export file is damaged");
  std::string sealed(n, '\0');
  if (!in_.read(sealed.data(), n)) return absl::DataLossError("the export file is cut short");
  auto plain = cipher_.Open(ChunkField(id_, ChunkName(chunks_, false)), sealed);
  if (!plain.ok()) {
    plain = cipher_.Open(ChunkField(id_, ChunkName(chunks_, true)), sealed);
    if (!plain.ok()) return plain.status();
    done_ = true;
  }
  ++chunks_;
  return std::optional<std::string>(std::move(*plain));
}

}  // namespace convault::privacy
