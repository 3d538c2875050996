// incident_assess: must an incident (漏えい等事案) be reported to the
// Personal Information Protection Commission, must the people concerned be
// notified, and by when? Clause 1.4; APPI 26; 施行規則 7, 8.
#ifndef PIP_SRC_EVAL_INCIDENT_ASSESS_H_
#define PIP_SRC_EVAL_INCIDENT_ASSESS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "pip/v1/decision.pb.h"
#include "src/eval/civil_period.h"
#include "src/eval/eval_types.h"

namespace pip {
namespace eval_internal {

// An incident as the resolver reads it from an IncidentAssessRequest.
struct IncidentFacts {
  v1::IncidentKind kind = v1::INCIDENT_KIND_UNSPECIFIED;
  bool suspected = false;
  // Indices into the policy's categories; at least one.
  IdSet categories;
  // Not negative; with people_unknown, the number known so far.
  int32_t people = 0;
  bool people_unknown = false;
  bool wrongful_purpose = false;
  bool financial_harm = false;
  v1::Encryption encryption = v1::ENCRYPTION_UNSPECIFIED;
  v1::KeyStatus key = v1::KEY_STATUS_UNSPECIFIED;
  bool stolen = false;
  bool being_acquired = false;
  bool notice_difficult = false;
  // In pip's years; as_of not before aware_at.
  absl::Time aware_at;
  absl::Time as_of;
};

struct IncidentVerdict {
  bool reportable = false;
  bool notify_people = false;
  // The Tokyo civil day of awareness, which the periods do not count.
  UnixDayAndDate aware_day{0, {}};
  // Set when reportable.
  UnixDayAndDate preliminary_earliest{0, {}};
  UnixDayAndDate preliminary_latest{0, {}};
  UnixDayAndDate final_by{0, {}};
  int32_t final_report_days = 0;
};

// Evaluates an incident_assess query on the policy's `incidents` section
// (which must be present: policy.incidents.present):
//  - 施行規則 7: reportable when special care-required data is involved
//    (7(1); SPECIAL_CARE_DATA_INVOLVED per category), misuse may cause
//    financial harm (7(2); the caller's word, or a category the policy marks
//    so), a wrongful purpose may be behind it (7(3); an attack, stolen
//    documents or devices, and data being acquired from the day the amended
//    rule applies), or more people than the threshold are, or may be,
//    concerned (7(4)). Data the company was still acquiring counts under
//    7(3) only. High-level encryption whose key is confirmed safe excludes
//    the incident (ENCRYPTION_EXCLUDES); encryption or a key not confirmed
//    is not relied on (ENCRYPTION_NOT_CONFIRMED).
//  - APPI 26(1): INCIDENT_REPORTABLE before the grounds, or
//    INCIDENT_NOT_REPORTABLE.
//  - APPI 26(2): the people are notified whenever it is reportable
//    (NOTIFY_PEOPLE); notice_difficult raises the proviso for a person
//    (NOTICE_DIFFICULT), and never lifts the duty.
//  - 施行規則 8: the preliminary report between the earliest and the latest
//    day of "promptly", the final report within its period (the longer one
//    whenever 7(3) applies), each counted from the day after the Tokyo day
//    of awareness (民法 140); PRELIMINARY_REPORT_LATE and FINAL_REPORT_LATE
//    when as_of is past the last day.
//  - 1.4: INCIDENT_DUTY for each duty of the policy, for every incident.
// The caller then checks the verdict with CheckIncidentDatesInRange().
template <typename Sink>
IncidentVerdict EvaluateIncidentAssess(const CompiledPolicy& policy,
                                       const IncidentFacts& f, Sink& sink);

// InvalidArgumentError naming aware_at when a deadline would end after
// 9999-12-31.
absl::Status CheckIncidentDatesInRange(const IncidentVerdict& verdict);

}  // namespace eval_internal
}  // namespace pip

#endif  // PIP_SRC_EVAL_INCIDENT_ASSESS_H_
