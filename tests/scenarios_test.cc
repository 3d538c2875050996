// Golden scenarios: each request line of tests/scenarios/*.jsonl is evaluated
// by pip::EvaluateJson, the code path of `pipctl eval`, and the answer must
// contain every field of the expected line with the same value. Arrays must
// match in length and order, element by element. The files are read, and
// the rule applied, by the code of `pipctl test` (tools/pipctl/golden.h),
// so that the repository's goldens and a company's are held to one rule.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "tools/pipctl/golden.h"
#include "tests/testing/status_matchers.h"

namespace pipctl {
// Names a scenario by its place in the file in test output (found by
// argument-dependent lookup, so in the namespace of GoldenCase).
void PrintTo(const GoldenCase& c, std::ostream* os) {
  *os << c.file << ":" << c.line << " (" << c.title << ")";
}
}  // namespace pipctl

namespace pip {
namespace {

using ::pipctl::GoldenCase;

std::vector<GoldenCase> LoadScenarios() {
  std::vector<GoldenCase> out;
  const std::filesystem::path dir =
      std::filesystem::path(PIP_SOURCE_DIR) / "tests" / "scenarios";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    absl::StatusOr<std::vector<GoldenCase>> cases =
        pipctl::ReadGoldenCases(in, path.filename().string());
    EXPECT_OK(cases);
    if (cases.ok()) out.insert(out.end(), cases->begin(), cases->end());
  }
  return out;
}

class ScenarioTest : public ::testing::TestWithParam<GoldenCase> {
 protected:
  static void SetUpTestSuite() {
    auto engine = Engine::Create(PolicySource::Default());
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = engine->release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  static Engine* engine_;
};
Engine* ScenarioTest::engine_ = nullptr;

TEST_P(ScenarioTest, AnswerMatchesGolden) {
  const GoldenCase& s = GetParam();
  SCOPED_TRACE(absl::StrCat(s.file, ":", s.line, ": ", s.title));
  const pipctl::GoldenResult result = pipctl::RunGoldenCase(*engine_, s);
  // One answer line per request line.
  EXPECT_FALSE(absl::StrContains(result.answer, "\n")) << result.answer;
  std::vector<std::string> diffs;
  for (const pipctl::FieldDiff& d : result.diffs) {
    diffs.push_back(
        absl::StrCat(d.path, ": expected ", d.expected, " got ", d.actual));
  }
  EXPECT_TRUE(result.pass) << absl::StrJoin(diffs, "\n")
                           << "\nanswer: " << result.answer;
}

TEST(ScenarioFilesTest, HaveScenarios) {
  // Guards against a glob that silently matches nothing.
  EXPECT_GE(LoadScenarios().size(), 30u);
}

INSTANTIATE_TEST_SUITE_P(
    Golden, ScenarioTest, ::testing::ValuesIn(LoadScenarios()),
    [](const ::testing::TestParamInfo<GoldenCase>& info) {
      std::string name = absl::StrCat(info.param.file, "_line", info.param.line);
      for (char& c : name) {
        if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

}  // namespace
}  // namespace pip
