// incident_assess in the table of functions (src/engine/function.h): must
// this incident be reported to the Personal Information Protection
// Commission, must the people be notified, and by when? Clause 1.4; APPI
// 26; 施行規則 7, 8. The rules are in src/eval/incident_assess.h.
#include "src/eval/incident_assess.h"

#include "absl/strings/str_cat.h"
#include "pip/v1/decision.pb.h"
#include "src/engine/function.h"
#include "src/engine/resolve.h"
#include "src/eval/civil_period.h"
#include "src/internal/status_macros.h"

namespace pip {
namespace engine_internal {
namespace {

using eval_internal::IncidentFacts;
using eval_internal::IncidentVerdict;

// How the pipeline (function.h) decides incident_assess.
struct Spec {
  using Request = v1::IncidentAssessRequest;
  using Decision = v1::IncidentAssessDecision;
  using Verdict = IncidentVerdict;

  struct Resolved {
    IncidentFacts facts;
  };

  static absl::Status Resolve(const CompiledPolicy& policy,
                              const WireView& request, Resolved* out) {
    if (!policy.incidents.present) {
      return absl::FailedPreconditionError(
          "the policy has no incident rules (`incidents`, clause 1.4 and "
          "APPI 26): incident_assess cannot decide on it");
    }
    IncidentFacts& f = out->facts;
    const int32_t kind = request.Int32(Request::kKindFieldNumber);
    if (kind == v1::INCIDENT_KIND_UNSPECIFIED || !v1::IncidentKind_IsValid(kind)) {
      return FieldError(Field{"kind"},
                        kind == v1::INCIDENT_KIND_UNSPECIFIED
                            ? "a kind is required: INCIDENT_LEAK, "
                              "INCIDENT_LOSS or INCIDENT_DAMAGE"
                            : absl::StrCat("unknown IncidentKind ", kind));
    }
    f.kind = static_cast<v1::IncidentKind>(kind);
    f.suspected = request.Bool(Request::kSuspectedFieldNumber);
    PIP_ASSIGN_OR_RETURN(
        f.categories,
        LookupSet(policy.category_index, request,
                  Request::kCategoriesFieldNumber, Field{"categories"},
                  "category", EmptyList::kError));
    f.people = request.Int32(Request::kPeopleFieldNumber);
    f.people_unknown = request.Bool(Request::kPeopleUnknownFieldNumber);
    if (f.people < 0) {
      return FieldError(
          Field{"people"},
          absl::StrCat("a number of people cannot be negative, got ", f.people));
    }
    if (f.people == 0 && !f.people_unknown) {
      return FieldError(Field{"people"},
                        "the number of people concerned is required (set "
                        "people_unknown while it is not known)");
    }
    f.wrongful_purpose = request.Bool(Request::kWrongfulPurposeFieldNumber);
    f.financial_harm = request.Bool(Request::kFinancialHarmFieldNumber);
    const int32_t encryption = request.Int32(Request::kEncryptionFieldNumber);
    if (!v1::Encryption_IsValid(encryption)) {
      return FieldError(Field{"encryption"},
                        absl::StrCat("unknown Encryption ", encryption));
    }
    f.encryption = static_cast<v1::Encryption>(encryption);
    const int32_t key = request.Int32(Request::kKeyFieldNumber);
    if (!v1::KeyStatus_IsValid(key)) {
      return FieldError(Field{"key"}, absl::StrCat("unknown KeyStatus ", key));
    }
    f.key = static_cast<v1::KeyStatus>(key);
    f.stolen = request.Bool(Request::kStolenFieldNumber);
    f.being_acquired = request.Bool(Request::kBeingAcquiredFieldNumber);
    f.notice_difficult = request.Bool(Request::kNoticeDifficultFieldNumber);
    PIP_ASSIGN_OR_RETURN(
        f.aware_at,
        ToTime(request.Time(Request::kAwareAtFieldNumber), Field{"aware_at"}));
    PIP_ASSIGN_OR_RETURN(
        f.as_of,
        ToTime(request.Time(Request::kAsOfFieldNumber), Field{"as_of"}));
    if (f.as_of < f.aware_at) {
      return FieldError(Field{"aware_at"},
                        "the company cannot have become aware after as_of");
    }
    return absl::OkStatus();
  }

  static absl::Status Evaluate(const CompiledPolicy& policy,
                               const Resolved& resolved, ReasonList& reasons,
                               Verdict* verdict) {
    *verdict =
        eval_internal::EvaluateIncidentAssess(policy, resolved.facts, reasons);
    return eval_internal::CheckIncidentDatesInRange(*verdict);
  }

  static v1::AuditOutcome Outcome(const Verdict& v) {
    return v.reportable ? v1::OUTCOME_INCIDENT_REPORTABLE
                        : v1::OUTCOME_INCIDENT_NOT_REPORTABLE;
  }

