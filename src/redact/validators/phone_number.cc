#include "redact/validators/phone_number.h"

#include <hs/hs.h>

#include <array>
#include <bitset>
#include <list>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "phonenumbers/phonemetadata.pb.h"
#include "phonenumbers/phonenumberutil.h"

namespace i18n::phonenumbers {
// The serialized metadata compiled into libphonenumber (its metadata.h, which
// Debian does not install, declares them; the library exports both).
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace convault::redact {
namespace {

using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberDesc;
using i18n::phonenumbers::PhoneNumberUtil;

// The descriptions of a region, in the order libphonenumber's
// GetNumberTypeHelper tries them, then the region's leading digits.
enum Slot : int {
  kGeneral = 0,
  kPremiumRate,
  kTollFree,
  kSharedCost,
  kVoip,
  kPersonalNumber,
  kPager,
  kUan,
  kVoicemail,
  kFixedLine,
  kMobile,
  kLeadingDigits,
  kSlots
};

const PhoneNumberDesc& DescOf(const PhoneMetadata& m, int slot) {
  switch (slot) {
    case kPremiumRate:
      return m.premium_rate();
    case kTollFree:
      return m.toll_free();
    case kSharedCost:
      return m.shared_cost();
    case kVoip:
      return m.voip();
    case kPersonalNumber:
      return m.personal_number();
    case kPager:
      return m.pager();
    case kUan:
      return m.uan();
    case kVoicemail:
      return m.voicemail();
    case kFixedLine:
      return m.fixed_line();
    case kMobile:
      return m.mobile();
    default:
      return m.general_desc();
  }
}

constexpr size_t kMaxRegions = 32;  // regions sharing one calling code (+1 has 25)
constexpr int kMaxCode = 1000;      // calling codes have 1-3 digits
constexpr size_t kMaxNationalLength = 31;

struct RegionPlan {
  // Per slot: bit L set when a national number of L digits may match it (all
  // bits when the description lists no lengths).
  std::array<uint32_t, kSlots> lengths{};
  bool same_mobile_and_fixed_line = false;
  bool has_leading_digits = false;
  bool leading_digits_empty = false;  // an empty pattern: every number starts with it
};

// Everything about one calling code: its regions in libphonenumber's order
// (the main region first) and one database of all their patterns.
struct CodePlan {
  std::vector<RegionPlan> regions;
  hs_database_t* db = nullptr;
  bool slow = false;  // the patterns did not compile: ask libphonenumber
};

struct Matches {
  std::array<uint16_t, kMaxRegions> bits{};
};

int OnMatch(unsigned int id, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  static_cast<Matches*>(ctx)->bits[id / 16] |= static_cast<uint16_t>(1u << (id % 16));
  return 0;
}

}  // namespace

struct PhoneNumberValidator::Impl {
  PhoneMetadataCollection collection;
  std::map<std::string, const PhoneMetadata*> by_region;
  std::map<int, const PhoneMetadata*> non_geographic;
  std::array<CodePlan, kMaxCode> plans;
  std::array<std::once_flag, kMaxCode> built;
  std::bitset<kMaxCode> calling_codes;

  Impl() {
    using i18n::phonenumbers::metadata_get;
    using i18n::phonenumbers::metadata_size;
    if (!collection.ParseFromArray(metadata_get(), metadata_size())) return;
    for (const PhoneMetadata& m : collection.metadata()) {
      if (m.country_code() > 0 && m.country_code() < kMaxCode)
        calling_codes[m.country_code()] = true;
      if (m.id() == "001") {
        non_geographic[m.country_code()] = &m;
      } else {
        by_region[m.id()] = &m;
      }
    }
  }

  ~Impl() {
    for (CodePlan& p : plans) hs_free_database(p.db);
  }

  // Compiles the plan of one calling code (once, on first use).
  void Build(int code, CodePlan* plan) const {
    std::list<std::string> names;
    PhoneNumberUtil::GetInstance()->GetRegionCodesForCountryCallingCode(code, &names);
    std::vector<const PhoneMetadata*> regions;
    for (const std::string& name : names) {
      const PhoneMetadata* m = nullptr;
      if (name == "001") {
        auto it = non_geographic.find(code);
        if (it != non_geographic.end()) m = it->second;
      } else {
        auto it = by_region.find(name);
        if (it != by_region.end()) m = it->second;
      }
      if (m == nullptr) {  // metadata we cannot see: let libphonenumber answer
        plan->slow = true;
        return;
      }
      regions.push_back(m);
    }
    if (regions.empty()) return;  // not a calling code: nothing is valid
    if (regions.size() > kMaxRegions) {
      plan->slow = true;
      return;
    }
    std::vector<std::string> expressions;
    std::vector<unsigned> ids;
    for (size_t r = 0; r < regions.size(); ++r) {
      const PhoneMetadata& m = *regions[r];
      RegionPlan rp;
      rp.same_mobile_and_fixed_line = m.same_mobile_and_fixed_line_pattern();
      rp.has_leading_digits = m.has_leading_digits();
      rp.leading_digits_empty = m.leading_digits().empty();
      for (int slot = 0; slot < kLeadingDigits; ++slot) {
        const PhoneNumberDesc& d = DescOf(m, slot);
        uint32_t lengths = 0;
        if (d.possible_length_size() == 0) {
          lengths = ~0u;
        } else {
          for (int len : d.possible_length()) {
            if (len >= 0 && static_cast<size_t>(len) <= kMaxNationalLength) lengths |= 1u << len;
          }
        }
        rp.lengths[slot] = lengths;
        // An empty pattern matches nothing (RegexBasedMatcher).
        if (d.national_number_pattern().empty() || lengths == 0) continue;
        expressions.push_back("^(?:" + d.national_number_pattern() + ")$");
        ids.push_back(static_cast<unsigned>(r * 16 + slot));
      }
      rp.lengths[kLeadingDigits] = ~0u;
      if (rp.has_leading_digits && !m.leading_digits().empty()) {
        expressions.push_back("^(?:" + m.leading_digits() + ")");  // a prefix, as Consume reads
        ids.push_back(static_cast<unsigned>(r * 16 + kLeadingDigits));
      }
      plan->regions.push_back(rp);
    }
    std::vector<const char*> pointers;
    std::vector<unsigned> flags(expressions.size(), HS_FLAG_SINGLEMATCH);
    for (const std::string& e : expressions) pointers.push_back(e.c_str());
    hs_compile_error_t* error = nullptr;
    if (expressions.empty() ||
        hs_compile_multi(pointers.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(pointers.size()), HS_MODE_BLOCK, nullptr, &plan->db,
                         &error) != HS_SUCCESS) {
      if (error != nullptr) hs_free_compile_error(error);
      plan->db = nullptr;
      plan->slow = !expressions.empty();
    }
  }

  // libphonenumber itself, for codes whose patterns Vectorscan refused.
  static bool Slow(int code, std::string_view national) {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    number.set_country_code(code);
    uint64_t value = 0;
    for (char c : national) value = value * 10 + static_cast<uint64_t>(c - '0');
    number.set_national_number(value);
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
};

PhoneNumberValidator::PhoneNumberValidator() : impl_(std::make_unique<Impl>()) {}
PhoneNumberValidator::~PhoneNumberValidator() = default;

const PhoneNumberValidator& PhoneNumberValidator::Get() {
  static const PhoneNumberValidator* instance = new PhoneNumberValidator();
  return *instance;
}

bool PhoneNumberValidator::IsCallingCode(int country_code) const {
  return country_code > 0 && country_code < kMaxCode && impl_->calling_codes[country_code];
}

bool PhoneNumberValidator::IsValid(int country_code, std::string_view national) const {
  if (country_code <= 0 || country_code >= kMaxCode || national.empty() ||
      national.size() > kMaxNationalLength) {
    return false;
  }
  for (char c : national) {
    if (c < '0' || c > '9') return false;
  }
  Impl& impl = *impl_;
  CodePlan& plan = impl.plans[country_code];
  std::call_once(impl.built[country_code], [&] { impl.Build(country_code, &plan); });
  if (plan.slow) return Impl::Slow(country_code, national);
  if (plan.db == nullptr) return false;

  // One scratch per thread, grown for each database it has met.
  struct Scratch {
    hs_scratch_t* scratch = nullptr;
    std::bitset<kMaxCode> fitted;
    ~Scratch() {
      if (scratch != nullptr) hs_free_scratch(scratch);
    }
  };
  thread_local Scratch tls;
  if (!tls.fitted[country_code]) {
    if (hs_alloc_scratch(plan.db, &tls.scratch) != HS_SUCCESS) {
      return Impl::Slow(country_code, national);
    }
    tls.fitted[country_code] = true;
  }
  Matches m;
  if (hs_scan(plan.db, national.data(), static_cast<unsigned>(national.size()), 0, tls.scratch,
              OnMatch, &m) != HS_SUCCESS) {
    return Impl::Slow(country_code, national);
  }
  const uint32_t length_bit = 1u << national.size();
  auto ok = [&](size_t r, int slot) {
    return (m.bits[r] >> slot & 1u) != 0 && (plan.regions[r].lengths[slot] & length_bit) != 0;
  };
  // GetNumberTypeHelper(...) != UNKNOWN.
  auto known = [&](size_t r) {
    if (!ok(r, kGeneral)) return false;
    for (int slot = kPremiumRate; slot <= kFixedLine; ++slot) {
      if (ok(r, slot)) return true;
    }
    return !plan.regions[r].same_mobile_and_fixed_line && ok(r, kMobile);
  };
  if (known(0)) return true;  // valid for the main region
  if (plan.regions.size() == 1) return false;
  // IsValidNumber: the region GetRegionCodeForNumberFromRegionList picks.
  for (size_t r = 0; r < plan.regions.size(); ++r) {
    if (plan.regions[r].has_leading_digits) {
      if (plan.regions[r].leading_digits_empty || ok(r, kLeadingDigits)) return known(r);
    } else if (known(r)) {
      return true;
    }
  }
  return false;
}

}  // namespace convault::redact
