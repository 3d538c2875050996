// A decision as a person reads it, for `pipctl explain` and
// Engine::Explain. Internal to pip.
#ifndef PIP_SRC_RENDER_EXPLAIN_H_
#define PIP_SRC_RENDER_EXPLAIN_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "pip/v1/decision.pb.h"
#include "src/policy/compiled_policy.h"

namespace pip {
namespace engine_internal {

using policy_internal::CompiledPolicy;

// `headline` (the function's own first lines), then every finding of
// `decision` (a pip.v1.<Name>Decision) list by list, each with its code and
// clause in Japanese and English, then (unless `quote_clauses` is false)
// the text of every clause the decision cites, taken from `policy`, and the
// policy's version.
std::string ExplainDecision(const CompiledPolicy& policy,
                            const google::protobuf::Message& decision,
                            absl::string_view headline, bool quote_clauses);

// An error in place of a decision.
std::string ExplainError(const v1::Error& error);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_RENDER_EXPLAIN_H_
