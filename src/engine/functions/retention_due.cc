// retention_due in the table of functions (src/engine/function.h): must
// this record be deleted now, by when, and how? Clause 7. The rule and the
// Civil Code calendar are in src/eval/retention_due.h.
#include "src/eval/retention_due.h"

#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "pip/v1/decision.pb.h"
#include "src/engine/function.h"
#include "src/engine/resolve.h"
#include "src/internal/status_macros.h"

namespace pip {
namespace engine_internal {
namespace {

// How the pipeline (function.h) decides retention_due.
struct Spec {
  using Request = v1::RetentionDueRequest;

  struct Resolved {
    RetentionFacts facts;
    std::vector<RecordHold> holds;
    std::vector<RecordErasure> erasures;
  };

  using Decision = v1::RetentionDueDecision;
  using Verdict = RetentionVerdict;

  static absl::Status Evaluate(const CompiledPolicy& policy,
                               const Resolved& resolved, ReasonList& reasons,
                               Verdict* verdict) {
    eval_internal::EvaluateRetentionDue(policy, resolved.facts, reasons,
                                        verdict);
    return eval_internal::CheckDueAtInRange(policy, resolved.facts.kind.index(),
                                            *verdict);
  }

  static v1::AuditOutcome Outcome(const Verdict& v) {
    return v.due ? v1::OUTCOME_DUE : v1::OUTCOME_NOT_DUE;
  }

  static absl::Status Resolve(const CompiledPolicy& policy,
                              const WireView& request, Resolved* out) {
    RetentionFacts& f = out->facts;
    const absl::string_view kind_id = request.String(Request::kKindFieldNumber);
    PIP_ASSIGN_OR_RETURN(const int kind,
                         Lookup(policy.retention_kind_index, kind_id,
                                Field{"kind"}, "retention kind"));
    f.kind = HandleOf<RetentionKindId>(policy, kind);
    const WireTime event = request.Time(Request::kEventAtFieldNumber);
    if (event.present) {
      PIP_ASSIGN_OR_RETURN(f.event_at, ToTime(event, Field{"event_at"}));
    } else if (!policy.retention_kinds[kind].event_may_be_pending) {
      return FieldError(Field{"event_at"},
                        absl::StrCat("a time is required for retention kind '",
                                     kind_id, "'"));
    }
    using H = v1::Hold;
    const int n = request.Count(Request::kHoldsFieldNumber);
    PIP_CHECK_LIMIT(Field{"holds"}, n, kMaxHolds);
    out->holds.reserve(n);
    for (int i = 0; i < n; ++i) {
      const WireView h = request.MessageAt(Request::kHoldsFieldNumber, i);
      const Field field{"holds", i};
      PIP_RETURN_IF_ERROR(
          CheckText(field.Member("id"), h.String(H::kIdFieldNumber)));
      PIP_ASSIGN_OR_RETURN(
          const int type,
          Lookup(policy.hold_type_index, h.String(H::kTypeFieldNumber),
                 field.Member("type"), "hold type"));
      RecordHold hold;
      hold.type = HandleOf<HoldTypeId>(policy, type);
      PIP_ASSIGN_OR_RETURN(
          hold.until,
          OptionalTime(h.Time(H::kUntilFieldNumber), field.Member("until")));
      out->holds.push_back(hold);
    }
    using E = v1::Erasure;
    const int erasures = request.Count(Request::kErasuresFieldNumber);
    PIP_CHECK_LIMIT(Field{"erasures"}, erasures, kMaxErasures);
    out->erasures.reserve(erasures);
    for (int i = 0; i < erasures; ++i) {
      const WireView e = request.MessageAt(Request::kErasuresFieldNumber, i);
      const Field field{"erasures", i};
      PIP_ASSIGN_OR_RETURN(const int type,
                           ResolveRequestTypeAndId(policy, e, field));
      PIP_RETURN_IF_ERROR(eval_internal::CheckErasureType(
          policy, type, field.Member("type").ToString()));
      RecordErasure erasure;
      erasure.type = HandleOf<RequestTypeId>(policy, type);
      PIP_ASSIGN_OR_RETURN(
          erasure.carried_out_at,
          ToTime(e.Time(E::kCarriedOutAtFieldNumber),
                 field.Member("carried_out_at")));
      out->erasures.push_back(erasure);
    }
    PIP_ASSIGN_OR_RETURN(
        f.as_of,
        ToTime(request.Time(Request::kAsOfFieldNumber), Field{"as_of"}));
    f.holds = out->holds;
    f.erasures = out->erasures;
    PIP_ASSIGN_OR_RETURN(
        const IdSet categories,
        LookupSet(policy.category_index, request,
                  Request::kCategoriesFieldNumber, Field{"categories"},
                  "category", EmptyList::kNone));
    f.categories = SetOf<CategorySet>(policy, categories);
    return absl::OkStatus();
  }

