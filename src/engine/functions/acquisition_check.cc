// acquisition_check in the table of functions (src/engine/function.h): may
// these categories be acquired through this channel now, and what must be
// done when they are? Clauses 2, 3; APPI 20(2), 21, 30. The rules are in
// src/eval/acquisition_check.h.
#include "src/eval/acquisition_check.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pip/v1/decision.pb.h"
#include "src/engine/function.h"
#include "src/engine/resolve.h"
#include "src/internal/status_macros.h"

namespace pip {
namespace engine_internal {
namespace {

using eval_internal::AcquisitionFacts;
using eval_internal::AcquisitionVerdict;

// The request field of each item of the confirmation (APPI 30(1)), by
// ConfirmationItem: what `missing` lists.
absl::string_view ItemField(uint8_t item) {
  switch (item) {
    case eval_internal::kProviderName:
      return "provider.name";
    case eval_internal::kProviderAddress:
      return "provider.address";
    case eval_internal::kProviderRepresentative:
      return "provider.representative";
    case eval_internal::kHowObtained:
      return "provider.how_obtained";
  }
  return "";
}

// How the pipeline (function.h) decides acquisition_check.
struct Spec {
  using Request = v1::AcquisitionCheckRequest;
  using Decision = v1::AcquisitionCheckDecision;
  using Verdict = AcquisitionVerdict;

  // The facts and the storage their spans point into: fill in place, do not
  // copy or move.
  struct Resolved {
    AcquisitionFacts facts;
    std::vector<ConsentRecord> consents;
  };

  // APPI 30(1): the provider as confirmed, on a channel that receives data
  // from a third party.
  static absl::Status ResolveProvider(const CompiledPolicy& policy,
                                      const WireView& request,
                                      AcquisitionFacts& f) {
    using Provider = v1::Provider;
    const bool from_third_party =
        policy.acquisition_channels[f.channel].from_third_party;
    if (!request.Has(Request::kProviderFieldNumber)) {
      if (from_third_party) {
        for (uint8_t item = eval_internal::kFirstConfirmationItem;
             item <= eval_internal::kLastConfirmationItem; ++item) {
          f.missing |= eval_internal::ItemBit(item);
        }
      }
      return absl::OkStatus();
    }
    if (!from_third_party) {
      return FieldError(Field{"provider"},
                        "the channel does not receive data from a third "
                        "party (APPI 30): a provider is given only with one "
                        "that does");
    }
    const WireView p = request.Message(Request::kProviderFieldNumber);
    const struct {
      uint8_t item;
      int number;
      const char* member;
    } items[] = {
        {eval_internal::kProviderName, Provider::kNameFieldNumber, "name"},
        {eval_internal::kProviderAddress, Provider::kAddressFieldNumber,
         "address"},
        {eval_internal::kProviderRepresentative,
         Provider::kRepresentativeFieldNumber, "representative"},
        {eval_internal::kHowObtained, Provider::kHowObtainedFieldNumber,
         "how_obtained"},
    };
    for (const auto& it : items) {
      const absl::string_view text = p.String(it.number);
      PIP_RETURN_IF_ERROR(CheckText(Field{"provider"}.Member(it.member), text));
      if (absl::StripAsciiWhitespace(text).empty()) {
        f.missing |= eval_internal::ItemBit(it.item);
      }
    }
    const int32_t role = p.Int32(Provider::kRoleFieldNumber);
    if (!v1::ProviderRole_IsValid(role)) {
      return FieldError(Field{"provider"}.Member("role"),
                        absl::StrCat("unknown ProviderRole ", role));
    }
    f.provider_role = role == v1::PROVIDER_ROLE_UNSPECIFIED
                          ? v1::PROVIDER_THIRD_PARTY
                          : static_cast<v1::ProviderRole>(role);
    if (p.Has(Provider::kLegalGroundFieldNumber)) {
      PIP_ASSIGN_OR_RETURN(
          f.provider_ground,
          ResolveLegalGround(policy, p.Message(Provider::kLegalGroundFieldNumber),
                             Field{"provider.legal_ground"}));
    }
    return absl::OkStatus();
  }

