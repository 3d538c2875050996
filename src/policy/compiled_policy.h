// The compiled, immutable form of a pip.v1.Policy: dense integer ids,
// bitsets and tables that the evaluators in src/eval/ read. Built once by
// Compile() (compile.h) from a policy that validated; never modified after.
//
// Thread-safety: a CompiledPolicy is immutable and safe to read from any
// number of threads.
#ifndef PIP_SRC_POLICY_COMPILED_POLICY_H_
#define PIP_SRC_POLICY_COMPILED_POLICY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "pip/v1/policy.pb.h"
#include "src/policy/id_index.h"
#include "src/policy/id_set.h"

namespace pip {
namespace policy_internal {

using CategorySet = IdSet;
using PurposeSet = IdSet;
using RecipientSet = IdSet;

// Bit positions of the caller-supplied facts a condition can demand.
enum ContextBit : uint32_t {
  kContextAnonymized = 1u << 0,
  kContextHealthService = 1u << 1,
  kContextNecessityDocumented = 1u << 2,
};
uint32_t ContextBitOf(v1::ContextFlag flag);

// Index into CompiledPolicy::clauses.
using ClauseIndex = uint16_t;
// No clause: an article a finding does not cite.
inline constexpr ClauseIndex kNoClause = 0xFFFF;

struct CompiledCondition {
  enum class Kind : uint8_t { kConsent, kContext, kPurposes };
  Kind kind;
  uint32_t context_bit = 0;  // kContext
  PurposeSet allowed_purposes;  // kPurposes
  ClauseIndex clause = 0;
  // The article of law cited beside `clause`, or kNoClause.
  ClauseIndex article = kNoClause;
};

struct CompiledCategory {
  const v1::Category* source;
  ClauseIndex clause;
  std::vector<CompiledCondition> conditions;
};

struct CompiledPurpose {
  const v1::Purpose* source;
  ClauseIndex clause;
  std::vector<CompiledCondition> conditions;
};

struct CompiledRecipient {
  const v1::Recipient* source;
  ClauseIndex clause;
  bool requires_named_consent;
  ClauseIndex consent_clause;
  // Provision to it is recorded (APPI 29(1)) unless it rests on a case of
  // APPI 27(1).
  bool provision_record_required;
};

// A case of APPI 27(1) (third_party_provision.legal_grounds).
struct CompiledLegalGround {
  const v1::LegalGroundType* source;
  ClauseIndex clause;
  ClauseIndex article;
  // The APPI 18(3) item for internal use, or kNoClause.
  ClauseIndex use_article;
};

// APPI 29 (third_party_provision.record).
struct CompiledProvisionRecord {
  // The policy has a record rule; without one decisions say nothing of
  // records.
  bool present = false;
  ClauseIndex clause = 0;
  ClauseIndex period_article = kNoClause;
};

struct CompiledRequestType {
  const v1::RequestType* source;
  ClauseIndex clause;
  int32_t fee_jpy;
  ClauseIndex fee_clause;
  ClauseIndex effect_clause;
  // Purposes an active request of this type blocks.
  PurposeSet blocked_purposes;
  RecipientSet blocked_recipients;
};

// A pip.v1.Period as the calendar arithmetic takes it (src/eval/
// civil_period.h): years become 12 months each, since 民法 143 counts both
// by the calendar. Exactly one of the two is positive in a validated policy.
struct CompiledPeriod {
  int32_t months = 0;
  int32_t days = 0;
  // months / 12 when that is whole, else 0: such a period moves a date by
  // its years alone (eval_internal::PeriodLastUnixDay).
  int32_t whole_years = 0;
};
inline CompiledPeriod CompilePeriod(const v1::Period& p) {
  const int32_t months = p.years() * 12 + p.months();
  return {months, p.days(), months % 12 == 0 ? months / 12 : 0};
}

struct CompiledRetentionKind {
  const v1::RetentionKind* source;
  ClauseIndex clause;
  v1::RetentionClock clock;
  CompiledPeriod period;
  bool event_may_be_pending;
  // source->deletion_method().id(), for the hot path's verdicts.
  absl::string_view deletion_method;
  // Index into CompiledPolicy::statutory_floors of the kind's floor, or -1.
  int floor = -1;
  // Whether the floor can end after the kind's own period for some event
  // (FloorMayDecide): when not, retain_until never needs the floor's last
  // day, and the hot path does not work it out.
  bool floor_may_decide = false;
  // source->statutory_article(): the law sets the kind's own period, which
  // an erasure (8.1) does not cut short; kNoClause when the policy does.
  ClauseIndex statutory_article = kNoClause;
  // The categories a record of the kind may hold (source->categories()).
  CategorySet categories;
};

// A period the law requires of records of some kinds (法定保存期間).
struct CompiledStatutoryFloor {
  const v1::StatutoryFloor* source;
  ClauseIndex article;
  v1::RetentionClock clock;
  CompiledPeriod period;
};

// Whether a statutory floor of `floor` on `clock` can end later than a
// kind's own `period` on `clock` for some event day, given the policy's
// filing deadline (months after the fiscal year end). Answered by bounds,
// so it may say yes when the floor never decides, never no when it can:
// on the same clock, a floor no longer in months and in days than the
// period never ends later (the Civil Code's end of a period moves forward
// with each; 民法 143); on different clocks, the floor's clock starts at
// most a year and the filing months after the event, and a month has 28
// to 31 days.
bool FloorMayDecide(const CompiledStatutoryFloor& floor,
                    v1::RetentionClock clock, const CompiledPeriod& period,
                    int filing_deadline_months);

struct CompiledDocument {
  const v1::RequestDocument* source;
  ClauseIndex clause;
  // source->article(), or kNoClause.
  ClauseIndex article;
};

struct CompiledRequester {
  const v1::Requester* source;
  ClauseIndex clause;
  std::vector<int> required_documents;  // indices into documents
};

struct CompiledReviewGround {
  const v1::ReviewGround* source;
  ClauseIndex clause;
};

// Clause 1.4 and APPI 26, as incident_assess reads them.
struct CompiledIncidentPolicy {
  // The policy has an `incidents` section; incident_assess refuses to
  // decide on one that has none.
  bool present = false;
  ClauseIndex clause = 0;
  // The clause of each duty of 1.4 (policy.incidents().duties(i)).
  std::vector<ClauseIndex> duty_clauses;
  ClauseIndex report_clause = 0;
  ClauseIndex notify_clause = 0;
  ClauseIndex special_care_clause = 0;
  ClauseIndex financial_harm_clause = 0;
  ClauseIndex wrongful_purpose_clause = 0;
  ClauseIndex people_clause = 0;
  ClauseIndex encryption_clause = 0;
  ClauseIndex preliminary_report_clause = 0;
  ClauseIndex final_report_clause = 0;
  int32_t people_threshold = 0;
  CompiledPeriod preliminary_report_earliest;
  CompiledPeriod preliminary_report_latest;
  CompiledPeriod final_report_period;
  CompiledPeriod final_report_period_wrongful_purpose;
  // acquisition_counts_from as a Unix day of the Tokyo calendar.
  int64_t acquisition_counts_from_day = 0;
  // Categories marked special care-required (要配慮個人情報), and those whose
  // misuse may cause financial harm.
  CategorySet special_care_categories;
  CategorySet financial_harm_categories;
};

// An acquisition channel of clause 3.
struct CompiledChannel {
  const v1::AcquisitionChannel* source;
  ClauseIndex clause;
  // The categories the policy lists for it (acquired_categories).
  CategorySet acquired;
  bool direct = false;
  bool written = false;
  bool from_third_party = false;
};

// APPI 20(2), 21, 30 as acquisition_check reads them (Policy.acquisition).
struct CompiledAcquisition {
  // The policy has an `acquisition` section; acquisition_check refuses to
  // decide on one that has none.
  bool present = false;
  // Categories marked special care-required (要配慮個人情報).
  CategorySet special_care_categories;
  ClauseIndex special_care_article = 0;
  ClauseIndex published_article = 0;
  ClauseIndex written_notice_article = 0;
  ClauseIndex published_purposes_article = 0;
  // By legal ground (CompiledPolicy::legal_grounds): its item of APPI
  // 20(2), or kNoClause for a ground 20(2) does not repeat.
  std::vector<ClauseIndex> special_care_ground_articles;
  // APPI 30: the policy has a confirmation rule.
  bool confirmation = false;
  ClauseIndex confirmation_article = 0;
  ClauseIndex record_article = 0;
  ClauseIndex period_article = 0;
  // Index into CompiledPolicy::retention_kinds of the record's kind.
  int record_kind = -1;
  int32_t contract_document_keep_years = 0;
  // The items of APPI 27(5): entrustment, succession, joint use.
  ClauseIndex contractor_article = 0;
  ClauseIndex successor_article = 0;
  ClauseIndex joint_use_article = 0;
};

// A step of the internal flow of complaints (9.1).
struct CompiledComplaintStep {
  const v1::ComplaintStep* source;
  ClauseIndex clause;
  // Index into CompiledPolicy::complaint_roles.
  int owner;
};

// An outside body of 9.2.
struct CompiledExternalBody {
  const v1::ExternalBody* source;
  ClauseIndex clause;
};

// Clause 6 (contractor_management), as contractor_check reads it.
struct CompiledContractors {
  // The section lists something: contractor_check decides on it.
  bool present = false;
  // The clause of each selection criterion (6.1), contract term (6.2) and
  // supervision measure (6.3), in the policy's order.
  std::vector<ClauseIndex> criteria;
  std::vector<ClauseIndex> terms;
  std::vector<ClauseIndex> supervision;
  ClauseIndex clause = 0;
  // APPI 25 beside the clause, or kNoClause.
  ClauseIndex article = kNoClause;
  // Index into `supervision` of the check the interval governs.
  int periodic_check = 0;
  CompiledPeriod review_interval;
  ClauseIndex review_interval_clause = 0;
  // APPI 28: the clause of a denial, and the rules of the two bases.
  ClauseIndex overseas_clause = 0;
  ClauseIndex consent_article = 0;
  ClauseIndex equivalent_measures_article = 0;
  ClauseIndex continuing_measures_clause = 0;
  ClauseIndex continuing_measures_article = 0;
  // Indices into CompiledPolicy::recipients.
  int domestic_recipient = 0;
  int consent_recipient = 0;
  int equivalent_measures_recipient = 0;
};

class CompiledPolicy {
 public:
  CompiledPolicy() = default;
  // The indexes and string views below point into `policy`: a copy would
  // point into the original.
  CompiledPolicy(const CompiledPolicy&) = delete;
  CompiledPolicy& operator=(const CompiledPolicy&) = delete;

