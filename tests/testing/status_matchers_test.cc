// Tests of tests/testing/status_matchers.h: each matcher matches what it
// should and nothing else, on Status and StatusOr<T> alike, and says why.
#include "tests/testing/status_matchers.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"

namespace pip {
namespace testing {
namespace {

using ::testing::DescribeMatcher;
using ::testing::EndsWith;
using ::testing::ExplainMatchResult;
using ::testing::HasSubstr;
using ::testing::Matcher;
using ::testing::Not;
using ::testing::StringMatchResultListener;

const absl::Status kBad = absl::InvalidArgumentError("categories[1]: unknown");

// The explanation `matcher` gives of `value`.
template <typename T, typename M>
std::string Explain(const M& matcher, const T& value) {
  StringMatchResultListener listener;
  ExplainMatchResult(matcher, value, &listener);
  return listener.str();
}

TEST(IsOkTest, MatchesAnOkStatusAndAStatusOrWithAValue) {
  EXPECT_THAT(absl::OkStatus(), IsOk());
  EXPECT_THAT(absl::StatusOr<int>(7), IsOk());
  EXPECT_THAT(absl::StatusOr<std::string>("x"), IsOk());
}

TEST(IsOkTest, DoesNotMatchAnError) {
  EXPECT_THAT(kBad, Not(IsOk()));
  EXPECT_THAT(absl::StatusOr<int>(kBad), Not(IsOk()));
  EXPECT_THAT(absl::StatusOr<int>(absl::NotFoundError("")), Not(IsOk()));
}

TEST(IsOkTest, DescribesItselfAndPrintsTheStatus) {
  EXPECT_EQ(DescribeMatcher<absl::Status>(IsOk()), "is OK");
  EXPECT_EQ(DescribeMatcher<absl::Status>(IsOk(), /*negation=*/true),
            "is not OK");
  EXPECT_EQ(Explain(IsOk(), kBad),
            "which has status INVALID_ARGUMENT: categories[1]: unknown");
  EXPECT_EQ(Explain(IsOk(), absl::StatusOr<int>(kBad)),
            "which has status INVALID_ARGUMENT: categories[1]: unknown");
  EXPECT_EQ(Explain(IsOk(), absl::OkStatus()), "which has status OK");
}

// What protobuf's JSON functions return (protobuf 3.21: a Status of its
// own) is matched as the absl::Status of its code and message.
TEST(IsOkTest, MatchesProtobufsStatus) {
  static google::protobuf::Struct message;
  EXPECT_THAT(google::protobuf::util::JsonStringToMessage("{}", &message),
              IsOk());
  const auto bad = google::protobuf::util::JsonStringToMessage("{", &message);
  EXPECT_THAT(bad, Not(IsOk()));
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(google::protobuf::util::JsonStringToMessage(
                              "[", &message)),
                          "INVALID_ARGUMENT");
}

TEST(StatusIsTest, MatchesTheCode) {
  EXPECT_THAT(kBad, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(absl::StatusOr<int>(kBad),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(absl::OkStatus(), StatusIs(absl::StatusCode::kOk));
  EXPECT_THAT(absl::StatusOr<int>(3), StatusIs(absl::StatusCode::kOk));
}

TEST(StatusIsTest, DoesNotMatchAnotherCode) {
  EXPECT_THAT(kBad, Not(StatusIs(absl::StatusCode::kNotFound)));
  EXPECT_THAT(kBad, Not(StatusIs(absl::StatusCode::kOk)));
  EXPECT_THAT(absl::OkStatus(),
              Not(StatusIs(absl::StatusCode::kInvalidArgument)));
  EXPECT_THAT(absl::StatusOr<int>(3),
              Not(StatusIs(absl::StatusCode::kInvalidArgument)));
}

TEST(StatusIsTest, MatchesTheMessage) {
  EXPECT_THAT(kBad, StatusIs(absl::StatusCode::kInvalidArgument,
                             HasSubstr("categories[1]")));
  EXPECT_THAT(kBad, StatusIs(absl::StatusCode::kInvalidArgument,
                             "categories[1]: unknown"));
  EXPECT_THAT(absl::StatusOr<int>(kBad),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       EndsWith("unknown")));
}

TEST(StatusIsTest, DoesNotMatchAnotherMessageOrTheRightMessageWithAnotherCode) {
  EXPECT_THAT(kBad, Not(StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("categories[2]"))));
  EXPECT_THAT(kBad, Not(StatusIs(absl::StatusCode::kInvalidArgument,
                                 "categories[1]")));
  EXPECT_THAT(kBad, Not(StatusIs(absl::StatusCode::kNotFound,
                                 HasSubstr("categories[1]"))));
}

TEST(StatusIsTest, DescribesItselfAndPrintsTheStatus) {
  EXPECT_EQ(DescribeMatcher<absl::Status>(
                StatusIs(absl::StatusCode::kInvalidArgument)),
            "has status code INVALID_ARGUMENT");
  EXPECT_EQ(DescribeMatcher<absl::Status>(
                StatusIs(absl::StatusCode::kInvalidArgument), true),
            "does not have status code INVALID_ARGUMENT");
  EXPECT_EQ(DescribeMatcher<absl::StatusOr<int>>(StatusIs(
                absl::StatusCode::kNotFound, HasSubstr("policy"))),
            "has status code NOT_FOUND and a message that has substring "
            "\"policy\"");
  EXPECT_EQ(DescribeMatcher<absl::Status>(
                StatusIs(absl::StatusCode::kNotFound, HasSubstr("policy")),
                true),
            "does not have status code NOT_FOUND, or has a message that has "
            "no substring \"policy\"");
  EXPECT_EQ(Explain(StatusIs(absl::StatusCode::kNotFound), kBad),
            "which has status INVALID_ARGUMENT: categories[1]: unknown");
  EXPECT_EQ(Explain(StatusIs(absl::StatusCode::kInvalidArgument,
                             HasSubstr("purpose")),
                    absl::StatusOr<int>(kBad)),
            "which has status INVALID_ARGUMENT: categories[1]: unknown, "
            "whose message does not match");
}

// The macros: a failure is reported, and its message names the status.
TEST(StatusMacrosTest, ExpectOkPassesOnOkAndFailsOnAnError) {
  EXPECT_OK(absl::OkStatus());
  EXPECT_OK(absl::StatusOr<int>(1));
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(kBad), "categories[1]: unknown");
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(absl::StatusOr<int>(kBad)),
                          "INVALID_ARGUMENT");
}

