// Tests of the line loop of `pipctl eval` (tools/pipctl/eval_stream.h): a
// bad line, a blank line, a line over kMaxEvalLineBytes (pip/limits.h) each
// give an error line and the stream goes on; output line N answers input
// line N (DESIGN.md, pipctl eval).
#include "tools/pipctl/eval_stream.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "pip/limits.h"
#include "tests/testing/engine.h"
#include "tests/testing/status_matchers.h"

namespace pipctl {
namespace {

using ::pip::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// 7: an inquiry of 2023-05-10 is due on 2026-05-11.
constexpr char kDue[] =
    R"({"retention_due": {"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00", "as_of": "2026-05-11T00:00:00+09:00"}})";
// 4.3: statistics on data that is not anonymized is denied.
constexpr char kDenied[] =
    R"({"purpose_allowed": {"subject_id": "c-1", "purpose": "statistics", "categories": ["name"], "as_of": "2026-03-01T12:00:00+09:00"}})";

const pip::Engine& Engine() {
  static const pip::Engine* engine =
      pip::Engine::Create(pip::PolicySource::Default())->release();
  return *engine;
}

std::vector<std::string> Eval(const std::string& input, size_t limit) {
  std::istringstream in(input);
  std::ostringstream out;
  StreamOptions options;
  options.max_line_bytes = limit;
  LineCounts counts;
  EXPECT_OK(EvalLines(Engine(), in, "input", out, options, &counts));
  const size_t answered = counts.answered;
  std::vector<std::string> lines = absl::StrSplit(out.str(), '\n');
  EXPECT_EQ(lines.back(), "") << "the output ends with a newline";
  lines.pop_back();
  EXPECT_EQ(lines.size(), answered);
  return lines;
}

TEST(EvalStreamTest, EveryLineIsAnsweredInOrder) {
  const std::string long_line = std::string(kDue) + std::string(200, ' ');
  const std::string input = absl::StrCat(
      kDue, "\n",                          // 1: a decision
      "{\"retention_due\": {\"kind\": \n",  // 2: broken JSON
      "\n",                                 // 3: blank
      long_line, "\n",                      // 4: over the limit
      kDenied, "\r\n",                      // 5: CRLF ending
      std::string("{\"x\0\xff", 5), "\n",  // 6: NUL and a bad byte
      kDue);                                // 7: no final newline
  const std::vector<std::string> out = Eval(input, 150);
  ASSERT_EQ(out.size(), 7u);
  EXPECT_EQ(out[0], pip::EvaluateJson(Engine(), kDue));
  EXPECT_THAT(out[0], StartsWith(R"({"retention_due":{"due":true)"));
  EXPECT_THAT(out[1], StartsWith(R"({"error":{"code":"INVALID_ARGUMENT")"));
  EXPECT_THAT(out[2], StartsWith(R"({"error":{"code":"INVALID_ARGUMENT")"));
  EXPECT_THAT(out[3], StartsWith(R"({"error":{"code":"INVALID_ARGUMENT")"));
  EXPECT_THAT(out[3], HasSubstr(absl::StrCat("line 4 is ", long_line.size(),
                                             " bytes; the limit is 150 (kMaxEvalLineBytes)")));
  EXPECT_EQ(out[4], pip::EvaluateJson(Engine(), kDenied));
  EXPECT_THAT(out[4], StartsWith(R"({"purpose_allowed":{"allowed":false)"));
  EXPECT_THAT(out[5], StartsWith(R"({"error":{"code":"INVALID_ARGUMENT")"));
  EXPECT_EQ(out[6], pip::EvaluateJson(Engine(), kDue));
}

TEST(EvalStreamTest, LineOfExactlyTheLimitIsRead) {
  const std::string line(kDue);
  EXPECT_EQ(Eval(line + "\n", line.size())[0], pip::EvaluateJson(Engine(), kDue));
  // The CR of a CRLF ending does not count.
  EXPECT_EQ(Eval(line + "\r\n", line.size())[0], pip::EvaluateJson(Engine(), kDue));
  EXPECT_THAT(Eval(line + " \n", line.size())[0], HasSubstr("kMaxEvalLineBytes"));
}

TEST(EvalStreamTest, DefaultLimitIsKMaxEvalLineBytes) {
  std::string line(kDue);
  line.insert(1, pip::kMaxEvalLineBytes - line.size(), ' ');
  std::string too_long = line;
  too_long.insert(1, " ");
  const std::string input = absl::StrCat(line, "\n", too_long, "\n", kDue, "\n");
  std::istringstream in(input);
  std::ostringstream out;
  LineCounts counts;
  EXPECT_OK(EvalLines(Engine(), in, "input", out, StreamOptions(), &counts));
  EXPECT_EQ(counts.answered, 3u);
  EXPECT_EQ(counts.errors, 1u);
  const std::vector<std::string> lines = absl::StrSplit(out.str(), '\n');
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], pip::EvaluateJson(Engine(), kDue));
  EXPECT_THAT(lines[1], HasSubstr(absl::StrCat("the limit is ", pip::kMaxEvalLineBytes,
                                               " (kMaxEvalLineBytes)")));
  EXPECT_EQ(lines[2], pip::EvaluateJson(Engine(), kDue));
}

