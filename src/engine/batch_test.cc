// Tests of the batch limits (pip/limits.h, docs/security.md): a batch of
// more than kMaxBatchRequests requests, or whose answers pass
// kMaxBatchOutputBytes, is refused whole and returns nothing of it; the
// engine answers the next batch as before.
#include "src/engine/batch.h"

#include <algorithm>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "pip/limits.h"
#include "pip/v1/decision.pb.h"
#include "tests/testing/engine.h"
#include "tests/testing/status_matchers.h"

namespace pip {
namespace {

using ::pip::testing::SharedDefaultEngine;
using ::pip::testing::StatusIs;
using ::testing::HasSubstr;

// 7: an inquiry of 2023-05-10 is due on 2026-05-11.
constexpr char kDue[] =
    R"({"retention_due": {"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00", "as_of": "2026-05-11T00:00:00+09:00"}})";

TEST(BatchLimitsTest, JsonLinesAreAnsweredInOrderWithErrorsInPlace) {
  std::string answers = "kept\n";
  size_t count = 0;
  ASSERT_OK(EvaluateJsonLines(SharedDefaultEngine(),
                              absl::StrCat(kDue, "\r\n\n{\n", kDue), &answers,
                              &count));
  EXPECT_EQ(count, 4u);
  EXPECT_EQ(answers, absl::StrCat("kept\n", EvaluateJson(SharedDefaultEngine(), kDue),
                                  "\n", EvaluateJson(SharedDefaultEngine(), ""), "\n",
                                  EvaluateJson(SharedDefaultEngine(), "{"), "\n",
                                  EvaluateJson(SharedDefaultEngine(), kDue), "\n"))
      << "appended to what *answers held";
  answers.clear();
  ASSERT_OK(EvaluateJsonLines(SharedDefaultEngine(), "", &answers, &count));
  EXPECT_EQ(count, 0u) << "empty input holds no line";
  ASSERT_OK(EvaluateJsonLines(SharedDefaultEngine(), "\n", &answers, &count));
  EXPECT_EQ(count, 1u) << "one blank line";
}

// 64 MiB of blank lines would be 64 million requests.
TEST(BatchLimitsTest, MoreThanKMaxBatchRequestsLinesIsRefusedWhole) {
  const std::string blank(kMaxBatchRequests, '\n');  // kMax + 1 lines
  std::string answers;
  size_t count = 7;
  EXPECT_THAT(EvaluateJsonLines(SharedDefaultEngine(), blank + "x", &answers, &count),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("(kMaxBatchRequests)")));
  EXPECT_EQ(answers, "");
  EXPECT_EQ(count, 7u) << "unchanged";
}

TEST(BatchLimitsTest, MoreThanKMaxBatchRequestsProtobufRequestsIsRefused) {
  v1::EvalBatchRequest batch;
  for (size_t i = 0; i <= kMaxBatchRequests; ++i) batch.add_requests();
  std::string responses = "unchanged";
  EXPECT_THAT(EvaluateBatchPb(SharedDefaultEngine(), batch.SerializeAsString(),
                              &responses),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("(kMaxBatchRequests)")));
  EXPECT_EQ(responses, "unchanged");
}

// Answers larger than the limit: the batch is refused whole, as soon as
// they pass it, and nothing of it is returned.
TEST(BatchLimitsTest, AnswersOverTheOutputLimitAreRefusedWhole) {
  const std::string one = EvaluateJson(SharedDefaultEngine(), kDue) + "\n";
  const std::string ten = [] {
    std::string lines;
    for (int i = 0; i < 10; ++i) absl::StrAppend(&lines, kDue, "\n");
    return lines;
  }();
  std::string answers = "kept";
  size_t count = 0;
  const absl::Status refused = engine_internal::EvaluateJsonLinesWithin(
      SharedDefaultEngine(), ten, &answers, &count, 3 * one.size());
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kResourceExhausted,
                                HasSubstr("(kMaxBatchOutputBytes)")));
  EXPECT_THAT(refused.message(), HasSubstr("the first 4 requests"))
      << "it stops at the answer that passes the limit";
  EXPECT_EQ(answers, "kept");
  ASSERT_OK(engine_internal::EvaluateJsonLinesWithin(
      SharedDefaultEngine(), ten, &answers, &count, 10 * one.size()));
  EXPECT_EQ(count, 10u) << "exactly the limit passes";

  v1::EvalBatchRequest batch;
  for (int i = 0; i < 10; ++i) {
    *batch.add_requests() = *ParseEvalRequestJson(kDue);
  }
  std::string responses = "unchanged";
  EXPECT_THAT(engine_internal::EvaluateBatchPbWithin(
                  SharedDefaultEngine(), batch.SerializeAsString(), &responses, 1000),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("(kMaxBatchOutputBytes)")));
  EXPECT_EQ(responses, "unchanged");
}

}  // namespace
}  // namespace pip
