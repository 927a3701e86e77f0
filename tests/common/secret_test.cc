#include "common/secret.h"

#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/sensitive.h"
#include "gtest/gtest.h"

namespace convault {
namespace {

TEST(SecretBytes, MoveLeavesTheSourceEmpty) {
  SecretBytes a(std::string_view("key material"));
  SecretBytes b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the contract under test
  EXPECT_EQ(b.Reveal(), "key material");
  SecretBytes c;
  c = std::move(b);
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(c.Clone().Reveal(), "key material");
}

TEST(SecureZero, OverwritesTheBuffer) {
  char buf[8] = {'s', 'e', 'c', 'r', 'e', 't', '!', '!'};
  SecureZero(buf, sizeof(buf));
  for (char c : buf) EXPECT_EQ(c, 0);
}

TEST(Sensitive, PrintsRedacted) {
  Sensitive<std::string> name("Jane Canary");
  std::ostringstream os;
  os << name;
  EXPECT_EQ(os.str(), "[REDACTED]");
  EXPECT_EQ(name.Reveal(), "Jane Canary");
}

}  // namespace
}  // namespace convault
