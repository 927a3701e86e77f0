#include "common/status.h"

#include "gtest/gtest.h"

namespace convault {
namespace {

TEST(Status, CarriesAnExplicitCode) {
  absl::Status s = WithCode(absl::FailedPreconditionError("held"), "legal_hold");
  EXPECT_EQ(ErrorCode(s), "legal_hold");
  EXPECT_EQ(ErrorCode(absl::NotFoundError("x")), std::nullopt);
}

TEST(Status, CarriesFieldErrorsInOrder) {
  absl::Status s = InvalidFields({{"name", "is required"}, {"roles[1]", "unknown role"}});
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  auto errors = FieldErrors(s);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "name");
  EXPECT_EQ(errors[1].field, "roles[1]");
  EXPECT_EQ(errors[1].message, "unknown role");
}

absl::StatusOr<int> Half(int n) {
  if (n % 2 != 0) return absl::InvalidArgumentError("odd");
  return n / 2;
}

absl::StatusOr<int> Quarter(int n) {
  CV_ASSIGN_OR_RETURN(int h, Half(n));
  CV_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(Status, MacrosPropagateErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_FALSE(Quarter(6).ok());
}

}  // namespace
}  // namespace convault