  // The policy as loaded; every `source` pointer points into it.
  v1::Policy policy;
  // Lowercase hex SHA-256 of the policy's deterministic serialization.
  std::string hash;
  // Unique among the policies compiled in this process (never 0): the
  // handles of pip/snapshot.h carry it so that a handle from another policy
  // is caught.
  uint32_t generation = 0;

  std::vector<const v1::Clause*> clauses;
  // clauses[i]->number(), one load away for the hot path's verdicts.
  std::vector<absl::string_view> clause_numbers;
  std::vector<CompiledCategory> categories;
  std::vector<CompiledPurpose> purposes;
  // clause_view(purposes[i].clause): the clause of a permitted use, one
  // load away for the hot path's verdicts.
  std::vector<absl::string_view> purpose_clauses;
  std::vector<CompiledRecipient> recipients;
  std::vector<CompiledRetentionKind> retention_kinds;
  std::vector<CompiledStatutoryFloor> statutory_floors;
  std::vector<const v1::HoldType*> hold_types;
  ClauseIndex hold_clause = 0;
  std::vector<CompiledRequestType> request_types;
  std::vector<const v1::RequestChannel*> request_channels;
  std::vector<CompiledDocument> documents;
  std::vector<CompiledRequester> requesters;
  std::vector<CompiledReviewGround> review_grounds;
  // APPI 27(1), 29.
  std::vector<CompiledLegalGround> legal_grounds;
  CompiledProvisionRecord provision_record;

