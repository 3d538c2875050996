// contractor_check in the table of functions (src/engine/function.h): may
// personal data be entrusted to this contractor now, and if not, what is
// missing? Clause 6; clause 5.1; APPI 25, 28. The rules are in
// src/eval/contractor_check.h.
#include "src/eval/contractor_check.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "pip/v1/decision.pb.h"
#include "src/engine/function.h"
#include "src/engine/resolve.h"
#include "src/eval/civil_period.h"
#include "src/internal/status_macros.h"

namespace pip {
namespace engine_internal {
namespace {

using eval_internal::ContractorFacts;
using eval_internal::ContractorVerdict;

// The country of a contractor in Japan (ISO 3166-1 alpha-2).
constexpr absl::string_view kJapan = "JP";

// How the pipeline (function.h) decides contractor_check.
struct Spec {
  using Request = v1::ContractorCheckRequest;
  using Decision = v1::ContractorCheckDecision;
  using Verdict = ContractorVerdict;

  struct Resolved {
    ContractorFacts facts;
    absl::string_view country;
  };

  static absl::Status Resolve(const CompiledPolicy& policy,
                              const WireView& request, Resolved* out) {
    if (!policy.contractors.present) {
      return absl::FailedPreconditionError(
          "the policy has no contractor management (`contractor_management`, "
          "clause 6): contractor_check cannot decide on it");
    }
    ContractorFacts& f = out->facts;
    const absl::string_view id =
        request.String(Request::kContractorIdFieldNumber);
    if (id.empty()) {
      return FieldError(Field{"contractor_id"},
                        "the contractor's id is required");
    }
    PIP_RETURN_IF_ERROR(CheckText(Field{"contractor_id"}, id));
    PIP_ASSIGN_OR_RETURN(
        f.criteria_met,
        LookupSet(policy.selection_criterion_index, request,
                  Request::kCriteriaMetFieldNumber, Field{"criteria_met"},
                  "selection criterion", EmptyList::kNone));
    PIP_ASSIGN_OR_RETURN(
        f.contract_terms,
        LookupSet(policy.contract_term_index, request,
                  Request::kContractTermsFieldNumber, Field{"contract_terms"},
                  "contract term", EmptyList::kNone));
    PIP_ASSIGN_OR_RETURN(
        f.outstanding,
        LookupSet(policy.supervision_index, request,
                  Request::kSupervisionOutstandingFieldNumber,
                  Field{"supervision_outstanding"}, "supervision measure",
                  EmptyList::kNone));
    // The periodic check is decided by its date, never by a word that it is
    // outstanding: one finding, one place.
    const int periodic = policy.contractors.periodic_check;
    for (int i = 0;
         i < request.Count(Request::kSupervisionOutstandingFieldNumber); ++i) {
      if (policy.supervision_index.Find(request.StringAt(
              Request::kSupervisionOutstandingFieldNumber, i)) == periodic) {
        return FieldError(
            Field{"supervision_outstanding", i},
            absl::StrCat("the periodic check '",
                         policy.policy.contractor_management().periodic_check(),
                         "' is decided by last_checked_at (clause ",
                         policy.clause_number(
                             policy.contractors.supervision[periodic]),
                         "), not listed as outstanding"));
      }
    }
    PIP_ASSIGN_OR_RETURN(
        f.as_of,
        ToTime(request.Time(Request::kAsOfFieldNumber), Field{"as_of"}));
    const auto checked = request.Time(Request::kLastCheckedAtFieldNumber);
    f.checked = checked.present;
    if (f.checked) {
      PIP_ASSIGN_OR_RETURN(f.last_checked_at,
                           ToTime(checked, Field{"last_checked_at"}));
      if (f.last_checked_at > f.as_of) {
        return FieldError(Field{"last_checked_at"},
                          "a check cannot be dated after as_of");
      }
    }
    // APPI 28: where the contractor handles the data.
    const absl::string_view country =
        request.String(Request::kCountryFieldNumber);
    if (!country.empty() &&
        (country.size() != 2 || !absl::ascii_isupper(country[0]) ||
         !absl::ascii_isupper(country[1]))) {
      return FieldError(Field{"country"},
                        "an ISO 3166-1 alpha-2 code of two capital letters is "
                        "required, e.g. \"US\" (empty or \"JP\" in Japan)");
    }
    f.abroad = !country.empty() && country != kJapan;
    out->country = f.abroad ? country : absl::string_view();
    f.informed_consent = request.Bool(Request::kInformedConsentFieldNumber);
    f.equivalent_measures =
        request.Bool(Request::kEquivalentMeasuresFieldNumber);
    f.continuing_measures =
        request.Bool(Request::kContinuingMeasuresFieldNumber);
    if (!f.abroad) {
      // A basis of APPI 28 said of a contractor in Japan: the country is
      // likely missing, and a wrong country must not pass unnoticed.
      const std::pair<const char*, bool> abroad_only[] = {
          {"informed_consent", f.informed_consent},
          {"equivalent_measures", f.equivalent_measures},
          {"continuing_measures", f.continuing_measures},
      };
      for (const auto& [field, set] : abroad_only) {
        if (set) {
          return FieldError(Field{field},
                            "applies to a contractor abroad (APPI 28); give "
                            "its country");
        }
      }
    }
    return absl::OkStatus();
  }

