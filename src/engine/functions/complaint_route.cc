// complaint_route in the table of functions (src/engine/function.h): where
// does a complaint go next, who owns the step, and which outside bodies can
// the customer turn to? Clause 9. The rules are in
// src/eval/complaint_route.h.
#include "src/eval/complaint_route.h"

#include "absl/strings/str_cat.h"
#include "pip/v1/decision.pb.h"
#include "src/engine/function.h"
#include "src/engine/resolve.h"
#include "src/internal/status_macros.h"

namespace pip {
namespace engine_internal {
namespace {

using eval_internal::ComplaintFacts;
using eval_internal::ComplaintVerdict;

// How the pipeline (function.h) decides complaint_route.
struct Spec {
  using Request = v1::ComplaintRouteRequest;
  using Decision = v1::ComplaintRouteDecision;
  using Verdict = ComplaintVerdict;

  struct Resolved {
    ComplaintFacts facts;
  };

  static absl::Status Resolve(const CompiledPolicy& policy,
                              const WireView& request, Resolved* out) {
    if (policy.complaint_steps.empty()) {
      return absl::FailedPreconditionError(
          "the policy has no internal flow of complaints "
          "(`complaints.internal_flow`, clause 9.1): complaint_route cannot "
          "decide on it");
    }
    ComplaintFacts& f = out->facts;
    const absl::string_view state = request.String(Request::kStateFieldNumber);
    if (!state.empty()) {
      PIP_ASSIGN_OR_RETURN(f.done, Lookup(policy.complaint_step_index, state,
                                          Field{"state"}, "complaint step"));
    }
    PIP_ASSIGN_OR_RETURN(
        f.not_needed,
        LookupSet(policy.complaint_step_index, request,
                  Request::kNotNeededFieldNumber, Field{"not_needed"},
                  "complaint step", EmptyList::kNone));
    // Only a step the policy takes as needed may be skipped (9.1: 必要に
    // 応じた); the others are owed to every complaint.
    for (int i = 0; i < request.Count(Request::kNotNeededFieldNumber); ++i) {
      const int step = policy.complaint_step_index.Find(
          request.StringAt(Request::kNotNeededFieldNumber, i));
      if (!policy.complaint_steps[step].source->as_needed()) {
        return FieldError(
            Field{"not_needed", i},
            absl::StrCat("the step '",
                         policy.complaint_steps[step].source->id(),
                         "' is taken for every complaint (clause ",
                         policy.clause_number(policy.complaint_steps[step].clause),
                         "); only a step taken as needed can be skipped"));
      }
    }
    f.resolution_difficult =
        request.Bool(Request::kResolutionDifficultFieldNumber);
    PIP_ASSIGN_OR_RETURN(
        f.as_of,
        ToTime(request.Time(Request::kAsOfFieldNumber), Field{"as_of"}));
    return absl::OkStatus();
  }

  static absl::Status Evaluate(const CompiledPolicy& policy,
                               const Resolved& resolved, ReasonList& reasons,
                               Verdict* verdict) {
    *verdict =
        eval_internal::EvaluateComplaintRoute(policy, resolved.facts, reasons);
    return absl::OkStatus();
  }

  static v1::AuditOutcome Outcome(const Verdict& v) {
    return v.closed ? v1::OUTCOME_COMPLAINT_CLOSED : v1::OUTCOME_COMPLAINT_OPEN;
  }

  // pip.v1.ComplaintRouteDecision.
  template <typename Encoder>
  static void Layout(const CompiledPolicy& policy, const WireView& request,
                     const Resolved&, const Verdict& verdict,
                     const ReasonList& reasons, Encoder& e) {
    const v1::ComplaintStep* step = nullptr;
    const v1::ComplaintRole* owner = nullptr;
    if (verdict.next_step >= 0) {
      const auto& s = policy.complaint_steps[verdict.next_step];
      step = s.source;
      owner = policy.complaint_roles[s.owner];
    }
    const ReasonContext context;
    const ReasonSources none;
    const auto is = [](bool external) {
      return [external](const ReasonRef& r) {
        return (r.code == v1::EXTERNAL_BODY) == external;
      };
    };
    e.String(1, "next_step", step != nullptr ? step->id() : "");
    e.String(2, "owner", owner != nullptr ? owner->id() : "");
    e.String(3, "owner_ja", owner != nullptr ? owner->label_ja() : "");
    e.String(4, "owner_en", owner != nullptr ? owner->label_en() : "");
    e.Bool(5, "closed", verdict.closed);
    EncodeReasons(policy, 6, "reasons", reasons, request, none, context,
                  is(false), e);
    EncodeReasons(policy, 7, "external_bodies", reasons, request, none,
                  context, is(true), e);
    EncodePolicyStamp(policy, e);
  }

  static void Headline(const Decision& d, std::string* out) {
    absl::StrAppend(out, "苦情・相談 / complaint_route: ",
                    d.closed() ? "対応完了 / CLOSED"
                               : absl::StrCat("次の対応 / next step: ",
                                              d.next_step()),
                    "\n");
    if (!d.closed()) {
      absl::StrAppend(out, "  担当 / owner: ", d.owner_ja(), " / ",
                      d.owner_en(), "\n");
    }
    if (d.external_bodies_size() > 0) {
      absl::StrAppend(out, "  外部相談窓口 / outside bodies: ",
                      d.external_bodies_size(), "\n");
    }
  }
};

}  // namespace

const FunctionEntry& ComplaintRouteEntry() {
  return MakeEntry<Spec>("complaint_route",
                         v1::EvalRequest::kComplaintRouteFieldNumber);
}

}  // namespace engine_internal
}  // namespace pip