  int default_recipient = 0;
  int default_requester = 0;  // the requester "self", or the first one
  int32_t min_consent_version = 0;
  // A consent given below this age counts only with a legal
  // representative's consent (PPC Q&A 1-62); 0: no age rule.
  int32_t representative_required_below_age = 0;
  ClauseIndex minor_consent_clause = 0;

  // Union of the categories that carry each kind of condition, so that the
  // common case (no condition applies) costs a few bitset tests.
  CategorySet consent_gated_categories;
  // Categories that only a consent naming them covers, not a consent for
  // any category: a consent condition with `named` (2.4 location) and
  // every special care-required category (APPI 20(2)).
  CategorySet named_consent_categories;
  CategorySet context_gated_categories;
  CategorySet purpose_restricted_categories;
  // The union of the three: the categories that carry any condition.
  CategorySet conditional_categories;
  // Purposes that carry any condition.
  PurposeSet conditional_purposes;
  // Recipients provision to which needs a consent that names them.
  RecipientSet named_consent_recipients;
  // By purpose: conditional_categories, or every category when the purpose
  // is one of conditional_purposes. A use whose categories miss its
  // purpose's gate has no condition to meet (the inline path of
  // pip::Snapshot::PurposeAllowed tests this alone).
  std::vector<CategorySet> purpose_category_gates;

