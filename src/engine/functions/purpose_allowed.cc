// purpose_allowed in the table of functions (src/engine/function.h): may
// these categories be used for this purpose, and given to this recipient,
// now? Clauses 2, 3, 4, 8.1; APPI 27, 28. The rules are in
// src/eval/purpose_allowed.h.
#include "src/eval/purpose_allowed.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "pip/v1/decision.pb.h"
#include "src/engine/function.h"
#include "src/engine/resolve.h"
#include "src/internal/status_macros.h"

namespace pip {
namespace engine_internal {
namespace {

// How the pipeline (function.h) decides purpose_allowed.
struct Spec {
  using Request = v1::PurposeAllowedRequest;

  // The facts and the storage their spans point into: fill in place, do not
  // copy or move.
  struct Resolved {
    PurposeFacts facts;
    std::vector<ConsentRecord> consents;
    std::vector<PendingRequest> requests;
  };

  using Decision = v1::PurposeAllowedDecision;
  using Verdict = PurposeVerdict;

  static absl::Status Evaluate(const CompiledPolicy& policy,
                               const Resolved& resolved, ReasonList& reasons,
                               Verdict* verdict) {
    *verdict =
        eval_internal::EvaluatePurposeAllowed(policy, resolved.facts, reasons);
    return absl::OkStatus();
  }

  static v1::AuditOutcome Outcome(const Verdict& v) {
    return v.allowed ? v1::OUTCOME_ALLOWED : v1::OUTCOME_DENIED;
  }

  static absl::Status Resolve(const CompiledPolicy& policy,
                              const WireView& request, Resolved* out) {
    PurposeFacts& f = out->facts;
    const absl::string_view subject =
        request.String(Request::kSubjectIdFieldNumber);
    PIP_RETURN_IF_ERROR(CheckText(Field{"subject_id"}, subject));
    PIP_ASSIGN_OR_RETURN(const int purpose,
                         Lookup(policy.purpose_index,
                                request.String(Request::kPurposeFieldNumber),
                                Field{"purpose"}, "purpose"));
    f.purpose = HandleOf<PurposeId>(policy, purpose);
    PIP_ASSIGN_OR_RETURN(
        const IdSet categories,
        LookupSet(policy.category_index, request,
                  Request::kCategoriesFieldNumber, Field{"categories"},
                  "category", EmptyList::kError));
    f.categories = SetOf<CategorySet>(policy, categories);
    PIP_ASSIGN_OR_RETURN(
        f.recipient,
        ResolveRecipient(policy,
                         request.String(Request::kRecipientFieldNumber)));
    using Context = v1::UseContext;
    const WireView context = request.Message(Request::kContextFieldNumber);
    f.context.anonymized = context.Bool(Context::kAnonymizedFieldNumber);
    f.context.health_service = context.Bool(Context::kHealthServiceFieldNumber);
    f.context.necessity_documented =
        context.Bool(Context::kNecessityDocumentedFieldNumber);
    PIP_RETURN_IF_ERROR(ResolveConsents(policy, subject, request,
                                        Request::kConsentsFieldNumber,
                                        &out->consents));
    using Active = v1::ActiveRequest;
    const int n = request.Count(Request::kActiveRequestsFieldNumber);
    PIP_CHECK_LIMIT(Field{"active_requests"}, n, kMaxActiveRequests);
    out->requests.reserve(n);
    for (int i = 0; i < n; ++i) {
      const WireView r =
          request.MessageAt(Request::kActiveRequestsFieldNumber, i);
      const Field field{"active_requests", i};
      PIP_RETURN_IF_ERROR(
          CheckText(field.Member("id"), r.String(Active::kIdFieldNumber)));
      PIP_ASSIGN_OR_RETURN(
          const int type,
          Lookup(policy.request_type_index, r.String(Active::kTypeFieldNumber),
                 field.Member("type"), "request type"));
      PendingRequest p;
      p.type = HandleOf<RequestTypeId>(policy, type);
      PIP_ASSIGN_OR_RETURN(p.received_at,
                           ToTime(r.Time(Active::kReceivedAtFieldNumber),
                                  field.Member("received_at")));
      out->requests.push_back(p);
    }
    PIP_ASSIGN_OR_RETURN(
        f.as_of,
        ToTime(request.Time(Request::kAsOfFieldNumber), Field{"as_of"}));
    f.consents = out->consents;
    f.active_requests = out->requests;
    return absl::OkStatus();
  }

  // pip.v1.PurposeAllowedDecision.
  template <typename Encoder>
  static void Layout(const CompiledPolicy& policy, const WireView& request,
                     const Resolved&, const Verdict& verdict,
                     const ReasonList& reasons, Encoder& e) {
    e.Bool(1, "allowed", verdict.allowed);
    EncodeAllReasons(policy, 2, reasons, request,
                     ReasonSources{Request::kConsentsFieldNumber,
                                   Request::kActiveRequestsFieldNumber, 0},
                     ReasonContext(), e);
    EncodeCoveredBy(3, policy, reasons, request, Request::kConsentsFieldNumber,
                    e);
    EncodePolicyStamp(policy, e);
  }

  static void Headline(const Decision& d, std::string* out) {
    absl::StrAppend(
        out, "利用可否 / purpose_allowed: ",
        d.allowed() ? "利用できます / ALLOWED" : "利用できません / NOT ALLOWED",
        "\n");
  }
};

}  // namespace

const FunctionEntry& PurposeAllowedEntry() {
  return MakeEntry<Spec>("purpose_allowed",
                         v1::EvalRequest::kPurposeAllowedFieldNumber);
}

}  // namespace engine_internal
}  // namespace pip
