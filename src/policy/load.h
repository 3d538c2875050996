// Loading a policy: text or binary bytes -> pip.v1.Policy, validated, with
// every problem located. Internal to pip.
#ifndef PIP_SRC_POLICY_LOAD_H_
#define PIP_SRC_POLICY_LOAD_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/text_format.h"
#include "pip/policy.h"
#include "pip/v1/policy.pb.h"

namespace pip {
namespace policy_internal {

// Checks every rule of a well-formed policy (ids, references, clauses,
// periods, contradictions, list sizes, the strings it may hold), in time
// linear in its size. `locations`, when not null, maps fields to their
// place in the text named `file`. At most kMaxPolicyProblems problems are
// listed, then one that counts the rest.
std::vector<PolicyProblem> Validate(
    const v1::Policy& policy,
    const google::protobuf::TextFormat::ParseInfoTree* locations,
    absl::string_view file);

// Places each of `problems` (as Validate found them without locations) in
// the text `locations` maps, and sorts them by line, the "and N more"
// line last. Linear in the number of problems: a policy is validated once.
void Relocate(const google::protobuf::TextFormat::ParseInfoTree& locations,
              std::vector<PolicyProblem>* problems);

// Parses text format into `policy` and validates it. Returns every problem;
// `policy` is meaningful only when none is returned.
std::vector<PolicyProblem> ParseAndValidateText(absl::string_view text,
                                                absl::string_view file,
                                                v1::Policy* policy);

// The same, returning the policy or InvalidArgument listing every problem.
absl::StatusOr<v1::Policy> LoadText(absl::string_view text,
                                    absl::string_view file);
// Parses serialized (binary) pip.v1.Policy bytes and validates them.
absl::StatusOr<v1::Policy> LoadBinary(absl::string_view bytes);
// Reads a file; text format unless its name ends in ".binpb" or ".pb".
absl::StatusOr<v1::Policy> LoadFile(const std::string& path);
// The bytes of a policy file: NotFound when it cannot be opened,
// InvalidArgument past kMaxPolicyBytes, DataLoss on a read error.
absl::StatusOr<std::string> ReadPolicyFile(const std::string& path);
// Bytes named `file`: binary when the name ends in ".binpb" or ".pb", text
// otherwise.
absl::StatusOr<v1::Policy> LoadBytes(absl::string_view bytes,
                                     absl::string_view file);

}  // namespace policy_internal
}  // namespace pip

#endif  // PIP_SRC_POLICY_LOAD_H_
