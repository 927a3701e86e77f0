#include "crypto/blind_index.h"

#include <algorithm>
#include <bit>

#include "absl/strings/str_cat.h"
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
  std::string name = absl::StrCat(tenant_id.size(), ":", Sv(tenant_id), "|", Sv(index));
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

absl::StatusOr<std::string> BlindIndexer::Tag(std::string_view tenant_id, std::string_view index,
                                              std::string_view normalized_value) {
  auto mac = IndexMac(tenant_id, index);
  if (!mac.ok()) return mac.status();
  return (*mac)->Compute(normalized_value);
}

uint64_t BlindIndexer::Truncate(std::string_view tag) const {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(tag[i]);
  return bits_ == 64 ? v : v >> (64 - bits_);
}

absl::StatusOr<uint64_t> BlindIndexer::Token(std::string_view tenant_id, std::string_view index,
                                             std::string_view normalized_value) {
  auto tag = Tag(tenant_id, index, normalized_value);
  if (!tag.ok()) return tag.status();
  return Truncate(*tag);
}

absl::StatusOr<std::string> BlindIndexer::FullHash(std::string_view tenant_id,
                                                   std::string_view index,
                                                   std::string_view normalized_value) {
  auto tag = Tag(tenant_id, index, normalized_value);
  if (!tag.ok()) return tag.status();
  return HexEncode(*tag);
}

absl::StatusOr<BlindIndexer::TokenAndHash> BlindIndexer::TokenAndFullHash(
    std::string_view tenant_id, std::string_view index, std::string_view normalized_value) {
  auto tag = Tag(tenant_id, index, normalized_value);
  if (!tag.ok()) return tag.status();
  return TokenAndHash{Truncate(*tag), HexEncode(*tag)};
}

}  // namespace convault::crypto
