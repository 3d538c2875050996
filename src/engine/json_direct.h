// The JSON surface's direct path: a parsed request resolved, evaluated and
// printed without building the decision message. Internal to pip.
#ifndef PIP_SRC_ENGINE_JSON_DIRECT_H_
#define PIP_SRC_ENGINE_JSON_DIRECT_H_

#include <string>

#include "pip/v1/decision.pb.h"
#include "src/policy/compiled_policy.h"

namespace pip {
namespace engine_internal {

using policy_internal::CompiledPolicy;

// A decision in JSON straight from the evaluator, without building the
// decision message: when `request` resolves, appends the decision object,
// byte for byte what PrintJsonAnswer() prints of the message path's
// decision, to `*out` and returns true. Otherwise returns false and leaves
// `*out` as it was; the caller takes the message path, which words every
// error. Records nothing: the caller must not take this path with an audit
// sink attached. Thread-compatible.
bool PurposeAllowedJsonDirect(const CompiledPolicy& policy,
                              const v1::PurposeAllowedRequest& request,
                              std::string* out);
bool ConsentCheckJsonDirect(const CompiledPolicy& policy,
                            const v1::ConsentCheckRequest& request,
                            std::string* out);
bool RetentionDueJsonDirect(const CompiledPolicy& policy,
                            const v1::RetentionDueRequest& request,
                            std::string* out);
bool RequestValidateJsonDirect(const CompiledPolicy& policy,
                               const v1::RequestValidateRequest& request,
                               std::string* out);

// The same for an EvalRequest: appends the one-line EvalResponse when
// `request` holds a request of any of the four functions that resolves;
// false when it holds none or it does not resolve.
bool EvaluateJsonDirect(const CompiledPolicy& policy,
                        const v1::EvalRequest& request, std::string* out);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_ENGINE_JSON_DIRECT_H_
