#pragma once

#include <ostream>
#include <utility>

namespace convault {

// Personal data in transit through the code (names, phone numbers, message
// text). Printing it yields "[REDACTED]"; the value is reached only through
// the explicit Reveal(). The log facade has no overload for it.
template <typename T>
class Sensitive final {
 public:
  Sensitive() = default;
  explicit Sensitive(T value) : value_(std::move(value)) {}

  const T& Reveal() const { return value_; }
  T& RevealMutable() { return value_; }

  friend std::ostream& operator<<(std::ostream& os, const Sensitive&) { return os << "[REDACTED]"; }
  template <typename Sink>
  friend void AbslStringify(Sink& sink, const Sensitive&) {
    sink.Append("[REDACTED]");
  }

 private:
  T value_{};
};

}  // namespace convault
