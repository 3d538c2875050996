// A decision as a person reads it, for `pipctl explain` and
// Engine::Explain. Internal to pip.
#ifndef PIP_SRC_RENDER_EXPLAIN_H_
#define PIP_SRC_RENDER_EXPLAIN_H_

#include <string>

#include "pip/v1/decision.pb.h"
#include "src/policy/compiled_policy.h"

namespace pip {
namespace engine_internal {

using policy_internal::CompiledPolicy;

// The outcome of `response`, each reason with its clause in Japanese and
// English, and (unless `quote_clauses` is false) the text of every clause
// cited, taken from `policy`. An error response is explained as an error.
std::string Explain(const CompiledPolicy& policy,
                    const v1::EvalResponse& response, bool quote_clauses);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_RENDER_EXPLAIN_H_