  // pip.v1.RetentionDueDecision.
  template <typename Encoder>
  static void Layout(const CompiledPolicy& policy, const WireView& request,
                     const Resolved& resolved, const Verdict& verdict,
                     const ReasonList& reasons, Encoder& e) {
    const auto& k = *policy.retention_kinds[resolved.facts.kind.index()].source;
    const RetentionDates dates(verdict);
    ReasonContext context;
    context.retain_until = dates.retain_until();
    context.retention_kind = resolved.facts.kind.index();
    e.Bool(1, "due", verdict.due);
    e.String(2, "retain_until", dates.retain_until());
    e.String(3, "due_at", dates.due_at());
    e.String(4, "deletion_method", k.deletion_method().id());
    e.String(5, "clause", k.clause());
    // An erasure's type and id have ActiveRequest's field numbers.
    const ReasonSources sources{0, Request::kErasuresFieldNumber,
                                Request::kHoldsFieldNumber};
    const auto for_review = [](const ReasonRef& r) {
      return r.code == v1::CATEGORY_NOT_RETAINED_BY_KIND;
    };
    EncodeReasons(policy, 6, "reasons", reasons, request, sources, context,
                  [&](const ReasonRef& r) { return !for_review(r); }, e);
    e.String(9, "deletion_method_ja", k.deletion_method().label_ja());
    e.String(10, "deletion_method_en", k.deletion_method().label_en());
    e.Bool(11, "period_ended", verdict.period_ended);
    EncodeReasons(policy, 12, "needs_review", reasons, request, sources,
                  context, for_review, e);
    EncodePolicyStamp(policy, e);
  }

  static void Headline(const Decision& d, std::string* out) {
    absl::StrAppend(out, "保存期間 / retention_due: ",
                    d.due() ? "削除期限が到来しています / DUE for deletion"
                            : "まだ削除しません / NOT DUE",
                    "\n");
    const auto any_reason = [&d](v1::ReasonCode code) {
      return absl::c_any_of(d.reasons(), [code](const v1::Reason& r) {
        return r.code() == code;
      });
    };
    const bool held = any_reason(v1::HOLD_APPLIES);
    if (any_reason(v1::ERASURE_CARRIED_OUT)) {
      // Due before the end of its period, or whatever the period says.
      absl::StrAppend(out,
                      "  消去の請求に応じたため削除 / due: an erasure request "
                      "was carried out\n");
    } else if (d.retain_until().empty()) {
      // No clock yet: no date to tell.
    } else if (held && !d.period_ended()) {
      // Kept under a hold (after an erasure): the period's end is no
      // deadline.
      absl::StrAppend(out, "  保存期間の満了日 / retention period ends: ",
                      d.retain_until(),
                      " (保存継続中、削除期限なし / kept under a hold, no "
                      "deletion date)\n");
    } else if (!d.period_ended()) {
      absl::StrAppend(out, "  保存期限 / retain until: ", d.retain_until(),
                      " (削除期限 / due at ", d.due_at(), ")\n");
    } else if (d.due()) {
      absl::StrAppend(out, "  保存期間の満了日 / retention period ended: ",
                      d.retain_until(), " (削除対象となった日時 / due since ",
                      d.due_at(), ")\n");
    } else if (d.needs_review_size() > 0) {
      // A person decides which period applies: no deadline meanwhile.
      absl::StrAppend(out, "  保存期間の満了日 / retention period ended: ",
                      d.retain_until(),
                      " (担当者の判断まで保存 / kept until a person "
                      "decides)\n");
    } else {
      // A hold keeps the record: the dates are past, not a deadline.
      absl::StrAppend(out, "  保存期間の満了日 / retention period ended: ",
                      d.retain_until(),
                      " (保存継続中、削除期限なし / kept under a hold, no "
                      "deletion date)\n");
    }
    if (d.needs_review_size() > 0) {
      absl::StrAppend(out,
                      "  要確認 / needs review: 保存期間を担当者が判断します / "
                      "a person decides the retention period\n");
    }
    absl::StrAppend(out,
                    "  削除方法 / deletion method: ", d.deletion_method_ja(),
                    " / ", d.deletion_method_en(), "\n");
  }
};

}  // namespace

const FunctionEntry& RetentionDueEntry() {
  return MakeEntry<Spec>("retention_due",
                         v1::EvalRequest::kRetentionDueFieldNumber);
}

}  // namespace engine_internal
}  // namespace pip
