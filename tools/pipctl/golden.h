// `pipctl test`: expected decisions run against a policy.
//
// A golden file (docs/policy-testing.md) holds cases of three parts: a
// comment line "# ..." naming the case (it names every case after it until
// the next comment), a request line (a pip.v1.EvalRequest as JSON, as
// `pipctl eval` reads it) and an expected line. Blank lines are skipped.
// The expected line is a JSON object listing the fields of the answer that
// must match: every field it names must be in the answer with the same
// value; fields it leaves out are not checked; a list must match in length
// and order, element by element, each element by the same rule. This is
// the rule of the repository's own goldens (tests/scenarios_test.cc).
#ifndef PIP_TOOLS_PIPCTL_GOLDEN_H_
#define PIP_TOOLS_PIPCTL_GOLDEN_H_

#include <istream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"
#include "pip/engine.h"

namespace pipctl {

// One case of a golden file.
struct GoldenCase {
  std::string file;
  // The line of the request (1-based).
  int line = 0;
  // The text of the last comment before the request, without "#".
  std::string title;
  std::string request;
  std::string expected;
};

// Reads the cases of one golden file; `file` names it in the cases and
// errors. Returns InvalidArgumentError naming the file and line when an
// expected line is not a JSON object, when a request has no expected line,
// or when the file holds no case (a file that tests nothing must not pass).
absl::StatusOr<std::vector<GoldenCase>> ReadGoldenCases(
    std::istream& in, absl::string_view file);

// One field where an answer differs from what was expected.
struct FieldDiff {
  // "$.purpose_allowed.reasons[0].code".
  std::string path;
  // Each value as JSON; "(missing)" for a field the answer lacks.
  std::string expected;
  std::string actual;
};

// Every place where `actual` lacks a field of `expected` or holds another
// value, by the rule above. Two values of different kinds (a number and a
// string) differ; numbers are compared exactly.
std::vector<FieldDiff> CompareExpected(const google::protobuf::Value& expected,
                                       const google::protobuf::Value& actual);

// The outcome of one case.
struct GoldenResult {
  bool pass = false;
  std::vector<FieldDiff> diffs;
  // The answer, as `pipctl eval` writes it.
  std::string answer;
  // The decision explained, as `pipctl explain` prints it; only for a case
  // that failed.
  std::string explanation;
};

// Evaluates the case's request on `engine` (pip::EvaluateJson, the path of
// `pipctl eval`) and compares the answer with the expected line. A case
// whose expected line does not parse fails with that as its diff.
//
// Thread-safety: safe to call concurrently on one engine.
GoldenResult RunGoldenCase(const pip::Engine& engine, const GoldenCase& c);

}  // namespace pipctl

#endif  // PIP_TOOLS_PIPCTL_GOLDEN_H_
