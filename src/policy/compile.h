// Compilation of a validated pip.v1.Policy into a CompiledPolicy.
#ifndef PIP_SRC_POLICY_COMPILE_H_
#define PIP_SRC_POLICY_COMPILE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "pip/v1/policy.pb.h"
#include "src/policy/compiled_policy.h"

namespace pip {
namespace policy_internal {

// Validates `policy` and compiles it. Returns InvalidArgument listing every
// problem when it does not validate; a policy that does not validate never
// compiles.
absl::StatusOr<std::shared_ptr<const CompiledPolicy>> Compile(
    v1::Policy policy);

// Compiles a policy that has already passed Validate() (load.h). Compiling an
// unvalidated policy is undefined.
std::shared_ptr<const CompiledPolicy> CompileValidated(v1::Policy policy);

}  // namespace policy_internal
}  // namespace pip

#endif  // PIP_SRC_POLICY_COMPILE_H_
