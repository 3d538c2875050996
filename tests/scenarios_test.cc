// Golden scenarios: each request line of tests/scenarios/*.jsonl is evaluated
// by pip::EvaluateJson, the code path of `pipctl eval`, and the answer must
// contain every field of the expected line with the same value. Arrays must
// match in length and order, element by element.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "tests/testing/engine.h"
#include "tests/testing/status_matchers.h"

namespace pip {
namespace {

struct Scenario {
  std::string file;
  int line = 0;
  std::string title;
  std::string request;
  std::string expected;
};

// Names a scenario by its place in the file in test output.
void PrintTo(const Scenario& s, std::ostream* os) {
  *os << s.file << ":" << s.line << " (" << s.title << ")";
}

std::vector<Scenario> LoadScenarios() {
  std::vector<Scenario> out;
  const std::filesystem::path dir =
      std::filesystem::path(PIP_SOURCE_DIR) / "tests" / "scenarios";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string line, title;
    Scenario pending;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (line.empty()) continue;
      if (absl::StartsWith(line, "#")) {
        title = std::string(absl::StripLeadingAsciiWhitespace(line.substr(1)));
        continue;
      }
      if (pending.request.empty()) {
        pending.file = path.filename().string();
        pending.line = n;
        pending.title = title;
        pending.request = line;
      } else {
        pending.expected = line;
        out.push_back(pending);
        pending = Scenario();
      }
    }
    EXPECT_TRUE(pending.request.empty())
        << path << ": a request line has no expected line";
  }
  return out;
}

google::protobuf::Value ParseJson(const std::string& json) {
  google::protobuf::Value value;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &value);
  EXPECT_OK(status) << " in " << json;
  return value;
}

// Appends to `diffs` every place where `actual` lacks a field of `expected`
// or holds another value.
void CompareSubset(const google::protobuf::Value& expected,
                   const google::protobuf::Value& actual,
                   const std::string& path, std::vector<std::string>* diffs) {
  using google::protobuf::Value;
  if (expected.kind_case() != actual.kind_case()) {
    diffs->push_back(absl::StrCat(path, ": expected ", expected.DebugString(),
                                  " got ", actual.DebugString()));
    return;
  }
  switch (expected.kind_case()) {
    case Value::kStructValue:
      for (const auto& [key, value] : expected.struct_value().fields()) {
        const auto& fields = actual.struct_value().fields();
        auto it = fields.find(key);
        if (it == fields.end()) {
          diffs->push_back(absl::StrCat(path, ".", key, ": missing"));
        } else {
          CompareSubset(value, it->second, absl::StrCat(path, ".", key), diffs);
        }
      }
      break;
    case Value::kListValue: {
      const auto& e = expected.list_value().values();
      const auto& a = actual.list_value().values();
      if (e.size() != a.size()) {
        diffs->push_back(absl::StrCat(path, ": expected ", e.size(),
                                      " elements, got ", a.size(), ": ",
                                      actual.DebugString()));
        return;
      }
      for (int i = 0; i < e.size(); ++i) {
        CompareSubset(e[i], a[i], absl::StrCat(path, "[", i, "]"), diffs);
      }
      break;
    }
    default:
      if (expected.SerializeAsString() != actual.SerializeAsString()) {
        diffs->push_back(absl::StrCat(path, ": expected ",
                                      expected.ShortDebugString(), " got ",
                                      actual.ShortDebugString()));
      }
  }
}

class ScenarioTest : public ::testing::TestWithParam<Scenario> {
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
  const Scenario& s = GetParam();
  SCOPED_TRACE(absl::StrCat(s.file, ":", s.line, ": ", s.title));
  const std::string answer = pip::EvaluateJson(*engine_, s.request);
  // One answer line per request line.
  EXPECT_FALSE(absl::StrContains(answer, "\n")) << answer;
  std::vector<std::string> diffs;
  CompareSubset(ParseJson(s.expected), ParseJson(answer), "$", &diffs);
  EXPECT_TRUE(diffs.empty()) << absl::StrJoin(diffs, "\n") << "\nanswer: "
                             << answer;
}

TEST(ScenarioFilesTest, HaveScenarios) {
  // Guards against a glob that silently matches nothing.
  EXPECT_GE(LoadScenarios().size(), 30u);
}

INSTANTIATE_TEST_SUITE_P(
    Golden, ScenarioTest, ::testing::ValuesIn(LoadScenarios()),
    [](const ::testing::TestParamInfo<Scenario>& info) {
      std::string name = absl::StrCat(info.param.file, "_line", info.param.line);
      for (char& c : name) {
        if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

}  // namespace
}  // namespace pip
