#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace convault {

// Overwrites memory in a way the optimizer may not elide.
void SecureZero(void* data, size_t size);

// Bytes that must not outlive their use: key material, API key plaintexts,
// credentials. Zeroized on destruction and on move-from. No stream or format
// operators exist; reading the bytes is the explicit, greppable Reveal().
class SecretBytes final {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::string_view bytes) : bytes_(bytes.begin(), bytes.end()) {}
  explicit SecretBytes(size_t size) : bytes_(size) {}
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) { other.Wipe(); }
  SecretBytes& operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
      Wipe();
      bytes_ = std::move(other.bytes_);
      other.Wipe();
    }
    return *this;
  }
  ~SecretBytes() { Wipe(); }

  // An explicit copy, for the rare place that needs two.
  SecretBytes Clone() const { return SecretBytes(Reveal()); }

  size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  // The plaintext. Callers must not copy it into unmanaged storage.
  std::string_view Reveal() const {
    return std::string_view(reinterpret_cast<const char*>(bytes_.data()), bytes_.size());
  }
  uint8_t* mutable_data() { return bytes_.data(); }

 private:
  void Wipe() {
    if (!bytes_.empty()) SecureZero(bytes_.data(), bytes_.size());
    bytes_.clear();
  }
  std::vector<uint8_t> bytes_;
};

}  // namespace convault