  static absl::Status Evaluate(const CompiledPolicy& policy,
                               const Resolved& resolved, ReasonList& reasons,
                               Verdict* verdict) {
    *verdict = eval_internal::EvaluateContractorCheck(policy, resolved.facts,
                                                      reasons);
    return eval_internal::CheckContractorDatesInRange(*verdict);
  }

  static v1::AuditOutcome Outcome(const Verdict& v) {
    return v.allowed ? v1::OUTCOME_CONTRACTOR_ALLOWED
                     : v1::OUTCOME_CONTRACTOR_DENIED;
  }

  // pip.v1.ContractorCheckDecision.
  template <typename Encoder>
  static void Layout(const CompiledPolicy& policy, const WireView& request,
                     const Resolved& resolved, const Verdict& verdict,
                     const ReasonList& reasons, Encoder& e) {
    std::string last_checked_on;
    std::string next_check_by;
    if (resolved.facts.checked) {
      last_checked_on = eval_internal::FormatDay(verdict.last_checked_on.date);
      next_check_by = eval_internal::FormatDay(verdict.next_check_by.date);
    }
    ReasonContext context;
    context.last_checked_on = last_checked_on;
    context.next_check_by = next_check_by;
    context.country = resolved.country;
    e.Bool(1, "allowed", verdict.allowed);
    EncodeAllReasons(policy, 2, reasons, request, ReasonSources(), context, e);
    e.String(3, "next_check_by", next_check_by);
    e.String(4, "last_checked_on", last_checked_on);
    e.Enum(5, "overseas_basis", verdict.basis);
    e.String(6, "recipient",
             verdict.recipient >= 0
                 ? absl::string_view(
                       policy.recipients[verdict.recipient].source->id())
                 : absl::string_view());
    EncodeProvisionRecord(7, policy, reasons, e);
    EncodePolicyStamp(policy, e);
  }

  static void Headline(const Decision& d, std::string* out) {
    absl::StrAppend(
        out, "委託先の確認 / contractor_check: ",
        d.allowed() ? "委託できます / ALLOWED" : "委託できません / NOT ALLOWED",
        "\n  次回の安全管理状況の確認期限 / next check by: ",
        d.next_check_by().empty() ? "確認の記録なし / no check on record"
                                  : d.next_check_by(),
        "\n");
    absl::string_view basis;
    switch (d.overseas_basis()) {
      case v1::OVERSEAS_BASIS_CONSENT:
        basis = "本人の同意 / the persons' informed consent";
        break;
      case v1::OVERSEAS_BASIS_EQUIVALENT_MEASURES:
        basis = "基準に適合する体制 / a system meeting the standards";
        break;
      case v1::OVERSEAS_BASIS_NONE:
        basis = "根拠なし / no basis";
        break;
      default:
        return;  // in Japan: APPI 28 does not apply
    }
    absl::StrAppend(out, "  外国にある委託先 / abroad (APPI 28): ", basis,
                    "\n");
  }
};

}  // namespace

const FunctionEntry& ContractorCheckEntry() {
  return MakeEntry<Spec>("contractor_check",
                         v1::EvalRequest::kContractorCheckFieldNumber);
}

}  // namespace engine_internal
}  // namespace pip
