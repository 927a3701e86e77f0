// The Vectorscan phone validator against libphonenumber itself: for every
// region's example numbers and thousands of variants of them, both must answer
// the same (redact/validators/phone_number.h).
#include "redact/validators/phone_number.h"

#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "phonenumbers/phonenumberutil.h"

namespace convault::redact {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

bool Reference(int code, const std::string& national) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  number.set_country_code(code);
  number.set_national_number(std::stoull(national));
  size_t zeros = 0;
  while (zeros + 1 < national.size() && national[zeros] == '0') ++zeros;
  if (zeros > 0) {
    number.set_italian_leading_zero(true);
    if (zeros > 1) number.set_number_of_leading_zeros(static_cast<int>(zeros));
  }
  std::string main;
  util.GetRegionCodeForCountryCode(code, &main);
  return util.IsValidNumberForRegion(number, main) || util.IsValidNumber(number);
}

// Every region's and non-geographic service's example numbers of every type.
std::vector<std::pair<int, std::string>> Examples() {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  const PhoneNumberUtil::PhoneNumberType kTypes[] = {
      PhoneNumberUtil::FIXED_LINE,      PhoneNumberUtil::MOBILE,      PhoneNumberUtil::TOLL_FREE,
      PhoneNumberUtil::PREMIUM_RATE,    PhoneNumberUtil::SHARED_COST, PhoneNumberUtil::VOIP,
      PhoneNumberUtil::PERSONAL_NUMBER, PhoneNumberUtil::PAGER,       PhoneNumberUtil::UAN,
      PhoneNumberUtil::VOICEMAIL};
  std::vector<std::pair<int, std::string>> out;
  auto add = [&](const PhoneNumber& n) {
    std::string nsn;
    util.GetNationalSignificantNumber(n, &nsn);
    out.emplace_back(n.country_code(), nsn);
  };
  std::set<std::string> regions;
  util.GetSupportedRegions(&regions);
  for (const std::string& region : regions) {
    for (auto type : kTypes) {
      PhoneNumber n;
      if (util.GetExampleNumberForType(region, type, &n)) add(n);
    }
  }
  std::set<int> global;
  util.GetSupportedGlobalNetworkCallingCodes(&global);
  for (int code : global) {
    PhoneNumber n;
    if (util.GetExampleNumberForNonGeoEntity(code, &n)) add(n);
  }
  return out;
}

TEST(PhoneNumberValidator, AgreesWithLibphonenumberOnExamplesAndVariants) {
  const PhoneNumberValidator& ours = PhoneNumberValidator::Get();
  std::mt19937 rng(20261129);
  auto digit = [&] { return static_cast<char>('0' + rng() % 10); };
  std::vector<std::pair<int, std::string>> examples = Examples();
  ASSERT_GT(examples.size(), 1000u);
  size_t valid = 0, invalid = 0, checked = 0;
  std::set<int> codes;
  auto check = [&](int code, const std::string& nsn) {
    if (nsn.empty() || nsn.size() > 17) return;
    bool want = Reference(code, nsn);
    ASSERT_EQ(ours.IsValid(code, nsn), want) << "+" << code << " " << nsn;
    (want ? valid : invalid) += 1;
    ++checked;
  };
  for (const auto& [code, nsn] : examples) {
    codes.insert(code);
    check(code, nsn);
    for (int k = 0; k < 12; ++k) {  // one to three digits changed
      std::string v = nsn;
      for (int c = 0; c <= k % 3; ++c) v[rng() % v.size()] = digit();
      check(code, v);
    }
    check(code, nsn.substr(0, nsn.size() - 1));                      // one digit short
    check(code, nsn + digit());                                      // one digit long
    for (size_t keep = 1; keep <= 4 && keep < nsn.size(); ++keep) {  // same start, random rest
      std::string v = nsn.substr(0, keep);
      while (v.size() < nsn.size()) v += digit();
      check(code, v);
    }
  }
  for (int code : codes) {  // random numbers of every length under every code
    for (size_t len = 1; len <= 17; ++len) {
      std::string v;
      while (v.size() < len) v += digit();
      check(code, v);
    }
  }
  EXPECT_GT(valid, 5000u);
  EXPECT_GT(invalid, 5000u);
  EXPECT_GT(codes.size(), 200u);
}

TEST(PhoneNumberValidator, NanpRegionsAndEdges) {
  const PhoneNumberValidator& v = PhoneNumberValidator::Get();
  EXPECT_TRUE(v.IsValid(1, "2015550123"));                                // US (New Jersey)
  EXPECT_TRUE(v.IsValid(1, "6135550123") == Reference(1, "6135550123"));  // Canada
  EXPECT_TRUE(v.IsValid(1, "8765551234") == Reference(1, "8765551234"));  // Jamaica
  EXPECT_FALSE(v.IsValid(1, "0015550123"));
  EXPECT_FALSE(v.IsValid(1, "201555012"));     // too short
  EXPECT_TRUE(v.IsValid(44, "2079460958"));    // London
  EXPECT_FALSE(v.IsValid(999, "2079460958"));  // no such calling code
  EXPECT_FALSE(v.IsValid(0, "2079460958"));
  EXPECT_FALSE(v.IsValid(44, ""));
  EXPECT_FALSE(v.IsValid(44, "20794x0958"));
  EXPECT_FALSE(v.IsValid(44, std::string(40, '1')));
  EXPECT_TRUE(v.IsCallingCode(1));
  EXPECT_TRUE(v.IsCallingCode(800));
  EXPECT_FALSE(v.IsCallingCode(999));
  EXPECT_FALSE(v.IsCallingCode(-1));
  EXPECT_FALSE(v.IsCallingCode(5000));
}

TEST(PhoneNumberValidator, ThreadsShareTheDatabases) {
  std::vector<std::pair<int, std::string>> examples = Examples();
  std::vector<bool> want;
  for (const auto& [code, nsn] : examples) want.push_back(Reference(code, nsn));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < examples.size() + t; ++i) {
        size_t k = i % examples.size();
        if (PhoneNumberValidator::Get().IsValid(examples[k].first, examples[k].second) != want[k]) {
          ++mismatches[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace convault::redact
