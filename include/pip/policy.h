// pip/policy.h: checking a policy before it becomes an engine.
//
// A policy is a pip.v1.Policy message (proto/pip/v1/policy.proto), written as
// protobuf text format. Before pip evaluates anything with it, the policy is
// validated as a whole, and every problem is reported at once with its
// location, so that an author fixes a file in one pass:
//
//   std::vector<pip::PolicyProblem> problems =
//       pip::ValidatePolicyText(text, "policies/company.textproto");
//   for (const auto& p : problems) std::cerr << p.ToString() << "\n";
//
// An engine is only ever built from a policy with no problems
// (see pip/engine.h).
#ifndef PIP_POLICY_H_
#define PIP_POLICY_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "pip/limits.h"
#include "pip/v1/policy.pb.h"

namespace pip {

// One problem found in a policy.
struct PolicyProblem {
  // The file name given to the loader; empty for in-memory text.
  std::string file;
  // 1-based line and column of the offending value in the text. When the
  // value is absent, the place of the nearest enclosing value (or of a list's
  // first element); 0 when the policy did not come from text.
  int line = 0;
  int column = 0;
  // Path of the offending field, e.g. "categories[3].conditions[0].clause";
  // empty for a syntax error.
  std::string field;
  // The clause of the policy the offending item belongs to, when known.
  std::string clause;
  // What is wrong, with a suggestion where one helps ("did you mean ...").
  std::string message;

  // "file:line:column: field: message (clause X)", omitting what is unknown.
  std::string ToString() const;
};

// Parses `text` as a text-format pip.v1.Policy and validates it. Returns
// every problem found, in order of position; an empty vector means the
// policy is valid. `file` only labels the problems.
//
// Thread-safety: safe to call concurrently.
std::vector<PolicyProblem> ValidatePolicyText(absl::string_view text,
                                              absl::string_view file = "");

// Validates an already parsed policy. Problems carry field paths but no
// line numbers.
//
// Thread-safety: safe to call concurrently.
std::vector<PolicyProblem> ValidatePolicy(const v1::Policy& policy);

// Joins problems into one message, one problem a line.
std::string FormatProblems(const std::vector<PolicyProblem>& problems);

// The text of the default policy embedded in the library
// (policies/default.textproto at build time).
absl::string_view DefaultPolicyText();

}  // namespace pip

#endif  // PIP_POLICY_H_