  // Where a finding goes: each in exactly one list of the decision.
  enum class Filing { kGrounds, kReasons, kNeedsReview, kWarnings, kDuties };
  static Filing FilingOf(const ReasonRef& r) {
    switch (r.code) {
      case v1::INCIDENT_REPORTABLE:
      case v1::INCIDENT_NOT_REPORTABLE:
      case v1::SPECIAL_CARE_DATA_INVOLVED:
      case v1::FINANCIAL_HARM_POSSIBLE:
      case v1::WRONGFUL_PURPOSE_SUSPECTED:
      case v1::DOCUMENTS_OR_DEVICES_STOLEN:
      case v1::DATA_BEING_ACQUIRED:
      case v1::PEOPLE_OVER_THRESHOLD:
      case v1::PEOPLE_COUNT_UNKNOWN:
      case v1::ENCRYPTION_EXCLUDES:
        return Filing::kGrounds;
      case v1::NOTICE_DIFFICULT:
        return Filing::kNeedsReview;
      case v1::PRELIMINARY_REPORT_LATE:
      case v1::FINAL_REPORT_LATE:
        return Filing::kWarnings;
      case v1::INCIDENT_DUTY:
        return Filing::kDuties;
      default:
        return Filing::kReasons;
    }
  }

  // The dates of a decision, "YYYY-MM-DD", empty when not reportable.
  struct Dates {
    explicit Dates(const Verdict& v)
        : aware_on(eval_internal::FormatDay(v.aware_day.date)) {
      if (!v.reportable) return;
      preliminary_earliest = eval_internal::FormatDay(v.preliminary_earliest.date);
      preliminary_latest = eval_internal::FormatDay(v.preliminary_latest.date);
      final_by = eval_internal::FormatDay(v.final_by.date);
    }
    std::string aware_on;
    std::string preliminary_earliest;
    std::string preliminary_latest;
    std::string final_by;
  };

  // pip.v1.IncidentAssessDecision.
  template <typename Encoder>
  static void Layout(const CompiledPolicy& policy, const WireView& request,
                     const Resolved& resolved, const Verdict& verdict,
                     const ReasonList& reasons, Encoder& e) {
    const Dates dates(verdict);
    ReasonContext context;
    context.aware_on = dates.aware_on;
    context.preliminary_earliest = dates.preliminary_earliest;
    context.preliminary_latest = dates.preliminary_latest;
    context.final_by = dates.final_by;
    context.final_report_days = verdict.final_report_days;
    context.incident_kind = resolved.facts.kind;
    context.suspected = resolved.facts.suspected;
    context.people = resolved.facts.people;
    const auto filed = [](Filing list) {
      return [list](const ReasonRef& r) { return FilingOf(r) == list; };
    };
    const ReasonSources none;
    e.Bool(1, "reportable", verdict.reportable);
    EncodeReasons(policy, 2, "grounds", reasons, request, none, context,
                  filed(Filing::kGrounds), e);
    e.Bool(3, "notify_people", verdict.notify_people);
    e.String(4, "preliminary_report_earliest", dates.preliminary_earliest);
    e.String(5, "preliminary_report_latest", dates.preliminary_latest);
    e.String(6, "final_report_by", dates.final_by);
    e.Int32(7, "final_report_days", verdict.final_report_days);
    EncodeReasons(policy, 8, "reasons", reasons, request, none, context,
                  filed(Filing::kReasons), e);
    EncodeReasons(policy, 9, "needs_review", reasons, request, none, context,
                  filed(Filing::kNeedsReview), e);
    EncodeReasons(policy, 10, "warnings", reasons, request, none, context,
                  filed(Filing::kWarnings), e);
    EncodeReasons(policy, 11, "duties", reasons, request, none, context,
                  filed(Filing::kDuties), e);
    e.String(12, "aware_on", dates.aware_on);
    EncodePolicyStamp(policy, e);
  }

  static void Headline(const Decision& d, std::string* out) {
    absl::StrAppend(
        out, "漏えい等事案 / incident_assess: ",
        d.reportable()
            ? "個人情報保護委員会への報告が必要です / REPORTABLE to the "
              "Personal Information Protection Commission"
            : "報告対象ではありません / NOT REPORTABLE",
        "\n  覚知日 / aware on: ", d.aware_on(), "\n");
    if (!d.reportable()) return;
    absl::StrAppend(out, "  本人への通知 / notify the people: ",
                    d.notify_people() ? "必要 / required" : "不要 / no",
                    "\n  速報 / preliminary report: ",
                    d.preliminary_report_earliest(), " 〜 ",
                    d.preliminary_report_latest(),
                    "\n  確報 / final report by: ", d.final_report_by(), " (",
                    d.final_report_days(), "日 / days)\n");
  }
};

}  // namespace

const FunctionEntry& IncidentAssessEntry() {
  return MakeEntry<Spec>("incident_assess",
                         v1::EvalRequest::kIncidentAssessFieldNumber);
}

}  // namespace engine_internal
}  // namespace pip
