#include "tools/pipctl/golden.h"

#include <map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "pip/encoded.h"

namespace pipctl {
namespace {

using google::protobuf::Value;

std::string ValueJson(const Value& v) {
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(v, &out).ok()) {
    return v.ShortDebugString();
  }
  return out;
}

absl::StatusOr<Value> ParseJsonValue(absl::string_view json) {
  Value value;
  const auto status =
      google::protobuf::util::JsonStringToMessage(std::string(json), &value);
  if (!status.ok()) {
    return absl::InvalidArgumentError(std::string(status.message()));
  }
  return value;
}

void Compare(const Value& expected, const Value& actual,
             const std::string& path, std::vector<FieldDiff>* diffs) {
  if (expected.kind_case() != actual.kind_case()) {
    diffs->push_back({path, ValueJson(expected), ValueJson(actual)});
    return;
  }
  switch (expected.kind_case()) {
    case Value::kStructValue: {
      // In the order of the keys, so that a report reads the same each run
      // (a Struct's map has no order).
      const auto& fields = actual.struct_value().fields();
      std::map<std::string, const Value*> sorted;
      for (const auto& [key, value] : expected.struct_value().fields()) {
        sorted.emplace(key, &value);
      }
      for (const auto& [key, value_ptr] : sorted) {
        const Value& value = *value_ptr;
        auto it = fields.find(key);
        if (it == fields.end()) {
          diffs->push_back(
              {absl::StrCat(path, ".", key), ValueJson(value), "(missing)"});
        } else {
          Compare(value, it->second, absl::StrCat(path, ".", key), diffs);
        }
      }
      break;
    }
    case Value::kListValue: {
      const auto& e = expected.list_value().values();
      const auto& a = actual.list_value().values();
      if (e.size() != a.size()) {
        diffs->push_back(
            {path, absl::StrCat(ValueJson(expected), " (", e.size(),
                                " elements)"),
             absl::StrCat(ValueJson(actual), " (", a.size(), " elements)")});
        return;
      }
      for (int i = 0; i < e.size(); ++i) {
        Compare(e[i], a[i], absl::StrCat(path, "[", i, "]"), diffs);
      }
      break;
    }
    default:
      if (expected.SerializeAsString() != actual.SerializeAsString()) {
        diffs->push_back({path, ValueJson(expected), ValueJson(actual)});
      }
  }
}

}  // namespace

absl::StatusOr<std::vector<GoldenCase>> ReadGoldenCases(
    std::istream& in, absl::string_view file) {
  std::vector<GoldenCase> cases;
  std::string line, title;
  GoldenCase pending;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    if (absl::StartsWith(line, "#")) {
      title = std::string(absl::StripAsciiWhitespace(line.substr(1)));
      continue;
    }
    if (pending.request.empty()) {
      pending.file = std::string(file);
      pending.line = n;
      pending.title = title;
      pending.request = line;
      continue;
    }
    absl::StatusOr<Value> expected = ParseJsonValue(line);
    if (!expected.ok() || !expected->has_struct_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          file, ":", n,
          ": the expected line of the request of line ", pending.line,
          " is not a JSON object",
          expected.ok() ? "" : absl::StrCat(" (", expected.status().message(), ")")));
    }
    pending.expected = line;
    cases.push_back(std::move(pending));
    pending = GoldenCase();
  }
  if (in.bad()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": cannot be read"));
  }
  if (!pending.request.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ":", pending.line,
                     ": the request has no expected line after it"));
  }
  if (cases.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ": no case (a comment, a request line and an expected line)"));
  }
  return cases;
}

std::vector<FieldDiff> CompareExpected(const Value& expected,
                                       const Value& actual) {
  std::vector<FieldDiff> diffs;
  Compare(expected, actual, "$", &diffs);
  return diffs;
}

GoldenResult RunGoldenCase(const pip::Engine& engine, const GoldenCase& c) {
  GoldenResult result;
  result.answer = pip::EvaluateJson(engine, c.request);
  absl::StatusOr<Value> expected = ParseJsonValue(c.expected);
  absl::StatusOr<Value> actual = ParseJsonValue(result.answer);
  if (!expected.ok()) {
    result.diffs.push_back(
        {"$", absl::StrCat("(not JSON: ", expected.status().message(), ")"),
         result.answer});
  } else if (!actual.ok()) {
    result.diffs.push_back(
        {"$", c.expected,
         absl::StrCat("(not JSON: ", actual.status().message(), ")")});
  } else {
    result.diffs = CompareExpected(*expected, *actual);
  }
  result.pass = result.diffs.empty();
  if (!result.pass) {
    absl::StatusOr<pip::v1::EvalRequest> request =
        pip::ParseEvalRequestJson(c.request);
    const pip::v1::EvalResponse response =
        request.ok() ? engine.Evaluate(*request)
                     : pip::ErrorResponse(request.status());
    result.explanation = engine.Explain(response);
  }
  return result;
}

}  // namespace pipctl
