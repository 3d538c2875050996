// Tests of the golden files of `pipctl test` (tools/pipctl/golden.h): the
// format (a comment, a request line, an expected line), a malformed file
// refused with its line, and the matching rule of tests/scenarios_test.cc
// (every expected field present with its value, lists whole and in order).
#include "tools/pipctl/golden.h"

#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "tests/testing/status_matchers.h"

namespace pipctl {
namespace {

using ::pip::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// 4.3: statistics on data that is not anonymized is denied.
constexpr char kStatistics[] =
    R"({"purpose_allowed": {"subject_id": "c-1", "purpose": "statistics", "categories": ["name"], "as_of": "2026-03-01T12:00:00+09:00"}})";

const pip::Engine& Engine() {
  static const pip::Engine* engine =
      pip::Engine::Create(pip::PolicySource::Default())->release();
  return *engine;
}

google::protobuf::Value Json(const std::string& json) {
  google::protobuf::Value v;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &v).ok())
      << json;
  return v;
}

absl::StatusOr<std::vector<GoldenCase>> Read(const std::string& text) {
  std::istringstream in(text);
  return ReadGoldenCases(in, "cases.jsonl");
}

TEST(GoldenTest, ReadsCommentRequestAndExpectedLines) {
  const auto cases = Read(absl::StrCat(
      "# file header\n\n# 4.3: statistics needs anonymized data\n",
      kStatistics, "\n", R"({"purpose_allowed": {"allowed": false}})",
      "\r\n\n", kStatistics, "\n{}\n"));
  ASSERT_TRUE(cases.ok()) << cases.status();
  ASSERT_THAT(*cases, SizeIs(2));
  EXPECT_EQ((*cases)[0].file, "cases.jsonl");
  EXPECT_EQ((*cases)[0].line, 4);
  EXPECT_EQ((*cases)[0].title, "4.3: statistics needs anonymized data");
  EXPECT_EQ((*cases)[0].request, kStatistics);
  EXPECT_EQ((*cases)[0].expected, R"({"purpose_allowed": {"allowed": false}})");
  // A comment names every case after it until the next comment.
  EXPECT_EQ((*cases)[1].line, 7);
  EXPECT_EQ((*cases)[1].title, "4.3: statistics needs anonymized data");
}

TEST(GoldenTest, MalformedFilesAreRefusedWithTheirLine) {
  EXPECT_THAT(Read(absl::StrCat("# a\n", kStatistics, "\n")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("cases.jsonl:2: the request has no expected "
                                 "line")));
  EXPECT_THAT(Read(absl::StrCat("# a\n", kStatistics, "\n{\"allowed\": \n")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("cases.jsonl:3: the expected line of the "
                                 "request of line 2 is not a JSON object")));
  EXPECT_THAT(Read(absl::StrCat(kStatistics, "\n[1]\n")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("is not a JSON object")));
  // A file that tests nothing does not pass.
  EXPECT_THAT(Read("# only a comment\n\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("cases.jsonl: no case")));
}

TEST(GoldenTest, ExpectedFieldsMustBePresentWithTheirValues) {
  const auto actual = Json(
      R"({"a": {"b": true, "c": "x", "n": 3, "list": [{"k": 1, "m": 2}, {"k": 2}]}})");
  EXPECT_THAT(CompareExpected(Json(R"({"a": {"b": true}})"), actual),
              IsEmpty());
  EXPECT_THAT(CompareExpected(
                  Json(R"({"a": {"list": [{"k": 1}, {"k": 2}], "n": 3}})"),
                  actual),
              IsEmpty());
  std::vector<FieldDiff> diffs =
      CompareExpected(Json(R"({"a": {"b": false, "z": 1}})"), actual);
  ASSERT_THAT(diffs, SizeIs(2));
  EXPECT_EQ(diffs[0].path, "$.a.b");
  EXPECT_EQ(diffs[0].expected, "false");
  EXPECT_EQ(diffs[0].actual, "true");
  EXPECT_EQ(diffs[1].path, "$.a.z");
  EXPECT_EQ(diffs[1].actual, "(missing)");
  // Kinds differ: "3" is not 3.
  diffs = CompareExpected(Json(R"({"a": {"n": "3"}})"), actual);
  ASSERT_THAT(diffs, SizeIs(1));
  EXPECT_EQ(diffs[0].path, "$.a.n");
  // Lists match in length and order.
  diffs = CompareExpected(Json(R"({"a": {"list": [{"k": 1}]}})"), actual);
  ASSERT_THAT(diffs, SizeIs(1));
  EXPECT_EQ(diffs[0].path, "$.a.list");
  EXPECT_THAT(diffs[0].expected, HasSubstr("(1 elements)"));
  diffs = CompareExpected(Json(R"({"a": {"list": [{"k": 2}, {"k": 1}]}})"),
                          actual);
  ASSERT_THAT(diffs, SizeIs(2));
  EXPECT_EQ(diffs[0].path, "$.a.list[0].k");
  EXPECT_EQ(diffs[1].path, "$.a.list[1].k");
}

// 4.3: the case passes with the policy's decision and fails with another,
// explained as `pipctl explain` prints it.
TEST(GoldenTest, RunsACaseAgainstThePolicy) {
  GoldenCase c;
  c.file = "cases.jsonl";
  c.line = 2;
  c.request = kStatistics;
  c.expected =
      R"({"purpose_allowed": {"allowed": false, "reasons": [{"code": "NOT_ANONYMIZED", "clause": "4.3"}]}})";
  GoldenResult r = RunGoldenCase(Engine(), c);
  EXPECT_TRUE(r.pass) << r.answer;
  EXPECT_THAT(r.diffs, IsEmpty());
  EXPECT_TRUE(r.explanation.empty());

  c.expected = R"({"purpose_allowed": {"allowed": true}})";
  r = RunGoldenCase(Engine(), c);
  EXPECT_FALSE(r.pass);
  ASSERT_THAT(r.diffs, SizeIs(1));
  EXPECT_EQ(r.diffs[0].path, "$.purpose_allowed.allowed");
  EXPECT_EQ(r.diffs[0].expected, "true");
  EXPECT_EQ(r.diffs[0].actual, "false");
  EXPECT_THAT(r.answer, HasSubstr(R"("allowed":false)"));
  EXPECT_THAT(r.explanation, HasSubstr("4.3"));
}

}  // namespace
}  // namespace pipctl
