#include "gtest/gtest.h"
#include "redact/validators/aba_routing.h"
#include "redact/validators/digits.h"
#include "redact/validators/iban.h"
#include "redact/validators/payment_card.h"
#include "redact/validators/us_ssn.h"

namespace convault::redact {
namespace {

std::string Digits(std::string_view text) {
  std::string d;
  EXPECT_TRUE(DigitsOf(text, &d)) << text;
  return d;
}

TEST(Validators, DigitsDropTypedSeparatorsOnly) {
  EXPECT_EQ(Digits("4111 1111-1111.1111"), "4111111111111111");
  std::string d;
  EXPECT_FALSE(DigitsOf("4111x1111", &d));
}

TEST(Validators, PaymentCardsNeedAKnownNetworkItsLengthAndLuhn) {
  for (std::string ok :
       {"4111 1111 1111 1111", "4012888888881881", "5555-5555-5555-4444", "2223003122003222",
        "378282246310005", "371449635398431", "6011111111111117", "6011000990139424",
        "3530111333300000", "30569309025904", "38520000023237", "6200000000000005"}) {
    EXPECT_TRUE(PaymentCardValid(Digits(ok))) << ok;
  }
  for (std::string bad : {"4111111111111112",         // Luhn
                          "1234567812345670",         // Luhn fine, no such network
                          "3782822463100050",         // Amex prefix, 16 digits
                          "41111111111",              // too short
                          "41111111111111111111"}) {  // too long
    EXPECT_FALSE(PaymentCardValid(Digits(bad))) << bad;
  }
  EXPECT_TRUE(LuhnValid("79927398713"));
  EXPECT_FALSE(LuhnValid("79927398710"));
}

TEST(Validators, SsnAreaGroupAndSerialRules) {
  EXPECT_TRUE(UsSsnValid(Digits("123-45-6789")));
  EXPECT_TRUE(UsSsnValid(Digits("899-99-9999")));
  for (std::string bad : {"000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", "123-00-4567",
                          "123-45-0000", "078-05-1120", "219-09-9999", "12345678", "1234567890"}) {
    EXPECT_FALSE(UsSsnValid(Digits(bad))) << bad;
  }
}

TEST(Validators, ItinGroupsAreTheIrsRanges) {
  for (std::string ok : {"912-70-1234", "900-50-0001", "999-94-1234", "950-65-0000"}) {
    EXPECT_TRUE(UsItinValid(Digits(ok))) << ok;
  }
  for (std::string bad : {"912-45-1234", "912-93-1234", "123-70-1234", "912-89-1234"}) {
    EXPECT_FALSE(UsItinValid(Digits(bad))) << bad;
  }
}

TEST(Validators, IbanCountryLengthAndMod97) {
  for (std::string ok :
       {"GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606",
        "NL91ABNA0417164300", "NO9386011117947", "MT84MALT011000012345MTLCAST001S"}) {
    EXPECT_TRUE(IbanValid(ok)) << ok;
  }
  for (std::string bad : {"GB82WEST12345698765433", "DE8937040044053201300",
                          "XX82WEST12345698765432", "GB82west12345698765432", "GB", ""}) {
    EXPECT_FALSE(IbanValid(bad)) << bad;
  }
}

TEST(Validators, AbaRoutingPrefixAndChecksum) {
  for (std::string ok : {"011000015", "021000021", "111000025", "322271627"}) {
    EXPECT_TRUE(AbaRoutingValid(ok)) << ok;
  }
  for (std::string bad : {"021000022", "991000021", "000000000", "12345678", "02100002a"}) {
    EXPECT_FALSE(AbaRoutingValid(bad)) << bad;
  }
}

}  // namespace
}  // namespace convault::redact