TEST(EvalStreamTest, EmptyInputGivesNoOutput) {
  EXPECT_TRUE(Eval("", 100).empty());
}

TEST(EvalStreamTest, ExplainAnswersAnOverlongLineWithAnError) {
  std::istringstream in(std::string(300, 'x') + "\n" + kDue + "\n");
  std::ostringstream out;
  StreamOptions options;
  options.max_line_bytes = 200;
  LineCounts counts;
  EXPECT_OK(ExplainLines(Engine(), in, "input", out, options, &counts));
  EXPECT_EQ(counts.answered, 2u);
  EXPECT_EQ(counts.errors, 1u);
  EXPECT_THAT(out.str(), HasSubstr("kMaxEvalLineBytes"));
  EXPECT_THAT(out.str(), HasSubstr("DUE"));
}

// Errors and denials are counted apart, for --fail-on: a denial is a
// decision that says no (4.3: statistics on data not anonymized), an error
// a line that is not a request.
TEST(EvalStreamTest, ErrorsAndDenialsAreCounted) {
  const std::string input = absl::StrCat(kDue, "\n", kDenied, "\n", "{\n");
  for (const bool count_denials : {false, true}) {
    std::istringstream in(input);
    std::ostringstream out;
    StreamOptions options;
    options.count_denials = count_denials;
    LineCounts counts;
    ASSERT_OK(EvalLines(Engine(), in, "input", out, options, &counts));
    EXPECT_EQ(counts.answered, 3u);
    EXPECT_EQ(counts.errors, 1u);
    EXPECT_EQ(counts.denied, count_denials ? 1u : 0u);
  }
}

TEST(EvalStreamTest, IsDenialIsANoToTheQuestionAsked) {
  pip::v1::EvalResponse response;
  response.mutable_purpose_allowed()->set_allowed(false);
  EXPECT_TRUE(IsDenial(response));
  response.mutable_purpose_allowed()->set_allowed(true);
  EXPECT_FALSE(IsDenial(response));
  response.mutable_consent_check()->set_valid(false);
  EXPECT_TRUE(IsDenial(response));
  response.mutable_request_validate()->set_valid(false);
  EXPECT_TRUE(IsDenial(response));
  // Clause 3: an acquisition that is not allowed says no.
  response.mutable_acquisition_check()->set_allowed(false);
  EXPECT_TRUE(IsDenial(response));
  response.mutable_acquisition_check()->set_allowed(true);
  EXPECT_FALSE(IsDenial(response));
  response.mutable_retention_due()->set_due(false);
  EXPECT_FALSE(IsDenial(response)) << "not due is no denial";
  response.mutable_error()->set_code("INVALID_ARGUMENT");
  EXPECT_FALSE(IsDenial(response)) << "an error is counted apart";
}

// A read error is an error naming the input, never a crash (a directory
// or a closed descriptor on standard input used to abort pipctl).
TEST(EvalStreamTest, ReadErrorNamesTheInput) {
  std::ifstream dir("/", std::ios::binary);
  std::ostringstream out;
  LineCounts counts;
  const absl::Status s =
      EvalLines(Engine(), dir, "'/'", out, StreamOptions(), &counts);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(s.message(), HasSubstr("cannot read '/'"));
  EXPECT_EQ(counts.answered, 0u);
}

// A write error is an error naming the line, never silence: nothing more
// is read once an answer could not be written.
TEST(EvalStreamTest, WriteErrorStopsTheStream) {
  std::istringstream in(absl::StrCat(kDue, "\n", kDue, "\n"));
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  LineCounts counts;
  const absl::Status s =
      EvalLines(Engine(), in, "input", out, StreamOptions(), &counts);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(s.message(), HasSubstr("cannot write the answer to line 1"));
  EXPECT_EQ(counts.answered, 0u);
}

// --format pretty: the same tokens, indented; read back it is the same
// JSON.
TEST(EvalStreamTest, PrettyJsonKeepsEveryToken) {
  EXPECT_EQ(PrettyJson(R"({"a":{"b":[1,"x,{}:\"y"],"c":{},"d":[]}})"),
            "{\n"
            "  \"a\": {\n"
            "    \"b\": [\n"
            "      1,\n"
            "      \"x,{}:\\\"y\"\n"
            "    ],\n"
            "    \"c\": {},\n"
            "    \"d\": []\n"
            "  }\n"
            "}");
  const std::string line = pip::EvaluateJson(Engine(), kDenied);
  std::string squeezed;
  bool in_string = false;
  const std::string pretty = PrettyJson(line);
  for (const char c : pretty) {
    if (c == '"') in_string = !in_string;
    if (!in_string && (c == '\n' || c == ' ')) continue;
    squeezed.push_back(c);
  }
  // Outside strings only whitespace was added (the strings of this answer
  // hold no quote).
  EXPECT_EQ(squeezed, line);
}

}  // namespace
}  // namespace pipctl
