// request_validate in the table of functions (src/engine/function.h): is
// this data-subject request (開示等請求) complete, what fee, what deadline,
// what to review? Clause 8. The rules are in src/eval/request_validate.h.
#include "src/eval/request_validate.h"

#include "absl/strings/str_cat.h"
#include "pip/v1/decision.pb.h"
#include "src/engine/function.h"
#include "src/engine/resolve.h"
#include "src/eval/civil_period.h"
#include "src/internal/status_macros.h"

namespace pip {
namespace engine_internal {
namespace {

// How the pipeline (function.h) decides request_validate.
struct Spec {
  using Request = v1::RequestValidateRequest;

  // The facts (no storage: a request_validate request has no lists of
  // records).
  struct Resolved {
    RequestFacts facts;
  };

  using Decision = v1::RequestValidateDecision;
  using Verdict = RequestVerdict;

  static absl::Status Evaluate(const CompiledPolicy& policy,
                               const Resolved& resolved, ReasonList& reasons,
                               Verdict* verdict) {
    eval_internal::EvaluateRequestValidate(policy, resolved.facts, reasons,
                                           verdict);
    return eval_internal::CheckRespondByInRange(*verdict);
  }

  static v1::AuditOutcome Outcome(const Verdict& v) {
    return v.valid ? v1::OUTCOME_REQUEST_VALID : v1::OUTCOME_REQUEST_INVALID;
  }

  static absl::Status Resolve(const CompiledPolicy& policy,
                              const WireView& request, Resolved* out) {
    RequestFacts* f = &out->facts;
    PIP_ASSIGN_OR_RETURN(const int type,
                         Lookup(policy.request_type_index,
                                request.String(Request::kTypeFieldNumber),
                                Field{"type"}, "request type"));
    f->type = HandleOf<RequestTypeId>(policy, type);
    const absl::string_view channel =
        request.String(Request::kChannelFieldNumber);
    if (channel.empty()) {
      return FieldError(Field{"channel"}, "a channel is required");
    }
    PIP_RETURN_IF_ERROR(CheckText(Field{"channel"}, channel));
    // A channel that does not accept requests is a fault of the request that
    // the decision reports (8.2), not an error of the call.
    const int accepted = policy.request_channel_index.Find(channel);
    f->channel = HandleOf<RequestChannelId>(
        policy, accepted < 0 ? eval_internal::kUnacceptedChannel : accepted);
    const absl::string_view requester =
        request.String(Request::kRequesterFieldNumber);
    if (!requester.empty()) {
      PIP_ASSIGN_OR_RETURN(const int r,
                           Lookup(policy.requester_index, requester,
                                  Field{"requester"}, "requester"));
      f->requester = HandleOf<RequesterId>(policy, r);
    }
    PIP_ASSIGN_OR_RETURN(
        const IdSet documents,
        LookupSet(policy.document_index, request,
                  Request::kDocumentsFieldNumber, Field{"documents"},
                  "document", EmptyList::kNone));
    f->documents = SetOf<DocumentSet>(policy, documents);
    f->identity_verified = request.Bool(Request::kIdentityVerifiedFieldNumber);
    const int32_t paid = request.Int32(Request::kFeePaidJpyFieldNumber);
    if (paid < 0) {
      return FieldError(Field{"fee_paid_jpy"},
                        absl::StrCat("a fee cannot be negative, got ", paid));
    }
    f->fee_paid_jpy = paid;
    PIP_ASSIGN_OR_RETURN(const IdSet review,
                         LookupSet(policy.review_ground_index, request,
                                   Request::kReviewFieldNumber, Field{"review"},
                                   "review ground", EmptyList::kNone));
    f->review = SetOf<ReviewGroundSet>(policy, review);
    PIP_ASSIGN_OR_RETURN(f->received_at,
                         ToTime(request.Time(Request::kReceivedAtFieldNumber),
                                Field{"received_at"}));
    PIP_ASSIGN_OR_RETURN(
        f->as_of,
        ToTime(request.Time(Request::kAsOfFieldNumber), Field{"as_of"}));
    return absl::OkStatus();
  }

