#include "crypto/blind_index.h"

#include <algorithm>
#include <bit>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/strings.h"
#include "crypto/hash.h"

namespace convault::crypto {

BlindIndexer::BlindIndexer(KeyManager& keys, Clock& clock, int bits)
    : keys_(keys), bits_(std::clamp(bits, 8, 64)), macs_(10000, absl::Minutes(10), clock) {}

int BlindIndexer::RecommendedBits(uint64_t expected_values) {
  int log2 = expected_values < 2 ? 1 : 63 - std::countl_zero(expected_values);
  return std::clamp(log2 - 1, 16, 32);
}

absl::StatusOr<std::shared_ptr<const HmacSha256>> BlindIndexer::IndexMac(std::string_view tenant_id,
                                                                         std::string_view index) {
  // Built in a buffer of the thread's own: no allocation per token.
  thread_local std::string name;
  name.clear();
  absl::StrAppend(&name, tenant_id.size(), ":", Sv(tenant_id), "|", Sv(index));
  if (auto cached = macs_.Get(name)) return cached;
  auto root = keys_.TenantIndexKey(tenant_id);
  if (!root.ok()) return root.status();
  auto derived = HkdfSha256(root->Reveal(), "convault-blind-index-v1", index, 32);
  if (!derived.ok()) return derived.status();
  auto mac = HmacSha256::Create(*derived);
  if (!mac.ok()) return mac.status();
  std::shared_ptr<const HmacSha256> shared(std::move(*mac));
  macs_.Put(name, shared);
  return shared;
}

absl::Status BlindIndexer::Tag(std::string_view tenant_id, std::string_view index,
                               std::string_view normalized_value, HmacSha256::Tag& out) {
  auto mac = IndexMac(tenant_id, index);
  if (!mac.ok()) return mac.status();
  (*mac)->ComputeInto(normalized_value, out);
  return absl::OkStatus();
}

uint64_t BlindIndexer::Truncate(const HmacSha256::Tag& tag) const {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | tag[i];
  return bits_ == 64 ? v : v >> (64 - bits_);
}

namespace {
std::string Hex(const HmacSha256::Tag& tag) {
  return HexEncode(std::string_view(reinterpret_cast<const char*>(tag.data()), tag.size()));
}
}  // namespace

absl::StatusOr<uint64_t> BlindIndexer::Token(std::string_view tenant_id, std::string_view index,
                                             std::string_view normalized_value) {
  HmacSha256::Tag tag;
  CV_RETURN_IF_ERROR(Tag(tenant_id, index, normalized_value, tag));
  return Truncate(tag);
}

absl::StatusOr<std::string> BlindIndexer::FullHash(std::string_view tenant_id,
                                                   std::string_view index,
                                                   std::string_view normalized_value) {
  HmacSha256::Tag tag;
  CV_RETURN_IF_ERROR(Tag(tenant_id, index, normalized_value, tag));
  return Hex(tag);
}

absl::StatusOr<BlindIndexer::TokenAndHash> BlindIndexer::TokenAndFullHash(
    std::string_view tenant_id, std::string_view index, std::string_view normalized_value) {
  HmacSha256::Tag tag;
  CV_RETURN_IF_ERROR(Tag(tenant_id, index, normalized_value, tag));
  return TokenAndHash{Truncate(tag), Hex(tag)};
}

}  // namespace convault::crypto
