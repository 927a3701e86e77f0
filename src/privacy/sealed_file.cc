#include "privacy/sealed_file.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace convault::privacy {
namespace {

std::string ChunkName(size_t n, bool last) { return absl::StrCat(last ? "last-" : "chunk-", n); }

crypto::FieldContext ChunkField(const SealedFileId& id, const std::string& name) {
  return {id.tenant_id, "export", id.id, name, id.subject_id};
}

}  // namespace

absl::Status SealedFileWriter::Write(std::string_view bytes) {
  if (observer_) observer_(bytes);
  buffer_.append(bytes);
  total_ += bytes.size();
  while (buffer_.size() >= kChunkBytes) {
    CV_RETURN_IF_ERROR(Flush(std::string_view(buffer_).substr(0, kChunkBytes), false));
    buffer_.erase(0, kChunkBytes);
  }
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
