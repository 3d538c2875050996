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

// 8.1: the status of active request `r` (field `field`) and when a
// rejection or withdrawal took effect. An unknown status is an error, never
// read as one that does not block.
absl::Status ResolveRequestState(const WireView& r, const Field& field,
                                 PendingRequest* p) {
  using Active = v1::ActiveRequest;
  const int32_t status = r.Int32(Active::kStatusFieldNumber);
  switch (status) {
    case v1::REQUEST_STATUS_UNSPECIFIED:
    case v1::REQUEST_RECEIVED:
      p->status = RequestState::kReceived;
      break;
    case v1::REQUEST_CARRIED_OUT:
      p->status = RequestState::kCarriedOut;
      break;
    case v1::REQUEST_REJECTED:
      p->status = RequestState::kRejected;
      break;
    case v1::REQUEST_WITHDRAWN:
      p->status = RequestState::kWithdrawn;
      break;
    default:
      return FieldError(field.Member("status"),
                        absl::StrCat("unknown RequestStatus ", status));
  }
  if (!r.Has(Active::kDecidedAtFieldNumber)) return absl::OkStatus();
  if (p->status != RequestState::kRejected &&
      p->status != RequestState::kWithdrawn) {
    return FieldError(field.Member("decided_at"),
                      "a decision time is given only with REQUEST_REJECTED "
                      "or REQUEST_WITHDRAWN");
  }
  PIP_ASSIGN_OR_RETURN(p->decided_at,
                       ToTime(r.Time(Active::kDecidedAtFieldNumber),
                              field.Member("decided_at")));
  if (p->decided_at < p->received_at) {
    return FieldError(field.Member("decided_at"),
                      "the decision is before the request was received");
  }
  return absl::OkStatus();
}

// How the pipeline (function.h) decides purpose_allowed.
struct Spec {
  using Request = v1::PurposeAllowedRequest;

  // The facts and the storage their spans point into: fill in place, do not
  // copy or move.
  struct Resolved {
    PurposeFacts facts;
    std::vector<ConsentRecord> consents;
    std::vector<PendingRequest> requests;
    // The case of APPI 27(1) named (legal_ground.ground), or -1.
    int legal_ground = -1;
  };

  using Decision = v1::PurposeAllowedDecision;
  using Verdict = PurposeVerdict;

  static absl::Status Evaluate(const CompiledPolicy& policy,
                               const Resolved& resolved, ReasonList& reasons,
                               Verdict* verdict) {
    eval_internal::EvaluatePurposeAllowed(policy, resolved.facts, reasons,
                                          verdict, resolved.legal_ground);
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
      PIP_ASSIGN_OR_RETURN(const int type,
                           ResolveRequestTypeAndId(policy, r, field));
      PendingRequest p;
      p.type = HandleOf<RequestTypeId>(policy, type);
      PIP_ASSIGN_OR_RETURN(p.received_at,
                           ToTime(r.Time(Active::kReceivedAtFieldNumber),
                                  field.Member("received_at")));
      PIP_RETURN_IF_ERROR(ResolveRequestState(r, field, &p));
      // 8.1: the scope; no list is every purpose, every category.
      PIP_ASSIGN_OR_RETURN(
          const IdSet purposes,
          LookupSet(policy.purpose_index, r, Active::kPurposesFieldNumber,
                    field.Member("purposes"), "purpose", EmptyList::kNone));
      p.purposes = SetOf<PurposeSet>(policy, purposes);
      PIP_ASSIGN_OR_RETURN(
          const IdSet scope_categories,
          LookupSet(policy.category_index, r, Active::kCategoriesFieldNumber,
                    field.Member("categories"), "category", EmptyList::kNone));
      p.categories = SetOf<CategorySet>(policy, scope_categories);
      out->requests.push_back(p);
    }
    if (request.Has(Request::kLegalGroundFieldNumber)) {
      // APPI 27(1): the case, and which law and which case it is.
      PIP_ASSIGN_OR_RETURN(
          out->legal_ground,
          ResolveLegalGround(policy,
                             request.Message(Request::kLegalGroundFieldNumber),
                             Field{"legal_ground"}));
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
    EncodeProvisionRecord(4, policy, reasons, e);
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