  // Clause 7 parameters.
  ClauseIndex retention_clause = 0;
  int fiscal_year_end_month = 3;
  int fiscal_year_end_day = 31;
  // The fiscal year ends on the last day of fiscal_year_end_month
  // (February 29 in a leap year); fiscal_year_end_day is then unused.
  bool fiscal_year_ends_at_month_end = false;
  int filing_deadline_months = 2;

  // Clause 8 parameters.
  ClauseIndex channel_clause = 0;
  CompiledPeriod response_period;
  ClauseIndex response_clause = 0;
  bool identity_verification_required = true;
  ClauseIndex identity_verification_clause = 0;

  // Clause 1.4 and APPI 26.
  CompiledIncidentPolicy incidents;

  // Clause 6.
  CompiledContractors contractors;
  // Clause 3 and APPI 20(2), 21, 30.
  std::vector<CompiledChannel> acquisition_channels;
  CompiledAcquisition acquisition;

  // Clause 9.
  std::vector<CompiledComplaintStep> complaint_steps;
  std::vector<const v1::ComplaintRole*> complaint_roles;
  std::vector<CompiledExternalBody> external_bodies;

  IdIndex category_index;
  IdIndex purpose_index;
  IdIndex purpose_group_index;
  IdIndex recipient_index;
  IdIndex retention_kind_index;
  IdIndex hold_type_index;
  IdIndex request_type_index;
  IdIndex request_channel_index;
  IdIndex requester_index;
  IdIndex document_index;
  IdIndex review_ground_index;
  IdIndex clause_index;
  IdIndex complaint_step_index;
  IdIndex selection_criterion_index;
  IdIndex contract_term_index;
  IdIndex supervision_index;
  IdIndex legal_ground_index;
  IdIndex acquisition_channel_index;

  const std::string& clause_number(ClauseIndex i) const {
    return clauses[i]->number();
  }
  absl::string_view clause_view(ClauseIndex i) const {
    return clause_numbers[i];
  }
};

}  // namespace policy_internal
}  // namespace pip

#endif  // PIP_SRC_POLICY_COMPILED_POLICY_H_
