// contractor_check: may personal data be entrusted to this contractor now,
// and if not, what is missing? Clause 6 (selection 6.1, contract 6.2,
// supervision 6.3), the review interval of 5.1, APPI 25 (supervision of
// contractors) and APPI 28 (a contractor abroad).
#ifndef PIP_SRC_EVAL_CONTRACTOR_CHECK_H_
#define PIP_SRC_EVAL_CONTRACTOR_CHECK_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "pip/v1/decision.pb.h"
#include "src/eval/civil_period.h"
#include "src/eval/eval_types.h"

namespace pip {
namespace eval_internal {

// A contractor as the resolver reads it from a ContractorCheckRequest.
struct ContractorFacts {
  // Indices into the policy's selection criteria (6.1) the contractor
  // meets, contract terms (6.2) its contract contains, and supervision
  // measures (6.3) outstanding.
  IdSet criteria_met;
  IdSet contract_terms;
  IdSet outstanding;
  // A check of the contractor's security management is on record, and
  // when it was made (not after as_of).
  bool checked = false;
  absl::Time last_checked_at;
  // The contractor handles the data outside Japan, and what the request
  // says of APPI 28 (all false in Japan).
  bool abroad = false;
  bool informed_consent = false;
  bool equivalent_measures = false;
  bool continuing_measures = false;
  absl::Time as_of;
};

struct ContractorVerdict {
  bool allowed = false;
  // Set when a check is on record: its Tokyo day, and the last day by which
  // the next one is due.
  UnixDayAndDate last_checked_on{0, {}};
  UnixDayAndDate next_check_by{0, {}};
  v1::OverseasBasis basis = v1::OVERSEAS_BASIS_UNSPECIFIED;
  // The recipient (index of policy.recipients) purpose_allowed decides the
  // entrustment as; -1 abroad without a basis.
  int recipient = -1;
};

// Evaluates a contractor_check query on the policy's clause 6 (which must
// be present: policy.contractors.present). Every finding is reported once,
// each citing its clause and the article beside it (APPI 25):
//  - 6.1: SELECTION_CRITERION_NOT_MET for each criterion not met;
//  - 6.2: CONTRACT_TERM_MISSING for each mandatory term the contract lacks;
//  - 6.3: SUPERVISION_CHECK_MISSING when no check is on record, or
//    SUPERVISION_CHECK_OVERDUE when as_of is past the last day of the
//    review interval counted from the day after the last check (5.1;
//    民法 140, 143, Tokyo civil days); SUPERVISION_MEASURE_OUTSTANDING for
//    each measure of 6.3 the situation calls for that is not carried out;
//  - APPI 28, abroad: the equivalent-measures basis when the contractor has
//    a system meeting the standards (施行規則 16) and the continuing
//    measures of 28(3) are taken (施行規則 18); else the persons' informed
//    consent (28(1), 28(2), 施行規則 17); else OVERSEAS_BASIS_MISSING,
//    followed by CONTINUING_MEASURES_MISSING when a system is in place
//    without them.
// When nothing denies: CONTRACTOR_QUALIFIED, abroad the basis
// (OVERSEAS_CONSENT_BASIS or OVERSEAS_EQUIVALENT_MEASURES_BASIS), and the
// record duty of RecordDuty() (purpose_allowed.h) for the recipient last.
// The caller then checks the verdict with CheckContractorDatesInRange().
template <typename Sink>
ContractorVerdict EvaluateContractorCheck(const CompiledPolicy& policy,
                                          const ContractorFacts& f,
                                          Sink& sink);

// InvalidArgumentError naming last_checked_at when the next check would be
// due after 9999-12-31.
absl::Status CheckContractorDatesInRange(const ContractorVerdict& verdict);

}  // namespace eval_internal
}  // namespace pip

#endif  // PIP_SRC_EVAL_CONTRACTOR_CHECK_H_