  // Where a finding of request_validate goes: each in exactly one list of the
  // decision, the one that says what it is.
  enum class Filing { kErrors, kNeedsReview, kReasons, kWarnings };
  static Filing FilingOf(const ReasonRef& r) {
    switch (r.code) {
      case v1::CHANNEL_NOT_ACCEPTED:
        return Filing::kErrors;
      case v1::REVIEW_REQUIRED:
        return Filing::kNeedsReview;
      case v1::FEE_NOT_CHARGEABLE:
      case v1::FEE_OVERPAID:
        return Filing::kWarnings;
      default:
        return Filing::kReasons;
    }
  }

  // pip.v1.RequestValidateDecision.
  template <typename Encoder>
  static void Layout(const CompiledPolicy& policy, const WireView& request,
                     const Resolved& resolved, const Verdict& verdict,
                     const ReasonList& reasons, Encoder& e) {
    const std::string respond_by = eval_internal::FormatDay(verdict.respond_by);
    ReasonContext context;
    context.channel = request.String(Request::kChannelFieldNumber);
    context.respond_by = respond_by;
    context.fee_paid_jpy = request.Int32(Request::kFeePaidJpyFieldNumber);
    context.fee_due_jpy = verdict.fee_due_jpy;
    context.by_representative =
        eval_internal::RequesterIndex(policy, resolved.facts.requester) !=
        policy.default_requester;
    const auto filed = [](Filing list) {
      return [list](const ReasonRef& r) { return FilingOf(r) == list; };
    };
    // The decision's reasons are about none of the request's lists.
    const ReasonSources none;
    e.Bool(1, "valid", verdict.valid);
    e.BeginList(2, "missing");
    for (const ReasonRef& r : reasons.items) {
      if (r.code == v1::DOCUMENT_MISSING) {
        e.StringItem(2, policy.documents[r.document].source->id());
      }
    }
    e.EndList();
    EncodeReasons(policy, 3, "errors", reasons, request, none, context,
                  filed(Filing::kErrors), e);
    e.Int32(4, "fee_due_jpy", verdict.fee_due_jpy);
    e.String(5, "respond_by", respond_by);
    e.Bool(6, "overdue", verdict.overdue);
    EncodeReasons(policy, 7, "needs_review", reasons, request, none, context,
                  filed(Filing::kNeedsReview), e);
    e.Enum(8, "next_step", verdict.next_step);
    EncodeReasons(policy, 11, "reasons", reasons, request, none, context,
                  filed(Filing::kReasons), e);
    EncodeReasons(policy, 12, "warnings", reasons, request, none, context,
                  filed(Filing::kWarnings), e);
    e.Bool(13, "identity_verified",
           request.Bool(Request::kIdentityVerifiedFieldNumber));
    e.Int32(14, "fee_unpaid_jpy", verdict.fee_unpaid_jpy);
    EncodePolicyStamp(policy, e);
  }

  static void Headline(const Decision& d, std::string* out) {
    absl::StrAppend(out, "開示等請求 / request_validate: ",
                    d.valid() ? "受付要件を満たしています / COMPLETE"
                              : "受付要件を満たしていません / INCOMPLETE",
                    "\n");
    absl::StrAppend(out, "  手数料 / fee due: ", d.fee_due_jpy(), " JPY");
    if (d.fee_unpaid_jpy() > 0) {
      absl::StrAppend(out, " (未納 / unpaid: ", d.fee_unpaid_jpy(), " JPY)");
    }
    absl::StrAppend(
        out, "\n  回答期限 / respond by: ", d.respond_by(),
        d.overdue() ? " (期限超過 / OVERDUE)" : "",
        "\n  次の対応 / next step: ", v1::NextStep_Name(d.next_step()), "\n");
  }
};

}  // namespace

const FunctionEntry& RequestValidateEntry() {
  return MakeEntry<Spec>("request_validate",
                         v1::EvalRequest::kRequestValidateFieldNumber);
}

}  // namespace engine_internal
}  // namespace pip
