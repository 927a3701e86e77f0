#pragma once

#include <memory>

#include "redact/detector.h"

namespace convault::redact {

// One factory per built-in detector, each in its own file.
std::unique_ptr<Detector> NewCreditCardDetector();
std::unique_ptr<Detector> NewUsSsnDetector();
std::unique_ptr<Detector> NewUsItinDetector();
std::unique_ptr<Detector> NewIbanDetector();
std::unique_ptr<Detector> NewEmailDetector();
std::unique_ptr<Detector> NewIpv4Detector();
std::unique_ptr<Detector> NewBankRoutingDetector();
std::unique_ptr<Detector> NewPhoneDetector();
std::unique_ptr<Detector> NewIpv6Detector();
std::unique_ptr<Detector> NewUsPassportDetector();
std::unique_ptr<Detector> NewDateOfBirthDetector();
std::unique_ptr<Detector> NewApiKeyDetector();

}  // namespace convault::redact