  static absl::Status Resolve(const CompiledPolicy& policy,
                              const WireView& request, Resolved* out) {
    if (!policy.acquisition.present) {
      return absl::FailedPreconditionError(
          "the policy has no rules of acquisition (`acquisition`; APPI "
          "20(2), 21, 30): acquisition_check cannot decide on it");
    }
    AcquisitionFacts& f = out->facts;
    const absl::string_view subject =
        request.String(Request::kSubjectIdFieldNumber);
    PIP_RETURN_IF_ERROR(CheckText(Field{"subject_id"}, subject));
    PIP_ASSIGN_OR_RETURN(
        f.channel, Lookup(policy.acquisition_channel_index,
                          request.String(Request::kChannelFieldNumber),
                          Field{"channel"}, "acquisition channel"));
    PIP_ASSIGN_OR_RETURN(
        f.categories,
        LookupSet(policy.category_index, request,
                  Request::kCategoriesFieldNumber, Field{"categories"},
                  "category", EmptyList::kError));
    PIP_RETURN_IF_ERROR(ResolveConsents(policy, subject, request,
                                        Request::kConsentsFieldNumber,
                                        &out->consents));
    f.purpose_stated = request.Bool(Request::kPurposeStatedFieldNumber);
    const int32_t published_by =
        request.Int32(Request::kPublishedByFieldNumber);
    if (!v1::PublishedBy_IsValid(published_by)) {
      return FieldError(Field{"published_by"},
                        absl::StrCat("unknown PublishedBy ", published_by));
    }
    f.published_by = static_cast<v1::PublishedBy>(published_by);
    if (request.Has(Request::kLegalGroundFieldNumber)) {
      const Field field{"legal_ground"};
      PIP_ASSIGN_OR_RETURN(
          f.legal_ground,
          ResolveLegalGround(policy,
                             request.Message(Request::kLegalGroundFieldNumber),
                             field));
      if (policy.acquisition.special_care_ground_articles[f.legal_ground] ==
          policy_internal::kNoClause) {
        return FieldError(
            field.Member("ground"),
            absl::StrCat("the case '",
                         policy.legal_grounds[f.legal_ground].source->id(),
                         "' is not one that APPI 20(2) allows for special "
                         "care-required data (acquisition.special_care_"
                         "grounds)"));
      }
    }
    PIP_RETURN_IF_ERROR(ResolveProvider(policy, request, f));
    PIP_ASSIGN_OR_RETURN(
        f.as_of,
        ToTime(request.Time(Request::kAsOfFieldNumber), Field{"as_of"}));
    f.consents = out->consents;
    return absl::OkStatus();
  }

  static absl::Status Evaluate(const CompiledPolicy& policy,
                               const Resolved& resolved, ReasonList& reasons,
                               Verdict* verdict) {
    *verdict = eval_internal::EvaluateAcquisitionCheck(policy, resolved.facts,
                                                       reasons);
    return absl::OkStatus();
  }

  static v1::AuditOutcome Outcome(const Verdict& v) {
    return v.allowed ? v1::OUTCOME_ACQUISITION_ALLOWED
                     : v1::OUTCOME_ACQUISITION_DENIED;
  }

  // pip.v1.AcquisitionCheckDecision.
  template <typename Encoder>
  static void Layout(const CompiledPolicy& policy, const WireView& request,
                     const Resolved&, const Verdict& verdict,
                     const ReasonList& reasons, Encoder& e) {
    e.Bool(1, "allowed", verdict.allowed);
    EncodeAllReasons(policy, 2, reasons, request,
                     ReasonSources{Request::kConsentsFieldNumber, 0, 0},
                     ReasonContext(), e);
    EncodeCoveredBy(3, policy, reasons, request, Request::kConsentsFieldNumber,
                    e);
    EncodeConfirmationRecord(policy, reasons, e);
    e.BeginList(5, "missing");
    for (const ReasonRef& r : reasons.items) {
      if (r.code == v1::CONFIRMATION_MISSING) {
        e.StringItem(5, ItemField(r.wording));
      }
    }
    e.EndList();
    EncodePolicyStamp(policy, e);
  }

  // pip.v1.ProvisionRecordDuty, field 4, from the record reason of an
  // allowed acquisition from a third party (APPI 30(3)); absent otherwise.
  // The keeping period is the record's retention kind's, in whole years
  // (validation checks it).
  template <typename Encoder>
  static void EncodeConfirmationRecord(const CompiledPolicy& policy,
                                       const ReasonList& reasons, Encoder& e) {
    const auto& a = policy.acquisition;
    // Without a confirmation rule no channel receives data from a third
    // party (validation), and no decision speaks of the record.
    if (!a.confirmation) return;
    const auto& kind = policy.retention_kinds[a.record_kind];
    EncodeRecordDuty(policy, reasons, v1::CONFIRMATION_RECORD_REQUIRED,
                     v1::CONFIRMATION_NOT_REQUIRED, 4, "confirmation_record",
                     {kind.source->id(), kind.period.whole_years,
                      a.contract_document_keep_years,
                      policy.clause_view(a.period_article)},
                     e);
  }

  static void Headline(const Decision& d, std::string* out) {
    absl::StrAppend(
        out, "取得可否 / acquisition_check: ",
        d.allowed() ? "取得できます / ALLOWED" : "取得できません / NOT ALLOWED",
        "\n");
    if (d.has_confirmation_record() && d.confirmation_record().required()) {
      absl::StrAppend(out, "  確認記録 / confirmation record: ",
                      d.confirmation_record().keep_years(), " 年 / years (",
                      d.confirmation_record().retention_kind(), ")\n");
    }
    if (d.missing_size() > 0) {
      absl::StrAppend(out, "  未確認 / not confirmed: ",
                      absl::StrJoin(d.missing(), ", "), "\n");
    }
  }
};

}  // namespace

const FunctionEntry& AcquisitionCheckEntry() {
  return MakeEntry<Spec>("acquisition_check",
                         v1::EvalRequest::kAcquisitionCheckFieldNumber);
}

}  // namespace engine_internal
}  // namespace pip
