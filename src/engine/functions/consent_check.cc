// consent_check in the table of functions (src/engine/function.h): does a
// valid consent cover this use right now? Clauses 2.4, 2.5, 7; APPI 20(2),
// 27, 28. The rule is in src/eval/consent_check.h.
#include "src/eval/consent_check.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "pip/v1/decision.pb.h"
#include "src/engine/function.h"
#include "src/engine/resolve.h"
#include "src/internal/status_macros.h"

namespace pip {
namespace engine_internal {
namespace {

// How the pipeline (function.h) decides consent_check.
struct Spec {
  using Request = v1::ConsentCheckRequest;

  struct Resolved {
    ConsentFacts facts;
    std::vector<ConsentRecord> consents;
  };

  using Decision = v1::ConsentCheckDecision;
  using Verdict = ConsentVerdict;

  static absl::Status Evaluate(const CompiledPolicy& policy,
                               const Resolved& resolved, ReasonList& reasons,
                               Verdict* verdict) {
    eval_internal::EvaluateConsentCheck(policy, resolved.facts, reasons,
                                        verdict);
    return absl::OkStatus();
  }

  static v1::AuditOutcome Outcome(const Verdict& v) {
    return v.valid ? v1::OUTCOME_CONSENT_VALID : v1::OUTCOME_CONSENT_INVALID;
  }

  static absl::Status Resolve(const CompiledPolicy& policy,
                              const WireView& request, Resolved* out) {
    ConsentFacts& f = out->facts;
    PIP_ASSIGN_OR_RETURN(
        const IdSet categories,
        LookupSet(policy.category_index, request,
                  Request::kCategoriesFieldNumber, Field{"categories"},
                  "category", EmptyList::kError));
    f.categories = SetOf<CategorySet>(policy, categories);
    // No purpose asks whether the categories may be acquired (2.4 取得).
    PIP_ASSIGN_OR_RETURN(
        const IdSet purposes,
        LookupSet(policy.purpose_index, request, Request::kPurposesFieldNumber,
                  Field{"purposes"}, "purpose", EmptyList::kNone));
    f.purposes = SetOf<PurposeSet>(policy, purposes);
    PIP_ASSIGN_OR_RETURN(
        f.recipient,
        ResolveRecipient(policy,
                         request.String(Request::kRecipientFieldNumber)));
    const absl::string_view subject =
        request.String(Request::kSubjectIdFieldNumber);
    if (subject.empty()) {
      return FieldError(Field{"subject_id"}, "a subject id is required");
    }
    PIP_RETURN_IF_ERROR(CheckText(Field{"subject_id"}, subject));
    PIP_RETURN_IF_ERROR(ResolveConsents(policy, subject, request,
                                        Request::kConsentsFieldNumber,
                                        &out->consents));
    PIP_ASSIGN_OR_RETURN(
        f.as_of,
        ToTime(request.Time(Request::kAsOfFieldNumber), Field{"as_of"}));
    f.consents = out->consents;
    return absl::OkStatus();
  }

  // pip.v1.ConsentCheckDecision.
  template <typename Encoder>
  static void Layout(const CompiledPolicy& policy, const WireView& request,
                     const Resolved&, const Verdict& verdict,
                     const ReasonList& reasons, Encoder& e) {
    e.Bool(1, "valid", verdict.valid);
    e.String(
        2, "consent_id",
        verdict.consent >= 0
            ? request.MessageAt(Request::kConsentsFieldNumber, verdict.consent)
                  .String(v1::Consent::kIdFieldNumber)
            : absl::string_view());
    // Reliance is told in covered_by; reasons say why a consent fell short.
    EncodeReasons(policy, 3, "reasons", reasons, request,
                  ReasonSources{Request::kConsentsFieldNumber, 0, 0},
                  ReasonContext(),
                  [](const ReasonRef& r) { return r.code != v1::CONSENT_RELIED; },
                  e);
    EncodeCoveredBy(4, policy, reasons, request, Request::kConsentsFieldNumber,
                    e);
    EncodePolicyStamp(policy, e);
  }

  static void Headline(const Decision& d, std::string* out) {
    absl::StrAppend(out, "同意確認 / consent_check: ",
                    d.valid() ? "有効な同意があります / VALID"
                              : "有効な同意がありません / NOT VALID");
    out->push_back('\n');
    for (const v1::CoveredCategory& c : d.covered_by()) {
      absl::StrAppend(out, "  ", c.category(), ": 同意 / consent ",
                      c.consent_id(), "\n");
    }
  }
};

}  // namespace

const FunctionEntry& ConsentCheckEntry() {
  return MakeEntry<Spec>("consent_check",
                         v1::EvalRequest::kConsentCheckFieldNumber);
}

}  // namespace engine_internal
}  // namespace pip
