// complaint_route: where does a complaint go next? The internal flow of
// clause 9.1 (first response, investigation, improvement, reply) with who
// owns each step, and the outside bodies of 9.2 when the company cannot
// resolve it.
#ifndef PIP_SRC_EVAL_COMPLAINT_ROUTE_H_
#define PIP_SRC_EVAL_COMPLAINT_ROUTE_H_

#include "absl/time/time.h"
#include "src/eval/eval_types.h"

namespace pip {
namespace eval_internal {

// A complaint as the resolver reads it from a ComplaintRouteRequest.
struct ComplaintFacts {
  // Index of the last step of policy.complaint_steps that is done; -1 for
  // a complaint just received.
  int done = -1;
  // Steps the policy takes only as needed that this complaint does not
  // need (indices into policy.complaint_steps).
  IdSet not_needed;
  bool resolution_difficult = false;
  absl::Time as_of;
};

struct ComplaintVerdict {
  // Index of the next step, or -1 when every step is done or not needed.
  int next_step = -1;
  bool closed = false;
};

// Evaluates a complaint_route query on a policy with at least one step:
//  - 9.1: the next step is the first after `done` that is needed
//    (COMPLAINT_NEXT_STEP, naming it); none left closes the complaint
//    (COMPLAINT_CLOSED);
//  - 9.2: when the company cannot resolve the complaint, every outside body
//    (EXTERNAL_BODY, naming each).
template <typename Sink>
ComplaintVerdict EvaluateComplaintRoute(const CompiledPolicy& policy,
                                        const ComplaintFacts& f, Sink& sink);

}  // namespace eval_internal
}  // namespace pip

#endif  // PIP_SRC_EVAL_COMPLAINT_ROUTE_H_
