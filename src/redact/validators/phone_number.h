// Phone number validity with libphonenumber's own metadata, without its regex
// engine: the number patterns of every region are compiled into one Vectorscan
// database per calling code, once, and a number is checked with one scan of its
// national significant number (docs/decisions/0008).
#pragma once

#include <memory>
#include <string_view>

namespace convault::redact {

class PhoneNumberValidator {
 public:
  // The process-wide validator; the metadata is read on first use.
  static const PhoneNumberValidator& Get();

  // What `PhoneNumberUtil::IsValidNumberForRegion(n, main region of the code)
  // || PhoneNumberUtil::IsValidNumber(n)` answers for the number with this
  // calling code and national significant number (ASCII digits, leading zeros
  // included). Thread-safe.
  bool IsValid(int country_code, std::string_view national_number) const;

  // Whether some region or service has this calling code (+1, +44, +800, ...).
  bool IsCallingCode(int country_code) const;

  ~PhoneNumberValidator();
  PhoneNumberValidator(const PhoneNumberValidator&) = delete;
  PhoneNumberValidator& operator=(const PhoneNumberValidator&) = delete;

 private:
  PhoneNumberValidator();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace convault::redact
