#include "src/eval/complaint_route.h"

namespace pip {
namespace eval_internal {

template <typename Sink>
ComplaintVerdict EvaluateComplaintRoute(const CompiledPolicy& policy,
                                        const ComplaintFacts& f, Sink& sink) {
  ComplaintVerdict v;
  const int steps = static_cast<int>(policy.complaint_steps.size());
  for (int i = f.done + 1; i < steps; ++i) {
    if (!f.not_needed.Contains(i)) {
      v.next_step = i;
      break;
    }
  }
  ReasonRef r;
  if (v.next_step >= 0) {
    r.code = v1::COMPLAINT_NEXT_STEP;
    r.clause = policy.complaint_steps[v.next_step].clause;
    r.provision = static_cast<int16_t>(v.next_step);
  } else {
    v.closed = true;
    r.code = v1::COMPLAINT_CLOSED;
    r.clause = policy.complaint_steps[steps - 1].clause;
  }
  sink.Add(r);
  if (f.resolution_difficult) {
    for (size_t i = 0; i < policy.external_bodies.size(); ++i) {
      r = ReasonRef();
      r.code = v1::EXTERNAL_BODY;
      r.clause = policy.external_bodies[i].clause;
      r.provision = static_cast<int16_t>(i);
      sink.Add(r);
    }
  }
  return v;
}

template ComplaintVerdict EvaluateComplaintRoute<ReasonList>(
    const CompiledPolicy&, const ComplaintFacts&, ReasonList&);

}  // namespace eval_internal
}  // namespace pip