TEST(StatusMacrosTest, AssertOkFailsFatallyOnAnError) {
  ASSERT_OK(absl::OkStatus());
  EXPECT_FATAL_FAILURE(ASSERT_OK(kBad), "categories[1]: unknown");
}

TEST(StatusMacrosTest, AssertOkAndAssignMovesTheValueOut) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<int> p,
                       absl::StatusOr<std::unique_ptr<int>>(
                           std::make_unique<int>(42)));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 42);
  std::string s;
  ASSERT_OK_AND_ASSIGN(s, absl::StatusOr<std::string>("value"));
  EXPECT_EQ(s, "value");
}

void AssignFromError(bool* reached) {
  ASSERT_OK_AND_ASSIGN(int v, absl::StatusOr<int>(kBad));
  (void)v;
  *reached = true;
}

TEST(StatusMacrosTest, AssertOkAndAssignFailsAndReturnsOnAnError) {
  static bool reached = false;
  EXPECT_FATAL_FAILURE(AssignFromError(&reached), "categories[1]: unknown");
  EXPECT_FALSE(reached);
}

// A failed assertion on a StatusOr prints its status, not its bytes.
TEST(StatusMacrosTest, AStatusOrPrintsItsStatusOrValue) {
  EXPECT_EQ(::testing::PrintToString(absl::StatusOr<int>(kBad)),
            "INVALID_ARGUMENT: categories[1]: unknown");
  EXPECT_EQ(::testing::PrintToString(absl::StatusOr<int>(5)), "OK: 5");
}

}  // namespace
}  // namespace testing
}  // namespace pip
